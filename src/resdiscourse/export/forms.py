"""The codings of a run in two analysis shapes: tidy (one row per segment and code) and wide (one
row per segment, a 0/1 column per code). Both read a :class:`~resdiscourse.rundir.CodeRun`, so
they need nothing but the output folder; write them with
:func:`resdiscourse.export.tables.write_table`.

Every cell is a string, as in the CSV; the writer gives columns their types
(:func:`wide_types` for the 0/1 columns). Rows are sorted by doc_id, then start and end offsets;
codes follow the codebook's order.
"""

from __future__ import annotations

from collections.abc import Iterable

from resdiscourse.export.tables import ColumnType
from resdiscourse.rundir import CodeLabel, CodeRun

Table = tuple[list[str], list[dict[str, str]]]

#: Columns of :func:`tidy_table`, in order.
TIDY_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "doc_id",
    "start",
    "end",
    "page",
    "page_label",
    "dimension",
    "code",
    "code_label",
    "rules",
    "evidence",
    "text",
)
#: Columns of :func:`wide_table` before its dimension and code columns.
WIDE_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "doc_id",
    "title",
    "year",
    "jurisdiction",
    "level",
    "start",
    "end",
    "page",
    "page_label",
    "text",
)
#: How the rule ids of a tidy row are joined.
RULE_SEPARATOR = "; "
#: How the evidence lists of a tidy row are joined: the n-th list is the n-th rule's (a list is
#: itself ``start-end`` spans joined by ``;``, as in codings.csv).
EVIDENCE_SEPARATOR = " | "
#: How the code ids of a dimension cell of the wide table are joined.
CODE_SEPARATOR = "; "


def tidy_table(run: CodeRun) -> Table:
    """One row per segment and code: the columns of :data:`TIDY_COLUMNS`.

    A code given by several rules is one row: ``rules`` joins their ids with ``"; "`` and
    ``evidence`` their evidence offset lists with ``" | "``, both in codings.csv order. Rows are
    sorted by doc_id, start, end, then the codebook order of the code.
    """
    segments = {row["segment_id"]: row for row in run.segments}
    order = code_order(run.codes())
    grouped: dict[tuple[str, str], list[dict[str, str]]] = {}
    for coding in run.codings:
        key = f"{coding['dimension']}:{coding['code']}"
        grouped.setdefault((coding["segment_id"], key), []).append(coding)
    labels = {code.key: code.label for code in run.codes()}
    rows = [
        _tidy_row(segments[segment_id], codings, labels.get(key, codings[0]["code"]))
        for (segment_id, key), codings in grouped.items()
    ]
    rows.sort(key=lambda row: (*segment_sort_key(row), order.get(_key(row), len(order))))
    return list(TIDY_COLUMNS), rows


def wide_table(run: CodeRun) -> Table:
    """One row per retrieved segment, coded or not: the columns of :data:`WIDE_COLUMNS`, then one
    column per dimension (the segment's code ids there, joined ``"; "`` in codebook order), then
    one 0/1 column per code named ``dimension:code``, in codebook order."""
    codes = run.codes()
    dimensions = list(dict.fromkeys(code.dimension for code in codes))
    columns = [*WIDE_COLUMNS, *dimensions, *(code.key for code in codes)]
    segment_codes = run.segment_codes()
    rows = []
    for segment in sorted(run.segments, key=segment_sort_key):
        keys = set(segment_codes.get(segment["segment_id"], []))
        row = {column: segment.get(column, "") for column in WIDE_COLUMNS}
        for dimension in dimensions:
            row[dimension] = CODE_SEPARATOR.join(
                code.code for code in codes if code.dimension == dimension and code.key in keys
            )
        row.update({code.key: "1" if code.key in keys else "0" for code in codes})
        rows.append(row)
    return columns, rows


def wide_types(run: CodeRun) -> dict[str, ColumnType]:
    """The wide table's 0/1 code columns are ``int8`` (the other columns' types follow from
    their names: :func:`~resdiscourse.export.tables.column_types`)."""
    return {code.key: "int8" for code in run.codes()}


def segment_sort_key(row: dict[str, str]) -> tuple[str, int, int]:
    """doc_id, then offsets as numbers ("99" before "100")."""
    return row["doc_id"], int(row["start"]), int(row["end"])


def code_order(codes: Iterable[CodeLabel]) -> dict[str, int]:
    """``dimension:code`` -> its position in the codebook."""
    return {code.key: index for index, code in enumerate(codes)}


def _key(row: dict[str, str]) -> str:
    return f"{row['dimension']}:{row['code']}"


def _tidy_row(segment: dict[str, str], codings: list[dict[str, str]], label: str) -> dict[str, str]:
    first = codings[0]
    return {
        "segment_id": segment["segment_id"],
        "doc_id": segment["doc_id"],
        "start": segment["start"],
        "end": segment["end"],
        "page": segment.get("page", ""),
        "page_label": segment.get("page_label", ""),
        "dimension": first["dimension"],
        "code": first["code"],
        "code_label": label,
        "rules": RULE_SEPARATOR.join(coding["rule"] for coding in codings),
        "evidence": EVIDENCE_SEPARATOR.join(coding["evidence"] for coding in codings),
        "text": segment["text"],
    }
