"""Tables in four formats, all byte-identical on a re-run.

Rows come in as text cells, as in the CSV. Each column has a type (:func:`column_types`): whole
numbers (year, page, start, end, counts, words) are nullable ``Int64``, 0/1 code columns
``int8``, agreement figures ``float64``, everything else text. XLSX, Parquet and JSONL keep
those types (an empty number cell is an empty cell, a null); CSV stays text, and
:func:`read_table` reads any of the four back with the types. A column whose cells do not all
parse as its type is written as text, so that nothing is lost.

The formula guard applies to text cells only: in CSV a leading ``'``, in XLSX the cell's
quote-prefix style (the text itself stays as it is). Parquet and JSONL keep the raw text, so
offsets always refer to it. XLSX sheets are named after the file, with a frozen header row and
an autofilter.
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from resdiscourse.ingest.outputs import FORMULA_STARTS, write_atomic, write_csv

Format = Literal["csv", "xlsx", "parquet", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "parquet", "jsonl")
#: The date every zip entry and the XLSX properties carry, so the bytes never depend on the clock.
FIXED_DATE = datetime(2000, 1, 1)
FIXED_DATE_W3C = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
#: Excel refuses longer cells; a longer text is cut (the full text stays in texts/ and CSV).
XLSX_CELL_LIMIT = 32_767
#: Excel's limit on a sheet name, and the characters it refuses there.
_SHEET_NAME_LIMIT = 31
_SHEET_NAME_BAD = re.compile(r"[\\/?*\[\]:]")
#: Control characters XLSX cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): written as U+FFFD.
XLSX_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")

Rows = Sequence[dict[str, str]]
ColumnType = Literal["string", "Int64", "int8", "float64"]
#: Columns of whole numbers, wherever they appear (our tables and the exports).
INTEGER_COLUMNS = frozenset(
    {
        "year",
        "page",
        "page_end",
        "start",
        "end",
        "segment_start",
        "segment_end",
        "pages",
        "chars",
        "words",
        "segments",
        "codings",
        "units",
        "both",
        "first_only",
        "second_only",
        "neither",
    }
)
#: Agreement and retrieval figures (compare's agreement table, the sample's weights).
FLOAT_COLUMNS = frozenset(
    {
        "percent_agreement",
        "kappa",
        "kappa_low",
        "kappa_high",
        "alpha",
        "alpha_low",
        "alpha_high",
        "precision",
        "recall",
        "f1",
        "weight",
        "language_confidence",
    }
)
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_INT8 = range(-128, 128)
#: Whole numbers a spreadsheet keeps exactly (Excel holds numbers as doubles).
_EXACT = range(-(2**53), 2**53 + 1)


def column_types(
    columns: Sequence[str], types: Mapping[str, ColumnType] | None = None
) -> dict[str, ColumnType]:
    """Each column's type: ``types`` where it names the column, else by the column's name
    (:data:`INTEGER_COLUMNS`, :data:`FLOAT_COLUMNS`), else text."""
    given = types or {}

    def of(column: str) -> ColumnType:
        if column in given:
            return given[column]
        if column in INTEGER_COLUMNS:
            return "Int64"
        return "float64" if column in FLOAT_COLUMNS else "string"

    return {column: of(column) for column in columns}


Cell = str | int | float | None


def typed_columns(
    columns: Sequence[str], rows: Rows, types: Mapping[str, ColumnType] | None = None
) -> tuple[dict[str, ColumnType], dict[str, list[Cell]]]:
    """The types the columns are written with and their cells as values: an empty cell of a
    number column is None; a number column with a cell that is not a number is text."""
    wanted = column_types(columns, types)
    written: dict[str, ColumnType] = {}
    values: dict[str, list[Cell]] = {}
    for column in columns:
        cells = [row.get(column, "") or "" for row in rows]
        kind = wanted[column]
        parsed = _parsed(cells, kind) if kind != "string" else None
        if parsed is None:
            written[column], values[column] = "string", list(cells)
        else:
            written[column], values[column] = kind, parsed
    return written, values


def _parsed(cells: list[str], kind: ColumnType) -> list[Cell] | None:
    pattern = _FLOAT if kind == "float64" else _INTEGER
    found: list[Cell] = []
    for cell in cells:
        text = cell.strip()
        if not text:
            found.append(None)
        elif not pattern.fullmatch(text):
            return None
        elif kind == "float64":
            number = float(text)
            if not math.isfinite(number):
                return None
            found.append(number)
        else:
            whole = int(text)
            if whole not in (_INT8 if kind == "int8" else _EXACT):
                return None
            found.append(whole)
    return found


def write_table(
    path: Path,
    columns: Sequence[str],
    rows: Rows,
    *,
    excel: bool = False,
    types: Mapping[str, ColumnType] | None = None,
) -> Path:
    """Write ``rows`` to ``path``; the format is the path's suffix (.csv, .xlsx, .parquet,
    .jsonl); ``types`` overrides the type of columns :func:`column_types` would guess. Returns
    the path."""
    suffix = path.suffix.lstrip(".")
    if suffix == "csv":
        written, _ = typed_columns(columns, rows, types)
        numeric = {column for column, kind in written.items() if kind != "string"}
        write_csv(path, columns, rows, bom=excel, numeric=numeric)
    elif suffix == "xlsx":
        write_atomic(path, xlsx_bytes(columns, rows, types, sheet=path.stem))
    elif suffix == "parquet":
        write_atomic(path, parquet_bytes(columns, rows, types))
    elif suffix == "jsonl":
        write_atomic(path, jsonl_bytes(columns, rows, types))
    else:
        raise ValueError(f"unknown table format {suffix!r}")
    return path


def write_table_set(
    folder: Path,
    name: str,
    columns: Sequence[str],
    rows: Rows,
    *,
    format: Format,
    excel: bool,
    types: Mapping[str, ColumnType] | None = None,
) -> None:
    """``name.csv`` always (with a BOM when ``excel``), and ``name.<format>`` too when that is
    another format; a file of another format left by an earlier run is removed, since it would
    no longer match."""
    write_table(folder / f"{name}.csv", columns, rows, excel=excel, types=types)
    for other in FORMATS[1:]:
        path = folder / f"{name}.{other}"
        if other == format:
            write_table(path, columns, rows, types=types)
        else:
            path.unlink(missing_ok=True)


def jsonl_bytes(
    columns: Sequence[str], rows: Rows, types: Mapping[str, ColumnType] | None = None
) -> bytes:
    _, values = typed_columns(columns, rows, types)
    lines = [
        json.dumps({c: values[c][index] for c in columns}, ensure_ascii=False)
        for index in range(len(rows))
    ]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def parquet_bytes(
    columns: Sequence[str], rows: Rows, types: Mapping[str, ColumnType] | None = None
) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_types = {"string": pa.string(), "Int64": pa.int64(), "int8": pa.int8()}
    arrow_types["float64"] = pa.float64()
    written, values = typed_columns(columns, rows, types)
    table = pa.table({c: pa.array(values[c], arrow_types[written[c]]) for c in columns})
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def xlsx_bytes(
    columns: Sequence[str],
    rows: Rows,
    types: Mapping[str, ColumnType] | None = None,
    *,
    sheet: str = "table",
) -> bytes:
    """One sheet named ``sheet`` (made a valid sheet name): a frozen header row, an autofilter,
    numbers as numbers, text cells guarded by the quote-prefix style."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    target = book.active
    assert target is not None
    target.title = sheet_name(sheet)
    written, values = typed_columns(columns, rows, types)
    _xlsx_row(target, 1, list(columns), [True] * len(columns))
    text = [written[column] == "string" for column in columns]
    for index in range(len(rows)):
        _xlsx_row(target, index + 2, [values[c][index] for c in columns], text)
    target.freeze_panes = "A2"
    if columns:
        last = f"{get_column_letter(len(columns))}{len(rows) + 1}"
        target.auto_filter.ref = f"A1:{last}"
    book.properties.created = FIXED_DATE
    book.properties.modified = FIXED_DATE
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_dates(buffer.getvalue())


