"""``resdiscourse search``: keyword-in-context lines for a query over a corpus.

The corpus is ingested (with the cache) into a work folder; ``{concept}`` references in the query
are looked up in a codebook (the shipped Bhuyan–Leung one by default).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resdiscourse.codebook.load import load_codebook
from resdiscourse.codebook.query import AndNode, Node, QuerySyntaxError, concepts_in, parse_query
from resdiscourse.coding import prepare_text
from resdiscourse.errors import Location, Problem, UsageError, exit_code_of, problem
from resdiscourse.ingest.corpus import CODABLE_STATUSES, default_out, ingest_corpus
from resdiscourse.ingest.outputs import read_document_blocks, read_document_files, write_csv
from resdiscourse.matching.compile import CompiledCodebook, compile_codebook
from resdiscourse.models import block_kinds
from resdiscourse.retrieve import UNITS, Unit, retrieve

KWIC_COLUMNS = [
    "doc_id",
    "page",
    "page_label",
    "start",
    "end",
    "left",
    "hit",
    "right",
    "segment_id",
]
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class KwicLine:
    doc_id: str
    page: int | None
    page_label: str
    start: int
    end: int
    left: str
    hit: str
    right: str
    segment_id: str

    def row(self) -> dict[str, str]:
        return {key: "" if value is None else str(value) for key, value in self.__dict__.items()}


@dataclass
class SearchResult:
    query: str
    unit: str
    width: int
    lines: list[KwicLine] = field(default_factory=list)
    documents: int = 0
    segments: int = 0
    problems: list[Problem] = field(default_factory=list)
    out: str | None = None

    @property
    def exit_code(self) -> int:
        return exit_code_of(self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "unit": self.unit,
            "documents": self.documents,
            "segments": self.segments,
            "lines": [line.__dict__ for line in self.lines],
            "problems": [item.to_dict() for item in self.problems],
            "out": self.out,
            "exit_code": self.exit_code,
        }


def search_corpus(
    corpus_dir: str | Path,
    query: str,
    *,
    codebook: str | Path = "bhuyan-leung-2021",
    unit: Unit = "sentence",
    window: int = 0,
    width: int = 50,
    out: str | Path | None = None,
    work: str | Path | None = None,
    model: str | None = None,
    engine: str = "auto",
    password: str | None = None,
    ocr: bool = False,
    jobs: int = 1,
    cache_dir: str | Path | None = None,
    include_blocks: str | Collection[str] = (),
) -> SearchResult:
    """Every match of ``query`` in the corpus as KWIC lines (``width`` characters each side);
    written as CSV to ``out`` when given. Texts come from the cache in ``cache_dir`` when there
    (as in ``ingest_corpus``). Tables, tables of contents and indexes of PDFs are skipped, except
    the kinds ``include_blocks`` names (as in ``code_corpus``)."""
    if unit not in UNITS:
        raise UsageError.of("E215", unit=unit, choices=", ".join(UNITS))
    included = block_kinds(include_blocks)
    loaded = load_codebook(codebook)
    book = loaded.codebook
    _check_query(query, [*book.concepts, *book.patterns], book.name)
    compiled = compile_codebook(book)
    node = compiled.parse(query)  # named patterns expanded, sub-queries shared with the rules
    work_dir = Path(work) if work is not None else default_out(corpus_dir) / ".search"
    ingest = ingest_corpus(
        corpus_dir,
        out=work_dir,
        jobs=jobs,
        engine=engine,
        password=password,
        ocr=ocr,
        cache_dir=cache_dir,
    )
    result = SearchResult(query, unit, width, problems=list(ingest.problems))
    for row in ingest.rows:
        if row["status"] not in CODABLE_STATUSES:
            continue
        result.documents += 1
        try:
            lines, segments = _search_document(
                work_dir, row, node, compiled, (unit, window, width), model, included
            )
        except Exception as error:  # a bug must not lose the other documents' lines
            detail = f"{type(error).__name__}: {error}"[:300]
            result.problems.append(problem("E214", Location(file=row["file"]), detail=detail))
            continue
        result.lines += lines
        result.segments += segments
    if out is not None:
        _write_lines(Path(out), result.lines)
        result.out = str(out)
    return result


def _write_lines(path: Path, lines: list[KwicLine]) -> None:
    try:
        write_csv(path, KWIC_COLUMNS, [line.row() for line in lines])
    except OSError as error:
        detail = error.strerror or str(error)
        raise UsageError.of(
            "E207", Location(file=str(path)), path=str(path), detail=detail
        ) from None


def _check_query(query: str, concepts: Collection[str], codebook: str) -> None:
    try:
        node = parse_query(query)
    except QuerySyntaxError as error:
        detail = f"{error.message} at column {error.col}"
        raise UsageError.of("E212", Location(), detail=detail, advice=error.hint) from None
    for name in concepts_in(node):
        if name not in concepts:
            choices = ", ".join("{" + c + "}" for c in concepts)
            raise UsageError.of("E213", name=name, codebook=codebook, choices=choices)


def _search_document(
    work: Path,
    row: dict[str, str],
    node: Node,
    compiled: CompiledCodebook,
    shape: tuple[Unit, int, int],
    model: str | None,
    include_blocks: tuple[str, ...],
) -> tuple[list[KwicLine], int]:
    unit, window, width = shape
    doc_id = row["doc_id"]
    text, pages = read_document_files(work, doc_id)
    matcher = prepare_text(
        text,
        compiled,
        language=row.get("language"),
        model=model,
        blocks=read_document_blocks(work, doc_id),
        include_blocks=include_blocks,
    ).matcher
    segments = retrieve(matcher, node, unit, window)
    lines = []
    # An AND gives a line per word it found; other queries a line per match (a NEAR pair, say).
    split = isinstance(node, AndNode)
    for segment in segments:
        spans = [
            (hit.first, hit.last) if split else (match.first, match.last)
            for match in segment.matches
            for hit in (match.hits if split else match.hits[:1])
        ]
        for first, last in dict.fromkeys(spans):
            start = matcher.seg.token_starts[first]
            end = matcher.seg.token_ends[last - 1]
            lines.append(
                KwicLine(
                    doc_id,
                    pages.page_at(start),
                    pages.label_at(start) or "",
                    start,
                    end,
                    _flat(text[max(0, start - width) : start])[-width:],
                    _flat(text[start:end]),
                    _flat(text[end : end + width])[:width],
                    segment.segment_id(doc_id),
                )
            )
    return lines, len(segments)


def _flat(text: str) -> str:
    """One line: paragraph breaks and runs of spaces become one space."""
    return _SPACES.sub(" ", text)
