"""CSV codings as coders: ``doc,start,end,code`` rows (character offsets into our clean text),
``segment_id,code`` rows, or a filled-in coding sheet of `resdiscourse sample` (``unit_id`` and
one column per dimension holding code ids). A ``coder`` column holds several coders; without it
the file's name is the coder's. A row with an empty code says the coder looked at that document
(or segment) and coded nothing there."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from resdiscourse.compare.intervals import Interval, merge
from resdiscourse.compare.matching import SideContext
from resdiscourse.compare.units import Coder, SegmentUnit, side_label
from resdiscourse.errors import Location, UsageError

Row = dict[str, str]


def unreadable(path: Path, detail: str) -> UsageError:
    return UsageError.of("E431", Location(file=str(path)), path=path, detail=detail)


def csv_coders(context: SideContext, path: Path) -> list[Coder]:
    rows = _csv_rows(path)
    columns = set(rows[0])
    dimensions = sorted(columns & set(context.reference.codes.dimension_ids()))
    if "unit_id" in columns and dimensions:
        # A filled-in coding sheet: its units may be excerpts (candidate sentences).
        return _segment_coders(context, path, rows, "unit_id", _sheet_codes(dimensions))
    if "segment_id" in columns and "code" in columns:
        return _segment_coders(context, path, rows, "segment_id", lambda row: [row["code"]])
    if {"start", "end", "code"} <= columns and columns & {"doc", "doc_id"}:
        return _offset_coders(context, path, rows)
    raise unreadable(
        path,
        f"columns {sorted(columns)} are none of doc,start,end,code; segment_id,code; "
        "unit_id with dimension columns",
    )


def _csv_rows(path: Path) -> list[Row]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = [
                {(k or "").strip().lower(): (v or "") for k, v in row.items()}
                for row in csv.DictReader(handle)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise unreadable(path, str(error)) from None
    if not rows:
        raise unreadable(path, "no rows")
    return rows


def _coder_of(row: Row, path: Path) -> str:
    return row.get("coder") or path.stem


def _coders(
    context: SideContext, path: Path, rows: list[Row], *, by_segment: bool = False
) -> dict[str, Coder]:
    names = context.pick_coders(sorted({_coder_of(row, path) for row in rows}))
    return {
        name: Coder(
            name,
            side_label(path),
            segment_codes={} if by_segment else None,
            offset_based=not by_segment,
        )
        for name in names
    }


def _offset_coders(context: SideContext, path: Path, rows: list[Row]) -> list[Coder]:
    label = side_label(path)
    coders = _coders(context, path, rows)
    spans: defaultdict[tuple[str, tuple[str, str]], list[Interval]] = defaultdict(list)
    unmatched: set[str] = set()
    bad = 0
    for row in rows:
        coder = coders.get(_coder_of(row, path))
        raw = row.get("doc_id") or row.get("doc") or ""
        doc_id = context.match(label, raw, Path(raw).stem, None) if coder else None
        if coder is None or doc_id is None:
            continue
        coder.documents.add(doc_id)
        if not row["code"].strip():
            continue  # the coder read the document and coded nothing there
        code = context.reference.codes.match(row["code"])
        span = _offsets(row, len(context.reference.texts[doc_id]))
        if code is None:
            unmatched.add(row["code"])
        elif span is None:
            bad += 1
        else:
            spans[(coder.name, (doc_id, code))].append(span)
    for (name, key), intervals in spans.items():
        coders[name].spans[key] = merge(intervals)
    context.report_codes(label, unmatched)
    context.report_left_out(label, bad, "start/end are not offsets within the document's text")
    _report_unread(context, label, coders.values())
    return list(coders.values())


def _report_unread(context: SideContext, label: str, coders: Iterable[Coder]) -> None:
    """A document of the reference with no row of a coder is left out for that coder: say so,
    since a coder who found nothing there may simply have written no row."""
    for coder in coders:
        unread = sorted(set(context.reference.texts) - coder.documents)
        if unread and coder.documents:
            context.warn(
                "W436", label, coder=coder.name, count=len(unread), names=", ".join(unread[:10])
            )


def _segment_coders(
    context: SideContext,
    path: Path,
    rows: list[Row],
    unit_column: str,
    codes_of: Callable[[Row], list[str]],
) -> list[Coder]:
    label = side_label(path)
    coders = _coders(context, path, rows, by_segment=True)
    unmatched: set[str] = set()
    unknown = 0
    for row in rows:
        coder = coders.get(_coder_of(row, path))
        unit = _unit(context, row[unit_column].strip(), unit_column) if coder else None
        if coder is None or coder.segment_codes is None:
            continue
        if unit is None:
            unknown += 1
            continue
        coder.documents.add(unit.doc_id)
        judged = coder.segment_codes.setdefault(unit.segment_id, set())
        for name in (name for name in codes_of(row) if name.strip()):
            code = context.reference.codes.match(name)
            if code is None:
                unmatched.add(name)
            else:
                judged.add(code)
    context.report_codes(label, unmatched)
    detail = f"their {unit_column} is no unit (doc_id:start-end) of the reference"
    context.report_left_out(label, unknown, detail)
    return list(coders.values())


def _unit(context: SideContext, unit_id: str, column: str) -> SegmentUnit | None:
    """A segment_id must be a segment of the reference; a sheet's unit_id may be an excerpt."""
    if column == "unit_id":
        return context.reference.excerpt(unit_id)
    return context.reference.unit(unit_id)


def _sheet_codes(dimensions: list[str]) -> Callable[[Row], list[str]]:
    """The codes of a coding-sheet row: ``dimension:code`` for each id written in a dimension
    column (several separated by ``;``)."""

    def codes(row: Row) -> list[str]:
        return [
            f"{dimension}:{code.strip()}"
            for dimension in dimensions
            for code in row.get(dimension, "").split(";")
            if code.strip()
        ]

    return codes


def _offsets(row: Row, length: int) -> Interval | None:
    try:
        start, end = int(row["start"]), int(row["end"])
    except ValueError:
        return None
    return (start, end) if 0 <= start < end <= length else None
