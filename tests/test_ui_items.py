"""The item editor through the real widgets: autosave, Markdown preview, citations, closing."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_new_pack, wait_idle

from briefing.items import ItemData, item_data
from briefing.library import Library, StoreError
from db.models import Item, ItemKind, ItemStatus
from ui.item_editor import TOPIC_ROLE, ItemEditor
from ui.library_pane import REF_ROLE
from ui.main_window import MainWindow
from ui.qt import QMessageBox, QPushButton, Qt, QTreeWidgetItem

pytestmark = pytest.mark.gui


def stored(window: MainWindow, item_id: int) -> ItemData:
    with window.library.store.session() as session:
        return item_data(session, item_id)


def open_item(qtbot: QtBot, window: MainWindow, title: str) -> ItemEditor:
    """Pick the item titled `title` in the library's Items tab; return the editor showing it."""
    wait_idle(qtbot, window)
    pane = window.workspace.library_pane
    pane.tabs.setCurrentIndex(1)
    rows = [pane.items.item(i) for i in range(pane.items.count())]
    row = next(r for r in rows if r.text().split("\n")[0] == title)
    pane.items.setCurrentItem(row)
    editor = window.workspace.editor_panel.items
    item_id = row.data(REF_ROLE).id
    qtbot.waitUntil(
        lambda: editor.data is not None and editor.data.id == item_id and editor.isVisible(),
        timeout=WAIT_MS,
    )
    return editor


def wait_saved(qtbot: QtBot, editor: ItemEditor) -> None:
    qtbot.waitUntil(lambda: not editor.dirty and editor.state.text() == "Saved", timeout=WAIT_MS)


def library_row(window: MainWindow, item_id: int) -> str:
    items = window.workspace.library_pane.items
    rows = [items.item(i) for i in range(items.count())]
    return next(r.text() for r in rows if r.data(REF_ROLE).id == item_id)


def test_every_field_is_autosaved(qtbot: QtBot, demo_window: MainWindow) -> None:
    editor = open_item(qtbot, demo_window, "Will Japanese steel be exempted?")
    assert editor.title.text() == "Will Japanese steel be exempted?"
    assert editor.kind.currentData() == ItemKind.IF_ASKED.value
    item_id = editor.data.id  # type: ignore[union-attr]

    editor.title.selectAll()
    qtbot.keyClicks(editor.title, "Is an exemption for Japan possible?")
    editor.kind.setCurrentIndex(editor.kind.findData(ItemKind.LINE_TO_TAKE.value))
    editor.marking.setCurrentText("OFFICIAL-SENSITIVE")
    editor.status.setCurrentIndex(editor.status.findData(ItemStatus.DRAFT.value))
    topics = [editor.topics.item(i) for i in range(editor.topics.count())]
    coercion = next(t for t in topics if t.text() == "Economic coercion")
    coercion.setCheckState(Qt.CheckState.Checked)
    editor.body.setPlainText("Not at this stage.")
    assert editor.state.text() == "Editing…"
    wait_saved(qtbot, editor)

    saved = stored(demo_window, item_id)
    assert (saved.title, saved.kind, saved.marking, saved.status, saved.body) == (
        "Is an exemption for Japan possible?",
        ItemKind.LINE_TO_TAKE,
        "OFFICIAL-SENSITIVE",
        ItemStatus.DRAFT,
        "Not at this stage.",
    )
    assert coercion.data(TOPIC_ROLE) in saved.topic_ids
    # the library's list shows the item as saved
    qtbot.waitUntil(
        lambda: (
            library_row(demo_window, item_id)
            == "Is an exemption for Japan possible?\nline to take · OFFICIAL-SENSITIVE · draft"
        ),
        timeout=WAIT_MS,
    )


def test_switching_items_saves_the_one_left(qtbot: QtBot, demo_window: MainWindow) -> None:
    editor = open_item(qtbot, demo_window, "Retaliation risk")
    item_id = editor.data.id  # type: ignore[union-attr]
    editor.body.setPlainText("Changed just before switching.")
    open_item(qtbot, demo_window, "Anti-coercion cooperation")
    wait_idle(qtbot, demo_window)
    assert stored(demo_window, item_id).body == "Changed just before switching."


def bold_words(editor: ItemEditor) -> list[str]:
    """The words the formatted preview shows in bold."""
    found = []
    block = editor.rendered.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().fontWeight() >= 600:
                found.append(fragment.text())
            it += 1
        block = block.next()
    return found


