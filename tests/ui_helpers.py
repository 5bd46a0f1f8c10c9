"""Helpers shared by the GUI tests (the fixtures `make_window`, `demo_window` are in conftest)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import date

from pytestqt.qtbot import QtBot

from ui.dialogs.new_pack import NewPack, NewPackDialog
from ui.main_window import MainWindow
from ui.qt import (
    QApplication,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QMimeData,
    QPoint,
    QPointF,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
)

WAIT_MS = 15000  # generous: a loaded 2-core machine can be slow, and waits end early anyway
TOPICS = ["steel", "coercion", "export-controls"]


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=WAIT_MS)


def create_pack_via_dialog(
    qtbot: QtBot, window: MainWindow, monkeypatch, marking: str = "OFFICIAL"
) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog: NewPackDialog) -> int:
        qtbot.keyClicks(dialog.title, "Brief for the Trade Minister")
        dialog.meeting.setText("Japan–EU High-Level Economic Dialogue")
        dialog.marking.setCurrentText(marking)
        dialog.check_topics(TOPICS)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NewPackDialog, "exec", fill)
    window.new_pack_action.trigger()
    qtbot.waitUntil(
        lambda: (
            window.workspace.editor.outline is not None
            and len(window.workspace.editor.outline.sections) == 3
        ),
        timeout=WAIT_MS,
    )


def open_new_pack(
    qtbot: QtBot,
    window: MainWindow,
    topics: list[str] | None = None,
    title: str = "Brief for the Trade Minister",
) -> int:
    """Create a pack on the demo library the way the New pack dialog does; wait until it shows."""
    wait_idle(qtbot, window)
    before = {p.id for p in window.library.packs()}
    spec = NewPack(
        title=title,
        meeting="Japan–EU HLED",
        date=date(2026, 5, 7),
        place="Tokyo",
        marking="OFFICIAL",
        template="ministerial",
        topics=tuple(topics or TOPICS),
    )
    window.workspace.create_pack(spec)
    qtbot.waitUntil(
        lambda: (
            window.workspace.editor.outline is not None
            and window.workspace.editor.outline.id not in before
        ),
        timeout=WAIT_MS,
    )
    wait_idle(qtbot, window)
    assert window.workspace.editor.outline is not None
    return window.workspace.editor.outline.id


def section_entries(window: MainWindow, index: int) -> list[int]:
    assert window.workspace.editor.outline is not None
    return [e.id for e in window.workspace.editor.outline.sections[index].entries]


def all_entries(window: MainWindow) -> list[list[int]]:
    assert window.workspace.editor.outline is not None
    return [[e.id for e in s.entries] for s in window.workspace.editor.outline.sections]


def section_ids(window: MainWindow) -> list[int]:
    assert window.workspace.editor.outline is not None
    return [s.id for s in window.workspace.editor.outline.sections]


def drag_and_drop(tree: QTreeWidget, mime: QMimeData, target: QTreeWidgetItem, where: str) -> None:
    """Drag `mime` over `target` and drop it at its top edge, upper or lower half.

    `where` is "top", "upper" or "lower"; the events are the ones a real drag delivers, so
    the view works out the drop indicator itself.
    """
    rect = tree.visualItemRect(target)
    y = {"top": rect.top() + 1, "upper": rect.center().y() - 2, "lower": rect.center().y() + 2}
    point = QPoint(rect.center().x(), y[where])
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    viewport = tree.viewport()
    with warnings.catch_warnings():  # PySide marks these constructors deprecated, yet they work
        warnings.simplefilter("ignore", DeprecationWarning)
        events = (
            QDragEnterEvent(point, actions, mime, button, none),
            QDragMoveEvent(point, actions, mime, button, none),
        )
    for event in events:
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted(), "the outline refused the drag"
    QApplication.sendEvent(viewport, QDropEvent(QPointF(point), actions, mime, button, none))


def pass_preflight(qtbot: QtBot, window: MainWindow, start: Callable[[], object]) -> list[str]:
    """Run `start` (an export or print action), wait for the pre-flight panel, override what
    blocks and go on, as a user who has read it; return its findings ("message code"), with
    "(blocked)" last when the panel would not let the user go on without the override."""
    preflight = window.workspace.exporter.preflight
    preflight.panel = None
    start()
    qtbot.waitUntil(lambda: preflight.panel is not None, timeout=WAIT_MS)
    panel = preflight.panel
    assert panel is not None and panel.proceed is not None
    found = [f"{f.message} {f.code}" for f in panel.findings]
    if not panel.proceed.isEnabled():
        found.append("(blocked)")
        panel.override.setChecked(True)
    panel.proceed.click()
    return found
