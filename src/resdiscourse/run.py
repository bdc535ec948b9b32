"""``resdiscourse code``: ingest a corpus, then retrieve and code every document.

Outputs in ``out``: texts/ and pages/ (from ingest), segments.csv, codings.csv, documents.csv
(the ingest columns plus counts), codebook.yml (the codebook used), run.json, timings.json and,
with ``explain``, trace.jsonl.
Everything but timings.json is byte-identical on a re-run, whatever ``jobs`` is.
"""

from __future__ import annotations

import json
import platform
import time
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.metadata import version as distribution_version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resdiscourse.cache import read_entry, resolve_cache_dir, write_entry
from resdiscourse.codebook.load import LoadedCodebook, load_codebook
from resdiscourse.codebook.schema import DEFAULT_RETRIEVAL
from resdiscourse.errors import Location, Problem, UsageError, problem
from resdiscourse.executors import Executor, open_executor
from resdiscourse.export.tables import FORMATS, ColumnType, Format, write_table_set
from resdiscourse.ingest.corpus import (
    CODABLE_STATUSES,
    IngestSummary,
    check_corpus,
    check_out_folder,
    default_out,
    ingest_corpus,
)
from resdiscourse.ingest.manifest import Manifest
from resdiscourse.ingest.outputs import (
    PAGES,
    TEXTS,
    read_document_blocks,
    read_document_files,
    write_atomic,
)
from resdiscourse.ingest.parallel import run_in_processes
from resdiscourse.models import DOCUMENT_COLUMNS, PageMap, block_kinds
from resdiscourse.runcache import (
    CODING_KIND,
    RetrievalFacts,
    coding_key,
    pipeline_fingerprint,
    retrieval_facts,
)
from resdiscourse.runfolder import (
    CODEBOOK_FILE,
    CONTEXT_CHARS,
    REVIEW_NO,
    REVIEW_YES,
    completed_record,
    out_folder,
    writing_run,
)
from resdiscourse.version import package_version

# spaCy comes with the matching engine and coding (matching/, coding): imported where a document is
# coded, so that a re-run whose codings are all in the cache never loads it.
if TYPE_CHECKING:
    from resdiscourse.coding import CodedSegment
    from resdiscourse.matching.compile import CompiledCodebook
    from resdiscourse.matching.matcher import Matcher
    from resdiscourse.retrieve import Segment
    from resdiscourse.segment import SegmentedText

#: ``progress(done, total, what)``: ``what`` is "reading <doc_id>" or "coding <doc_id>".
Progress = Callable[[int, int, str], None]
SEGMENT_METADATA = ("title", "year", "jurisdiction", "level", "doc_type", "language")


@dataclass(frozen=True)
class CodingTask:
    """What a worker needs to code one ingested document (picklable)."""

    doc_id: str
    out: str
    metadata: dict[str, str]
    codebook_path: str
    model: str | None
    explain: bool
    #: The retrieval to code with: ``default`` or a variant of the codebook.
    retrieval: str = DEFAULT_RETRIEVAL
    #: Where the result is stored once coded (:mod:`resdiscourse.cache`); empty: not stored.
    cache_dir: str = ""
    cache_key: str = ""
    #: Layout blocks retrieval uses although it skips them by default (``--include-blocks``).
    include_blocks: tuple[str, ...] = ()
    #: :func:`~resdiscourse.runcache.pipeline_fingerprint` of ``model``, for the key of the
    #: document's segmentation entry (empty: no cache).
    pipeline: str = ""
    #: The sha256 of the codebook file as the run loaded it.
    codebook_sha256: str = ""


