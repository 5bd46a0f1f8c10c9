"""Packs a minister would read: ranked, capped passages, nothing twice, a sources list."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from readout import write_all

from briefing.assemble import assemble
from briefing.cli import main
from briefing.document import Annex, Heading, Quote, Table, plain
from briefing.duplicates import passage_key
from briefing.library import Library
from briefing.outline import pack_outline
from db.models import EntryKind

TOPICS = ["steel", "coercion", "export controls"]


@pytest.fixture
def library(demo_library: Library, tmp_path: Path) -> Library:
    """The demo library plus a readout, imported in four formats (one source)."""
    folder = tmp_path / "readout"
    folder.mkdir()
    demo_library.import_paths(write_all(folder))
    return demo_library


def new_pack(library: Library, cap: int | None = 5, topics: list[str] = TOPICS) -> int:
    return library.new_pack(
        "Brief", meeting="HLED", date=None, marking="OFFICIAL", topics=topics,
        passages_per_topic=cap,
    )  # fmt: skip


def entries(library: Library, pack: int) -> list[list[tuple[EntryKind, int]]]:
    with library.store.session() as session:
        outline = pack_outline(session, pack)
    return [[(e.kind, e.target_id) for e in s.entries] for s in outline.sections]


@pytest.mark.parametrize("cap", [1, 3, 5, None])
def test_the_plan_is_what_create_pack_puts_in(library: Library, cap: int | None) -> None:
    plan = library.plan_pack(TOPICS, cap)
    pack = entries(library, new_pack(library, cap))
    for topic, section in zip(plan.topics, pack, strict=True):
        assert [(EntryKind.ITEM, i) for i in topic.item_ids] == [
            e for e in section if e[0] is EntryKind.ITEM
        ]
        assert [(EntryKind.PASSAGE, p) for p in topic.passage_ids] == [
            e for e in section if e[0] is EntryKind.PASSAGE
        ]
        assert cap is None or topic.passages <= cap
    assert plan.describe()[0].startswith("Steel and overcapacity: 3 items, ")
    assert plan.pages > 1


def test_a_pack_never_holds_a_passage_or_item_twice(library: Library) -> None:
    pack = entries(library, new_pack(library, None))
    held = [entry for section in pack for entry in section]
    assert len(held) == len(set(held))
    # "Export restrictions on critical minerals" is tagged coercion and export controls
    with library.store.session() as session:
        outline = pack_outline(session, new_pack(library, None, ["coercion", "export controls"]))
    titles = [[e.label for e in s.entries if e.kind is EntryKind.ITEM] for s in outline.sections]
    assert any(t.startswith("Export restrictions") for t in titles[0])
    assert not any(t.startswith("Export restrictions") for t in titles[1])


def test_passages_are_ranked_and_capped(library: Library) -> None:
    every = library.plan_pack(["steel"], None).topics[0]
    best = library.plan_pack(["steel"], 2).topics[0]
    assert best.passages == 2 < every.passages == every.tagged
    with library.store.session() as session:
        document = assemble(session, new_pack(library, 2, ["steel"]))
    quotes = [plain(b.runs) for b in document.blocks if isinstance(b, Quote)]
    assert len(quotes) == 2
    assert all("steel" in q.lower() for q in quotes), "the passages saying most about steel"


def test_sources_list_and_no_annex_unless_added(library: Library) -> None:
    with library.store.session() as session:
        document = assemble(session, new_pack(library))
    quotes = [b for b in document.blocks if isinstance(b, Quote)]
    keys = [passage_key(plain(q.runs)) for q in quotes]
    assert len(keys) == len(set(keys)), "each text quoted once"
    assert not [b for b in document.blocks if isinstance(b, Annex)]
    headings = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings[-1] == "Sources"
    sources = document.blocks[-1]
    assert isinstance(sources, Table)
    cited = {q.citation.source_title for q in quotes}
    assert {row[0] for row in sources.rows} == cited
    [readout] = [row for row in sources.rows if row[0].startswith("Readout")]
    assert readout[2:] == ("12 June 2026", "MD, HTML, DOCX, PDF")


def test_a_three_topic_pack_is_a_short_read(library: Library, tmp_path: Path) -> None:
    """Demo plus a readout in four formats: the old pack quoted the readout four times and
    annexed every source (15 pages); now its body is short, and the cap shortens it more."""
    pages = {}
    for cap in (1, 5):
        pdf = library.export(new_pack(library, cap), tmp_path / f"cap{cap}.pdf")
        pages[cap] = len(PdfReader(pdf).pages)
        estimate = library.plan_pack(TOPICS, cap).pages
        assert abs(estimate - pages[cap]) <= 1.5, (estimate, pages[cap])
    assert 4 <= pages[5] <= 12, pages
    assert pages[1] < pages[5]


def test_cli_max_passages_and_dry_run(library: Library, capsys) -> None:  # type: ignore[no-untyped-def]
    db = str(library.store.path)
    args = ["--db", db, "pack", "new", "B", "--meeting", "M", "--date", "2026-06-12",
            "--marking", "OFFICIAL", "--topic", "steel", "--max-passages", "2"]  # fmt: skip
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Steel and overcapacity: 3 items, 2 of 7 passages"
    assert out[-1].startswith("about ") and "pages" in out[-1]
    assert library.packs() == []
    assert main(args) == 0
    [pack] = library.packs()
    assert sum(kind is EntryKind.PASSAGE for kind, _ in entries(library, pack.id)[0]) == 2
