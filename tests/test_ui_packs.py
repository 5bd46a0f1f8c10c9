"""Changing and removing packs and sources in the app (pytest-qt, real widgets): the pack
settings dialog (and a stale save), copying and deleting a pack, deleting a quoted source, and
Edit ▸ Undo putting what went back with the same ids."""

from __future__ import annotations

from datetime import date

import docx
import pypdf
import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_new_pack, pass_preflight, wait_idle

from briefing.errors import InputError
from briefing.library import EntryKind, Library
from ui.dialogs.pack_settings import PackSettingsDialog
from ui.library_pane import REF_ROLE
from ui.main_window import MainWindow
from ui.qt import QDate, QDialogButtonBox, QFileDialog, QInputDialog, QMessageBox, QPushButton, Qt

pytestmark = pytest.mark.gui


def open_settings(qtbot: QtBot, window: MainWindow) -> PackSettingsDialog:
    wait_idle(qtbot, window)
    window.workspace.pack_settings_dialog = None
    assert window.pack_settings_action.isEnabled()
    window.pack_settings_action.trigger()
    qtbot.waitUntil(lambda: window.workspace.pack_settings_dialog is not None, timeout=WAIT_MS)
    dialog = window.workspace.pack_settings_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def press_ok(dialog: PackSettingsDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer every confirmation with Yes; return the texts asked."""
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def outline_ids(window: MainWindow) -> list[tuple[int, list[int]]]:
    outline = window.workspace.editor.outline
    assert outline is not None
    return [(s.id, [e.id for e in s.entries]) for s in outline.sections]


def test_the_settings_dialog_changes_the_pack(qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    pack = open_new_pack(qtbot, window)
    library = window.library
    assert library is not None
    known = library.people()[0].name
    dialog = open_settings(qtbot, window)
    assert dialog.title.text() == "Brief for the Trade Minister"

    dialog.title.clear()
    press_ok(dialog)
    assert "title" in dialog.problem.text() and dialog.isVisible()

    qtbot.keyClicks(dialog.title, "Brief for the Minister")
    dialog.meeting.setText("HLED, second round")
    dialog.date.setDate(QDate(2026, 6, 1))
    dialog.place.setText("Brussels")
    for name in (known, "Jane Typed"):
        dialog.person.setCurrentText(name)
        dialog.add_person.click()
    dialog.marking.setCurrentText("OFFICIAL-SENSITIVE")
    dialog.template.setCurrentText("compact")
    dialog.paper.setCurrentIndex(dialog.paper.findData("Letter"))
    press_ok(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    stored = library.pack_outline(pack)
    assert (stored.title, stored.meeting, stored.date, stored.place) == (
        "Brief for the Minister", "HLED, second round", date(2026, 6, 1), "Brussels")  # fmt: skip
    assert (stored.marking, stored.template, stored.paper_size) == (
        "OFFICIAL-SENSITIVE", "compact", "Letter")  # fmt: skip
    assert [(p.name, p.person_id is not None) for p in stored.participants] == [
        (known, True), ("Jane Typed", False)]  # fmt: skip
    # the window follows the broadcast change
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Brief for the Minister"),
                    timeout=WAIT_MS)  # fmt: skip

    dialog = open_settings(qtbot, window)  # no date, then a reorder and a removal
    dialog.date.setDate(dialog.date.minimumDate())
    dialog.participants.setCurrentRow(1)
    dialog._move_person(-1)
    dialog.participants.setCurrentRow(1)
    dialog._remove_person()
    press_ok(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    stored = library.pack_outline(pack)
    assert stored.date is None and [p.name for p in stored.participants] == ["Jane Typed"]


def test_a_stale_settings_save_asks_and_never_overwrites(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    window = demo_window
    pack = open_new_pack(qtbot, window)
    library = window.library
    assert library is not None
    dialog = open_settings(qtbot, window)
    library.edit_pack(pack, title="Changed elsewhere", place="Osaka")  # as another window would
    dialog.title.setText("Mine")
    press_ok(dialog)
    qtbot.waitUntil(lambda: dialog.conflict_box is not None, timeout=WAIT_MS)
    box = dialog.conflict_box
    assert box is not None and box.isVisible()
    assert "“Changed elsewhere” was changed elsewhere at" in box.text()
    assert dialog.isVisible() and library.pack_outline(pack).title == "Changed elsewhere"

    next(b for b in box.buttons() if b.text() == "Take theirs").click()
    assert dialog.title.text() == "Changed elsewhere" and dialog.place.text() == "Osaka"

    library.edit_pack(pack, title="Changed again")
    dialog.conflict_box = None
    dialog.title.setText("Mine after all")
    press_ok(dialog)
    qtbot.waitUntil(lambda: dialog.conflict_box is not None, timeout=WAIT_MS)
    box = dialog.conflict_box
    assert box is not None
    next(b for b in box.buttons() if b.text() == "Keep mine").click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    stored = library.pack_outline(pack)
    assert (stored.title, stored.place) == ("Mine after all", "Osaka")


def test_copy_pack_opens_the_copy(qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    pack = open_new_pack(qtbot, window)
    before = [[e.label for e in s.entries] for s in window.workspace.editor.outline.sections]  # type: ignore[union-attr]
    window.copy_pack_action.trigger()
    qtbot.waitUntil(
        lambda: window.workspace.editor.outline is not None
        and window.workspace.editor.outline.id != pack,
        timeout=WAIT_MS,
    )
    copy = window.workspace.editor.outline
    assert copy is not None and copy.title == "Brief for the Trade Minister (copy)"
    assert [[e.label for e in s.entries] for s in copy.sections] == before


def test_delete_pack_then_undo_puts_it_back(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = demo_window
    pack = open_new_pack(qtbot, window)
    library = window.library
    assert library is not None
    before, outline = outline_ids(window), library.pack_outline(pack)
    asked = answer_yes(monkeypatch)
    window.delete_pack_action.trigger()
    assert "“Brief for the Trade Minister”" in asked[0]
    qtbot.waitUntil(lambda: not library.packs(), timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert window.workspace.editor.outline is None and window.windowTitle() == "Briefing"
    assert not window.delete_pack_action.isEnabled()
    window.undo_action.trigger()
    qtbot.waitUntil(
        lambda: window.workspace.editor.outline is not None
        and window.workspace.editor.outline.id == pack,
        timeout=WAIT_MS,
    )
    assert outline_ids(window) == before and library.pack_outline(pack) == outline
    window.redo_action.trigger()  # and it can go again, and come back at once
    window.undo_action.trigger()  # queued behind the delete, before its result arrives
    qtbot.waitUntil(
        lambda: window.workspace.editor.outline is not None
        and window.workspace.editor.outline.id == pack,
        timeout=WAIT_MS,
    )
    wait_idle(qtbot, window)
    assert outline_ids(window) == before


def test_delete_a_quoted_source_says_where_it_is_used_and_undo_restores_it(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = demo_window
    pack = open_new_pack(qtbot, window)
    library = window.library
    assert library is not None
    outline = library.pack_outline(pack)
    quoted = [e for s in outline.sections for e in s.entries if e.kind is EntryKind.PASSAGE]
    citations = library.item(2).citations
    hits = [h.id for h in library.search("overcapacity") if h.kind == "passage"]
    assert quoted and citations and hits

    pane = window.workspace.library_pane
    pane.tabs.setCurrentIndex(0)
    row = pane.sources.topLevelItem(0)
    assert row is not None and row.data(0, REF_ROLE).id == 1
    pane.sources.setCurrentItem(row)
    asked = answer_yes(monkeypatch)
    pane.delete_source_button.click()
    qtbot.waitUntil(lambda: not library.sources(), timeout=WAIT_MS)
    text = asked[0]
    assert f"quoted in pack {pack} “Brief for the Trade Minister” ({len(quoted)} entries)" in text
    assert "cited by item 2 " in text and "go too" in text
    qtbot.waitUntil(lambda: pane.sources.topLevelItemCount() == 0, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: window.workspace.editor.outline is not None
        and not any(e.kind is EntryKind.PASSAGE
                    for s in window.workspace.editor.outline.sections for e in s.entries),
        timeout=WAIT_MS,
    )  # fmt: skip
    assert library.item(2).citations == ()

    window.undo_action.trigger()
    qtbot.waitUntil(lambda: pane.sources.topLevelItemCount() == 1, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert [h.id for h in library.search("overcapacity") if h.kind == "passage"] == hits
    assert library.pack_outline(pack) == outline
    assert library.item(2).citations == citations
    qtbot.waitUntil(lambda: window.workspace.editor.outline == outline, timeout=WAIT_MS)


def test_the_delete_key_asks_to_delete_the_source(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = demo_window
    wait_idle(qtbot, window)
    pane = window.workspace.library_pane
    row = pane.sources.topLevelItem(0)
    assert row is not None
    pane.sources.setFocus()
    pane.sources.setCurrentItem(row)
    asked = answer_yes(monkeypatch)
    qtbot.keyClick(pane.sources, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT_MS)
    assert "cited by item 2 " in asked[0]


def test_an_error_from_the_core_is_shown_in_the_dialog(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = demo_window
    open_new_pack(qtbot, window)
    dialog = open_settings(qtbot, window)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise InputError('paper size "B5": expected one of A4, Letter, or none')

    monkeypatch.setattr(Library, "edit_pack", refuse)
    dialog.place.setText("Kyoto")
    press_ok(dialog)
    qtbot.waitUntil(lambda: "B5" in dialog.problem.text(), timeout=WAIT_MS)
    assert dialog.isVisible() and "Traceback" not in dialog.problem.text()
    assert dialog.buttons.isEnabled()  # the user can correct and try again


def test_issue_revision_says_which_in_the_status_bar(qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    pack = open_new_pack(qtbot, window)
    library = window.library
    assert library is not None
    wait_idle(qtbot, window)
    assert window.issue_action.isEnabled()
    window.issue_action.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Issued revision 1",
                    timeout=WAIT_MS)  # fmt: skip
    window.issue_action.trigger()
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == "No change since revision 1",
        timeout=WAIT_MS,
    )
    assert [r.number for r in library.revisions(pack)] == [1]


def issue_then_edit(qtbot: QtBot, window: MainWindow, body: str) -> None:
    """Open a new steel pack, issue revision 1, then rewrite one of its items as `body`."""
    pack_id = open_new_pack(qtbot, window, ["steel"])
    library = window.library
    assert library is not None and library.issue_revision(pack_id) == 1
    [item] = [i for i in library.items() if i.title == "Steel safeguard replacement"]
    library.edit_item(item.id, body=body)


def test_export_with_changes_since_a_revision(
    qtbot: QtBot, demo_window: MainWindow, tmp_path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    window = demo_window
    issue_then_edit(qtbot, window, "The EU's steel measure is **WTO-compatible** now.")
    asked: list[list[str]] = []

    def pick(_parent, _title, _label, labels, *_args):  # type: ignore[no-untyped-def]
        asked.append(list(labels))
        return labels[0], True

    target = tmp_path / "changes.pdf"
    monkeypatch.setattr(QInputDialog, "getItem", pick)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    with qtbot.waitSignal(window.workspace.exporter.exported, timeout=WAIT_MS):
        pass_preflight(qtbot, window, window.export_changes_action.trigger)
    assert asked and asked[0][0].startswith("Revision 1, issued ")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    assert "Changes since revision 1" in text and "WTO-compatible" in text


def test_an_issued_revision_is_exported_as_issued_in_word(
    qtbot: QtBot, demo_window: MainWindow, tmp_path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    window = demo_window
    issue_then_edit(qtbot, window, "Rewritten after the revision was issued.")
    monkeypatch.setattr(
        QInputDialog, "getItem", lambda _p, _t, _l, labels, *_a: (labels[0], True)
    )
    target = tmp_path / "r1"  # no suffix: the Word filter chosen makes it .docx
    filters: list[str] = []

    def save(_parent, _title, _where, offered, *_args):  # type: ignore[no-untyped-def]
        filters.append(offered)
        return str(target), "Word document (*.docx)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    with qtbot.waitSignal(window.workspace.exporter.exported, timeout=WAIT_MS) as signal:
        window.export_revision_action.trigger()  # no pre-flight: it was issued as it is
    assert signal.args == [str(tmp_path / "r1.docx")] and "*.pdf" in filters[0]
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "r1.docx")).paragraphs)
    assert "Revision 1" in text and "Rewritten after" not in text


def test_a_sources_marking_is_set_from_the_app(
    qtbot: QtBot, demo_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = demo_window
    open_new_pack(qtbot, window, ["steel"])  # OFFICIAL, quoting the demo statement
    pane = window.workspace.library_pane
    row = pane.sources.topLevelItem(0)
    assert row is not None
    pane.sources.setCurrentItem(row)
    offered: list[list[str]] = []

    def pick(_parent, _title, _label, labels, *_args):  # type: ignore[no-untyped-def]
        offered.append(list(labels))
        return "SECRET", True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    source_id = pane.selected_source()
    next(b for b in pane.findChildren(QPushButton) if b.text() == "Set marking…").click()
    library = window.library
    assert library is not None and source_id is not None
    qtbot.waitUntil(lambda: library.source(source_id).marking == "SECRET", timeout=WAIT_MS)
    assert offered[0][:2] == ["(none)", "OFFICIAL"]
    # the pack now shows content marked above its own marking, raised by the quotations
    details = window.workspace.outline_pane.details
    qtbot.waitUntil(lambda: "content marked SECRET" in details.text(), timeout=WAIT_MS)
