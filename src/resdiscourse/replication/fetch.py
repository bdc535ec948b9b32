"""``fetch``: put a study's PDFs in a local folder and pin each one's sha256 (DESIGN §9).

Only http(s) addresses are downloaded, and only content that is a PDF is kept; everything else is
reported with instructions: where to get the document and the exact file name to save it as. The
first time a file is downloaded or found, its sha256 goes into ``PDFS/resdiscourse-lock.json``;
later runs check it (and a ``sha256`` the manifest ships). The study's manifest is never written to.

Public helpers for other commands (``replicate``): :func:`lock_path`, :func:`read_lock`,
:func:`check_present` (one present file against the lock and the manifest, with fetch's rules),
:func:`file_name_problem` and :func:`manifest_problems` (the file names fetch refuses), and
:func:`where_to_get`.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import itertools
import json
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, Protocol
from urllib.parse import urlsplit

from resdiscourse.errors import UsageError
from resdiscourse.replication.studies import Study, load_study, study_from_manifest, study_names
from resdiscourse.version import package_version

Status = Literal["present", "downloaded", "unavailable", "no_url", "mismatch"]
STATUSES: tuple[Status, ...] = ("present", "downloaded", "unavailable", "no_url", "mismatch")
LOCK_NAME = "resdiscourse-lock.json"
LOCK_VERSION = 1
#: Larger than any policy report; stops a wrong address from filling the disk.
MAX_BYTES = 200 * 1024 * 1024
#: ``--timeout`` bounds each network read; the whole download of one document may last at most
#: :func:`total_limit` seconds, so a server that trickles bytes cannot keep fetch going forever.
MIN_TOTAL_SECONDS = 300.0
TOTAL_FACTOR = 10
_CHUNK = 1 << 16
_HEAD = 1024  # bytes gathered before deciding whether a download is a PDF
_SHA256 = re.compile(r"[0-9a-f]{64}")
#: A City of Toronto Council item page at its old address (still cited) and at its current one.
_ITEM_PAGES = (
    re.compile(
        r"https?://(?:www\.)?app\.toronto\.ca/tmmis/viewAgendaItemHistory\.do\?item=([^&#\s]+)"
    ),
    re.compile(r"https?://(?:www\.)?secure\.toronto\.ca/council/agenda-item\.do\?item=([^&#\s]+)"),
)
OLD_ITEM_PAGE = "https://app.toronto.ca/tmmis/viewAgendaItemHistory.do?item="
NEW_ITEM_PAGE = "https://secure.toronto.ca/council/agenda-item.do?item="
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
        _write_lock(lock_file, run.lock)
    return FetchSummary(
        study=resolved.name,
        manifest=str(resolved.manifest),
        corpus_dir=str(folder),
        lock_file=str(lock_file) if lock_file.is_file() else None,
        documents=documents,
    )


def total_limit(timeout: float) -> float:
    """The longest one download may take, in seconds: ``TOTAL_FACTOR`` reads' worth of
    ``timeout``, and never less than ``MIN_TOTAL_SECONDS`` (a large PDF on a slow line)."""
    return max(timeout * TOTAL_FACTOR, MIN_TOTAL_SECONDS)


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


def lock_path(folder: str | Path) -> Path:
    """The lock file of the PDF folder ``folder``: ``folder/resdiscourse-lock.json``."""
    return Path(folder) / LOCK_NAME


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


# --- file names and hashes -----------------------------------------------------------------------


def file_name_problem(file: str) -> str:
    """Why fetch refuses to save a document as ``file`` (in the PDF folder), or "" when it may.

    A document is saved under a plain file name ending in ``.pdf``: no folder part, not hidden,
    no control characters, and never the lock file's name.
    """
    if not file:
        return "no file name is given"
    if file.casefold() == LOCK_NAME.casefold():
        return f"is the lock file's name ({LOCK_NAME}), which fetch writes"
    if "/" in file or "\\" in file:
        return "is not a plain file name (it names a folder); save the documents side by side"
    if file.startswith("."):
        return "is a hidden file name (it starts with '.')"
    if any(ord(char) < 32 or ord(char) == 127 for char in file):
        return "contains control characters"
    if not file.lower().endswith(".pdf") or len(file) <= len(".pdf"):
        return "does not end in .pdf"
    return ""


def manifest_problems(rows: Iterable[Mapping[str, str]]) -> list[str]:
    """Why fetch refuses the rows, one line per refused row; empty when it accepts them all.

    A row is refused when :func:`file_name_problem` refuses its ``file``; when another row
    already names the same file (ignoring letter case: some file systems do) or the same doc_id
    (the lock's key); or when its ``sha256`` is not 64 hexadecimal digits.
    """
    problems: list[str] = []
    files: dict[str, str] = {}  # file (case folded) -> the first doc_id naming it
    ids: dict[str, str] = {}  # doc_id (case folded) -> the first file it names
    for row in rows:
        file = str(row.get("file", ""))
        doc_id = _doc_id(row)
        why = file_name_problem(file)
        if why:
            problems.append(f"{doc_id!r}: file {file!r} {why}")
            continue
        if file.casefold() in files:
            first = files[file.casefold()]
            problems.append(f"{doc_id!r}: file {file!r} is already named by {first!r}")
            continue
        if doc_id.casefold() in ids:
            earlier = ids[doc_id.casefold()]
            problems.append(f"{doc_id!r}: the doc_id is already used by the file {earlier!r}")
            continue
        files[file.casefold()] = doc_id
        ids[doc_id.casefold()] = file
        digest = str(row.get("sha256", "")).strip().lower()
        if digest and not _SHA256.fullmatch(digest):
            problems.append(
                f"{doc_id!r}: sha256 {row.get('sha256')!r} is not 64 hexadecimal digits"
            )
    return problems


def _doc_id(row: Mapping[str, str]) -> str:
    return str(row.get("doc_id") or Path(str(row.get("file", ""))).stem)


@dataclass(frozen=True)
class _Expected:
    """The sha256 a document's file must have: the lock's (for this file), the manifest's."""

    lock: str
    manifest: str

    @classmethod
    def of(cls, row: Mapping[str, str], lock: Mapping[str, Mapping[str, Any]]) -> _Expected:
        entry = lock.get(_doc_id(row))
        locked = entry and entry.get("file") == row.get("file")
        digest = str(entry["sha256"]).lower() if entry and locked else ""
        return cls(digest, str(row.get("sha256", "")).strip().lower())


def _mismatch(digest: str, expected: _Expected, lock_file: Path) -> tuple[str, str]:
    """("lock" or "manifest", why) when ``digest`` is not the expected sha256, else ("", "")."""
    if expected.lock and digest != expected.lock:
        return "lock", (
            f"its sha256 differs from the one recorded in {lock_file}; put the original back, or "
            "delete its entry in the lock file to accept this version"
        )
    if expected.manifest and digest != expected.manifest:
        locked = (
            f"the lock {lock_file} agrees with the file, not with the manifest"
            if expected.lock
            else "the lock has no sha256 for it"
        )
        return "manifest", (
            f"its sha256 {digest} differs from the sha256 the manifest gives, {expected.manifest} "
            f"({locked}); get the version the manifest names, or correct the manifest's sha256"
        )
    return "", ""


def _matches(expected: _Expected) -> str:
    if expected.lock and expected.manifest:
        return "matches the lock and the manifest's sha256"
    if expected.lock:
        return "matches the lock"
    return "matches the manifest's sha256" if expected.manifest else "not in the lock yet"


@dataclass(frozen=True)
class _CheckResult:
    status: str  # present, mismatch, missing or refused
    detail: str
    sha256: str = ""
    size: int = 0
    expected: _Expected = _Expected("", "")

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
    expected = _Expected.of(row, lock)
    digest, size = _hash_file(target)
    against, why = _mismatch(digest, expected, lock_path(folder))
    if against:
        return _CheckResult("mismatch", why, digest, size, expected)
    return _CheckResult("present", _matches(expected), digest, size, expected)


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
        doc_id = _doc_id(row)
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
        except _Unavailable as why:
            return _with(base, detail=str(why))
        if staged is None:
            return _with(base, status="no_url", detail="no address is recorded for it")
        return self._install(base, staged, target, _Expected.of(row, self.lock))

    def _stage_source(self, base: FetchedDocument, target: Path) -> _Staged | None:
        """The document in a temporary file: copied from the bundled corpus, or downloaded."""
        bundled = self.study.corpus / base.file if self.study.corpus else None
        if bundled is not None and bundled.is_file():
            with bundled.open("rb") as source:
                return _stage(iter(lambda: source.read(_CHUNK), b""), target.parent, "bundled")
        if not base.url:
            return None
        return _download(base.url, target.parent, self.opener, self.timeout, self.total)

    def _install(
        self, base: FetchedDocument, staged: _Staged, target: Path, expected: _Expected
    ) -> FetchedDocument:
        against, why = _mismatch(staged.sha256, expected, lock_path(self.folder))
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


def where_to_get(row: Mapping[str, str], folder: Path) -> str:
    """How to get the document by hand: the addresses, then the exact file name to save it as.

    A City of Toronto Council item page is given at both its addresses (see
    :func:`council_item_pages`).
    """
    parts = []
    url = row.get("url", "")
    if url:
        parts.append(f"get it from {url}")
    pages = [page for page in council_item_pages(row) if page != url]
    if pages:
        moved = any(_toronto_item(page) for page in pages)
        note = _MOVED if moved else ""
        parts.append(f"or from the Council item page {' or '.join(pages)}{note}")
    if not row.get("url"):
        notes = row.get("notes") or f"search the web for its title, {row.get('title', '?')!r}"
        parts.append(f"no address is recorded; the manifest's notes: {notes}")
    if row.get("alternative_urls"):
        parts.append(f"copies seen elsewhere (check them): {row['alternative_urls']}")
    parts.append(f"save it as {folder / row['file']}")
    return "; ".join(parts)


_MOVED = (
    " (the City moved its item pages from app.toronto.ca/tmmis to secure.toronto.ca/council; "
    "both addresses are cited)"
)


def council_item_pages(row: Mapping[str, str]) -> list[str]:
    """The row's Council item pages (``item_page_new``, ``item_page``, and ``url`` when it is
    one), each City of Toronto item page at its current address
    (secure.toronto.ca/council/agenda-item.do?item=…) and at its old one
    (app.toronto.ca/tmmis/viewAgendaItemHistory.do?item=…): both are cited."""
    pages: list[str] = []
    for key in ("item_page_new", "item_page", "url"):
        value = str(row.get(key, "")).strip()
        item = _toronto_item(value)
        forms = [NEW_ITEM_PAGE + item, OLD_ITEM_PAGE + item] if item else []
        if value and not forms and key != "url":
            forms = [value]
        pages.extend(form for form in forms if form not in pages)
    return pages


def _toronto_item(url: str) -> str:
    """The item number (2013.CD18.7) of a City of Toronto Council item page, else ""."""
    for pattern in _ITEM_PAGES:
        match = pattern.fullmatch(url)
        if match:
            return match.group(1)
    return ""


# --- downloading ----------------------------------------------------------------------------------


def _download(url: str, folder: Path, opener: Opener, timeout: float, total: float) -> _Staged:
    """The PDF at ``url`` in a temporary file in ``folder``; :class:`_Unavailable` otherwise.

    ``timeout`` bounds each network read, ``total`` the whole body (checked after each read, so
    a download ends at most ``timeout`` after the deadline). The connection and the headers
    are bounded by ``timeout`` per read only.
    """
    deadline = _Deadline(time.monotonic() + total, total)
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
            return _read_pdf(response, url, folder, deadline)
    except urllib.error.HTTPError as error:
        error.close()
        raise _Unavailable(f"HTTP {error.code} {error.reason} from {url}") from None
    except urllib.error.URLError as error:
        raise _Unavailable(f"cannot reach {url}: {error.reason}") from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise _Unavailable(f"download of {url} failed: {error or type(error).__name__}") from None


@dataclass(frozen=True)
class _Deadline:
    at: float  # time.monotonic()
    seconds: float

    def check(self, url: str) -> None:
        if time.monotonic() > self.at:
            raise _Unavailable(
                f"{url} took longer than {self.seconds:g} s to download (the overall limit per "
                "document): the server is too slow; download it by hand, or retry with a larger "
                "--timeout"
            )


def _read_pdf(response: Any, url: str, folder: Path, deadline: _Deadline) -> _Staged:
    final = str(response.geturl() or url)
    if urlsplit(final).scheme.lower() not in _SCHEMES:
        raise _Unavailable(f"{url} led to a non-http(s) address: {final}")
    headers = getattr(response, "headers", None) or {}
    length = headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise _Unavailable(f"{url} is {int(length):,} bytes, over the {MAX_BYTES:,}-byte cap")
    body = _body(response, url, deadline)
    first = b""
    for chunk in body:  # enough bytes to tell a PDF from an HTML page
        first += chunk
        if len(first) >= _HEAD:
            break
    if not first.startswith(b"%PDF"):
        raise _Unavailable(_not_pdf(first, headers.get("Content-Type", "")))
    return _stage(itertools.chain([first], body), folder, "download", url=final)


def _not_pdf(first: bytes, content_type: str) -> str:
    if "html" in content_type.lower() or first.lstrip().startswith(b"<"):
        return _HTML_ADVICE
    if not first:
        return "the URL gave an empty response, not a PDF: download it by hand"
    shown = content_type or "no Content-Type"
    return f"the URL did not give a PDF ({shown}): download it by hand"


def _body(response: Any, url: str, deadline: _Deadline) -> Iterator[bytes]:
    """The response body as it arrives, stopped with :class:`_Unavailable` past
    :data:`MAX_BYTES` or the deadline. ``read1`` returns what one socket read gives, so a
    trickling server cannot hold one ``read`` of a whole chunk past the deadline."""
    read = getattr(response, "read1", None) or response.read
    total = 0
    while True:
        deadline.check(url)
        chunk = read(_CHUNK)
        if not chunk:
            return
        total += len(chunk)
        if total > MAX_BYTES:
            raise _Unavailable(f"{url} gave more than the {MAX_BYTES:,}-byte cap")
        deadline.check(url)
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
