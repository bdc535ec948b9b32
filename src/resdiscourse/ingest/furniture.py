"""Running headers, footers and page numbers ("page furniture"): find them, remove them, read folios.

A line is furniture when it sits at the very top or bottom of a page and either repeats across pages
(digits and roman numerals ignored) or is a page number ("Page 3 of 12", "- 3 -", "iv"). Lines are
peeled from the page's edges inwards, so a body line is never removed from between other body lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from resdiscourse.ingest.layout import Line

#: Share of the page height at the top and at the bottom where furniture may sit.
EDGE_ZONE = 0.12
#: The most furniture rows peeled from one edge of a page.
MAX_ROWS_PER_EDGE = 3

_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_ROMAN_FULL = re.compile(_ROMAN + "$", re.IGNORECASE)
_NUMBER = rf"(\d{{1,5}}|{_ROMAN})"
_PAGE_NUMBER = re.compile(
    rf"^(?:[-–—]\s*{_NUMBER}\s*[-–—]"
    rf"|(?:page|p\.|pg\.?|seite)?\s*{_NUMBER}(?:\s*(?:of|/|de|sur|von)\s*\d{{1,4}})?)$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_WORD_TOKEN = re.compile(r"\b[ivxlcdm]+\b", re.IGNORECASE)
_TRAILING_OR_LEADING_NUMBER = re.compile(r"^(\d{1,4})\b|\b(\d{1,4})$")


@dataclass(frozen=True)
class PageLines:
    lines: list[Line]
    height: float


@dataclass(frozen=True)
class Furniture:
    """What was removed from each page, and the printed folio found there (or None)."""

    body: list[list[Line]]
    removed: list[list[str]]
    folios: list[str | None]


def page_number_of(text: str) -> str | None:
    """The folio if ``text`` is just a page number in a common style, else None."""
    match = _PAGE_NUMBER.match(text.strip())
    if not match:
        return None
    return next(group for group in match.groups() if group)


def _key(text: str) -> str:
    text = _DIGITS.sub("#", text.lower())
    text = _WORD_TOKEN.sub(lambda m: "#" if _ROMAN_FULL.match(m.group()) else m.group(), text)
    return " ".join(text.split())


def _edge_rows(page: PageLines) -> tuple[list[list[Line]], list[list[Line]]]:
    """Rows of lines (same vertical band) inside the top and bottom zones, outermost first."""
    top_limit = page.height * EDGE_ZONE
    bottom_limit = page.height * (1 - EDGE_ZONE)
    rows: list[list[Line]] = []
    for line in sorted(page.lines, key=lambda ln: ln.top):
        if rows and line.top < rows[-1][0].bottom - 0.25 * (line.bottom - line.top):
            rows[-1].append(line)
        else:
            rows.append([line])
    top = [row for row in rows[:MAX_ROWS_PER_EDGE] if max(ln.bottom for ln in row) <= top_limit]
    bottom_rows = list(reversed(rows))[:MAX_ROWS_PER_EDGE]
    bottom = [row for row in bottom_rows if min(ln.top for ln in row) >= bottom_limit]
    return _prefix_of(rows, top), _prefix_of(list(reversed(rows)), bottom)


def _prefix_of(rows: list[list[Line]], candidates: list[list[Line]]) -> list[list[Line]]:
    """The candidates that form an unbroken run from the edge (the list's start)."""
    prefix: list[list[Line]] = []
    for row, candidate in zip(rows, candidates, strict=False):
        if row is not candidate:
            break
        prefix.append(row)
    return prefix


def find_furniture(pages: list[PageLines]) -> Furniture:
    """Remove running headers/footers and page numbers from every page; read the folios."""
    edges = [_edge_rows(page) for page in pages]
    repeated = _repeated_keys(edges, len(pages))
    body: list[list[Line]] = []
    removed: list[list[str]] = []
    folios: list[_Folio] = []
    for page, (top_rows, bottom_rows) in zip(pages, edges, strict=True):
        gone: list[Line] = []
        folio = _Folio(None, embedded=False)
        for rows in (top_rows, bottom_rows):
            for row in rows:
                row_folio = _row_folio(row, repeated)
                if row_folio is None:
                    break
                gone.extend(row)
                if folio.value is None or (folio.embedded and not row_folio.embedded):
                    folio = row_folio
        gone_ids = {id(line) for line in gone}
        body.append([line for line in page.lines if id(line) not in gone_ids])
        removed.append([line.text for line in sorted(gone, key=lambda ln: (ln.top, ln.x0))])
        folios.append(folio)
    return Furniture(body, removed, _trusted(folios))


@dataclass(frozen=True)
class _Folio:
    value: str | None
    embedded: bool  # a number inside a running header ("Annual Report 2013 | 7") rather than alone


def _trusted(folios: list[_Folio]) -> list[str | None]:
    """Folios, dropping embedded numbers that repeat across pages (a year in a header is no folio)."""
    counts = Counter(f.value for f in folios if f.embedded and f.value)
    return [None if f.embedded and counts[f.value] > 1 else f.value for f in folios]


def _repeated_keys(edges: list[tuple[list[list[Line]], list[list[Line]]]], n_pages: int) -> set[str]:
    """Keys of edge lines that recur on enough pages to be a running header or footer."""
    if n_pages < 2:
        return set()
    pages_with: Counter[str] = Counter()
    for top_rows, bottom_rows in edges:
        keys = {_key(line.text) for row in top_rows + bottom_rows for line in row}
        pages_with.update(keys)
    needed = max(2, round(0.4 * n_pages)) if n_pages > 2 else 2
    return {key for key, count in pages_with.items() if count >= needed and key.strip("# ")}


def _row_folio(row: list[Line], repeated: set[str]) -> _Folio | None:
    """None when the row is body text; else the folio it carries (value None when it has none)."""
    folio = _Folio(None, embedded=False)
    for line in row:
        number = page_number_of(line.text)
        if number is not None:
            folio = _Folio(number, embedded=False)
        elif _key(line.text) in repeated:
            found = _TRAILING_OR_LEADING_NUMBER.search(line.text.strip())
            if found and folio.value is None:
                folio = _Folio(found.group(1) or found.group(2), embedded=True)
        else:
            return None
    return folio
