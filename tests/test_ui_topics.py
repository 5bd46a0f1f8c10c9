"""The topics dialog: edit a topic's rules, add and remove topics, and the library is retagged."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, wait_idle

from ui.main_window import MainWindow
from ui.qt import QDialog


def open_topics(qtbot: QtBot, window: MainWindow):  # type: ignore[no-untyped-def]
    window.topics_action.trigger()
    dialog = window.workspace.topics_dialog
    qtbot.waitUntil(lambda: dialog.list.count() == 14, timeout=WAIT_MS)
    return dialog


def counts(window: MainWindow) -> dict[str, int]:
    return {t.key: t.passages for t in window.library.topics()}


def test_editing_a_topics_rules_retags_the_library(qtbot: QtBot, demo_window: MainWindow) -> None:
    dialog = open_topics(qtbot, demo_window)
    dialog.list.setCurrentRow([t.info.key for t in dialog.topics].index("automobiles"))
    assert dialog.key.isReadOnly() and dialog.name.text() == "Automobiles"
    assert counts(demo_window)["automobiles"] == 1
    dialog.match.setPlainText(dialog.match.toPlainText() + "\nrobotics\nbiotech")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Saved: 2 passages" in dialog.status.text(), timeout=WAIT_MS)
    assert counts(demo_window)["automobiles"] == 2

    dialog.match.setPlainText("")  # a topic needs a rule: refused, nothing changes
    dialog.save_button.click()
    qtbot.waitUntil(
        lambda: "needs at least one match rule" in dialog.status.text(), timeout=WAIT_MS
    )
    assert counts(demo_window)["automobiles"] == 2


def test_adding_and_removing_a_topic(qtbot: QtBot, demo_window: MainWindow) -> None:
    dialog = open_topics(qtbot, demo_window)
    dialog.new_button.click()
    assert not dialog.key.isReadOnly()
    dialog.key.setText("hydrogen")
    dialog.name.setText("Hydrogen")
    dialog.match.setPlainText("hydrogen")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 15, timeout=WAIT_MS)
    assert dialog.selected_key() == "hydrogen"
    assert counts(demo_window)["hydrogen"] == 1

    dialog.remove_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 14, timeout=WAIT_MS)
    assert "hydrogen" not in counts(demo_window)
    dialog.done(QDialog.DialogCode.Rejected)
    wait_idle(qtbot, demo_window)
    assert demo_window.workspace.topics_dialog is None
