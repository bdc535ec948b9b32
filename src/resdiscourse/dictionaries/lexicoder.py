"""Lexicoder ``.lc3``: a ``+Category`` line, then that category's terms, one a line."""

from __future__ import annotations

from resdiscourse.dictionaries.builder import Builder, split_lines
from resdiscourse.dictionaries.model import Dictionary


def read_lc3(text: str, builder: Builder) -> Dictionary:
    current: tuple[str, ...] | None = None
    for number, line in enumerate(split_lines(text), start=1):
        value = line.strip()
        if not value:
            continue
        if value.startswith("+"):
            name = value[1:].strip()
            if not name:
                raise builder.malformed(number, "a + line without a name", "write +Category")
            current = (name,)
            builder.category(current)
        elif current is None:
            raise builder.malformed(
                number,
                f"term {value!r} comes before any +Category line",
                "start the file with the category's line: +Name",
            )
        else:
            builder.term(current, value, number)
    return builder.build("")
