"""Settings, window state, recent packs, print preview, the welcome panel and the About box."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import WAIT_MS, open_new_pack, wait_idle

from briefing import __version__
from briefing.markings import Scheme
from ui import main_window
from ui import settings as opt
from ui.dialogs.new_pack import NewPackDialog
from ui.dialogs.settings_dialog import SettingsDialog
from ui.main_window import MainWindow
from ui.qt import (
    QApplication,
    QFileDialog,
    QMessageBox,
    QPrintPreviewDialog,
    QPrintPreviewWidget,
    QRect,
    QSettings,
    Qt,
    QTimer,
    qVersion,
)
from ui.settings import Settings

pytestmark = pytest.mark.gui


SCHEME = Scheme(("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET"), ("UK EYES ONLY",))
MARKINGS = ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "OFFICIAL UK EYES ONLY",
            "OFFICIAL-SENSITIVE UK EYES ONLY", "SECRET UK EYES ONLY"]  # fmt: skip


def fill_settings(dialog: SettingsDialog) -> int:
    dialog.author.setText("  A. Official ")
    dialog.organisation.setText("Trade Policy Unit")
    dialog.template.setCurrentText("compact")
    dialog.paper.setCurrentIndex(dialog.paper.findData("Letter"))
    assert not dialog.default_marking.isEditable(), "markings come from the library's scheme"
    offered = [dialog.default_marking.itemText(i) for i in range(dialog.default_marking.count())]
    assert offered == ["", *MARKINGS]
    dialog.default_marking.setCurrentText("OFFICIAL-SENSITIVE")
    dialog.accept()
    return dialog.result()


def test_settings_are_stored_and_applied(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    wait_idle(qtbot, window)
    # the library's scheme, changed elsewhere (e.g. `briefing markings`), is what is offered
    window.library.set_marking_scheme(SCHEME.levels, add_caveats=SCHEME.caveats)
    window.workspace.library_pane.refresh()
    wait_idle(qtbot, window)
    monkeypatch.setattr(SettingsDialog, "exec", fill_settings)
    window.settings_action.trigger()

    # stored: another Settings on the same file reads them back
    again = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert again.get(opt.AUTHOR) == "A. Official"
    assert again.get(opt.ORGANISATION) == "Trade Policy Unit"
    assert again.get(opt.DEFAULT_TEMPLATE) == "compact"
    assert again.get(opt.PAPER_SIZE) == "Letter"
    assert again.get(opt.DEFAULT_MARKING) == "OFFICIAL-SENSITIVE"

    # the item editor offers the library's markings, as a drop-down
    markings = window.workspace.editor_panel.items.marking
    assert not markings.isEditable()
    qtbot.waitUntil(
        lambda: [markings.itemText(i) for i in range(markings.count())] == ["", *MARKINGS],
        timeout=WAIT_MS,
    )

    # the new-pack dialog starts from the default style and marking
    shown: list[NewPackDialog] = []

    def create(dialog: NewPackDialog) -> int:
        shown.append(dialog)
        assert dialog.template.currentText() == "compact"
        assert dialog.marking.currentText() == "OFFICIAL-SENSITIVE"
        assert not dialog.marking.isEditable()
        assert [dialog.marking.itemText(i) for i in range(dialog.marking.count())] == [
            "",
            *MARKINGS,
        ]
        dialog.title.setText("Settings pack")
        dialog.check_topics(["steel"])
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NewPackDialog, "exec", create)
    window.new_pack_action.trigger()
    qtbot.waitUntil(lambda: window.workspace.editor.outline is not None, timeout=WAIT_MS)
    outline = window.workspace.editor.outline
    assert shown and outline is not None
    assert (outline.template, outline.paper_size, outline.marking) == (
        "compact",
        "Letter",
        "OFFICIAL-SENSITIVE",
    )

    # author and organisation reach the exported files' properties
    for fmt in ("docx", "pdf"):
        with qtbot.waitSignal(window.workspace.exporter.exported, timeout=WAIT_MS):
            window.workspace.exporter.write(outline.id, tmp_path / f"pack.{fmt}", fmt)
    word = docx.Document(str(tmp_path / "pack.docx"))
    assert word.core_properties.author == "A. Official"
    with zipfile.ZipFile(tmp_path / "pack.docx") as package:
        app = package.read("docProps/app.xml").decode()
    assert "<Company>Trade Policy Unit</Company>" in app
    pdf = pypdf.PdfReader(tmp_path / "pack.pdf")
    assert pdf.metadata is not None and pdf.metadata.author == "A. Official"
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter
    cover = pdf.pages[0].extract_text()
    assert "A. Official" in cover and "Trade Policy Unit" in cover


def test_cancelling_settings_changes_nothing(
    qtbot: QtBot, demo_window: MainWindow, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def cancel(dialog: SettingsDialog) -> int:
        dialog.author.setText("Someone else")
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(SettingsDialog, "exec", cancel)
    demo_window.settings_action.trigger()
    assert demo_window.settings.get(opt.AUTHOR) == ""
    assert (
        not (tmp_path / "settings.ini").exists()
        or "Someone" not in (tmp_path / "settings.ini").read_text()
    )


# -- a second start ------------------------------------------------------------------------


def test_window_size_splitters_and_last_pack_come_back(
    qtbot: QtBot, make_window, demo_store_file: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "library.sqlite"
    shutil.copy(demo_store_file, store)
    first = make_window(store)
    pack_id = open_new_pack(qtbot, first, ["steel"])
    # the offscreen screen is 800 x 800 and restoring fits a window to its screen, so the
    # window is made as narrow as it goes (first starts are 1500 x 900)
    width = first.minimumSizeHint().width()
    first.resize(width, 640)
    first.splitter.setSizes([width // 5, width // 2, width // 3])
    qtbot.waitUntil(lambda: first.height() == 640, timeout=WAIT_MS)
    sizes = first.splitter.sizes()
    assert first.close()

    second = make_window(store)
    qtbot.waitUntil(
        lambda: (
            second.workspace.editor.outline is not None
            and second.workspace.editor.outline.id == pack_id
        ),
        timeout=WAIT_MS,
    )
    assert (second.width(), second.height()) == (width, 640)
    assert second.splitter.sizes() == sizes
    assert second.workspace.outline_pane.title.text() == "Brief for the Trade Minister"


@pytest.fixture
def full_hd(monkeypatch: pytest.MonkeyPatch) -> QRect:
    area = QRect(0, 0, 1920, 1040)
    monkeypatch.setattr(main_window, "available_screen", lambda _widget: area)
    return area


def test_a_first_start_has_a_sensible_size_and_no_pack(
    qtbot: QtBot, full_hd: QRect, demo_window: MainWindow
) -> None:
    wait_idle(qtbot, demo_window)
    size = demo_window.size()
    assert (size.width(), size.height()) == (1920 * 9 // 10, 1040 * 9 // 10)  # 90% of the screen
    assert full_hd.contains(demo_window.frameGeometry())
    assert all(size > 150 for size in demo_window.splitter.sizes())
    assert demo_window.workspace.editor.outline is None
    assert not demo_window.export_pdf_action.isEnabled()
    assert not demo_window.recent_menu.isEnabled()


def recent(window: MainWindow) -> list[str]:
    return [a.text() for a in window.recent_menu.actions()]


def test_recent_packs_menu(qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    first = open_new_pack(qtbot, window, ["steel"], "Steel brief")
    second = open_new_pack(qtbot, window, ["coercion"])
    assert recent(window) == [
        "Brief for the Trade Minister (2026-05-07)",
        "Steel brief (2026-05-07)",
    ]
    assert window.recent_menu.isEnabled()
    window.recent_menu.actions()[1].trigger()
    qtbot.waitUntil(
        lambda: (
            window.workspace.editor.outline is not None
            and window.workspace.editor.outline.id == first
        ),
        timeout=WAIT_MS,
    )
    assert recent(window)[0] == "Steel brief (2026-05-07)"
    assert window.settings.get(opt.RECENT) == [first, second]
    assert window.settings.get(opt.LAST_PACK) == first


def test_recent_packs_keep_the_latest_few(tmp_path: Path) -> None:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    for pack_id in range(1, 12):
        settings.add_recent_pack(pack_id)
    settings.add_recent_pack(9)
    assert settings.get(opt.RECENT) == [9, 11, 10, 8, 7, 6, 5, 4][: opt.RECENT_PACKS]


# -- print preview ---------------------------------------------------------------------


def test_print_preview_shows_the_rendered_pages(qtbot: QtBot, demo_window: MainWindow) -> None:
    window = demo_window
    open_new_pack(qtbot, window, ["coercion"])
    workspace = window.workspace
    workspace.right.setCurrentWidget(workspace.editor_panel)  # keep the live preview out of it
    seen: dict[str, int] = {}

    def inspect_dialog() -> None:
        """Runs inside the dialog's own event loop: note what it shows, then close it."""
        dialog = next(
            (w for w in QApplication.topLevelWidgets()
             if isinstance(w, QPrintPreviewDialog) and w.isVisible()),
            None,
        )  # fmt: skip
        if dialog is None:
            return
        widget = dialog.findChild(QPrintPreviewWidget)
        if widget.pageCount() == 0:
            return  # not painted yet
        seen["pages"] = widget.pageCount()
        seen["pdf_pages"] = window.workspace.exporter._print_pdf.pageCount()
        poll.stop()
        dialog.reject()

    poll = QTimer(interval=50)
    poll.timeout.connect(inspect_dialog)
    poll.start()
    window.preview_action.trigger()
    # the pre-flight first (the pack holds an item marked above it): override it
    preflight = workspace.exporter.preflight
    qtbot.waitUntil(lambda: preflight.panel is not None, timeout=WAIT_MS)
    assert preflight.panel is not None and preflight.panel.proceed is not None
    preflight.panel.override.setChecked(True)
    preflight.panel.proceed.click()
    qtbot.waitUntil(lambda: "pages" in seen, timeout=WAIT_MS * 2)
    poll.stop()
    assert seen["pages"] == seen["pdf_pages"] > 1


