"""Agreement between coders, per code, per document and overall, at two units.

- *character*: every character of every document that two or more offset-based coders coded
  (our output folders, REFI selections, ``doc,start,end,code`` rows) is one unit per code: coded
  or not. Kappa per code and source is NVivo's coding comparison; pooled figures add the
  (code, source, character) decisions together.
- *segment*: every segment of the reference run is one unit per code. A coder who coded spans
  codes a segment when their spans of that code cover at least ``segment_overlap`` of it.

Kappa and percent agreement are given for each pair of coders, precision/recall/F1 of the first
coder (the automatic side) against each other one, Krippendorff's alpha for the pair and, with
three or more coders, for all of them. Bootstrap intervals resample documents (character level)
or segments (segment level), since characters of one document are not independent draws.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from resdiscourse.agreement import (
    bootstrap_alpha,
    bootstrap_kappa,
    cohen_kappa_counts,
    krippendorff_alpha_counts,
    percent_agreement_counts,
)
from resdiscourse.compare.codes import read_mapping
from resdiscourse.compare.intervals import overlap_length, patterns
from resdiscourse.compare.outputs import PAIR_COLUMNS, write_report
from resdiscourse.compare.results import ComparisonReport, Decisions, Patterns
from resdiscourse.compare.sides import Sides, read_sides
from resdiscourse.compare.units import Coder, Reference, SegmentUnit, side_label
from resdiscourse.errors import Problem, UsageError
from resdiscourse.export.tables import FORMATS, Format
from resdiscourse.rundir import CodeRun
from resdiscourse.runfolder import RUN_JSON, file_sha256, out_folder

Bootstrap = Callable[..., tuple[float, float] | None]
UNITS = ("character", "segment")


def compare(
    auto: str | Path,
    humans: Sequence[str | Path],
    *,
    out: str | Path | None = None,
    mapping: str | Path | None = None,
    coders: Sequence[str] = (),
    exclude_coders: Sequence[str] = (),
    segment_overlap: float = 0.5,
    seed: int = 0,
    resamples: int = 1000,
    min_chars: int = 20,
    format: Format = "csv",
    excel: bool = False,
) -> ComparisonReport:
    """Compare the coding in ``auto`` with the coders of ``humans``; writes agreement.csv,
    confusion.csv, disagreements.csv and compare.json into ``out`` (default: ``compare/`` in
    ``auto`` when that is an output folder). Character-level disagreements shorter than
    ``min_chars`` are counted but not listed for adjudication. The tables are CSV (``excel``:
    with a byte-order mark) and also ``format`` (xlsx, parquet or jsonl) when asked.

    ``coders`` picks coders by name; ``exclude_coders`` (``SIDE=NAME``, SIDE the side's file or
    folder name) leaves out a coder of one side, whichever side it is."""
    if format not in FORMATS:
        raise UsageError.of("E216", format=format, choices=", ".join(FORMATS))
    if not humans:
        raise _cannot(
            "give at least one human side", "resdiscourse compare AUTO HUMAN [HUMAN2 ...]"
        )
    if not 0.0 < segment_overlap <= 1.0:
        raise _cannot("--segment-overlap must be in (0, 1]", "for example 0.5: half the segment")
    paths = [Path(auto), *(Path(h) for h in humans)]
    sides = read_sides(
        paths,
        mapping=read_mapping(mapping) if mapping else None,
        coders=list(coders),
        exclude=[_excluded(item, paths) for item in exclude_coders],
    )
    if len(sides.coders) < 2:
        raise _explained(
            _cannot("fewer than two coders to compare", "check --coder and the files given"),
            sides.problems,
        )
    _check_kept_codings(sides)
    decisions = decide(sides, segment_overlap)
    if not decisions.characters and not decisions.segments:
        raise _explained(
            _cannot(
                "no document was coded by two coders",
                "the sides must code the same documents (matched by doc_id, file name or text)",
            ),
            sides.problems,
        )
    statistics = Statistics(decisions, seed, resamples)
    rows = statistics.rows()
    out_dir = out_folder(out, _default_out(paths[0]))
    report = ComparisonReport(
        out=str(out_dir),
        sides=[side_label(path) for path in paths],
        coders=[_coder_entry(coder) for coder in sides.coders],
        documents=_document_entries(sides, decisions),
        codes=decisions.codes,
        rows=rows,
        confusion=confusion(decisions, sides.reference),
        disagreements=0,
        problems=sides.problems,
        min_chars=max(1, min_chars),
        format=format,
        excel=excel,
        run_sha256=_run_sha256(sides.reference.run),
    )
    write_report(out_dir, report, decisions, sides.reference)
    return report


#: Warnings of the readers that say why codings or documents were left out.
_LEFT_OUT = ("W430", "W431", "W433", "W437")


def _explained(error: UsageError, problems: list[Problem]) -> UsageError:
    """``error`` with the readers' warnings that explain it, printed after it (``problems``)."""
    reasons = [item for item in problems if item.code in _LEFT_OUT]
    error.problems = [error.problem, *reasons]  # type: ignore[attr-defined]
    return error


