"""Pre-flight: each kind of finding on a pack built to have it, JSON, and the exit status."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.errors import InputError
from briefing.library import ItemStatus, Library


def item_id(library: Library, title: str) -> int:
    return next(i.id for i in library.items() if i.title == title)


@pytest.fixture
def clean(demo_library: Library) -> int:
    """A steel pack with nothing to look at."""
    pack = demo_library.new_pack(
        "P", meeting="M", date=date(2026, 6, 1), place="Tokyo", marking="OFFICIAL",
        topics=["steel"], participants=["Jane DOE"],
    )  # fmt: skip
    return pack


def codes(library: Library, pack: int, level: str | None = None) -> dict[str, str]:
    return {f.code: f.severity for f in library.check(pack, level)}


def test_a_clean_pack_has_nothing_to_look_at(demo_library: Library, clean: int) -> None:
    assert demo_library.check(clean) == []


def test_each_kind_of_finding(demo_library: Library, clean: int) -> None:
    library = demo_library
    library.edit_item(item_id(library, "Steel safeguard replacement"), status=ItemStatus.DRAFT)
    library.edit_item(item_id(library, "Will Japanese steel be exempted?"), marking="SECRET")
    objective = item_id(library, "Secure Japanese support on steel overcapacity")
    library.edit_item(objective, body="Figures TBC; dates [ ] and ???")
    library.add_section(clean, "Empty")
    library.edit_pack(clean, place="", participants=[], clear_date=True)
    found = library.check(clean)
    assert {f.code: f.severity for f in found} == {
        "draft": "blocks",
        "above-marking": "blocks",
        "placeholder": "blocks",
        "empty-section": "warns",
        "no-date": "warns",
        "no-place": "warns",
        "no-participants": "warns",
    }
    holes = [f for f in found if f.code == "placeholder"]
    assert [f.message for f in holes] == ["“TBC” left in the text", "“[ ]” left in the text",
                                          "“???” left in the text"]  # fmt: skip
    assert all(f.origin == f"item:{objective}" for f in holes)
    above = next(f for f in found if f.code == "above-marking")
    assert above.where.startswith("section “Steel and overcapacity”, item ")
    # shared at a level, what is above it is withheld: a warning, not a block
    assert codes(library, clean, "OFFICIAL")["withheld"] == "warns"


def test_placeholders_in_sources_are_quoted_as_they_are(demo_library: Library, clean: int) -> None:
    result = demo_library.import_text("Note\n\nThe date is TBC.", "note.txt")
    assert result.source_id is not None
    from briefing.library import EntryKind

    demo_library.add_to_pack(clean, "Steel and overcapacity", EntryKind.SOURCE, result.source_id)
    assert "placeholder" not in codes(demo_library, clean)


def test_the_check_command(
    demo_library: Library, clean: int, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_library.location)
    assert main(["--db", db, "check", str(clean)]) == 0
    assert "nothing to look at" in capsys.readouterr().out
    demo_library.edit_item(item_id(demo_library, "Steel safeguard replacement"), body="XX bn")
    assert main(["--db", db, "check", str(clean), "--json"]) == 1
    (finding,) = json.loads(capsys.readouterr().out)
    assert finding["code"] == "placeholder" and finding["severity"] == "blocks"
    assert main(["--db", db, "check", str(clean), "--at", "NOPE"]) == 1
    assert "unknown marking" in capsys.readouterr().err


def test_characters_no_font_can_draw(demo_library: Library, clean: int) -> None:
    objective = item_id(demo_library, "Secure Japanese support on steel overcapacity")
    demo_library.edit_item(objective, body="A smile 😀, a test tube 🧪, Café, 日本")
    (found,) = [f for f in demo_library.check(clean) if f.code == "undrawable"]
    assert found.severity == "warns" and found.origin == f"item:{objective}"
    assert "U+1F9EA" in found.message  # DejaVu Sans has 😀 (U+1F600): it prints
    assert "U+1F600" not in found.message
    assert "U+00E9" not in found.message and "U+65E5" not in found.message  # accents, CJK print


def cited(library: Library, pack_id: int) -> tuple[int, int]:
    """An item of the pack citing a passage, and that passage's source."""
    from db.models import Pack

    def find(session) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        pack = session.get(Pack, pack_id)
        items = [e.item for s in pack.sections for e in s.entries if e.item is not None]
        item = next(i for i in items if i.citations)
        return item.id, item.citations[0].source_id

    return library._read(find)


