"""The store: SQLAlchemy models, opening and migrating a library, queries. Never imports Qt."""

from db.store import Store, StoreError, default_store_path

__all__ = ["Store", "StoreError", "default_store_path"]
