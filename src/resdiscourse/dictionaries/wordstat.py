"""WordStat ``.cat``: categories nest by indentation (tabs, spaces or both); a term line ends with
its weight in brackets, ``Botswana (1)``. WordStat writes the words of a phrase joined by ``_`` or
by spaces."""

from __future__ import annotations

import re

from resdiscourse.dictionaries.builder import Builder, split_lines
from resdiscourse.dictionaries.model import Dictionary

TERM = re.compile(r"^(?P<value>.*?)\s*\((?P<weight>[-+]?\d+(?:\.\d+)?)\)\s*$")


def read_cat(text: str, builder: Builder) -> Dictionary:
    #: (indentation width, category path) of the open categories, outermost first.
    stack: list[tuple[int, tuple[str, ...]]] = []
    for number, line in enumerate(split_lines(text), start=1):
        if not line.strip():
            continue
        width = _indent(line)
        while stack and stack[-1][0] >= width:
            stack.pop()
        found = TERM.match(line.strip())
        if found:
            if not stack:
                raise builder.malformed(
                    number,
                    f"term {found['value']!r} is not inside a category",
                    "indent terms under a category line",
                )
            value = re.sub(r"(?<=\w)_(?=\w)", " ", found["value"])
            builder.term(stack[-1][1], value, number, float(found["weight"]))
            continue
        path = (*(stack[-1][1] if stack else ()), line.strip())
        builder.category(path)
        stack.append((width, path))
    return builder.build("")


def _indent(line: str) -> int:
    """Indentation width with tabs to the next multiple of 8, so '   \\t' (WordStat's own
    mixture) and '\\t' are one level."""
    lead = line[: len(line) - len(line.lstrip(" \t"))]
    return len(lead.expandtabs(8))
