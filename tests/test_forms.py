"""Tidy and wide tables of a run of the demo corpus, checked against its codings.csv."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from resdiscourse.export.forms import TIDY_COLUMNS, WIDE_COLUMNS, tidy_table, wide_table
from resdiscourse.export.tables import write_table
from resdiscourse.run import code_corpus
from resdiscourse.rundir import CodeRun, load_run

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> CodeRun:
    out = tmp_path_factory.mktemp("demo-run")
    code_corpus(DEMO, out=out)
    return load_run(out)


def test_tidy_has_one_row_per_segment_and_code(run: CodeRun) -> None:
    columns, rows = tidy_table(run)
    assert columns == list(TIDY_COLUMNS)
    pairs = {(c["segment_id"], c["dimension"], c["code"]) for c in run.codings}
    assert len(rows) == len(pairs) > 0
    assert {(r["segment_id"], r["dimension"], r["code"]) for r in rows} == pairs


def test_a_code_given_by_two_rules_is_one_row_with_both(run: CodeRun) -> None:
    by_pair: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for coding in run.codings:
        by_pair.setdefault((coding["segment_id"], coding["dimension"], coding["code"]), [])
        by_pair[(coding["segment_id"], coding["dimension"], coding["code"])].append(coding)
    pair, codings = next((p, c) for p, c in by_pair.items() if len(c) >= 2)
    _, rows = tidy_table(run)
    [row] = [r for r in rows if (r["segment_id"], r["dimension"], r["code"]) == pair]
    assert row["rules"] == "; ".join(c["rule"] for c in codings)
    assert row["evidence"] == " | ".join(c["evidence"] for c in codings)
    segment = next(s for s in run.segments if s["segment_id"] == pair[0])
    assert row["text"] == segment["text"]
    assert row["text"] == run.text(row["doc_id"])[int(row["start"]) : int(row["end"])]


def test_tidy_rows_are_sorted_by_document_offsets_and_codebook_order(run: CodeRun) -> None:
    _, rows = tidy_table(run)
    order = {code.key: i for i, code in enumerate(run.codes())}
    keys = [
        (r["doc_id"], int(r["start"]), int(r["end"]), order[f"{r['dimension']}:{r['code']}"])
        for r in rows
    ]
    assert keys == sorted(keys)
    labels = {code.key: code.label for code in run.codes()}
    assert all(r["code_label"] == labels[f"{r['dimension']}:{r['code']}"] for r in rows)


def test_wide_has_every_segment_once_and_its_codes(run: CodeRun) -> None:
    columns, rows = wide_table(run)
    codes = run.codes()
    dimensions = list(dict.fromkeys(code.dimension for code in codes))
    assert columns == [*WIDE_COLUMNS, *dimensions, *(code.key for code in codes)]
    assert Counter(r["segment_id"] for r in rows) == Counter(s["segment_id"] for s in run.segments)
    assert all(count == 1 for count in Counter(r["segment_id"] for r in rows).values())
    segment_codes = run.segment_codes()
    for row in rows:
        keys = {code.key for code in codes if row[code.key] == "1"}
        assert keys == set(segment_codes[row["segment_id"]])
        assert all(row[code.key] in {"0", "1"} for code in codes)
        for dimension in dimensions:
            expected = [c.code for c in codes if c.dimension == dimension and c.key in keys]
            assert row[dimension] == "; ".join(expected)


def test_wide_dimension_cells_agree_with_segments_csv(run: CodeRun) -> None:
    _, rows = wide_table(run)
    segments = {s["segment_id"]: s for s in run.segments}
    dimensions = list(dict.fromkeys(code.dimension for code in run.codes()))
    for row in rows:
        for dimension in dimensions:
            written = set(filter(None, segments[row["segment_id"]][dimension].split("; ")))
            assert set(filter(None, row[dimension].split("; "))) == written


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet", "jsonl"])
def test_both_tables_write_in_every_format_identically(
    run: CodeRun, tmp_path: Path, suffix: str
) -> None:
    for form in (tidy_table, wide_table):
        path = tmp_path / f"{form.__name__}.{suffix}"
        first = write_table(path, *form(run)).read_bytes()
        assert write_table(path, *form(run)).read_bytes() == first
