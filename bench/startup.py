"""App start-up: process start to a usable main window on a 10,000-passage library, against a
bare PySide6 QMainWindow; both offscreen, each in a fresh process, until it prints "ready".

Ours is ``python -m ui.app --db LIBRARY --quit-after-start`` (ready once the window is
shown and the library, topics and packs have loaded); the baseline is
``python -m bench.bare_window``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.synthetic import Scale, build_library, new_pack
from bench.timing import Comparison, compare

RUNS = 5
LIBRARY = Scale(sources=200, paragraphs=50)  # 10,000 passages
ROOT = Path(__file__).resolve().parents[1]


def time_to_ready(command: list[str], env: dict[str, str]) -> float:
    """Return the seconds from starting `command` to its printing "ready"."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    _, errors = child.communicate(timeout=60)
    if child.returncode or line.strip() != "ready":
        raise RuntimeError(f"{command} failed ({child.returncode}): {line}{errors}")
    return elapsed


def run(work: Path) -> Comparison:
    with build_library(work / "startup.sqlite", LIBRARY) as library:
        new_pack(library)
        db = library.store.path
    # A fresh user (settings, recent packs) and no screen.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(work / "config")}
    ours = [sys.executable, "-m", "ui.app", "--db", str(db), "--quit-after-start"]
    bare = [sys.executable, "-m", "bench.bare_window"]
    return compare(
        f"app start, {LIBRARY.passages:,} passages vs bare QMainWindow",
        lambda: time_to_ready(ours, env),
        lambda: time_to_ready(bare, env),
        runs=RUNS,
        max_ratio=1.5,
        target="ratio ≤ 1.5",
        clock=lambda run: run(),
    )