@dataclass
class DocumentCoding:
    """What a worker hands back for one document: ready rows and counts."""

    doc_id: str
    segment_rows: list[dict[str, str]] = field(default_factory=list)
    coding_rows: list[dict[str, str]] = field(default_factory=list)
    trace_lines: list[str] = field(default_factory=list)
    #: Segments per "dimension:code".
    code_counts: Counter[str] = field(default_factory=Counter)
    #: Segments with review=yes.
    review: int = 0
    #: The document's words (alphabetic or numeric tokens), documents.csv ``words``.
    words: int = 0
    pipeline: str = ""
    seconds: float = 0.0
    problem: Problem | None = None
    #: Per other retrieval of the codebook: (its segments, how many of them overlap none of the
    #: run's segments, how many of the run's segments overlap none of them).
    beside: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    #: Taken from the cache instead of coded.
    cached: bool = False
    #: Coded, but its segmentation taken from the cache (not part of the coding entry).
    segmented_from_cache: bool = False
    #: Per term or concept of the retrieval (as written in the query): whether the document has it.
    retrieval_atoms: dict[str, bool] = field(default_factory=dict)

    def to_entry(self) -> dict[str, Any]:
        """The cache entry of a coded document (the outputs' rows, as they are written)."""
        return {
            "segment_rows": self.segment_rows,
            "coding_rows": self.coding_rows,
            "trace_lines": self.trace_lines,
            "code_counts": sorted(self.code_counts.items()),
            "review": self.review,
            "words": self.words,
            "pipeline": self.pipeline,
            "beside": [[name, *counts] for name, counts in self.beside.items()],
            "retrieval_atoms": [[atom, held] for atom, held in self.retrieval_atoms.items()],
        }

    @classmethod
    def from_entry(cls, doc_id: str, entry: dict[str, Any]) -> DocumentCoding:
        return cls(
            doc_id,
            segment_rows=list(entry["segment_rows"]),
            coding_rows=list(entry["coding_rows"]),
            trace_lines=list(entry["trace_lines"]),
            code_counts=Counter(dict(entry["code_counts"])),
            review=int(entry["review"]),
            words=int(entry["words"]),
            pipeline=str(entry["pipeline"]),
            beside={str(name): (int(a), int(b), int(c)) for name, a, b, c in entry["beside"]},
            cached=True,
            retrieval_atoms={str(atom): bool(held) for atom, held in entry["retrieval_atoms"]},
        )


@dataclass
class CodeSummary:
    """What ``code_corpus`` did; ``to_dict()`` is the CLI's ``--json`` output."""

    corpus: str
    out: str
    codebook: str
    codebook_version: str
    codebook_sha256: str
    ingest: IngestSummary
    documents: list[dict[str, Any]]
    segments: int
    codings: int
    #: Segments with review=yes (a weak rule or a close tie-break decided a dimension that has
    #: ``review: true``).
    review: int
    code_counts: dict[str, int]
    problems: list[Problem]
    #: The retrieval used (``default`` or a variant) and what it is (:func:`retrieval_record`).
    retrieval: dict[str, Any] = field(default_factory=dict)
    #: Documents whose codings came from the cache (their text came from the ingest's).
    coded_from_cache: int = 0

    @property
    def exit_code(self) -> int:
        failed = self.ingest.exit_code or any(d["status"] == "error" for d in self.documents)
        return 1 if failed else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "out": self.out,
            "codebook": self.codebook,
            "codebook_version": self.codebook_version,
            "codebook_sha256": self.codebook_sha256,
            "retrieval": self.retrieval,
            "documents": self.documents,
            "segments": self.segments,
            "codings": self.codings,
            "review": self.review,
            "code_counts": self.code_counts,
            "problems": [item.to_dict() for item in self.problems],
            "coded_from_cache": self.coded_from_cache,
            "exit_code": self.exit_code,
        }


