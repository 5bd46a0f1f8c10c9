"""Parsing in worker processes with limits: a pool of long-lived processes parses files, each
with a time limit (60 s by default) and a memory limit (1 GB by default, where the system can
set one), so a hostile or pathological file can neither hang nor exhaust the app or the CLI.
A worker over its time is killed and replaced; one that dies (out of memory, a crash in a
library's C code) is replaced; either way only that file fails, with a one-line reason.
Results come back in the order the files were given, so the caller stores them one by one."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

from briefing.errors import BriefingError, InternalError
from briefing.ingest.model import IngestError, ParsedSource

TIMEOUT = 60.0  # seconds one file may take
MEMORY = 2**30  # bytes of address space a worker may use
_START = 120.0  # seconds a new worker may take to start and answer its first file
WORKERS_VARIABLE = "BRIEFING_PARSE_WORKERS"  # how many workers; 0 parses in this process


Outcome = ParsedSource | BriefingError | InternalError  # a parser's bug, logged in the worker


class _Worker:
    def __init__(self, memory: int) -> None:
        context = multiprocessing.get_context("spawn")  # safe beside Qt's threads, everywhere
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child, memory), daemon=True, name="briefing-parser"
        )
        self.process.start()
        child.close()
        self.fresh = True  # its first file also waits for the imports

    def stop(self, kill: bool = False) -> None:
        try:
            if kill:
                self.process.kill()
            else:
                self.conn.send(None)
        except OSError:
            pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class ParserPool:
    """Long-lived parser processes; `parse_many` keeps them all busy."""

    def __init__(self, workers: int | None = None, timeout: float = TIMEOUT,
                 memory: int = MEMORY) -> None:
        self.size = max(1, workers or min(4, os.cpu_count() or 1))
        self.timeout = timeout
        self.memory = memory
        self._idle: list[_Worker] = []

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._idle:
            worker.stop()
        self._idle = []

    def parse(self, path: Path) -> ParsedSource:
        """Return `path` parsed; raise its IngestError (or InternalError)."""
        [(_, outcome)] = self.parse_many([path])
        if isinstance(outcome, ParsedSource):
            return outcome
        raise outcome

    def parse_many(self, paths: Sequence[Path]) -> Iterator[tuple[Path, Outcome]]:
        """Yield each path with what parsing it gave, in the order given."""
        pending = list(enumerate(paths))
        pending.reverse()
        busy: dict[Connection, tuple[_Worker, int, float]] = {}
        done: dict[int, Outcome] = {}
        following = 0
        try:
            while following < len(paths):
                while pending and len(busy) < self.size:
                    index, path = pending.pop()
                    worker = self._worker()
                    limit = self.timeout + (_START if worker.fresh else 0)
                    worker.fresh = False
                    try:
                        worker.conn.send(str(path))
                    except OSError:
                        worker.stop(kill=True)
                        pending.append((index, path))
                        continue
                    busy[worker.conn] = (worker, index, time.monotonic() + limit)
                if following in done:
                    yield paths[following], done.pop(following)
                    following += 1
                    continue
                soonest = min(deadline for _, _, deadline in busy.values())
                ready = wait(list(busy), timeout=max(0.0, soonest - time.monotonic()))
                for conn in ready:
                    assert isinstance(conn, Connection)
                    worker, index, _ = busy.pop(conn)
                    done[index] = self._answer(worker)
                now = time.monotonic()
                for conn, (worker, index, deadline) in list(busy.items()):
                    if conn not in ready and deadline <= now:
                        del busy[conn]
                        worker.stop(kill=True)
                        done[index] = IngestError(
                            f"took too long to read (over {self.timeout:g} s; a damaged or"
                            " hostile file?)"
                        )
        finally:
            for worker, _, _ in busy.values():  # abandoned midway: their answers are stale
                worker.stop(kill=True)

    def _worker(self) -> _Worker:
        """Return an idle worker still alive (one may have died waiting), or a new one."""
        while self._idle:
            worker = self._idle.pop()
            if worker.process.is_alive():
                return worker
            worker.stop(kill=True)
        return _Worker(self.memory)

    def _answer(self, worker: _Worker) -> Outcome:
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            worker.stop(kill=True)
            return IngestError(
                "could not read (the reader stopped: out of memory, or a crash reading the file)"
            )
        self._idle.append(worker)
        if kind == "ok":
            assert isinstance(value, ParsedSource)
            return value
        if kind == "refused":
            return IngestError(str(value))
        return InternalError("could not read (internal error)", str(value))


@contextlib.contextmanager
def pool_from_environment() -> Iterator[ParserPool | None]:
    """Yield a pool of as many workers as $BRIEFING_PARSE_WORKERS says (by default up to 4),
    or None when it says 0 (parse in this process: for debugging a parser)."""
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    workers = int(wanted) if wanted.isdigit() else None
    if workers == 0:
        yield None
        return
    with ParserPool(workers) as pool:
        yield pool


def _serve(conn: Connection, memory: int) -> None:
    """A worker's life: parse each path sent, answer ("ok", source), ("refused", reason) or
    ("internal", log file); stop on None."""
    _limit_memory(memory)
    from briefing.errors import log_internal_error
    from briefing.ingest import parse_file

    while (path := conn.recv()) is not None:
        try:
            answer: tuple[str, object] = ("ok", parse_file(Path(path)))
        except BriefingError as exc:
            answer = ("refused", str(exc))
        except MemoryError:
            answer = ("refused", f"too large to read (over the {memory // 2**20} MB memory limit)")
        except Exception:
            answer = ("internal", str(log_internal_error(f"reading {path}") or ""))
        conn.send(answer)


def _limit_memory(memory: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no limit
        return
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError):
        pass
