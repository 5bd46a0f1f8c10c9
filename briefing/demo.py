"""The demo library: the Japan–EU joint press statement of 7 May 2026 plus a few briefing items."""

from __future__ import annotations

import tomllib
from contextlib import AbstractContextManager
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from briefing.tagging import find_topic
from db.models import Item, ItemKind, ItemStatus, Passage

DEMO = resources.files("briefing.data") / "demo"
SAMPLE = "japan-eu-hled-2026-05-07.md"


def sample_path() -> AbstractContextManager[Path]:
    """The demo statement as a file on disk, for as long as the context lasts."""
    return resources.as_file(DEMO / SAMPLE)


def add_demo_items(session: Session) -> None:
    specs = tomllib.loads((DEMO / "items.toml").read_text("utf-8"))["item"]
    existing = set(session.scalars(select(Item.title)))
    for spec in specs:
        if spec["title"] in existing:
            continue
        item = Item(
            kind=ItemKind(spec["kind"]),
            title=spec["title"],
            body=spec["body"],
            marking=spec.get("marking", ""),
            status=ItemStatus.CLEARED,
            topics=[find_topic(session, key) for key in spec["topics"]],
        )
        session.add(item)
        for phrase in spec.get("cites", []):
            item.citations.extend(
                session.scalars(select(Passage).where(Passage.text.contains(phrase)))
            )
        session.add(item)
