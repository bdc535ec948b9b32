"""Placing another side's documents and offsets in the reference: documents match
by the sha256 of their text, else by doc_id, else by file name; offsets on a different text are
mapped by alignment. Warnings are collected once per side and cause."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from resdiscourse.compare.align import Alignment, align
from resdiscourse.compare.intervals import Interval
from resdiscourse.compare.units import Reference, sha256_text
from resdiscourse.errors import Location, Problem, UsageError, problem
from resdiscourse.ingest.plan import slugify

#: Extensions a source name may carry; anything else after a dot is part of the name.
SOURCE_EXTENSIONS = (".txt", ".docx", ".pdf", ".rtf", ".html", ".htm", ".md")


def source_stem(name: str) -> str:
    """A source name without a file extension: ``Report v1.5.docx`` -> ``Report v1.5``."""
    return name[: -len(Path(name).suffix)] if name.lower().endswith(SOURCE_EXTENSIONS) else name


def source_id(name: str) -> str:
    """The doc_id a source name stands for: ``Report v1.5.docx`` -> ``report-v1-5``."""
    stem = source_stem(name)
    return slugify(stem) if stem else "document"


class SideContext:
    """What reading the sides shares: the reference, the coders asked for, the warnings."""

    def __init__(self, reference: Reference, wanted_coders: list[str]) -> None:
        self.reference = reference
        self.wanted = wanted_coders
        self.problems: list[Problem] = []
        self.alignments: dict[tuple[str, str], float] = {}
        self._by_sha = reference.sha256s()
        self._aligned: dict[tuple[str, str, str], Alignment] = {}
        self._unmatched: dict[str, Counter[str]] = {}

    # --- documents ------------------------------------------------------------------------------

    def match(self, side: str, name: str, stem: str, text: str | None) -> str | None:
        """Our doc_id for a document of a side, None (and a warning) when there is none.

        Identical text wins over names: two sources that share a name but hold different
        documents still land on the right ones."""
        if text is not None and sha256_text(text) in self._by_sha:
            return self._by_sha[sha256_text(text)]
        if name in self.reference.texts:
            return name
        for doc_id, our_stem in self.reference.stems.items():
            if stem and (stem == our_stem or slugify(stem) == doc_id):
                return doc_id
        self._unmatched.setdefault(side, Counter())[name] += 1
        return None

    def map_span(self, side: str, doc_id: str, text: str, start: int, end: int) -> Interval | None:
        """Their ``[start, end)`` on ``text`` as ours; None when it does not map."""
        ours = self.reference.texts[doc_id]
        if text == ours:
            return (start, end) if 0 <= start < end <= len(ours) else None
        if not 0 <= start < end <= len(text):
            return None
        return self._alignment(side, doc_id, text).map_span(start, end)

    def _alignment(self, side: str, doc_id: str, text: str) -> Alignment:
        key = (side, doc_id, sha256_text(text))
        if key not in self._aligned:
            alignment = align(text, self.reference.texts[doc_id])
            self._aligned[key] = alignment
            self.alignments[(side, doc_id)] = alignment.share
            self.problems.append(
                problem(
                    "W432",
                    Location(file=side),
                    doc_id=doc_id,
                    side=side,
                    share=f"{alignment.share:.1%}",
                )
            )
        return self._aligned[key]

    # --- coders ---------------------------------------------------------------------------------

    def pick_coders(self, available: list[str]) -> list[str]:
        """The coders of one side to compare: those asked for with --coder when the side has
        any of them, else all of it."""
        chosen = [name for name in available if name in self.wanted]
        return chosen or available

    def check_wanted(self, found: set[str], sides: list[str]) -> None:
        """Every --coder name must be a coder of some side."""
        for name in self.wanted:
            if name not in found:
                raise UsageError.of(
                    "E433",
                    name=name,
                    path=", ".join(sides),
                    choices=", ".join(sorted(found)) or "(none)",
                )

    # --- warnings -------------------------------------------------------------------------------

    def warn(self, code: str, side: str, **values: object) -> None:
        self.problems.append(problem(code, Location(file=side), side=side, **values))

    def report_codes(self, side: str, unmatched: set[str]) -> None:
        if unmatched:
            self.warn("W430", side, count=len(unmatched), names=_some(sorted(unmatched)))

    def report_left_out(self, side: str, count: int, detail: str) -> None:
        if count:
            advice = "check that the file codes the same documents as the reference"
            self.warn("W433", side, count=count, detail=detail, advice=advice)

    def finish(self) -> None:
        """The unmatched-document warnings, one per side and name (with how often)."""
        for side, names in self._unmatched.items():
            for name, count in sorted(names.items()):
                self.warn("W431", side, name=name, count=count, reference=self.reference.label)


def _some(names: list[str], shown: int = 10) -> str:
    more = f" (+{len(names) - shown} more)" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more
