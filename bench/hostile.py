"""Importing a folder of hostile files: every file refused with a reason or imported, the app's
process never growing with them (parsing runs in the worker processes, limited to 1 GB each).

Reports the peak memory of the importing process and of the worker processes, and how many
files were refused, against the workers' limit.
"""

from __future__ import annotations

import io
import random
import resource
import zipfile
from pathlib import Path

from bench.timing import Row
from briefing.ingest.workers import MEMORY, ParserPool
from briefing.library import Library

FILES = 24


def hostile_folder(folder: Path) -> Path:
    """Write random bytes, broken zips and PDFs, a zip bomb-ish Word file and a huge text."""
    rng = random.Random(7)
    folder.mkdir()
    for i in range(FILES // 4):
        (folder / f"noise-{i}.docx").write_bytes(rng.randbytes(20_000))
        (folder / f"noise-{i}.pdf").write_bytes(b"%PDF-1.7\n" + rng.randbytes(20_000))
        (folder / f"broken-{i}.html").write_bytes(b"<html><body>" + b"<div>" * 50_000)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("word/document.xml", "<w:document>" + "x" * 5_000_000)
        (folder / f"deflated-{i}.docx").write_bytes(buffer.getvalue())
    (folder / "long.txt").write_text("Steel overcapacity. " * 200_000, "utf-8")
    return folder


def run(work: Path) -> list[Row]:
    folder = hostile_folder(work / "hostile")
    with Library(work / "lib.sqlite") as library, ParserPool() as pool:
        results = library.import_paths([folder], parsers=pool)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB (Linux: kB)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    refused = sum(r.status == "failed" for r in results)
    limit = MEMORY / 2**20
    print(f"hostile folder: {len(results)} files, {refused} refused with a reason;"
          f" peak memory: importer {own:.0f} MB, largest worker {children:.0f} MB")  # fmt: skip
    return [
        Row(
            "hostile folder: peak memory of a parser worker",
            f"{children:.0f} MB ({refused}/{len(results)} refused)",
            f"≤ {limit:.0f} MB (the worker limit)",
            children <= limit and len(results) == FILES + 1,
        )
    ]
