"""Run fit tasks in order: in this process, in local processes, or on a Dask cluster.

The result list follows the task list whatever the backend, and each fit is deterministic,
so the backends give identical forecasts. Local worker processes end with the process that
started them, even when it is killed with SIGKILL (Linux), and an exception or Ctrl-C in
it cancels the tasks not yet started instead of waiting for them.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from typing import TypeVar

from tqdm.auto import tqdm

from data import ConfigError

__all__ = ["cluster_executor", "local_pool", "run_all"]

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


def run_all(fn: Callable[[T], R], tasks: Sequence[T], *, workers: int = 0, scheduler: str = "",
            progress: bool = False, label: str = "fits") -> list[R]:
    """`fn` over `tasks`; workers 0 means one process per core, 1 runs here; a scheduler
    address ('tcp://host:8786') sends the tasks to that Dask cluster."""
    bar = tqdm(total=len(tasks), desc=label, disable=not progress, unit="fit")
    try:
        if scheduler:
            return _dask(fn, tasks, scheduler, bar)
        count = workers or os.cpu_count() or 1
        if count == 1 or len(tasks) < 4:
            results = []
            for task in tasks:
                results.append(fn(task))
                bar.update()
            return results
        with local_pool(count) as pool:
            results = []
            for result in pool.map(fn, tasks, chunksize=max(1, len(tasks) // (count * 8))):
                results.append(result)
                bar.update()
            return results
    finally:
        bar.close()


@contextmanager
def local_pool(count: int, *, start_method: str | None = None) -> Iterator[ProcessPoolExecutor]:
    """`count` local worker processes (started by `start_method`, default the platform's)
    that end with this process, even when it is killed (Linux: PR_SET_PDEATHSIG). Ctrl-C
    reaches this process alone (the workers ignore SIGINT: no traceback of theirs), and an
    exception or Ctrl-C in the block cancels the tasks not started and ends the workers
    rather than waiting for the tasks they are running."""
    context = multiprocessing.get_context(start_method) if start_method else None
    pool = ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_worker_start,
                               initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        _end_workers(pool)
        raise
    pool.shutdown(wait=True)


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel the tasks not started and terminate the worker processes (the pool forgets
    them on shutdown, so they are taken first; Python 3.14's `terminate_workers` does the
    same)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with suppress(OSError, ValueError, AttributeError):
            process.terminate()


def _worker_start(parent: int) -> None:
    """In a worker process: leave Ctrl-C to the parent, and end when `parent` ends, even
    by kill -9, so that no fit or solve is left running (Linux: PR_SET_PDEATHSIG;
    elsewhere the pool's own shutdown is all there is)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent ended before the call above
        os._exit(1)


@contextmanager
def cluster_executor(scheduler: str) -> Iterator[Executor]:
    """A `concurrent.futures.Executor` on the Dask cluster at `scheduler`: one client for
    every task submitted in the block, closed (and tasks still running cancelled) on
    leaving it. ConfigError when no scheduler answers there."""
    with _client(scheduler) as client:
        executor = client.get_executor(pure=False)
        try:
            yield executor
        finally:
            executor.shutdown(wait=False)


def _client(scheduler: str):
    """A Dask client of the scheduler at `scheduler` (ConfigError when none answers)."""
    from dask.distributed import Client

    try:
        return Client(scheduler, set_as_default=False, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError("forecast.scheduler", scheduler,
                          f"no Dask scheduler answers there ({exc})") from None


def _dask(fn: Callable[[T], R], tasks: Sequence[T], scheduler: str, bar: tqdm) -> list[R]:
    log.info("sending %d tasks to the Dask scheduler at %s", len(tasks), scheduler)
    with _client(scheduler) as client:
        futures = client.map(fn, tasks, pure=False)
        results = []
        for future in futures:
            results.append(future.result())
            bar.update()
        return results
