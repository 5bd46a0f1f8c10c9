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
from ui.qt import QApplication, QMessageBox
from ui.settings import Settings


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="briefing-app", description="The Briefing desktop app.")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=f"library file or SQLAlchemy URL (default: $BRIEFING_DB or {default_store_path()})",
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
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
        return app.exec()
    finally:
        library.close()


if __name__ == "__main__":
    sys.exit(main())
