"""The store: SQLAlchemy models, opening and migrating a library, queries. Never imports Qt."""

from db.store import NoSuchFolder, Store, StoreError, default_store_path

__all__ = ["NoSuchFolder", "Store", "StoreError", "default_store_path"]
