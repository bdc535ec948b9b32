"""LIWC ``.dic``: a header of ``id<TAB>category`` lines between two ``%`` lines, then
``term<TAB>id<TAB>id…`` (LIWC 2007 and 2015; ids are numbers, tabs or spaces between fields; LF,
CRLF or CR line ends). LIWC-22 also writes ``.dicx``: a CSV whose first column is ``DicTerm`` and
whose other columns are categories, an ``X`` marking membership."""

from __future__ import annotations

import csv
import io
import re

from resdiscourse.dictionaries.builder import Builder, split_lines
from resdiscourse.dictionaries.model import Dictionary

_CONTEXTUAL = (
    "LIWC 2007's contextual entries (like 02 134)02/125) choose categories by the "
    "words around; count them by hand or write rules in a codebook"
)


def read_dic(text: str, builder: Builder) -> Dictionary:
    lines = split_lines(text)
    names, body_start = _header(lines, builder)
    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        if line.strip():
            _entry(line, number, names, builder)
    return builder.build("")


def _header(lines: list[str], builder: Builder) -> tuple[dict[str, str], int]:
    """Category id -> name, and the index of the first line after the header."""
    marks = [index for index, line in enumerate(lines) if line.strip() == "%"]
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "%":
        raise builder.malformed(
            1 if first is None else first + 1,
            "a LIWC .dic starts with a line holding only %",
            "put the category list between two % lines",
        )
    if len(marks) < 2:
        raise builder.malformed(
            first + 1, "the header has no closing % line", "end the category list with %"
        )
    names: dict[str, str] = {}
    for index in range(marks[0] + 1, marks[1]):
        line = lines[index]
        if not line.strip():
            continue
        parts = line.strip().split(None, 1)
        if len(parts) < 2 or not parts[0].isdigit():
            raise builder.malformed(
                index + 1,
                f"header line {line.strip()!r} is not `id<TAB>name`",
                "each header line is a number, a tab and the category's name",
            )
        key = _key(parts[0])
        if key in names:
            raise builder.malformed(
                index + 1, f"category id {parts[0]} is used twice", "give each category its id"
            )
        name, _, description = parts[1].partition("\t")
        names[key] = name.strip()
        builder.category((name.strip(),), description.strip())
    return names, marks[1] + 1


def _key(number: str) -> str:
    """``01`` and ``1`` are the same id."""
    return str(int(number))


def _entry(line: str, number: int, names: dict[str, str], builder: Builder) -> None:
    fields = line.split("\t") if "\t" in line else line.split()
    fields = [item.strip() for item in fields if item.strip()]
    ids = fields[1:]
    # A term of several words is written with spaces before tab-separated ids (LIWC 2015).
    while ids and not re.fullmatch(r"\d+", ids[0]) and "\t" not in line:
        fields[0] = f"{fields[0]} {ids.pop(0)}"
    if any(not re.fullmatch(r"\d+", item) for item in ids):
        builder.lose(number, f"entry {line.strip()!r}", _CONTEXTUAL)
        return
    if not ids:
        raise builder.malformed(
            number, f"entry {fields[0]!r} names no category", "add its category ids after a tab"
        )
    for item in ids:
        if _key(item) not in names:
            raise builder.malformed(
                number,
                f"entry {fields[0]!r} names category {item}, which the header does not list",
                "add the category to the header between the % lines",
            )
        builder.term((names[_key(item)],), fields[0], number)


def read_dicx(text: str, builder: Builder) -> Dictionary:
    try:
        rows = list(csv.reader(io.StringIO("\n".join(split_lines(text)))))
    except csv.Error as error:
        raise builder.malformed(None, f"not a CSV file: {error}", "save it again as CSV") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    header = [cell.strip() for cell in rows[0]]
    categories = header[1:]
    for name in categories:
        if not name:
            raise builder.malformed(1, "a category column has no name", "name every column")
        builder.category((name,))
    for number, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip():
            continue
        for name, cell in zip(categories, row[1:], strict=False):
            if cell.strip():
                builder.term((name,), row[0], number)
    return builder.build("")