def _check_kept_codings(sides: Sides) -> None:
    """E434 for a human side whose codings were all left out (unknown codes, documents or
    offsets): comparing it would report the agreement of an empty coding."""
    for coder in sides.coders[1:]:
        kept = any(coder.spans.values()) or any((coder.segment_codes or {}).values())
        reasons = [
            p for p in sides.problems if p.code in _LEFT_OUT and p.location.file == coder.side
        ]
        if not kept and reasons:
            error = UsageError.of("E434", side=coder.side, coder=coder.name, count=len(reasons))
            raise _explained(error, reasons)


def _excluded(item: str, paths: list[Path]) -> tuple[str, str]:
    """``SIDE=NAME`` as (side label, coder name); SIDE may be the path as given."""
    side, equals, name = item.rpartition("=")
    labels = [side_label(path) for path in paths]
    if not equals or not side or not name:
        raise _cannot(
            f"--exclude-coder {item!r} is not SIDE=NAME",
            f"for example --exclude-coder {labels[-1]}=NAME (a side's file or folder name)",
        )
    label = side_label(Path(side))
    if label not in labels:
        raise _cannot(
            f"--exclude-coder names the side {side!r}, which is not compared",
            f"the sides are: {', '.join(labels)}",
        )
    return label, name


def _run_sha256(run: CodeRun | None) -> str:
    if run is None:
        return ""
    try:
        return file_sha256(run.folder / RUN_JSON)
    except OSError:  # read a moment ago by load_run: gone since, so nothing to tie the result to
        return ""


def _cannot(detail: str, advice: str) -> UsageError:
    return UsageError.of("E430", detail=detail, advice=advice)


def _default_out(auto: Path) -> Path:
    return auto / "compare" if auto.is_dir() else Path("resdiscourse-out") / "compare"


# --- decisions ----------------------------------------------------------------------------------


def decide(sides: Sides, segment_overlap: float) -> Decisions:
    """Every coder's value on every unit, per code."""
    reference, coders = sides.reference, sides.coders
    codes = list(reference.codes.keys)
    decisions = Decisions(coders, codes)
    for doc_id, text in sorted(reference.texts.items()):
        if sum(c.offset_based and doc_id in c.documents for c in coders) < 2:
            continue
        for code in codes:
            counts = patterns(len(text), [c.take(doc_id, code) for c in coders])
            if counts:
                decisions.characters[(code, doc_id)] = counts
    for unit in reference.units():
        for code in codes:
            values = tuple(_segment_value(c, unit, code, segment_overlap) for c in coders)
            if sum(v is not None for v in values) >= 2:
                decisions.segments[(code, unit)] = values
    return decisions


def _segment_value(coder: Coder, unit: SegmentUnit, code: str, overlap: float) -> int | None:
    if not coder.looked_at(unit):
        return None
    if coder.segment_codes is not None:
        judged = coder.segment_codes.get(unit.segment_id)
        if judged is not None:
            return int(code in judged)
    if not coder.offset_based:
        return None  # a coder who judged listed segments only did not judge this one
    spans = coder.spans.get((unit.doc_id, code), [])
    return int(overlap_length(spans, unit.start, unit.end) >= overlap * (unit.end - unit.start))


# --- statistics ---------------------------------------------------------------------------------


