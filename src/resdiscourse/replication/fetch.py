"""``fetch``: put a study's PDFs in a local folder and pin each one's sha256 (DESIGN §9).

Only http(s) addresses are downloaded, and only content that is a PDF is kept; everything else is
reported with instructions: where to get the document and the exact file name to save it as. The
first time a file is downloaded or found, its sha256 goes into ``PDFS/resdiscourse-lock.json``;
later runs check it. The study's manifest is never written to.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, Protocol
from urllib.parse import urlsplit

from resdiscourse import package_version
from resdiscourse.errors import UsageError
from resdiscourse.replication.studies import Study, load_study, study_from_manifest, study_names

Status = Literal["present", "downloaded", "unavailable", "no_url", "mismatch"]
STATUSES: tuple[Status, ...] = ("present", "downloaded", "unavailable", "no_url", "mismatch")
LOCK_NAME = "resdiscourse-lock.json"
LOCK_VERSION = 1
#: Larger than any policy report; stops a wrong address from filling the disk.
MAX_BYTES = 200 * 1024 * 1024
_CHUNK = 1 << 16
_SCHEMES = ("http", "https")
_HTML_ADVICE = "the URL gave an HTML page, not a PDF: download it by hand"


class Opener(Protocol):
    """What downloads a request: :class:`urllib.request.OpenerDirector`, or a test double."""

    def open(self, fullurl: urllib.request.Request, data: None = None, timeout: float = ...) -> Any:
        """A response with ``read(n)``, ``geturl()`` and ``headers``; a context manager."""


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
    lock_file: str
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


class _Unavailable(Exception):
    """A download that gave no PDF; the message says why."""


@dataclass(frozen=True)
class _Staged:
    """Content written to a temporary file beside its target, not yet renamed into place."""

    path: Path
    sha256: str
    size: int
    source: str  # "download" or "bundled"
    url: str = ""


def fetch_study(
    study: str | Path | Study,
    *,
    corpus_dir: str | Path = "pdfs",
    timeout: float = 30.0,
    opener: Opener | None = None,
) -> FetchSummary:
    """Download the study's missing PDFs into ``corpus_dir`` and check the present ones.

    ``study`` is a shipped study's name, a manifest file, or a :class:`Study`.
    """
    resolved = resolve_study(study)
    folder = Path(corpus_dir)
    _prepare_folder(folder)
    lock_path = folder / LOCK_NAME
    lock = read_lock(lock_path)
    run = _Run(resolved, folder, lock, timeout, opener or default_opener())
    documents = [run.fetch(row) for row in resolved.documents]
    if run.lock != lock:
        _write_lock(lock_path, run.lock)
    return FetchSummary(
        study=resolved.name,
        manifest=str(resolved.manifest),
        corpus_dir=str(folder),
        lock_file=str(lock_path),
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


def default_opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_HttpOnlyRedirects())


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) addresses only (urllib's default also follows ftp)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in _SCHEMES:
            detail = f"redirect to a non-http(s) address refused: {newurl}"
            raise urllib.error.HTTPError(newurl, code, detail, headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# --- the lock file --------------------------------------------------------------------------------


def read_lock(path: Path) -> dict[str, dict[str, Any]]:
    """The lock's entries by doc_id; none when there is no lock yet. A bad lock is E512."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError.of("E512", path=path, detail=str(error)) from None
    documents = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(documents, dict) or not all(
        isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
        for entry in documents.values()
    ):
        detail = "expected {'documents': {doc_id: {'file', 'sha256', 'size', 'url'}}}"
        raise UsageError.of("E512", path=path, detail=detail)
    return {str(key): dict(entry) for key, entry in documents.items()}


