"""What a PDF says about itself, for readers and assistive technology.

The document catalogue names the text's language (/Lang, given to reportlab's document
template), asks viewers to show the title rather than the file name (DisplayDocTitle)
and to open with the bookmarks showing (PageMode /UseOutlines), and carries XMP
metadata (title, author, subject, keywords, language, producer) matching the Info
dictionary, which PDF/UA and many catalogues read instead of it.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import XMP
from reportlab.pdfgen.canvas import Canvas

from briefing.document import Properties

_PACKET = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description>
    <rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt>
   </dc:description>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{keywords}</pdf:Keywords>
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:CreatorTool>Briefing</xmp:CreatorTool>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def describe(canv: Canvas, props: Properties, language: str) -> None:
    """Make the PDF being drawn on `canv` show its title and bookmarks, and carry XMP."""
    canv.setViewerPreference("DisplayDocTitle", "true")
    canv.showOutline()
    doc: Any = getattr(canv, "_doc")  # noqa: B009 (reportlab's document, untyped)

    def packet(pdf: Any) -> bytes:
        fields = {
            "title": props.title,
            "author": props.author,
            "subject": props.subject,
            "keywords": ", ".join(props.keywords),
            "language": language,
            "producer": pdf.info.producer,
        }
        return _PACKET.format(**{k: escape(v) for k, v in fields.items()}).encode("utf-8")

    doc.Catalog.Metadata = XMP(creator=packet)
