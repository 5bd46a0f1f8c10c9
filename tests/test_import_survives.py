"""Imports survive anything (issue 14): odd runs, crashing parsers, every character kept."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from briefing import cli
from briefing.document import Run
from briefing.errors import log_path
from briefing.importer import ImportResult, store_parsed
from briefing.ingest import ParsedParagraph, ParsedSource, parse_file
from briefing.ingest.formats import PARSERS
from briefing.library import Library


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