def code_corpus(
    corpus_dir: str | Path,
    *,
    codebook: str | Path = "bhuyan-leung-2021",
    out: str | Path | None = None,
    jobs: int = 1,
    model: str | None = None,
    engine: str = "auto",
    password: str | None = None,
    ocr: bool = False,
    explain: bool = False,
    format: Format = "csv",
    excel: bool = False,
    use_cache: bool = True,
    progress: Progress | None = None,
    manifest: Manifest | None = None,
    listed_only: bool = False,
    retrieval: str | None = None,
    cache_dir: str | Path | None = None,
    executor: str = "processes",
    scheduler: str | None = None,
    include_blocks: str | Collection[str] = (),
) -> CodeSummary:
    """Ingest ``corpus_dir`` into ``out`` and code every readable document with ``codebook``.

    ``codebook`` is a file, a shipped codebook's name or ``name@version``; ``retrieval`` names
    one of its retrieval variants (default: its own retrieval). Retrieval skips the tables,
    tables of contents and indexes that ingest found in PDFs, except the kinds
    ``include_blocks`` names ("table,toc,index"; E226 for another). The segments every other
    retrieval of the codebook would add or leave out are counted, not coded (run.json
    ``retrieval.beside``).

    Raises :class:`~resdiscourse.errors.UsageError` for a bad codebook or retrieval name (E3xx),
    a model that does not load (E210) and the ingest's usage errors; a document that fails is a
    row, not a stop. ``manifest`` and ``listed_only`` are as in ``ingest_corpus``.

    With ``use_cache``, texts and codings already made are taken from the cache in ``cache_dir``
    (:mod:`resdiscourse.cache`): an unchanged re-run reads no document and codes none (and does
    not load spaCy with the default pipeline); after a codebook edit only the coding is redone.

    ``executor`` is ``processes`` (``jobs`` worker processes) or ``dask``: the same reading and
    coding tasks on the Dask scheduler at ``scheduler``, or on a LocalCluster of ``jobs`` workers
    when it is None or ``local`` (:mod:`resdiscourse.executors`; E703-E705). The outputs are the
    same bytes whichever runs them.
    """
    started = time.perf_counter()
    if format not in FORMATS:
        raise UsageError.of("E216", format=format, choices=", ".join(FORMATS))
    included = block_kinds(include_blocks)
    loaded = load_codebook(codebook)
    _remember(loaded)
    cache = resolve_cache_dir(cache_dir) if use_cache else None
    facts = retrieval_facts(loaded, retrieval, cache)  # an unknown name stops here (E610)
    pipeline = pipeline_fingerprint(loaded.codebook.language, model)  # a bad --model: E210
    out_dir = out_folder(out, default_out(corpus_dir))
    check_corpus(Path(corpus_dir))
    check_out_folder(Path(corpus_dir), out_dir)
    with (
        open_executor(executor, jobs, scheduler) as runner,
        writing_run(out_dir) as stage,  # written whole, then swapped in (runfolder.py)
    ):
        ingest = ingest_corpus(
            corpus_dir,
            out=stage,
            jobs=jobs,
            engine=engine,
            password=password,
            ocr=ocr,
            progress=_labelled(progress, "reading"),
            use_cache=use_cache,
            manifest=manifest,
            listed_only=listed_only,
            cache_dir=cache_dir,
            executor=runner,
        )
        ingest.out = str(out_dir)
        ingested = time.perf_counter()
        tasks = [
            CodingTask(
                row["doc_id"],
                str(stage),
                row,
                str(loaded.path),
                model,
                explain,
                facts.name,
                str(cache or ""),
                include_blocks=included,
                codebook_sha256=loaded.sha256,
            )
            for row in ingest.rows
            if row["status"] in CODABLE_STATUSES
        ]
        if cache is not None:
            tasks = [_with_key(task, loaded.sha256, pipeline) for task in tasks]
        results = _code_all(tasks, runner, _labelled(progress, "coding"))
        finished = time.perf_counter()
        _write_outputs(stage, loaded, ingest, results, explain, TableOptions(format, excel))
        options = {
            "engine": engine,
            "ocr": ocr,
            "model": model,
            "explain": explain,
            "format": format,
            "excel": excel,
            "retrieval": facts.name,
            "include_blocks": list(included),
        }
        documents = document_entries(ingest, results)
        record = retrieval_record(facts, results)
        # The codebook itself, so that export, compare and report need nothing but this folder.
        write_atomic(stage / CODEBOOK_FILE, loaded.data)  # the bytes whose sha256 run.json holds
        timings = {
            "ingest_seconds": round(ingested - started, 3),
            "coding_seconds": round(finished - ingested, 3),
            "total_seconds": round(time.perf_counter() - started, 3),
            **runner.describe(),
            "cache": {
                "ingest": ingest.cached,
                "coding": sum(r.cached for r in results),
                "segmentation": sum(r.segmented_from_cache for r in results),
            },
            "documents": {r.doc_id: round(r.seconds, 4) for r in results},
        }
        _write_json(stage / "timings.json", timings)
        # Last: run.json says the folder is complete and holds every output's sha256.
        _write_run(stage, corpus_dir, loaded, documents, results, options, record)
    summary = _summary(corpus_dir, out_dir, loaded, ingest, results, documents)
    summary.retrieval = record
    summary.coded_from_cache = sum(r.cached for r in results)
    if results and not summary.segments:
        summary.problems.append(nothing_retrieved(record, len(results)))
    return summary


