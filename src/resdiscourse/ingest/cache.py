"""Cache entries of extracted texts (kind ``ingest`` of :mod:`resdiscourse.cache`).

A re-run, into any output folder, reads a document again only when its bytes, the reading options
or the resdiscourse code changed. The password itself is never stored, only whether one was given;
failed reads are not cached, so a fixed password or a repaired permission takes effect on the next
run.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from resdiscourse.cache import CACHE_FORMAT, content_key, read_entry, tool_fingerprint, write_entry
from resdiscourse.errors import CATALOGUE, Location, Problem
from resdiscourse.ingest.language import (
    DEFAULT_LANGUAGES,
    LanguagePart,
    TextLanguage,
    known_languages,
    mixed_parts,
    text_language,
)
from resdiscourse.models import Block, ExtractedText, PageMap

KIND = "ingest"
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
    """The key of a document's entry: the file's sha256 and a digest of the reading options and
    the code. The suffix counts: the same bytes differ as .md and .txt."""
    settings = {
        "format": CACHE_FORMAT,
        "tool": tool_fingerprint(),
        "suffix": suffix.lower(),
        "engine": options.engine,
        "password": options.password is not None,
        "ocr": options.ocr,
    }
    return f"{sha256}-{content_key(settings)[:16]}"


def load_cached(cache_dir: Path, key: str) -> ExtractedText | None:
    """The cached result, or None when absent or damaged (it is then simply read again)."""
    data = read_entry(cache_dir, KIND, key)
    if data is None:
        return None
    try:
        return extracted_from_dict(data)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def store_cached(cache_dir: Path, key: str, result: ExtractedText) -> None:
    if result.status == "error":
        return
    # Locations name the file that was read; the same bytes may sit under another name next time.
    anonymous = replace(result, problems=[_without_file(p) for p in result.problems])
    write_entry(cache_dir, KIND, key, anonymous.to_dict())


def extracted_from_dict(data: dict[str, Any]) -> ExtractedText:
    """Inverse of :meth:`ExtractedText.to_dict` (the derived ``status`` is ignored)."""
    return ExtractedText(
        text=str(data["text"]),
        page_map=PageMap.from_list(list(data["page_map"])),
        engine=str(data["engine"]),
        pages=int(data["pages"]),
        problems=[problem_from_dict(item) for item in data["problems"]],
        metadata={str(k): str(v) for k, v in dict(data["metadata"]).items()},
        blocks=(
            None
            if data.get("blocks") is None
            else [Block(int(s), int(e), str(k)) for s, e, k in data["blocks"]]
        ),
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


def language_key(text: str, given: str) -> str:
    """The key of a text's language entry: the text, the language a manifest gave, the code and
    the detector's version (its models decide the result)."""
    settings = {
        "format": CACHE_FORMAT,
        "kind": "language",
        "tool": tool_fingerprint(),
        "detector": _detector_version(),
        "text": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "given": given,
    }
    return f"language-{content_key(settings)}"


def cached_text_language(cache_dir: Path | None, text: str, given: str) -> TextLanguage:
    """:func:`~resdiscourse.ingest.language.text_language` of ``text``, from the cache when an
    entry is there (``cache_dir`` None: no cache). Detection is most of an unchanged re-run's
    time, so its result is kept beside the extracted text, under the same kind."""
    key = language_key(text, given)
    if cache_dir is not None:
        found = _language_from(read_entry(cache_dir, KIND, key))
        if found is not None:
            return found
    found = text_language(text, given=given)
    if cache_dir is not None:
        payload = {"language": found.language, "confidence": found.confidence}
        write_entry(cache_dir, KIND, key, payload | {"parts": [list(p) for p in found.parts]})
    return found


PartsOf = Callable[[str, tuple[str, ...]], list[LanguagePart]]


def cached_mixed_parts(cache_dir: Path | None) -> PartsOf:
    """:func:`~resdiscourse.ingest.language.mixed_parts`, reading the text's parts from the
    cache when the languages asked for are those ingest detects (a codebook in English and
    French), so that a re-run after a codebook edit detects nothing again."""

    def detect(text: str, languages: tuple[str, ...]) -> list[LanguagePart]:
        if known_languages(languages) != known_languages(DEFAULT_LANGUAGES):
            return mixed_parts(text, languages)
        parts = cached_text_language(cache_dir, text, "").parts
        return parts if len({part.language for part in parts}) > 1 else []

    return detect


def _language_from(data: Any) -> TextLanguage | None:
    try:
        parts = [LanguagePart(int(s), int(e), str(code)) for s, e, code in data["parts"]]
        confidence = data["confidence"]
        return TextLanguage(
            str(data["language"]), None if confidence is None else float(confidence), parts
        )
    except (TypeError, KeyError, ValueError):
        return None


@functools.cache
def _detector_version() -> str:
    from importlib.metadata import version

    return version("lingua-language-detector")
