"""Ingest a corpus folder: every document → texts/, pages/ and a row of documents.csv.

A document that fails gets its row with the error code, and the batch goes on. Results
are written in doc_id order whatever the number of worker processes, so outputs are byte-identical
between runs and between ``jobs`` settings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from resdiscourse.cache import resolve_cache_dir
from resdiscourse.errors import Location, Problem, ResdiscourseError, UsageError, problem
from resdiscourse.executors import Executor
from resdiscourse.ingest.cache import (
    ReadOptions,
    cache_key,
    cached_text_language,
    file_sha256,
    load_cached,
    store_cached,
)
from resdiscourse.ingest.manifest import Manifest, load_manifest
from resdiscourse.ingest.metadata import document_metadata, language_source
from resdiscourse.ingest.outputs import remove_stale, write_document_files, write_documents_csv
from resdiscourse.ingest.parallel import run_in_processes
from resdiscourse.ingest.pdf import check_options
from resdiscourse.ingest.plan import PlannedDocument, plan_corpus
from resdiscourse.ingest.reader import read_document
from resdiscourse.models import DOCUMENT_COLUMNS, Document, ExtractedText
from resdiscourse.runfolder import is_tool_folder, make_output_folder, out_folder

#: ``progress(done, total, doc_id)``, called after each document.
Progress = Callable[[int, int, str], None]
#: Statuses of documents whose text later stages can use.
CODABLE_STATUSES = frozenset({"ok", "warning"})


@dataclass(frozen=True)
class DocumentResult:
    """How one document went: its status, first code, whether it came from the cache, problems."""

    doc_id: str
    file: str
    status: str
    code: str
    cached: bool
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Without the problems: the summary lists those once, with their locations."""
        keys = ("doc_id", "file", "status", "code", "cached")
        return {key: getattr(self, key) for key in keys}


@dataclass
class IngestSummary:
    """What an ingest did; ``to_dict()`` is the CLI's ``--json`` output."""

    corpus: str
    out: str
    documents: list[DocumentResult]  # sorted by doc_id
    ok: int
    warning: int
    needs_ocr: int
    error: int
    cached: int
    skipped: list[str] = field(default_factory=list)
    #: Folders inside the corpus that the walk did not enter: outputs of resdiscourse (W221).
    skipped_folders: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: The rows of documents.csv and the manifest's extra columns (for commands that extend it).
    rows: list[dict[str, str]] = field(default_factory=list, repr=False)
    extra_columns: list[str] = field(default_factory=list, repr=False)

    @property
    def exit_code(self) -> int:
        """0 when every document was read, 1 when some failed or need OCR."""
        return 1 if self.error or self.needs_ocr else 0

    def to_dict(self) -> dict[str, Any]:
        hidden = ("rows", "extra_columns")
        data = {
            name: getattr(self, name) for name in self.__dataclass_fields__ if name not in hidden
        }
        data["documents"] = [document.to_dict() for document in self.documents]
        data["problems"] = [item.to_dict() for item in self.problems]
        data["exit_code"] = self.exit_code
        return data


@dataclass(frozen=True)
class DocumentTask:
    """Everything a worker process needs to ingest one document (picklable)."""

    planned: PlannedDocument
    corpus: str
    out: str
    options: ReadOptions
    use_cache: bool
    manifest: str  # the manifest's file name, for locations
    cache_dir: str = ""  # the cache folder (resdiscourse.cache), shared by every run


@dataclass(frozen=True)
class DocumentOutcome:
    """What a worker hands back: the result and the CSV row (the text itself is on disk)."""

    result: DocumentResult
    row: dict[str, str]
    usage: Problem | None = None  # a usage error (bad option) that must stop the whole run

    @property
    def doc_id(self) -> str:
        return self.result.doc_id

    @classmethod
    def stop(cls, task: DocumentTask, usage: Problem) -> DocumentOutcome:
        planned = task.planned
        return cls(
            DocumentResult(planned.doc_id, planned.file, "error", usage.code, False), {}, usage
        )


