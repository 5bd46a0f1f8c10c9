"""The one helper that runs long work off the GUI thread (like Anki's `CollectionOp`).

    Op(window, lambda lib, progress: lib.export(pid, path, progress=progress))
        .with_progress("Exporting…").success(on_done).run()

The function gets the open `Library` and a `Progress` callback; it must not touch widgets.
Its result or error comes back on the GUI thread. `Op.standalone` runs a function that needs
no library (importing the core and opening one, at start-up). Store work runs on one worker
thread, in submission order, so store access is serialised. An op with a `key` supersedes older
ops with the same key: a queued one is dropped, a running one is cancelled and its result
ignored (search-as-you-type, preview refresh).
"""

from __future__ import annotations

import functools
import gc
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from briefing.errors import BriefingError
from briefing.jobs import Cancelled, Progress
from ui.qt import (
    QMessageBox,
    QObject,
    QProgressDialog,
    QRunnable,
    QThreadPool,
    QWidget,
    Signal,
    Slot,
)

if TYPE_CHECKING:
    from briefing.library import Library

T = TypeVar("T")
log = logging.getLogger(__name__)
PROGRESS_DELAY_MS = 400
PROGRESS_INTERVAL_S = 0.05  # report at most this often: the GUI thread stays free


@functools.cache
def expected_errors() -> tuple[type[BaseException], ...]:
    """The errors whose message is meant for the user.

    Imported when first needed, so that the window can be shown before the store is loaded.
    """
    from briefing.library import StoreError
    from templates import TemplateError

    return (BriefingError, StoreError, TemplateError, OSError)


def error_message(error: BaseException) -> str:
    """Return what the user is shown for `error`: its message, never a traceback."""
    if isinstance(error, expected_errors()):
        return str(error) or type(error).__name__
    # its text may hold internals (SQL, paths, parameters): only its kind is shown
    return f"Something went wrong ({type(error).__name__}). The details are in the log."


class _Relay(QObject):
    """Carries a worker's reports to the GUI thread: it lives there, so its slots run there."""

    progressed = Signal(int, int, str)
    finished = Signal(object, object)  # result, error

    def __init__(self, op: Op[object]) -> None:
        super().__init__()
        self.op = op
        # emitted on the worker thread, so queued to this one (an explicit connection type
        # would load PySide's `Qt` namespace at start-up: ~40 ms)
        self.progressed.connect(self._progressed)
        self.finished.connect(self._finished)

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, message: str) -> None:
        self.op._show_progress(done, total, message)

    def _finished(self, result: object, error: BaseException | None) -> None:
        self.op._finish(result, error)


