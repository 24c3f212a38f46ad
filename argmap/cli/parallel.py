"""Run a batch: in this process or in worker processes, with progress and a summary.

Results come back in input order and go to a *sink* (write a file, collect a
row) one by one, so an interrupted or failing batch keeps every output already
made. Progress is a rich bar on stderr when stderr is a terminal; otherwise
(pipes, CI logs, ``--quiet``) only warnings, errors and the summary are printed.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import TYPE_CHECKING

import typer

from argmap.cli.batch import Item, MapTask, Outcome, Sink, outcomes, run_chunk
from argmap.cli.messages import one_line
from argmap.errors import ModelError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from rich.progress import Progress, TaskID

__all__ = [
    "AUTO_MAX_WORKERS",
    "AUTO_MIN_BYTES",
    "chunk_items",
    "run_batch",
    "summarize",
    "worker_count",
]

_MAX_CHUNK = 16
_SHOWN_FAILURES = 5


AUTO_MIN_BYTES = 1_000_000
"""``--jobs 0`` (the default) starts workers only for a batch of at least this much text.

Measured by ``make bench`` on 2 cores (argmap/spaCy 0.91): a worker costs
about 2 s to start (spawn, imports, model) and the parent still reads and
writes every file. On a quiet machine ``--jobs 2`` took 0.83x the time of
``--jobs 1`` on 200 files (105 kB) and 0.59x on 2,000 (1.04 MB); with other
jobs on both cores it took 1.6x on 200 files, 1.25x on 600 (317 kB), 0.95x
on 1,500 (771 kB) and 0.90x on 2,000. From a megabyte, workers helped on
both machines; below it, only on the quiet one.
"""
AUTO_MAX_WORKERS = 2
"""...and never more workers than ``make bench`` has measured helping.

