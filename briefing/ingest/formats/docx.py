"""Word documents (.docx) with python-docx: body paragraphs and tables in order, headings by
style, bold and italic runs, links; each footnote and endnote follows the paragraph citing it
(notes cited nowhere come last). Text inside content controls (nested too), tracked
insertions and text boxes (each once, though mc:AlternateContent holds it twice) is read;
tracked deletions and comments are not. The main part is the one the package's relationships
name. The zip package is checked first, so a damaged file or a zip bomb is refused before
anything is unpacked."""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run as DocxRun
from lxml import etree

from briefing.document import Run
from briefing.ingest.model import IngestError, ParsedParagraph, first_line, raised_in

MAX_UNPACKED = 512 * 1024 * 1024  # bytes all parts may expand to
MAX_RATIO = 200  # a part expanding more than this many times (and > 1 MB) is a zip bomb
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título|titolo)\s*(\d)$", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_OFFICE_DOCUMENT = "/officeDocument"  # the end of the main part's relationship type
# Elements whose content is read as if it stood in their place: content controls, tracked
# insertions and moves, smart tags, custom XML, simple fields, text direction.
_THROUGH = frozenset(f"{_W}{tag}" for tag in (
    "sdt", "sdtContent", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "bdo", "dir",
))
_DROPPED = frozenset({f"{_W}del", f"{_W}moveFrom"})  # tracked deletions
_SPECIAL = {
    f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "\u2011", f"{_W}softHyphen": "\u00ad",
}


# What python-docx and lxml raise on a package whose parts or relationships are mangled (a
# relationship without a target: TypeError; an unknown part: KeyError; bad XML: LxmlError).
_DOCX_DIR = Path(docx.__file__).parent
_DAMAGED = (PackageNotFoundError, KeyError, ValueError, TypeError, zipfile.BadZipFile,
            etree.LxmlError, zlib.error)


def parse(data: bytes) -> list[ParsedParagraph]:
    check_package(data)
    try:
        return _Story(docx.Document(BytesIO(data))).read()
    except _DAMAGED as exc:
        raise IngestError(f"damaged Word document ({first_line(exc)})") from None
    except AttributeError as exc:
        # A part of the wrong type or an element in the wrong namespace lacks what python-docx
        # looks up ("'Part' object has no attribute 'styles'"); raised in our code, it is a bug.
        if not raised_in(exc, _DOCX_DIR):
            raise
        raise IngestError(f"damaged Word document ({first_line(exc)})") from None


def check_package(data: bytes) -> None:
    """Refuse `data` unless it is a zip holding a main document part that unpacks to a sane
    size; sizes are both read from the directory and counted while unpacking, so lies are
    caught."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            infos = package.infolist()
            main = _main_part(package)
            if main not in package.namelist():
                raise IngestError(f"not a Word document (no {main} in the package)")
            declared = sum(i.file_size for i in infos)
            if declared > MAX_UNPACKED or any(_bomb(i.file_size, i.compress_size) for i in infos):
                raise IngestError(
                    f"refused: the Word package would unpack to {declared // 2**20} MB"
                    " (a zip bomb?)"
                )
            for info in infos:
                _check_unpacked(package, info)
    except zipfile.BadZipFile:
        raise IngestError("not a Word document (not a valid .docx zip package)") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
            RuntimeError, zlib.error, etree.LxmlError) as exc:
        # zipfile raises ValueError ("negative seek value"), RuntimeError (an encrypted part)
        # and zlib.error (damaged compressed data) on a mangled package.
        raise IngestError(f"damaged Word document ({first_line(exc)})") from None


def _bomb(size: int, compressed: int) -> bool:
    return size > 2**20 and size > MAX_RATIO * max(compressed, 1)


def _check_unpacked(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Unpack one part in chunks and stop as soon as it grows past its declared size."""
    seen = 0
    with package.open(info) as part:
        while chunk := part.read(2**20):
            seen += len(chunk)
            if seen > info.file_size:
                raise IngestError("refused: a part of the Word package is larger than declared"
                                  " (a zip bomb?)")


def _main_part(package: zipfile.ZipFile) -> str:
    """Return the name of the main document part, as the package relationships give it."""
    try:
        rels = etree.fromstring(package.read("_rels/.rels"))
    except (KeyError, etree.XMLSyntaxError):
        return "word/document.xml"
    for rel in rels:
        if str(rel.get("Type", "")).endswith(_OFFICE_DOCUMENT):
            return posixpath.normpath(str(rel.get("Target", "")).lstrip("/"))
    return "word/document.xml"


def _children(element: etree._Element) -> Iterator[etree._Element]:
    """Yield `element`'s children, looking through content controls, tracked insertions and
    the like, taking one branch of mc:AlternateContent, and leaving out tracked deletions."""
    for child in element:
        if child.tag in _THROUGH:
            yield from _children(child)
        elif child.tag == f"{_MC}AlternateContent":
            branch = child.find(f"{_MC}Choice")
            if branch is None:
                branch = child.find(f"{_MC}Fallback")
            if branch is not None:
                yield from _children(branch)
        elif child.tag not in _DROPPED:
            yield child


