"""Imports survive anything (issue 14): odd runs, crashing parsers, every character kept."""

from __future__ import annotations

import errno
import sqlite3
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from briefing import cli
from briefing.document import Run
from briefing.errors import log_path
from briefing.importer import ImportResult, store_parsed
from briefing.ingest import ParsedParagraph, ParsedSource, parse_file
from briefing.ingest.formats import PARSERS
from briefing.library import Library
from db.text import fold


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- same-style runs separated by spaces ------------------------------------------------


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("bold.md", "Steel: **a** **b** **c**\n",
     (Run("Steel: "), Run("a b c", bold=True))),
    ("bold.html", "<p>Steel: <b>a</b> <b>b</b> <b>c</b></p>",
     (Run("Steel: "), Run("a b c", bold=True))),
    ("links.md", "Steel: [a](https://x.org) [b](https://x.org) [c](https://x.org)\n",
     (Run("Steel: "), Run("a b c", link="https://x.org"))),
    ("links.html", '<p>Steel: <a href="https://x.org">a</a> <a href="https://x.org">b</a>'
     ' <a href="https://x.org">c</a> and <i>d</i> <i>e</i></p>',
     (Run("Steel: "), Run("a b c", link="https://x.org"), Run(" and "),
      Run("d e", italic=True))),
])
def test_runs_of_one_style_separated_by_spaces(
    tmp_path: Path, name: str, text: str, expected: tuple[Run, ...]
) -> None:
    [paragraph] = parse_file(write(tmp_path / name, text)).paragraphs
    assert paragraph.runs == expected


# -- one file's failure is that file's alone --------------------------------------------


def three_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "batch"
    folder.mkdir()
    return [
        write(folder / "a.txt", "Steel overcapacity is discussed at length by the Ministers."),
        write(folder / "b.md", "# Crashes the parser\n\nWhatever it holds."),
        write(folder / "c.txt", "Export controls on critical minerals were raised."),
    ]


def crash(data: bytes) -> list[ParsedParagraph]:
    raise RuntimeError("parser bug " + data[:5].decode())


def test_a_crashing_parser_fails_its_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = three_files(tmp_path)
    monkeypatch.setenv("BRIEFING_PARSE_WORKERS", "0")  # parse here, where the crash is patched in
    monkeypatch.setitem(PARSERS, ".md", crash)
    code = cli.main(["--db", str(tmp_path / "lib.sqlite"), "import", str(files[0].parent)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [
        f"{files[0]}: imported (1 passages)",
        f"{files[1]}: failed: could not read (internal error)",
        f"{files[2]}: imported (1 passages)",
    ]
    assert "Traceback" not in out + err
    log = log_path()
    assert f"details of the internal errors are in {log}" in err
    assert "Traceback" in log.read_text() and "RuntimeError: parser bug # Cra" in log.read_text()
    with Library(tmp_path / "lib.sqlite") as library:
        assert len(library.sources()) == 2
    assert cli.main(["--db", str(tmp_path / "lib.sqlite"), "import", str(files[0])]) == 0


@pytest.mark.parametrize("failure", [
    OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")),
    OSError(errno.ENOSPC, "No space left on device"),
])
def test_a_full_disk_stops_the_batch_and_reports_what_was_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    files = three_files(tmp_path)
    files[1] = write(files[1], "A second readout on batteries.")
    stored = 0

    def store_or_fail(session: Session, parsed: ParsedSource, **kw: bool) -> ImportResult:
        nonlocal stored
        if stored:
            raise failure
        stored += 1
        return store_parsed(session, parsed, **kw)

    monkeypatch.setattr("briefing.library.store_parsed", store_or_fail)
    with Library(tmp_path / "lib.sqlite") as library:
        results = library.import_paths([files[0].parent])
        assert [(r.status, r.reason) for r in results] == [
            ("imported", ""),
            ("failed", "cannot write: the disk is full"),
            ("failed",
             "not imported: the import stopped at b.md (cannot write: the disk is full)"),
        ]
        assert [s.title for s in library.sources()] == [
            "Steel overcapacity is discussed at length by the Ministers."]


def test_the_import_summary_names_the_log_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.import_summary import ImportSummary

    internal = ImportResult("/x/b.md", "failed", reason="could not read (internal error)",
                            log="/logs/briefing.log")  # fmt: skip
    dialog = ImportSummary([ImportResult("/x/a.txt", "imported", 3), internal, internal])
    qtbot.addWidget(dialog)
    assert dialog.headline.text().count("/logs/briefing.log") == 1
    assert dialog.table.topLevelItemCount() == 3


# -- every character kept -----------------------------------------------------------------

KEPT = {
    "joiner": "A scientist 👩🏽\u200d🔬 and a non\u200cjoiner",
    "zero-width space": "export\u200bcontrols",
    "no-break space": "10\u00a0km and 5\u202f%",
    "separators": "one line\u2028another\u2029a paragraph",
    "soft hyphen": "ste\u00adel over\u00adcapacity",
    "non-breaking hyphen": "co\u2011chairs and a word\u2060joiner",
}


def write_kept(tmp_path: Path, fmt: str, text: str) -> Path:
    path = tmp_path / f"chars.{fmt}"
    match fmt:
        case "docx":
            document = docx.Document()
            document.add_paragraph(text)
            document.save(str(path))
        case "html":
            write(path, f"<html><body><p>{text}</p></body></html>")
        case _:
            write(path, text + "\n")
    return path


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "docx"])
@pytest.mark.parametrize("what", list(KEPT))
def test_every_character_is_kept(tmp_path: Path, fmt: str, what: str) -> None:
    text = KEPT[what] + " stays."
    with Library(tmp_path / "lib.sqlite") as library:
        [result] = library.import_paths([write_kept(tmp_path, fmt, text)])
        assert result.status == "imported", result.reason
        [passage] = library.passages(result.source_id or 0)
    assert passage.text == text


