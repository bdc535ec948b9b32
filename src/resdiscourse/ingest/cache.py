"""Content-hash cache of extracted texts: `<out>/.cache/<sha256>-<options hash>.json`.

A re-run reads a document again only when its bytes, the reading options or the resdiscourse version
changed. The password itself is never stored, only whether one was given; failed reads are not
cached, so a fixed password or a repaired permission takes effect on the next run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from resdiscourse import package_version
from resdiscourse.errors import CATALOGUE, Location, Problem
from resdiscourse.ingest.outputs import write_atomic
from resdiscourse.models import ExtractedText, PageMap

#: 2: text files are read as what their bytes are (a PDF named .txt), not by their name.
CACHE_FORMAT = 2
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ReadOptions:
    """How documents are read; everything here but the password's value goes into the cache key."""

    engine: str = "auto"
    password: str | None = None
    ocr: bool = False


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def cache_key(sha256: str, suffix: str, options: ReadOptions) -> str:
    """File name stem of a cache entry. The suffix counts: the same bytes differ as .md and .txt."""
    settings = {
        "format": CACHE_FORMAT,
        "version": package_version(),
        "suffix": suffix.lower(),
        "engine": options.engine,
        "password": options.password is not None,
        "ocr": options.ocr,
    }
    options_hash = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()
    return f"{sha256}-{options_hash[:16]}"


def load_cached(cache_dir: Path, key: str) -> ExtractedText | None:
    """The cached result, or None when absent or unreadable (it is then simply read again)."""
    try:
        data = json.loads((cache_dir / f"{key}.json").read_text(encoding="utf-8"))
        return extracted_from_dict(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store_cached(cache_dir: Path, key: str, result: ExtractedText) -> None:
    if result.status == "error":
        return
    # Locations name the file that was read; the same bytes may sit under another name next time.
    anonymous = replace(result, problems=[_without_file(p) for p in result.problems])
    payload = json.dumps(anonymous.to_dict(), sort_keys=True, ensure_ascii=False)
    write_atomic(cache_dir / f"{key}.json", payload.encode("utf-8"))


def extracted_from_dict(data: dict[str, Any]) -> ExtractedText:
    """Inverse of :meth:`ExtractedText.to_dict` (the derived ``status`` is ignored)."""
    return ExtractedText(
        text=str(data["text"]),
        page_map=PageMap.from_list(list(data["page_map"])),
        engine=str(data["engine"]),
        pages=int(data["pages"]),
        problems=[problem_from_dict(item) for item in data["problems"]],
        metadata={str(k): str(v) for k, v in dict(data["metadata"]).items()},
    )


def problem_from_dict(data: dict[str, Any]) -> Problem:
    code = CATALOGUE[str(data["code"])].code  # KeyError for an entry from another catalogue
    return Problem(
        code=code,
        severity=data["severity"],
        message=str(data["message"]),
        hint=str(data["hint"]),
        location=Location(**dict(data.get("location", {}))),
    )


def _without_file(item: Problem) -> Problem:
    return replace(item, location=replace(item.location, file=None))
