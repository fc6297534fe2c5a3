"""Run fit tasks in order: in this process, in local processes, or on a Dask cluster.

The result list follows the task list whatever the backend, and each fit is deterministic,
so the backends give identical forecasts.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from tqdm.auto import tqdm

from data import ConfigError

__all__ = ["cluster_executor", "run_all"]

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
        with ProcessPoolExecutor(max_workers=count) as pool:
            results = []
            for result in pool.map(fn, tasks, chunksize=max(1, len(tasks) // (count * 8))):
                results.append(result)
                bar.update()
            return results
    finally:
        bar.close()


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