Only two workers have been measured (on 2 cores); more workers each cost
their own start and model (~250 MB), so a machine with more cores still
gets two unless ``--jobs N`` asks for more.
"""


def worker_count(jobs: int, items: Sequence[Item] = ()) -> int:
    """Processes for ``--jobs``: N as given; 0 (auto) as many as measured helping, or one.

    Auto starts workers only with two cores or more, at least two items per
    worker and ``AUTO_MIN_BYTES`` of text, and then ``min(cores,
    AUTO_MAX_WORKERS)`` of them.
    """
    if jobs > 0:
        return jobs
    cores = min(os.cpu_count() or 1, AUTO_MAX_WORKERS)
    if cores < 2 or len(items) < 2 * cores:
        return 1
    size = 0
    for path in {item.path for item in items if item.path != "-"}:
        try:
            size += os.stat(path).st_size
        except OSError:
            continue
    return cores if size >= AUTO_MIN_BYTES else 1


def run_batch(
    task: MapTask,
    items: Sequence[Item],
    sink: Sink,
    *,
    jobs: int = 0,
    quiet: bool = False,
    description: str = "mapping",
) -> list[Outcome]:
    """Map every item and hand each success to ``sink``; return the failures.

    Each failure is reported on stderr as it happens (``error: ...``), each
    warning too; the caller prints the summary (``summarize``).
    """
    failures: list[Outcome] = []
    with _Reporter(len(items), quiet=quiet, description=description) as report:
        for outcome in _results(task, items, worker_count(jobs, items)):
            for warning in outcome.warnings:
                report.echo(f"warning: {warning}")
            error = outcome.error if outcome.error is not None else sink(outcome)
            if error is not None:
                failures.append(Outcome(outcome.item, error=error))
                report.echo(f"error: {one_line(error)}")
            report.advance()
    return failures


def summarize(
    total: int, failures: Sequence[Outcome], *, quiet: bool, done: str = "mapped"
) -> None:
    """Print ``212 mapped, 3 failed: a.txt, b.txt, c.txt``; exit 1 if anything failed."""
    if failures:
        names = [f.item.name for f in failures[:_SHOWN_FAILURES]]
        more = len(failures) - len(names)
        listed = ", ".join(names) + (f" and {more} more" if more else "")
        typer.echo(f"{total - len(failures)} {done}, {len(failures)} failed: {listed}", err=True)
        raise typer.Exit(1)
    if not quiet:
        typer.echo(f"{total} {done}, 0 failed", err=True)


def chunk_items(items: Sequence[Item], workers: int) -> list[Sequence[Item]]:
    """Split a batch into chunks: about four per worker (to balance), at most 16 items each."""
    size = max(1, min(_MAX_CHUNK, -(-len(items) // (workers * 4))))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _results(task: MapTask, items: Sequence[Item], workers: int) -> Iterator[Outcome]:
    if workers <= 1 or len(items) < 2:
        yield from outcomes(task, items)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = chunk_items(items, workers)
    # spawn, not fork: the parent may run rich's refresh thread, and forking a
    # process with threads can deadlock the child.
    context = multiprocessing.get_context("spawn")
    pool: ProcessPoolExecutor | None = None
    try:
        with _ctrl_c_ignored():  # the workers inherit it: only this process answers Ctrl-C
            pool = ProcessPoolExecutor(
                max_workers=min(workers, len(chunks)),
                mp_context=context,
                initializer=_worker_start,
                initargs=(os.getpid(),),
            )
            futures = [pool.submit(run_chunk, task, chunk) for chunk in chunks]
        for chunk, future in zip(chunks, futures, strict=True):
            try:
                results = future.result()
            except ModelError:
                raise
            except Exception as exc:  # the worker died (out of memory, killed): lose only its chunk
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                results = [
                    Outcome(item, error=f"{item.name}: the worker process failed ({reason})")
                    for item in chunk
                ]
            yield from results
    except BaseException:  # Ctrl-C, a failed sink, a missing model: stop the chunks in flight
        if pool is not None:
            _stop_workers(pool)
        raise
    finally:
        if pool is not None:  # wait here, where a Ctrl-C is handled, not in Python's exit
            pool.shutdown(wait=True, cancel_futures=True)


_PARENT_POLL = 0.5
"""Seconds between a worker's checks that the batch's process is still there."""


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Start worker processes ignoring Ctrl-C (SIGINT), without losing one meant for us.

    A terminal sends Ctrl-C to every process in its foreground group. Workers
    that heard it would each print a KeyboardInterrupt traceback, even while
    still importing, before any handler of theirs could run; only "ignore" is
    inherited through spawn, so it is set while they start. SIGINT is also
    blocked meanwhile: a blocked signal is kept pending, not ignored, and
    reaches this process's own handler when the block is lifted. This
    process then stops the workers (``_stop_workers``) and prints the one
    ``error: interrupted`` line. Only the main thread may change handlers:
    elsewhere (a library caller's thread) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _worker_start(parent: int) -> None:
    """In each worker: ignore Ctrl-C, and exit as soon as the batch's process is gone.

    ``kill -9`` of the batch runs no clean-up, and a worker waiting on its
    task queue would never notice (it holds the queue's write end itself):
    a daemon thread polls the parent's pid and ends the worker when it changes.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_POLL)
        os._exit(1)

    threading.Thread(target=watch, name="argmap-parent-watch", daemon=True).start()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the workers now, rather than wait at exit for the chunks they are mapping.

    ``ProcessPoolExecutor`` has no public way to do this before Python 3.14
    (``terminate_workers``): its process table is read directly, and a pool
    without one (a stand-in in tests) is left alone.
    """
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        if process.is_alive():
            process.terminate()


class _Reporter(AbstractContextManager["_Reporter"]):
    """A progress bar on a terminal, plain stderr lines otherwise."""

    def __init__(self, total: int, *, quiet: bool, description: str) -> None:
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        if not quiet and total > 1 and sys.stderr.isatty():
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            from argmap.cli.common import stderr_console

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=stderr_console(),
                transient=True,
            )
            self._task = self._progress.add_task(description, total=total)

    def __enter__(self) -> _Reporter:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def echo(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            typer.echo(line, err=True)

    def advance(self) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task)
