"""The app on a 1366×768 laptop screen: the window fits and every main control is on screen."""

from __future__ import annotations

import pytest
from ui_helpers import WAIT_MS, wait_idle

from ui import main_window
from ui.qt import QAbstractButton, QPoint, QRect, QToolBar, QWidget

pytestmark = pytest.mark.gui

LAPTOP = QRect(0, 0, 1366, 768 - 40)  # less a task bar


def on_screen(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


@pytest.fixture
def laptop(monkeypatch: pytest.MonkeyPatch) -> QRect:
    monkeypatch.setattr(main_window, "available_screen", lambda _widget: LAPTOP)
    return LAPTOP


def test_the_window_and_its_controls_fit_a_laptop_screen(laptop: QRect, demo_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.splitter, timeout=WAIT_MS)
    assert laptop.contains(window.frameGeometry())
    assert window.width() >= laptop.width() * 8 // 10  # a useful size, not a postage stamp
    panes = [window.splitter.widget(i) for i in range(window.splitter.count())]
    controls = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QToolBar) and w.isVisible()
    ]
    assert len(panes) == 3 and len(controls) > 5
    for widget in panes + controls:
        assert laptop.contains(on_screen(widget)), (widget, on_screen(widget))


def test_a_remembered_geometry_larger_than_the_screen_is_brought_inside(
    laptop: QRect, make_window, demo_store_file, tmp_path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "library.sqlite"
    store.write_bytes(demo_store_file.read_bytes())
    first = make_window(store)
    first.setGeometry(600, 400, 1900, 1100)  # as on a big monitor
    wait_idle(qtbot, first)
    first.close()
    again = make_window(store)
    assert laptop.contains(again.frameGeometry())


def test_the_empty_middle_pane_says_how_to_start(demo_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    wait_idle(qtbot, demo_window)
    text = demo_window.workspace.outline_pane.details.text()
    assert "Create a pack (Ctrl+N)" in text and "import documents (Ctrl+I)" in text


def test_the_welcome_page_fits_a_laptop_screen(laptop: QRect, make_window, tmp_path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(tmp_path / "empty.sqlite")
    wait_idle(qtbot, window)
    welcome = window.workspace.welcome
    qtbot.waitUntil(lambda: window.stack.currentWidget() is welcome, timeout=WAIT_MS)
    assert laptop.contains(window.frameGeometry())
    for button in welcome.findChildren(QAbstractButton):
        assert laptop.contains(on_screen(button)), button.text()
