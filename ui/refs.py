"""References to library things (passages, items, sources) carried by drag and drop."""

from __future__ import annotations

import json
from dataclasses import dataclass

from briefing.views import EntryKind
from ui.qt import QMimeData

MIME_REFS = "application/x-briefing-refs"
MIME_ENTRIES = "application/x-briefing-entries"


@dataclass(frozen=True)
class Ref:
    """A passage, item or source the user can put in a pack."""

    kind: EntryKind
    id: int


def refs_mime(refs: list[Ref]) -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME_REFS, json.dumps([[r.kind.value, r.id] for r in refs]).encode())
    return mime


def mime_refs(mime: QMimeData) -> list[Ref]:
    if not mime.hasFormat(MIME_REFS):
        return []
    data = json.loads(bytes(mime.data(MIME_REFS).data()).decode())
    return [Ref(EntryKind(kind), int(id_)) for kind, id_ in data]
