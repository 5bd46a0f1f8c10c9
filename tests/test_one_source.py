"""One document, one source: the same text imported in four formats is one source."""

from __future__ import annotations

from pathlib import Path

import pytest
from readout import PARAGRAPHS, TITLE, markdown, write_all

from briefing.assemble import assemble
from briefing.cli import main
from briefing.document import Quote, plain
from briefing.duplicates import fingerprint, passage_key
from briefing.library import Library


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "readout"
    folder.mkdir()
    return write_all(folder)


def test_keys_ignore_case_accents_punctuation_quotes_and_dashes() -> None:
    assert passage_key("The EU’s — “steel”  measure, ŠEFČOVIČ") == passage_key(
        "the EU's - \"steel\" measure ŠEFCOVIC"
    )
    assert fingerprint(["One.", "Two"]) == fingerprint(["one two"])  # paragraph breaks: no matter


def test_four_formats_of_one_document_are_one_source(empty_library: Library, files) -> None:  # type: ignore[no-untyped-def]
    results = empty_library.import_paths(files)
    assert [r.status for r in results] == ["imported"] + ["same document"] * 3
    source_id = results[0].source_id
    assert {r.source_id for r in results} == {source_id}
    assert results[1].describe().endswith(
        f"same document as source {source_id} (“{TITLE}”); also imported as HTML"
    )
    [source] = empty_library.sources()
    assert source.formats == ("md", "html", "docx", "pdf")
    assert source.also_as() == "also imported as HTML, DOCX, PDF"
    # the same file again is still "already in library", whichever copy it is
    again = empty_library.import_paths(files[2:3])
    assert [r.status for r in again] == ["already in library"]


def test_a_near_duplicate_is_the_same_document(empty_library: Library, tmp_path: Path) -> None:
    empty_library.import_text(markdown(), "readout.md")
    edited = markdown().replace("before the summer", "before the end of July")
    result = empty_library.import_text(edited + "\nPage 1 of 1\n", "readout (edited).txt")
    assert result.status == "same document" and "also imported as TXT" in result.reason
    unrelated = "# Another readout\n\n" + "\n\n".join(p[::-1] for p in PARAGRAPHS)
    assert empty_library.import_text(unrelated, "other.md").status == "imported"
    assert len(empty_library.sources()) == 2


def test_separate_keeps_them_apart(empty_library: Library, files) -> None:  # type: ignore[no-untyped-def]
    results = empty_library.import_paths(files[:2], separate=True)
    assert [r.status for r in results] == ["imported", "imported"]
    assert [s.formats for s in empty_library.sources()] == [("md",), ("html",)]


def test_cli_import_separate_and_sources_list_formats(tmp_path: Path, files, capsys) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "cli.sqlite")
    assert main(["--db", db, "import", *map(str, files[:3])]) == 0
    out = capsys.readouterr().out
    assert "same document as source 1" in out
    assert main(["--db", db, "import", "--separate", str(files[3])]) == 0
    assert main(["--db", db, "sources"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()[-2:]
    assert "also imported as HTML, DOCX" in lines[0]
    assert "also imported" not in lines[1]


def test_a_text_in_two_sources_is_quoted_once(empty_library: Library, files) -> None:  # type: ignore[no-untyped-def]
    empty_library.import_paths(files, separate=True)
    assert len(empty_library.sources()) == 4
    pack = empty_library.new_pack(
        "P", meeting="M", date=None, marking="", topics=["steel", "coercion", "export controls"]
    )
    with empty_library.store.session() as session:
        document = assemble(session, pack)
    quotes = [passage_key(plain(b.runs)) for b in document.blocks if isinstance(b, Quote)]
    assert quotes and len(quotes) == len(set(quotes))
