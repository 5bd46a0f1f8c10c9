"""Read-only listings the library pane shows (briefing.browse)."""

from __future__ import annotations

from sqlalchemy import select

from briefing import browse
from briefing.library import Library
from db.models import Topic


def topic_id(library: Library, key: str) -> int:
    with library.store.session() as session:
        found = session.scalar(select(Topic.id).where(Topic.key == key))
    assert found is not None
    return found


def test_passages_of_a_source_in_order_with_their_topics(demo_library: Library) -> None:
    with demo_library.store.session() as session:
        found = browse.passages(session, 1)
    assert [p.seq for p in found] == list(range(1, 17))
    assert {p.source_id for p in found} == {1}
    assert found[0].source_title == "7th Japan-EU High-Level Economic Dialogue"
    assert found[6].text.startswith("Importantly, the Ministers discussed")
    assert "Steel and overcapacity" in found[6].topics
    assert found[1].topics == ()


def test_passages_filtered_by_topic(demo_library: Library) -> None:
    steel = topic_id(demo_library, "steel")
    with demo_library.store.session() as session:
        found = browse.passages(session, 1, steel)
        assert all("Steel and overcapacity" in p.topics for p in found)
        assert [p.seq for p in found] == [7, 8, 14]
        assert browse.passages(session, 999) == []


def test_passage_by_id_and_several_in_the_order_asked(demo_library: Library) -> None:
    with demo_library.store.session() as session:
        one = browse.passage(session, 8)
        assert one is not None and one.seq == 8
        assert browse.passage(session, 9999) is None
        assert [p.id for p in browse.passages_by_id(session, [14, 3, 9999, 7])] == [14, 3, 7]


def test_people_grouped_by_side_and_glossary_sorted(demo_library: Library) -> None:
    with demo_library.store.session() as session:
        people = browse.people(session)
        glossary = browse.glossary(session)
    names = [p.name for p in people]
    assert "Maroš ŠEFČOVIČ" in names and "AKAZAWA Ryosei" in names
    sides = [p.side for p in people]
    assert sides == sorted(sides)
    akazawa = next(p for p in people if p.name == "AKAZAWA Ryosei")
    assert akazawa.side == "Japan" and "Minister of Economy" in akazawa.role
    terms = [t.term for t in glossary]
    assert terms == sorted(terms) and "CPTPP" in terms
    assert next(t for t in glossary if t.term == "CRMA").expansion == "Critical Raw Materials Act"


def test_sources_with_a_topic(demo_library: Library) -> None:
    with demo_library.store.session() as session:
        assert browse.sources_with_topic(session, topic_id(demo_library, "steel")) == {1}
        assert browse.sources_with_topic(session, 9999) == set()


def test_an_empty_library_lists_nothing(empty_library: Library) -> None:
    with empty_library.store.session() as session:
        assert browse.people(session) == []
        assert browse.glossary(session) == []
        assert browse.passages(session, 1) == []
