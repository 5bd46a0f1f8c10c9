"""The first look: the library pane's lists read with `sqlite3` alone, before SQLAlchemy is
imported, are what `Library.library_view()` reads through the store."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from readout import write_all

from briefing.first_look import first_look
from briefing.library import Library

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def rich_library(demo_store_file: Path, tmp_path: Path) -> Path:
    """The demo library plus a source imported in four formats, an undated pasted text and
    a caveat: every field the lists show holds something."""
    path = tmp_path / "library.sqlite"
    shutil.copy(demo_store_file, path)
    folder = tmp_path / "readout"
    folder.mkdir()
    with Library(path) as library:
        library.import_paths(write_all(folder))
        library.import_text("Ministers discussed steel overcapacity.\n\nAnd export controls.")
        library.set_marking_scheme(None, add_caveats=["UK EYES ONLY"])
    return path


def test_the_first_look_lists_what_the_library_lists(rich_library: Path) -> None:
    view = first_look(str(rich_library))
    with Library(rich_library) as library:
        assert view == library.library_view()
    assert view is not None
    assert len(view.sources) == 3 and view.sources[-1].date is None
    assert view.sources[0].date is not None and view.sources[0].passages > 0
    assert any(s.formats == ("md", "html", "docx", "pdf") for s in view.sources)
    assert view.items and view.people and view.glossary
    assert any(t.passages and t.items for t in view.topics)
    assert "UK EYES ONLY" in view.scheme.caveats


def test_a_library_is_named_by_path_url_or_environment(
    rich_library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = first_look(str(rich_library))
    assert first_look(f"sqlite:///{rich_library}") == expected
    monkeypatch.setenv("BRIEFING_DB", str(rich_library))
    assert first_look(None) == expected
    monkeypatch.delenv("BRIEFING_DB")
    assert first_look(None) is None  # the default library: the store finds it


def test_what_is_not_a_readable_library_gives_none(rich_library: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("These are my notes, not a library.\n", "utf-8")
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    odd = tmp_path / "odd.sqlite"
    shutil.copy(rich_library, odd)
    with sqlite3.connect(odd) as con:  # a kind of item this version does not know
        con.execute("UPDATE item SET kind = 'haiku' WHERE id = 1")
    missing = tmp_path / "missing.sqlite"
    for target in (notes, empty, odd, missing, tmp_path):
        assert first_look(str(target)) is None, target
    assert first_look("postgresql://team/briefing") is None
    assert not missing.exists()  # read only: nothing is created


def test_the_first_look_and_the_library_pane_import_no_sqlalchemy(rich_library: Path) -> None:
    code = (
        "import sys\n"
        "from briefing.first_look import first_look\n"
        "import ui.library_pane\n"
        f"view = first_look({str(rich_library)!r})\n"
        "print(len(view.sources), sorted(m for m in sys.modules if m.startswith('sqlalchemy')))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.strip() == "3 []", out.stdout + out.stderr
