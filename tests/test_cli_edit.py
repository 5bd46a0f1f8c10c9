"""Changing and removing what you made from the command line: packs, entries, items, sources,
the marking scheme and a meeting's participants; bad input changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from briefing.cli import main
from briefing.library import Library
from db.models import Item, ItemHistory, Pack

SCHEME_MESSAGE = (
    'briefing: error: unknown marking "SECERT"; markings are: OFFICIAL, OFFICIAL-SENSITIVE,'
    " SECRET, TOP SECRET\n"
)


@pytest.fixture
def db(demo_store_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    shutil.copy(demo_store_file, path)
    return path


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    code, out, err = cli(capsys, db, *args)
    assert (code, err) == (0, ""), err
    return out


def new_pack(capsys: pytest.CaptureFixture[str], db: Path, *extra: str) -> int:
    args = ["pack", "new", "Brief", "--meeting", "HLED", "--date", "2026-05-07",
            "--marking", "OFFICIAL-SENSITIVE", "--topic", "steel",
            "--topic", "coercion"]  # fmt: skip
    return int(ok(capsys, db, *args, *extra))


def state(capsys: pytest.CaptureFixture[str], db: Path) -> list[str]:
    """Everything the CLI lists, to compare before and after a refused command."""
    listings = [ok(capsys, db, what, "--json") for what in ("packs", "items", "sources")]
    packs = json.loads(listings[0])
    return listings + [ok(capsys, db, "pack", "show", str(p["id"])) for p in packs]


def refused(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    """Run a command that must fail with one line and change nothing; return the line."""
    before = state(capsys, db)
    code, out, err = cli(capsys, db, *args)
    assert code == 1 and out == ""
    assert err.startswith("briefing: error: ") and err.count("\n") == 1
    assert state(capsys, db) == before
    return err


def version(db: Path, model: type[Pack] | type[Item], id_: int) -> int:
    with Library(db) as library, library.store.session() as session:
        row = session.get(model, id_)
        assert row is not None
        return row.version


# -- markings ----------------------------------------------------------------------


def test_an_unknown_marking_is_refused_everywhere(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    pack = new_pack(capsys, db)
    assert refused(capsys, db, "pack", "new", "X", "--meeting", "M", "--date", "2026-05-07",
                   "--marking", "SECERT", "--topic", "steel") == SCHEME_MESSAGE  # fmt: skip
    assert refused(capsys, db, "pack", "edit", str(pack), "--marking", "SECERT") == SCHEME_MESSAGE
    assert refused(capsys, db, "item", "add", "--kind", "risk", "--title", "T", "--body", "B",
                   "--marking", "SECERT") == SCHEME_MESSAGE  # fmt: skip
    assert refused(capsys, db, "item", "edit", "1", "--marking", "SECERT") == SCHEME_MESSAGE


def test_the_scheme_is_shown_and_changed(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    assert ok(capsys, db, "markings") == (
        "levels:  OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET\ncaveats: none\n"
    )
    assert "caveats: UK EYES ONLY" in ok(capsys, db, "markings", "--add-caveat", "uk eyes  only")
    pack = new_pack(capsys, db)
    ok(capsys, db, "pack", "edit", str(pack), "--marking", " secret uk eyes only")
    assert "[SECRET UK EYES ONLY]" in ok(capsys, db, "pack", "show", str(pack))
    err = refused(capsys, db, "markings", "--remove-caveat", "UK EYES ONLY")
    assert f"pack {pack} “Brief” (SECRET UK EYES ONLY)" in err
    # demo item 6 is OFFICIAL-SENSITIVE: that level cannot go while it is used
    err = refused(capsys, db, "markings", "--set-levels", "OFFICIAL", "SECRET")
    assert "cannot remove OFFICIAL-SENSITIVE, TOP SECRET" in err and "item 6 " in err
    out = ok(capsys, db, "markings", "--set-levels", "official", "official-sensitive", "secret",
             "top secret", "cosmic")  # fmt: skip
    assert out.startswith("levels:  OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET, COSMIC\n")
    ok(capsys, db, "item", "edit", "1", "--marking", "Cosmic")
    with Library(db) as library:
        assert library.marking_scheme().levels[-1] == "COSMIC"
        assert library.edit_item(1).marking == "COSMIC"
        above = [f.message for f in library.check(pack) if f.code == "above-marking"]
        assert above and above[0].endswith(
            "is marked COSMIC, above the printed SECRET UK EYES ONLY"
        )


# -- packs -------------------------------------------------------------------------


def test_pack_edit_changes_only_what_is_given_and_bumps_the_version(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    pack = new_pack(capsys, db)
    before = version(db, Pack, pack)
    ok(capsys, db, "pack", "edit", str(pack), "--title", "New title", "--date", "2026-06-01",
       "--place", "Tokyo", "--template", "compact", "--paper", "A4",
       "--participant", "AKAZAWA", "--participant", "Jane Doe")  # fmt: skip
    with Library(db) as library:
        outline = library.pack_outline(pack)
        assert (outline.title, outline.meeting, str(outline.date), outline.place) == (
            "New title", "HLED", "2026-06-01", "Tokyo"
        )  # fmt: skip
        assert (outline.marking, outline.template, outline.paper_size) == (
            "OFFICIAL-SENSITIVE", "compact", "A4"
        )  # fmt: skip
        assert [(p.name, p.person_id is not None) for p in library.pack_participants(pack)] == [
            ("AKAZAWA Ryosei", True),
            ("Jane Doe", False),
        ]
    assert version(db, Pack, pack) > before
    assert "participants: AKAZAWA Ryosei, Minister" in ok(capsys, db, "pack", "show", str(pack))
    ok(capsys, db, "pack", "edit", str(pack), "--no-participants")
    assert "participants" not in ok(capsys, db, "pack", "show", str(pack))
    refused(capsys, db, "pack", "edit", str(pack))  # nothing to change
    refused(capsys, db, "pack", "edit", str(pack), "--template", "nonesuch")
    refused(capsys, db, "pack", "edit", "99", "--title", "X")


def test_pack_copy_then_delete(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    pack = new_pack(capsys, db, "--participant", "Jane Doe")
    copy = int(ok(capsys, db, "pack", "copy", str(pack)))
    with Library(db) as library:
        original, copied = library.pack_outline(pack), library.pack_outline(copy)
    assert copied.title == "Brief (copy)" and copied.participants == original.participants

    def targets(outline):  # type: ignore[no-untyped-def]
        return [(s.title, [(e.kind, e.target_id) for e in s.entries]) for s in outline.sections]

    assert targets(copied) == targets(original)
    entries = sum(len(s.entries) for s in original.sections)
    assert ok(capsys, db, "pack", "delete", str(pack)) == (
        f"deleted pack {pack} “Brief” (2 sections, {entries} entries)\n"
    )
    assert [p["id"] for p in json.loads(ok(capsys, db, "packs", "--json"))] == [copy]
    refused(capsys, db, "pack", "delete", str(pack))
    refused(capsys, db, "pack", "copy", str(pack))


def test_pack_add_and_remove_entries(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    pack = new_pack(capsys, db)
    before = version(db, Pack, pack)
    out = ok(capsys, db, "pack", "add", str(pack), "--section", "STEEL AND OVERCAPACITY",
             "--item", "4")  # fmt: skip
    assert out.startswith("added item 4 as entry #") and "made section" not in out
    assert version(db, Pack, pack) > before
    out = ok(capsys, db, "pack", "add", str(pack), "--section", "Annexes", "--source", "1")
    assert out.startswith(f"made section “Annexes” at the end of pack {pack}\n")
    entry = int(out.split("#")[1])
    shown = ok(capsys, db, "pack", "show", str(pack))
    assert shown.rstrip().endswith(f"3. Annexes\n   #{entry:<5} source 1: 7th Japan-EU High-Level"
                                   " Economic Dialogue")  # fmt: skip
    assert ok(capsys, db, "pack", "remove", str(pack), str(entry)).startswith(
        f"removed entry #{entry}: source 1"
    )
    assert f"#{entry} " not in ok(capsys, db, "pack", "show", str(pack))
    refused(capsys, db, "pack", "remove", str(pack), str(entry))  # gone already
    refused(capsys, db, "pack", "add", str(pack), "--section", "Steel", "--item", "99")
    refused(capsys, db, "pack", "add", str(pack), "--section", "Steel and overcapacity",
            "--item", "4")  # already there  # fmt: skip
    other = new_pack(capsys, db)
    with Library(db) as library:
        theirs = library.pack_outline(other).sections[0].entries[0].id
    refused(capsys, db, "pack", "remove", str(pack), str(theirs))  # another pack's entry


# -- items -------------------------------------------------------------------------


def test_item_edit_changes_only_what_is_given(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    with Library(db) as library:
        old = library.edit_item(2)  # nothing given: nothing changes
    before = version(db, Item, 2)
    ok(capsys, db, "item", "edit", "2", "--title", "Safeguard", "--status", "draft",
       "--topic", "coercion")  # fmt: skip
    with Library(db) as library:
        new = library.edit_item(2)
        coercion = library.topic_rules("coercion")[0].id
    assert (new.title, new.status.value, new.topic_ids) == ("Safeguard", "draft", (coercion,))
    assert (new.body, new.kind, new.marking, new.citations) == (
        old.body, old.kind, old.marking, old.citations
    )  # fmt: skip
    assert version(db, Item, 2) > before
    with Library(db) as library, library.store.session() as session:
        history = session.scalars(select(ItemHistory).where(ItemHistory.item_id == 2)).all()
        assert [(h.title, h.body) for h in history][-1] == (old.title, old.body)
    [shown] = json.loads(ok(capsys, db, "item", "history", "2", "--json"))
    assert (shown["title"], shown["body"], shown["reason"]) == (old.title, old.body, "edited")
    refused(capsys, db, "item", "history", "99")
    refused(capsys, db, "item", "edit", "99", "--title", "X")
    refused(capsys, db, "item", "edit", "2", "--topic", "no such topic")


def test_item_delete_takes_it_out_of_packs(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    pack = new_pack(capsys, db)
    assert "item 3:" in ok(capsys, db, "pack", "show", str(pack))
    assert ok(capsys, db, "item", "delete", "3") == (
        f"deleted item 3 “Will Japanese steel be exempted?” (taken out of pack {pack} “Brief”)\n"
    )
    assert "item 3:" not in ok(capsys, db, "pack", "show", str(pack))
    assert 3 not in [i["id"] for i in json.loads(ok(capsys, db, "items", "--json"))]
    refused(capsys, db, "item", "delete", "3")


# -- sources -----------------------------------------------------------------------


def test_source_delete_is_refused_while_used_then_forced(
    capsys: pytest.CaptureFixture[str], db: Path
) -> None:
    pack = new_pack(capsys, db)
    err = refused(capsys, db, "source", "delete", "1")
    assert f"quoted in pack {pack} “Brief”" in err and "cited by item 2 " in err
    assert "--force" in err
    out = ok(capsys, db, "source", "delete", "1", "--force")
    assert out.startswith("deleted source 1 “7th Japan-EU High-Level Economic Dialogue” (16 ")
    assert f"removed from pack {pack}" in out and "citations removed from item 2 " in out
    assert json.loads(ok(capsys, db, "sources", "--json")) == []
    assert "passage" not in ok(capsys, db, "pack", "show", str(pack))
    with Library(db) as library:
        assert library.edit_item(2).citations == ()
    refused(capsys, db, "source", "delete", "1")


def test_an_unused_source_goes_without_force(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    with Library(db) as library:  # the demo library has no packs; items 2, 4 and 5 cite it
        assert library.source_use(1).startswith("cited by item 2 ")
        for item in (2, 4, 5):
            library.delete_item(item)
        assert library.source_use(1) == ""
    assert ok(capsys, db, "source", "delete", "1").startswith("deleted source 1 ")


# -- participants in the exported pack -----------------------------------------------


def people_table(path: Path) -> list[list[str]] | None:
    document = docx.Document(str(path))
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == "Name":
            return rows
    return None


def test_the_people_table_lists_the_participants(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    pack = new_pack(capsys, db, "--participant", "maroš šefčovič", "--participant", "Jane Doe")
    out = tmp_path / "pack.docx"
    ok(capsys, db, "export", str(pack), "-o", str(out))
    assert people_table(out) == [
        ["Name", "Role", "Organisation", "Side"],
        ["Maroš ŠEFČOVIČ",
         "European Commissioner for Trade and Economic Security, Interinstitutional Relations"
         " and Transparency", "European Commission", "EU"],
        ["Jane Doe", "", "", ""],
    ]  # fmt: skip
    ok(capsys, db, "pack", "edit", str(pack), "--participant", "")
    ok(capsys, db, "export", str(pack), "-o", str(out))
    assert people_table(out) is None
