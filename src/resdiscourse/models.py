"""Plain data of the pipeline (no I/O).

Offsets everywhere are Unicode code points into a document's clean text, 0-based, end exclusive.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from resdiscourse.errors import Problem, UsageError

Status = Literal["ok", "warning", "needs_ocr", "error"]

#: Columns of documents.csv, in order.
DOCUMENT_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "file",
    "title",
    "year",
    "date",
    "jurisdiction",
    "level",
    "publisher",
    "doc_type",
    "language",
    "pages",
    "chars",
    "sha256",
    "engine",
    "status",
    "code",
    "message",
    # Where the language came from (manifest, file or detected) and the detector's confidence
    # (0-1) that the text is in it; after the columns every reader expects.
    "language_source",
    "language_confidence",
)

#: Manifest fields with a meaning of their own; other columns are kept as metadata.
MANIFEST_FIELDS: tuple[str, ...] = (
    "doc_id",
    "file",
    "title",
    "year",
    "date",
    "jurisdiction",
    "level",
    "publisher",
    "doc_type",
    "council_item",
    "url",
    "language",
    "confidence",
    "notes",
)


@dataclass(frozen=True)
class PageSpan:
    """The part of the clean text that comes from one physical page."""

    start: int
    end: int
    page: int  # physical page, 1-based
    page_label: str  # printed folio when known, else the physical page number as text

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "page_label": self.page_label,
        }


@dataclass(frozen=True)
class PageMap:
    """Answers "which page is offset N on" for a clean text."""

    spans: tuple[PageSpan, ...]

    def span_at(self, offset: int) -> PageSpan | None:
        """The page span holding ``offset``.

        An offset in the gap between pages belongs to the next page.
        """
        if not self.spans:
            return None
        starts = [span.start for span in self.spans]
        index = bisect.bisect_right(starts, offset) - 1
        return self.spans[max(index, 0)]

    def page_at(self, offset: int) -> int | None:
        span = self.span_at(offset)
        return span.page if span else None

    def label_at(self, offset: int) -> str | None:
        span = self.span_at(offset)
        return span.page_label if span else None

    def to_list(self) -> list[dict[str, Any]]:
        return [span.to_dict() for span in self.spans]

    @classmethod
    def from_list(cls, rows: list[dict[str, Any]]) -> PageMap:
        return cls(
            tuple(
                PageSpan(int(r["start"]), int(r["end"]), int(r["page"]), str(r["page_label"]))
                for r in rows
            )
        )


#: Kinds of layout block that ingest recognises from a page's geometry and type.
HEADING, LIST_ITEM, TABLE, TOC, INDEX = "heading", "list_item", "table", "toc", "index"
BLOCK_KINDS: tuple[str, ...] = (HEADING, LIST_ITEM, TABLE, TOC, INDEX)
#: Blocks that hold no running prose: retrieval skips their units unless asked to include them.
UNPROSE_KINDS: frozenset[str] = frozenset({TABLE, TOC, INDEX})


def block_kinds(spec: str | Collection[str]) -> tuple[str, ...]:
    """The sorted block kinds of ``--include-blocks`` ("table,toc" or a collection of names);
    E226 for a kind retrieval does not skip."""
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    kinds = sorted({name.strip() for name in names if name.strip()})
    for kind in kinds:
        if kind not in UNPROSE_KINDS:
            raise UsageError.of("E226", kind=kind, choices=", ".join(sorted(UNPROSE_KINDS)))
    return tuple(kinds)


class Block(NamedTuple):
    """A span [start, end) of the clean text that the layout marks as one block of ``kind``."""

    start: int
    end: int
    kind: str


@dataclass
class ExtractedText:
    """What reading one file gives: the clean text, its page map and what to know about it."""

    text: str
    page_map: PageMap
    engine: str
    pages: int
    problems: list[Problem] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)  # e.g. title/author from the PDF
    #: Layout blocks, in text order, when the reader sees the layout (PDFs); None otherwise.
    blocks: list[Block] | None = None

    @property
    def status(self) -> Status:
        return worst_status(self.problems)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "text": self.text,
            "pages": self.pages,
            "engine": self.engine,
            "status": self.status,
            "page_map": self.page_map.to_list(),
            "problems": [p.to_dict() for p in self.problems],
            "metadata": self.metadata,
        }
        if self.blocks is not None:
            data["blocks"] = [list(block) for block in self.blocks]
        return data


_STATUS_RANK: dict[str, int] = {"ok": 0, "warning": 1, "needs_ocr": 2, "error": 3}


def worst_status(problems: list[Problem]) -> Status:
    status: Status = "ok"
    for item in problems:
        candidate = item.status
        if _STATUS_RANK[candidate] > _STATUS_RANK[status]:
            status = candidate  # type: ignore[assignment]
    return status


@dataclass
class Document:
    """One ingested document: metadata, clean text (possibly empty on failure) and status."""

    doc_id: str
    file: str  # path relative to the corpus folder, with forward slashes
    sha256: str
    metadata: dict[str, str]
    text: str = ""
    page_map: PageMap = field(default_factory=lambda: PageMap(()))
    pages: int = 0
    engine: str = ""
    problems: list[Problem] = field(default_factory=list)
    blocks: list[Block] | None = None
    #: The parts [start, end) of a bilingual text whose language is not the document's.
    languages: list[tuple[int, int, str]] = field(default_factory=list)
    #: ``manifest``, ``file`` (the file's own metadata), ``detected`` or ``""`` (no language).
    language_source: str = ""
    #: The detector's confidence that the text is in the document's language (None: not judged).
    language_confidence: float | None = None

    @property
    def status(self) -> Status:
        return worst_status(self.problems)

    def row(self) -> dict[str, str]:
        """This document's row of documents.csv (``DOCUMENT_COLUMNS``, then extra metadata)."""
        first = next(
            (p for p in self.problems if p.severity == "error"),
            self.problems[0] if self.problems else None,
        )
        row = {
            "doc_id": self.doc_id,
            "file": self.file,
            **{k: self.metadata.get(k, "") for k in DOCUMENT_COLUMNS[2:10]},
            "pages": str(self.pages),
            "chars": str(len(self.text)),
            "sha256": self.sha256,
            "engine": self.engine,
            "status": self.status,
            "code": first.code if first else "",
            "message": "; ".join(f"{p.code} {p.message}" for p in self.problems),
            "language_source": self.language_source,
            "language_confidence": confidence_text(self.language_confidence),
        }
        return row


def confidence_text(value: float | None) -> str:
    """A confidence as documents.csv holds it: three decimals, or empty when there is none."""
    return "" if value is None else f"{value:.3f}"
