"""Pack revisions: issue, list, re-export as issued, and what changed (diff, changes annex)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pdf_text import pdf_text
from test_items_whole import KINDS, flat, new_pack

from briefing.assemble import assemble
from briefing.cli import main
from briefing.diff import compare, lines, units
from briefing.document import Document
from briefing.library import EntryKind, ItemStatus, Library
from briefing.render.sample import sample_document
from briefing.snapshot import content_hash, from_json, to_json

OLD = "**WTO-consistent** and aimed at global overcapacity"
NEW = "**WTO-compatible** and aimed squarely at global overcapacity"


def demo_pack(library: Library) -> int:
    return library.new_pack(
        "HLED brief", meeting="8th Japan-EU HLED", date=None, marking="OFFICIAL-SENSITIVE",
        topics=["steel", "export controls"],
    )  # fmt: skip


def line_item(library: Library) -> int:
    """Return the id of the demo's "Steel safeguard replacement" line to take."""
    return next(i.id for i in library.items() if i.title == "Steel safeguard replacement")


def reword(library: Library) -> None:
    item_id = line_item(library)
    body = library.item(item_id).body
    assert OLD in body
    library.edit_item(item_id, body=body.replace(OLD, NEW))


def assembled(library: Library, pack_id: int) -> Document:
    with library.store.session() as session:
        return assemble(session, pack_id)


def assert_round_trip(document: Document) -> None:
    text = to_json(document)
    again = from_json(text)
    assert again == document
    assert to_json(again) == text  # origins and every field kept, not only compared ones
    assert [u.key for u in units(again)] == [u.key for u in units(document)]


def test_snapshot_round_trips_the_sample_the_demo_pack_and_every_item_kind(
    demo_library: Library,
) -> None:
    assert_round_trip(sample_document())
    assert_round_trip(assembled(demo_library, demo_pack(demo_library)))
    every_kind = new_pack(demo_library, ItemStatus.DRAFT, KINDS)
    demo_library.add_to_pack(every_kind, "Annexed", EntryKind.SOURCE, 1)
    document = assembled(demo_library, every_kind)
    assert document.draft and any(u.key == "source:1" for u in units(document))
    assert {"item", "source"} <= {u.key.split(":")[0] for u in units(document)}
    assert_round_trip(document)


def test_issue_edit_issue_gives_revisions_1_and_2_and_no_change_creates_nothing(
    demo_library: Library,
) -> None:
    pack_id = demo_pack(demo_library)
    assert assembled(demo_library, pack_id).cover.version == "Revision 1 (draft)"
    assert demo_library.issue_revision(pack_id) == 1
    assert demo_library.issue_revision(pack_id) is None
    reword(demo_library)
    assert demo_library.issue_revision(pack_id) == 2
    assert demo_library.issue_revision(pack_id) is None
    assert [r.number for r in demo_library.revisions(pack_id)] == [1, 2]
    assert demo_library.pack_outline(pack_id).revision == 3
    assert assembled(demo_library, pack_id).cover.version == "Revision 3 (draft)"
    with demo_library.store.session() as session:
        from briefing.revisions import issued

        first = issued(session, pack_id, 1)
    assert first.document.cover.version.startswith("Revision 1 · issued ")
    assert content_hash(first.document) != content_hash(assembled(demo_library, pack_id))


def test_diff_matches_entries_by_origin(demo_library: Library) -> None:
    pack_id = demo_pack(demo_library)
    demo_library.issue_revision(pack_id)
    reword(demo_library)
    outline = demo_library.pack_outline(pack_id)
    steel, controls = outline.sections[0], outline.sections[1]
    passage = next(e for e in steel.entries if e.kind.value == "passage")
    demo_library.remove_from_pack(pack_id, passage.id)
    demo_library.add_to_pack(pack_id, controls.title, passage.kind, passage.target_id)
    demo_library.add_to_pack(pack_id, "New", passage.kind, 1)
    diff = demo_library.diff(pack_id)
    assert diff.old_name.startswith("revision 1 (") and diff.new_name == "the working copy"
    [changed] = diff.of("changed")
    assert changed.unit.key == f"item:{line_item(demo_library)}"
    assert ("-", "WTO-consistent") in changed.words and ("+", "WTO-compatible") in changed.words
    assert ("+", "squarely") in changed.words
    assert [c.unit.key for c in diff.of("moved")] == [f"passage:{passage.target_id}"]
    assert [c.unit.key for c in diff.of("added")] == ["passage:1"]
    assert diff.of("removed") == []
    text = "\n".join(lines(diff))
    assert "[-WTO-consistent-] {+WTO-compatible+}" in text and "{+squarely+}" in text
    assert compare(*(assembled(demo_library, pack_id),) * 2, "a", "b").changes == ()


