"""Tables in four formats, all byte-identical on a re-run (DESIGN §4, §7).

CSV is UTF-8 (``excel=True`` adds a byte-order mark so that Excel reads it as UTF-8); CSV and XLSX
cells that a spreadsheet would run as a formula get a leading ``'``; Parquet and JSONL keep the raw
text, so offsets always refer to it. Every cell is text, as in the CSV: a Parquet reader gets the
same strings a CSV reader does.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal

from resdiscourse.ingest.outputs import csv_safe, write_atomic, write_csv

Format = Literal["csv", "xlsx", "parquet", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "parquet", "jsonl")
#: The date every zip entry and the XLSX properties carry, so the bytes never depend on the clock.
FIXED_DATE = datetime(2000, 1, 1)
FIXED_DATE_W3C = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
#: Excel refuses longer cells; a longer text is cut (the full text stays in texts/ and CSV).
XLSX_CELL_LIMIT = 32_767

Rows = Sequence[dict[str, str]]


def write_table(path: Path, columns: Sequence[str], rows: Rows, *, excel: bool = False) -> Path:
    """Write ``rows`` to ``path``; the format is the path's suffix (.csv, .xlsx, .parquet,
    .jsonl). Returns the path."""
    suffix = path.suffix.lstrip(".")
    if suffix == "csv":
        write_csv(path, columns, rows, bom=excel)
    elif suffix == "xlsx":
        write_atomic(path, xlsx_bytes(columns, rows))
    elif suffix == "parquet":
        write_atomic(path, parquet_bytes(columns, rows))
    elif suffix == "jsonl":
        write_atomic(path, jsonl_bytes(columns, rows))
    else:
        raise ValueError(f"unknown table format {suffix!r}")
    return path


def write_table_set(
    folder: Path, name: str, columns: Sequence[str], rows: Rows, *, format: Format, excel: bool
) -> None:
    """``name.csv`` always (with a BOM when ``excel``), and ``name.<format>`` too when that is
    another format; a file of another format left by an earlier run is removed, since it would
    no longer match."""
    write_table(folder / f"{name}.csv", columns, rows, excel=excel)
    for other in FORMATS[1:]:
        path = folder / f"{name}.{other}"
        if other == format:
            write_table(path, columns, rows)
        else:
            path.unlink(missing_ok=True)


def jsonl_bytes(columns: Sequence[str], rows: Rows) -> bytes:
    lines = [json.dumps({c: row.get(c, "") for c in columns}, ensure_ascii=False) for row in rows]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def parquet_bytes(columns: Sequence[str], rows: Rows) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({c: pa.array([row.get(c, "") for row in rows], pa.string()) for c in columns})
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def xlsx_bytes(columns: Sequence[str], rows: Rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(columns))
    for row in rows:
        sheet.append([csv_safe(row.get(c, ""))[:XLSX_CELL_LIMIT] for c in columns])
    book.properties.created = FIXED_DATE
    book.properties.modified = FIXED_DATE
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_dates(buffer.getvalue())


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
