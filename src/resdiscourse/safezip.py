"""Reading zip archives from other people's machines without trusting them: nothing is extracted
to disk, and memory stays bounded.

A ``.qdpx`` (REFI-QDA project) is a zip of XML and texts, and the ``.docx`` files inside it are
zips too: the classic carriers of zip bombs and zip slip. :class:`SafeZip` therefore

* refuses the whole archive when a member name is absolute, has a drive letter, a ``..``
  component or a NUL, or appears twice (two readers could pick different copies);
* checks a member's declared size and compression ratio before inflating it, and the same
  limits again on the bytes actually decompressed, chunk by chunk (a zip header can lie);
* hands a member out as a stream (:class:`LimitedStream`), so a caller can parse it as it
  inflates instead of holding it whole.

The limits are module constants, read when they are checked, so a caller or a test can tighten
them. They are set so that whatever is accepted fits in a few hundred MB.

This module knows nothing of the error catalogue: it raises :class:`Refused` (unsafe, or over a
limit) and :class:`Unreadable` (damaged), each with a one-line ``detail``, and the reader that
uses it turns them into its own coded errors (``export/refi_read.py``: E402 and E401).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

MAX_ENTRY_BYTES = 64 * 1024 * 1024  # one archive member, or one file read from disk
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all members read from one archive
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024  # the archive itself (bounds its central directory)
MAX_ENTRIES = 20_000  # members listed in one archive
MAX_RATIO = 200  # decompressed / compressed size of one member ...
RATIO_FLOOR = 1024 * 1024  # ... checked once the member has produced this many bytes
CHUNK_BYTES = 64 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")
# What the zip library raises on a damaged archive (beyond BadZipFile): random bytes reach them.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    OverflowError,
)


class ArchiveError(Exception):
    """A zip archive that was not read; ``detail`` says why in one line."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Refused(ArchiveError):
    """The archive is unsafe or over a limit: a hostile file, not to be unpacked."""


class Unreadable(ArchiveError):
    """The archive (``member`` None) or one of its members cannot be read: damaged or
    encrypted."""

    def __init__(self, detail: str, member: str | None = None) -> None:
        super().__init__(detail)
        self.member = member


def describe(error: BaseException) -> str:
    """An exception as ``Type: first line`` (at most 200 characters of the message)."""
    text = str(error).splitlines()[0][:200] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class LimitedStream(io.RawIOBase):
    """A binary stream read through ``check(bytes so far)``, in chunks of at most
    :data:`CHUNK_BYTES`. It remembers whether a CR byte went through: a reader of text whose
    parser turns CR LF into LF may need to know."""

    def __init__(self, stream: IO[bytes], check: Callable[[int], None]) -> None:
        super().__init__()
        self.stream, self.check = stream, check
        self.size = 0
        self.has_cr = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self.stream.read(min(len(view), CHUNK_BYTES))
        self.size += len(data)
        self.check(self.size)
        self.has_cr = self.has_cr or b"\r" in data
        view[: len(data)] = data
        return len(data)


def unsafe_name(name: str) -> str | None:
    """Why an archive member name is unsafe (None if it is not)."""
    if name.startswith(("/", "\\")):
        return "an absolute path"
    if _DRIVE.match(name):
        return "a drive letter"
    if ".." in re.split(r"[/\\]", name):
        return "a '..' component (zip slip)"
    if "\x00" in name:
        return "a NUL character"
    return None


class SafeZip:
    """A zip archive whose member names are checked up front and whose members are read in
    memory under the size, total and ratio limits. ``label`` names it in messages."""

    def __init__(self, source: Path | IO[bytes], label: str) -> None:
        self.label = label
        self.total = 0  # bytes decompressed so far, all members together
        if _size_of(source) > MAX_ARCHIVE_BYTES:  # before zipfile loads the central directory
            raise Refused(f"{label} is larger than {MAX_ARCHIVE_BYTES} bytes")
        try:
            self.zip = zipfile.ZipFile(source)
            infos = self.zip.infolist()
        except ZIP_ERRORS as error:
            raise Unreadable(f"{label} is not a readable zip archive ({describe(error)})") from None
        if len(infos) > MAX_ENTRIES:
            self.zip.close()
            raise Refused(f"{label} lists {len(infos)} entries (limit {MAX_ENTRIES})")
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            reason = unsafe_name(info.filename)
            if reason:
                self.zip.close()
                raise Refused(f"entry {info.filename!r} of {label} has {reason}")
            if info.filename in self.infos:
                # Two readers could pick different copies: refuse the ambiguity.
                self.zip.close()
                raise Refused(f"entry {info.filename!r} appears twice in {label}")
            self.infos[info.filename] = info

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def read(self, name: str) -> bytes | None:
        """The decompressed member ``name``, or None if there is no such member."""
        if name not in self.infos or self.infos[name].is_dir():
            return None
        with self.open(name) as stream:
            return stream.read()

    def check_all(self) -> None:
        """Inflate every member once, keeping nothing: the archive is within the limits."""
        for name, info in self.infos.items():
            if not info.filename.endswith("/"):  # is_dir() fails on an empty name
                with self.open(name) as stream:
                    while stream.read(CHUNK_BYTES):
                        pass

    @contextmanager
    def open(self, name: str) -> Iterator[LimitedStream]:
        """The member ``name`` as a stream under the limits; its declared size and ratio are
        checked first, so that a zip bomb is refused before anything is inflated."""
        info = self.infos[name]
        self._check_limits(info, info.file_size, declared=True)
        produced = 0

        def check(size: int) -> None:
            nonlocal produced
            self.total += size - produced  # other members may be read meanwhile
            produced = size
            self._check_limits(info, size)

        try:
            with self.zip.open(info) as raw:
                yield LimitedStream(raw, check)
        except ZIP_ERRORS as error:
            raise Unreadable(
                f"cannot read entry {name!r} of {self.label} ({describe(error)})", member=name
            ) from None

    def _check_limits(self, info: zipfile.ZipInfo, size: int, *, declared: bool = False) -> None:
        """``size``: the member's declared size (before it is read: it would add to the total),
        or the bytes it produced so far (while it is read: already in the total)."""
        name = info.filename
        says = "declares" if declared else "decompresses to"
        if size > MAX_ENTRY_BYTES:
            raise Refused(f"entry {name!r} {says} more than {MAX_ENTRY_BYTES} B")
        if self.total + (size if declared else 0) > MAX_TOTAL_BYTES:
            raise Refused(f"{self.label} decompresses to more than {MAX_TOTAL_BYTES} B")
        if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused(f"entry {name!r} expands more than {MAX_RATIO} times (a zip bomb?)")


def _size_of(source: Path | IO[bytes]) -> int:
    if isinstance(source, Path):
        return source.stat().st_size
    position = source.tell()
    size = source.seek(0, io.SEEK_END)
    source.seek(position)
    return size
