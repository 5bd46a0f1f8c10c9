"""GUI journeys with pytest-qt, driving the real widgets offscreen."""

from __future__ import annotations

import itertools
import shutil
import time
from pathlib import Path

import docx
import pypdf
import pytest
from ui_helpers import WAIT_MS, create_pack_via_dialog, pass_preflight, section_entries, wait_idle

from briefing.library import Library
from ui import settings as opt
from ui.main_window import MainWindow
from ui.qt import QFileDialog, QProgressDialog, QPushButton, Qt, QTimer

pytestmark = pytest.mark.gui


def test_open_demo_build_export_and_undo(qtbot, make_window, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window(tmp_path / "empty.sqlite")
    wait_idle(qtbot, window)
    assert window.stack.currentWidget() is window.workspace.welcome

    qtbot.mouseClick(window.workspace.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.splitter, timeout=WAIT_MS)
    assert window.workspace.library_pane.sources.topLevelItemCount() == 1

    create_pack_via_dialog(qtbot, window, monkeypatch)
    outline = window.workspace.editor.outline
    assert [s.title for s in outline.sections] == [
        "Steel and overcapacity",
        "Economic coercion",
        "Export controls",
    ]
    original = section_entries(window, 0)
    assert len(original) >= 3

    # reorder: move the first entry of the first section down one place
    tree = window.workspace.outline_pane.tree
    tree.setCurrentItem(tree.topLevelItem(0).child(0))
    window.down_action.trigger()
    qtbot.waitUntil(lambda: section_entries(window, 0)[:2] == original[1::-1], timeout=WAIT_MS)

    # add an item: it lands in the current section and opens in the editor
    window.new_item_action.trigger()
    qtbot.waitUntil(lambda: len(section_entries(window, 0)) == len(original) + 1, timeout=WAIT_MS)
    editor = window.workspace.editor_panel.items
    qtbot.waitUntil(lambda: editor.data is not None and editor.data.title == "New item")
    editor.title.setText("Press for a steel safeguard exemption")
    editor.body.setPlainText("We **welcome** Japan's engagement.")
    qtbot.waitUntil(lambda: not editor.dirty and editor.state.text() == "Saved", timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: any(
            "steel safeguard exemption" in e.label
            for s in window.workspace.editor.outline.sections
            for e in s.entries
        ),
        timeout=WAIT_MS,
    )

    # export PDF and DOCX: the pre-flight panel lists the draft item and the higher marking
    # first; they block until overridden
    found: list[str] = []
    for fmt in ("pdf", "docx"):
        target = tmp_path / f"out.{fmt}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, t=target: (str(t), ""))
        action = window.export_pdf_action if fmt == "pdf" else window.export_docx_action
        with qtbot.waitSignal(window.workspace.exporter.exported, timeout=WAIT_MS):
            shown = pass_preflight(qtbot, window, action.trigger)
            assert shown[-1] == "(blocked)"  # the draft and the marking block until overridden
            found += shown
    assert any("still a draft" in w for w in found)
    assert any("OFFICIAL-SENSITIVE" in w and "above-marking" in w for w in found)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "out.pdf").pages)
    assert "OFFICIAL" in text and "steel safeguard exemption" in text
    document = docx.Document(str(tmp_path / "out.docx"))
    header = " ".join(p.text for s in document.sections for p in s.header.paragraphs)
    assert "OFFICIAL" in header
    assert window.settings.get(opt.EXPORT_DIR) == str(tmp_path)

    # undo: the item leaves the outline, then the move is undone
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: len(section_entries(window, 0)) == len(original), timeout=WAIT_MS)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: section_entries(window, 0) == original, timeout=WAIT_MS)
    window.redo_action.trigger()
    qtbot.waitUntil(lambda: section_entries(window, 0)[:2] == original[1::-1], timeout=WAIT_MS)


