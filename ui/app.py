"""Start the Briefing app: `briefing-app [--db PATH]` (`make run` opens the demo library).

Only Qt and the window's shell are imported before the window is shown; the core is
imported, and the library opened, on the worker thread while the window is already up.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from briefing import __version__
from ui.main_window import MainWindow, remembered_library
from ui.qt import QApplication, QCoreApplication, QTimer
from ui.settings import Settings

READY = ("shown", "listed", "loaded")  # what --quit-after-start waits for


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="briefing-app", description="The Briefing desktop app.")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="library file or SQLAlchemy URL (default: $BRIEFING_DB, else the library opened"
        " last, else library.sqlite in the user data folder)",
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    parser.add_argument(
        "--quit-after-start",
        nargs="?",
        const="loaded",
        choices=READY,
        metavar="{shown,listed,loaded}",
        help='print "ready" and quit once the window is shown and its library has loaded'
        ' (start-up checks); "shown": once the window is shown, "listed": once the library'
        " pane lists the library (start-up benchmark)",
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
    settings = Settings()
    window = MainWindow(settings)
    window.show()
    if args.quit_after_start:
        quit_when_ready(app, window, args.quit_after_start)
    # Opened from the event loop, once the window has been painted: from then on, the worker
    # importing the core competes with the GUI thread for the GIL.
    target = args.db or remembered_library(settings)
    QTimer.singleShot(0, lambda: window.open_library(target))
    try:
        return app.exec()
    finally:
        window.runner.wait()  # the library may still be opening
        if window.library is not None:
            window.library.close()


def quit_when_ready(app: QCoreApplication, window: MainWindow, ready: str) -> None:
    """Print "ready" and quit at the first turn of the event loop (`ready` "shown", as the
    bare window of the start-up benchmark does), at the first turn after the library pane
    lists the library ("listed"), or once the library is open and the loads it started
    have finished ("loaded"); exit 1 if the library cannot be opened."""

    def done() -> None:
        print("ready", flush=True)
        app.quit()

    def check() -> None:
        if window.library is not None and not window.runner.busy:
            done()

    def idle(busy: bool) -> None:
        if not busy:  # checked once the callbacks of the op that ended (which may start more) ran
            QTimer.singleShot(0, check)

    def failed(message: str) -> None:
        print(f"briefing-app: cannot open the library: {message}", file=sys.stderr)
        app.exit(1)

    window.library_failed.connect(failed)
    if ready == "shown":
        QTimer.singleShot(0, done)
    elif ready == "listed":
        window.library_listed.connect(lambda: QTimer.singleShot(0, done))
    else:
        window.runner.busy_changed.connect(idle)


if __name__ == "__main__":
    sys.exit(main())