# -- welcome and about -----------------------------------------------------------------


def test_welcome_panel_imports_documents_into_an_empty_library(
    qtbot: QtBot, make_window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(tmp_path / "empty.sqlite")
    wait_idle(qtbot, window)
    assert window.stack.currentWidget() is window.workspace.welcome
    note = tmp_path / "readout.txt"
    note.write_text("Readout of the call\n\nThe Ministers discussed steel overcapacity.\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a: ([str(note)], ""))
    qtbot.mouseClick(window.workspace.welcome.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.splitter, timeout=WAIT_MS)
    assert window.workspace.library_pane.sources.topLevelItemCount() == 1
    assert "1 imported" in window.workspace.import_summary.headline.text()
    assert window.settings.get(opt.IMPORT_DIR) == str(tmp_path)


def test_welcome_panel_opens_the_demo(qtbot: QtBot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(tmp_path / "empty.sqlite")
    wait_idle(qtbot, window)
    assert window.workspace.welcome.isVisible()
    qtbot.mouseClick(window.workspace.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.splitter, timeout=WAIT_MS)
    pane = window.workspace.library_pane
    qtbot.waitUntil(lambda: pane.items.count() == 6, timeout=WAIT_MS)
    assert pane.sources.topLevelItem(0).text(0) == "7th Japan-EU High-Level Economic Dialogue"
    assert pane.people.topLevelItemCount() > 0 and pane.glossary.topLevelItemCount() > 0
    assert pane.topic.count() > 10  # "All topics" and the shipped topics with counts


def test_about_box_lists_versions(qtbot: QtBot, demo_window: MainWindow) -> None:
    demo_window.about_action.trigger()
    boxes = [b for b in demo_window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    text = boxes[0].text()
    assert boxes[0].windowTitle() == "About Briefing"
    assert f"<td>&nbsp;{__version__}</td>" in text and qVersion() in text
    assert "PySide6" in text and "SQLite" in text and "Python" in text
    boxes[0].close()
