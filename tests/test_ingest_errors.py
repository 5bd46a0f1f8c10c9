"""Every bad input gets a one-line reason; text in any of the usual encodings is read right."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter
from test_ingest_formats import write_docx, write_pdf

from briefing.ingest import IngestError, parse_file, parse_text

TEXT = "Maroš ŠEFČOVIČ met Stéphane SÉJOURNÉ in Brussels."


def reason(path: Path) -> str:
    with pytest.raises(IngestError) as caught:
        parse_file(path)
    assert "\n" not in str(caught.value)
    return str(caught.value)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t "])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    assert reason(write(tmp_path / "empty.txt", data)) == "empty file"


def test_binary_named_txt(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    assert reason(write(tmp_path / "image.txt", png)) == "binary content, not text"
    noise = bytes((i * 37 + 11) % 256 for i in range(4000)).replace(b"\x00", b"\x01")
    assert reason(write(tmp_path / "noise.txt", noise)) == "binary content, not text"


def test_undecodable_text(tmp_path: Path) -> None:
    path = write(tmp_path / "odd.txt", "Café ".encode("cp1252") + b"\x81\x8d\x90")
    assert reason(path) == (
        "cannot decode the text (its encoding is not recognised; save it as UTF-8)"
    )


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (TEXT, "utf-8"),
        (TEXT, "utf-8-sig"),
        (TEXT, "utf-16"),  # with a BOM
        (TEXT, "utf-16-le"),  # without a BOM
        ("Maroš ŠEFCOVIC and Stéphane SÉJOURNÉ – “quoted”.", "cp1252"),  # Š is 0x8A there
    ],
)
def test_encodings(tmp_path: Path, text: str, encoding: str) -> None:
    path = write(tmp_path / "note.txt", text.encode(encoding))
    assert parse_file(path).paragraphs[0].text == text


def test_unsupported_type(tmp_path: Path) -> None:
    assert reason(write(tmp_path / "sheet.xlsx", b"PK")).startswith(
        "unsupported file type '.xlsx' (supported: .docx, .htm, .html"
    )
    assert reason(write(tmp_path / "README", b"x")).startswith("unsupported file type 'README'")


def test_file_vanished(tmp_path: Path) -> None:
    assert reason(tmp_path / "gone.pdf") == "file not found (moved or deleted?)"


def test_docx_not_a_zip(tmp_path: Path) -> None:
    path = write(tmp_path / "letter.docx", b"This is not a Word document at all.")
    assert reason(path) == "not a Word document (not a valid .docx zip package)"


def test_docx_truncated(tmp_path: Path) -> None:
    data = write_docx(tmp_path / "full.docx").read_bytes()
    path = write(tmp_path / "cut.docx", data[: len(data) // 2])
    assert reason(path) == "not a Word document (not a valid .docx zip package)"


def test_zip_without_document(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("hello.txt", "hello")
    path = write(tmp_path / "other.docx", buffer.getvalue())
    assert reason(path) == "not a Word document (no word/document.xml in the package)"


def test_zip_bomb(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"\x00" * (64 * 2**20))
    assert len(buffer.getvalue()) < 2**20
    path = write(tmp_path / "bomb.docx", buffer.getvalue())
    assert reason(path) == "refused: the Word package would unpack to 64 MB (a zip bomb?)"


def test_docx_damaged_inside(tmp_path: Path) -> None:
    source = zipfile.ZipFile(write_docx(tmp_path / "good.docx"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for info in source.infolist():
            data = source.read(info)
            package.writestr(info, b"<w:document" if info.filename == "word/document.xml" else data)
    assert reason(write(tmp_path / "bad.docx", buffer.getvalue())).startswith(
        "damaged Word document ("
    )


def test_pdf_truncated(tmp_path: Path) -> None:
    data = write_pdf(tmp_path / "full.pdf").read_bytes()
    path = write(tmp_path / "cut.pdf", data[: len(data) * 2 // 3])
    assert reason(path) == "truncated PDF (the end of the file is missing)"


def test_pdf_encrypted(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=write_pdf(tmp_path / "open.pdf"))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    with (tmp_path / "locked.pdf").open("wb") as fh:
        writer.write(fh)
    assert reason(tmp_path / "locked.pdf") == (
        "encrypted PDF: remove the password and import it again"
    )


def test_pdf_with_an_empty_password_opens(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=write_pdf(tmp_path / "open.pdf"))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    with (tmp_path / "restricted.pdf").open("wb") as fh:
        writer.write(fh)
    assert len(parse_file(tmp_path / "restricted.pdf").paragraphs) == 16


def test_not_a_pdf(tmp_path: Path) -> None:
    assert reason(write(tmp_path / "fake.pdf", b"<html>hello</html>")) == "not a PDF file"


def test_pdf_without_text(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    with (tmp_path / "scan.pdf").open("wb") as fh:
        writer.write(fh)
    assert reason(tmp_path / "scan.pdf") == (
        "no text found in the PDF (a scan? text recognition is not supported)"
    )


def test_html_without_text(tmp_path: Path) -> None:
    page = b"<html><script>alert(1)</script><nav>Menu</nav><p> </p></html>"
    assert reason(write(tmp_path / "page.html", page)) == "no text found (the document is empty)"


def test_empty_pasted_text() -> None:
    with pytest.raises(IngestError, match=r"^no text to import$"):
        parse_text(" \n ")


def test_a_10_mb_paragraph_imports(tmp_path: Path) -> None:
    words = "steel overcapacity ŠEFČOVIČ tariff-rate quota (TRQ) " * 200_000
    path = write(tmp_path / "huge.txt", words.encode("utf-8"))
    assert path.stat().st_size > 10 * 2**20
    source = parse_file(path)
    assert len(source.paragraphs) == 1
    assert source.paragraphs[0].text == words.strip()
