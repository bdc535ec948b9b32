"""Summary tables of a ``resdiscourse code`` run, as pandas DataFrames.

Every count is a count of **segments**: a segment counts once per code, however many rules gave
it. Table names and column orders are stable, so that CSVs, charts and the HTML report agree.

Which dimensions the special tables cross (:func:`choose_layout`), for any codebook:

- *framing*: ``locus`` when the codebook has it, else its first exclusive dimension, else its
  first dimension;
- *valence*: ``valence`` when present, else the next exclusive dimension, else the first other
  dimension (none when the codebook has a single dimension);
- *group*: ``migrant_group`` when present, else the first non-exclusive dimension not used above;
- the stressors-versus-remedies table exists only when the codebook has both a ``stressor`` and a
  ``remedy`` dimension (Bhuyan & Leung's absence finding); a structural remedy is any ``remedy``
  code that is not an absence code.

Tables: ``codes_by_document``, ``codes_by_year``, ``codes_by_jurisdiction`` (with the
documents' ``words``), ``rates_by_document``, ``rates_by_year``, ``rates_by_jurisdiction`` (the
same counts per :data:`RATE_WORDS` words), ``<framing>_by_<valence>``, ``<group>_by_<valence>``
and ``stressors_vs_remedies``.

Rates: segments with a code per 10,000 words of the documents counted (documents.csv ``words``:
tokens that are alphabetic or numeric), rounded to two decimals. A long strategy and a two-page
notice weigh by their length, not one each. A rate is empty when a document counted has no
``words`` (a run made before documents.csv had them) or the documents have no words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from resdiscourse.codebook.schema import Codebook
from resdiscourse.rundir import CodeRun

#: The row or column of segments that have no code of a dimension.
NO_CODE = "(no code)"
#: The last row of a crosstab: distinct segments (a non-exclusive row dimension counts a segment
#: in several rows, so the rows need not add up to it).
ALL_SEGMENTS = "(all segments)"
#: What every table, chart and the page show for a missing value (a document without a title,
#: year, jurisdiction or level, say); never an empty cell.
UNKNOWN = "(unknown)"
#: The documents.csv fields the tables show, with :data:`UNKNOWN` when empty.
METADATA = ("title", "year", "jurisdiction", "level")

DOCUMENT_COLUMNS = (
    "doc_id",
    "title",
    "year",
    "jurisdiction",
    "level",
    "status",
    "words",
    "segments",
)
#: The report's rates are per this many words.
RATE_WORDS = 10_000
#: The counts tables and the rates tables made from them, with the columns that lead each row.
RATES = {
    "codes_by_document": ("rates_by_document", DOCUMENT_COLUMNS[:-2]),
    "codes_by_year": ("rates_by_year", ("year", "documents")),
    "codes_by_jurisdiction": ("rates_by_jurisdiction", ("jurisdiction", "level", "documents")),
}
STRESSOR_COLUMNS = (
    "doc_id",
    "title",
    "year",
    "jurisdiction",
    "segments",
    "stressor_named",
    "structural_remedy_named",
    "stressor_without_remedy",
    "remedy_absent",
    "remedy_absent_document",
)
STRESSORS_VS_REMEDIES = "stressors_vs_remedies"


@dataclass(frozen=True)
class Layout:
    """The dimensions the special tables and charts use (see the module's rule)."""

    framing: str
    valence: str | None
    group: str | None
    stressors: bool

    @property
    def framing_table(self) -> str | None:
        return f"{self.framing}_by_{self.valence}" if self.valence else None

    @property
    def group_table(self) -> str | None:
        return f"{self.group}_by_{self.valence}" if self.group and self.valence else None


def choose_layout(codebook: Codebook) -> Layout:
    """The framing, valence and group dimensions of ``codebook`` (module docstring's rule)."""
    dimensions = codebook.dimensions
    names = list(dimensions)
    framing = _pick("locus", names, [n for n in names if dimensions[n].exclusive])
    assert framing is not None  # a codebook has at least one dimension
    others = [n for n in names if n != framing]
    valence = _pick("valence", others, [n for n in others if dimensions[n].exclusive])
    rest = [n for n in others if n != valence]
    group = _pick("migrant_group", rest, [n for n in rest if not dimensions[n].exclusive])
    stressors = "stressor" in dimensions and "remedy" in dimensions
    return Layout(framing, valence, group, stressors)


def _pick(preferred: str, names: list[str], favoured: list[str]) -> str | None:
    """``preferred`` when it is one of ``names``, else the first of ``favoured``, else the
    first of ``names``."""
    if preferred in names:
        return preferred
    return next(iter([*favoured, *names]), None)


@dataclass
class _Counting:
    """The run reduced to what the tables count: each segment's document and codes."""

    run: CodeRun
    keys: list[str]
    segment_doc: dict[str, str]
    segment_keys: dict[str, set[str]]

    @classmethod
    def of(cls, run: CodeRun) -> _Counting:
        codes = run.segment_codes()
        return cls(
            run,
            [code.key for code in run.codes()],
            {row["segment_id"]: row["doc_id"] for row in run.segments},
            {segment_id: set(keys) for segment_id, keys in codes.items()},
        )

    def segments_of(self, doc_ids: set[str]) -> list[str]:
        return [s for s, doc in self.segment_doc.items() if doc in doc_ids]

    def counts(self, segment_ids: Iterable[str]) -> Counter[str]:
        return Counter(key for s in segment_ids for key in self.segment_keys.get(s, ()))

    def codes_of(self, dimension: str) -> list[str]:
        return [key for key in self.keys if key.split(":", 1)[0] == dimension]


def summary_tables(run: CodeRun) -> dict[str, Any]:
    """The report's tables by name (``dict[str, pandas.DataFrame]``), in a stable order."""
    counting = _Counting.of(run)
    layout = choose_layout(run.codebook.codebook)
    tables: dict[str, Any] = {
        "codes_by_document": codes_by_document(counting),
        "codes_by_year": codes_by_group(counting, "year"),
        "codes_by_jurisdiction": codes_by_group(counting, "jurisdiction"),
    }
    for counts, (name, lead) in RATES.items():
        tables[name] = rates(tables[counts], lead, counting.keys)
    if layout.valence and layout.framing_table:
        tables[layout.framing_table] = crosstab(counting, layout.framing, layout.valence)
    if layout.valence and layout.group and layout.group_table:
        tables[layout.group_table] = crosstab(counting, layout.group, layout.valence)
    if layout.stressors:
        tables[STRESSORS_VS_REMEDIES] = stressors_vs_remedies(counting)
    return tables


def codes_by_document(counting: _Counting) -> Any:
    """One row per document of documents.csv (failed ones too, with zero counts)."""
    rows = []
    for document in sorted(counting.run.documents, key=lambda d: d["doc_id"]):
        segments = counting.segments_of({document["doc_id"]})
        row: dict[str, Any] = {c: field_value(document, c) for c in DOCUMENT_COLUMNS}
        row["words"] = words_of([document])
        row["segments"] = len(segments)
        rows.append(_with_counts(row, counting.keys, counting.counts(segments)))
    return _frame(rows, [*DOCUMENT_COLUMNS, *counting.keys])


def codes_by_group(counting: _Counting, field: str) -> Any:
    """One row per value of a document field (year, jurisdiction) over the coded documents:
    how many documents and segments, and segments per code. Unknown values come last."""
    groups: dict[str, list[dict[str, str]]] = {}
    for document in counting.run.coded_documents():
        groups.setdefault(document.get(field, "") or UNKNOWN, []).append(document)
    rows = []
    for value in sorted(groups, key=lambda v: (v == UNKNOWN, v)):
        documents = groups[value]
        segments = counting.segments_of({d["doc_id"] for d in documents})
        row: dict[str, Any] = {field: value}
        if field == "jurisdiction":
            row["level"] = "; ".join(sorted({d.get("level", "") for d in documents} - {""}))
            row["level"] = row["level"] or UNKNOWN
        row.update(documents=len(documents), words=words_of(documents), segments=len(segments))
        rows.append(_with_counts(row, counting.keys, counting.counts(segments)))
    lead = [field, "level"] if field == "jurisdiction" else [field]
    return _frame(rows, [*lead, "documents", "words", "segments", *counting.keys])


def words_of(documents: Iterable[dict[str, str]]) -> int | None:
    """The documents' words together (documents.csv ``words``); ``None`` when one lacks them."""
    total = 0
    for document in documents:
        value = document.get("words", "")
        if not value.isdigit():
            return None
        total += int(value)
    return total


def rates(counts: Any, lead: Sequence[str], keys: Sequence[str]) -> Any:
    """A counts table's ``segments`` and code columns per :data:`RATE_WORDS` words of its row's
    documents (``words``), rounded to two decimals; empty (NaN) without words."""
    rows = []
    for record in counts.to_dict("records"):
        words = record["words"]
        known = words is not None and words == words and int(words) > 0
        row: dict[str, Any] = {name: record[name] for name in lead}
        row["words"] = int(words) if known else None
        for column in ("segments", *keys):
            row[column] = round(RATE_WORDS * int(record[column]) / int(words), 2) if known else None
        rows.append(row)
    frame = _frame(rows, [*lead, "words", "segments", *keys])
    return frame.astype({column: "float64" for column in ("segments", *keys)})


def crosstab(counting: _Counting, rows_dimension: str, columns_dimension: str) -> Any:
    """Segments per (row code, column code), with a no-code row and column and a last row of
    distinct segments. Columns: the row dimension's id, ``label``, ``<dim>:<code>``...,
    ``<dim>:(no code)``, ``segments``."""
    labels = {code.key: code.label for code in counting.run.codes()}
    row_keys = counting.codes_of(rows_dimension)
    column_keys = counting.codes_of(columns_dimension)
    no_column = f"{columns_dimension}:{NO_CODE}"
    all_segments = list(counting.segment_doc)

    def row_of(code: str, label: str, members: list[str]) -> dict[str, Any]:
        counts = counting.counts(members)
        row: dict[str, Any] = {rows_dimension: code, "label": label}
        row.update({key: counts[key] for key in column_keys})
        row[no_column] = sum(1 for s in members if not _has_any(counting, s, column_keys))
        row["segments"] = len(members)
        return row

    rows = [
        row_of(key.split(":", 1)[1], labels[key], _having(counting, all_segments, key))
        for key in row_keys
    ]
    uncoded = [s for s in all_segments if not _has_any(counting, s, row_keys)]
    rows.append(row_of(NO_CODE, "no code of this dimension", uncoded))
    rows.append(row_of(ALL_SEGMENTS, "every segment", all_segments))
    return _frame(rows, [rows_dimension, "label", *column_keys, no_column, "segments"])


def stressors_vs_remedies(counting: _Counting) -> Any:
    """Per coded document: segments naming a stressor, naming a structural remedy, naming a
    stressor without any structural remedy, coded ``remedy_absent``; and documents.csv's
    document-level absence flag: yes when none of the document's segments (passages where
    resilience and immigrants co-occur, read with the remedy dimension's window) names a
    structural remedy, whatever the rest of its text says; :data:`UNKNOWN` without segments."""
    dimension = counting.run.codebook.codebook.dimensions["remedy"]
    absences = [f"remedy:{c}" for c, code in dimension.codes.items() if code.absent is not None]
    remedies = [f"remedy:{c}" for c, code in dimension.codes.items() if code.absent is None]
    stressors = counting.codes_of("stressor")
    rows = []
    for document in sorted(counting.run.coded_documents(), key=lambda d: d["doc_id"]):
        segments = counting.segments_of({document["doc_id"]})
        named = [s for s in segments if _has_any(counting, s, stressors)]
        flag = f"{absences[0]}:document" if absences else ""
        row: dict[str, Any] = {c: field_value(document, c) for c in STRESSOR_COLUMNS[:4]}
        row.update(
            segments=len(segments),
            stressor_named=len(named),
            structural_remedy_named=sum(1 for s in segments if _has_any(counting, s, remedies)),
            stressor_without_remedy=sum(1 for s in named if not _has_any(counting, s, remedies)),
            remedy_absent=sum(1 for s in segments if _has_any(counting, s, absences)),
            remedy_absent_document=(document.get(flag, "") if flag else "") or UNKNOWN,
        )
        rows.append(row)
    return _frame(rows, list(STRESSOR_COLUMNS))


def field_value(document: dict[str, str], name: str) -> str:
    """A documents.csv field as the report shows it: :data:`UNKNOWN` for a missing
    :data:`METADATA` value."""
    value = document.get(name, "")
    return value or UNKNOWN if name in METADATA else value


def uncoded_segments(run: CodeRun, dimension: str, field: str) -> dict[str, int]:
    """Per value of a document field (as in :func:`codes_by_group`): the segments with no code
    of ``dimension``. For a non-exclusive dimension the code columns cannot tell it."""
    counting = _Counting.of(run)
    keys = counting.codes_of(dimension)
    fields = {d["doc_id"]: d.get(field, "") or UNKNOWN for d in run.coded_documents()}
    found: Counter[str] = Counter()
    for segment_id, doc_id in counting.segment_doc.items():
        if doc_id in fields and not _has_any(counting, segment_id, keys):
            found[fields[doc_id]] += 1
    return dict(found)


def _has_any(counting: _Counting, segment_id: str, keys: Sequence[str]) -> bool:
    found = counting.segment_keys.get(segment_id, set())
    return any(key in found for key in keys)


def _having(counting: _Counting, segment_ids: list[str], key: str) -> list[str]:
    return [s for s in segment_ids if key in counting.segment_keys.get(s, set())]


def _with_counts(row: dict[str, Any], keys: list[str], counts: Counter[str]) -> dict[str, Any]:
    row.update({key: counts[key] for key in keys})
    return row


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> Any:
    """A DataFrame with exactly ``columns``, in order (also when there are no rows); ``words``
    is a nullable integer (a run without them has none)."""
    frame = pd.DataFrame(rows, columns=columns)
    if "words" in frame.columns:
        frame["words"] = frame["words"].astype("Int64")
    return frame


def table_rows(frame: Any) -> tuple[list[str], list[dict[str, str]]]:
    """A table as text cells (what the CSV and the HTML show): columns and rows."""
    columns = [str(c) for c in frame.columns]
    rows = [
        {c: _cell(v) for c, v in zip(columns, values, strict=True)}
        for values in frame.itertuples(index=False, name=None)
    ]
    return columns, rows


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return f"{value:.2f}" if isinstance(value, float) else str(value)
