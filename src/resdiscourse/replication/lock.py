"""The lock file of a PDF folder, ``resdiscourse-lock.json``: the sha256 of each document fetch
downloaded or found, by doc_id, and the checks of a file against it and against the sha256 a
manifest ships. Written with sorted keys and no dates, so the same files give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resdiscourse.errors import UsageError
from resdiscourse.replication.download import CHUNK, stage

LOCK_NAME = "resdiscourse-lock.json"
LOCK_VERSION = 1


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


def write_lock(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Sorted keys and no dates, so the same files always give the same bytes."""
    data = {"documents": entries, "generator": "resdiscourse fetch", "version": LOCK_VERSION}
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    staged = stage([text.encode("utf-8")], path.parent, source="lock")
    os.replace(staged.path, path)


def doc_id_of(row: Mapping[str, str]) -> str:
    """A manifest row's doc_id (the lock's key): its ``doc_id``, else its file name's stem."""
    return str(row.get("doc_id") or Path(str(row.get("file", ""))).stem)


@dataclass(frozen=True)
class Expected:
    """The sha256 a document's file must have: the lock's (for this file), the manifest's."""

    lock: str
    manifest: str

    @classmethod
    def of(cls, row: Mapping[str, str], lock: Mapping[str, Mapping[str, Any]]) -> Expected:
        entry = lock.get(doc_id_of(row))
        locked = entry and entry.get("file") == row.get("file")
        digest = str(entry["sha256"]).lower() if entry and locked else ""
        return cls(digest, str(row.get("sha256", "")).strip().lower())


#: No sha256 to check against: neither the lock nor the manifest has one.
NOTHING_EXPECTED = Expected("", "")


def mismatch(digest: str, expected: Expected, lock_file: Path) -> tuple[str, str]:
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


def matches(expected: Expected) -> str:
    if expected.lock and expected.manifest:
        return "matches the lock and the manifest's sha256"
    if expected.lock:
        return "matches the lock"
    return "matches the manifest's sha256" if expected.manifest else "not in the lock yet"


def hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
