"""Reading a run folder back: the review flag and the coding strength, also from folders written
before those columns existed (review=no, strength=strong), for every reader of the folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from resdiscourse.compare import compare
from resdiscourse.export.run_export import export_run
from resdiscourse.report import build_report
from resdiscourse.rundir import load_run, needs_review
from resdiscourse.sample import sample_run
from tests.review_run import REASONS, TIE, WEAK_ONLY, code_review_run, make_old


@pytest.fixture(scope="module")
def review_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return code_review_run(tmp_path_factory.mktemp("review"))


@pytest.fixture(scope="module")
def old_out(review_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    old = shutil.copytree(review_out, tmp_path_factory.mktemp("old") / "out")
    make_old(old)
    return old


def test_load_run_reads_the_flag_and_the_strength(review_out: Path) -> None:
    run = load_run(review_out)
    assert [row["segment_id"] for row in run.review_segments()] == [WEAK_ONLY, TIE]
    assert {row["segment_id"]: row["review_reasons"] for row in run.review_segments()} == REASONS
    assert [needs_review(row) for row in run.segments] == [False, True, True, False]
    assert {row["strength"] for row in run.codings} == {"strong", "weak"}


def test_a_folder_from_before_the_columns_reads_as_no_review_and_strong(old_out: Path) -> None:
    header = (old_out / "segments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "review" not in header
    run = load_run(old_out)
    assert run.review_segments() == []
    assert {(row["review"], row["review_reasons"]) for row in run.segments} == {("no", "")}
    assert {row["strength"] for row in run.codings} == {"strong"}


@pytest.mark.parametrize("which", ["new", "old"])
def test_every_reader_works_on_new_and_old_folders(
    review_out: Path, old_out: Path, tmp_path: Path, which: str
) -> None:
    folder = review_out if which == "new" else old_out
    flagged = 2 if which == "new" else 0
    export = export_run(
        folder,
        qdpx=tmp_path / "run.qdpx",
        qdc=tmp_path / "run.qdc",
        nvivo=tmp_path / "nvivo.xlsx",
        tidy=tmp_path / "tidy.csv",
        wide=tmp_path / "wide.csv",
    )
    assert len(export.files) == 5
    comparison = compare(folder, [folder], out=tmp_path / "compare", resamples=0)
    assert comparison.overall("segment")[0]["kappa"] == 1.0
    build_report(folder, out=tmp_path / "report")
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert f"<dt>Review</dt><dd>{flagged} of 4 segments" in html
    summary = sample_run(folder, n=4, stratify="review", candidates=0, out=tmp_path / "sample")
    populations = {s.name: len(s.population) for s in summary.strata}
    assert populations == ({"review=no": 2, "review=yes": 2} if flagged else {"review=no": 4})
