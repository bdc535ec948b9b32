"""``fetch``: put a study's PDFs in a local folder and pin each one's sha256.

Only http(s) addresses are downloaded, and only content that is a PDF is kept; everything else is
reported with instructions: where to get the document and the exact file name to save it as. The
first time a file is downloaded or found, its sha256 goes into ``PDFS/resdiscourse-lock.json``;
later runs check it (and a ``sha256`` the manifest ships). The study's manifest is never written to.

This module decides, document by document, what to do; the parts live beside it: ``lock.py``
(the lock file and the sha256 checks), ``names.py`` (the file names fetch saves under),
``download.py`` (one download) and ``addresses.py`` (where to get a document by hand).

Public helpers for other commands (``replicate``): :func:`check_present` (one present file
against the lock and the manifest, with fetch's rules), and from the modules beside it
:func:`~resdiscourse.replication.lock.lock_path`, :func:`~resdiscourse.replication.lock.read_lock`,
:func:`~resdiscourse.replication.names.file_name_problem`,
:func:`~resdiscourse.replication.names.manifest_problems` and
:func:`~resdiscourse.replication.addresses.where_to_get`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from resdiscourse.errors import UsageError
from resdiscourse.replication.addresses import where_to_get
from resdiscourse.replication.download import (
    CHUNK,
    Opener,
    Staged,
    Unavailable,
    default_opener,
    download,
    folder_error,
    stage,
    total_limit,
)
from resdiscourse.replication.lock import (
    LOCK_NAME,
    NOTHING_EXPECTED,
    Expected,
    doc_id_of,
    hash_file,
    lock_path,
    matches,
    mismatch,
    read_lock,
    write_lock,
)
from resdiscourse.replication.names import file_name_problem, manifest_problems
from resdiscourse.replication.studies import Study, load_study, study_from_manifest, study_names

Status = Literal["present", "downloaded", "unavailable", "no_url", "mismatch"]
STATUSES: tuple[Status, ...] = ("present", "downloaded", "unavailable", "no_url", "mismatch")


@dataclass(frozen=True)
class FetchedDocument:
    """One document's outcome; ``where`` says how to get it by hand whatever the status."""

    doc_id: str
    file: str
    url: str
    status: Status
    sha256: str = ""
    size: int = 0
    detail: str = ""
    where: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FetchSummary:
    study: str
    manifest: str
    corpus_dir: str
    #: The lock file, or None when there is none: no document was downloaded or found yet.
    lock_file: str | None
    documents: list[FetchedDocument] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {status: sum(d.status == status for d in self.documents) for status in STATUSES}

    @property
    def exit_code(self) -> int:
        """0 when every document is in the folder (and matches the lock), else 1."""
        ok = all(d.status in ("present", "downloaded") for d in self.documents)
        return 0 if ok else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "manifest": self.manifest,
            "corpus_dir": self.corpus_dir,
            "lock_file": self.lock_file,
            "counts": self.counts,
            "exit_code": self.exit_code,
            "documents": [document.to_dict() for document in self.documents],
        }


def fetch_study(
    study: str | Path | Study,
    *,
    corpus_dir: str | Path = "pdfs",
    timeout: float = 30.0,
    total: float | None = None,
    opener: Opener | None = None,
) -> FetchSummary:
    """Download the study's missing PDFs into ``corpus_dir`` and check the present ones.

    ``study`` is a shipped study's name, a manifest file, or a :class:`Study`. ``timeout`` bounds
    each network read; ``total`` the whole download of one document (default
    :func:`total_limit` of ``timeout``). A manifest naming a file fetch cannot save (see
    :func:`manifest_problems`) is a usage error (E513), before anything is downloaded.
    """
    resolved = resolve_study(study)
    problems = manifest_problems(resolved.documents)
    if problems:
        raise UsageError.of(
            "E513",
            manifest=resolved.manifest,
            count=len(problems),
            detail="; ".join(problems),
            lock=LOCK_NAME,
        )
    folder = Path(corpus_dir)
    _prepare_folder(folder)
    lock_file = lock_path(folder)
    lock = read_lock(lock_file)
    limit = total_limit(timeout) if total is None else total
    run = _Run(resolved, folder, lock, timeout, limit, opener or default_opener())
    documents = [run.fetch(row) for row in resolved.documents]
    if run.lock != lock:
        write_lock(lock_file, run.lock)
    return FetchSummary(
        study=resolved.name,
        manifest=str(resolved.manifest),
        corpus_dir=str(folder),
        lock_file=str(lock_file) if lock_file.is_file() else None,
        documents=documents,
    )


def resolve_study(study: str | Path | Study) -> Study:
    """A :class:`Study` from a shipped study's name or a manifest's path."""
    if isinstance(study, Study):
        return study
    if isinstance(study, str) and study in study_names():
        return load_study(study)
    path = Path(study)
    if path.is_file():
        return study_from_manifest(path)
    return load_study(str(study))  # E510, listing the shipped studies


def _prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise folder_error(folder, error) from None


@dataclass(frozen=True)
class _CheckResult:
    status: str  # present, mismatch, missing or refused
    detail: str
    sha256: str = ""
    size: int = 0
    expected: Expected = NOTHING_EXPECTED

    @property
    def status_detail(self) -> tuple[str, str]:
        return self.status, self.detail


