"""Reading back the output folder of ``resdiscourse code``: what export, compare,
sample and report start from.

Segment texts are cut from ``texts/`` by their offsets rather than read from the CSV, where a
formula-like cell carries a leading ``'``: the offsets are the truth.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resdiscourse.codebook.load import CodebookError, LoadedCodebook, load_codebook
from resdiscourse.errors import Location, Problem, UsageError
from resdiscourse.ingest.corpus import CODABLE_STATUSES
from resdiscourse.ingest.outputs import (
    DOCUMENTS_CSV,
    csv_unsafe,
    read_document_blocks,
    read_document_files,
)
from resdiscourse.models import Block, PageMap
from resdiscourse.runfolder import CODEBOOK_FILE, REVIEW_NO, REVIEW_YES, check_run_record

#: The tables every reader reads (checked against run.json's sha256 before reading).
RUN_TABLES = [DOCUMENTS_CSV, "segments.csv", "codings.csv"]


@dataclass(frozen=True)
class CodeLabel:
    """A code of the run's codebook, in codebook order."""

    dimension: str
    code: str
    label: str
    definition: str

    @property
    def key(self) -> str:
        """``dimension:code``, the name a code has in our tables."""
        return f"{self.dimension}:{self.code}"


@dataclass
class CodeRun:
    """A ``resdiscourse code`` output folder, read: tables as rows of text, texts on demand."""

    folder: Path
    run: dict[str, Any]
    codebook: LoadedCodebook
    documents: list[dict[str, str]]
    segments: list[dict[str, str]]
    codings: list[dict[str, str]]
    #: Warnings about the folder itself (W220: written before run.json recorded completeness).
    problems: list[Problem] = field(default_factory=list)
    _texts: dict[str, tuple[str, PageMap]] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The corpus name the run recorded (the corpus folder's name)."""
        return str(self.run.get("corpus") or self.folder.name)

    def text(self, doc_id: str) -> str:
        return self._document(doc_id)[0]

    def page_map(self, doc_id: str) -> PageMap:
        return self._document(doc_id)[1]

    def blocks(self, doc_id: str) -> list[Block] | None:
        """The document's layout blocks, as the run segmented it (None: a text without layout)."""
        return read_document_blocks(self.folder, doc_id)

    @property
    def include_blocks(self) -> tuple[str, ...]:
        """The block kinds the run retrieved from although retrieval skips them by default."""
        return tuple(self.run.get("options", {}).get("include_blocks") or ())

    def _document(self, doc_id: str) -> tuple[str, PageMap]:
        if doc_id not in self._texts:
            self._texts[doc_id] = read_document_files(self.folder, doc_id)
        return self._texts[doc_id]

    def coded_documents(self) -> list[dict[str, str]]:
        """The documents that were coded (failed ones have no text: an empty texts/ file at
        most), by doc_id."""
        return [
            row
            for row in self.documents
            if row.get("status") in CODABLE_STATUSES
            and (self.folder / "texts" / f"{row['doc_id']}.txt").is_file()
        ]

    def codes(self) -> list[CodeLabel]:
        """Every code of the codebook, dimension by dimension, in the codebook's order."""
        return [
            CodeLabel(dimension_id, code_id, code.label or code_id, code.definition)
            for dimension_id, dimension in self.codebook.codebook.dimensions.items()
            for code_id, code in dimension.codes.items()
        ]

    def segment_codes(self) -> dict[str, list[str]]:
        """segment_id -> its ``dimension:code`` keys, each once, in codings.csv order."""
        found: dict[str, list[str]] = {row["segment_id"]: [] for row in self.segments}
        for row in self.codings:
            key = f"{row['dimension']}:{row['code']}"
            keys = found.setdefault(row["segment_id"], [])
            if key not in keys:
                keys.append(key)
        return found

    def review_segments(self) -> list[dict[str, str]]:
        """The segments a person should check (review=yes), in segments.csv order."""
        return [row for row in self.segments if needs_review(row)]


def needs_review(segment: dict[str, str]) -> bool:
    """Whether a segments.csv row has review=yes (docs/codebook.md, "Strength and review")."""
    return segment.get("review") == REVIEW_YES


def load_run(folder: str | Path) -> CodeRun:
    """Read a ``resdiscourse code`` output folder; raises :class:`UsageError` (E217) when
    ``folder`` is not one, E221 when its run did not finish, E222 when a table is not the one its
    run wrote. A folder written before segments.csv had ``review`` and ``review_reasons`` and
    codings.csv had ``strength`` reads as review=no and strength=strong; one written before
    run.json recorded completeness reads with a warning (W220, in ``problems``)."""
    path = Path(folder)
    run = _run_json(path)
    checked = check_run_record(path, run, [CODEBOOK_FILE, *RUN_TABLES])
    codebook = _codebook(path, run)
    documents = _read_rows(path, DOCUMENTS_CSV)
    segments = _read_rows(path, "segments.csv")
    codings = _read_rows(path, "codings.csv")
    loaded = CodeRun(path, run, codebook, documents, segments, codings, checked)
    for row in codings:  # a folder from before the column: strong
        row.setdefault("strength", "strong")
    for row in segments:  # a folder from before the columns: no review
        row.setdefault("review", REVIEW_NO)
        row.setdefault("review_reasons", "")
        start, end = int(row["start"]), int(row["end"])
        row["text"] = loaded.text(row["doc_id"])[start:end]
    return loaded


def _not_a_run(path: Path, detail: str) -> UsageError:
    return UsageError.of("E217", Location(file=str(path)), path=path, detail=detail)


def _run_json(path: Path) -> dict[str, Any]:
    if not path.is_dir():
        raise _not_a_run(path, "no such folder")
    try:
        data = json.loads((path / "run.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _not_a_run(path, "run.json is missing") from None
    except (OSError, ValueError) as error:
        raise _not_a_run(path, f"run.json cannot be read: {error}") from None
    if isinstance(data, dict) and data.get("complete") is False:
        raise UsageError.of("E221", Location(file=str(path / "run.json")), path=path)
    if not isinstance(data, dict) or "codebook" not in data:
        raise _not_a_run(path, "run.json has no codebook entry")
    return data


def _codebook(path: Path, run: dict[str, Any]) -> LoadedCodebook:
    """The run's own copy of its codebook; for a folder written before that copy existed, the
    shipped codebook of the same name and version (``name@version``, an archived version too)
    when its sha256 is the one the run recorded."""
    recorded = run["codebook"]
    candidates: list[str | Path] = [path / CODEBOOK_FILE]
    if not (path / CODEBOOK_FILE).is_file():
        name, version = str(recorded.get("name", "")), recorded.get("version")
        candidates = [f"{name}@{version}" if version else name]
    try:
        loaded = load_codebook(candidates[0])
    except CodebookError as error:
        raise _not_a_run(path, f"its codebook does not load: {error.problem.message}") from None
    if loaded.sha256 != recorded.get("sha256"):
        raise _not_a_run(path, f"{CODEBOOK_FILE} is not the codebook the run used (sha256 differs)")
    return loaded


def _read_rows(path: Path, name: str) -> list[dict[str, str]]:
    try:
        with (path / name).open(encoding="utf-8-sig", newline="") as handle:
            return [
                {k: csv_unsafe(v or "") for k, v in row.items()} for row in csv.DictReader(handle)
            ]
    except FileNotFoundError:
        raise _not_a_run(path, f"{name} is missing") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise _not_a_run(path, f"{name} cannot be read: {error}") from None