def _write_lock(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Sorted keys and no dates, so the same files always give the same bytes."""
    data = {"documents": entries, "generator": "resdiscourse fetch", "version": LOCK_VERSION}
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    staged = _stage([text.encode("utf-8")], path.parent, source="lock")
    os.replace(staged.path, path)


def _prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _folder_error(folder, error) from None


# --- one document ---------------------------------------------------------------------------------


@dataclass
class _Run:
    study: Study
    folder: Path
    lock: dict[str, dict[str, Any]]
    timeout: float
    opener: Opener

    def __post_init__(self) -> None:
        self.lock = {key: dict(value) for key, value in self.lock.items()}  # the caller's stays

    def fetch(self, row: dict[str, str]) -> FetchedDocument:
        file = row["file"]
        doc_id = row.get("doc_id") or Path(file).stem
        base = FetchedDocument(
            doc_id, file, row.get("url", ""), "unavailable", where=where_to_get(row, self.folder)
        )
        target = self.folder / file
        if not _inside(target, self.folder):
            return _with(base, detail="the file name leaves the PDF folder; fix the manifest")
        expected = self._expected(doc_id, file, row)
        if target.is_file():
            return self._present(base, target, expected)
        try:
            staged = self._stage_source(base, target)
        except _Unavailable as why:
            return _with(base, detail=str(why))
        if staged is None:
            return _with(base, status="no_url", detail="no address is recorded for it")
        return self._install(base, staged, target, expected)

    def _expected(self, doc_id: str, file: str, row: dict[str, str]) -> str:
        """The sha256 the file must have: the lock's, else one the manifest ships, else none."""
        entry = self.lock.get(doc_id)
        if entry and entry.get("file") == file:
            return str(entry["sha256"])
        return row.get("sha256", "").lower()

    def _present(self, base: FetchedDocument, target: Path, expected: str) -> FetchedDocument:
        digest, size = _hash_file(target)
        if expected and digest != expected:
            return _with(base, status="mismatch", sha256=digest, size=size, detail=_changed(self))
        if not expected or base.doc_id not in self.lock:
            self._record(base, digest, size, source="found", url="")
            return _with(
                base, status="present", sha256=digest, size=size, detail="recorded in the lock"
            )
        return _with(base, status="present", sha256=digest, size=size, detail="matches the lock")

    def _stage_source(self, base: FetchedDocument, target: Path) -> _Staged | None:
        """The document in a temporary file: copied from the bundled corpus, or downloaded."""
        bundled = self.study.corpus / base.file if self.study.corpus else None
        if bundled is not None and bundled.is_file():
            with bundled.open("rb") as source:
                return _stage(iter(lambda: source.read(_CHUNK), b""), target.parent, "bundled")
        if not base.url:
            return None
        return _download(base.url, target.parent, self.opener, self.timeout)

    def _install(
        self, base: FetchedDocument, staged: _Staged, target: Path, expected: str
    ) -> FetchedDocument:
        if expected and staged.sha256 != expected:
            staged.path.unlink(missing_ok=True)
            detail = "the address now gives a different file than the one locked: " + _changed(self)
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


def _changed(run: _Run) -> str:
    lock = run.folder / LOCK_NAME
    return (
        f"its sha256 differs from the one recorded in {lock}; put the original back, or delete "
        "its entry in the lock file to accept this version"
    )


def _inside(target: Path, folder: Path) -> bool:
    return target.resolve().is_relative_to(folder.resolve())


def where_to_get(row: dict[str, str], folder: Path) -> str:
    """How to get the document by hand: the addresses, then the exact file name to save it as."""
    parts = []
    if row.get("url"):
        parts.append(f"get it from {row['url']}")
    if row.get("item_page") and row.get("item_page") != row.get("url"):
        parts.append(f"or from the Council item page {row['item_page']}")
    if not row.get("url"):
        notes = row.get("notes") or f"search the web for its title, {row.get('title', '?')!r}"
        parts.append(f"no address is recorded; the manifest's notes: {notes}")
    if row.get("alternative_urls"):
        parts.append(f"copies seen elsewhere (check them): {row['alternative_urls']}")
    parts.append(f"save it as {folder / row['file']}")
    return "; ".join(parts)


# --- downloading ----------------------------------------------------------------------------------


def _download(url: str, folder: Path, opener: Opener, timeout: float) -> _Staged:
    """The PDF at ``url`` in a temporary file in ``folder``; :class:`_Unavailable` otherwise."""
    if urlsplit(url).scheme.lower() not in _SCHEMES:
        raise _Unavailable(f"not an http(s) address: {url}; download it by hand")
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": f"resdiscourse/{package_version()} (fetch of a study's documents)",
            "Accept": "application/pdf, */*;q=0.5",
        },
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            return _read_pdf(response, url, folder)
    except urllib.error.HTTPError as error:
        error.close()
        raise _Unavailable(f"HTTP {error.code} {error.reason} from {url}") from None
    except urllib.error.URLError as error:
        raise _Unavailable(f"cannot reach {url}: {error.reason}") from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise _Unavailable(f"download of {url} failed: {error or type(error).__name__}") from None


def _read_pdf(response: Any, url: str, folder: Path) -> _Staged:
    final = str(response.geturl() or url)
    if urlsplit(final).scheme.lower() not in _SCHEMES:
        raise _Unavailable(f"{url} led to a non-http(s) address: {final}")
    headers = getattr(response, "headers", None) or {}
    length = headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise _Unavailable(f"{url} is {int(length):,} bytes, over the {MAX_BYTES:,}-byte cap")
    first = response.read(_CHUNK)
    if not first.startswith(b"%PDF"):
        raise _Unavailable(_not_pdf(first, headers.get("Content-Type", "")))
    return _stage(_capped(first, response, url), folder, "download", url=final)


def _not_pdf(first: bytes, content_type: str) -> str:
    if "html" in content_type.lower() or first.lstrip().startswith(b"<"):
        return _HTML_ADVICE
    if not first:
        return "the URL gave an empty response, not a PDF: download it by hand"
    shown = content_type or "no Content-Type"
    return f"the URL did not give a PDF ({shown}): download it by hand"


def _capped(first: bytes, response: Any, url: str) -> Iterator[bytes]:
    """The response body, stopped with :class:`_Unavailable` past :data:`MAX_BYTES`."""
    total = len(first)
    yield first
    while chunk := response.read(_CHUNK):
        total += len(chunk)
        if total > MAX_BYTES:
            raise _Unavailable(f"{url} gave more than the {MAX_BYTES:,}-byte cap")
        yield chunk


def _stage(chunks: Iterable[bytes], folder: Path, source: str, url: str = "") -> _Staged:
    """``chunks`` in a hidden temporary file in ``folder`` (same disk: the rename is atomic).

    A folder that cannot be written is a usage error (E511); a source that fails while it is
    read raises its own error, after the temporary file is removed.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=".resdiscourse-", suffix=".part")
    except OSError as error:
        raise _folder_error(folder, error) from None
    path = Path(name)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                _write(out, chunk, folder)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return _Staged(path, digest.hexdigest(), size, source, url)


def _write(out: IO[bytes], chunk: bytes, folder: Path) -> None:
    try:
        out.write(chunk)
    except OSError as error:  # a full disk, not a failed download
        raise _folder_error(folder, error) from None


def _folder_error(folder: Path, error: OSError) -> UsageError:
    return UsageError.of("E511", path=folder, detail=error.strerror or str(error))


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