def _with_key(task: CodingTask, codebook_sha256: str, pipeline: str) -> CodingTask:
    """The task with the key of its cache entry: the document's text and page map as ingest
    wrote them, its metadata, the codebook, the retrieval, the pipeline and ``explain``."""
    out = Path(task.out)
    key = coding_key(
        text=(out / TEXTS / f"{task.doc_id}.txt").read_bytes(),
        pages=(out / PAGES / f"{task.doc_id}.json").read_bytes(),
        doc_id=task.doc_id,
        metadata={name: task.metadata.get(name, "") for name in SEGMENT_METADATA},
        codebook_sha256=codebook_sha256,
        retrieval=task.retrieval,
        pipeline=pipeline,
        explain=task.explain,
        include_blocks=task.include_blocks,
    )
    return replace(task, cache_key=key, pipeline=pipeline)


def nothing_retrieved(record: dict[str, Any], coded: int) -> Problem:
    """W222: a run that retrieved no segment, and how many documents hold each part of the
    retrieval query."""
    holding = ", ".join(
        f"{count} contain {atom}" for atom, count in record["documents_with"].items()
    )
    detail = f"of {coded} coded document(s), {holding}"
    return problem("W222", Location(), query=record["query"], detail=detail)


def _labelled(progress: Progress | None, stage: str) -> Progress | None:
    if progress is None:
        return None

    def report(done: int, total: int, doc_id: str) -> None:
        progress(done, total, f"{stage} {doc_id}")

    return report


def _code_all(
    tasks: list[CodingTask], executor: Executor, progress: Progress | None
) -> list[DocumentCoding]:
    results: dict[int, DocumentCoding] = {}

    def finish(index: int, result: DocumentCoding) -> None:
        results[index] = result
        if progress is not None:
            progress(len(results), len(tasks), result.doc_id)

    pending = []
    for index, task in enumerate(tasks):
        hit = _cached_coding(task)
        if hit is not None:
            finish(index, hit)
        else:
            pending.append(index)
    executor.run(
        code_document,
        [tasks[index] for index in pending],
        lambda i, result: finish(pending[i], result),
        lambda i: _crashed(tasks[pending[i]], "its task failed or its worker died"),
        run_in_processes,
    )
    return [results[index] for index in sorted(results)]


def _cached_coding(task: CodingTask) -> DocumentCoding | None:
    if not task.cache_key:
        return None
    entry = read_entry(Path(task.cache_dir), CODING_KIND, task.cache_key)
    if entry is None:
        return None
    try:
        return DocumentCoding.from_entry(task.doc_id, entry)
    except (KeyError, TypeError, ValueError):  # a well-formed entry of another shape: code again
        return None