def test_the_body_preview_is_formatted_markdown(qtbot: QtBot, demo_window: MainWindow) -> None:
    editor = open_item(qtbot, demo_window, "Retaliation risk")
    editor.body.setPlainText("We **welcome** this.\n\n- gallium\n- germanium\n\n# Heading")
    document = editor.rendered.document()
    assert document.toPlainText().splitlines()[0] == "We welcome this."  # no asterisks
    assert bold_words(editor)[0] == "welcome"
    lists = [b.textList() for b in _blocks(document) if b.textList() is not None]
    assert [b.text() for b in _blocks(document) if b.textList() is not None] == [
        "gallium",
        "germanium",
    ]
    assert lists
    assert any(b.blockFormat().headingLevel() == 1 for b in _blocks(document))


def _blocks(document):  # type: ignore[no-untyped-def]
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def expand_source(qtbot: QtBot, window: MainWindow) -> QTreeWidgetItem:
    wait_idle(qtbot, window)
    pane = window.workspace.library_pane
    pane.tabs.setCurrentIndex(0)
    source = pane.sources.topLevelItem(0)
    source.setExpanded(True)
    qtbot.waitUntil(lambda: source.childCount() == 16, timeout=WAIT_MS)
    return source


def test_cite_a_passage_picked_in_the_library(qtbot: QtBot, demo_window: MainWindow) -> None:
    editor = open_item(qtbot, demo_window, "Will Japanese steel be exempted?")
    item_id = editor.data.id  # type: ignore[union-attr]
    assert editor.citations == []
    source = expand_source(qtbot, demo_window)
    passage = source.child(13)  # ¶14, on Japan's concerns about the steel measure
    demo_window.workspace.library_pane.sources.setCurrentItem(passage)
    panel = demo_window.workspace.editor_panel
    qtbot.waitUntil(lambda: panel.currentWidget() is panel.passage, timeout=WAIT_MS)
    assert "paragraph 14" in panel.passage.heading.text()
    # the passage view offers to cite it in the item being edited
    assert panel.passage.cite.isVisible()
    assert "Will Japanese steel be exempted?" in panel.passage.cite.text()
    qtbot.mouseClick(panel.passage.cite, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.currentWidget() is editor, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: [c.seq for c in editor.citations] == [14], timeout=WAIT_MS)
    assert editor.cites.item(0).text().startswith("7th Japan-EU High-Level Economic Dialogue ¶14")
    wait_saved(qtbot, editor)
    assert [c.seq for c in stored(demo_window, item_id).citations] == [14]

    # and the citation can be taken out again
    editor.cites.setCurrentRow(0)
    remove = next(b for b in editor.findChildren(QPushButton) if b.text() == "Remove citation")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert editor.cites.count() == 0
    wait_saved(qtbot, editor)
    assert stored(demo_window, item_id).citations == ()


