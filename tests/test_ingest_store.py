"""Importing into a library: whole documents or nothing, duplicates are no-ops, people merge
across sources, and a bad file in a batch leaves the store as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE
from sqlalchemy import func, select, text
from test_ingest_formats import write_docx, write_pdf

import briefing.importer
from briefing.errors import BriefingError
from briefing.library import Library
from db.models import Base, GlossaryTerm, Person, Source

TABLES = [t.name for t in Base.metadata.sorted_tables] + ["passage_fts", "source_fts"]


def counts(library: Library) -> dict[str, int]:
    with library.store.session() as session:
        return {t: session.scalar(text(f"SELECT count(*) FROM {t}")) or 0 for t in TABLES}


def bad_files(folder: Path) -> list[Path]:
    """One file for each kind of bad input."""
    folder.mkdir(exist_ok=True)
    pdf = write_pdf(folder.parent / "full.pdf").read_bytes()
    files = {
        "empty.txt": b"",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "odd.txt": b"caf\xe9 \x81\x8d",
        "letter.docx": b"not a zip",
        "cut.pdf": pdf[: len(pdf) // 2],
        "image.png": b"\x89PNG",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files] + [folder / "vanished.md"]


def test_import_the_sample(empty_library: Library) -> None:
    [result] = empty_library.import_paths([SAMPLE])
    assert (result.status, result.passages) == ("imported", 16)
    with empty_library.store.session() as session:
        source = session.scalars(select(Source)).one()
        assert (source.title, source.place, source.kind.value, str(source.date)) == (
            "7th Japan-EU High-Level Economic Dialogue", "Brussels", "joint statement",
            "2026-05-07")
        assert [p.seq for p in source.passages] == list(range(1, 17))
        assert source.passages[2].runs[1] == ["7th High-Level Economic Dialogue", "b"]
        people = {p.family_name: p for p in source.people}
        assert set(people) == {"SÉJOURNÉ", "ŠEFČOVIČ", "AKAZAWA", "HORII"}
        assert people["AKAZAWA"].name == "AKAZAWA Ryosei"
        assert (people["ŠEFČOVIČ"].organisation, people["ŠEFČOVIČ"].side) == (
            "European Commission", "EU")
        terms = set(session.scalars(select(GlossaryTerm.term)))
        assert {"EIB", "JBIC", "CRMA", "CPTPP", "GX", "HLED", "WTO", "G7", "MoU", "JETRO",
                "EPA"} <= terms


def test_same_content_is_a_no_op(empty_library: Library, tmp_path: Path) -> None:
    empty_library.import_paths([SAMPLE])
    before = counts(empty_library)
    copy = shutil.copy(SAMPLE, tmp_path / "copy.md")
    [result] = empty_library.import_paths([Path(copy)])
    assert result.status == "already in library"
    assert result.describe().endswith(": already in library")
    assert counts(empty_library) == before


def test_people_are_one_record_across_sources(empty_library: Library, tmp_path: Path) -> None:
    files = [SAMPLE, write_docx(tmp_path / "sample.docx")]
    results = empty_library.import_paths(files, separate=True)  # kept as two sources
    assert [r.status for r in results] == ["imported", "imported"]
    with empty_library.store.session() as session:
        people = list(session.scalars(select(Person)))
        assert len(people) == 4
        assert all(len(p.sources) == 2 for p in people)


def test_bad_inputs_leave_the_store_unchanged(empty_library: Library, tmp_path: Path) -> None:
    empty_library.import_paths([SAMPLE])
    before = counts(empty_library)
    results = empty_library.import_paths(bad_files(tmp_path / "bad"))
    reasons = {Path(r.path).name: r.reason for r in results}
    assert all(r.status == "failed" for r in results)
    assert reasons == {
        "empty.txt": "empty file",
        "binary.txt": "binary content, not text",
        "odd.txt": "cannot decode the text (its encoding is not recognised; save it as UTF-8)",
        "letter.docx": "not a Word document (not a valid .docx zip package)",
        "cut.pdf": "truncated PDF (the end of the file is missing)",
        "image.png": reasons["image.png"],
        "vanished.md": "file not found (moved or deleted?)",
    }
    assert reasons["image.png"].startswith("unsupported file type '.png'")
    assert counts(empty_library) == before


def test_a_batch_with_bad_files_imports_the_rest(empty_library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    bad_files(folder)
    shutil.copy(SAMPLE, folder / "sample.md")
    (folder / "sub").mkdir()
    write_pdf(folder / "sub" / "statement.pdf")
    (folder / ".hidden.txt").write_text("hidden")
    results = empty_library.import_paths([folder])
    statuses = {Path(r.path).name: r.status for r in results}
    assert statuses.pop("sample.md") == "imported"
    assert statuses.pop("statement.pdf") == "same document"  # the sample's text, as PDF
    assert ".hidden.txt" not in statuses
    assert statuses.pop("image.png") == "skipped"  # in a folder: not a document, not a failure
    assert set(statuses.values()) == {"failed"}
    assert counts(empty_library)["source"] == 1
    assert counts(empty_library)["source_copy"] == 1


def test_a_file_that_vanishes_mid_import(empty_library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    first, second = shutil.copy(SAMPLE, folder / "a.md"), folder / "b.txt"
    second.write_text("A note on steel.", "utf-8")

    def progress(done: int, total: int, message: str) -> None:
        if done == 1:
            second.unlink()

    results = empty_library.import_paths([folder], progress)
    assert [(Path(r.path).name, r.status) for r in results] == [
        (Path(first).name, "imported"), ("b.txt", "failed")]
    assert results[1].reason == "file not found (moved or deleted?)"


def test_a_failure_while_storing_rolls_back(
    empty_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts(empty_library)

    def fail(*args: object, **kwargs: object) -> None:
        raise BriefingError("tagging failed")

    monkeypatch.setattr(briefing.importer, "tag_passages", fail)
    [result] = empty_library.import_paths([SAMPLE])
    assert (result.status, result.reason) == ("failed", "tagging failed")
    assert counts(empty_library) == before


@pytest.mark.slow
def test_a_10_mb_paragraph_is_stored(empty_library: Library, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("Steel overcapacity and ŠEFČOVIČ; " * 330_000, "utf-8")
    assert path.stat().st_size > 10 * 2**20
    [result] = empty_library.import_paths([path])
    assert (result.status, result.passages) == ("imported", 1)
    with empty_library.store.session() as session:
        assert session.scalar(select(func.length(text("text"))).select_from(
            text("passage"))) == len(path.read_text("utf-8").strip())


def test_pasted_text(empty_library: Library) -> None:
    result = empty_library.import_text("Readout of the call\n\nThe Ministers discussed steel.")
    assert (result.status, result.passages) == ("imported", 2)
    with empty_library.store.session() as session:
        source = session.scalars(select(Source)).one()
        assert (source.kind.value, source.origin) == ("readout", "pasted text")