def check_present(
    row: Mapping[str, str], folder: str | Path, lock: Mapping[str, Mapping[str, Any]]
) -> tuple[str, str]:
    """Check one manifest row's file in ``folder`` with fetch's rules; (status, detail).

    ``lock`` is :func:`read_lock` of :func:`lock_path` ``(folder)``. The file must have the
    sha256 the lock records for it (when the lock's entry for the row's doc_id names this file)
    and the sha256 the manifest ships (when it ships one). The status is

    - ``"present"``: the file is there and matches; the detail says against what ("matches the
      lock", "matches the manifest's sha256", both, or "not in the lock yet");
    - ``"mismatch"``: the file is there but its sha256 differs; the detail names the hash it
      differs from (the lock's or the manifest's) and what to do;
    - ``"missing"``: no such file in ``folder``;
    - ``"refused"``: fetch would not save a document under the row's file name
      (:func:`file_name_problem`), or the file is a link leading out of ``folder``.

    Nothing is written (fetch records a file found "not in the lock yet"). Rows naming the same
    file as another row are found by :func:`manifest_problems`, not here.
    """
    return _check(row, Path(folder), lock).status_detail


def _check(
    row: Mapping[str, str], folder: Path, lock: Mapping[str, Mapping[str, Any]]
) -> _CheckResult:
    file = str(row.get("file", ""))
    why = file_name_problem(file)
    if why:
        return _CheckResult("refused", f"the file name {file!r} {why}; fix the manifest")
    target = folder / file
    if not target.is_file():
        return _CheckResult("missing", f"{target} is not there")
    if not _inside(target, folder):
        return _CheckResult("refused", "the file leads out of the PDF folder (a link?)")
    expected = Expected.of(row, lock)
    digest, size = hash_file(target)
    against, why = mismatch(digest, expected, lock_path(folder))
    if against:
        return _CheckResult("mismatch", why, digest, size, expected)
    return _CheckResult("present", matches(expected), digest, size, expected)


# --- one document ---------------------------------------------------------------------------------


@dataclass
class _Run:
    study: Study
    folder: Path
    lock: dict[str, dict[str, Any]]
    timeout: float
    total: float
    opener: Opener

    def __post_init__(self) -> None:
        self.lock = {key: dict(value) for key, value in self.lock.items()}  # the caller's stays

    def fetch(self, row: dict[str, str]) -> FetchedDocument:
        file = row["file"]
        doc_id = doc_id_of(row)
        base = FetchedDocument(
            doc_id, file, row.get("url", ""), "unavailable", where=where_to_get(row, self.folder)
        )
        check = _check(row, self.folder, self.lock)
        if check.status == "refused":  # manifest_problems() refused the manifest before
            return _with(base, detail=check.detail)
        if check.status == "mismatch":
            return _with(
                base, status="mismatch", sha256=check.sha256, size=check.size, detail=check.detail
            )
        if check.status == "present":
            detail = check.detail
            if not check.expected.lock:
                self._record(base, check.sha256, check.size, source="found", url="")
                detail = "recorded in the lock"
                if check.expected.manifest:
                    detail = "matches the manifest's sha256; recorded in the lock"
            return _with(
                base, status="present", sha256=check.sha256, size=check.size, detail=detail
            )
        target = self.folder / file
        try:
            staged = self._stage_source(base, target)
        except Unavailable as why:
            return _with(base, detail=str(why))
        if staged is None:
            return _with(base, status="no_url", detail="no address is recorded for it")
        return self._install(base, staged, target, Expected.of(row, self.lock))

    def _stage_source(self, base: FetchedDocument, target: Path) -> Staged | None:
        """The document in a temporary file: copied from the bundled corpus, or downloaded."""
        bundled = self.study.corpus / base.file if self.study.corpus else None
        if bundled is not None and bundled.is_file():
            with bundled.open("rb") as source:
                return stage(iter(lambda: source.read(CHUNK), b""), target.parent, "bundled")
        if not base.url:
            return None
        return download(base.url, target.parent, self.opener, self.timeout, self.total)

    def _install(
        self, base: FetchedDocument, staged: Staged, target: Path, expected: Expected
    ) -> FetchedDocument:
        against, why = mismatch(staged.sha256, expected, lock_path(self.folder))
        if against:
            staged.path.unlink(missing_ok=True)
            source = "the bundled corpus has" if staged.source == "bundled" else "the address"
            if against == "lock":
                source += " now gives" if staged.source != "bundled" else ""
                detail = f"{source} a different file than the one locked: {why}"
            else:
                source += " gives" if staged.source != "bundled" else ""
                detail = f"{source} a different file than the one the manifest names: {why}"
            return _with(base, status="mismatch", sha256=staged.sha256, detail=detail)
        os.replace(staged.path, target)
        self._record(base, staged.sha256, staged.size, source=staged.source, url=staged.url)
        detail = (
            "copied from the bundled corpus"
            if staged.source == "bundled"
            else f"downloaded from {staged.url}"
        )
        return _with(
            base, status="downloaded", sha256=staged.sha256, size=staged.size, detail=detail
        )

    def _record(self, base: FetchedDocument, digest: str, size: int, source: str, url: str) -> None:
        entry = {"file": base.file, "sha256": digest, "size": size, "source": source, "url": url}
        self.lock[base.doc_id] = entry


def _with(base: FetchedDocument, **changes: Any) -> FetchedDocument:
    return FetchedDocument(**{**asdict(base), **changes})


def _inside(target: Path, folder: Path) -> bool:
    return target.resolve().is_relative_to(folder.resolve())