def test_cite_several_selected_passages_with_the_button(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    editor = open_item(qtbot, demo_window, "Will Japanese steel be exempted?")
    item_id = editor.data.id  # type: ignore[union-attr]
    source = expand_source(qtbot, demo_window)
    for seq in (7, 8):
        source.child(seq - 1).setSelected(True)
    assert demo_window.workspace.editor_panel.currentWidget() is editor
    cite = next(b for b in editor.findChildren(QPushButton) if b.text() == "Cite selected passage")
    qtbot.mouseClick(cite, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [c.seq for c in editor.citations] == [7, 8], timeout=WAIT_MS)
    wait_saved(qtbot, editor)
    assert [c.seq for c in stored(demo_window, item_id).citations] == [7, 8]


def test_a_passage_view_without_an_open_item_offers_no_citing(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    source = expand_source(qtbot, demo_window)
    demo_window.workspace.library_pane.sources.setCurrentItem(source.child(2))
    panel = demo_window.workspace.editor_panel
    qtbot.waitUntil(lambda: panel.currentWidget() is panel.passage, timeout=WAIT_MS)
    assert not panel.passage.cite.isVisible()


# -- closing -------------------------------------------------------------------------------


class Prompts:
    """QMessageBox.warning stand-in: records each prompt, answers from `answers` (else Cancel)."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.answers: list[QMessageBox.StandardButton] = []

    def __call__(self, parent, title, text, *args):  # type: ignore[no-untyped-def]
        self.shown.append(text)
        return self.answers.pop(0) if self.answers else QMessageBox.StandardButton.Cancel


@pytest.fixture
def prompts(monkeypatch) -> Prompts:  # type: ignore[no-untyped-def]
    prompts = Prompts()
    monkeypatch.setattr(QMessageBox, "warning", prompts)
    return prompts


def test_closing_saves_pending_changes_without_asking(
    qtbot: QtBot, demo_window: MainWindow, prompts: Prompts
) -> None:
    editor = open_item(qtbot, demo_window, "Retaliation risk")
    item_id = editor.data.id  # type: ignore[union-attr]
    editor.body.setPlainText("Typed a moment before closing.")
    assert editor.dirty
    assert demo_window.close()
    assert prompts.shown == []
    assert stored(demo_window, item_id).body == "Typed a moment before closing."


def test_closing_asks_only_when_changes_could_not_be_saved(
    qtbot: QtBot, demo_window: MainWindow, prompts: Prompts, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    editor = open_item(qtbot, demo_window, "Retaliation risk")

    def disk_full(_library: Library, _data: ItemData) -> ItemData:
        raise StoreError("could not save (database or disk is full)")

    monkeypatch.setattr(Library, "update_item", disk_full)
    editor.body.setPlainText("These words cannot be stored.")
    qtbot.waitUntil(lambda: editor.state.text().startswith("Not saved"), timeout=WAIT_MS)
    assert "disk is full" in editor.state.text()

    prompts.answers.append(QMessageBox.StandardButton.Cancel)
    assert not demo_window.close()
    assert demo_window.isVisible()
    assert len(prompts.shown) == 1 and "Retaliation risk" in prompts.shown[0]
    assert "could not be saved" in prompts.shown[0]

    prompts.answers.append(QMessageBox.StandardButton.Discard)
    assert demo_window.close()
    assert not demo_window.isVisible()
    assert len(prompts.shown) == 2


def test_an_item_the_outline_holds_opens_in_the_editor(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    open_new_pack(qtbot, demo_window, ["steel"])
    tree = demo_window.workspace.outline_pane.tree
    entry = tree.topLevelItem(0).child(1)
    tree.setCurrentItem(entry)
    editor = demo_window.workspace.editor_panel.items
    qtbot.waitUntil(
        lambda: editor.data is not None and editor.data.title == "Steel safeguard replacement",
        timeout=WAIT_MS,
    )
    assert [c.seq for c in editor.citations] == [14]
    assert editor.cites.count() == 1
    # editing it updates its label in the outline
    editor.title.setText("Steel safeguard: our line")
    qtbot.waitUntil(
        lambda: tree.topLevelItem(0).child(1).text(0).endswith("Steel safeguard: our line"),
        timeout=WAIT_MS,
    )


def test_the_body_preview_reads_markdown_as_the_export_does(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    editor = open_item(qtbot, demo_window, "Retaliation risk")
    editor.body.setPlainText(
        "Keep <b>this</b> & ~~that~~.\n\n- one\n  - nested\n\n"
        "| Metal | Share |\n|---|---|\n| Ga | 98% |"
    )
    document = editor.rendered.document()
    text = document.toPlainText()
    assert "Keep <b>this</b> & that." in text  # raw HTML stays text, as in the export
    assert any(f.charFormat().fontStrikeOut() for b in _blocks(document) for f in _fragments(b))
    nested = [b for b in _blocks(document) if b.text() == "nested"]
    assert nested and nested[0].textList().format().indent() == 2
    assert "Ga" in text and "98%" in text and "|" not in text  # a table, not its Markdown


def _fragments(block):  # type: ignore[no-untyped-def]
    it = block.begin()
    while not it.atEnd():
        yield it.fragment()
        it += 1


def test_the_marking_is_picked_from_the_scheme_and_an_older_one_is_kept(
    qtbot: QtBot, demo_window: MainWindow
) -> None:
    with demo_window.library.store.session() as session:  # marked before the scheme changed
        item = session.query(Item).filter_by(title="Steel safeguard replacement").one()
        item.marking = "EU RESTRICTED"
    demo_window.workspace.library_pane.refresh()
    editor = open_item(qtbot, demo_window, "Steel safeguard replacement")
    assert not editor.marking.isEditable()
    offered = [editor.marking.itemText(i) for i in range(editor.marking.count())]
    assert offered == ["", "OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET",
                       "EU RESTRICTED"]  # fmt: skip
    assert editor.marking.currentText() == "EU RESTRICTED"
    item_id = editor.data.id  # type: ignore[union-attr]
    editor.title.setText("Steel safeguard (kept marking)")
    wait_saved(qtbot, editor)
    assert stored(demo_window, item_id).marking == "EU RESTRICTED"  # saved as it was
    editor.marking.setCurrentText("SECRET")
    wait_saved(qtbot, editor)
    assert stored(demo_window, item_id).marking == "SECRET"
