"""What `pdftotext` reads back from a PDF of ours."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_BIDI_EMBEDDING = re.compile("[\u202a-\u202e]")


def pdf_text(path: Path, *options: str) -> str:
    """Return pdftotext's text of `path` (`options`: its own, e.g. "-f", "2", "-l", "2")
    without the bidi embedding marks it puts around right-to-left runs (no text of ours)."""
    out = subprocess.run(["pdftotext", *options, str(path), "-"], check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    return _BIDI_EMBEDDING.sub("", out)
