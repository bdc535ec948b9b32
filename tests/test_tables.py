"""Tables in CSV, XLSX, Parquet and JSONL: same cells, formula-safe where it matters, same bytes."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from resdiscourse.errors import UsageError
from resdiscourse.export.tables import write_table
from resdiscourse.run import code_corpus

COLUMNS = ["id", "text"]
ROWS = [
    {"id": "a", "text": "Refugees show résilience."},
    {"id": "b", "text": "=SUM(A1:A2) is a formula"},
    {"id": "c", "text": "-1 and\nnew lines"},
]


def read_back(path: Path) -> list[dict[str, str]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    if path.suffix == ".xlsx":
        sheet = load_workbook(path).active
        assert sheet is not None
        values = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_spreadsheet_formats_escape_formulas(tmp_path: Path, suffix: str) -> None:
    rows = read_back(write_table(tmp_path / f"t.{suffix}", COLUMNS, ROWS))
    assert [row["text"] for row in rows] == [
        "Refugees show résilience.",
        "'=SUM(A1:A2) is a formula",
        "'-1 and\nnew lines",
    ]


@pytest.mark.parametrize("suffix", ["parquet", "jsonl"])
def test_data_formats_keep_the_raw_text(tmp_path: Path, suffix: str) -> None:
    assert read_back(write_table(tmp_path / f"t.{suffix}", COLUMNS, ROWS)) == ROWS


def test_excel_csv_starts_with_a_byte_order_mark(tmp_path: Path) -> None:
    plain = write_table(tmp_path / "plain.csv", COLUMNS, ROWS).read_bytes()
    excel = write_table(tmp_path / "excel.csv", COLUMNS, ROWS, excel=True).read_bytes()
    assert excel == b"\xef\xbb\xbf" + plain


def test_xlsx_bytes_do_not_depend_on_the_clock(tmp_path: Path) -> None:
    first = write_table(tmp_path / "a.xlsx", COLUMNS, ROWS).read_bytes()
    time.sleep(2.1)  # zip entries store time in 2-second steps
    second = write_table(tmp_path / "b.xlsx", COLUMNS, ROWS).read_bytes()
    assert first == second


def test_code_writes_the_asked_format_beside_the_csvs(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees have shown remarkable resilience.", encoding="utf-8")
    out = tmp_path / "out"
    code_corpus(corpus, out=out, format="parquet")
    for name in ("segments", "codings", "documents"):
        assert read_back(out / f"{name}.parquet") == read_back(out / f"{name}.csv")
    code_corpus(corpus, out=out, format="xlsx")
    assert not (out / "segments.parquet").exists()
    assert read_back(out / "segments.xlsx") == read_back(out / "segments.csv")


def test_an_unknown_format_stops_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        code_corpus(tmp_path, out=tmp_path / "out", format="docx")  # type: ignore[arg-type]
    assert caught.value.problem.code == "E216"
    assert not (tmp_path / "out").exists()
