"""Settings declared once, typed (Picard's `options.py` idea), stored with QSettings.

User preferences live under `setting/`, window state and history under `persist/`, so
resetting one never touches the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Literal, TypeVar, cast

from ui.qt import QByteArray, QSettings

T = TypeVar("T", str, int, bool, list[str], list[int], QByteArray)
Section = Literal["setting", "persist"]
VERSION = 1
RECENT_PACKS = 8
PAPER_SIZES = ("", "A4", "Letter")  # "" = the template's own


@dataclass(frozen=True)
class Option(Generic[T]):
    """One stored value: where it lives, its default (which also fixes its type)."""

    section: Section
    name: str
    default: T
    title: str = ""
    item: type = str  # the type of a list's items

    @property
    def key(self) -> str:
        return f"{self.section}/{self.name}"


# -- user preferences --------------------------------------------------------
AUTHOR = Option("setting", "author", "", "Author name")
ORGANISATION = Option("setting", "organisation", "", "Organisation")
DEFAULT_TEMPLATE = Option("setting", "default_template", "ministerial", "Default house style")
PAPER_SIZE = Option("setting", "paper_size", "", "Paper size")
DEFAULT_MARKING = Option("setting", "default_marking", "OFFICIAL", "Default marking")

# -- window state and history ------------------------------------------------
LAST_LIBRARY = Option("persist", "last_library", "")  # a path, or an SQLAlchemy URL
GEOMETRY = Option("persist", "window_geometry", QByteArray())
WINDOW_STATE = Option("persist", "window_state", QByteArray())
SPLITTER = Option("persist", "main_splitter", QByteArray())
LAST_PACK = Option("persist", "last_pack", 0)
RECENT = Option("persist", "recent_packs", cast(list[int], []), item=int)
EXPORT_DIR = Option("persist", "last_export_dir", "")
IMPORT_DIR = Option("persist", "last_import_dir", "")


class Settings:
    """Typed access to the options in one QSettings store."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Briefing", "Briefing"
        )
        self.store.setValue("version", VERSION)

    def get(self, option: Option[T]) -> T:
        raw = self.store.value(option.key)
        if raw is None:
            return _copy(option.default)
        return _convert(raw, option)

    def set(self, option: Option[T], value: T) -> None:
        self.store.setValue(option.key, value)

    def reset(self, option: Option[T]) -> None:
        self.store.remove(option.key)

    def sync(self) -> None:
        self.store.sync()

    def add_recent_pack(self, pack_id: int) -> list[int]:
        """Put `pack_id` first in the recent packs and return the list."""
        recent = [pack_id, *(p for p in self.get(RECENT) if p != pack_id)][:RECENT_PACKS]
        self.set(RECENT, recent)
        return recent

    def forget_packs(self) -> None:
        """Drop the last and recent packs: they belong to the library used before."""
        self.reset(LAST_PACK)
        self.reset(RECENT)


def _copy(value: T) -> T:
    return cast(T, list(value)) if isinstance(value, list) else value


def _convert(raw: object, option: Option[T]) -> T:
    """Return `raw` (as QSettings read it, often text) as the option's type."""
    default = option.default
    try:
        if isinstance(default, bool):
            return raw in (True, "true", "1", 1)
        if isinstance(default, int):
            return int(cast(int, raw))
        if isinstance(default, QByteArray):
            return raw if isinstance(raw, QByteArray) else QByteArray()
        if isinstance(default, list):
            values = raw if isinstance(raw, list) else [] if raw in ("", None) else [raw]
            return cast(T, [option.item(v) for v in values])
        return str(raw)
    except (TypeError, ValueError):
        return _copy(default)
