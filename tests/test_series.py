"""Meetings in series: `pack next`, changes since the last meeting, stale sources, refresh."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import docx
import pytest

from briefing.cli import main
from briefing.errors import InputError
from briefing.library import EntryKind, Library
from briefing.series import infer_series, ordinal, series_key

STEEL_SAME = (
    "Both sides expressed serious concerns about global steel overcapacity and agreed to "
    "cooperate on steel trade measures."
)
STEEL_OLD = "They agreed to review steel safeguards by the end of the year."
STEEL_NEW = "They agreed to replace steel safeguards with a tariff-rate quota next spring."


def statement(ordinal_word: str, day: str, *paragraphs: str) -> str:
    body = "\n\n".join(paragraphs)
    return f"# {ordinal_word} X Dialogue joint statement\n\n{day}\n\nJoint statement\n\n{body}\n"


@pytest.mark.parametrize(
    ("name", "series"),
    [
        ("8th Japan-EU HLED", "Japan-EU HLED"),
        ("7th Japan–EU High-Level Economic Dialogue", "Japan-EU High-Level Economic Dialogue"),
        ("Japan-EU HLED", "Japan-EU HLED"),
        ("The 21st EU-China Summit", "EU-China Summit"),
        ("Second  G7 Trade Ministers’ Meeting", "G7 Trade Ministers’ Meeting"),
        ("Joint statement of the 8th X Dialogue", "Joint statement of the X Dialogue"),
    ],
)
def test_series_is_the_name_without_its_ordinal(name: str, series: str) -> None:
    assert infer_series(name) == series


def test_ordinals_and_keys() -> None:
    assert ordinal("8th Japan-EU HLED") == 8
    assert ordinal("Second G7 meeting") == 2
    assert ordinal("Japan-EU HLED") is None
    assert series_key("Japan–EU HLED") == series_key("japan-eu  hled")


def first_pack(library: Library, when: date | None = date(2026, 5, 7)) -> int:
    return library.new_pack(
        "Brief for the 7th Japan-EU HLED", meeting="7th Japan-EU HLED", date=when,
        marking="OFFICIAL-SENSITIVE", topics=["steel", "export controls"],
    )  # fmt: skip


def test_pack_next_carries_sections_and_items(demo_library: Library) -> None:
    old_id = first_pack(demo_library)
    new_id = demo_library.next_pack(old_id, meeting="8th Japan-EU HLED", date=date(2027, 5, 1))
    old, new = demo_library.pack_outline(old_id), demo_library.pack_outline(new_id)
    assert new.title == "Brief for the 8th Japan-EU HLED"
    assert (new.meeting, new.date, new.marking) == ("8th Japan-EU HLED", date(2027, 5, 1),
                                                    old.marking)  # fmt: skip
    assert new.series == old.series == "Japan-EU HLED"
    assert new.previous == f"pack {old_id} “{old.title}”"

    def shape(outline):  # type: ignore[no-untyped-def]
        return [(s.title, [(e.kind, e.target_id) for e in s.entries]) for s in outline.sections]

    assert shape(new) == shape(old)
    entries = [e for s in new.sections for e in s.entries]
    assert any(e.kind is EntryKind.ITEM for e in entries)
    assert all(e.carried == (e.kind is EntryKind.PASSAGE) for e in entries)
    assert any(e.carried for e in entries)
    assert not any(e.carried for s in old.sections for e in s.entries)


def test_pack_next_keeps_the_series_of_a_renamed_meeting(demo_library: Library) -> None:
    old_id = first_pack(demo_library)
    demo_library.edit_pack(old_id, series="Japan–EU economic dialogue")
    assert demo_library.pack_outline(old_id).series == "Japan–EU economic dialogue"
    new_id = demo_library.next_pack(
        old_id, meeting="Japan-EU HLED 2027", date=date(2027, 5, 1), title="Tokyo brief"
    )
    new = demo_library.pack_outline(new_id)
    assert new.series == "Japan–EU economic dialogue"
    assert new.title == "Tokyo brief"
    demo_library.edit_pack(old_id, series="")  # back to the inferred series
    assert demo_library.pack_outline(old_id).series == "Japan-EU HLED"


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_pack_next_errors_change_nothing(
    demo_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    undated = first_pack(demo_library, when=None)
    dated = first_pack(demo_library)
    db = Path(demo_library.location)
    before = demo_library.packs()
    for args, says in [
        ((str(undated), "--meeting", "8th", "--date", "2027-01-01"), "has no date"),
        ((str(dated), "--meeting", "8th", "--date", "2026-05-07"), "must come after"),
        ((str(dated), "--meeting", " ", "--date", "2027-01-01"), "needs a title"),
        (("99", "--meeting", "8th", "--date", "2027-01-01"), "no pack 99"),
    ]:
        code, out, err = run(db, capsys, "pack", "next", *args)
        assert code == 1 and not out
        assert err.startswith("briefing: error: ") and says in err
        assert err.count("\n") == 1
    assert demo_library.packs() == before


def test_pack_next_from_the_command_line(
    demo_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    old_id = first_pack(demo_library)
    db = Path(demo_library.location)
    code, out, err = run(db, capsys, "pack", "next", str(old_id), "--meeting",
                         "8th Japan–EU HLED", "--date", "2027-05-01")  # fmt: skip
    assert code == 0
    new_id = int(out)
    assert f"carried from pack {old_id}" in err
    code, out, _ = run(db, capsys, "pack", "show", str(new_id))
    assert "series: Japan-EU HLED; previous meeting's pack: pack" in out
    assert "[carried from pack" in out and ": review]" in out


def test_changes_since_last_meeting(
    demo_library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_id = first_pack(demo_library)
    db = Path(demo_library.location)
    new_id = demo_library.next_pack(old_id, meeting="8th Japan-EU HLED", date=date(2027, 5, 1))
    out_file = tmp_path / "next.docx"
    # no issued revision of the previous meeting's pack yet
    code, out, err = run(db, capsys, "export", str(new_id), "-o", str(out_file), "--force",
                         "--changes-since", "last-meeting")  # fmt: skip
    assert code == 1 and not out and "has no issued revision" in err and not out_file.exists()
    # the first meeting has none before it
    code, _, err = run(db, capsys, "export", str(old_id), "-o", str(out_file), "--force",
                       "--changes-since", "last-meeting")  # fmt: skip
    assert code == 1 and "no earlier meeting's pack" in err and not out_file.exists()

    assert demo_library.issue_revision(old_id) == 1
    text = statement("9th", "1 June 2026", STEEL_NEW)
    assert demo_library.import_text(text, "later.md").status == "imported"
    gone = next(e for s in demo_library.pack_outline(new_id).sections for e in s.entries)
    demo_library.remove_from_pack(new_id, gone.id)
    code, _, err = run(db, capsys, "export", str(new_id), "-o", str(out_file), "--force",
                       "--changes-since", "last-meeting")  # fmt: skip
    assert code == 0, err
    words = "\n".join(p.text for p in docx.Document(str(out_file)).paragraphs)
    assert "Changes since the 7th Japan-EU HLED (7 May 2026)" in words
    assert "Entries removed" in words
    assert "New in the library since 7 May 2026" in words
    assert "9th X Dialogue joint statement" in words
    annex = words.rsplit("Annex A: ", 1)[1]
    assert annex.startswith("Changes since the 7th Japan-EU HLED (7 May 2026)")
    new_part = annex.split("New in the library since 7 May 2026")[1]
    assert "9th X Dialogue joint statement (joint statement, 1 June 2026)" in new_part
    assert "Japan-EU High-Level Economic Dialogue" not in new_part  # older than the meeting


def test_a_later_statement_supersedes_the_earlier(
    empty_library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = empty_library
    db = Path(library.location)
    seventh, eighth = tmp_path / "7th.md", tmp_path / "8th.md"
    seventh.write_text(statement("7th", "3 March 2025", STEEL_SAME, STEEL_OLD), "utf-8")
    eighth.write_text(statement("8th", "2 March 2026", STEEL_SAME, STEEL_NEW), "utf-8")
    assert run(db, capsys, "import", str(seventh))[0] == 0
    pack_id = library.new_pack(
        "X brief", meeting="8th X Dialogue", date=date(2026, 3, 1), marking="OFFICIAL",
        topics=["steel"],
    )  # fmt: skip
    assert library.stale_sources(pack_id) == []
    assert run(db, capsys, "import", str(eighth))[0] == 0
    old_src, new_src = sorted(library.sources(), key=lambda s: s.date or date.min)
    assert (old_src.title, old_src.kind) == ("7th X Dialogue joint statement", "joint statement")
    (found,) = library.stale_sources(pack_id)
    assert (found.old_id, found.new_id, found.entries) == (old_src.id, new_src.id, 2)
    code, out, _ = run(db, capsys, "pack", "stale", str(pack_id))
    assert code == 0
    assert "7th X Dialogue joint statement" in out and "8th X Dialogue joint statement" in out
    assert "superseded by" in out
    # the pre-flight check names both sources, and the way to refresh
    [finding] = [f for f in library.check(pack_id) if f.code == "superseded-source"]
    assert "7th X Dialogue" in finding.where and "8th X Dialogue" in finding.message
    assert finding.hint == f"briefing pack refresh {pack_id} --source {old_src.id}"
    code, out, _ = run(db, capsys, "check", str(pack_id), "--json")
    assert any(f["code"] == "superseded-source" for f in json.loads(out))

    code, out, _ = run(db, capsys, "pack", "refresh", str(pack_id), "--source", str(old_src.id))
    assert code == 0
    assert "swapped 1 quotation(s)" in out and "1 quotation(s) have no matching passage" in out
    assert "review steel safeguards" in out
    outline = library.pack_outline(pack_id)
    details = sorted(e.detail for s in outline.sections for e in s.entries)
    assert details[0].startswith("7th X Dialogue") and details[1].startswith("8th X Dialogue")
    labels = {e.label for s in outline.sections for e in s.entries}
    assert STEEL_SAME[:40] in next(iter(labels - {STEEL_OLD}))

    # errors: one line, nothing changed
    for args, says in [
        (("--source", str(new_src.id)), "is not superseded"),
        (("--source", "99"), "no source 99"),
    ]:
        code, out, err = run(db, capsys, "pack", "refresh", str(pack_id), *args)
        assert code == 1 and not out and says in err and err.startswith("briefing: error: ")
    assert library.pack_outline(pack_id) == outline
    with pytest.raises(InputError):
        library.stale_sources(99)


def test_different_kinds_or_series_do_not_supersede(empty_library: Library) -> None:
    library = empty_library
    library.import_text(statement("7th", "3 March 2025", STEEL_SAME), "a.md")
    other = statement("8th", "2 March 2026", STEEL_NEW).replace("X Dialogue", "Y Dialogue")
    library.import_text(other, "b.md")
    speech = statement("9th", "2 May 2026", STEEL_OLD).replace("Joint statement", "Speech by X")
    library.import_text(speech.replace("joint statement", "speech"), "c.md")
    pack_id = library.new_pack("brief", meeting="m", date=None, marking="OFFICIAL",
                               topics=["steel"])  # fmt: skip
    assert library.stale_sources(pack_id) == []


def test_undo_and_restore_keep_carried_and_series(
    demo_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    old_id = first_pack(demo_library)
    db = Path(demo_library.location)
    code, out, _ = run(db, capsys, "pack", "edit", str(old_id), "--series", "Japan–EU talks")
    assert "series: Japan–EU talks" in out
    assert code == 0 and demo_library.pack_outline(old_id).series == "Japan–EU talks"
    new_id = demo_library.next_pack(old_id, meeting="8th Japan-EU HLED", date=date(2027, 5, 1))
    before = demo_library.pack_outline(new_id)
    assert before.series == "Japan–EU talks"
    carried = next(e for s in before.sections for e in s.entries if e.carried)
    (snapshot,) = demo_library.remove_entries([carried.id])
    demo_library.restore_entries([snapshot])
    assert demo_library.pack_outline(new_id) == before
    deleted = demo_library.delete_pack(new_id)
    demo_library.restore(deleted)
    assert demo_library.pack_outline(new_id) == before
