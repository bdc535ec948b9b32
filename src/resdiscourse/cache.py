"""The cache shared by every run: extracted texts, segmentations and coded documents, outside any
run folder.

Where: ``--cache-dir``, else ``$XDG_CACHE_HOME/resdiscourse``, else ``~/.cache/resdiscourse``.
Every run, and every Dask worker that sees the same folder, shares it.

Layout: ``v<CACHE_FORMAT>/<kind>/<key[:2]>/<key>.json`` (``.bin`` for a binary entry); ``kind``
is ``ingest`` (a document's extracted text), ``segmentation`` (a text's tokens, sentences and
paragraphs, binary), ``coding`` (a document's coded rows) or ``codebook`` (what a run reports about
a codebook's retrievals). A key is the sha256 of everything the entry depends on (content hashes,
options, pipeline, codebook, :func:`tool_fingerprint`); the callers build it.

An entry is one header line (format, kind, key, and the sha256 and length of the payload) and the
payload: JSON (:func:`write_entry`) or bytes in the caller's own format (:func:`write_blob`). It
is written to a temporary file in the same folder and renamed into place, so a reader sees a whole
entry or none; an entry that is damaged anyway (a disk, a hand edit, a crash before the data
reached the disk) fails the header's check, is deleted and built again. Entries
are never updated in place, so an interrupted run's finished entries stay valid.

The library functions :func:`cache_info` and :func:`clear_cache` back ``resdiscourse cache
info|clear``. They touch nothing in the folder but what this module writes there.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from resdiscourse.errors import Location, UsageError
from resdiscourse.version import package_version

#: The number of the layout and entry formats; a new number leaves older entries unread (``cache
#: info`` counts them as stale, ``cache clear`` removes them).
CACHE_FORMAT = 2
KINDS = ("ingest", "segmentation", "coding", "codebook")
#: The tag that tells backup tools to skip the folder (https://bford.info/cachedir/).
CACHEDIR_TAG = "CACHEDIR.TAG"
_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by resdiscourse.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_TEMPORARY_PREFIX = ".tmp-"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/resdiscourse`` when that variable holds an absolute path (the XDG
    specification ignores a relative one), else ``~/.cache/resdiscourse``."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "resdiscourse"


def resolve_cache_dir(cache_dir: str | Path | None) -> Path:
    return Path(cache_dir) if cache_dir is not None else default_cache_dir()


def content_key(settings: dict[str, Any]) -> str:
    """The sha256 of ``settings`` as canonical JSON: the key of the entry they describe."""
    text = json.dumps(settings, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def tool_fingerprint() -> str:
    """The version and a digest of the package's own source files: an entry written by other code
    (a new release, or a working copy with changes and the same version number) is not reused."""
    digest = hashlib.sha256()
    root = resources.files("resdiscourse")
    for path in sorted(_python_files(Path(str(root)))):
        digest.update(path.relative_to(Path(str(root))).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{package_version()}+{digest.hexdigest()[:16]}"


def _python_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*.py") if "__pycache__" not in path.parts]


# --- entries ----------------------------------------------------------------------------------


def entry_path(root: Path, kind: str, key: str, suffix: str = ".json") -> Path:
    return root / f"v{CACHE_FORMAT}" / kind / key[:2] / f"{key}{suffix}"


#: The suffix of a binary entry (:func:`write_blob`).
BLOB_SUFFIX = ".bin"


def read_entry(root: Path, kind: str, key: str) -> Any | None:
    """The payload of an entry, or None when there is none. A damaged entry is deleted (so that
    it is built and written again) and also gives None."""
    body = _read_checked(entry_path(root, kind, key), kind, key)
    if body is None:
        return None
    try:
        return json.loads(body)
    except ValueError:  # not reached unless the checksum matched bytes that are not JSON
        with contextlib.suppress(OSError):
            entry_path(root, kind, key).unlink()
        return None


def write_entry(root: Path, kind: str, key: str, payload: Any) -> bool:
    """Store ``payload`` (JSON-serialisable) under ``key``; False when the folder is not writable
    (the cache only saves time: a run goes on without it)."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return _write_checked(root, kind, key, entry_path(root, kind, key), body)


def read_blob(root: Path, kind: str, key: str) -> bytes | None:
    """The bytes of a binary entry (:func:`write_blob`), checked as :func:`read_entry` checks a
    JSON one: None when absent, and a damaged entry is deleted and gives None."""
    return _read_checked(entry_path(root, kind, key, BLOB_SUFFIX), kind, key)


def write_blob(root: Path, kind: str, key: str, data: bytes) -> bool:
    """Store ``data`` (bytes in the caller's own format, e.g. numpy arrays) under ``key``, with
    the same header and checks as a JSON entry; False when the folder is not writable."""
    return _write_checked(root, kind, key, entry_path(root, kind, key, BLOB_SUFFIX), data)


def _read_checked(path: Path, kind: str, key: str) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    body = _checked_body(data, kind, key)
    if body is None:
        with contextlib.suppress(OSError):
            path.unlink()
    return body