def test_new_pack_dialog_shows_what_the_pack_will_hold(qtbot, demo_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.new_pack import NewPackDialog

    wait_idle(qtbot, demo_window)
    plans: list[str] = []

    def fill(dialog: NewPackDialog) -> int:
        dialog.title.setText("Capped brief")
        dialog.check_topics(["steel", "coercion"])
        qtbot.waitUntil(lambda: dialog.plan.text().startswith("Steel"), timeout=WAIT_MS)
        plans.append(dialog.plan.text())
        dialog.passages.setValue(1)  # the plan follows the cap
        qtbot.waitUntil(lambda: "1 of 3 passages" in dialog.plan.text(), timeout=WAIT_MS)
        plans.append(dialog.plan.text())
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(NewPackDialog, "exec", fill)
    demo_window.new_pack_action.trigger()
    qtbot.waitUntil(lambda: demo_window.workspace.editor.outline is not None, timeout=WAIT_MS)
    lines = plans[0].splitlines()
    assert lines[0] == "Steel and overcapacity: 3 items, 3 of 3 passages"
    assert lines[1].startswith("Economic coercion: 2 items, ")
    assert lines[-1].startswith("about ") and lines[-1].endswith("quoting 1 source")
    steel = demo_window.workspace.editor.outline.sections[0]
    assert [e.kind.value for e in steel.entries].count("passage") == 1


def test_search_as_you_type_shows_results_and_drops_stale_ones(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    pane = demo_window.workspace.library_pane
    wait_idle(qtbot, demo_window)
    qtbot.keyClicks(pane.search, "coerc")
    qtbot.waitUntil(lambda: pane.results.count() > 0, timeout=WAIT_MS)
    assert pane.stack.currentIndex() == 1
    assert "coerc" in pane.results.item(0).text().lower()
    qtbot.keyClicks(pane.search, "ion zzzqx")
    qtbot.waitUntil(lambda: pane.results.count() == 0, timeout=WAIT_MS)
    assert "Nothing matches" in pane.results_label.text()
    pane.search.clear()
    qtbot.waitUntil(lambda: pane.stack.currentIndex() == 0, timeout=WAIT_MS)


def test_import_with_a_bad_file_reports_it_and_stores_the_rest(
    qtbot, demo_window, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "readout.txt"
    good.write_text("Readout of the call\n\nThe Ministers discussed steel overcapacity.\n", "utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 this is not really a PDF")
    before = len(demo_window.library.sources())
    demo_window.workspace.import_paths([good, bad])
    qtbot.waitUntil(lambda: hasattr(demo_window.workspace, "import_summary"), timeout=WAIT_MS)
    table = demo_window.workspace.import_summary.table
    rows = {
        table.topLevelItem(i).text(0): table.topLevelItem(i)
        for i in range(table.topLevelItemCount())
    }
    assert rows["broken.pdf"].text(1) == "failed" and rows["broken.pdf"].text(2)
    assert rows["readout.txt"].text(1) == "imported"
    assert "1 imported" in demo_window.workspace.import_summary.headline.text()
    sources = demo_window.library.sources()
    assert len(sources) == before + 1
    assert not any("broken" in s.title.lower() for s in sources)


@pytest.fixture(scope="session")
def big_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library with one long source on steel and a pack quoting all of it (slow to export)."""
    folder = tmp_path_factory.mktemp("big")
    source = folder / "steel-review.md"
    paragraphs = [
        f"Paragraph {i}: the Ministers discussed steel overcapacity, market-distorting subsidies"
        f" and trade remedies, noting measure {i} and its effects on global markets."
        for i in range(2400)  # long enough to export for well over half a second
    ]
    source.write_text("# A long review of steel\n\n" + "\n\n".join(paragraphs), "utf-8")
    store = folder / "big.sqlite"
    with Library(store) as library:
        library.import_paths([source])
        library.new_pack(
            "Big pack", meeting="Review", date=None, marking="OFFICIAL", topics=["steel"],
            passages_per_topic=None,  # every passage: a long export
        )  # fmt: skip
    return store


@pytest.fixture
def big_window(make_window, big_store_file: Path, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    store = tmp_path / "big.sqlite"
    shutil.copy(big_store_file, store)
    window = make_window(store)
    workspace = window.workspace
    workspace.right.setCurrentWidget(workspace.editor_panel)  # keep the preview from rendering
    [pack] = window.library.packs()
    window.workspace.open_pack(pack.id)
    return window


def test_gui_thread_keeps_running_during_a_long_export(qtbot, big_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: big_window.workspace.editor.outline is not None, timeout=WAIT_MS)
    wait_idle(qtbot, big_window)
    ticks: list[float] = []
    heartbeat = QTimer(interval=10)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    heartbeat.start()
    target = tmp_path / "big.pdf"
    started = time.monotonic()
    with qtbot.waitSignal(big_window.workspace.exporter.exported, timeout=60000):
        big_window.workspace.exporter.write(big_window.workspace.editor.outline.id, target, "pdf")
    took = time.monotonic() - started
    heartbeat.stop()
    assert target.exists() and took > 0.5, "the export must be long enough to mean something"
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > took / 0.05
    assert max(gaps) < 0.1, f"the GUI thread stalled for {max(gaps) * 1000:.0f} ms"


def test_cancelling_an_export_leaves_no_file(qtbot, big_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: big_window.workspace.editor.outline is not None, timeout=WAIT_MS)
    out = tmp_path / "exports"
    out.mkdir()
    target = out / "big.pdf"
    big_window.workspace.exporter.write(big_window.workspace.editor.outline.id, target, "pdf")
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in big_window.findChildren(QProgressDialog)),
        timeout=WAIT_MS,
    )
    dialog = next(d for d in big_window.findChildren(QProgressDialog) if d.isVisible())
    assert 0 < dialog.value() < dialog.maximum()
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, big_window)
    assert not target.exists()
    assert list(out.iterdir()) == []  # no temporary file left either
    assert big_window.workspace.exporter.done_box is None
