"""Assembly: a pack in the store becomes the Document both renderers draw."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from briefing.assemble import annex_letter, assemble, blocks_text
from briefing.document import (
    Annex,
    BulletList,
    Contents,
    Heading,
    LineToTake,
    Note,
    Paragraph,
    Quote,
    Table,
    plain,
)
from briefing.library import Library


@pytest.fixture
def document(demo_library: Library):  # type: ignore[no-untyped-def]
    pack_id = demo_library.new_pack(
        "Japan–EU HLED brief",
        meeting="8th Japan-EU HLED",
        date=date(2026, 5, 7),
        place="Tokyo",
        marking="OFFICIAL-SENSITIVE",
        topics=["steel", "economic coercion", "export controls"],
        participants=["akazawa ryosei", "Maros Sefcovic", "Jane DOE"],
    )
    with demo_library.store.session() as session:
        return assemble(session, pack_id, author="A. Official", company="DBT")


def test_cover_and_properties(document) -> None:  # type: ignore[no-untyped-def]
    cover = document.cover
    assert (cover.title, cover.meeting, cover.date, cover.place) == (
        "Japan–EU HLED brief",
        "8th Japan-EU HLED",
        date(2026, 5, 7),
        "Tokyo",
    )
    assert document.marking == "OFFICIAL-SENSITIVE"
    assert cover.prepared_by == "A. Official, DBT"
    assert document.properties.author == "A. Official"
    assert document.properties.subject == "8th Japan-EU HLED"


def test_outline_objectives_then_topics_then_people_glossary_sources(document) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(document.blocks[0], Contents)
    top = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 1]
    assert top == [
        "Objectives",
        "Steel and overcapacity",
        "Economic coercion",
        "Export controls",
        "Open commitments",  # a meeting with Japan: the commitments still open
        "People",
        "Glossary",
        "Sources",
    ]
    [objectives] = [b for b in document.blocks if isinstance(b, BulletList)][:1]
    first = plain(objectives.items[0].runs)
    assert first.startswith("Secure Japanese support on steel overcapacity – Agree")
    assert "赤沢亮正" in first


def test_passages_are_quoted_once_with_citations(document) -> None:  # type: ignore[no-untyped-def]
    quotes = [b for b in document.blocks if isinstance(b, Quote)]
    texts = [plain(q.runs) for q in quotes]
    assert len(texts) == len(set(texts)), "no passage is quoted twice"
    [steel] = [q for q in quotes if "global steel overcapacity" in plain(q.runs)]
    assert steel.citation.source_title == "7th Japan-EU High-Level Economic Dialogue"
    assert steel.citation.date == date(2026, 5, 7)
    assert steel.citation.paragraph is not None and steel.citation.paragraph > 2
    [restrictions] = [q for q in quotes if "export restrictions" in plain(q.runs)]
    assert any(r.bold and r.text == "export restrictions" for r in restrictions.runs)
    pointers = [
        plain(b.runs)
        for b in document.blocks
        if isinstance(b, Paragraph) and "See the passage" in plain(b.runs)
    ]
    assert pointers == [], "a new pack takes each passage once: nothing to point back to"


def test_items_show_by_kind(document) -> None:  # type: ignore[no-untyped-def]
    lines = [b for b in document.blocks if isinstance(b, LineToTake)]
    assert any(
        line.reactive and line.question == "Will Japanese steel be exempted?" for line in lines
    )
    assert any(not line.reactive and "WTO-consistent" in blocks_text(line.blocks) for line in lines)
    [risk] = [b for b in document.blocks if isinstance(b, Note)]
    assert risk.label == "Risk" and "gallium & germanium (< 5%" in blocks_text(risk.blocks)


def test_people_glossary_and_sources_list(document) -> None:  # type: ignore[no-untyped-def]
    commitments, people, glossary, sources = [b for b in document.blocks if isinstance(b, Table)]
    assert commitments.header[0] == "Who" and commitments.origin == "commitments"
    # the meeting's participants, in order: people the library knows with their details
    assert [row[0] for row in people.rows] == ["AKAZAWA Ryosei", "Maroš ŠEFČOVIČ", "Jane DOE"]
    assert people.rows[1][2:] == ("European Commission", "EU")
    assert people.rows[2][1:] == ("", "", "")
    terms = [row[0] for row in glossary.rows]
    assert "WTO" in terms and "HLED" in terms
    assert "JBIC" not in terms, "only terms the pack uses"
    assert sources.header == ("Title", "Issuer", "Date", "Formats")
    [(title, _issuer, when, formats)] = sources.rows
    assert title == "7th Japan-EU High-Level Economic Dialogue"
    assert (when, formats) == ("7 May 2026", "MD")
    assert not [b for b in document.blocks if isinstance(b, Annex)], "no annex unless added"


def test_a_source_added_as_an_annex_is_one(demo_library: Library) -> None:
    from briefing.outline import add_entry, add_section
    from db.models import EntryKind

    pack_id = demo_library.new_pack("P", meeting="M", date=None, marking="", topics=["steel"])
    with demo_library.store.session() as session:
        annexes = add_section(session, pack_id, "Annexes")
        add_entry(session, annexes.id, EntryKind.SOURCE, 1)
        document = assemble(session, pack_id)
    [annex] = [b for b in document.blocks if isinstance(b, Annex)]
    assert annex.letter == "A" and annex.title == "7th Japan-EU High-Level Economic Dialogue"
    annex_text = "\n".join(plain(b.runs) for b in annex.blocks if isinstance(b, Paragraph))
    assert "Maroš ŠEFČOVIČ" in annex_text
    assert "towards the next Japan-EU Summit" in annex_text


def test_annex_letters_run_past_z() -> None:
    assert [annex_letter(i) for i in (0, 25, 26, 27, 51, 52)] == ["A", "Z", "AA", "AB", "AZ", "BA"]


def test_an_unknown_pack_is_an_error(demo_library: Library) -> None:
    with demo_library.store.session() as session, pytest.raises(Exception, match="no pack 42"):
        assemble(session, 42)


def test_a_passage_is_quoted_in_full_once_even_under_sections_of_the_same_title(
    demo_library: Library,
) -> None:
    from briefing.outline import add_entry, add_section
    from db.models import EntryKind, Passage

    pack_id = demo_library.new_pack("P", meeting="M", date=None, marking="", topics=["automobiles"])
    with demo_library.store.session() as session:
        [passage] = session.scalars(select(Passage).where(Passage.text.contains("automobile")))
        again = add_section(session, pack_id, "Automobiles")  # the same title as the first
        add_entry(session, again.id, EntryKind.PASSAGE, passage.id)
        document = assemble(session, pack_id)
    quotes = [b for b in document.blocks if isinstance(b, Quote)]
    assert len(quotes) == 1
    pointers = [plain(b.runs) for b in document.blocks if isinstance(b, Paragraph)]
    assert any(p.startswith("See the passage quoted under “Automobiles”") for p in pointers)
