"""Save a screenshot of the main window on the demo pack: `python -m ui.screenshot OUT.png`.

Run under Xvfb for a real window: `xvfb-run -a -s "-screen 0 1600x1000x24" python -m ui.screenshot
docs/screenshot.png`.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from briefing.library import Library
from ui.main_window import MainWindow
from ui.qt import QApplication, QSettings, QTimer
from ui.settings import Settings

TOPICS = ("steel", "coercion", "export-controls")
SETTLE_MS = 6000  # the library, outline and preview load in the background first


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshot.png")
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "demo.sqlite"
        with Library(store) as library:
            library.load_demo()
            pack_id = library.new_pack(
                "Brief for the Trade Minister",
                meeting="7th Japan–EU High-Level Economic Dialogue",
                date=date(2026, 5, 7),
                place="Tokyo",
                marking="OFFICIAL-SENSITIVE",
                topics=TOPICS,
            )
        settings = Settings(QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.resize(1580, 940)
        window.show()

        def opened() -> None:
            window.workspace.open_pack(pack_id)
            window.workspace.right.setCurrentWidget(window.workspace.preview)

        window.library_opened.connect(opened)
        window.open_library(str(store))

        def expand() -> None:
            workspace = window.workspace
            sources = workspace.library_pane.sources
            if (source := sources.topLevelItem(0)) is not None:
                source.setExpanded(True)
            tree = workspace.outline_pane.tree
            if (section := tree.topLevelItem(0)) is not None and (
                entry := section.child(1)
            ) is not None:
                tree.setCurrentItem(entry)
            workspace.right.setCurrentWidget(workspace.preview)

        def shoot() -> None:
            window.grab().save(str(out))
            window.close()
            if window.library is not None:
                window.library.close()

        QTimer.singleShot(1500, expand)
        QTimer.singleShot(SETTLE_MS, shoot)
        app.exec()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
