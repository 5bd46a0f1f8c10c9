"""Peak memory of exporting a 40-page and a 400-page pack, each in a fresh process.

The parent builds the libraries, then runs ``python -m bench.memory LIBRARY PACK [OUT]``
once without OUT (imports and the open library only: the floor) and once per pack. Each
child prints its own peak RSS (``VmHWM``): the parent's `wait4` figure would not do, as
Linux carries the parent's peak into a forked child's ``ru_maxrss`` across ``exec``. What
an export adds is its peak minus the floor; growing no faster than the page count means
the cost is linear (or better).
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.synthetic import PACK_40, PACK_400, build_library, new_pack
from bench.timing import Row


def peak_rss_mb(args: list[str], module: str = "bench.memory") -> float:
    """Run ``python -m MODULE *args`` and return its peak resident set size in MB (the last
    word it prints, in kB)."""
    root = Path(__file__).resolve().parents[1]
    child = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(child.stdout.split()[-1]) / 1024


def own_peak_kb() -> int:
    """Return this process's peak resident set size in kB (Linux)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))


@dataclass(frozen=True)
class Memory:
    floor: float
    small: float  # 40 pages
    large: float  # 400 pages
    pages: tuple[int, int]

    @property
    def growth(self) -> float:
        """How many times more the large export adds over the floor than the small one."""
        return (self.large - self.floor) / (self.small - self.floor)

    @property
    def page_growth(self) -> float:
        return self.pages[1] / self.pages[0]

    def line(self) -> str:
        small, large = self.pages
        return (
            f"memory: peak RSS {self.floor:.0f} MB before export, {self.small:.0f} MB for "
            f"{small} pages, {self.large:.0f} MB for {large} pages; export adds "
            f"{self.small - self.floor:.0f} → {self.large - self.floor:.0f} MB, growth "
            f"{self.growth:.1f}× for {self.page_growth:.1f}× the pages"
        )

    def row(self) -> Row:
        return Row(
            "memory 40 → 400 pages",
            f"growth {self.growth:.1f}× ({self.small:.0f} → {self.large:.0f} MB)",
            f"≤ {self.page_growth:.1f}× (linear)",
            self.growth <= self.page_growth,
        )


def run(work: Path) -> Memory:
    from pypdf import PdfReader

    jobs = []
    for name, scale in (("mem40", PACK_40), ("mem400", PACK_400)):
        with build_library(work / f"{name}.sqlite", scale) as library:
            jobs.append((str(library.store.path), str(new_pack(library)), work / f"{name}.pdf"))
    floor = peak_rss_mb(list(jobs[0][:2]))
    small, large = (peak_rss_mb([db, pack, str(out)]) for db, pack, out in jobs)
    pages = tuple(len(PdfReader(out).pages) for _, _, out in jobs)
    result = Memory(floor, small, large, (pages[0], pages[1]))
    print(result.line(), flush=True)
    return result


def _child(db: str, pack: str, out: str | None) -> None:
    import briefing.render  # noqa: F401  (the floor includes the renderers' imports)
    from briefing.library import Library

    with Library(db) as library:
        if out:
            library.export(int(pack), Path(out))
    print(own_peak_kb())


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