def ingest_corpus(
    corpus_dir: str | Path,
    *,
    out: str | Path,
    jobs: int = 1,
    engine: str = "auto",
    password: str | None = None,
    ocr: bool = False,
    progress: Progress | None = None,
    use_cache: bool = True,
    manifest: Manifest | None = None,
    listed_only: bool = False,
    cache_dir: str | Path | None = None,
    executor: Executor | None = None,
) -> IngestSummary:
    """Ingest every document under ``corpus_dir`` into ``out``; ``manifest`` replaces the
    corpus folder's own manifest (a study's manifest for a folder of downloaded PDFs), and
    ``listed_only`` leaves out (as skipped) the files it does not list. Texts already read are
    taken from the cache in ``cache_dir`` (default: :func:`resdiscourse.cache.default_cache_dir`)
    unless ``use_cache`` is false. ``executor`` runs the documents (default: ``jobs`` worker
    processes; :mod:`resdiscourse.executors`).

    Raises :class:`UsageError` for a corpus that is not a folder (E202) or is an output folder of
    resdiscourse (E220), a bad manifest (E203, E206), an unusable output folder (E207) or a
    folder without documents (E205). Output folders of resdiscourse inside the corpus are not
    read (W221 names them).
    """
    check_options(engine, None)
    corpus, out_dir = Path(corpus_dir), out_folder(out, Path(out))
    check_corpus(corpus)
    _prepare_out(corpus, out_dir)
    manifest = manifest or load_manifest(corpus)
    plan = plan_corpus(corpus, manifest, exclude=out_dir, listed_only=listed_only)
    if not plan.documents:
        raise UsageError.of("E205", Location(file=str(corpus)), path=str(corpus))
    options = ReadOptions(engine=engine, password=password, ocr=ocr)
    manifest_name = manifest.name if manifest else ""
    cache = str(resolve_cache_dir(cache_dir))
    tasks = [
        DocumentTask(planned, str(corpus), str(out_dir), options, use_cache, manifest_name, cache)
        for planned in plan.documents
    ]
    executor = executor or Executor(jobs=jobs)
    outcomes = sorted(_run(tasks, executor, progress), key=lambda outcome: outcome.doc_id)
    extra = manifest.extra_columns if manifest else []
    _write_index(out_dir, outcomes, extra)
    summary = _summary(corpus, out_dir, outcomes, list(plan.skipped))
    # The folders this run writes into are no news; earlier runs' folders are.
    target = out_dir.resolve()
    others = [f for f in plan.tool_folders if not target.is_relative_to((corpus / f).resolve())]
    if others:
        summary.skipped_folders = others
        where = Location(file=str(corpus))
        summary.problems.append(problem("W221", where, count=len(others), names=", ".join(others)))
    summary.rows = [outcome.row for outcome in outcomes]
    summary.extra_columns = list(extra)
    return summary


def default_out(corpus_dir: str | Path) -> Path:
    """``resdiscourse-out/<corpus folder name>/`` under the current folder."""
    return Path("resdiscourse-out") / (Path(corpus_dir).resolve().name or "corpus")


def _prepare_out(corpus: Path, out: Path) -> None:
    check_out_folder(corpus, out)
    try:
        make_output_folder(out)
    except OSError as error:
        detail = error.strerror or str(error)
        raise UsageError.of("E207", Location(file=str(out)), path=str(out), detail=detail) from None


def check_corpus(corpus: Path) -> None:
    """Raise E202 when ``corpus`` is not a folder, E220 when it is an output folder of ours."""
    if not corpus.is_dir():
        raise UsageError.of("E202", Location(file=str(corpus)), path=str(corpus))
    if is_tool_folder(corpus):
        raise UsageError.of("E220", Location(file=str(corpus)), path=str(corpus))