def code_document(task: CodingTask) -> DocumentCoding:
    """Code one ingested document (the worker function; module-level so processes can import it).

    An unexpected exception becomes an E211 row instead of stopping the batch.
    """
    started = time.perf_counter()
    try:
        result = _code(task)
    except Exception as error:  # a bug must not lose the other documents' results
        return _crashed(task, f"{type(error).__name__}: {error}")
    result.seconds = time.perf_counter() - started
    if task.cache_key:  # stored by the process that coded it: an interrupted run keeps it
        write_entry(Path(task.cache_dir), CODING_KIND, task.cache_key, result.to_entry())
    return result


def _crashed(task: CodingTask, detail: str) -> DocumentCoding:
    where = Location(file=task.metadata.get("file") or task.doc_id)
    return DocumentCoding(task.doc_id, problem=problem("E211", where, detail=detail[:300]))


#: The codebook that ``code_corpus`` loaded last, by path and sha256: coding tasks that run in the
#: same process compile it instead of loading (parsing and checking) the file again.
_LOADED: dict[tuple[str, str], LoadedCodebook] = {}


def _remember(loaded: LoadedCodebook) -> None:
    _LOADED.clear()
    _LOADED[(str(loaded.path), loaded.sha256)] = loaded


@lru_cache(maxsize=4)
def _compiled(
    path: str, retrieval: str, sha256: str = ""
) -> tuple[LoadedCodebook, CompiledCodebook]:
    """The codebook at ``path`` (whose sha256 the run found to be ``sha256``: a file edited
    since is another key), compiled for ``retrieval``."""
    from resdiscourse.matching.compile import compile_codebook

    loaded = _LOADED.get((path, sha256)) or load_codebook(Path(path))
    return loaded, compile_codebook(loaded.codebook, retrieval)


def _code(task: CodingTask) -> DocumentCoding:
    from resdiscourse.coding import code_matched, codebook_languages, matcher_for
    from resdiscourse.coding import document_language as language_of
    from resdiscourse.ingest.cache import cached_mixed_parts
    from resdiscourse.matching.matcher import positive_atoms
    from resdiscourse.runcache import cached_segmentation

    out = Path(task.out)
    text, page_map = read_document_files(out, task.doc_id)
    _, compiled = _compiled(task.codebook_path, task.retrieval, task.codebook_sha256)
    cache = Path(task.cache_dir) if task.cache_dir and task.pipeline else None
    detect = cached_mixed_parts(Path(task.cache_dir) if task.cache_dir else None)
    segmented, from_cache = cached_segmentation(
        cache,
        text,
        language_of(task.metadata.get("language"), compiled),
        pipeline=task.pipeline,
        model=task.model,
        blocks=read_document_blocks(out, task.doc_id),
        include_blocks=task.include_blocks,
        parts=detect(text, codebook_languages(compiled)),
    )
    matcher = matcher_for(segmented, compiled)
    seg = segmented.seg
    coded = code_matched(matcher, compiled, task.doc_id, task.explain)
    result = DocumentCoding(task.doc_id, pipeline=segmented.pipeline)
    result.segmented_from_cache = from_cache
    result.words = segmented.words
    result.beside = retrievals_beside(matcher, compiled, [s.segment for s in coded])
    result.retrieval_atoms = {
        str(atom): bool(matcher.prefetch(atom)) for atom in positive_atoms(compiled.retrieval)
    }
    dimensions = [dimension.id for dimension in compiled.dimensions]
    for segment in coded:
        result.segment_rows.append(_segment_row(task, seg, page_map, segment, dimensions, compiled))
        result.coding_rows += _coding_rows(segment, page_map, compiled)
        # A segment counts once per code, however many rules gave it.
        result.code_counts.update(
            list(dict.fromkeys(f"{c.dimension}:{c.code}" for c in segment.codings))
        )
        result.review += segment.review
        if task.explain:
            result.trace_lines.append(json.dumps(segment.to_dict(), ensure_ascii=False))
    return result