def test_export_revision_and_changes_annex_in_both_formats(
    demo_library: Library, tmp_path: Path
) -> None:
    pack_id = demo_pack(demo_library)
    demo_library.issue_revision(pack_id)
    reword(demo_library)
    demo_library.issue_revision(pack_id)

    old = flat(pdf_text(demo_library.export(pack_id, tmp_path / "r1.pdf", revision=1)))
    assert "WTO-consistent" in old and "WTO-compatible" not in old
    assert "Revision 1 · issued " in old

    working = flat(pdf_text(demo_library.export(pack_id, tmp_path / "w.pdf", changes_since=1)))
    assert "Revision 3 (draft)" in working
    annex = working.split("Changes since revision 1 (")[-1]
    assert "WTO-consistent WTO-compatible" in annex and "squarely" in annex

    word = docx.Document(str(demo_library.export(pack_id, tmp_path / "w.docx", changes_since=1)))
    runs = [r for p in word.paragraphs for r in p.runs]
    assert any(r.text == "WTO-consistent" and r.font.strike for r in runs)
    assert any(r.text == "WTO-compatible" and r.font.underline for r in runs)
    assert any(p.text.startswith("Annex A: Changes since revision 1 (") for p in word.paragraphs)


def test_cli_issue_revisions_diff_and_errors(
    demo_library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack_id = demo_pack(demo_library)
    db = str(demo_library.location)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db, *args])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("pack", "diff", str(pack_id))[2] == (
        f"briefing: error: pack {pack_id} has no revisions to compare with; "
        f"issue one with `briefing pack issue {pack_id}`\n"
    )
    assert run("pack", "revisions", str(pack_id))[1] == f"pack {pack_id} has no revisions yet\n"
    assert run("pack", "issue", str(pack_id))[1] == "1\n"
    assert run("pack", "issue", str(pack_id))[1] == "no change since revision 1; nothing issued\n"
    reword(demo_library)
    code, out, _ = run("pack", "diff", str(pack_id))
    assert code == 0 and "[-WTO-consistent-] {+WTO-compatible+}" in out
    assert run("pack", "issue", str(pack_id))[1] == "2\n"
    listing = run("pack", "revisions", str(pack_id))[1].splitlines()
    assert [line.split()[0] for line in listing] == ["1", "2"]
    assert "WTO-compatible" in run("pack", "diff", str(pack_id), "1", "2")[1]
    assert "no changes" in run("pack", "diff", str(pack_id), "2")[1]

    before = demo_library.revisions(pack_id)
    for args in (
        ["pack", "diff", str(pack_id), "0"],
        ["pack", "diff", str(pack_id), "1", "3"],
        ["export", str(pack_id), "-o", str(tmp_path / "x.pdf"), "--revision", "3"],
        ["export", str(pack_id), "-o", str(tmp_path / "x.pdf"), "--changes-since", "0"],
        ["pack", "issue", "99"],
        ["pack", "revisions", "99"],
    ):
        code, out, err = run(*args)
        assert code == 1 and out == "" and err.startswith("briefing: error: "), args
        assert err.count("\n") == 1
    assert "no revision 3; its revisions are 1 to 2" in run("pack", "diff", str(pack_id), "3")[2]
    assert not (tmp_path / "x.pdf").exists()
    assert demo_library.revisions(pack_id) == before


def test_deleting_a_pack_and_undoing_keeps_its_revisions(demo_library: Library) -> None:
    pack_id = demo_pack(demo_library)
    demo_library.issue_revision(pack_id)
    held = demo_library.revisions(pack_id)
    demo_library.restore(demo_library.delete_pack(pack_id))
    assert demo_library.revisions(pack_id) == held
    assert demo_library.issue_revision(pack_id) is None
