"""The sides of a comparison, read into one coordinate system (DESIGN §8, §12).

A side is an output folder of ``resdiscourse code``, a REFI-QDA ``.qdpx`` project (each user a
coder) or a CSV of ``doc,start,end,code`` or ``segment_id,code`` rows (with an optional ``coder``
column). The first output folder among the sides is the *reference*: its clean texts are the
coordinate system, its segments the units of the segment level, its codebook the codes compared.
Without one, the first ``.qdpx`` gives the texts and the codes are taken as they are named.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from resdiscourse.compare.align import Alignment, align
from resdiscourse.compare.codes import CodeNames
from resdiscourse.compare.intervals import Interval, Take, merge, overlap_length
from resdiscourse.errors import Location, Problem, ResdiscourseError, UsageError, problem
from resdiscourse.export.refi_model import RefiProject
from resdiscourse.export.refi_read import read_qdpx
from resdiscourse.ingest.plan import slugify
from resdiscourse.rundir import CodeRun, load_run

#: The name the automatic side's coder has in the outputs.
AUTO_CODER = "resdiscourse"
#: A segment or excerpt id: ``doc_id:start-end``.
UNIT_ID = re.compile(r"(?P<doc>.+):(?P<start>\d+)-(?P<end>\d+)")


@dataclass(frozen=True)
class SegmentUnit:
    segment_id: str
    doc_id: str
    start: int
    end: int


@dataclass
class Reference:
    """The documents (doc_id -> clean text), segments and codes every side is read onto."""

    label: str
    texts: dict[str, str]
    stems: dict[str, str]  # doc_id -> file stem, for matching sources by name
    segments: list[SegmentUnit]
    codes: CodeNames
    run: CodeRun | None = None
    #: Units of the segment level beyond the run's segments: excerpts a coder was given (e.g.
    #: the candidate sentences of `resdiscourse sample`), by id.
    extra_units: dict[str, SegmentUnit] = field(default_factory=dict)

    def sha256s(self) -> dict[str, str]:
        return {_sha(text): doc_id for doc_id, text in self.texts.items()}

    def units(self) -> list[SegmentUnit]:
        """The units of the segment level: the run's segments, then other excerpts coded."""
        return [*self.segments, *self.extra_units.values()]

    def unit(self, unit_id: str) -> SegmentUnit | None:
        """The unit ``doc_id:start-end``: a segment, or a new excerpt unit when the offsets are
        within that document's text; None otherwise."""
        found = self._segment_ids().get(unit_id) or self.extra_units.get(unit_id)
        if found is not None:
            return found
        parsed = UNIT_ID.fullmatch(unit_id)
        if parsed is None or parsed["doc"] not in self.texts:
            return None
        start, end = int(parsed["start"]), int(parsed["end"])
        if not 0 <= start < end <= len(self.texts[parsed["doc"]]):
            return None
        unit = SegmentUnit(unit_id, parsed["doc"], start, end)
        self.extra_units[unit_id] = unit
        return unit

    def _segment_ids(self) -> dict[str, SegmentUnit]:
        if len(self._by_id) != len(self.segments):
            self._by_id = {unit.segment_id: unit for unit in self.segments}
        return self._by_id

    _by_id: dict[str, SegmentUnit] = field(default_factory=dict, repr=False)


@dataclass
class Coder:
    """One coder's decisions in reference coordinates."""

    name: str
    side: str
    documents: set[str] = field(default_factory=set)
    #: (doc_id, code) -> merged intervals; empty for a segment-only coder.
    spans: dict[tuple[str, str], list[Interval]] = field(default_factory=dict)
    #: segment_id -> codes, for a coder who judged segments (CSV of segment_id,code) and for
    #: our own runs (their segments, by id).
    segment_codes: dict[str, set[str]] | None = None
    #: False for a coder who judged listed segments only (no character offsets).
    offset_based: bool = True
    #: doc_id -> merged intervals, for documents the coder saw only parts of (excerpts).
    partial: dict[str, list[Interval]] = field(default_factory=dict)

    def take(self, doc_id: str, code: str) -> Take | None:
        """This coder's work on one code of one document, None when not looked at."""
        if doc_id not in self.documents or not self.offset_based:
            return None
        return Take(self.spans.get((doc_id, code), []), self.partial.get(doc_id))

    def looked_at(self, unit: SegmentUnit) -> bool:
        if unit.doc_id not in self.documents:
            return False
        covered = self.partial.get(unit.doc_id)
        return (
            covered is None
            or overlap_length(covered, unit.start, unit.end) == unit.end - unit.start
        )


