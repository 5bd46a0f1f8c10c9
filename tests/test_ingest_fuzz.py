"""Fuzzing the parsers: random bytes under every extension, and real Word, PDF and HTML files
(made here) cut short or with bytes changed, each either import or are refused with a
one-line reason (an InputError), never anything else. The same examples run each time (100
per test, a few seconds); BRIEFING_FUZZ=N runs N fresh random ones per test to hunt."""

from __future__ import annotations

import functools
import io
import os
import zipfile
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas

from briefing.errors import BriefingError, InputError
from briefing.ingest import SUPPORTED, ParsedSource, parse_file

HUNT = int(os.environ.get("BRIEFING_FUZZ", "0"))
FUZZ = settings(
    max_examples=HUNT or 100,
    deadline=None,  # a PDF now and then takes a while; the suite's time is what counts
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
    derandomize=not HUNT,  # the same examples every run: a failure here is a real crash
    database=None,
)
TEXT = [
    "Joint press statement",
    "7th Japan-EU High-Level Economic Dialogue, Brussels, 7 May 2026",
    "Both sides discussed **steel** overcapacity, economic coercion and export controls.",
]


@functools.cache
def samples() -> dict[str, bytes]:
    """A small real file of each kind: Word (with a table), PDF (two pages) and HTML."""
    document = docx.Document()
    document.add_heading(TEXT[0], 1)
    for line in TEXT[1:]:
        document.add_paragraph(line).add_run(" bold").bold = True
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Steel"
    word = io.BytesIO()
    document.save(word)

    pdfs = {}
    for compression in (0, 1):  # content streams as text, and deflated
        pdf = io.BytesIO()
        page = canvas.Canvas(pdf, pagesize=A5, pageCompression=compression)
        for number in range(2):
            y = 500.0
            for i, line in enumerate(TEXT * 2):
                page.setFont("Helvetica-Bold" if i == number else "Helvetica", 10)
                page.drawString(40, y, f"{line[:50]} ({number}.{i})")
                y -= 14
            page.showPage()
        page.save()
        pdfs[compression] = pdf.getvalue()

    html = (
        "<!DOCTYPE html><html><head><title>EU–Japan</title><style>p{}</style></head><body>"
        f"<h1>{TEXT[0]}</h1><p>{TEXT[1]}</p><p><b>Steel</b> and <a href='x'>links</a></p>"
        "<table><tr><td>a</td><td>b</td></tr></table><script>x()</script></body></html>"
    )
    return {".docx": word.getvalue(), ".pdf": pdfs[0], "deflated.pdf": pdfs[1],
            ".html": html.encode()}


KINDS = st.sampled_from(sorted(samples()))


def check(path: Path, data: bytes) -> None:
    """Parse `data` as the file `path`: a source, or an InputError with a one-line reason."""
    path.write_bytes(data)
    try:
        parsed = parse_file(path)
    except BriefingError as exc:
        assert isinstance(exc, InputError)
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(parsed, ParsedSource) and parsed.paragraphs


def test_the_samples_import(tmp_path: Path) -> None:
    for kind, data in samples().items():
        path = tmp_path / f"sample{kind}"
        path.write_bytes(data)
        assert parse_file(path).paragraphs


@FUZZ
@given(suffix=st.sampled_from(sorted(SUPPORTED)), data=st.binary(min_size=1, max_size=4096))
def test_random_bytes(tmp_path: Path, suffix: str, data: bytes) -> None:
    check(tmp_path / f"random{suffix}", data)


@FUZZ
@given(kind=KINDS, cut=st.floats(0, 1))
def test_truncated_files(tmp_path: Path, kind: str, cut: float) -> None:
    data = samples()[kind]
    check(tmp_path / f"cut{kind}", data[: int(len(data) * cut)])


def mutate(data: bytes, changes: list[tuple[float, int, int]]) -> bytes:
    """Apply each change: at a relative position, replace (0), insert (1) or delete (2) a
    byte."""
    out = bytearray(data)
    for where, how, value in changes:
        at = int(where * len(out)) if out else 0
        if how == 0 and at < len(out):
            out[at] = value
        elif how == 1:
            out.insert(at, value)
        elif at < len(out):
            del out[at]
    return bytes(out)


CHANGES = st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 2), st.integers(0, 255)),
    min_size=1, max_size=20,
)


@FUZZ
@given(kind=KINDS, changes=CHANGES)
def test_mutated_files(tmp_path: Path, kind: str, changes: list[tuple[float, int, int]]) -> None:
    check(tmp_path / f"mutated{kind}", mutate(samples()[kind], changes))


@FUZZ
@given(part=st.sampled_from(["word/document.xml", "word/_rels/document.xml.rels",
                             "[Content_Types].xml", "_rels/.rels", "word/styles.xml"]),
       changes=CHANGES)
def test_word_with_damaged_xml_in_a_sound_package(
    tmp_path: Path, part: str, changes: list[tuple[float, int, int]]
) -> None:
    """The zip is sound, so python-docx and lxml get to read the damaged XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(samples()[".docx"])) as package, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as damaged:
        for info in package.infolist():
            data = package.read(info)
            damaged.writestr(info.filename,
                             mutate(data, changes) if info.filename == part else data)
    check(tmp_path / "xml.docx", out.getvalue())
