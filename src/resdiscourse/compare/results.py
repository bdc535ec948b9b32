"""What ``compare`` decides and reports, as plain data: the coders' values per unit
(:class:`Decisions`) and the whole result (:class:`ComparisonReport`). ``core.py`` computes them,
``outputs.py`` writes them; this module lets both import the types without importing each other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from resdiscourse.compare.intervals import Pattern
from resdiscourse.compare.units import Coder, SegmentUnit
from resdiscourse.errors import Problem
from resdiscourse.export.tables import Format

Patterns = Counter[Pattern]


@dataclass
class Decisions:
    """The coders' values per code, per document (character) and per segment (segment)."""

    coders: list[Coder]
    codes: list[str]
    #: (code, doc_id) -> character patterns (only documents two or more coders coded).
    characters: dict[tuple[str, str], Patterns] = field(default_factory=dict)
    #: (code, segment) -> the coders' values on that segment.
    segments: dict[tuple[str, SegmentUnit], Pattern] = field(default_factory=dict)


@dataclass
class ComparisonReport:
    """What ``compare`` found; ``to_dict()`` is the CLI's ``--json`` output."""

    out: str
    sides: list[str]
    coders: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    codes: list[str]
    rows: list[dict[str, Any]]
    confusion: list[dict[str, Any]]
    disagreements: int
    problems: list[Problem]
    #: Character-level disagreements shorter than ``min_chars`` (counted in the statistics, not
    #: listed in disagreements.csv: mostly the edges of a passage a few characters apart).
    short_disagreements: int = 0
    min_chars: int = 1
    format: Format = "csv"
    excel: bool = False
    #: The sha256 of the run.json of the automatic side's run folder (empty when it is not one):
    #: a report of that folder shows this comparison only while the run is the same.
    run_sha256: str = ""

    @property
    def exit_code(self) -> int:
        """1 when a document of some side could not be matched or read (a source without its
        text), as for failed documents."""
        return 1 if any(item.code in ("W431", "W437") for item in self.problems) else 0

    def overall(self, unit: str) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["unit"] == unit and row["scope"] == "overall"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "out": self.out,
            "sides": self.sides,
            "coders": self.coders,
            "documents": self.documents,
            "codes": self.codes,
            "agreement": self.rows,
            "confusion": self.confusion,
            "disagreements": self.disagreements,
            "short_disagreements": self.short_disagreements,
            "min_chars": self.min_chars,
            "problems": [item.to_dict() for item in self.problems],
            "exit_code": self.exit_code,
            "run_sha256": self.run_sha256,
        }