@dataclass
class Sides:
    reference: Reference
    coders: list[Coder]
    problems: list[Problem]
    #: (side, doc_id) -> share of word characters aligned, for texts that differ from ours.
    alignments: dict[tuple[str, str], float]


def read_sides(
    paths: list[Path],
    *,
    mapping: dict[str, str] | None = None,
    coders: list[str] | None = None,
) -> Sides:
    """Read every side; the first output folder among them is the reference."""
    read_problems: list[Problem] = []
    loaded = [_load(path, read_problems) for path in paths]
    reference = _reference(paths, loaded, mapping or {})
    reader = _SideReader(reference, coders or [])
    reader.problems += read_problems
    for path, side in zip(paths, loaded, strict=True):
        reader.read(path, side)
    _unique_names(reader.coders)
    return Sides(reference, reader.coders, reader.problems, reader.alignments)


def _unique_names(coders: list[Coder]) -> None:
    """Coders of the same name in different files get the file's name added (and a number when
    the same file is given twice)."""
    counts = Counter(coder.name for coder in coders)
    for coder in coders:
        if counts[coder.name] > 1:
            coder.name = f"{coder.name} ({Path(coder.side).name})"
    seen: Counter[str] = Counter()
    for coder in coders:
        seen[coder.name] += 1
        if seen[coder.name] > 1:
            coder.name = f"{coder.name} #{seen[coder.name]}"


def _load(path: Path, problems: list[Problem]) -> CodeRun | RefiProject | Path:
    """The side's contents; the reader's warnings (what a project held that we cannot
    represent) go to ``problems``."""
    if path.is_dir():
        return load_run(path)
    suffix = path.suffix.lower()
    if suffix in (".qdpx", ".qde"):
        try:
            read = read_qdpx(path)
        except ResdiscourseError as error:
            raise UsageError(error.problem) from None
        problems += read.problems
        return read.project
    if suffix == ".csv":
        if not path.is_file():
            raise _unreadable(path, "no such file")
        return path
    raise _unreadable(path, "not a folder, a .qdpx/.qde project or a .csv file")


def _unreadable(path: Path, detail: str) -> UsageError:
    return UsageError.of("E431", Location(file=str(path)), path=path, detail=detail)


def _reference(
    paths: list[Path], loaded: list[CodeRun | RefiProject | Path], mapping: dict[str, str]
) -> Reference:
    for path, side in zip(paths, loaded, strict=True):
        if isinstance(side, CodeRun):
            return _run_reference(path, side, mapping)
    for path, side in zip(paths, loaded, strict=True):
        if isinstance(side, RefiProject):
            texts = {_source_id(source.name): source.text for source in side.sources}
            stems = {doc_id: doc_id for doc_id in texts}
            return Reference(str(path), texts, stems, [], CodeNames.open(mapping))
    raise UsageError.of(
        "E430",
        detail="no side holds the documents' texts",
        advice="give an output folder of `resdiscourse code` or a .qdpx project as one side",
    )


def _run_reference(path: Path, run: CodeRun, mapping: dict[str, str]) -> Reference:
    documents = run.coded_documents()
    texts = {row["doc_id"]: run.text(row["doc_id"]) for row in documents}
    stems = {row["doc_id"]: Path(row["file"]).stem for row in documents}
    segments = [
        SegmentUnit(row["segment_id"], row["doc_id"], int(row["start"]), int(row["end"]))
        for row in run.segments
    ]
    codes = CodeNames.of_codebook(run.codes(), mapping)
    return Reference(str(path), texts, stems, segments, codes, run)


