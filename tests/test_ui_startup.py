"""Start-up: the shell shows before the library has loaded; opening, creating and remembering
libraries; a library that cannot be opened leaves a usable window."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_new_pack, wait_idle

from ui import settings as opt
from ui.library_pane import LibraryPane
from ui.main_window import MainWindow, Placeholder, remembered_library
from ui.qt import QFileDialog, QMessageBox, QSettings
from ui.settings import Settings

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def shell(qtbot: QtBot, settings: Settings) -> MainWindow:
    """A shown window with no library opened yet."""
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.runner.wait()
    if window.library is not None:
        window.library.close()


def demo_copy(demo_store_file: Path, folder: Path, name: str = "library.sqlite") -> Path:
    path = folder / name
    shutil.copy(demo_store_file, path)
    return path


def bad_library(folder: Path) -> Path:
    path = folder / "notes.sqlite"
    path.write_text("These are my notes, not a library.\n", "utf-8")
    return path


def test_the_shell_shows_before_the_library_and_waits_for_it(
    qtbot: QtBot, shell: MainWindow, demo_store_file: Path, tmp_path: Path
) -> None:
    assert shell.isVisible() and shell.library is None
    panes = [shell.splitter.widget(i) for i in range(3)]
    assert all(isinstance(p, Placeholder) for p in panes)
    assert not any(a.isEnabled() for a in shell.library_actions + shell.pack_actions)
    assert shell.open_library_action.isEnabled() and shell.new_library_action.isEnabled()

    store = demo_copy(demo_store_file, tmp_path)
    with qtbot.waitSignal(shell.library_opened, timeout=WAIT_MS) as opened:
        shell.open_library(str(store))
        assert panes[0].message.text() == "Opening library…"
        assert not shell.new_pack_action.isEnabled()  # not until the library is there
    assert opened.args[0] is shell.library
    assert shell.library is not None and shell.library.store.path == store
    assert shell.splitter.widget(0) is shell.workspace.library_pane
    assert shell.new_pack_action.isEnabled() and not shell.export_pdf_action.isEnabled()
    qtbot.waitUntil(lambda: shell.workspace.library_pane.items.count() == 6, timeout=WAIT_MS)


def test_the_library_is_listed_before_the_core_has_opened_it(
    qtbot: QtBot, shell: MainWindow, demo_store_file: Path, tmp_path: Path
) -> None:
    store = demo_copy(demo_store_file, tmp_path)
    listed: list[object] = []
    shell.library_listed.connect(lambda: listed.append(shell.library))
    with qtbot.waitSignal(shell.library_opened, timeout=WAIT_MS):
        shell.open_library(str(store))
        pane = shell.splitter.widget(0)
        assert listed == [None]  # listed from the first look, the library not open yet
        assert isinstance(pane, LibraryPane) and not pane.isEnabled()
        assert pane.sources.topLevelItemCount() == 1 and pane.items.count() == 6
        assert pane.tabs.tabText(1) == "Items (6)"
    assert shell.workspace.library_pane is pane and shell.splitter.widget(0) is pane
    wait_idle(qtbot, shell)
    assert pane.isEnabled() and pane.items.count() == 6 and listed == [None]
    pane.sources.topLevelItem(0).setExpanded(True)  # reads the passages through the library
    qtbot.waitUntil(lambda: pane.sources.topLevelItem(0).childCount() == 16, timeout=WAIT_MS)


def test_a_library_listed_at_first_look_that_cannot_be_opened_is_reported(
    qtbot: QtBot, shell: MainWindow, demo_store_file: Path, tmp_path: Path
) -> None:
    store = demo_copy(demo_store_file, tmp_path)
    with sqlite3.connect(store) as con:  # as if written by a newer version of the app
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    with qtbot.waitSignal(shell.library_failed, timeout=WAIT_MS):
        shell.open_library(str(store))
        assert isinstance(shell.splitter.widget(0), LibraryPane)
    assert shell.error_box is not None and "Cannot open the library" in shell.error_box.text()
    shell.error_box.close()
    placeholder = shell.splitter.widget(0)
    assert isinstance(placeholder, Placeholder) and placeholder.isVisible()
    assert "No library is open" in placeholder.message.text()
    assert all(button.isVisible() for button in placeholder.buttons)


def test_a_bad_library_is_reported_and_another_can_be_opened(
    qtbot: QtBot, shell: MainWindow, demo_store_file: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(shell.library_failed, timeout=WAIT_MS) as failed:
        shell.open_library(str(bad_library(tmp_path)))
    box = shell.error_box
    assert box is not None and box.isVisible()
    assert box.icon() == QMessageBox.Icon.Critical
    assert "Cannot open the library" in box.text() and "notes.sqlite" in box.text()
    assert failed.args[0] in box.text() and "Traceback" not in box.text()
    box.close()

    placeholder = shell.splitter.widget(0)
    assert isinstance(placeholder, Placeholder)
    assert "No library is open" in placeholder.message.text()
    assert all(button.isVisible() for button in placeholder.buttons)
    assert not shell.new_pack_action.isEnabled()
    assert shell.open_library_action.isEnabled() and shell.new_library_action.isEnabled()
    assert shell.settings.get(opt.LAST_LIBRARY) == ""

    store = demo_copy(demo_store_file, tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(store), ""))
    with qtbot.waitSignal(shell.library_opened, timeout=WAIT_MS):
        placeholder.buttons[0].click()  # Open library…
    assert shell.library is not None and shell.library.store.path == store
    assert shell.new_pack_action.isEnabled()


def test_a_new_library_starts_empty_and_an_existing_file_is_not_replaced(
    qtbot: QtBot, shell: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    existing = bad_library(tmp_path)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(existing), ""))
    shell.new_library_action.trigger()
    assert "already exists" in warnings[0]
    assert existing.read_text("utf-8").startswith("These are my notes")
    assert shell.library is None

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "q3"), ""))
    with qtbot.waitSignal(shell.library_opened, timeout=WAIT_MS):
        shell.new_library_action.trigger()
    assert shell.library is not None and shell.library.store.path == tmp_path / "q3.sqlite"
    qtbot.waitUntil(lambda: shell.stack.currentWidget() is shell.workspace.welcome, timeout=WAIT_MS)


def test_opening_another_library_replaces_the_panes_and_keeps_the_old_one_on_failure(
    qtbot: QtBot, make_window, demo_store_file: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(demo_copy(demo_store_file, tmp_path))
    first = window.library
    open_new_pack(qtbot, window, ["steel"])
    assert window.export_pdf_action.isEnabled() and window.recent_menu.isEnabled()
    old_pane = window.workspace.library_pane

    # a file that is not a library: the one open stays open and usable
    monkeypatch.setattr(QMessageBox, "open", lambda box: None)
    with qtbot.waitSignal(window.library_failed, timeout=WAIT_MS):
        window.open_library(str(bad_library(tmp_path)))
    assert window.library is first and window.workspace.library_pane is old_pane
    assert window.new_pack_action.isEnabled() and window.export_pdf_action.isEnabled()

    other = tmp_path / "other.sqlite"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    with qtbot.waitSignal(window.library_opened, timeout=WAIT_MS):
        window.open_library_action.trigger()
    wait_idle(qtbot, window)
    assert window.library is not first and window.library.store.path == other
    assert window.splitter.widget(0) is window.workspace.library_pane is not old_pane
    assert window.stack.currentWidget() is window.workspace.welcome  # the new one is empty
    assert window.workspace.editor.outline is None and window.undo_stack.count() == 0
    assert not window.export_pdf_action.isEnabled() and not window.recent_menu.isEnabled()
    assert window.windowTitle() == "Briefing"
    assert window.settings.get(opt.RECENT) == []  # those packs were in the other library


def test_the_last_library_is_remembered(
    qtbot: QtBot, make_window, demo_store_file: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    store = demo_copy(demo_store_file, tmp_path, "mine.sqlite")
    window = make_window(store)
    assert window.settings.get(opt.LAST_LIBRARY) == str(store)
    again = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert remembered_library(again) == str(store)
    monkeypatch.setenv("BRIEFING_DB", str(tmp_path / "env.sqlite"))
    assert remembered_library(again) is None  # $BRIEFING_DB comes first
    monkeypatch.delenv("BRIEFING_DB")
    assert window.workspace._poll.isActive()
    window.close()
    assert not window.workspace._poll.isActive()  # a closed window looks for changes no more
    window.runner.wait()
    window.library.close()
    store.unlink()
    assert remembered_library(again) is None  # gone: the default library, not a new empty one


def run_app(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "ui.app", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_app_starts_and_reports_a_bad_library_without_a_traceback(
    demo_store_file: Path, tmp_path: Path
) -> None:
    good = run_app("--db", str(demo_copy(demo_store_file, tmp_path)), "--quit-after-start",
                   home=tmp_path / "config")  # fmt: skip
    assert good.returncode == 0 and good.stdout == "ready\n", good.stderr
    listed = run_app("--db", str(tmp_path / "library.sqlite"), "--quit-after-start=listed",
                     home=tmp_path / "config")  # fmt: skip
    assert listed.returncode == 0 and listed.stdout == "ready\n", listed.stderr
    bad = run_app("--db", str(bad_library(tmp_path)), "--quit-after-start", home=tmp_path / "c")
    assert bad.returncode == 1 and bad.stdout == ""
    assert "cannot open the library" in bad.stderr and "Traceback" not in bad.stderr


def test_the_shell_imports_neither_the_core_nor_the_pdf_and_print_modules() -> None:
    code = (
        "import sys, ui.app\n"
        "heavy = ('sqlalchemy', 'db', 'templates', 'briefing.library', 'ui.workspace',"
        " 'PySide6.QtPdf', 'PySide6.QtPdfWidgets', 'PySide6.QtPrintSupport')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr
