"""Word documents (.docx) with python-docx: body paragraphs and tables in order, headings by
style, bold and italic runs, links, then footnotes and endnotes. The zip package is checked
first, so a damaged file or a zip bomb is refused before anything is unpacked."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

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
from briefing.ingest.model import IngestError, ParsedParagraph, first_line

MAX_UNPACKED = 512 * 1024 * 1024  # bytes all parts may expand to
MAX_RATIO = 200  # a part expanding more than this many times (and > 1 MB) is a zip bomb
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título|titolo)\s*(\d)$", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPECIAL = {
    f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "\u2011", f"{_W}softHyphen": "\u00ad",
}


def parse(data: bytes) -> list[ParsedParagraph]:
    check_package(data)
    try:
        document = docx.Document(BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile,
            etree.XMLSyntaxError) as exc:
        raise IngestError(f"damaged Word document ({first_line(exc)})") from None
    return [*_body(document), *_notes(document)]


def check_package(data: bytes) -> None:
    """Refuse `data` unless it is a zip holding word/document.xml that unpacks to a sane size;
    sizes are both read from the directory and counted while unpacking, so lies are caught."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            infos = package.infolist()
            if "word/document.xml" not in package.namelist():
                raise IngestError("not a Word document (no word/document.xml in the package)")
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
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
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


def _body(document: Document) -> list[ParsedParagraph]:
    paragraphs: list[ParsedParagraph] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            paragraphs += _table(block)
        else:
            style = block.style.name if block.style is not None else ""
            paragraphs.append(ParsedParagraph(
                _runs(block), _heading_level(style), (style or "").startswith("List")
            ))
    return paragraphs


def _runs(paragraph: Paragraph) -> tuple[Run, ...]:
    runs: list[Run] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            runs += (_run(r, item.url or None) for r in item.runs)
        else:
            runs.append(_run(item, None))
    return tuple(runs)


def _run(run: DocxRun, link: str | None) -> Run:
    style_font = run.style.font if run.style is not None else None
    bold = run.bold if run.bold is not None else bool(style_font and style_font.bold)
    italic = run.italic if run.italic is not None else bool(style_font and style_font.italic)
    return Run(_run_text(run), bool(bold), bool(italic), link)


def _run_text(run: DocxRun) -> str:
    """Return a run's text with Word's special characters as the characters they are (python-
    docx drops soft hyphens and makes non-breaking ones plain)."""
    out: list[str] = []
    for child in run._r:
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


def _table(table: Table) -> list[ParsedParagraph]:
    """Return one paragraph per row, "cell | cell"; merged cells are given once."""
    rows: list[ParsedParagraph] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(" ".join(p.text for p in cell.paragraphs))
        rows.append(ParsedParagraph((Run(" | ".join(cells)),), standalone=True))
    return rows


def _notes(document: Document) -> list[ParsedParagraph]:
    """Return footnotes and endnotes as paragraphs "[n] text", in order."""
    notes: list[ParsedParagraph] = []
    for rel in document.part.rels.values():
        if rel.reltype not in (RT.FOOTNOTES, RT.ENDNOTES) or rel.is_external:
            continue
        root = etree.fromstring(rel.target_part.blob)
        for note in root:
            if note.get(f"{_W}type") not in (None, "normal"):
                continue  # separators
            text = "".join(t.text or "" for t in note.iter(f"{_W}t"))
            if text.strip():
                notes.append(ParsedParagraph((Run(f"[{note.get(f'{_W}id')}] {text}"),)))
    return notes
