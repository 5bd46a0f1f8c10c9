"""The store: SQLAlchemy models, opening and migrating a library, queries. Never imports Qt.

`Store` and its helpers are imported on first use (PEP 562), so `db.kinds` and
`db.first_look` load without SQLAlchemy: the app reads its first screen through them before
the store's engine is built.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.store import NoSuchFolder, Store, StoreError, default_store_path

__all__ = ["NoSuchFolder", "Store", "StoreError", "default_store_path"]


def __getattr__(name: str) -> object:
    if name in __all__:
        return getattr(importlib.import_module("db.store"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