def _xlsx_row(target: Any, number: int, cells: list[Cell], text: list[bool]) -> None:
    for column, (value, is_text) in enumerate(zip(cells, text, strict=True), start=1):
        if value is None or value == "":
            continue  # an empty cell (a null number, or empty text)
        if isinstance(value, float):
            _xlsx_float(target.cell(row=number, column=column), value)
            continue
        if not is_text:
            target.cell(row=number, column=column, value=value)
            continue
        clean = XLSX_ILLEGAL.sub("\ufffd", str(value))[:XLSX_CELL_LIMIT]
        cell = target.cell(row=number, column=column, value=clean)
        cell.data_type = "s"  # never a formula, whatever it starts with
        if clean.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def _xlsx_float(cell: Any, value: float) -> None:
    """A number cell holding ``repr(value)``, the shortest text that reads back as the same
    double: openpyxl writes 16 significant digits, which changes some values and turns the
    largest ones into infinity."""
    cell._value = repr(value)
    cell.data_type = "n"


def sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: without ``\\ / ? * [ ] :``, at most 31 characters."""
    cleaned = _SHEET_NAME_BAD.sub("-", name).strip("'") or "table"
    return cleaned[:_SHEET_NAME_LIMIT]


def read_table(path: str | Path, types: Mapping[str, ColumnType] | None = None) -> Any:
    """A table this module wrote, as a pandas DataFrame with the column types (``types`` as
    given to :func:`write_table`) as pandas' nullable dtypes (``string``, ``Int64``, ``Int8``,
    ``Float64``): CSV cells are text, given their types here, with the formula guard taken off;
    an empty cell of a number column is ``<NA>``."""
    import pandas as pd

    columns, rows = read_cells(Path(path))
    frame = pd.DataFrame(
        {column: [row[index] for row in rows] for index, column in enumerate(columns)}
    )
    wanted = column_types(columns, types)
    for index, column in enumerate(columns):
        cells = [row[index] for row in rows]
        kind = wanted[column]
        parsed = _parsed(cells, kind) if kind != "string" else None
        if parsed is None:
            frame[column] = pd.array(cells, dtype="string")
        else:
            frame[column] = pd.array(parsed, dtype=_PANDAS_TYPES[kind])
    return frame


#: The pandas dtypes of the column types: nullable, so an empty cell is <NA>.
_PANDAS_TYPES = {"Int64": "Int64", "int8": "Int8", "float64": "Float64"}


def read_cells(path: Path) -> tuple[list[str], list[list[str]]]:
    """A table's header and its cells as text ("" for an empty cell, numbers as Python prints
    them), whatever the format."""
    suffix = path.suffix.lstrip(".")
    if suffix == "csv":
        import csv

        from resdiscourse.ingest.outputs import csv_unsafe

        with path.open(encoding="utf-8-sig", newline="") as handle:
            header, *body = list(csv.reader(handle))
        return header, [[csv_unsafe(cell) for cell in row] for row in body]
    if suffix == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path).worksheets[0]
        header, *body = [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        # Rows with only empty cells are not stored: the autofilter says how many rows there are.
        last = _autofilter_rows(sheet.auto_filter.ref)
        body += [[""] * len(header) for _ in range(last - 1 - len(body))]
        return header, [row + [""] * (len(header) - len(row)) for row in body]
    if suffix == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        data = table.to_pydict()
        header = list(table.column_names)
        return header, [[_text(data[c][i]) for c in header] for i in range(table.num_rows)]
    if suffix == "jsonl":
        # Records end at "\n" only: str.splitlines() would also cut at U+0085 or U+2028 in a text.
        lines = path.read_text(encoding="utf-8").split("\n")
        records = [json.loads(line) for line in lines if line]
        header = list(records[0]) if records else []
        return header, [[_text(record.get(c)) for c in header] for record in records]
    raise ValueError(f"unknown table format {suffix!r}")


def _autofilter_rows(ref: str | None) -> int:
    """The last row of an autofilter range like ``A1:F3`` (0 without one)."""
    found = re.search(r"([0-9]+)$", ref or "")
    return int(found.group(1)) if found else 0


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _fixed_dates(data: bytes) -> bytes:
    """The same zip with every entry dated FIXED_DATE, and the workbook's modified date too
    (openpyxl stamps the current time on both when it saves)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + FIXED_DATE_W3C + rb"\g<2>", content)
            target.writestr(fixed, content)
    return buffer.getvalue()