def test_control_characters_go_and_spacing_ones_become_spaces(tmp_path: Path) -> None:
    padding = "Readout of the meeting of trade ministers held in Brussels. " * 5
    path = write(tmp_path / "c.txt", padding + "a\x07b\tc\x0bd\x1fe\u0085f\x7fg")
    [paragraph] = parse_file(path).paragraphs
    assert paragraph.text == padding + "ab c d e fg"


def test_word_soft_and_non_breaking_hyphens_are_characters(tmp_path: Path) -> None:
    document = docx.Document()
    run = document.add_paragraph().add_run("ste")
    for tag, then in (("softHyphen", "el co"), ("noBreakHyphen", "chairs")):
        run._r.append(run._r.makeelement(qn(f"w:{tag}"), {}))
        run._r.append(text := run._r.makeelement(qn("w:t"), {}))
        text.text = then
    document.save(str(tmp_path / "h.docx"))
    [paragraph] = parse_file(tmp_path / "h.docx").paragraphs
    assert paragraph.text == "ste\u00adel co\u2011chairs"


def test_matching_ignores_what_import_keeps(tmp_path: Path) -> None:
    assert fold("STE\u00adEL\u00a0OVER\u200bCAPACITY\u2028Š") == "steel overcapacity s"
    with Library(tmp_path / "lib.sqlite") as library:
        path = write(tmp_path / "s.txt", "Ministers discussed ste\u00adel over\u00adcapacity.")
        [result] = library.import_paths([path])
        [passage] = library.passages(result.source_id or 0)
        hits = [h.id for h in library.search("steel overcapacity") if h.kind == "passage"]
        ids = [h.id for h in library.search("Ministers") if h.kind == "passage"]
    assert passage.text == "Ministers discussed ste\u00adel over\u00adcapacity."
    assert "Steel and overcapacity" in passage.topics
    assert hits == [passage.id] == ids


# -- Word in full -------------------------------------------------------------------------

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
}


