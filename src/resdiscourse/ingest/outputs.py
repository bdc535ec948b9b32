"""Files an ingest writes into the output folder: texts/, pages/ and documents.csv.

Every file is written atomically (a temporary file, then a rename), so an interrupted run never
leaves a half-written text behind, and the bytes depend only on the content (no dates, no paths).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from resdiscourse.models import DOCUMENT_COLUMNS, Block, Document, PageMap
from resdiscourse.runfolder import page_record, record_blocks

# Re-exported: write_atomic lives in runfolder.py, at the bottom of the layers, and the writers of
# every command import it from here.
from resdiscourse.runfolder import write_atomic as write_atomic

TEXTS = "texts"
PAGES = "pages"
DOCUMENTS_CSV = "documents.csv"
#: Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_document_files(out: Path, document: Document) -> None:
    """``texts/<doc_id>.txt`` (exactly the clean text) and ``pages/<doc_id>.json`` (page map,
    layout blocks and, for a bilingual text, the parts in another language than the document's:
    :func:`resdiscourse.runfolder.page_record`)."""
    write_atomic(out / TEXTS / f"{document.doc_id}.txt", document.text.encode("utf-8"))
    record = page_record(
        document.doc_id, document.pages, document.page_map, document.blocks, document.languages
    )
    payload = json.dumps(record, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    write_atomic(out / PAGES / f"{document.doc_id}.json", payload.encode("utf-8"))


def read_document_files(out: Path, doc_id: str) -> tuple[str, PageMap]:
    """The clean text and page map that :func:`write_document_files` wrote."""
    text = (out / TEXTS / f"{doc_id}.txt").read_text(encoding="utf-8")
    pages = json.loads((out / PAGES / f"{doc_id}.json").read_text(encoding="utf-8"))
    return text, PageMap.from_list(pages["page_map"])


def read_document_blocks(out: Path, doc_id: str) -> list[Block] | None:
    """The layout blocks that :func:`write_document_files` wrote (None: the reader saw no layout,
    or the folder is older than blocks)."""
    record = json.loads((out / PAGES / f"{doc_id}.json").read_text(encoding="utf-8"))
    return record_blocks(record)


def write_documents_csv(
    out: Path, rows: Iterable[dict[str, str]], extra_columns: Sequence[str] = ()
) -> None:
    """documents.csv: ``DOCUMENT_COLUMNS`` then ``extra_columns``; rows sorted by doc_id."""
    ordered = sorted(rows, key=lambda r: r["doc_id"])
    write_csv(out / DOCUMENTS_CSV, [*DOCUMENT_COLUMNS, *extra_columns], ordered)


def write_csv(
    path: Path,
    columns: Sequence[str],
    rows: Iterable[dict[str, str]],
    *,
    bom: bool = False,
    numeric: Collection[str] = (),
) -> None:
    """A UTF-8 CSV (``\\n`` line ends) of ``rows`` in the given order, formula-safe:
    the guard applies to text cells, not to the ``numeric`` columns (``-0.25`` is a number);
    ``bom`` starts it with a byte-order mark, which Excel needs to read UTF-8."""
    buffer = io.StringIO(newline="")
    if bom:
        buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    # The csv module quotes a field holding "\n" but not one holding a lone "\r", which readers
    # then take for a line end: such a row is written with every field quoted.
    quoted = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in rows:
        cells = {
            column: row.get(column, "") if column in numeric else csv_safe(row.get(column, ""))
            for column in columns
        }
        lone_cr = any(isinstance(cell, str) and "\r" in cell for cell in cells.values())
        (quoted if lone_cr else writer).writerow(cells)
    write_atomic(path, buffer.getvalue().encode("utf-8"))


def csv_safe(value: str) -> str:
    """A cell value a spreadsheet will not run as a formula (a leading ``'``). A value that
    already starts with quotes before a formula character gets one more, so that
    :func:`csv_unsafe` gives every value back as it was."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def csv_unsafe(value: str) -> str:
    """The value :func:`csv_safe` escaped, as it was (reading our own CSVs back)."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def remove_stale(out: Path, doc_ids: Iterable[str]) -> list[str]:
    """Delete texts/pages files of documents no longer in the corpus; returns what was removed."""
    keep = set(doc_ids)
    removed: list[str] = []
    for folder, suffix in ((TEXTS, ".txt"), (PAGES, ".json")):
        directory = out / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob(f"*{suffix}")):
            if path.stem not in keep:
                path.unlink()
                removed.append(f"{folder}/{path.name}")
    return removed
