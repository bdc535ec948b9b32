"""Weighted lists, ``term<TAB>weight`` a line (AFINN): the weights are kept as data, and each
sign is a category (``positive``, ``negative``; a weight of 0: ``neutral``)."""

from __future__ import annotations

import re

from resdiscourse.dictionaries.builder import Builder, split_lines
from resdiscourse.dictionaries.model import Dictionary

LINE = re.compile(r"^(?P<term>[^\t]+)\t\s*(?P<weight>[-+]?\d+(?:\.\d+)?)\s*$")


def read_weighted(text: str, builder: Builder) -> Dictionary:
    for number, line in enumerate(split_lines(text), start=1):
        if not line.strip():
            continue
        found = LINE.match(line)
        if not found:
            raise builder.malformed(
                number,
                f"line {line!r} is not term<TAB>weight",
                "write the term, a tab and a number (-5, 2, 0.5)",
            )
        weight = float(found["weight"])
        builder.term((_sign(weight),), found["term"], number, weight)
    return builder.build("")


def _sign(weight: float) -> str:
    if weight > 0:
        return "positive"
    return "negative" if weight < 0 else "neutral"