class Statistics:
    """The agreement rows: per unit, for overall, per code, per document and per code × document
    (character level, NVivo's per-source figures)."""

    def __init__(self, decisions: Decisions, seed: int, resamples: int) -> None:
        self.decisions = decisions
        self.names = [coder.name for coder in decisions.coders]
        self.seed = seed
        self.resamples = resamples

    def rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for unit, scopes in (
            ("character", self._character_scopes()),
            ("segment", self._segment_scopes()),
        ):
            for scope, code, doc_id, clusters in scopes:
                rows += self._rows_for(unit, scope, code, doc_id, clusters)
        return rows

    def _character_scopes(self) -> Iterable[tuple[str, str, str, list[Patterns]]]:
        table = self.decisions.characters
        if not table:
            return
        documents = sorted({doc for _, doc in table})
        codes = self.decisions.codes
        per_document = {d: _sum(table[(c, d)] for c in codes) for d in documents}
        yield "overall", "", "", [per_document[d] for d in documents]
        for code in codes:
            yield "code", code, "", [table[(code, d)] for d in documents]
        for doc in documents:
            yield "document", "", doc, [per_document[doc]]
        for code in codes:
            for doc in documents:
                yield "code_document", code, doc, [table[(code, doc)]]

    def _segment_scopes(self) -> Iterable[tuple[str, str, str, list[Patterns]]]:
        table = self.decisions.segments
        if not table:
            return
        units = sorted({unit for _, unit in table}, key=lambda u: (u.doc_id, u.start, u.end))
        codes = self.decisions.codes
        per_unit = {u: Counter(table[(c, u)] for c in codes if (c, u) in table) for u in units}
        yield "overall", "", "", [per_unit[u] for u in units]
        for code in codes:
            yield (
                "code",
                code,
                "",
                [Counter([table[(code, u)]]) for u in units if (code, u) in table],
            )
        for doc in sorted({u.doc_id for u in units}):
            yield "document", "", doc, [per_unit[u] for u in units if u.doc_id == doc]

    def _rows_for(
        self, unit: str, scope: str, code: str, doc_id: str, clusters: list[Patterns]
    ) -> list[dict[str, Any]]:
        total = _sum(clusters)
        rows = []
        interval = len(clusters) > 1 and scope != "code_document"
        for first, second in combinations(range(len(self.names)), 2):
            pair = _project(total, first, second)
            if not pair:
                continue
            parts = [_project(c, first, second) for c in clusters] if interval else []
            row = _pair_row(pair, first == 0)
            row.update(self._intervals(parts))
            rows.append(
                {
                    "unit": unit,
                    "scope": scope,
                    "code": code,
                    "doc_id": doc_id,
                    "coders": f"{self.names[first]} | {self.names[second]}",
                    **row,
                }
            )
        if len(self.names) > 2:
            alpha = krippendorff_alpha_counts(total)
            low_high = self._interval(clusters if interval else [], bootstrap_alpha)
            rows.append(
                {
                    "unit": unit,
                    "scope": scope,
                    "code": code,
                    "doc_id": doc_id,
                    "coders": "all",
                    **_empty_pair(),
                    "alpha": _round(alpha),
                    "alpha_low": low_high[0],
                    "alpha_high": low_high[1],
                    "alpha_note": _alpha_note(alpha, total),
                }
            )
        return rows

    def _intervals(self, clusters: list[Patterns]) -> dict[str, float | None]:
        kappa_low, kappa_high = self._interval(clusters, bootstrap_kappa)
        alpha_low, alpha_high = self._interval(clusters, bootstrap_alpha)
        return {
            "kappa_low": kappa_low,
            "kappa_high": kappa_high,
            "alpha_low": alpha_low,
            "alpha_high": alpha_high,
        }

    def _interval(
        self, clusters: list[Patterns], bootstrap: Bootstrap
    ) -> tuple[float | None, float | None]:
        if len(clusters) < 2 or self.resamples <= 0:
            return None, None
        found = bootstrap(clusters, seed=self.seed, resamples=self.resamples)
        return (None, None) if found is None else (_round(found[0]), _round(found[1]))


def _sum(counters: Iterable[Patterns]) -> Patterns:
    total: Patterns = Counter()
    for counter in counters:
        total.update(counter)
    return total


def _project(counts: Patterns, first: int, second: int) -> Patterns:
    """The two coders' values on the units both of them coded."""
    pair: Patterns = Counter()
    for pattern, count in counts.items():
        a, b = pattern[first], pattern[second]
        if a is not None and b is not None:
            pair[(a, b)] += count
    return pair