def retrievals_beside(
    matcher: Matcher, compiled: CompiledCodebook, segments: list[Segment]
) -> dict[str, tuple[int, int, int]]:
    """Per other retrieval of the codebook, over the same matcher (retrieved, not coded): its
    segments, how many of them share no sentence with ``segments`` (the run's), and how many of
    ``segments`` share no sentence with its segments."""
    from resdiscourse.retrieve import not_overlapping, retrieve

    book = compiled.codebook
    beside = {}
    for name, query in compiled.other_retrievals().items():
        found = retrieve(matcher, query, book.unit, book.window)
        beside[name] = (
            len(found),
            not_overlapping(found, segments),
            not_overlapping(segments, found),
        )
    return beside


def retrieval_record(facts: RetrievalFacts, results: list[DocumentCoding]) -> dict[str, Any]:
    """run.json's ``retrieval``: the one used (name, description, query) and, beside it, what
    each other retrieval of the codebook would retrieve over the same documents."""
    beside = {}
    for name, described in facts.others:
        counts = [r.beside[name] for r in results if name in r.beside]
        beside[name] = {
            **described,
            "segments": sum(count[0] for count in counts),
            "added": sum(count[1] for count in counts),
            "left_out": sum(count[2] for count in counts),
        }
    # How many coded documents hold each term or concept of the retrieval: why it found what it
    # did (the terms in the query's order, as each document recorded them).
    atoms = dict.fromkeys(atom for r in results for atom in r.retrieval_atoms)
    holding = {atom: sum(r.retrieval_atoms.get(atom, False) for r in results) for atom in atoms}
    return {"name": facts.name, **facts.used, "beside": beside, "documents_with": holding}


def _segment_row(
    task: CodingTask,
    seg: SegmentedText,
    page_map: PageMap,
    segment: CodedSegment,
    dimensions: list[str],
    compiled: CompiledCodebook,
) -> dict[str, str]:
    span = segment.segment
    before = seg.sentences[span.sentence_first - 1] if span.sentence_first > 0 else None
    if span.lead_in is not None:
        before = seg.sentences[span.lead_in]  # a list item's context is its list's lead-in
    after = seg.sentences[span.sentence_last] if span.sentence_last < len(seg.sentences) else None
    row = {
        "segment_id": segment.segment_id,
        "doc_id": segment.doc_id,
        **{key: task.metadata.get(key, "") for key in SEGMENT_METADATA},
        "unit": compiled.codebook.unit,
        "start": str(span.start),
        "end": str(span.end),
        "page": _page(page_map, span.start),
        "page_end": _page(page_map, span.end - 1),
        "page_label": page_map.label_at(span.start) or "",
        "text": segment.text,
        "context_before": seg.text[before.start : before.end][-CONTEXT_CHARS:] if before else "",
        "context_after": seg.text[after.start : after.end][:CONTEXT_CHARS] if after else "",
        "matched_terms": "; ".join(dict.fromkeys(item.text for item in segment.matched)),
        "review": REVIEW_YES if segment.review else REVIEW_NO,
        "review_reasons": "; ".join(segment.review_reasons),
    }
    for dimension in dimensions:
        row[dimension] = "; ".join(segment.codes(dimension))
    return row


def _page(page_map: PageMap, offset: int) -> str:
    page = page_map.page_at(offset)
    return "" if page is None else str(page)


