"""The files ``compare`` writes: agreement.csv, confusion.csv, disagreements.csv, compare.json.

disagreements.csv is made for adjudication: one row per stretch of text where the coders differ
on a code (character level: the maximal run of characters with the same values, when at least
``min_chars`` long; segment level: the segment), with each coder's value (1 coded, 0 not, empty:
did not look at it), the text and some context, sorted by document and offset.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resdiscourse.compare.intervals import Pattern, disagreements
from resdiscourse.errors import Location, UsageError
from resdiscourse.export.tables import write_table_set
from resdiscourse.ingest.outputs import write_atomic
from resdiscourse.runfolder import make_output_folder

if TYPE_CHECKING:
    from resdiscourse.compare.results import ComparisonReport, Decisions
    from resdiscourse.compare.units import Reference, SegmentUnit

#: The figures of one pair of coders, in agreement.csv's order.
PAIR_COLUMNS = (
    "units",
    "both",
    "first_only",
    "second_only",
    "neither",
    "percent_agreement",
    "kappa",
    "kappa_degenerate",
    "kappa_low",
    "kappa_high",
    "alpha",
    "alpha_low",
    "alpha_high",
    "alpha_note",
    "precision",
    "recall",
    "f1",
)
AGREEMENT_COLUMNS = ("unit", "scope", "code", "doc_id", "coders", *PAIR_COLUMNS)
CONFUSION_COLUMNS = ("dimension", "first_coder", "second_coder", "first", "second", "segments")
DISAGREEMENT_COLUMNS = (
    "unit",
    "doc_id",
    "code",
    "code_label",
    "start",
    "end",
    "page",
    "page_label",
    "segment_id",
)
CONTEXT = 150


def write_report(
    out: Path, report: ComparisonReport, decisions: Decisions, reference: Reference
) -> None:
    """Write the files into ``out`` (the tables as CSV, and also in ``report.format``); sets the
    report's disagreement counts."""
    try:
        make_output_folder(out)
    except OSError as error:
        raise UsageError.of("E218", Location(file=str(out)), path=out, detail=str(error)) from None
    _write(out, report, "agreement", AGREEMENT_COLUMNS, [_text_row(r) for r in report.rows])
    _write(out, report, "confusion", CONFUSION_COLUMNS, [_text_row(r) for r in report.confusion])
    names = [coder.name for coder in decisions.coders]
    rows = disagreement_rows(decisions, reference)
    long_enough = [r for r in rows if r["unit"] == "segment" or _length(r) >= report.min_chars]
    report.short_disagreements = len(rows) - len(long_enough)
    rows = long_enough
    columns = [
        *DISAGREEMENT_COLUMNS,
        *(f"coder:{name}" for name in names),
        "text",
        "context_before",
        "context_after",
    ]
    _write(out, report, "disagreements", columns, rows)
    report.disagreements = len(rows)
    # The output folder is where the file is: not inside it (no absolute paths in outputs).
    data = {key: value for key, value in report.to_dict().items() if key != "out"}
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(out / "compare.json", text.encode("utf-8"))


def _write(
    out: Path,
    report: ComparisonReport,
    name: str,
    columns: Sequence[str],
    rows: list[dict[str, str]],
) -> None:
    write_table_set(out, name, columns, rows, format=report.format, excel=report.excel)


def _length(row: dict[str, str]) -> int:
    return int(row["end"]) - int(row["start"])


def _text_row(row: dict[str, Any]) -> dict[str, str]:
    return {key: _cell(value) for key, value in row.items()}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def disagreement_rows(decisions: Decisions, reference: Reference) -> list[dict[str, str]]:
    """Every stretch where the coders differ, character level then segment level, sorted."""
    rows = _DisagreementRows(decisions, reference)
    for code, doc_id in sorted(decisions.characters):
        takes = [coder.take(doc_id, code) for coder in decisions.coders]
        for start, end, values in disagreements(len(reference.texts[doc_id]), takes):
            rows.add("character", code, doc_id, (start, end), values)
    for (code, unit), values in decisions.segments.items():
        if len({v for v in values if v is not None}) > 1:
            rows.add("segment", code, unit.doc_id, (unit.start, unit.end), values)
    found = rows.rows
    found.sort(key=lambda r: (r["doc_id"], int(r["start"]), int(r["end"]), r["code"], r["unit"]))
    return found


class _DisagreementRows:
    def __init__(self, decisions: Decisions, reference: Reference) -> None:
        self.names = [coder.name for coder in decisions.coders]
        self.reference = reference
        self.index = _SegmentIndex(reference)
        self.rows: list[dict[str, str]] = []

    def add(
        self, unit: str, code: str, doc_id: str, span: tuple[int, int], values: Pattern
    ) -> None:
        start, end = span
        text = self.reference.texts[doc_id]
        row = {
            "unit": unit,
            "doc_id": doc_id,
            "code": code,
            "code_label": self.reference.codes.labels.get(code, code),
            "start": str(start),
            "end": str(end),
            **_page(self.reference, doc_id, start),
            "segment_id": self.index.at(doc_id, start),
            "text": text[start:end],
            "context_before": text[max(0, start - CONTEXT) : start],
            "context_after": text[end : end + CONTEXT],
        }
        for name, value in zip(self.names, values, strict=True):
            row[f"coder:{name}"] = "" if value is None else str(value)
        self.rows.append(row)


def _page(reference: Reference, doc_id: str, offset: int) -> dict[str, str]:
    if reference.run is None:
        return {"page": "", "page_label": ""}
    page_map = reference.run.page_map(doc_id)
    page = page_map.page_at(offset)
    return {
        "page": "" if page is None else str(page),
        "page_label": page_map.label_at(offset) or "",
    }


class _SegmentIndex:
    """The reference segment that holds an offset (to find the passage in segments.csv)."""

    def __init__(self, reference: Reference) -> None:
        self.by_doc: dict[str, list[SegmentUnit]] = {}
        for unit in sorted(reference.segments, key=lambda u: (u.doc_id, u.start)):
            self.by_doc.setdefault(unit.doc_id, []).append(unit)
        self.starts = {doc: [u.start for u in units] for doc, units in self.by_doc.items()}

    def at(self, doc_id: str, offset: int) -> str:
        units = self.by_doc.get(doc_id, [])
        index = bisect.bisect_right(self.starts.get(doc_id, []), offset) - 1
        if index >= 0 and units[index].start <= offset < units[index].end:
            return units[index].segment_id
        return ""
