"""Shared fixtures. Qt runs offscreen; a demo library is built once and copied per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SAMPLE = (
    Path(__file__).resolve().parents[1]
    / "briefing"
    / "data"
    / "demo"
    / "japan-eu-hled-2026-05-07.md"
)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep tests away from the real user's library, settings and templates."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))  # the log file
    monkeypatch.delenv("BRIEFING_DB", raising=False)
    monkeypatch.delenv("BRIEFING_TEMPLATES", raising=False)


@pytest.fixture(scope="session")
def demo_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from briefing.library import Library

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with Library(path) as library:
        library.load_demo()
    return path


@pytest.fixture
def demo_library(demo_store_file: Path, tmp_path: Path) -> Iterator[object]:
    """A fresh copy of the demo library, open."""
    from briefing.library import Library

    path = tmp_path / "library.sqlite"
    shutil.copy(demo_store_file, path)
    with Library(path) as library:
        yield library


@pytest.fixture
def empty_library(tmp_path: Path) -> Iterator[object]:
    from briefing.library import Library

    with Library(tmp_path / "library.sqlite") as library:
        yield library


# -- GUI -------------------------------------------------------------------------------


@pytest.fixture
def make_window(qtbot, tmp_path: Path) -> Iterator:  # type: ignore[no-untyped-def]
    """Return a function showing a main window and opening a store in it (returning once the
    library is open; its lists may still be loading). Every window of a test shares one
    settings file, so a second window is the app started again."""
    from ui_helpers import WAIT_MS

    from ui.main_window import MainWindow
    from ui.qt import QSettings
    from ui.settings import Settings

    windows: list[MainWindow] = []

    def make(store: Path) -> MainWindow:
        settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        with qtbot.waitSignal(window.library_opened, timeout=WAIT_MS):
            window.open_library(str(store))
        return window

    yield make
    for window in windows:
        window.runner.wait()
        if window.library is not None:
            window.library.close()


@pytest.fixture
def demo_window(make_window, demo_store_file: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The main window on a fresh copy of the demo library."""
    store = tmp_path / "library.sqlite"
    shutil.copy(demo_store_file, store)
    return make_window(store)


# -- PostgreSQL -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """A throwaway PostgreSQL cluster for the whole session (tests/pg.py)."""
    from pg import running_cluster

    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The URL of a new, empty Briefing library on PostgreSQL, dropped after the test."""
    url = pg_cluster.new_database()
    yield url
    pg_cluster.drop_database(url)


ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="module", params=ENGINES)
def new_target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A function returning where a new, empty library goes, on each engine in turn: a file
    path for SQLite, a new database's URL on the session's PostgreSQL cluster."""
    if request.param == "sqlite":
        return lambda: str(tmp_path_factory.mktemp("lib") / "library.sqlite")
    cluster = request.getfixturevalue("pg_cluster")
    return cluster.new_database