def _coding_rows(
    segment: CodedSegment, page_map: PageMap, compiled: CompiledCodebook
) -> list[dict[str, str]]:
    labels = {(c.dimension, c.id): c.label for d in compiled.dimensions for c in d.codes}
    return [
        {
            "segment_id": segment.segment_id,
            "doc_id": segment.doc_id,
            "segment_start": str(segment.start),
            "segment_end": str(segment.end),
            "page": _page(page_map, segment.start),
            "dimension": coding.dimension,
            "code": coding.code,
            "code_label": labels[(coding.dimension, coding.code)],
            "rule": coding.rule_id,
            "strength": coding.strength,
            "evidence": ";".join(f"{e.start}-{e.end}" for e in coding.evidence),
            "evidence_text": " | ".join(e.text for e in coding.evidence),
            "evidence_terms": " | ".join(e.term for e in coding.evidence),
        }
        for coding in segment.codings
    ]


SEGMENT_COLUMNS = [
    "segment_id",
    "doc_id",
    *SEGMENT_METADATA,
    "unit",
    "start",
    "end",
    "page",
    "page_end",
    "page_label",
    "text",
    "context_before",
    "context_after",
]
#: After the dimension columns.
SEGMENT_END_COLUMNS = ["matched_terms", "review", "review_reasons"]
CODING_COLUMNS = [
    "segment_id",
    "doc_id",
    "segment_start",
    "segment_end",
    "page",
    "dimension",
    "code",
    "code_label",
    "rule",
    "strength",
    "evidence",
    "evidence_text",
    "evidence_terms",
]


@dataclass(frozen=True)
class TableOptions:
    """How the tables are written: CSV always (``excel``: with a byte-order mark), and also in
    ``format`` when that is xlsx, parquet or jsonl."""

    format: Format = "csv"
    excel: bool = False


def _write_outputs(
    out: Path,
    loaded: LoadedCodebook,
    ingest: IngestSummary,
    results: list[DocumentCoding],
    explain: bool,
    tables: TableOptions,
) -> None:
    dimensions = list(loaded.codebook.dimensions)
    by_id = {r.doc_id: r for r in results}
    documents = sorted(
        (_document_row(row, by_id.get(row["doc_id"]), loaded) for row in ingest.rows),
        key=lambda row: row["doc_id"],
    )
    document_columns = [
        *DOCUMENT_COLUMNS,
        *ingest.extra_columns,
        "words",
        "segments",
        "codings",
        *code_columns(loaded),
    ]
    contents = {
        "segments": (
            [*SEGMENT_COLUMNS, *dimensions, *SEGMENT_END_COLUMNS],
            [row for r in results for row in r.segment_rows],
        ),
        "codings": (CODING_COLUMNS, [row for r in results for row in r.coding_rows]),
        "documents": (document_columns, documents),
    }
    # Segment counts per code are numbers (the name alone does not say so).
    counts: dict[str, ColumnType] = {
        column: "Int64" for column in code_columns(loaded) if column.count(":") == 1
    }
    for name, (columns, rows) in contents.items():
        types = counts if name == "documents" else None
        write_table_set(
            out, name, columns, rows, format=tables.format, excel=tables.excel, types=types
        )
    trace = out / "trace.jsonl"
    if explain:
        lines = [line for r in results for line in r.trace_lines]
        write_atomic(trace, "".join(line + "\n" for line in lines).encode("utf-8"))
    else:
        trace.unlink(missing_ok=True)  # a trace of an earlier run would no longer match


def code_columns(loaded: LoadedCodebook) -> list[str]:
    """documents.csv count columns: ``dimension:code`` (segments with the code) and, for each
    absence code, ``dimension:code:document`` (yes when no segment of the document has any of the
    codes whose absence it records)."""
    columns: list[str] = []
    for dimension_id, dimension in loaded.codebook.dimensions.items():
        for code_id, code in dimension.codes.items():
            columns.append(f"{dimension_id}:{code_id}")
            if code.absent is not None:
                columns.append(f"{dimension_id}:{code_id}:document")
    return columns