def word(tmp_path: Path, *blocks: str, name: str = "w.docx") -> Path:
    """Save a Word document whose body holds `blocks` (raw WordprocessingML)."""
    document = docx.Document()
    body = document.element.body
    declarations = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
    for block in blocks:
        wrapper = etree.fromstring(f"<w:body {declarations}>{block}</w:body>")
        for element in wrapper:
            body.insert(len(body) - 1, element)  # before the section properties
    document.save(str(tmp_path / name))
    return tmp_path / name


def p(*inline: str) -> str:
    return "<w:p>" + "".join(inline) + "</w:p>"


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def texts(path: Path) -> list[str]:
    return [para.text for para in parse_file(path).paragraphs]


def test_word_text_box_is_read_once_though_saved_twice(tmp_path: Path) -> None:
    box = p(r("Inside the box."))
    drawing = (
        "<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wp:anchor>"
        "<a:graphic><a:graphicData><wps:wsp><wps:txbx>"
        f"<w:txbxContent>{box}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    path = word(tmp_path, p(r("The host paragraph"), drawing), p(r("continues here.")))
    assert texts(path) == ["The host paragraph", "Inside the box.", "continues here."]


def test_word_nested_content_controls_are_read(tmp_path: Path) -> None:
    def sdt(content: str) -> str:
        return f"<w:sdt><w:sdtPr/><w:sdtContent>{content}</w:sdtContent></w:sdt>"

    cell = f"<w:tc>{sdt(p(r('in a cell control')))}</w:tc><w:tc>{p(r('plain'))}</w:tc>"
    path = word(
        tmp_path,
        sdt(p(r("Outer control.")) + sdt(p(r("Nested control.")))),
        p(r("Before "), sdt(r("inline ") + sdt(r("nested"))), r(" after.")),
        f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{cell}</w:tr></w:tbl>",
    )
    assert texts(path) == [
        "Outer control.", "Nested control.", "Before inline nested after.",
        "in a cell control | plain",
    ]


def test_word_tracked_changes_keep_insertions_and_drop_deletions(tmp_path: Path) -> None:
    path = word(tmp_path, p(
        r("Steel "),
        '<w:ins w:id="1" w:author="A">' + r("overcapacity ") + "</w:ins>",
        '<w:del w:id="2" w:author="A"><w:r><w:delText>was deleted </w:delText></w:r></w:del>',
        r("matters."),
    ))
    assert texts(path) == ["Steel overcapacity matters."]


def test_word_comments_are_left_out(tmp_path: Path) -> None:
    document = docx.Document()
    run = document.add_paragraph().add_run("Ministers discussed steel.")
    document.add_comment(run, text="A reviewer's remark", author="R")
    document.save(str(tmp_path / "c.docx"))
    assert texts(tmp_path / "c.docx") == ["Ministers discussed steel."]


def test_word_main_part_is_found_through_the_relationships(tmp_path: Path) -> None:
    source = word(tmp_path, p(r("From the main part.")))
    renamed = tmp_path / "renamed.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(renamed, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            name = info.filename.replace("word/document.xml", "word/main.xml").replace(
                "word/_rels/document.xml.rels", "word/_rels/main.xml.rels")
            if info.filename in ("_rels/.rels", "[Content_Types].xml"):
                data = data.replace(b"word/document.xml", b"word/main.xml")
            new.writestr(name, data)
    with zipfile.ZipFile(renamed) as package:
        assert "word/document.xml" not in package.namelist()
    assert texts(renamed) == ["From the main part."]


def test_word_footnotes_follow_the_paragraph_citing_them(tmp_path: Path) -> None:
    from test_ingest_rules import with_footnote

    document = docx.Document()
    cited = document.add_paragraph("Steel quotas apply")
    cited._p.append(etree.fromstring(
        f'<w:r xmlns:w="{NS["w"]}"><w:footnoteReference w:id="1"/></w:r>'))
    cited.add_run(" until 2026.")
    document.add_paragraph("the next paragraph is not joined to the note.")
    path = with_footnote(document, tmp_path / "n.docx", "Council Regulation 2019/159.")
    assert texts(path) == [
        "Steel quotas apply until 2026.",
        "[1] Council Regulation 2019/159.",
        "the next paragraph is not joined to the note.",
    ]