class _Story:
    """Reads the body: paragraphs and table rows in order, each followed by the paragraphs of
    the text boxes anchored in it and by the notes it refers to ("[n] text")."""

    def __init__(self, document: Document) -> None:
        self.body = document._body
        self.notes = _notes(document)  # (kind, id) → the note's text, in order
        self.placed: set[tuple[str, str]] = set()

    def read(self) -> list[ParsedParagraph]:
        out = list(self.blocks(self.body._element))
        return out + [self.note(key) for key in self.notes if key not in self.placed]

    def note(self, key: tuple[str, str]) -> ParsedParagraph:
        self.placed.add(key)
        return ParsedParagraph((Run(f"[{key[1]}] {self.notes[key]}"),), standalone=True)

    def blocks(self, container: etree._Element) -> Iterator[ParsedParagraph]:
        """Yield the paragraphs and table rows of a body, cell or text box, in order."""
        for child in _children(container):
            if child.tag == f"{_W}p":
                yield from self.paragraph(Paragraph(child, self.body))
            elif child.tag == f"{_W}tbl":
                yield from self.table(Table(child, self.body))

    def paragraph(self, paragraph: Paragraph) -> Iterator[ParsedParagraph]:
        style = paragraph.style.name if paragraph.style is not None else ""
        runs: list[Run] = []
        boxes: list[etree._Element] = []
        refs: list[tuple[str, str]] = []
        _inline(paragraph._p, paragraph, None, runs, boxes, refs)
        yield ParsedParagraph(tuple(runs), _heading_level(style), (style or "").startswith("List"))
        for box in boxes:
            for inner in self.blocks(box):
                yield replace(inner, standalone=True)
        yield from (self.note(k) for k in refs if k in self.notes and k not in self.placed)

    def table(self, table: Table) -> Iterator[ParsedParagraph]:
        """Yield one paragraph per row, "cell | cell"; merged cells are given once."""
        for row in table.rows:
            cells: list[str] = []
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    cells.append(" ".join(p.text for p in self.blocks(cell._tc)))
            yield ParsedParagraph((Run(" | ".join(cells)),), standalone=True)


def _inline(element: etree._Element, paragraph: Paragraph, link: str | None, runs: list[Run],
            boxes: list[etree._Element], refs: list[tuple[str, str]]) -> None:
    """Collect the runs of a paragraph, the text boxes drawn in it and the notes it cites."""
    for child in _children(element):
        if child.tag == f"{_W}r":
            runs.append(_run(DocxRun(child, paragraph), link))
            boxes += _text_boxes(child)
            refs += [(kind, str(ref.get(f"{_W}id"))) for kind in ("footnote", "endnote")
                     for ref in child.iter(f"{_W}{kind}Reference")]  # fmt: skip
        elif child.tag == f"{_W}hyperlink":
            url = Hyperlink(child, paragraph).url or None
            _inline(child, paragraph, url, runs, boxes, refs)


def _text_boxes(element: etree._Element) -> list[etree._Element]:
    """Return the contents of the text boxes drawn in `element` (one branch of each
    mc:AlternateContent only, so a box Word also saved as VML is read once)."""
    found: list[etree._Element] = []
    for child in _children(element):
        if child.tag == f"{_W}txbxContent":
            found.append(child)
        else:
            found += _text_boxes(child)
    return found


def _run(run: DocxRun, link: str | None) -> Run:
    style_font = run.style.font if run.style is not None else None
    bold = run.bold if run.bold is not None else bool(style_font and style_font.bold)
    italic = run.italic if run.italic is not None else bool(style_font and style_font.italic)
    return Run(_run_text(run._r), bool(bold), bool(italic), link)


def _run_text(run: etree._Element) -> str:
    """Return a run's text with Word's special characters as the characters they are (python-
    docx drops soft hyphens and makes non-breaking ones plain)."""
    out: list[str] = []
    for child in run:
        tag = child.tag
        if tag == f"{_W}t":
            out.append(child.text or "")
        else:
            out.append(_SPECIAL.get(tag, ""))
    return "".join(out)


def _heading_level(name: str | None) -> int | None:
    if name == "Title":
        return 1
    match = _HEADING_STYLE.match(name or "")
    return min(int(match.group(1)), 6) if match else None


def _notes(document: Document) -> dict[tuple[str, str], str]:
    """Return the text of each footnote and endnote by ("footnote" or "endnote", id)."""
    notes: dict[tuple[str, str], str] = {}
    for rel in document.part.rels.values():
        if rel.reltype not in (RT.FOOTNOTES, RT.ENDNOTES) or rel.is_external:
            continue
        kind = "footnote" if rel.reltype == RT.FOOTNOTES else "endnote"
        for note in etree.fromstring(rel.target_part.blob):
            if note.get(f"{_W}type") not in (None, "normal"):
                continue  # separators
            text = " ".join(_plain_text(p) for p in note.iter(f"{_W}p"))
            if text.strip():
                notes[(kind, str(note.get(f"{_W}id")))] = text
    return notes


def _plain_text(paragraph: etree._Element) -> str:
    """Return the text of a paragraph's runs (tracked deletions left out)."""
    return "".join(_run_text(child) for child in _children(paragraph) if child.tag == f"{_W}r")