def _source_id(name: str) -> str:
    return slugify(Path(name).stem) if name else "document"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _SideReader:
    """Turns each loaded side into coders, collecting what it had to leave out."""

    def __init__(self, reference: Reference, wanted_coders: list[str]) -> None:
        self.reference = reference
        self.wanted = wanted_coders
        self.coders: list[Coder] = []
        self.problems: list[Problem] = []
        self.alignments: dict[tuple[str, str], float] = {}
        self._by_sha = reference.sha256s()
        self._aligned: dict[tuple[str, str], Alignment] = {}

    def read(self, path: Path, side: CodeRun | RefiProject | Path) -> None:
        label = str(path)
        if isinstance(side, CodeRun):
            self.coders.append(self._run_coder(label, side))
        elif isinstance(side, RefiProject):
            self.coders += self._refi_coders(path, side)
        else:
            self.coders += self._csv_coders(path)

    # --- output folders -------------------------------------------------------------------------

    def _run_coder(self, label: str, run: CodeRun) -> Coder:
        name = AUTO_CODER if not self.coders else f"{AUTO_CODER}:{Path(label).name}"
        coder = Coder(name, label, segment_codes={})
        ours: dict[str, str] = {}  # their doc_id -> ours
        for row in run.coded_documents():
            text = run.text(row["doc_id"])
            doc_id = self._match(label, row["doc_id"], Path(row["file"]).stem, text)
            if doc_id is not None:
                ours[row["doc_id"]] = doc_id
                coder.documents.add(doc_id)
        spans: defaultdict[tuple[str, str], list[Interval]] = defaultdict(list)
        keys = run.segment_codes()
        for row in run.segments:
            if row["doc_id"] not in ours:
                continue
            doc_id = ours[row["doc_id"]]
            mapped = self._map(
                label, doc_id, run.text(row["doc_id"]), int(row["start"]), int(row["end"])
            )
            if mapped is None:
                continue
            codes = {
                c for c in map(self.reference.codes.match, keys.get(row["segment_id"], [])) if c
            }
            for code in codes:
                spans[(doc_id, code)].append(mapped)
            unit = self.reference.unit(f"{doc_id}:{mapped[0]}-{mapped[1]}")
            if unit is not None:  # the same segment in our coordinates: judged as a segment
                coder.segment_codes[unit.segment_id] = codes  # type: ignore[index]
        coder.spans = {key: merge(value) for key, value in spans.items()}
        return coder

    # --- REFI-QDA projects ----------------------------------------------------------------------

    def _refi_coders(self, path: Path, project: RefiProject) -> list[Coder]:
        label = str(path)
        users = project.user_names()
        names = self._pick_coders(path, sorted(set(users.values())) or ["(unknown)"])
        coders = {name: Coder(name, label) for name in names}
        code_paths = project.codebook.paths()
        code_names = {guid: code.name for guid, code in project.codebook.by_guid().items()}
        unmatched: set[str] = set()
        left_out = 0
        spans: defaultdict[tuple[str, tuple[str, str]], list[Interval]] = defaultdict(list)
        for source in project.sources:
            place = self._place(label, source.name, source.text)
            if place is None:
                continue
            doc_id, excerpt = place
            for coder in coders.values():
                coder.documents.add(doc_id)
                if excerpt is not None:
                    coder.partial.setdefault(doc_id, []).append(excerpt)
            for selection in source.selections:
                for coding in selection.codings:
                    user = users.get(coding.user_guid or selection.user_guid, "(unknown)")
                    if user not in coders:
                        continue
                    found = (
                        code_paths.get(coding.code_guid, ""),
                        code_names.get(coding.code_guid, ""),
                    )
                    code = self.reference.codes.match(*found)
                    if code is None:
                        unmatched.add(found[0] or coding.code_guid)
                        continue
                    mapped = self._selection(
                        label, doc_id, source.text, excerpt, selection.start, selection.end
                    )
                    if mapped is None:
                        left_out += 1
                        continue
                    spans[(user, (doc_id, code))].append(mapped)
        for (user, key), intervals in spans.items():
            coders[user].spans[key] = merge(intervals)
        for coder in coders.values():
            coder.partial = {doc: merge(parts) for doc, parts in coder.partial.items()}
        self._report_codes(label, unmatched)
        self._report_left_out(label, left_out, "their selections aligned with none of our text")
        return list(coders.values())

    def _place(self, side: str, name: str, text: str) -> tuple[str, Interval | None] | None:
        """Where a source sits in the reference: (doc_id, None) for a whole document, (doc_id,
        span) for an excerpt named ``doc_id:start-end`` whose text is exactly that span of ours
        (as `resdiscourse sample` writes them)."""
        unit = UNIT_ID.fullmatch(Path(name).stem if name.endswith(".txt") else name)
        if unit is not None and unit["doc"] in self.reference.texts:
            start, end = int(unit["start"]), int(unit["end"])
            if self.reference.texts[unit["doc"]][start:end] == text and end > start:
                self.reference.unit(f"{unit['doc']}:{start}-{end}")
                return unit["doc"], (start, end)
        doc_id = self._match(side, _source_id(name), Path(name).stem, text)
        return None if doc_id is None else (doc_id, None)

    def _selection(
        self, side: str, doc_id: str, text: str, excerpt: Interval | None, start: int, end: int
    ) -> Interval | None:
        if excerpt is None:
            return self._map(side, doc_id, text, start, end)
        if not 0 <= start < end <= len(text):
            return None
        return excerpt[0] + start, excerpt[0] + end

    def _pick_coders(self, path: Path, available: list[str]) -> list[str]:
        if not self.wanted:
            return available
        unknown = [name for name in self.wanted if name not in available]
        chosen = [name for name in self.wanted if name in available]
        if not chosen:
            raise UsageError.of(
                "E433",
                Location(file=str(path)),
                name=unknown[0],
                path=path,
                choices=", ".join(available),
            )
        return chosen

    # --- CSV files ------------------------------------------------------------------------------

    def _csv_coders(self, path: Path) -> list[Coder]:
        rows = _csv_rows(path)
        columns = set(rows[0]) if rows else set()
        unit_column = "unit_id" if "unit_id" in columns else "segment_id"
        dimensions = sorted(columns & set(self.reference.codes.dimension_ids()))
        if unit_column in columns and "code" in columns:
            return self._segment_coders(path, rows, unit_column, lambda row: [row["code"]])
        if unit_column in columns and dimensions:
            # A filled-in coding sheet (`resdiscourse sample`): code ids per dimension column.
            return self._segment_coders(
                path, rows, unit_column, lambda row: _sheet_codes(row, dimensions)
            )
        if {"start", "end", "code"} <= columns and columns & {"doc", "doc_id"}:
            return self._offset_coders(path, rows)
        raise _unreadable(
            path,
            f"columns {sorted(columns)} are none of doc,start,end,code; segment_id,code; "
            "unit_id with dimension columns",
        )

    def _csv_coder_names(self, path: Path, rows: list[dict[str, str]]) -> list[str]:
        names = sorted({row.get("coder") or Path(path).stem for row in rows})
        return self._pick_coders(path, names)

    def _offset_coders(self, path: Path, rows: list[dict[str, str]]) -> list[Coder]:
        label = str(path)
        names = self._csv_coder_names(path, rows)
        coders = {name: Coder(name, label) for name in names}
        spans: defaultdict[tuple[str, tuple[str, str]], list[Interval]] = defaultdict(list)
        unmatched: set[str] = set()
        bad = 0
        for row in rows:
            name = row.get("coder") or path.stem
            if name not in coders:
                continue
            raw_doc = row.get("doc_id") or row.get("doc") or ""
            doc_id = self._match(label, raw_doc, Path(raw_doc).stem, None)
            if doc_id is None:
                continue
            coders[name].documents.add(doc_id)
            if not row["code"].strip():
                continue  # a document judged, with nothing coded in it
            code = self.reference.codes.match(row["code"])
            span = _offsets(row, len(self.reference.texts[doc_id]))
            if code is None:
                unmatched.add(row["code"])
            elif span is None:
                bad += 1
            else:
                spans[(name, (doc_id, code))].append(span)
        for (name, key), intervals in spans.items():
            coders[name].spans[key] = merge(intervals)
        self._report_codes(label, unmatched)
        self._report_left_out(label, bad, "start/end are not offsets within the document's text")
        return list(coders.values())

    def _segment_coders(
        self,
        path: Path,
        rows: list[dict[str, str]],
        unit_column: str,
        codes_of: Callable[[dict[str, str]], list[str]],
    ) -> list[Coder]:
        label = str(path)
        names = self._csv_coder_names(path, rows)
        coders = {name: Coder(name, label, segment_codes={}, offset_based=False) for name in names}
        unmatched: set[str] = set()
        unknown = 0
        for row in rows:
            coder = coders.get(row.get("coder") or path.stem)
            if coder is None or coder.segment_codes is None:
                continue
            unit = self.reference.unit(row[unit_column].strip())
            if unit is None:
                unknown += 1
                continue
            coder.documents.add(unit.doc_id)
            judged = coder.segment_codes.setdefault(unit.segment_id, set())
            for name in (name for name in codes_of(row) if name.strip()):
                code = self.reference.codes.match(name)
                if code is None:
                    unmatched.add(name)
                else:
                    judged.add(code)
        self._report_codes(label, unmatched)
        self._report_left_out(
            label, unknown, f"their {unit_column} is no segment (doc_id:start-end) of the reference"
        )
        return list(coders.values())

    # --- matching documents and offsets -------------------------------------------------------

    def _match(self, side: str, name: str, stem: str, text: str | None) -> str | None:
        """Our doc_id for a document of a side: by doc_id, by file stem, by the text's sha256."""
        texts = self.reference.texts
        if name in texts:
            return name
        for doc_id, our_stem in self.reference.stems.items():
            if stem and (stem == our_stem or slugify(stem) == doc_id):
                return doc_id
        if text is not None and _sha(text) in self._by_sha:
            return self._by_sha[_sha(text)]
        self.problems.append(
            problem(
                "W431", Location(file=side), name=name, side=side, reference=self.reference.label
            )
        )
        return None

    def _map(self, side: str, doc_id: str, text: str, start: int, end: int) -> Interval | None:
        ours = self.reference.texts[doc_id]
        if text == ours:
            return (start, end) if 0 <= start < end <= len(ours) else None
        alignment = self._alignment(side, doc_id, text)
        return alignment.map_span(start, end)

    def _alignment(self, side: str, doc_id: str, text: str) -> Alignment:
        key = (side, doc_id)
        cache = self._aligned
        if key not in cache:
            cache[key] = align(text, self.reference.texts[doc_id])
            share = cache[key].share
            self.alignments[key] = share
            self.problems.append(
                problem("W432", Location(file=side), doc_id=doc_id, side=side, share=f"{share:.1%}")
            )
        return cache[key]

    # --- reporting ------------------------------------------------------------------------------

    def _report_codes(self, side: str, unmatched: set[str]) -> None:
        if unmatched:
            names = sorted(unmatched)
            shown = ", ".join(names[:10]) + (
                f" (+{len(names) - 10} more)" if len(names) > 10 else ""
            )
            self.problems.append(
                problem("W430", Location(file=side), count=len(names), side=side, names=shown)
            )

    def _report_left_out(self, side: str, count: int, detail: str) -> None:
        if count:
            self.problems.append(
                problem(
                    "W433",
                    Location(file=side),
                    count=count,
                    side=side,
                    detail=detail,
                    advice="check that the file codes the same documents as the reference",
                )
            )


def _csv_rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = [
                {(k or "").strip().lower(): (v or "") for k, v in row.items()}
                for row in csv.DictReader(handle)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise _unreadable(path, str(error)) from None
    if not rows:
        raise _unreadable(path, "no rows")
    return rows


def _sheet_codes(row: dict[str, str], dimensions: list[str]) -> list[str]:
    """The codes of a coding-sheet row: ``dimension:code`` for each id written in a dimension
    column (several separated by ``;``)."""
    return [
        f"{dimension}:{code.strip()}"
        for dimension in dimensions
        for code in row.get(dimension, "").split(";")
        if code.strip()
    ]


def _offsets(row: dict[str, str], length: int) -> Interval | None:
    try:
        start, end = int(row["start"]), int(row["end"])
    except ValueError:
        return None
    return (start, end) if 0 <= start < end <= length else None
