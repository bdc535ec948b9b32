"""Where per-document tasks run: in this process, in worker processes, or on a Dask cluster.

Ingest and coding hand an :class:`Executor` the same module-level worker function and picklable
tasks whatever runs them; results come back through ``on_result(index, result)`` in completion
order, and the callers put them back in document order, so the outputs are the same bytes.

``--executor dask`` runs the tasks on Dask distributed (the optional ``[dask]`` extra): on the
scheduler at ``--scheduler tcp://HOST:PORT``, or, without an address (or with ``local``), on a
``LocalCluster`` of ``--jobs`` worker processes started for the run. Dask moves the task of a
worker that dies to another worker, and runs a task that raises again (``RETRIES`` times); one
that fails for good becomes the caller's ``on_crash(index)`` row, so a bad document never stops
the batch. Workers on other machines must
see the corpus, the output folder's parent and the cache folder at the same paths.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from resdiscourse.errors import Location, UsageError

Item = TypeVar("Item")
Result = TypeVar("Result")

EXECUTORS = ("processes", "dask")
#: ``--scheduler`` values that start a LocalCluster for the run.
LOCAL = "local"
#: Times a failed Dask task is submitted again before its document is reported as crashed.
RETRIES = 2
#: Seconds to wait for a remote scheduler to answer.
CONNECT_TIMEOUT = 10

#: The worker-process runner (``ingest.parallel.run_in_processes``, passed in by the callers, which
#: sit above this module): ``(worker, items, jobs, on_result, on_crash)``.
ProcessRunner = Callable[
    [Callable[[Any], Any], Sequence[Any], int, Callable[[int, Any], None], Callable[[int], Any]],
    None,
]


@dataclass
class Executor:
    """How a command runs its per-document tasks (``jobs`` and, for Dask, an open client)."""

    kind: str = "processes"
    jobs: int = 1
    scheduler: str | None = None
    #: The ``distributed.Client`` while a Dask executor is open.
    client: Any = field(default=None, repr=False)

    @property
    def distributed(self) -> bool:
        return self.kind == "dask"

    def describe(self) -> dict[str, Any]:
        """What ran the tasks (timings.json: it does not change any other output)."""
        described: dict[str, Any] = {"executor": self.kind, "jobs": self.jobs}
        if self.distributed:
            described["scheduler"] = self.scheduler or LOCAL
            described["workers"] = len(self.client.nthreads())  # every worker, however many
        return described

    def run(
        self,
        worker: Callable[[Item], Result],
        items: Sequence[Item],
        on_result: Callable[[int, Result], None],
        on_crash: Callable[[int], Result],
        processes: ProcessRunner,
    ) -> None:
        """Call ``on_result(index, worker(items[index]))`` for every item.

        Serial for one job or one item; ``processes`` (the worker-process pool) for more jobs;
        the Dask cluster when the executor is ``dask``.
        """
        if self.distributed:
            _run_on_dask(self.client, worker, items, on_result, on_crash)
        elif self.jobs > 1 and len(items) > 1:
            processes(worker, items, self.jobs, on_result, on_crash)
        else:
            for index, item in enumerate(items):
                on_result(index, worker(item))


def check_executor(kind: str, scheduler: str | None) -> None:
    """E703 for an unknown executor, or a scheduler given without ``--executor dask``."""
    if kind not in EXECUTORS:
        raise UsageError.of("E703", Location(), detail=f"unknown executor {kind!r}")
    if scheduler is not None and kind != "dask":
        raise UsageError.of("E703", Location(), detail="--scheduler needs --executor dask")


@contextlib.contextmanager
def open_executor(
    kind: str = "processes", jobs: int = 1, scheduler: str | None = None
) -> Iterator[Executor]:
    """The executor for one run; a Dask client (and a LocalCluster it started) is closed after.

    Raises E703 for a bad combination, E704 when Dask is not installed and E705 when the
    scheduler cannot be reached.
    """
    check_executor(kind, scheduler)
    if kind != "dask":
        yield Executor(kind, jobs)
        return
    with _dask_client(scheduler, jobs) as client:
        yield Executor(kind, jobs, scheduler, client)


@contextlib.contextmanager
def _dask_client(scheduler: str | None, jobs: int) -> Iterator[Any]:
    distributed = _distributed()
    Client, LocalCluster = distributed.Client, distributed.LocalCluster
    if scheduler is None or scheduler == LOCAL:
        # One single-threaded process per job: the PDF library is not thread-safe.
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as error:
        detail = str(error) or type(error).__name__
        raise UsageError.of("E705", Location(), address=scheduler, detail=detail) from None
    with client:
        yield client


def _distributed() -> Any:
    """The ``distributed`` package (untyped: imported as a module object), or E704."""
    try:
        return importlib.import_module("distributed")
    except ImportError as error:
        raise UsageError.of("E704", Location(), detail=str(error)) from None


def _recomputed(future: Any, index: int, on_crash: Callable[[int], Result]) -> Result:
    """The result of a task that finished on a worker which then died before the result was
    fetched ("lost"): Dask computes it again for the future we hold, so wait for that."""
    try:
        return cast(Result, future.result())
    except Exception:  # computing it again failed for good: as any failed task
        return on_crash(index)


def _run_on_dask(
    client: Any,
    worker: Callable[[Item], Result],
    items: Sequence[Item],
    on_result: Callable[[int, Result], None],
    on_crash: Callable[[int], Result],
) -> None:
    as_completed = _distributed().as_completed
    if not items:
        return
    # pure=False: two equal tasks are still two documents; retries: a lost or failed task is run
    # again (a worker that dies mid-task has its task moved to another worker by Dask itself).
    futures = client.map(worker, list(items), pure=False, retries=RETRIES)
    index_of = {future.key: index for index, future in enumerate(futures)}
    try:
        for future in as_completed(futures):
            index = index_of[future.key]
            if future.status == "finished":
                on_result(index, future.result())
            elif future.status == "lost":
                on_result(index, _recomputed(future, index, on_crash))
            else:  # failed for good (an exception each time, or too many workers lost)
                on_result(index, on_crash(index))
    finally:
        client.cancel(futures)
