"""The NVivo dataset of a run of the demo corpus: columns, code columns, limits and files."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook

from resdiscourse.errors import UsageError
from resdiscourse.export.nvivo import (
    CLASSIFYING_COLUMNS,
    CODABLE_COLUMNS,
    NVIVO_MAX_CODE_COLUMNS,
    NVIVO_MAX_COLUMNS,
    nvivo_dataset,
    nvivo_datasets,
    write_nvivo_dataset,
)
from resdiscourse.export.tables import read_cells
from resdiscourse.run import code_corpus
from resdiscourse.rundir import CodeLabel, CodeRun, load_run
from tests.review_run import TIE, WEAK_ONLY, code_review_run, make_old

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
RESERVED = set('\\/:*?"<>|')


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> CodeRun:
    out = tmp_path_factory.mktemp("demo-run")
    code_corpus(DEMO, out=out)
    return load_run(out)


@dataclasses.dataclass
class SyntheticRun(CodeRun):
    """A run whose codebook is replaced by the given codes (no YAML needed)."""

    synthetic: list[CodeLabel] = dataclasses.field(default_factory=list)

    def codes(self) -> list[CodeLabel]:
        return self.synthetic


def synthetic(run: CodeRun, codes: list[CodeLabel]) -> CodeRun:
    fields = {f.name: getattr(run, f.name) for f in dataclasses.fields(run)}
    return SyntheticRun(**fields, synthetic=codes)


def test_columns_are_classifying_then_codable(run: CodeRun) -> None:
    dataset = nvivo_dataset(run)
    codes = run.codes()
    dimensions = list(dict.fromkeys(code.dimension for code in codes))
    assert dataset.classifying == (*CLASSIFYING_COLUMNS, *dimensions)
    assert dataset.codable == (*CODABLE_COLUMNS, *dataset.code_columns.values())
    assert dataset.columns == dataset.classifying + dataset.codable
    assert list(dataset.code_columns) == [code.key for code in codes]
    assert len(dataset.columns) == len(set(dataset.columns)) <= NVIVO_MAX_COLUMNS
    assert dataset.analysis_type("year") == "Classifying"
    assert dataset.analysis_type("text") == "Codable"
    assert dataset.code_columns["locus:attribute"] == "locus - Attribute of newcomers"
    assert all(not RESERVED & set(name) for name in dataset.code_columns.values())


def test_one_row_per_segment_with_its_metadata(run: CodeRun) -> None:
    dataset = nvivo_dataset(run)
    assert sorted(r["segment_id"] for r in dataset.rows) == sorted(
        s["segment_id"] for s in run.segments
    )
    segments = {s["segment_id"]: s for s in run.segments}
    for row in dataset.rows:
        segment = segments[row["segment_id"]]
        for column in (*CLASSIFYING_COLUMNS, *CODABLE_COLUMNS):
            assert row[column] == segment[column]


def test_each_code_column_holds_exactly_its_segments_texts(run: CodeRun) -> None:
    dataset = nvivo_dataset(run)
    segment_codes = run.segment_codes()
    texts = {s["segment_id"]: s["text"] for s in run.segments}
    for key, column in dataset.code_columns.items():
        filled = {r["segment_id"]: r[column] for r in dataset.rows if r[column]}
        expected = {sid for sid, keys in segment_codes.items() if key in keys}
        assert set(filled) == expected
        assert all(filled[sid] == texts[sid] for sid in filled)
    assert any(dataset.rows[0][column] for column in dataset.code_columns.values())


def test_dimension_columns_hold_code_labels(run: CodeRun) -> None:
    dataset = nvivo_dataset(run)
    labels = {code.key: code.label for code in run.codes()}
    segment_codes = run.segment_codes()
    for row in dataset.rows:
        keys = segment_codes[row["segment_id"]]
        expected = [labels[k] for k in labels if k in keys and k.startswith("locus:")]
        assert row["locus"] == "; ".join(expected)


def test_dimensions_restrict_the_columns(run: CodeRun) -> None:
    dataset = nvivo_dataset(run, ["valence", "locus"])
    assert dataset.classifying == (*CLASSIFYING_COLUMNS, "locus", "valence")
    assert [key.split(":")[0] for key in dataset.code_columns] == ["locus"] * 3 + ["valence"] * 2
    assert "stressor" not in dataset.columns
    with pytest.raises(UsageError) as caught:
        nvivo_dataset(run, ["nope"])
    assert caught.value.problem.code == "E450"
    assert "nope" in caught.value.problem.message


def test_too_many_columns_is_e450(run: CodeRun) -> None:
    codes = [CodeLabel(f"d{n % 5}", f"c{n}", f"Code {n}", "") for n in range(300)]
    big = synthetic(run, codes)
    with pytest.raises(UsageError) as caught:
        nvivo_dataset(big)
    problem = caught.value.problem
    assert problem.code == "E450"
    assert f"{len(CLASSIFYING_COLUMNS) + 5 + len(CODABLE_COLUMNS) + 300} columns" in problem.message
    # The option is --dimension, repeated (there is no --dimensions).
    assert "--dimensions" not in problem.hint
    assert "--dimension d0 --dimension d1" in problem.hint
    assert "d0, d1, d2, d3, d4" in problem.hint
    assert len(nvivo_dataset(big, ["d0"]).columns) < NVIVO_MAX_COLUMNS


def test_names_are_unique_and_free_of_reserved_characters(run: CodeRun) -> None:
    codes = [
        CodeLabel("text", "a", 'Who / what: "agent"?', ""),
        CodeLabel("text", "b", "WHO - WHAT- AGENT-", ""),
        CodeLabel("text", "c", "who - what- agent-", ""),
    ]
    dataset = nvivo_dataset(synthetic(run, codes))
    assert dataset.classifying[-1] == "text 2"
    assert dataset.codable[0] == "text"
    names = list(dataset.code_columns.values())
    assert names[0] == "text - Who - what- -agent--"
    assert len({name.casefold() for name in dataset.columns}) == len(dataset.columns)
    assert all(not RESERVED & set(name) for name in names)


def test_xlsx_opens_with_the_headers_and_cells(run: CodeRun, tmp_path: Path) -> None:
    (file,) = write_nvivo_dataset(run, tmp_path / "nvivo.xlsx")
    dataset = file.dataset
    header, cells = read_cells(tmp_path / "nvivo.xlsx")
    assert tuple(header) == dataset.columns
    assert [dict(zip(dataset.columns, row, strict=True)) for row in cells] == dataset.rows
    sheet = load_workbook(tmp_path / "nvivo.xlsx").active
    assert sheet is not None
    first = dict(
        zip(dataset.columns, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True)
    )
    # Classifying numbers stay numbers, so NVivo can sort and group by them.
    assert all(isinstance(first[c], int) for c in ("year", "page", "start", "end"))


def test_csv_starts_with_a_bom_and_reads_back(run: CodeRun, tmp_path: Path) -> None:
    (file,) = write_nvivo_dataset(run, tmp_path / "nvivo.csv")
    dataset = file.dataset
    data = (tmp_path / "nvivo.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    with (tmp_path / "nvivo.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.DictReader(handle)) == dataset.rows


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_rewriting_gives_identical_bytes(run: CodeRun, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"nvivo.{suffix}"
    write_nvivo_dataset(run, path)
    first = path.read_bytes()
    write_nvivo_dataset(run, path)
    assert path.read_bytes() == first


def test_other_suffixes_are_e216(run: CodeRun, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        write_nvivo_dataset(run, tmp_path / "nvivo.parquet")
    assert caught.value.problem.code == "E216"
    assert not (tmp_path / "nvivo.parquet").exists()


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_formula_like_text_is_escaped(run: CodeRun, tmp_path: Path, suffix: str) -> None:
    coded = next(s for s in run.segments if run.segment_codes()[s["segment_id"]])
    formula = dataclasses.replace(
        run, segments=[{**s, "text": "=SUM(A1)"} if s is coded else s for s in run.segments]
    )
    path = tmp_path / f"nvivo.{suffix}"
    (file,) = write_nvivo_dataset(formula, path)
    dataset = file.dataset
    column = dataset.code_columns[run.segment_codes()[coded["segment_id"]][0]]
    if suffix == "csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        [row] = [r for r in rows if r["segment_id"] == coded["segment_id"]]
        assert row["text"] == row[column] == "'=SUM(A1)"
        return
    # XLSX: the text NVivo codes stays as it is; the cell's quote-prefix style guards it.
    sheet = load_workbook(path).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    [cells] = [r for r in sheet.iter_rows(min_row=2) if r[0].value == coded["segment_id"]]
    for name in ("text", column):
        cell = cells[header.index(name)]
        assert (cell.value, cell.quotePrefix, cell.data_type) == ("=SUM(A1)", True, "s")


def test_review_is_a_classifying_column_with_the_flag(tmp_path: Path) -> None:
    out = code_review_run(tmp_path)
    (file,) = write_nvivo_dataset(load_run(out), tmp_path / "nvivo.xlsx")
    dataset = file.dataset
    assert dataset.analysis_type("review") == "Classifying"
    assert dataset.columns.index("review") < dataset.columns.index("locus")
    assert {row["segment_id"]: row["review"] for row in dataset.rows} == {
        "a:0-36": "no",
        WEAK_ONLY: "yes",
        TIE: "yes",
        "b:42-68": "no",
    }
    sheet = load_workbook(tmp_path / "nvivo.xlsx").active
    assert sheet is not None
    header, *values = list(sheet.iter_rows(values_only=True))
    column = header.index("review")
    assert [row[column] for row in values] == ["no", "yes", "yes", "no"]
    make_old(out)  # a folder written before the flag: every segment review=no
    assert {row["review"] for row in nvivo_dataset(load_run(out)).rows} == {"no"}


def test_more_codes_than_one_file_takes_are_split_into_numbered_files(
    run: CodeRun, tmp_path: Path
) -> None:
    codes = [CodeLabel("big", f"c{n}", f"Code {n}", "") for n in range(500)]
    big = synthetic(run, codes)
    parts = nvivo_datasets(big)
    # 12 classifying columns, the dimension's, 3 text columns: 240 code columns still fit.
    assert [len(part.code_columns) for part in parts] == [240, 240, 20]
    assert NVIVO_MAX_CODE_COLUMNS == 240
    for part in parts:
        assert len(part.columns) <= NVIVO_MAX_COLUMNS
        assert part.classifying == parts[0].classifying
        assert [row["segment_id"] for row in part.rows] == [r["segment_id"] for r in parts[0].rows]
    keys = [key for part in parts for key in part.code_columns]
    assert keys == [code.key for code in codes]  # every code once, in codebook order

    files = write_nvivo_dataset(big, tmp_path / "nvivo.xlsx")
    assert [file.path.name for file in files] == ["nvivo-1.xlsx", "nvivo-2.xlsx", "nvivo-3.xlsx"]
    assert not (tmp_path / "nvivo.xlsx").exists()
    header, cells = read_cells(tmp_path / "nvivo-3.xlsx")
    assert tuple(header) == files[2].dataset.columns and len(cells) == len(run.segments)

    # Many dimensions leave less room beside their classifying columns.
    wide = synthetic(run, [CodeLabel(f"d{n % 41}", f"c{n}", f"Code {n}", "") for n in range(300)])
    assert [len(p.code_columns) for p in nvivo_datasets(wide)] == [200, 100]


def test_export_says_when_the_dataset_is_split(
    run: CodeRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resdiscourse.export import run_export

    codes = [CodeLabel("big", f"c{n}", f"Code {n}", "") for n in range(300)]
    original = run_export.load_run
    monkeypatch.setattr(run_export, "load_run", lambda folder: synthetic(original(folder), codes))
    summary = run_export.export_run(run.folder, nvivo=tmp_path / "out" / "nvivo.csv")
    paths = [Path(item["path"]).name for item in summary.files]
    assert paths == ["nvivo-1.csv", "nvivo-2.csv"]
    (warning,) = [item for item in summary.problems if item.code == "W450"]
    assert "300 code columns" in warning.message and "nvivo-1.csv, nvivo-2.csv" in warning.message
    assert "(240)" in warning.message


def test_too_many_dimensions_for_any_file_is_e450(run: CodeRun) -> None:
    codes = [CodeLabel(f"d{n}", "c", f"Code {n}", "") for n in range(245)]
    with pytest.raises(UsageError) as caught:
        nvivo_datasets(synthetic(run, codes))
    assert caught.value.problem.code == "E450"