def _pair_row(pair: Patterns, first_is_auto: bool) -> dict[str, Any]:
    both, first_only = pair[(1, 1)], pair[(1, 0)]
    second_only, neither = pair[(0, 1)], pair[(0, 0)]
    kappa = cohen_kappa_counts(pair)
    alpha = krippendorff_alpha_counts(pair)
    row: dict[str, Any] = {
        "units": both + first_only + second_only + neither,
        "both": both,
        "first_only": first_only,
        "second_only": second_only,
        "neither": neither,
        "percent_agreement": _round(percent_agreement_counts(pair)),
        "kappa": _round(kappa.value),
        "kappa_degenerate": kappa.degenerate,
        "alpha": _round(alpha),
        "alpha_note": _alpha_note(alpha, pair),
        "precision": None,
        "recall": None,
        "f1": None,
    }
    if first_is_auto:
        row.update(_precision_recall(both, first_only, second_only))
    return row


def _empty_pair() -> dict[str, Any]:
    return {column: None for column in PAIR_COLUMNS}


def _precision_recall(both: int, auto_only: int, human_only: int) -> dict[str, float | None]:
    """Of the automatic side (first coder) against the other coder as the truth."""
    precision = both / (both + auto_only) if both + auto_only else None
    recall = both / (both + human_only) if both + human_only else None
    f1 = 2 * both / (2 * both + auto_only + human_only) if both + auto_only + human_only else None
    return {"precision": _round(precision), "recall": _round(recall), "f1": _round(f1)}


def _alpha_note(alpha: float | None, counts: Patterns) -> str:
    if alpha is not None:
        return ""
    values = {v for pattern in counts for v in pattern if v is not None}
    if len(values) < 2:
        return "undefined: every unit has the same value (no variation to agree on)"
    return "undefined: no unit was coded by two coders"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


# --- confusion ----------------------------------------------------------------------------------


def confusion(decisions: Decisions, reference: Reference) -> list[dict[str, Any]]:
    """Per dimension and pair of coders, segment level: how often the first coder's codes of the
    dimension went with each of the second's ("(none)" when a coder gave none)."""
    names = [coder.name for coder in decisions.coders]
    given: dict[tuple[SegmentUnit, str], list[list[str] | None]] = {}
    for (code, unit), values in decisions.segments.items():
        slots = given.setdefault((unit, reference.codes.dimension(code)), [[] for _ in names])
        for index, value in enumerate(values):
            current = slots[index]
            if value is None:
                slots[index] = None  # this coder did not judge the segment
            elif value == 1 and current is not None:
                current.append(code)
    counts: Counter[tuple[str, int, int, str, str]] = Counter()
    for (_, dimension), slots in given.items():
        for first, second in combinations(range(len(names)), 2):
            a, b = slots[first], slots[second]
            if a is not None and b is not None:
                counts[(dimension, first, second, _label(a), _label(b))] += 1
    return [
        {
            "dimension": d,
            "first_coder": names[f],
            "second_coder": names[s],
            "first": a,
            "second": b,
            "segments": n,
        }
        for (d, f, s, a, b), n in sorted(counts.items())
    ]


def _label(codes: list[str]) -> str:
    return "; ".join(sorted(code.split(":", 1)[-1] for code in codes)) or "(none)"


# --- summaries ----------------------------------------------------------------------------------


def _coder_entry(coder: Coder) -> dict[str, Any]:
    return {
        "name": coder.name,
        "side": coder.side,
        "documents": len(coder.documents),
        "unit": "character" if coder.offset_based else "segment",
    }


def _document_entries(sides: Sides, decisions: Decisions) -> list[dict[str, Any]]:
    compared = {doc for _, doc in decisions.characters} | {u.doc_id for _, u in decisions.segments}
    entries = []
    for doc_id in sorted(sides.reference.texts):
        aligned = {side: share for (side, doc), share in sides.alignments.items() if doc == doc_id}
        entries.append(
            {
                "doc_id": doc_id,
                "compared": doc_id in compared,
                "coders": [c.name for c in sides.coders if doc_id in c.documents],
                "aligned": {side: round(share, 6) for side, share in sorted(aligned.items())},
            }
        )
    return entries
