"""What every side of a comparison is read into: the reference documents, segment units and
each coder's decisions in the reference's coordinates."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from resdiscourse.compare.codes import CodeNames
from resdiscourse.compare.intervals import Interval, Take, overlap_length
from resdiscourse.rundir import CodeRun

#: A segment or excerpt id: ``doc_id:start-end``.
UNIT_ID = re.compile(r"(?P<doc>.+):(?P<start>\d+)-(?P<end>\d+)")


def side_label(path: Path) -> str:
    """How a side is named in messages and outputs: its file or folder name, so that no
    absolute path gets into compare.json."""
    return path.name or str(path)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    #: Units of the segment level beyond the run's segments: excerpts a coder was given (the
    #: candidate sentences of `resdiscourse sample`), by id.
    extra_units: dict[str, SegmentUnit] = field(default_factory=dict)
    _by_id: dict[str, SegmentUnit] = field(default_factory=dict, repr=False)

    def sha256s(self) -> dict[str, str]:
        return {sha256_text(text): doc_id for doc_id, text in self.texts.items()}

    def units(self) -> list[SegmentUnit]:
        """The units of the segment level: the run's segments, then excerpts coded."""
        return [*self.segments, *self.extra_units.values()]

    def unit(self, unit_id: str) -> SegmentUnit | None:
        """A known unit: a segment of the reference, or an excerpt added before."""
        if len(self._by_id) != len(self.segments):
            self._by_id = {unit.segment_id: unit for unit in self.segments}
        return self._by_id.get(unit_id) or self.extra_units.get(unit_id)

    def excerpt(self, unit_id: str) -> SegmentUnit | None:
        """The unit ``doc_id:start-end``, added as an excerpt unit when it is none yet and its
        offsets lie within that document's text; None otherwise."""
        found = self.unit(unit_id)
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
        length = unit.end - unit.start
        return covered is None or overlap_length(covered, unit.start, unit.end) == length
