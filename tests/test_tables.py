"""Tables in CSV, XLSX, Parquet and JSONL: same cells, formula-safe where it matters, same bytes."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from resdiscourse.errors import UsageError
from resdiscourse.export.tables import (
    XLSX_ILLEGAL,
    ColumnType,
    read_cells,
    read_table,
    sheet_name,
    write_table,
)
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


def test_csv_escapes_formulas_with_a_quote(tmp_path: Path) -> None:
    rows = read_back(write_table(tmp_path / "t.csv", COLUMNS, ROWS))
    assert [row["text"] for row in rows] == [
        "Refugees show résilience.",
        "'=SUM(A1:A2) is a formula",
        "'-1 and\nnew lines",
    ]


def test_xlsx_escapes_formulas_with_the_quote_prefix_style(tmp_path: Path) -> None:
    path = write_table(tmp_path / "t.xlsx", COLUMNS, ROWS)
    assert [row["text"] for row in read_back(path)] == [row["text"] for row in ROWS]
    sheet = load_workbook(path).active
    assert sheet is not None
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [cell.quotePrefix for cell in cells] == [False, True, True]
    assert {cell.data_type for cell in cells} == {"s"}  # text, never a formula


@pytest.mark.parametrize("suffix", ["parquet", "jsonl"])
def test_data_formats_keep_the_raw_text(tmp_path: Path, suffix: str) -> None:
    assert read_back(write_table(tmp_path / f"t.{suffix}", COLUMNS, ROWS)) == ROWS


def test_excel_csv_starts_with_a_byte_order_mark(tmp_path: Path) -> None:
    plain = write_table(tmp_path / "plain.csv", COLUMNS, ROWS).read_bytes()
    excel = write_table(tmp_path / "excel.csv", COLUMNS, ROWS, excel=True).read_bytes()
    assert excel == b"\xef\xbb\xbf" + plain


def test_xlsx_bytes_do_not_depend_on_the_clock(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_table(tmp_path / "a" / "t.xlsx", COLUMNS, ROWS).read_bytes()
    time.sleep(2.1)  # zip entries store time in 2-second steps
    second = write_table(tmp_path / "b" / "t.xlsx", COLUMNS, ROWS).read_bytes()
    assert first == second


def test_code_writes_the_asked_format_beside_the_csvs(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees have shown remarkable resilience.", encoding="utf-8")
    out = tmp_path / "out"
    code_corpus(corpus, out=out, format="parquet")
    for name in ("segments", "codings", "documents"):
        assert read_cells(out / f"{name}.parquet") == read_cells(out / f"{name}.csv")
    code_corpus(corpus, out=out, format="xlsx")
    assert not (out / "segments.parquet").exists()
    assert read_cells(out / "segments.xlsx") == read_cells(out / "segments.csv")


def test_an_unknown_format_stops_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        code_corpus(tmp_path, out=tmp_path / "out", format="docx")  # type: ignore[arg-type]
    assert caught.value.problem.code == "E216"
    assert not (tmp_path / "out").exists()


# --- typed tables ---------------------------------------------------------------------------------

TYPED_COLUMNS = ["doc_id", "year", "start", "kappa", "locus:civic", "text"]
TYPED_ROWS = [
    {
        "doc_id": "2015",
        "year": "2015",
        "start": "0",
        "kappa": "-0.009245",
        "locus:civic": "1",
        "text": "-0.5 is text here",
    },
    {"doc_id": "b", "year": "", "start": "12", "kappa": "", "locus:civic": "0", "text": ""},
]
TYPES: dict[str, ColumnType] = {"locus:civic": "int8"}


@pytest.mark.parametrize("suffix", ["xlsx", "parquet", "jsonl", "csv"])
def test_numbers_are_numbers_and_ids_stay_text(tmp_path: Path, suffix: str) -> None:
    path = write_table(tmp_path / f"t.{suffix}", TYPED_COLUMNS, TYPED_ROWS, types=TYPES)
    frame = read_table(path, TYPES)
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "doc_id": "string",
        "year": "Int64",
        "start": "Int64",
        "kappa": "Float64",
        "locus:civic": "Int8",
        "text": "string",
    }
    assert frame["doc_id"].tolist() == ["2015", "b"]
    assert frame["year"].isna().tolist() == [False, True]
    assert frame["kappa"][0] == -0.009245
    assert frame["text"].tolist() == ["-0.5 is text here", ""]


def test_the_file_formats_hold_the_types(tmp_path: Path) -> None:
    parquet = pq.read_table(
        write_table(tmp_path / "t.parquet", TYPED_COLUMNS, TYPED_ROWS, types=TYPES)
    )
    assert [str(t) for t in parquet.schema.types] == [
        "string",
        "int64",
        "int64",
        "double",
        "int8",
        "string",
    ]
    assert parquet.column("year").to_pylist() == [2015, None]
    lines = (write_table(tmp_path / "t.jsonl", TYPED_COLUMNS, TYPED_ROWS, types=TYPES)).read_text()
    assert json.loads(lines.splitlines()[0])["kappa"] == -0.009245
    assert json.loads(lines.splitlines()[1])["year"] is None
    sheet = load_workbook(write_table(tmp_path / "segments.xlsx", TYPED_COLUMNS, TYPED_ROWS)).active
    assert sheet is not None
    assert (sheet.title, sheet.freeze_panes, sheet.auto_filter.ref) == ("segments", "A2", "A1:F3")
    assert [cell.value for cell in sheet[2]][:4] == ["2015", 2015, 0, -0.009245]
    assert sheet["B3"].value is None  # an empty number is an empty cell
    csv_text = (write_table(tmp_path / "t.csv", TYPED_COLUMNS, TYPED_ROWS)).read_text()
    assert ",-0.009245," in csv_text  # a number gets no formula guard
    assert "'-0.5 is text here" in csv_text


def test_a_number_column_with_text_in_it_is_written_as_text(tmp_path: Path) -> None:
    rows = [{"year": "2015"}, {"year": "2015-2016"}]
    for suffix in ("xlsx", "parquet", "jsonl"):
        frame = read_table(write_table(tmp_path / f"t.{suffix}", ["year"], rows))
        assert frame["year"].tolist() == ["2015", "2015-2016"], suffix


def test_sheet_names_are_valid_for_excel() -> None:
    assert sheet_name("nvivo-1") == "nvivo-1"
    assert sheet_name("a/b:c*d?[e]" + "x" * 40) == "a-b-c-d--e-" + "x" * 20


def test_code_writes_typed_tables(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees have shown remarkable resilience.", encoding="utf-8")
    code_corpus(corpus, out=tmp_path / "out", format="parquet")
    documents = pq.read_table(tmp_path / "out" / "documents.parquet").schema
    segments = pq.read_table(tmp_path / "out" / "segments.parquet").schema
    assert str(documents.field("locus:attribute").type) == "int64"
    assert str(documents.field("remedy:remedy_absent:document").type) == "string"
    assert str(documents.field("chars").type) == "int64"
    assert {str(segments.field(c).type) for c in ("start", "end", "page")} == {"int64"}


_TYPE = st.sampled_from(["string", "Int64", "int8", "float64"])
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x0b\x0c"), max_size=12
)


@st.composite
def _cell_of(draw: st.DrawFn, kind: str) -> str:
    if draw(st.booleans()) and kind != "string":
        return ""
    if kind == "Int64":
        return str(draw(st.integers(-(2**53), 2**53)))
    if kind == "int8":
        return str(draw(st.integers(-128, 127)))
    if kind == "float64":
        return repr(draw(st.floats(allow_nan=False, allow_infinity=False)))
    return draw(_TEXT)


@st.composite
def _tables(draw: st.DrawFn) -> tuple[list[str], dict[str, ColumnType], list[dict[str, str]]]:
    kinds = draw(st.lists(_TYPE, min_size=1, max_size=4))
    columns = [f"c{index}" for index in range(len(kinds))]
    types: dict[str, ColumnType] = dict(zip(columns, kinds, strict=True))  # type: ignore[arg-type]
    count = draw(st.integers(0, 4))
    rows = [{c: draw(_cell_of(types[c])) for c in columns} for _ in range(count)]
    return columns, types, rows


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=_tables(), suffix=st.sampled_from(["csv", "xlsx", "parquet", "jsonl"]))
def test_every_table_read_back_keeps_its_types_and_values(
    tmp_path: Path,
    table: tuple[list[str], dict[str, ColumnType], list[dict[str, str]]],
    suffix: str,
) -> None:
    columns, types, rows = table
    path = write_table(tmp_path / f"t.{suffix}", columns, rows, types=types)
    if not rows and suffix == "jsonl":
        return  # an empty JSONL file has no header to read
    frame = read_table(path, types)
    for column in columns:
        expected = {"string": "string", "Int64": "Int64", "int8": "Int8", "float64": "Float64"}[
            types[column]
        ]
        assert str(frame[column].dtype) == expected, column
        values = [None if v is pd.NA else v for v in frame[column].tolist()]
        if types[column] == "string":
            texts = [row[column] for row in rows]
            if suffix == "xlsx":  # control characters XLSX cannot hold become U+FFFD
                texts = [XLSX_ILLEGAL.sub("\ufffd", text) for text in texts]
            assert values == texts
        else:
            number = float if types[column] == "float64" else int
            expected_values = [number(row[column]) if row[column] else None for row in rows]
            assert values == expected_values


@pytest.mark.parametrize("suffix", ["xlsx", "parquet", "jsonl", "csv"])
def test_a_float_reads_back_as_the_same_double(tmp_path: Path, suffix: str) -> None:
    # Found by the round-trip property test: openpyxl writes 16 significant digits, so the
    # largest double came back from XLSX as infinity and 0.1 + 0.2 as 0.3.
    values = [1.7976931348623157e308, 0.1 + 0.2, -5e-324, 1e16]
    rows = [{"c0": repr(value)} for value in values]
    types: dict[str, ColumnType] = {"c0": "float64"}
    frame = read_table(write_table(tmp_path / f"t.{suffix}", ["c0"], rows, types=types), types)
    assert str(frame["c0"].dtype) == "Float64"
    assert frame["c0"].tolist() == values


def test_a_text_cell_holding_a_lone_carriage_return_reads_back_as_written(tmp_path: Path) -> None:
    # Found by the round-trip property test in CI: the csv module does not quote a lone "\r".
    rows = [{"c0": "\r", "c1": "a\rb"}, {"c0": "plain", "c1": "=1+1"}]
    types: dict[str, ColumnType] = {"c0": "string", "c1": "string"}
    path = write_table(tmp_path / "t.csv", ["c0", "c1"], rows, types=types)
    frame = read_table(path, types)
    assert frame["c0"].tolist() == ["\r", "plain"]
    assert frame["c1"].tolist() == ["a\rb", "=1+1"]
    assert path.read_bytes() == b'c0,c1\n"\'\r","a\rb"\nplain,\'=1+1\n'


def test_a_jsonl_text_holding_a_unicode_line_separator_reads_back(tmp_path: Path) -> None:
    # Found by the round-trip property test: U+0085 and U+2028 are no record ends.
    rows = [{"c0": "a\x85b", "c1": "c\u2028d"}]
    types: dict[str, ColumnType] = {"c0": "string", "c1": "string"}
    frame = read_table(write_table(tmp_path / "t.jsonl", ["c0", "c1"], rows, types=types), types)
    assert frame.to_dict("records") == rows
