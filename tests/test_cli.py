"""The `briefing` command: the whole pipeline, its listings and its one-line errors."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefing.cli import build_parser, main

PACK_ARGS = [
    "pack",
    "new",
    "Japan–EU HLED brief",
    "--meeting",
    "8th Japan-EU HLED",
    "--date",
    "2026-05-07",
    "--marking",
    "OFFICIAL-SENSITIVE",
    "--topic",
    "steel",
    "--topic",
    "economic coercion",
    "--topic",
    "export controls",
    "--participant",
    "Maroš ŠEFČOVIČ",
]


def new_pack(title: str) -> list[str]:
    return ["pack", "new", title, "--meeting", "M", "--date", "2026-05-07", "--marking", "OFFICIAL"]


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(demo_store_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    path.write_bytes(demo_store_file.read_bytes())
    return path


def test_demo_is_idempotent(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "new" / "lib.sqlite"
    code, out, _ = run(capsys, db, "demo")
    assert code == 0 and "imported (" in out
    code, out, _ = run(capsys, db, "demo")
    assert code == 0 and "already in library" in out
    code, out, _ = run(capsys, db, "sources", "--json")
    [source] = json.loads(out)
    assert source["title"] == "7th Japan-EU High-Level Economic Dialogue"
    assert (source["date"], source["place"], source["kind"]) == (
        "2026-05-07",
        "Brussels",
        "joint statement",
    )


def test_listings(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = run(capsys, db, "topics")
    assert code == 0
    steel = next(line for line in out.splitlines() if line.startswith("steel "))
    assert "Steel and overcapacity" in steel and "3 passages" in steel
    code, out, _ = run(capsys, db, "sources")
    assert "2026-05-07" in out and "joint statement" in out


def test_pack_new_and_export_both_formats(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, db, *PACK_ARGS)
    assert (code, out.strip()) == (0, "1")
    code, out, _ = run(capsys, db, "packs", "--json")
    [pack] = json.loads(out)
    assert pack["title"] == "Japan–EU HLED brief" and pack["sections"] == 3

    pdf, word = tmp_path / "pack.pdf", tmp_path / "pack.docx"
    assert run(capsys, db, "export", "1", "-o", str(pdf))[0] == 0
    assert run(capsys, db, "export", "1", "-o", str(word))[0] == 0

    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Maroš ŠEFČOVIČ" in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "stronger global action is needed to tackle global steel overcapacity" in " ".join(
        text.split()
    )

    document = docx.Document(str(word))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "Maroš ŠEFČOVIČ" in cells  # in the people table (no annex: the user added none)
    assert "stronger global action is needed to tackle global steel overcapacity" in body
    headers = " ".join(p.text for s in document.sections for p in s.header.paragraphs)
    assert "OFFICIAL-SENSITIVE" in headers
    assert not list(tmp_path.glob(".pack*.part")), "no temporary file is left behind"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [*new_pack("T"), "--topic", "fisheries"],
            'no topic "fisheries"; topics are: steel',
        ),
        (
            [*new_pack("T"), "--topic", "economic"],
            'topic "economic" is ambiguous',
        ),
        (
            [*new_pack(" "), "--topic", "steel"],
            "a pack needs a title",
        ),
        (["export", "9", "-o", "x.pdf"], "no pack 9"),
        (
            [*PACK_ARGS, "--template", "fancy"],
            "no template 'fancy'; available: compact, ministerial",
        ),
        ([*PACK_ARGS, "--template", "/etc"], "'/etc' is not a template name"),
        (["pack", "edit", "1", "--template", "../ministerial"],
         "'../ministerial' is not a template name"),
        (["export", "1", "-o", "x.pdf", "--template", "/etc"], "'/etc' is not a template name"),
        (["export", "1", "-o", "/no/such/folder/x.pdf"], "/no/such/folder: no such folder"),
        (["export", "1", "-o", "pack.txt"], "cannot tell the format from the file name"),
        (["import", "/no/such/file.md"], "failed"),
    ],
)
def test_errors_are_one_line_and_non_zero(
    capsys: pytest.CaptureFixture[str], db: Path, args: list[str], message: str
) -> None:
    run(capsys, db, *PACK_ARGS)
    code, out, err = run(capsys, db, *args)
    assert code == 1
    assert message in out + err
    assert "Traceback" not in out + err
    assert len(err.strip().splitlines()) <= 1


def test_a_bad_library_file_is_one_line_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database")
    code, _, err = run(capsys, bad, "sources")
    assert code == 1
    assert err.strip() == f"briefing: error: {bad}: not a Briefing library (not an SQLite database)"
    assert bad.read_text() == "not a database"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "--db",
                str(db),
                *PACK_ARGS[:5],
                "--date",
                "7 May",
                "--marking",
                "X",
                "--topic",
                "steel",
            ]
        )
    assert exit_info.value.code == 2
    assert '"7 May" is not a date (use YYYY-MM-DD)' in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        ["templates"],
        [],
        ["demo"],
        ["import"],
        ["sources"],
        ["topics"],
        ["search"],
        ["pack"],
        ["pack", "new"],
        ["packs"],
        ["export"],
    ],
)
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: briefing" in capsys.readouterr().out


def all_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                yield from all_parsers(command)


def test_every_command_and_option_is_described() -> None:
    for parser in all_parsers(build_parser()):
        assert parser.description, parser.prog
        for action in parser._actions:
            if not isinstance(action, argparse._SubParsersAction):
                assert action.help, f"{parser.prog} {action.dest}"


def test_help_lists_import_formats_and_keeps_two_word_choices_whole(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    for command in (["import"], ["item", "add"]):
        with pytest.raises(SystemExit):
            main([*command, "--help"])
    out = capsys.readouterr().out
    assert all(f in out for f in ("txt", "md", "docx", "pdf", "html"))
    assert '"if asked"' in out.replace("\n", " ") and "{" not in out.split("--status")[0]


def test_a_library_in_a_missing_folder_must_be_made_with_init(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "typo" / "lib.sqlite"
    code, out, err = run(capsys, db, "sources")
    assert (code, out) == (1, "")
    assert err.strip() == (
        f"briefing: error: {db.parent}: no such folder;"
        " create a library with `briefing --db PATH init`"
    )
    assert not db.parent.exists()
    code, out, _ = run(capsys, db, "init")
    assert code == 0 and str(db) in out and db.exists()
    assert run(capsys, db, "sources")[0] == 0


def test_a_folder_import_skips_files_that_are_not_documents(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Steel overcapacity is a concern for both sides.\n")
    (folder / "tool.py").write_text("print('hi')\n")
    code, out, _ = run(capsys, tmp_path / "lib.sqlite", "import", str(folder))
    assert code == 0
    assert f"{folder / 'tool.py'}: skipped (not a document Briefing reads)" in out
    assert "a.txt: imported" in out
    code, out, _ = run(capsys, tmp_path / "lib.sqlite", "import", str(folder / "tool.py"))
    assert code == 1 and "failed: unsupported file type" in out  # named, so not skipped


def test_a_closed_pipe_ends_quietly(demo_store_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "lib.sqlite"
    db.write_bytes(demo_store_file.read_bytes())
    command = f"{sys.executable} -m briefing.cli --db {db} search steel --limit 50 | true"
    result = subprocess.run(command, shell=True, capture_output=True, text=True,
                            cwd=Path(__file__).parents[1])  # fmt: skip
    assert result.stderr == ""


def test_the_installed_command_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("briefing")
    result = subprocess.run(
        [str(script), "--db", str(tmp_path / "x.sqlite"), "topics", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(json.loads(result.stdout)) == 14


def test_topic_rules_can_be_shown_added_edited_and_removed(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    code, out, _ = run(capsys, db, "topic", "show", "steel")
    assert code == 0 and "match:   steel, overcapacit*" in out
    code, out, _ = run(
        capsys, db, "topic", "add", "robots", "--name", "Robotics", "--match", "robot*"
    )
    assert (code, out.strip()) == (0, "Robotics (robots): 1 passages tagged")
    code, out, _ = run(capsys, db, "topic", "edit", "robotics", "--add-match", "automobile*")
    assert (code, out.strip()) == (0, "Robotics (robots): 2 passages tagged")
    code, _, err = run(capsys, db, "topic", "edit", "robots", "--remove-match", "robot*",
                       "--remove-match", "automobile*")  # fmt: skip
    assert code == 1 and "needs at least one match rule" in err
    code, _, err = run(capsys, db, "topic", "add", "steel", "--name", "Steel", "--match", "x")
    assert code == 1 and 'a topic "Steel and overcapacity" (steel) exists already' in err
    assert run(capsys, db, "topic", "remove", "robots")[1].strip() == "removed Robotics"
    code, out, _ = run(capsys, db, "topics", "--json")
    assert "robots" not in [t["key"] for t in json.loads(out)]


def test_items_are_added_listed_and_drafts_stop_an_export(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    body = "We **welcome** talks on steel quotas & tariffs."
    args = ["--kind", "line to take", "--title", "Tariffs <&>", "--body", body]
    code, out, _ = run(capsys, db, "item", "add", *args)
    assert code == 0
    item_id = out.strip()
    code, out, _ = run(capsys, db, "items", "--topic", "steel", "--json")
    [new] = [i for i in json.loads(out) if str(i["id"]) == item_id]
    assert (new["title"], new["status"]) == ("Tariffs <&>", "draft")

    run(capsys, db, *PACK_ARGS)
    code, out, _ = run(capsys, db, "pack", "show", "1")
    assert code == 0 and f"item {item_id}: Tariffs <&>" in out

    pdf = tmp_path / "pack.pdf"
    code, _, err = run(capsys, db, "export", "1", "-o", str(pdf))
    assert code == 1 and "“Tariffs <&>” is still a draft" in err and "use --force" in err
    assert not pdf.exists()
    assert run(capsys, db, "pack", "overrides", "1")[1] == "pack 1: no overrides recorded\n"
    assert run(capsys, db, "export", "1", "-o", str(pdf), "--force", "--by", "J. Smith")[0] == 0
    code, out, _ = run(capsys, db, "pack", "overrides", "1", "--json")
    [override] = json.loads(out)
    assert (override["action"], override["level"], override["by"]) == (
        "export", "OFFICIAL-SENSITIVE", "J. Smith"
    )
    assert any("“Tariffs <&>” is still a draft" in line for line in override["findings"])
    pages = PdfReader(pdf).pages
    assert len(pages) > 1 and all("DRAFT" in page.extract_text() for page in pages)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())  # fmt: skip
    assert "Tariffs <&> – We welcome talks on steel quotas & tariffs." in text  # title run in


def test_item_add_reports_an_unreadable_body_file(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    code, _, err = run(capsys, db, "item", "add", "--kind", "risk", "--title", "x",
                       "--body-file", "/no/such/body.md")  # fmt: skip
    assert code == 1 and "/no/such/body.md: cannot read (No such file or directory)" in err


def test_search_folds_accents_filters_and_never_fails_on_what_users_type(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    code, out, _ = run(capsys, db, "search", "sefcovic")
    assert code == 0 and "¶3: " in out and "[ŠEFČOVIČ]" in out
    code, out, _ = run(
        capsys, db, "search", '"export restrictions"', "--topic", "minerals", "--json"
    )
    hits = json.loads(out)
    assert {h["kind"] for h in hits} == {"passage", "item"}
    assert all("export" in h["snippet"].lower() for h in hits)
    assert run(capsys, db, "search", "steel", "--from", "2026-06-01", "--json")[1].strip() == "[]"
    for nasty in ['"', "(", "AND", "*", "-", "NEAR(", ":", "steel OR", "a'b"]:
        code, _, err = run(capsys, db, "search", nasty)
        assert code == 0, (nasty, err)
    code, _, err = run(capsys, db, "search", "steel", "--kind", "tweet")
    assert code == 1 and 'no source kind "tweet"; kinds are: joint statement' in err


def test_a_locked_library_is_a_one_line_error(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    import sqlite3

    from db import store

    blocker = sqlite3.connect(db, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(store, "BUSY_TIMEOUT_MS", 100)
            code, _, err = run(capsys, db, "topic", "add", "x", "--name", "X", "--match", "x")
    finally:
        blocker.rollback()
        blocker.close()
    assert code == 1 and "Traceback" not in err
    assert err.startswith("briefing: error: ") and "locked" in err