def check_out_folder(corpus: Path, out: Path) -> None:
    """Raise E207 for an output folder that is the corpus, holds it, or is (or holds) the current
    folder (``--out ""`` or ``--out .``): a run replaces its folder, and the marker in it would
    hide the corpus from later runs."""
    where, target = Location(file=str(out)), out.resolve()
    detail = ""
    if target == corpus.resolve():
        detail = "it is the corpus folder itself"
    elif corpus.resolve().is_relative_to(target):
        detail = "it holds the corpus folder"
    elif Path.cwd().resolve().is_relative_to(target):
        detail = "it is the current folder (or holds it); give a new or empty folder"
    if detail:
        raise UsageError.of("E207", where, path=str(out) or '""', detail=detail)


def _write_index(out: Path, outcomes: list[DocumentOutcome], extra: list[str]) -> None:
    try:
        write_documents_csv(out, [outcome.row for outcome in outcomes], extra)
        remove_stale(out, [outcome.doc_id for outcome in outcomes])
    except OSError as error:
        detail = error.strerror or str(error)
        raise UsageError.of("E207", Location(file=str(out)), path=str(out), detail=detail) from None


def _run(
    tasks: list[DocumentTask], executor: Executor, progress: Progress | None
) -> list[DocumentOutcome]:
    outcomes: dict[int, DocumentOutcome] = {}

    def finish(index: int, outcome: DocumentOutcome) -> None:
        if outcome.usage is not None:
            raise UsageError(outcome.usage)
        outcomes[index] = outcome
        if progress is not None:
            progress(len(outcomes), len(tasks), outcome.doc_id)

    executor.run(ingest_document, tasks, finish, lambda i: crashed(tasks[i]), run_in_processes)
    return [outcomes[index] for index in sorted(outcomes)]


def ingest_document(task: DocumentTask) -> DocumentOutcome:
    """Read one document (or take it from the cache) and write its text and page map.

    This is the worker function: module-level so that spawned processes can import it. An
    unexpected exception becomes an E113 error row instead of stopping the batch.
    """
    cached = False
    try:
        document, cached = build_document(task)
    except ResdiscourseError as error:
        if error.problem.code.startswith("E2"):  # a bad option: the same for every document
            return DocumentOutcome.stop(task, error.problem)
        document = failed_document(task, error.problem)
    except OSError as error:  # unreadable (permissions, vanished since the walk)
        detail = error.strerror or str(error)
        document = failed_document(task, problem("E112", _location(task), detail=detail))
    except Exception as error:  # a bug must cost one document, not the batch
        detail = f"{type(error).__name__}: {error}"
        document = failed_document(task, problem("E113", _location(task), detail=detail))
    return _written(task, document, cached)


def crashed(task: DocumentTask) -> DocumentOutcome:
    """The outcome of a document whose worker process died while reading it."""
    detail = "the reading process stopped unexpectedly (crashed or ran out of memory)"
    document = failed_document(task, problem("E113", _location(task), detail=detail))
    return _written(task, document, cached=False)


def build_document(task: DocumentTask) -> tuple[Document, bool]:
    """The Document of one planned file, and whether its text came from the cache."""
    planned = task.planned
    manifest_fields = planned.row.fields if planned.row else {}
    if not planned.exists:
        return failed_document(task, problem("E100", _location(task), file=planned.file)), False
    path = Path(task.corpus) / planned.file
    sha256 = file_sha256(path)
    extracted, cached = _extract(path, sha256, task)
    metadata = document_metadata(manifest_fields, extracted.metadata, planned.file)
    source = language_source(manifest_fields, extracted.metadata)
    # Without a language from the manifest or the file, the detected one.
    cache_dir = Path(task.cache_dir) if task.use_cache else None
    found = cached_text_language(cache_dir, extracted.text, metadata.get("language", ""))
    parts = found.parts
    if not metadata.get("language") and found.language:
        metadata["language"], source = found.language, "detected"
    mixed = len({part.language for part in parts}) > 1
    others = [
        (p.start, p.end, p.language) for p in parts if mixed and p.language != metadata["language"]
    ]
    document = Document(
        doc_id=planned.doc_id,
        file=planned.file,
        sha256=sha256,
        metadata=metadata,
        text=extracted.text,
        page_map=extracted.page_map,
        blocks=extracted.blocks,
        pages=extracted.pages,
        engine=extracted.engine,
        problems=[*(_relocated(p, planned.file) for p in extracted.problems), *_row_problems(task)],
        languages=others,
        language_source=source,
        language_confidence=found.confidence,
    )
    return document, cached


