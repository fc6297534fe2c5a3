"""Solving a season's blocks: one chain of weeks per queue (a week needs the carry of the
week before, so a queue's weeks are solved in order), the chains side by side on an
executor, finished blocks taken as given (a resumed run), and a progress report after
every block.

Every block is a pure function of its task, so the schedule is the same whatever solves
the blocks (this process, local processes, a Dask cluster) and in whatever order they
finish; only the progress reports follow the order of completion.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from staffing.schedule.block import CARRY_COLUMNS, BlockResult, BlockTask, solve_block

__all__ = ["Chain", "ScheduleProgress", "run_chains"]


@dataclass(frozen=True)
class Chain:
    """A queue's blocks in order: (week, task without its carry) each; `work` is an
    estimate of each block's effort (agent-intervals required), to start the longest
    chains first."""

    queue: str
    blocks: tuple[BlockTask, ...]
    work: tuple[float, ...]


@dataclass(frozen=True)
class ScheduleProgress:
    """Where a schedule stands: blocks done of the total (resumed ones included), blocks
    solved in this call and the seconds it has taken, the worst gap so far (a fraction;
    NaN before any block) and the block just finished (None for the first report)."""

    done: int
    total: int
    solved: int
    elapsed_s: float
    worst_gap: float
    last: BlockResult | None = None

    @property
    def left_s(self) -> float:
        """Estimated seconds left at this call's pace (NaN before a block is solved)."""
        if not self.solved:
            return math.nan
        return self.elapsed_s / self.solved * (self.total - self.done)

    def __str__(self) -> str:
        text = f"{self.done}/{self.total} blocks"
        if self.last is not None:
            solve = self.last.solve
            text += (f"; {self.last.queue} week of {self.last.week}: {solve['status']}, "
                     f"gap {solve['gap']:.2%}")
        if not math.isnan(self.worst_gap):
            text += f"; worst gap {self.worst_gap:.2%}"
        if not math.isnan(self.left_s) and self.done < self.total:
            text += f"; about {self.left_s:,.0f} s left"
        return text


class _State:
    """The chains' progress: next block per chain, its carry, results by block."""

    def __init__(self, chains: list[Chain], finished: Mapping[tuple[str, date], BlockResult]):
        self.chains = chains
        self.next = [0] * len(chains)
        self.carry = [pd.DataFrame(columns=list(CARRY_COLUMNS)) for _ in chains]
        self.results: dict[tuple[str, date], BlockResult] = {}
        for i, chain in enumerate(chains):
            while self.next[i] < len(chain.blocks):
                key = (chain.queue, chain.blocks[self.next[i]].week)
                if key not in finished:
                    break
                self.take(i, finished[key])
        self.resumed = len(self.results)

    def take(self, i: int, result: BlockResult) -> None:
        self.results[(result.queue, result.week)] = result
        self.carry[i] = result.carry
        self.next[i] += 1

    def task(self, i: int) -> BlockTask:
        return replace(self.chains[i].blocks[self.next[i]], carry=self.carry[i])

    def ready(self, busy: set[int]) -> list[int]:
        """Chains with a block to solve and none in flight, the most work left first."""
        left = [i for i, c in enumerate(self.chains)
                if self.next[i] < len(c.blocks) and i not in busy]
        return sorted(left, key=lambda i: (-sum(self.chains[i].work[self.next[i]:]),
                                           self.chains[i].queue))

    def worst_gap(self) -> float:
        gaps = [r.solve["gap"] for r in self.results.values()
                if not math.isnan(r.solve["gap"])]
        return max(gaps) if gaps else math.nan


def run_chains(chains: list[Chain], *, executor: Executor | None = None, workers: int = 1,
               finished: Mapping[tuple[str, date], BlockResult] | None = None,
               on_block: Callable[[BlockResult], None] | None = None,
               progress: Callable[[ScheduleProgress], None] | None = None
               ) -> list[BlockResult]:
    """Solve every block of `chains` (blocks in `finished` are taken as they are),
    `workers` at a time on `executor` (None: one after the other here); `on_block` gets
    each block solved, `progress` a report at the start and after each block. Returns
    the results chain by chain, week by week."""
    state = _State(chains, finished or {})
    total = sum(len(c.blocks) for c in chains)
    started = time.perf_counter()

    def report(last: BlockResult | None) -> None:
        if progress is not None:
            progress(ScheduleProgress(len(state.results), total,
                                      len(state.results) - state.resumed,
                                      time.perf_counter() - started, state.worst_gap(), last))

    def done(i: int, result: BlockResult) -> None:
        state.take(i, result)
        if on_block is not None:
            on_block(result)
        report(result)

    report(None)
    if executor is None:
        for i in state.ready(set()):
            while state.next[i] < len(chains[i].blocks):
                done(i, solve_block(state.task(i)))
    else:
        _on_executor(state, executor, max(1, workers), done)
    return [state.results[(c.queue, b.week)] for c in chains for b in c.blocks]


def _on_executor(state: _State, executor: Executor, workers: int,
                 done: Callable[[int, BlockResult], None]) -> None:
    """Keep `workers` blocks in flight, each chain's next block once its last is done."""
    flying: dict[Future, int] = {}
    try:
        while True:
            for i in state.ready(set(flying.values()))[: workers - len(flying)]:
                flying[executor.submit(solve_block, state.task(i))] = i
            if not flying:
                return
            finished, _ = wait(list(flying), return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: flying[f]):
                done(flying.pop(future), future.result())
    finally:
        for future in flying:
            future.cancel()
