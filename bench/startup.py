"""App start-up on a 10,000-passage library against a bare PySide6 QMainWindow; both offscreen,
each in a fresh process, timed until it prints "ready". Three times are reported for ours:

- window shown: ``python -m ui.app --db LIBRARY --quit-after-start=shown`` prints "ready"
  from the first turn of the event loop after the window is shown (menus, toolbar, panes
  saying "Opening library…"), as the baseline does; this is the ≤ 1.5× target;
- library listed: ``--quit-after-start=listed`` prints it from the first turn after the
  library pane lists the library's sources, items, topics, people and glossary, read with
  `sqlite3` before SQLAlchemy is imported (`briefing.first_look`); the ≤ 3× target;
- library loaded: ``--quit-after-start`` prints it once the library is open and its lists,
  topics and packs are in the panes (the core is imported on the worker thread meanwhile).

The baseline is ``python -m bench.bare_window``.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.synthetic import Scale, build_library, new_pack
from bench.timing import Comparison

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


def run(work: Path) -> list[Comparison]:
    with build_library(work / "startup.sqlite", LIBRARY) as library:
        new_pack(library)
        db = library.store.path
    # A fresh user (settings, recent packs) and no screen.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(work / "config")}
    app = [sys.executable, "-m", "ui.app", "--db", str(db)]
    commands = {
        "shown": [*app, "--quit-after-start=shown"],
        "listed": [*app, "--quit-after-start=listed"],
        "loaded": [*app, "--quit-after-start"],
        "bare": [sys.executable, "-m", "bench.bare_window"],
    }
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(RUNS):  # alternating, so that the machine's load falls on all three alike
        for name, command in commands.items():
            best[name] = min(best[name], time_to_ready(command, env))
    name = f"app start, {LIBRARY.passages:,} passages vs bare QMainWindow"
    results = [
        Comparison(f"{name}: window shown", best["shown"], best["bare"], 1.5, "ratio ≤ 1.5"),
        Comparison(f"{name}: library listed", best["listed"], best["bare"], 3, "ratio ≤ 3"),
        Comparison(
            f"{name}: library loaded", best["loaded"], best["bare"], math.inf, "none (reported)"
        ),
    ]
    for result in results:
        print(result.line(), flush=True)
    return results