class _Job(QRunnable):
    def __init__(self, run: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._run, self._relay = run, relay

    def run(self) -> None:
        # No cycle collection while the job runs: a collection mid-export walks the renderer's
        # page objects holding the GIL, and the window stalls (100-300 ms, measured). What the
        # job made is collected when it ends: only the young generations, tens of ms at most.
        gc.disable()
        try:
            result = self._run()
        except BaseException as exc:  # reported on the GUI thread, never lost
            if not isinstance(exc, (Cancelled, *expected_errors())):
                log.exception("background operation failed")
            self._relay.finished.emit(None, exc)
        else:
            self._relay.finished.emit(result, None)
        finally:
            gc.enable()
            gc.collect(1)


def calm_garbage_collector() -> None:
    """Keep CPython's cycle collector from freezing the GUI thread during long jobs.

    A full collection holds the GIL while it walks every object (Qt wrappers, the store's
    rows, a renderer's page objects): 100-400 ms mid-export, measured. Objects alive at
    start-up are frozen out of it, and young objects are collected less often.
    """
    gc.freeze()
    gc.set_threshold(50_000, 50, 1000)


class TaskRunner(QObject):
    """Owns the worker thread that serialises store access, the ops in flight, and the open
    library (None until one has been opened by a standalone op).

    `changed` broadcasts, on the GUI thread, the `Changes` of every write to the library
    (from any op) and of changes made elsewhere that `Library.poll` finds: each pane decides
    for itself whether to refresh, as Anki's `operation_did_execute` hook lets them.
    """

    busy_changed = Signal(bool)
    changed = Signal(object)  # briefing.changes.Changes

    def __init__(self, library: Library | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._ops: set[Op[object]] = set()
        self._keyed: dict[str, Op[object]] = {}

    def use(self, library: Library) -> None:
        """Run the ops submitted from now on against `library` (those queued keep theirs)."""
        self.library = library
        # called on the worker thread: the signal is queued to the GUI thread, and arrives
        # there before the op's own result
        library.subscribe(self.changed.emit)
        calm_garbage_collector()  # the core and the library are loaded: freeze them out

    def submit(self, op: Op[object]) -> None:
        if op.key is not None:
            self.cancel_key(op.key)
            self._keyed[op.key] = op
        self._ops.add(op)
        self.busy_changed.emit(True)
        self._pool.start(op.job)

    def cancel_key(self, key: str) -> None:
        """Drop or cancel the op in flight under `key`, quietly."""
        op = self._keyed.get(key)
        if op is not None:
            self._drop(op)

    def cancel_all(self) -> None:
        """Drop or cancel every op in flight, quietly (the panes waiting for them are going)."""
        for op in list(self._ops):
            self._drop(op)

    def _drop(self, op: Op[object]) -> None:
        op.cancel(quietly=True)
        if self._pool.tryTake(op.job):
            self._forget(op)

    def finished(self, op: Op[object]) -> None:
        self._forget(op)

    def _forget(self, op: Op[object]) -> None:
        self._ops.discard(op)
        if op.key is not None and self._keyed.get(op.key) is op:
            del self._keyed[op.key]
        if not self._ops:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return bool(self._ops)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every queued op has run (used when closing)."""
        return self._pool.waitForDone(msecs)


class Op(Generic[T]):
    """One background operation: build it, chain callbacks, then `run()`."""

    def __init__(
        self,
        parent: QWidget,
        runner: TaskRunner,
        fn: Callable[[Library, Progress], T],
        *,
        key: str | None = None,
    ) -> None:
        self.parent, self.runner, self.key = parent, runner, key
        library = runner.library
        # Bound now: an op queued before another library is opened still works on its own.
        self._work: Callable[[Progress], T] = lambda progress: fn(_open(library), progress)
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_cancel: Callable[[], None] | None = None
        self._label: str | None = None
        self._cancelled = threading.Event()
        self._quiet = False
        self._reported = 0.0  # when the worker last reported progress
        self._dialog: QProgressDialog | None = None
        self._relay = _Relay(self)  # type: ignore[arg-type]
        self.job = _Job(self._call, self._relay)

    @classmethod
    def standalone(cls, parent: QWidget, runner: TaskRunner, fn: Callable[[Progress], T]) -> Op[T]:
        """An op that needs no open library, such as opening one."""
        op = cls(parent, runner, lambda _library, progress: fn(progress))
        op._work = fn  # called as it is: no library is looked up
        return op

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        """Handle errors yourself instead of the default message dialog."""
        self._on_failure = callback
        return self

    def cancelled(self, callback: Callable[[], None]) -> Op[T]:
        self._on_cancel = callback
        return self

    def with_progress(self, label: str) -> Op[T]:
        """Show a modal progress dialog with a Cancel button while the op runs."""
        self._label = label
        return self

    def run(self) -> Op[T]:
        if self._label is not None:
            from ui.qt import Qt  # not at start-up (see ui.main_window)

            dialog = QProgressDialog(self._label, "Cancel", 0, 0, self.parent)
            dialog.setWindowTitle("Briefing")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(PROGRESS_DELAY_MS)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(self.cancel)
            self._dialog = dialog
        self.runner.submit(self)  # type: ignore[arg-type]
        return self

    def cancel(self, quietly: bool = False) -> None:
        """Ask the op to stop: its next progress report raises `Cancelled`."""
        self._quiet = self._quiet or quietly
        self._cancelled.set()

    # -- worker thread -----------------------------------------------------

    def _call(self) -> T:
        if self._cancelled.is_set():
            raise Cancelled
        return self._work(self._progress)

    def _progress(self, done: int, total: int, message: str) -> None:
        if self._cancelled.is_set():
            raise Cancelled
        now = time.monotonic()
        if now - self._reported >= PROGRESS_INTERVAL_S or done >= total:
            self._reported = now
            self._relay.progressed.emit(done, total, message)

    # -- GUI thread --------------------------------------------------------

    def _show_progress(self, done: int, total: int, message: str) -> None:
        # A report can arrive after the op finished and its dialog was closed; and a modal
        # progress dialog's setValue() processes events, during which the op can finish: so
        # work on this dialog alone, the label first, and the value (events) last.
        dialog = self._dialog
        if dialog is None or dialog.wasCanceled():
            return
        if message:
            dialog.setLabelText(message)
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    def _finish(self, result: object, error: BaseException | None) -> None:
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel)  # closing it emits `canceled`
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        self.runner.finished(self)  # type: ignore[arg-type]
        if self._quiet:
            return
        if isinstance(error, Cancelled):
            if self._on_cancel is not None:
                self._on_cancel()
        elif error is not None:
            if self._on_failure is not None:
                self._on_failure(error)
            else:
                show_error(self.parent, error)
        elif self._on_success is not None:
            self._on_success(result)  # type: ignore[arg-type]


def _open(library: Library | None) -> Library:
    if library is None:
        raise RuntimeError("no library is open")  # actions needing one are disabled until then
    return library


def show_error(parent: QWidget, error: BaseException) -> None:
    """Show an error from the core in a message box (message only)."""
    QMessageBox.warning(parent, "Briefing", error_message(error))
