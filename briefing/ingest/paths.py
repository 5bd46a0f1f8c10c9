"""Which files an import of some files and folders covers."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Return the files named in `paths`, folders expanded recursively in name order.

    Hidden files and folders (".name") and Office lock files ("~$name") inside folders are
    skipped; other files are all returned, so a file of a type Briefing does not read is
    reported (as skipped, by `Library.import_paths`) rather than silently ignored. Paths
    that do not exist are returned as they are, to be reported as missing."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*")
                if p.is_file() and not any(_hidden(part) for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return files


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))