def _document_row(
    row: dict[str, str], result: DocumentCoding | None, loaded: LoadedCodebook
) -> dict[str, str]:
    row = dict(row)
    if result is None:
        return row
    if result.problem is not None:
        item = result.problem
        row.update(status="error", code=item.code, message=f"{item.code} {item.message}")
        return row
    row["words"] = str(result.words)
    row["segments"] = str(len(result.segment_rows))
    row["codings"] = str(len(result.coding_rows))
    for dimension_id, dimension in loaded.codebook.dimensions.items():
        for code_id, code in dimension.codes.items():
            row[f"{dimension_id}:{code_id}"] = str(result.code_counts[f"{dimension_id}:{code_id}"])
            if code.absent is not None:
                present = any(result.code_counts[f"{dimension_id}:{c}"] for c in code.absent.of)
                document = "" if not result.segment_rows else "no" if present else "yes"
                row[f"{dimension_id}:{code_id}:document"] = document
    return row


def document_entries(ingest: IngestSummary, results: list[DocumentCoding]) -> list[dict[str, Any]]:
    """One entry per document of the corpus, failed ones included: how it was read and coded."""
    by_id = {r.doc_id: r for r in results}
    entries = []
    for row in ingest.rows:
        result = by_id.get(row["doc_id"])
        failure = result.problem if result else None
        entries.append(
            {
                "doc_id": row["doc_id"],
                "file": row["file"],
                "sha256": row["sha256"],
                "status": "error" if failure else row["status"],
                "code": failure.code if failure else row["code"],
                "language": row.get("language", ""),
                "language_source": row.get("language_source", ""),
                "language_confidence": _confidence(row.get("language_confidence", "")),
                "segments": len(result.segment_rows) if result else 0,
                "codings": len(result.coding_rows) if result else 0,
                "review": result.review if result else 0,
            }
        )
    return entries


def _confidence(cell: str) -> float | None:
    return float(cell) if cell else None


def _write_run(
    out: Path,
    corpus_dir: str | Path,
    loaded: LoadedCodebook,
    documents: list[dict[str, Any]],
    results: list[DocumentCoding],
    options: dict[str, Any],
    retrieval: dict[str, Any],
) -> None:
    run = {
        "resdiscourse": package_version(),
        "versions": {
            "python": platform.python_version(),
            "spacy": distribution_version("spacy"),
            "spacy-lookups-data": distribution_version("spacy-lookups-data"),
        },
        "corpus": Path(corpus_dir).resolve().name,
        "codebook": {
            "name": loaded.codebook.name,
            "version": loaded.codebook.version,
            # The file name only: no absolute paths in outputs.
            "source": Path(loaded.source).name,
            "sha256": loaded.sha256,
            "unit": loaded.codebook.unit,
            "window": loaded.codebook.window,
        },
        "retrieval": retrieval,
        "options": options,
        "pipelines": sorted({r.pipeline for r in results if r.pipeline}),
        "documents": documents,
        **completed_record(out),
    }
    _write_json(out / "run.json", run)


def _write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    write_atomic(path, text.encode("utf-8"))


def _summary(
    corpus_dir: str | Path,
    out: Path,
    loaded: LoadedCodebook,
    ingest: IngestSummary,
    results: list[DocumentCoding],
    documents: list[dict[str, Any]],
) -> CodeSummary:
    counts: Counter[str] = Counter()
    for result in results:
        counts.update(result.code_counts)
    problems = list(ingest.problems) + [r.problem for r in results if r.problem is not None]
    return CodeSummary(
        corpus=str(corpus_dir),
        out=str(out),
        codebook=loaded.codebook.name,
        codebook_version=loaded.codebook.version,
        codebook_sha256=loaded.sha256,
        ingest=ingest,
        documents=documents,
        segments=sum(len(r.segment_rows) for r in results),
        codings=sum(len(r.coding_rows) for r in results),
        review=sum(r.review for r in results),
        code_counts={key: counts[key] for key in code_columns(loaded) if key in counts},
        problems=problems,
    )
