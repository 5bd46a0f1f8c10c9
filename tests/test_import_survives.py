"""Imports survive anything (issue 14): odd runs, crashing parsers, every character kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.document import Run
from briefing.ingest import parse_file


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- same-style runs separated by spaces ------------------------------------------------


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("bold.md", "Steel: **a** **b** **c**\n",
     (Run("Steel: "), Run("a b c", bold=True))),
    ("bold.html", "<p>Steel: <b>a</b> <b>b</b> <b>c</b></p>",
     (Run("Steel: "), Run("a b c", bold=True))),
    ("links.md", "Steel: [a](https://x.org) [b](https://x.org) [c](https://x.org)\n",
     (Run("Steel: "), Run("a b c", link="https://x.org"))),
    ("links.html", '<p>Steel: <a href="https://x.org">a</a> <a href="https://x.org">b</a>'
     ' <a href="https://x.org">c</a> and <i>d</i> <i>e</i></p>',
     (Run("Steel: "), Run("a b c", link="https://x.org"), Run(" and "),
      Run("d e", italic=True))),
])
def test_runs_of_one_style_separated_by_spaces(
    tmp_path: Path, name: str, text: str, expected: tuple[Run, ...]
) -> None:
    [paragraph] = parse_file(write(tmp_path / name, text)).paragraphs
    assert paragraph.runs == expected
