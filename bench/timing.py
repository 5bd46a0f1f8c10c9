"""Timing two ways of doing one piece of work, and the rows of the summary table."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Row:
    """One line of the summary table."""

    name: str
    measured: str
    target: str
    passed: bool

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "MISS"


@dataclass(frozen=True)
class Comparison:
    """Best times of our way and the baseline's, and the target for their ratio."""

    name: str
    ours: float
    baseline: float
    max_ratio: float  # ours / baseline must not exceed this
    target: str

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline

    def line(self) -> str:
        return (
            f"{self.name}: ours {self.ours:.3f} s, baseline {self.baseline:.3f} s, "
            f"ratio {self.ratio:.2f}"
        )

    def row(self) -> Row:
        return Row(self.name, f"ratio {self.ratio:.2f}", self.target, self.ratio <= self.max_ratio)


def timed(work: Callable[[], Any]) -> float:
    """Return the seconds `work()` takes, with the garbage collector's debts paid first."""
    gc.collect()
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def compare(
    name: str,
    ours: Callable[[], Any],
    baseline: Callable[[], Any],
    *,
    runs: int,
    max_ratio: float,
    target: str,
    clock: Callable[[Callable[[], Any]], float] = timed,
) -> Comparison:
    """Run both ways `runs` times, alternating, and compare the best time of each.

    `clock(work)` returns the seconds one run takes: by default the wall time of `work()`;
    pass ``lambda work: work()`` when each run measures itself.
    """
    best_ours = best_base = float("inf")
    for _ in range(runs):
        best_ours = min(best_ours, clock(ours))
        best_base = min(best_base, clock(baseline))
    result = Comparison(name, best_ours, best_base, max_ratio, target)
    print(result.line(), flush=True)
    return result
