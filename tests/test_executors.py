"""The executors: a run on a Dask cluster writes what a serial run writes, survives a dead worker,
reports a task that fails for good as an error row, and says clearly when Dask cannot be used."""

from __future__ import annotations

import json
import os
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from resdiscourse import executors
from resdiscourse import run as run_module
from resdiscourse.cache import cache_info
from resdiscourse.errors import UsageError
from resdiscourse.executors import Executor, open_executor
from resdiscourse.ingest.parallel import run_in_processes

distributed = pytest.importorskip("distributed")

code_document = run_module.code_document  # the function itself, before a test patches it
ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"


@pytest.fixture(scope="module")
def threaded_cluster() -> Iterator[Any]:
    """A LocalCluster in this process (threads, one worker thread: the PDF library is not
    thread-safe); its workers still get every task through the scheduler."""
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        yield cluster


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "timings.json"
    }


def test_a_dask_run_writes_the_bytes_a_serial_run_writes(
    demo_out: Path, threaded_cluster: Any, tmp_path: Path
) -> None:
    out = tmp_path / "dask"
    summary = run_module.code_corpus(
        DEMO,
        out=out,
        executor="dask",
        scheduler=threaded_cluster.scheduler_address,
        cache_dir=tmp_path / "cache",  # an empty cache: every document is read and coded
    )
    assert summary.exit_code == 0
    assert summary.coded_from_cache == 0
    serial, on_dask = files_of(demo_out), files_of(out)
    assert sorted(on_dask) == sorted(serial)
    assert [name for name in serial if serial[name] != on_dask[name]] == []
    timings = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    assert (timings["executor"], timings["workers"]) == ("dask", 1)
    assert timings["scheduler"] == threaded_cluster.scheduler_address
    # The workers stored each text's segmentation in the shared cache; a re-run after a codebook
    # edit, on the cluster again, codes every document from them.
    assert cache_info(tmp_path / "cache").kinds["segmentation"].entries == 11
    book = tmp_path / "edited.yml"
    shipped = ROOT / "src" / "resdiscourse" / "codebooks" / "bhuyan-leung-2021.yml"
    book.write_text(shipped.read_text("utf-8").replace("label: ", "label: (edited) ", 1), "utf-8")
    edited = run_module.code_corpus(
        DEMO,
        out=tmp_path / "edited",
        codebook=book,
        executor="dask",
        scheduler=threaded_cluster.scheduler_address,
        cache_dir=tmp_path / "cache",
    )
    assert edited.exit_code == 0
    timings = json.loads((tmp_path / "edited" / "timings.json").read_text(encoding="utf-8"))
    assert timings["cache"] == {"ingest": 11, "coding": 0, "segmentation": 11}


def failing_for_one(task: run_module.CodingTask) -> run_module.DocumentCoding:
    """Raises (past code_document's own guard) for one document, every time it is tried."""
    if task.doc_id == "toronto-newcomer-youth-2010":
        raise RuntimeError("this document breaks its worker")
    return code_document(task)


def test_a_task_that_fails_for_good_is_an_error_row(
    threaded_cluster: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run_module, "code_document", failing_for_one)
    summary = run_module.code_corpus(
        DEMO, out=tmp_path / "out", executor="dask", scheduler=threaded_cluster.scheduler_address
    )
    assert summary.exit_code == 1
    statuses = {d["doc_id"]: (d["status"], d["code"]) for d in summary.documents}
    assert statuses.pop("toronto-newcomer-youth-2010") == ("error", "E211")
    assert {status for status, _ in statuses.values()} == {"ok"}
    assert summary.segments > 0  # the other documents were coded


def dies_once(item: tuple[str, int]) -> int:
    """Kills its worker process the first time it sees item 3; doubles the number otherwise."""
    marker, number = item
    if number == 3 and not os.path.exists(marker):
        Path(marker).write_text("died", encoding="utf-8")
        os._exit(1)
    return number * 2


def test_a_worker_killed_mid_run_is_survived(tmp_path: Path) -> None:
    import cloudpickle

    # The worker processes cannot import this test module: send its functions by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    marker = str(tmp_path / "died")
    items = [(marker, number) for number in range(6)]
    results: dict[int, int] = {}
    try:
        with open_executor("dask", jobs=2) as executor:
            executor.run(dies_once, items, results.__setitem__, lambda i: -1, run_in_processes)
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert Path(marker).exists()  # a worker did die
    assert results == {index: index * 2 for index in range(6)}


def test_an_unreachable_scheduler_is_E705(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1)
    with pytest.raises(UsageError) as caught, open_executor("dask", scheduler="tcp://127.0.0.1:1"):
        pass
    assert caught.value.problem.code == "E705"
    assert "tcp://127.0.0.1:1" in caught.value.problem.message


def test_dask_not_installed_is_E704(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import raises ImportError
    with pytest.raises(UsageError) as caught, open_executor("dask"):
        pass
    assert caught.value.problem.code == "E704"
    assert "resdiscourse[dask]" in caught.value.problem.hint


@pytest.mark.parametrize(
    ("kind", "scheduler"), [("spark", None), ("processes", "tcp://127.0.0.1:8786")]
)
def test_a_bad_executor_is_E703_before_anything_is_written(
    kind: str, scheduler: str | None, tmp_path: Path
) -> None:
    with pytest.raises(UsageError) as caught:
        run_module.code_corpus(DEMO, out=tmp_path / "out", executor=kind, scheduler=scheduler)
    assert caught.value.problem.code == "E703"
    assert not (tmp_path / "out").exists()


def test_the_process_executor_runs_serially_for_one_job() -> None:
    def no_pool(*args: object) -> None:
        raise AssertionError("one job needs no worker processes")

    results: dict[int, int] = {}
    Executor("processes", jobs=1).run(abs, [-1, -2], results.__setitem__, lambda i: 0, no_pool)
    assert results == {0: 1, 1: 2}


def test_the_code_command_takes_the_executor_and_its_scheduler(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from resdiscourse.cli.main import app

    out = tmp_path / "out"
    argv = ["code", str(DEMO), "--out", str(out), "--scheduler", "tcp://127.0.0.1:8786"]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2
    assert "E703" in result.stderr and "--scheduler needs --executor dask" in result.stderr
    assert not out.exists()
    help_text = CliRunner().invoke(app, ["code", "--help"], env={"COLUMNS": "200"}).stdout
    assert "--executor" in help_text and "--scheduler" in help_text


class LostFuture:
    """A finished task whose result was on a worker that died before it was fetched."""

    def __init__(self, key: int, value: int | Exception) -> None:
        self.key, self.status, self._value = key, "lost", value

    def result(self) -> int:
        if isinstance(self._value, Exception):
            raise self._value
        self.status = "finished"  # Dask computed it again
        return self._value


def test_a_result_lost_with_its_worker_is_computed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # Seen under load: a task finished on a worker that was then killed; its future is "lost"
    # when the loop reaches it, and Dask computes it again for the future the client holds.
    futures = [LostFuture(0, 10), LostFuture(1, RuntimeError("failed again"))]

    class Client:
        def map(self, *args: object, **kwargs: object) -> list[LostFuture]:
            return futures

        def cancel(self, futures: object) -> None:
            pass

    fake = types.SimpleNamespace(as_completed=iter)
    monkeypatch.setattr(executors, "_distributed", lambda: fake)
    results: dict[int, int] = {}
    executors._run_on_dask(Client(), str, [0, 1], results.__setitem__, lambda index: -1)
    assert results == {0: 10, 1: -1}
