"""``resdiscourse count CORPUS --dictionary D``: category counts per document, paragraph,
sentence or retrieved segment, raw and per 1,000 words (see :mod:`.counting` for the rules)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from resdiscourse.codebook.load import load_codebook
from resdiscourse.coding import prepare_text
from resdiscourse.dictionaries.counting import (
    CountColumn,
    TextCounter,
    UnitCount,
    columns_of,
    compile_column,
)
from resdiscourse.dictionaries.model import Dictionary
from resdiscourse.dictionaries.patterns import ValueType
from resdiscourse.dictionaries.read import read_dictionary
from resdiscourse.errors import Location, Problem, UsageError, exit_code_of, problem
from resdiscourse.export.tables import FORMATS, Format, write_table_set
from resdiscourse.ingest.corpus import CODABLE_STATUSES, default_out, ingest_corpus
from resdiscourse.ingest.outputs import read_document_blocks, read_document_files
from resdiscourse.matching.compile import compile_codebook
from resdiscourse.models import block_kinds
from resdiscourse.nlp import build_pipeline, word_test
from resdiscourse.retrieve import retrieve
from resdiscourse.segment import SegmentedText, segment_text

By = Literal["document", "paragraph", "sentence", "segment"]
BY: tuple[By, ...] = ("document", "paragraph", "sentence", "segment")
#: The columns every row starts with; the categories' columns follow.
UNIT_COLUMNS = (
    "doc_id",
    "unit",
    "unit_id",
    "start",
    "end",
    "page",
    "language",
    "words",
    "matched_words",
    "matched_share",
)
COUNTS_NAME = "counts"


class Counting:
    """A dictionary's columns compiled per document language (a codebook's concepts have terms per
    language; other dictionaries one list for all)."""

    def __init__(self, source: str | Path, level: int | None, valuetype: ValueType) -> None:
        self.source, self.level, self.valuetype = source, level, valuetype
        first = read_dictionary(source, valuetype=valuetype)
        self.name = first.name
        self.per_language = first.format == "codebook"
        self._dictionaries: dict[str, Dictionary] = {"": first}
        self.columns = columns_of(first, level)
        self._compiled: dict[str, list[tuple[CountColumn, Any]]] = {}

    def compiled(self, language: str) -> list[tuple[CountColumn, Any]]:
        key = language if self.per_language else ""
        found = self._compiled.get(key)
        if found is None:
            columns = self.columns
            if self.per_language:
                dictionary = read_dictionary(self.source, language=language)
                columns = columns_of(dictionary, self.level)
            found = [(column, compile_column(column, language)) for column in columns]
            self._compiled[key] = found
        return found


@dataclass
class CountResult:
    dictionary: str
    by: str
    level: int | None
    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    documents: int = 0
    problems: list[Problem] = field(default_factory=list)
    out: str | None = None

    @property
    def exit_code(self) -> int:
        return exit_code_of(self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dictionary": self.dictionary,
            "by": self.by,
            "level": self.level,
            "documents": self.documents,
            "columns": self.columns,
            "rows": self.rows,
            "out": self.out,
            "problems": [item.to_dict() for item in self.problems],
        }


def count_corpus(
    corpus_dir: str | Path,
    dictionary: str | Path,
    *,
    by: By = "document",
    level: int | None = None,
    codebook: str | Path | None = None,
    out: str | Path | None = None,
    format: Format = "csv",
    excel: bool = False,
    valuetype: ValueType = "glob",
    model: str | None = None,
    work: str | Path | None = None,
    engine: str = "auto",
    jobs: int = 1,
    include_blocks: str | Collection[str] = (),
) -> CountResult:
    """Count ``dictionary``'s categories in every document of ``corpus_dir`` per unit ``by``;
    with ``out``, write ``counts.csv`` (and ``counts.<format>``) there.

    Texts are segmented as ``code`` segments them (a PDF's layout blocks are units of their own),
    so ``by="segment"`` counts the segments ``code`` retrieves with the same ``include_blocks``
    (E226 for a kind retrieval does not skip)."""
    _check_options(by, level, codebook, format)
    included = block_kinds(include_blocks)
    counting = Counting(dictionary, level, valuetype)
    columns = [*UNIT_COLUMNS, *_category_columns(counting.columns)]
    result = CountResult(counting.name, by, level, columns)
    compiled_book = compile_codebook(load_codebook(codebook).codebook) if codebook else None
    work_dir = Path(work) if work is not None else default_out(corpus_dir) / ".count"
    ingest = ingest_corpus(corpus_dir, out=work_dir, jobs=jobs, engine=engine)
    result.problems += ingest.problems
    for row in sorted(ingest.rows, key=lambda item: item["doc_id"]):
        if row["status"] not in CODABLE_STATUSES:
            continue
        result.documents += 1
        try:
            result.rows += _count_document(
                work_dir, row, counting, by, compiled_book, model, included
            )
        except UsageError:
            raise
        except Exception as error:  # a bug must not lose the other documents' counts
            detail = f"{type(error).__name__}: {error}"[:300]
            result.problems.append(problem("E214", Location(file=row["file"]), detail=detail))
    if out is not None:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        write_table_set(folder, COUNTS_NAME, columns, result.rows, format=format, excel=excel)
        result.out = str(folder)
    return result


def _check_options(by: str, level: int | None, codebook: object, format: str) -> None:
    if by not in BY:
        raise UsageError.of(
            "E806", option="by", detail=f"is {by!r}", advice="use one of: " + ", ".join(BY)
        )
    if level is not None and level < 1:
        raise UsageError.of(
            "E806",
            option="level",
            detail=f"must be 1 or more, not {level}",
            advice="level 1 is the top categories",
        )
    if by == "segment" and codebook is None:
        raise UsageError.of(
            "E806",
            option="by segment",
            detail="needs --codebook",
            advice="retrieved segments come from a codebook's retrieval",
        )
    if format not in FORMATS:
        raise UsageError.of("E216", format=format, choices=", ".join(FORMATS))


def _category_columns(columns: list[CountColumn]) -> list[str]:
    names = []
    for column in columns:
        names += [column.id, f"{column.id}_per_1000"]
        if column.weighted:
            names.append(f"{column.id}_weight")
    return names


def _count_document(
    work: Path,
    row: dict[str, str],
    counting: Counting,
    by: By,
    codebook: Any,
    model: str | None,
    include_blocks: tuple[str, ...],
) -> list[dict[str, str]]:
    text, pages = read_document_files(work, row["doc_id"])
    blocks = read_document_blocks(work, row["doc_id"])
    language = _language(row.get("language"))
    if codebook is not None:
        prepared = prepare_text(
            text,
            codebook,
            language=language,
            model=model,
            blocks=blocks,
            include_blocks=include_blocks,
        )
        seg = prepared.matcher.seg
        pipeline = prepared.pipeline
    else:
        pipeline = build_pipeline(language, model)
        seg = segment_text(text, pipeline, blocks, include_blocks)
    counter = TextCounter(seg, counting.compiled(language), word_test(pipeline.nlp))
    rows = []
    for first, last in _units(seg, by, codebook, prepared.matcher if codebook else None):
        count = counter.unit(first, last)
        start, end = _offsets(seg, first, last)
        rows.append(
            _row(
                row["doc_id"],
                by,
                start,
                end,
                pages.page_at(start),
                language,
                count,
                counting.columns,
            )
        )
    return rows


def _language(value: str | None) -> str:
    return (value or "").strip().lower().replace("_", "-").split("-")[0] or "en"


def _units(seg: SegmentedText, by: By, codebook: Any, matcher: Any) -> list[tuple[int, int]]:
    if by == "document":
        return [(0, len(seg.token_starts))]
    if by == "paragraph":
        return [(span.first, span.last) for span in seg.paragraphs if span.last > span.first]
    if by == "sentence":
        return [(span.first, span.last) for span in seg.sentences if span.last > span.first]
    book = codebook.codebook
    return [
        (s.first, s.last) for s in retrieve(matcher, codebook.retrieval, book.unit, book.window)
    ]


def _offsets(seg: SegmentedText, first: int, last: int) -> tuple[int, int]:
    if last <= first:
        return 0, 0
    return seg.token_starts[first], seg.token_ends[last - 1]


def _row(
    doc_id: str,
    by: str,
    start: int,
    end: int,
    page: int | None,
    language: str,
    count: UnitCount,
    columns: list[CountColumn],
) -> dict[str, str]:
    row = {
        "doc_id": doc_id,
        "unit": by,
        "unit_id": doc_id if by == "document" else f"{doc_id}:{start}-{end}",
        "start": str(start),
        "end": str(end),
        "page": "" if page is None else str(page),
        "language": language,
        "words": str(count.words),
        "matched_words": str(count.matched_words),
        "matched_share": _number(count.matched_words / count.words if count.words else 0.0),
    }
    for column in columns:
        raw = count.counts.get(column.id, 0)
        row[column.id] = str(raw)
        row[f"{column.id}_per_1000"] = _number(1000 * raw / count.words if count.words else 0.0)
        if column.weighted:
            row[f"{column.id}_weight"] = _number(count.weights.get(column.id, 0.0))
    return row


def _number(value: float) -> str:
    """Four decimals, without trailing zeros: the same text on every machine."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
