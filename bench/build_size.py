"""The desktop build's size, read from an existing ``dist/Briefing/`` (``make build``); the
benchmarks never build it (a minute and more)."""

from __future__ import annotations

import os
from pathlib import Path

BUILD = Path(__file__).resolve().parents[1] / "dist" / "Briefing"


def size(folder: Path) -> int:
    """Return the bytes the files under `folder` hold (links not followed)."""
    total = 0
    for top, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(top, name)
            if not os.path.islink(path):
                total += os.path.getsize(path)
    return total


def line(folder: Path = BUILD) -> str:
    """Return "build size: …" for the summary, or how to get one."""
    if not folder.is_dir():
        return "build size: run make build first"
    return f"build size: {size(folder) / 2**20:.0f} MiB ({folder})"
