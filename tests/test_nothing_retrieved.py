"""A run that retrieves nothing says why: which part of the retrieval no document contains."""

from __future__ import annotations

import json
from pathlib import Path

from resdiscourse.report import build_report
from resdiscourse.run import code_corpus


def test_a_run_without_segments_says_which_concept_is_missing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The city showed resilience after the flood.", encoding="utf-8")
    (corpus / "b.txt").write_text("Resilient bridges need upkeep.", encoding="utf-8")
    out = tmp_path / "out"
    summary = code_corpus(corpus, out=out)
    assert summary.segments == 0
    [warning] = [p for p in summary.problems if p.code == "W222"]
    assert "2 contain {resilience}" in warning.message
    assert "0 contain {migrants}" in warning.message
    assert summary.exit_code == 0
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["retrieval"]["documents_with"] == {"{resilience}": 2, "{migrants}": 0}
    report = build_report(out)
    assert [f for f in report.files if f["kind"] == "chart"] == []
    page = (out / "report" / "report.html").read_text(encoding="utf-8")
    assert "0 of 2 documents contain {migrants}" in page


def test_a_run_with_segments_gives_no_warning(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees showed resilience.", encoding="utf-8")
    summary = code_corpus(corpus, out=tmp_path / "out")
    assert summary.segments == 1
    assert not [p for p in summary.problems if p.code == "W222"]
    assert summary.retrieval["documents_with"] == {"{resilience}": 1, "{migrants}": 1}