def test_a_cited_source_with_a_newer_file(demo_library: Library, clean: int) -> None:
    from datetime import UTC, timedelta

    from sqlalchemy import select

    from db.models import Item, SourceCopy

    item, source = cited(demo_library, clean)
    assert "source-changed" not in codes(demo_library, clean)

    def newer(session) -> None:  # type: ignore[no-untyped-def]
        edited = session.scalar(select(Item.updated_at).where(Item.id == item))
        when = edited.replace(tzinfo=edited.tzinfo or UTC) + timedelta(days=1)
        session.add(SourceCopy(source_id=source, origin="statement-v2.pdf", format="pdf",
                               content_hash="f" * 64, imported_at=when))  # fmt: skip

    demo_library._write(newer)
    (found,) = [f for f in demo_library.check(clean) if f.code == "source-changed"]
    assert found.origin == f"item:{item}" and "statement-v2.pdf" in found.message


def test_a_cited_source_deleted_since(demo_library: Library, clean: int) -> None:
    library = demo_library
    item, source = cited(library, clean)
    deleted = library.delete_source(source, force=True)
    (found,) = [f for f in library.check(clean) if f.code == "source-deleted"]
    assert found.severity == "warns" and found.origin == f"item:{item}"
    assert f"cited source {source} “" in found.message
    # putting the source back puts the citation back: nothing to say
    library.restore_source(deleted)
    assert "source-deleted" not in codes(library, clean)
    # deleted again, the finding stays until the item is saved by the user
    library.delete_source(source, force=True)
    assert "source-deleted" in codes(library, clean)
    library.edit_item(item, body=library.edit_item(item).body + " Reviewed.")
    assert "source-deleted" not in codes(library, clean)


def test_overrides_are_recorded_in_the_library(demo_library: Library, clean: int) -> None:
    library = demo_library
    library.edit_item(item_id(library, "Steel safeguard replacement"), status=ItemStatus.DRAFT)
    findings = library.check(clean)
    library.record_override(clean, "print", None, findings, by="Private Office")
    (record,) = library.overrides(clean)
    assert (record.action, record.level, record.by) == ("print", "OFFICIAL", "Private Office")
    # only what blocks is recorded: the warnings were not passed over
    assert len(record.findings) == 1 and "is still a draft" in record.findings[0]
    assert "print at OFFICIAL by Private Office" in record.describe()
    with pytest.raises(InputError, match="no pack 99"):
        library.overrides(99)


def test_share_and_copies_check_first(
    demo_library: Library, clean: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(demo_library.location)
    demo_library.edit_item(item_id(demo_library, "Steel safeguard replacement"), body="XX bn")
    out = tmp_path / "copy.pdf"
    assert main(["--db", db, "share", str(clean), "--at", "OFFICIAL", "-o", str(out)]) == 1
    assert "not shared: 1 finding(s)" in capsys.readouterr().err and not out.exists()
    copies = tmp_path / "copies"
    copies.mkdir()
    assert main(["--db", db, "pack", "distribute", str(clean), "--to", "A", "-o",
                 str(copies)]) == 1  # fmt: skip
    assert "not copied" in capsys.readouterr().err and list(copies.iterdir()) == []
    args = ["--db", db, "share", str(clean), "--at", "OFFICIAL", "-o", str(out), "--force"]
    assert main([*args, "--by", "Desk"]) == 0 and out.exists()
    assert [(o.action, o.by) for o in demo_library.overrides(clean)] == [("share", "Desk")]


def test_metadata_that_would_leak(demo_library: Library, clean: int) -> None:
    demo_library.edit_pack(clean, title=r"C:\Users\jdoe\Briefs\P", meeting="/home/jdoe/M")
    objective = item_id(demo_library, "Secure Japanese support on steel overcapacity")
    demo_library.edit_item(objective, body="Internal note: the Minister is unconvinced.")
    found = [f for f in demo_library.check(clean) if f.code in ("file-path", "internal-note")]
    assert sorted((f.code, f.where.split(",")[-1].strip()) for f in found) == [
        ("file-path", "meeting title"),
        ("file-path", "pack title"),
        ("internal-note", f"item {objective}"),
    ]
    assert all(f.severity == "warns" for f in found)
