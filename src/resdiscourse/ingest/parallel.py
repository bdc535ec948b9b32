"""Run one function over many items in worker processes, surviving workers that die.

A worker that crashes hard (a segfault inside a PDF library, the OOM killer) breaks its whole pool.
The unfinished items are then run again in a fresh pool; once a round finishes nothing, each item
left runs alone, so only the item that kills its process is reported as crashed.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def run_in_processes(
    worker: Callable[[Item], Result],
    items: Sequence[Item],
    jobs: int,
    on_result: Callable[[int, Result], None],
    on_crash: Callable[[int], Result],
) -> None:
    """Call ``on_result(index, worker(items[index]))`` for every item, in completion order.

    ``worker`` must be a module-level function (processes are spawned, not forked, so that behaviour
    is the same on every platform and no lock held by a thread is copied into a child).
    ``on_crash(index)`` stands in for the result of an item whose process died.
    """
    pending = list(range(len(items)))
    while pending:
        left = _run_pool(worker, items, pending, jobs, on_result)
        if len(left) == len(pending):
            break
        pending = left
    for index in pending:
        if _run_pool(worker, items, [index], 1, on_result):
            on_result(index, on_crash(index))


def _run_pool(
    worker: Callable[[Item], Result],
    items: Sequence[Item],
    indices: Sequence[int],
    jobs: int,
    on_result: Callable[[int, Result], None],
) -> list[int]:
    """Run ``indices`` in one pool; returns those lost to a broken pool, sorted."""
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(indices))), mp_context=context)
    lost: list[int] = []
    try:
        futures: dict[Future[Result], int] = {}
        for position, index in enumerate(indices):
            try:
                futures[pool.submit(worker, items[index])] = index
            except BrokenProcessPool:  # a worker died while the rest were still being queued
                lost.extend(indices[position:])
                break
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                lost.append(futures[future])
                continue
            on_result(futures[future], result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return sorted(lost)
