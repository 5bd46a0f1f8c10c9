"""The library pane's first screen, read without SQLAlchemy (`db.first_look`): what the app
shows while it imports the core and opens the library the usual way."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from briefing.views import (
    DEFAULT_SCHEME,
    ItemInfo,
    LibraryView,
    PersonInfo,
    Scheme,
    SourceInfo,
    TermInfo,
    TopicInfo,
    format_of,
)
from db.first_look import LibraryRows, library_file, read_library_rows
from db.kinds import ItemKind, ItemStatus


def first_look(target: str | None) -> LibraryView | None:
    """Return what the library pane lists for the library `target` names (as `Library`'s
    `library_view()` would), or None when it is not a library file that can be read so."""
    path = library_file(target)
    rows = read_library_rows(path) if path is not None else None
    if rows is None:
        return None
    try:
        return _view(rows)
    except (TypeError, ValueError):  # a value this version does not know: a newer library
        return None


def _view(rows: LibraryRows) -> LibraryView:
    copies: defaultdict[int, list[str]] = defaultdict(list)
    for source_id, fmt in rows.copies:
        copies[source_id].append(fmt)
    sources = [
        SourceInfo(
            id_,
            title,
            kind,
            date.fromisoformat(when) if when else None,
            place,
            issuer,
            passages,
            tuple(dict.fromkeys([format_of(origin), *copies[id_]])),
            marking,
        )
        for id_, title, kind, when, place, issuer, passages, origin, marking in rows.sources
    ]
    topics = [
        TopicInfo(
            id_, key, name, rows.passages_per_topic.get(id_, 0), rows.items_per_topic.get(id_, 0)
        )
        for id_, key, name in rows.topics
    ]
    items = [
        ItemInfo(id_, ItemKind(kind), title, marking, ItemStatus(status))
        for id_, kind, title, marking, status in rows.items
    ]
    return LibraryView(
        sources,
        topics,
        items,
        [PersonInfo(*person) for person in rows.people],
        [TermInfo(*term) for term in rows.glossary],
        None,
        Scheme(tuple(rows.levels) or DEFAULT_SCHEME, tuple(rows.caveats)),
    )