def failed_document(task: DocumentTask, failure: Problem) -> Document:
    """A document with no text and one error, keeping its manifest metadata and row warnings."""
    planned = task.planned
    path = Path(task.corpus) / planned.file
    manifest_fields = planned.row.fields if planned.row else {}
    return Document(
        doc_id=planned.doc_id,
        file=planned.file,
        sha256=_sha256_or_empty(path) if planned.exists else "",
        metadata=document_metadata(manifest_fields, {}, planned.file),
        problems=[_relocated(failure, planned.file), *_row_problems(task)],
        language_source=language_source(manifest_fields, {}),
    )


def _extract(path: Path, sha256: str, task: DocumentTask) -> tuple[ExtractedText, bool]:
    cache_dir = Path(task.cache_dir)
    key = cache_key(sha256, path.suffix, task.options)
    if task.use_cache:
        hit = load_cached(cache_dir, key)
        if hit is not None:
            return hit, True
    options = task.options
    result = read_document(path, engine=options.engine, password=options.password, ocr=options.ocr)
    if task.use_cache:
        store_cached(cache_dir, key, result)  # the cache only saves time: never an error
    return result, False


def _row_problems(task: DocumentTask) -> list[Problem]:
    """The manifest's warnings for this document, and W106 when the file it names is missing."""
    row = task.planned.row
    if row is None:
        return []
    found: list[Problem] = list(row.problems)
    if not task.planned.exists:
        where = Location(file=task.manifest, line=row.line)
        found.append(problem("W106", where, doc_id=task.planned.doc_id, file=row.file))
    return found


def _written(task: DocumentTask, document: Document, cached: bool) -> DocumentOutcome:
    try:
        write_document_files(Path(task.out), document)
    except OSError as error:
        detail = error.strerror or str(error)
        usage = problem("E207", Location(file=task.out), path=task.out, detail=detail)
        return DocumentOutcome.stop(task, usage)
    extra = {k: v for k, v in document.metadata.items() if k not in DOCUMENT_COLUMNS}
    row = {**extra, **document.row()}
    result = DocumentResult(
        document.doc_id, document.file, document.status, row["code"], cached, document.problems
    )
    return DocumentOutcome(result, row)


def _location(task: DocumentTask) -> Location:
    return Location(file=task.planned.file)


def _relocated(item: Problem, file: str) -> Problem:
    """Locations relative to the corpus: no absolute paths in outputs, and cache hits match."""
    return replace(item, location=replace(item.location, file=file))


def _sha256_or_empty(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError:
        return ""


def _summary(
    corpus: Path, out: Path, outcomes: list[DocumentOutcome], skipped: list[str]
) -> IngestSummary:
    documents = [outcome.result for outcome in outcomes]
    counts = Counter(document.status for document in documents)
    return IngestSummary(
        corpus=str(corpus),
        out=str(out),
        documents=documents,
        ok=counts["ok"],
        warning=counts["warning"],
        needs_ocr=counts["needs_ocr"],
        error=counts["error"],
        cached=sum(document.cached for document in documents),
        skipped=skipped,
        problems=[item for document in documents for item in document.problems],
    )
