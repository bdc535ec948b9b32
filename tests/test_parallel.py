"""Running work in spawned processes, surviving a worker that dies."""

from __future__ import annotations

import os

from resdiscourse.ingest.parallel import run_in_processes


def square(value: int) -> int:
    return value * value


def die_on_three(value: int) -> int:
    if value == 3:
        os._exit(1)  # what a segfault in a PDF library looks like to the pool
    return value * value


def collect(worker: object, items: list[int], jobs: int) -> dict[int, int]:
    results: dict[int, int] = {}

    def on_result(index: int, result: int) -> None:
        assert index not in results
        results[index] = result

    run_in_processes(worker, items, jobs, on_result, lambda index: -1)  # type: ignore[arg-type]
    return results


def test_every_item_gets_its_result() -> None:
    assert collect(square, [1, 2, 3, 4, 5], jobs=2) == {0: 1, 1: 4, 2: 9, 3: 16, 4: 25}


def test_only_the_item_that_kills_its_process_is_a_crash() -> None:
    assert collect(die_on_three, [1, 2, 3, 4, 5, 6], jobs=2) == {
        0: 1, 1: 4, 2: -1, 3: 16, 4: 25, 5: 36,
    }  # fmt: skip
