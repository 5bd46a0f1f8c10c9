"""Start the Briefing app: `briefing-app [--db PATH]` (`make run` opens the demo library)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from briefing import __version__
from briefing.errors import BriefingError
from briefing.library import Library
from db import StoreError, default_store_path
from ui.main_window import MainWindow
from ui.qt import QApplication, QMessageBox, QTimer
from ui.settings import Settings


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="briefing-app", description="The Briefing desktop app.")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=f"library file or SQLAlchemy URL (default: $BRIEFING_DB or {default_store_path()})",
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    parser.add_argument(
        "--quit-after-start",
        action="store_true",
        help='print "ready" and quit once the window has loaded (start-up checks, benchmarks)',
    )
    args, _qt_args = parser.parse_known_args(argv)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("Briefing")
    app.setApplicationName("Briefing")
    app.setApplicationVersion(__version__)
    try:
        library = Library(args.db)
    except (StoreError, BriefingError) as exc:
        QMessageBox.critical(None, "Briefing", f"Cannot open the library.\n\n{exc}")
        return 1
    try:
        window = MainWindow(library, Settings())
        window.show()
        if args.quit_after_start:
            quit_when_ready(app, window)
        return app.exec()
    finally:
        library.close()


def quit_when_ready(app: QApplication, window: MainWindow) -> None:
    """Print "ready" and quit once `window` is shown and its first loads have finished."""

    def check() -> None:
        if window.isVisible() and not window.runner.busy:
            timer.stop()
            print("ready", flush=True)
            app.quit()

    timer = QTimer(window)
    timer.timeout.connect(check)
    timer.start(5)


if __name__ == "__main__":
    sys.exit(main())
