"""Ingest quality measures: bigram fidelity against a truth text, and leakage."""

from __future__ import annotations

import itertools
import re
from collections import Counter

_WORD = re.compile(r"[a-z0-9]+")
_LINE_END_HYPHEN = re.compile(r"(\w)-[ \t]*\r?\n[ \t]*(\w)")


def _bigrams(text: str) -> Counter[tuple[str, str]]:
    joined = _LINE_END_HYPHEN.sub(r"\1\2", text.lower())
    words = _WORD.findall(joined)
    return Counter(itertools.pairwise(words))


def fidelity(truth: str, extracted: str) -> float:
    """Word-bigram recall of ``truth`` in ``extracted`` (with multiplicity): 1.0 is perfect."""
    wanted = _bigrams(truth)
    found = _bigrams(extracted)
    total = sum(wanted.values())
    if not total:
        return 1.0
    return sum(min(count, found[bigram]) for bigram, count in wanted.items()) / total


def leakage(furniture_lines: list[str], truth: str, extracted: str) -> int:
    """How many running header/footer/page-number lines ended up in the body text.

    Each distinct furniture string counts the times it occurs (as whole words) in the extraction
    beyond the times it occurs in the truth, so a folio "3" that is also a body number is no leak.
    """
    leaked = 0
    for line in sorted({ln for ln in furniture_lines if ln.strip()}):
        pattern = re.compile(rf"(?<!\w){re.escape(line.strip())}(?!\w)")
        leaked += max(0, len(pattern.findall(extracted)) - len(pattern.findall(truth)))
    return leaked
