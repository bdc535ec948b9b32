"""The files ``compare`` writes: agreement.csv, confusion.csv, disagreements.csv, compare.json.

disagreements.csv is made for adjudication: one row per stretch of text where the coders differ
on a code (character level: the maximal run of characters with the same values; segment level:
the segment), with each coder's value (1 coded, 0 not, empty: did not code the document), the
text and some context, sorted by document and offset.
"""

from __future__ import annotations

import bisect
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resdiscourse.compare.intervals import disagreements
from resdiscourse.errors import Location, UsageError
from resdiscourse.export.tables import write_table
from resdiscourse.ingest.outputs import write_atomic

if TYPE_CHECKING:
    from resdiscourse.compare.core import ComparisonReport, Decisions
    from resdiscourse.compare.sides import Reference

AGREEMENT_COLUMNS = (
    "unit",
    "scope",
    "code",
    "doc_id",
    "coders",
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
) -> int:
    """Write the four files into ``out``; returns the number of disagreement rows."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError.of("E218", Location(file=str(out)), path=out, detail=str(error)) from None
    write_table(out / "agreement.csv", AGREEMENT_COLUMNS, [_text_row(r) for r in report.rows])
    write_table(out / "confusion.csv", CONFUSION_COLUMNS, [_text_row(r) for r in report.confusion])
    names = [coder.name for coder in decisions.coders]
    rows = disagreement_rows(decisions, reference)
    columns = [
        *DISAGREEMENT_COLUMNS,
        *(f"coder:{name}" for name in names),
        "text",
        "context_before",
        "context_after",
    ]
    write_table(out / "disagreements.csv", columns, rows)
    report.disagreements = len(rows)
    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    write_atomic(out / "compare.json", text.encode("utf-8"))
    return len(rows)


def _text_row(row: dict[str, Any]) -> dict[str, str]:
    return {key: _cell(value) for key, value in row.items()}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def disagreement_rows(decisions: Decisions, reference: Reference) -> list[dict[str, str]]:
    names = [coder.name for coder in decisions.coders]
    rows: list[dict[str, str]] = []
    for code, doc_id in sorted(decisions.characters):
        takes = [coder.take(doc_id, code) for coder in decisions.coders]
        text = reference.texts[doc_id]
        for start, end, values in disagreements(len(text), takes):
            by_coder = dict(enumerate(values))
            rows.append(_row("character", code, doc_id, start, end, by_coder, names, reference))
    for (code, unit), values in sorted(
        decisions.segments.items(),
        key=lambda item: (item[0][1].doc_id, item[0][1].start, item[0][0]),
    ):
        given = {v for v in values if v is not None}
        if len(given) > 1:
            by_coder = {i: v for i, v in enumerate(values) if v is not None}
            rows.append(
                _row("segment", code, unit.doc_id, unit.start, unit.end, by_coder, names, reference)
            )
    rows.sort(key=lambda r: (r["doc_id"], int(r["start"]), int(r["end"]), r["code"], r["unit"]))
    return rows


def _row(
    unit: str,
    code: str,
    doc_id: str,
    start: int,
    end: int,
    by_coder: dict[int, int | None],
    names: list[str],
    reference: Reference,
) -> dict[str, str]:
    text = reference.texts[doc_id]
    row = {
        "unit": unit,
        "doc_id": doc_id,
        "code": code,
        "code_label": reference.codes.labels.get(code, code),
        "start": str(start),
        "end": str(end),
        **_page(reference, doc_id, start),
        "segment_id": _segment_at(reference, doc_id, start),
        "text": text[start:end],
        "context_before": text[max(0, start - CONTEXT) : start],
        "context_after": text[end : end + CONTEXT],
    }
    for index, name in enumerate(names):
        value = by_coder.get(index)
        row[f"coder:{name}"] = "" if value is None else str(value)
    return row


def _page(reference: Reference, doc_id: str, offset: int) -> dict[str, str]:
    if reference.run is None:
        return {"page": "", "page_label": ""}
    page_map = reference.run.page_map(doc_id)
    page = page_map.page_at(offset)
    return {
        "page": "" if page is None else str(page),
        "page_label": page_map.label_at(offset) or "",
    }


def _segment_at(reference: Reference, doc_id: str, offset: int) -> str:
    """The reference segment that holds ``offset``, if any (to find the passage in segments.csv)."""
    units = sorted((u for u in reference.segments if u.doc_id == doc_id), key=lambda u: u.start)
    starts = [u.start for u in units]
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and units[index].start <= offset < units[index].end:
        return units[index].segment_id
    return ""
