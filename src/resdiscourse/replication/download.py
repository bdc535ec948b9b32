"""Downloading one document for ``fetch``: http(s) only (redirects too), a PDF or nothing, within a
size cap and a time limit, into a hidden temporary file beside its target that ``fetch`` renames
into place once its sha256 is checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import itertools
import os
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import urlsplit

from resdiscourse.errors import UsageError
from resdiscourse.version import package_version

#: Larger than any policy report; stops a wrong address from filling the disk.
MAX_BYTES = 200 * 1024 * 1024
#: ``--timeout`` bounds each network read; the whole download of one document may last at most
#: :func:`total_limit` seconds, so a server that trickles bytes cannot keep fetch going forever.
MIN_TOTAL_SECONDS = 300.0
TOTAL_FACTOR = 10
CHUNK = 1 << 16
_HEAD = 1024  # bytes gathered before deciding whether a download is a PDF
_SCHEMES = ("http", "https")
_HTML_ADVICE = "the URL gave an HTML page, not a PDF: download it by hand"


class Opener(Protocol):
    """What downloads a request: :class:`urllib.request.OpenerDirector`, or a test double."""

    def open(self, fullurl: urllib.request.Request, data: None = None, timeout: float = ...) -> Any:
        """A response with ``read(n)``, ``geturl()`` and ``headers``; a context manager."""


class Unavailable(Exception):
    """A download that gave no PDF; the message says why."""


@dataclass(frozen=True)
class Staged:
    """Content written to a temporary file beside its target, not yet renamed into place."""

    path: Path
    sha256: str
    size: int
    source: str  # "download" or "bundled"
    url: str = ""


def total_limit(timeout: float) -> float:
    """The longest one download may take, in seconds: ``TOTAL_FACTOR`` reads' worth of
    ``timeout``, and never less than ``MIN_TOTAL_SECONDS`` (a large PDF on a slow line)."""
    return max(timeout * TOTAL_FACTOR, MIN_TOTAL_SECONDS)


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


def download(url: str, folder: Path, opener: Opener, timeout: float, total: float) -> Staged:
    """The PDF at ``url`` in a temporary file in ``folder``; :class:`Unavailable` otherwise.

    ``timeout`` bounds each network read, ``total`` the whole body (checked after each read, so
    a download ends at most ``timeout`` after the deadline). The connection and the headers
    are bounded by ``timeout`` per read only.
    """
    deadline = _Deadline(time.monotonic() + total, total)
    if urlsplit(url).scheme.lower() not in _SCHEMES:
        raise Unavailable(f"not an http(s) address: {url}; download it by hand")
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
        raise Unavailable(f"HTTP {error.code} {error.reason} from {url}") from None
    except urllib.error.URLError as error:
        raise Unavailable(f"cannot reach {url}: {error.reason}") from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise Unavailable(f"download of {url} failed: {error or type(error).__name__}") from None


@dataclass(frozen=True)
class _Deadline:
    at: float  # time.monotonic()
    seconds: float

    def check(self, url: str) -> None:
        if time.monotonic() > self.at:
            raise Unavailable(
                f"{url} took longer than {self.seconds:g} s to download (the overall limit per "
                "document): the server is too slow; download it by hand, or retry with a larger "
                "--timeout"
            )


def _read_pdf(response: Any, url: str, folder: Path, deadline: _Deadline) -> Staged:
    final = str(response.geturl() or url)
    if urlsplit(final).scheme.lower() not in _SCHEMES:
        raise Unavailable(f"{url} led to a non-http(s) address: {final}")
    headers = getattr(response, "headers", None) or {}
    length = headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise Unavailable(f"{url} is {int(length):,} bytes, over the {MAX_BYTES:,}-byte cap")
    body = _body(response, url, deadline)
    first = b""
    for chunk in body:  # enough bytes to tell a PDF from an HTML page
        first += chunk
        if len(first) >= _HEAD:
            break
    if not first.startswith(b"%PDF"):
        raise Unavailable(_not_pdf(first, headers.get("Content-Type", "")))
    return stage(itertools.chain([first], body), folder, "download", url=final)


def _not_pdf(first: bytes, content_type: str) -> str:
    if "html" in content_type.lower() or first.lstrip().startswith(b"<"):
        return _HTML_ADVICE
    if not first:
        return "the URL gave an empty response, not a PDF: download it by hand"
    shown = content_type or "no Content-Type"
    return f"the URL did not give a PDF ({shown}): download it by hand"


def _body(response: Any, url: str, deadline: _Deadline) -> Iterator[bytes]:
    """The response body as it arrives, stopped with :class:`Unavailable` past
    :data:`MAX_BYTES` or the deadline. ``read1`` returns what one socket read gives, so a
    trickling server cannot hold one ``read`` of a whole chunk past the deadline."""
    read = getattr(response, "read1", None) or response.read
    total = 0
    while True:
        deadline.check(url)
        chunk = read(CHUNK)
        if not chunk:
            return
        total += len(chunk)
        if total > MAX_BYTES:
            raise Unavailable(f"{url} gave more than the {MAX_BYTES:,}-byte cap")
        deadline.check(url)
        yield chunk


def stage(chunks: Iterable[bytes], folder: Path, source: str, url: str = "") -> Staged:
    """``chunks`` in a hidden temporary file in ``folder`` (same disk: the rename is atomic).

    A folder that cannot be written is a usage error (E511); a source that fails while it is
    read raises its own error, after the temporary file is removed.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=".resdiscourse-", suffix=".part")
    except OSError as error:
        raise folder_error(folder, error) from None
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
    return Staged(path, digest.hexdigest(), size, source, url)


def _write(out: IO[bytes], chunk: bytes, folder: Path) -> None:
    try:
        out.write(chunk)
    except OSError as error:  # a full disk, not a failed download
        raise folder_error(folder, error) from None


def folder_error(folder: Path, error: OSError) -> UsageError:
    return UsageError.of("E511", path=folder, detail=error.strerror or str(error))
