"""A `Document` as JSON and back, exactly: what a pack revision keeps (`briefing.revisions`).

Every dataclass of `briefing.document` becomes an object naming its class ("@") with the
fields that differ from their defaults; tuples become lists, dates ISO strings. `from_json`
rebuilds the same frozen dataclasses (origins included). `FORMAT` changes whenever a
class or a default changes meaning; a snapshot in another format is refused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from typing import Any

from briefing import document as d
from briefing.errors import InputError

FORMAT = 1
CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        d.Run, d.Cover, d.Contents, d.Heading, d.Paragraph, d.ListItem, d.BulletList,
        d.LineToTake, d.Citation, d.Sources, d.Quote, d.Table, d.Note, d.PageBreak, d.Annex,
        d.Properties, d.Document,
    )
}  # fmt: skip


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"@": type(value).__name__}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if (
                f.default is not dataclasses.MISSING
                and v == f.default
                and type(v) is type(f.default)
            ):
                continue
            out[f.name] = _encode(v)
        return out
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, date):
        return {"@date": value.isoformat()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot keep {type(value).__name__} in a snapshot")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict):
        if "@date" in value:
            return date.fromisoformat(value["@date"])
        cls = CLASSES[value["@"]]
        return cls(**{k: _decode(v) for k, v in value.items() if k != "@"})
    return value


def to_json(document: d.Document) -> str:
    """Return `document` as compact JSON (keys in a fixed order, so equal documents give
    equal text)."""
    body = {"format": FORMAT, "document": _encode(document)}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def from_json(text: str) -> d.Document:
    """Return the Document `to_json` wrote."""
    body = json.loads(text)
    if body.get("format") != FORMAT:
        raise InputError(f"a revision kept in snapshot format {body.get('format')} cannot be read")
    document = _decode(body["document"])
    assert isinstance(document, d.Document)
    return document


def content_hash(document: d.Document) -> str:
    """Return a hash of what `document` shows, leaving out the cover's revision line (so a
    working copy and the revision issued from it hash the same)."""
    bare = dataclasses.replace(document, cover=dataclasses.replace(document.cover, version=""))
    return hashlib.sha256(to_json(bare).encode()).hexdigest()
