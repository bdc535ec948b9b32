"""The French and English sentences of the gold files, with their language, for the tests and the
benchmark of language detection (``tests/test_language.py``, ``benchmarks/language.py``)."""

from __future__ import annotations

from pathlib import Path

import yaml


def gold_files(shared: Path, repository: Path) -> list[tuple[Path, str]]:
    """(gold file, language of its items without ``lang``): ``gold-dev.yaml`` gives no ``lang``
    and is all English; the others label every item."""
    return [
        (shared / "gold-dev.yaml", "en"),
        (shared / "gold-real-dev.yaml", ""),
        (repository / "tests" / "data" / "gold-real-own.yaml", ""),
    ]


def labelled_sentences(files: list[tuple[Path, str]]) -> list[tuple[str, str]]:
    """(text, language) of every item in English or French, file by file."""
    found: list[tuple[str, str]] = []
    for path, default in files:
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]:
            lang = item.get("lang") or default
            if lang in ("en", "fr"):
                found.append((str(item["text"]), lang))
    return found