def _write_checked(root: Path, kind: str, key: str, path: Path, body: bytes) -> bool:
    header = {
        "format": CACHE_FORMAT,
        "kind": kind,
        "key": key,
        "bytes": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    data = json.dumps(header, sort_keys=True).encode() + b"\n" + body
    try:
        _ensure_root(root)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, data)
    except OSError:
        return False
    return True


def _checked_body(data: bytes, kind: str, key: str) -> bytes | None:
    head, newline, body = data.partition(b"\n")
    if not newline:
        return None
    try:
        header = json.loads(head)
        expected = {"format": CACHE_FORMAT, "kind": kind, "key": key, "bytes": len(body)}
        if any(header.get(name) != value for name, value in expected.items()):
            return None
        if header.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
    except (ValueError, AttributeError):
        return None
    return body


def _write_atomic(path: Path, data: bytes) -> None:
    """A uniquely named temporary file beside ``path``, then a rename: processes on several
    machines sharing the folder never write into each other's file."""
    handle, name = tempfile.mkstemp(prefix=_TEMPORARY_PREFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def _ensure_root(root: Path) -> None:
    tag = root / CACHEDIR_TAG
    if not tag.exists():
        root.mkdir(parents=True, exist_ok=True)
        _write_atomic(tag, _TAG_TEXT.encode())


# --- info and clear ---------------------------------------------------------------------------


@dataclass
class KindInfo:
    entries: int = 0
    bytes: int = 0


@dataclass
class CacheInfo:
    """What ``resdiscourse cache info`` shows; ``to_dict()`` is its ``--json`` output."""

    path: str
    exists: bool
    format: int
    kinds: dict[str, KindInfo] = field(default_factory=dict)
    #: Entries of other cache formats (written by another version; never read).
    stale: KindInfo = field(default_factory=KindInfo)
    #: Temporary files left by a process that stopped while writing (never read).
    partial: KindInfo = field(default_factory=KindInfo)

    @property
    def entries(self) -> int:
        return sum(kind.entries for kind in self.kinds.values())

    @property
    def bytes(self) -> int:
        total = sum(kind.bytes for kind in self.kinds.values())
        return total + self.stale.bytes + self.partial.bytes

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "exists": self.exists,
            "format": self.format,
            "entries": self.entries,
            "bytes": self.bytes,
            "kinds": {name: vars(kind) for name, kind in self.kinds.items()},
            "stale": vars(self.stale),
            "partial": vars(self.partial),
        }


@dataclass
class ClearSummary:
    """What ``resdiscourse cache clear`` removed; ``to_dict()`` is its ``--json`` output."""

    path: str
    kinds: list[str]
    removed: int
    bytes: int

    def to_dict(self) -> dict[str, Any]:
        keys = ("path", "kinds", "removed", "bytes")
        return {key: getattr(self, key) for key in keys}


def cache_info(cache_dir: str | Path | None = None) -> CacheInfo:
    """Entries and bytes per kind in the cache folder, and what is stale or partial."""
    root = resolve_cache_dir(cache_dir)
    info = CacheInfo(str(root), root.is_dir(), CACHE_FORMAT, {kind: KindInfo() for kind in KINDS})
    for path, size in _owned_files(root):
        parts = path.relative_to(root).parts
        if path.name.startswith(_TEMPORARY_PREFIX):
            target = info.partial
        elif parts[0] != f"v{CACHE_FORMAT}" or parts[1] not in info.kinds:
            target = info.stale
        else:
            target = info.kinds[parts[1]]
        target.entries += 1
        target.bytes += size
    return info


def clear_cache(
    cache_dir: str | Path | None = None, kinds: list[str] | None = None
) -> ClearSummary:
    """Remove the entries of ``kinds`` (default: all, stale and partial files included).

    Raises :class:`UsageError` E702 for an unknown kind, E701 when a file cannot be removed.
    """
    root = resolve_cache_dir(cache_dir)
    for kind in kinds or []:
        if kind not in KINDS:
            raise UsageError.of("E702", kind=kind, choices=", ".join(KINDS))
    removed, size = 0, 0
    current = root / f"v{CACHE_FORMAT}"
    for path, length in _owned_files(root):
        if kinds and not any(path.is_relative_to(current / kind) for kind in kinds):
            continue
        try:
            path.unlink()
        except FileNotFoundError:  # another process removed it first
            continue
        except OSError as error:
            detail = error.strerror or str(error)
            raise UsageError.of(
                "E701", Location(file=str(path)), path=str(root), detail=detail
            ) from None
        removed, size = removed + 1, size + length
    _remove_empty_folders(root)
    return ClearSummary(str(root), list(kinds or ["all"]), removed, size)


def _owned_files(root: Path) -> list[tuple[Path, int]]:
    """Every file under ``root/v<N>/`` (this module's folders), with its size, sorted."""
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.glob("v[0-9]*")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            with contextlib.suppress(OSError):  # removed meanwhile by another process
                if path.is_file():
                    found.append((path, path.stat().st_size))
    return found


def _remove_empty_folders(root: Path) -> None:
    if not root.is_dir():
        return
    for folder in sorted(root.glob("v[0-9]*")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
                with contextlib.suppress(OSError):
                    path.rmdir()  # only empty folders go; a file written meanwhile stays
            with contextlib.suppress(OSError):
                folder.rmdir()
