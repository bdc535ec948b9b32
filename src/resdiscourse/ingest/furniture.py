"""Running headers, footers and page numbers ("page furniture"): find them, remove them, read
folios.

A line is furniture when it sits at the very top or bottom of a page and either repeats across pages
(digits and roman numerals ignored) or is a page number ("Page 3 of 12", "- 3 -", "iv"). Lines are
peeled from the page's edges inwards, so a body line is never removed from between other body lines.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import takewhile
from statistics import median

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
    #: Drawn boxes and images (x0, top, x1, bottom): a figure below a lone top line makes it a
    #: caption.
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)


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


def _rows(page: PageLines) -> list[list[Line]]:
    """The page's lines grouped into rows (same vertical band), top to bottom."""
    rows: list[list[Line]] = []
    for line in sorted(page.lines, key=lambda ln: ln.top):
        if rows and line.top < rows[-1][0].bottom - 0.25 * (line.bottom - line.top):
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _edge_rows(rows: list[list[Line]], height: float) -> tuple[list[list[Line]], list[list[Line]]]:
    """The rows inside the top and the bottom zone, outermost first (an unbroken run from the
    edge).
    """
    top_limit = height * EDGE_ZONE
    bottom_limit = height * (1 - EDGE_ZONE)
    top = list(takewhile(lambda row: max(ln.bottom for ln in row) <= top_limit, rows))
    bottom = list(takewhile(lambda row: min(ln.top for ln in row) >= bottom_limit, rows[::-1]))
    return top[:MAX_ROWS_PER_EDGE], bottom[:MAX_ROWS_PER_EDGE]


def find_furniture(pages: list[PageLines]) -> Furniture:
    """Remove running headers/footers and page numbers from every page; read the folios."""
    page_rows = [_rows(page) for page in pages]
    edges = [_edge_rows(rows, page.height) for rows, page in zip(page_rows, pages, strict=True)]
    repeated = _repeated_keys(edges, len(pages))
    sizes = [ln.size for page in pages for ln in page.lines]
    rules = _Rules(repeated, median(sizes) if sizes else 0.0, len(pages), _numbered_keys(edges))
    body: list[list[Line]] = []
    removed: list[list[str]] = []
    folios: list[_Folio] = []
    for page, rows, (top_rows, bottom_rows) in zip(pages, page_rows, edges, strict=True):
        gone: list[Line] = []
        folio = _Folio(None, embedded=False)
        for edge_rows, from_top in ((top_rows, True), (bottom_rows, False)):
            for depth, row in enumerate(edge_rows):
                lone = from_top and depth == 0 and rules.lone_header(row, rows, page.boxes)
                row_folio = _Folio(None, embedded=False) if lone else _row_folio(row, rules)
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
    """Folios, dropping embedded numbers that repeat across pages (a year in a header is no
    folio).
    """
    counts = Counter(f.value for f in folios if f.embedded and f.value)
    return [None if f.embedded and counts[f.value or ""] > 1 else f.value for f in folios]


@dataclass(frozen=True)
class _Rules:
    repeated: Counter[str]
    body_size: float
    n_pages: int
    numbered: frozenset[str]  # keys whose number changes from page to page

    def running(self, line: Line) -> bool:
        """A recurring edge line no larger than body text; a larger one (a recurring section
        heading is larger) only when it is on nearly every page and says the same on each: a
        larger line whose number changes ("Section 3", "Section 4") is a heading."""
        key = _key(line.text)
        pages = self.repeated.get(key, 0)
        if not pages:
            return False
        if line.size <= 1.05 * self.body_size:
            return True
        return pages >= 0.8 * self.n_pages and key not in self.numbered

    def lone_header(
        self,
        row: list[Line],
        rows: list[list[Line]],
        boxes: list[tuple[float, float, float, float]],
    ) -> bool:
        """A top line in a smaller type than the body, set apart from it and from any figure
        below it: a running header on a page where repetition cannot show it (the only page
        after a title page). In a longer document a header repeats; a lone small line at a
        page's top is a caption or a note, and one right above a figure is its caption."""
        if self.n_pages > 2 or len(rows) < 2 or row is not rows[0] or not self.body_size:
            return False
        below = min(ln.top for ln in rows[1])
        x0, x1 = min(ln.x0 for ln in row), max(ln.x1 for ln in row)
        bottom = max(ln.bottom for ln in row)
        below = min(
            [below] + [top for b0, top, b1, _ in boxes if top >= bottom and b0 < x1 and x0 < b1]
        )
        smaller = max(ln.size for ln in row) < 0.95 * self.body_size
        return smaller and below - max(ln.bottom for ln in row) >= 0.8 * self.body_size


def _repeated_keys(
    edges: list[tuple[list[list[Line]], list[list[Line]]]], n_pages: int
) -> Counter[str]:
    """Keys of edge lines that recur on enough pages to be a running header or footer, with the
    number of pages each is on."""
    if n_pages < 2:
        return Counter()
    pages_with: Counter[str] = Counter()
    for top_rows, bottom_rows in edges:
        keys = {_key(line.text) for row in top_rows + bottom_rows for line in row}
        pages_with.update(keys)
    # A report's header may skip its title page, map pages and section openers: a fifth of the
    # pages (at least 3; 2 in short documents) is enough at the very edge of the page.
    needed = 2 if n_pages <= 4 else max(3, math.ceil(0.2 * n_pages))
    return Counter(
        {key: count for key, count in pages_with.items() if count >= needed and key.strip("# ")}
    )


def _numbered_keys(edges: list[tuple[list[list[Line]], list[list[Line]]]]) -> frozenset[str]:
    """Keys of edge lines that recur with a different number on different pages."""
    texts: dict[str, set[str]] = {}
    for top_rows, bottom_rows in edges:
        for row in top_rows + bottom_rows:
            for line in row:
                key = _key(line.text)
                if "#" in key:
                    texts.setdefault(key, set()).add(" ".join(line.text.split()))
    return frozenset(key for key, seen in texts.items() if len(seen) > 1)


def _row_folio(row: list[Line], rules: _Rules) -> _Folio | None:
    """None when the row is body text; else the folio it carries (value None when it has none)."""
    folio = _Folio(None, embedded=False)
    for line in row:
        number = page_number_of(line.text)
        if number is not None:
            folio = _Folio(number, embedded=False)
        elif rules.running(line):
            found = _TRAILING_OR_LEADING_NUMBER.search(line.text.strip())
            if found and folio.value is None:
                folio = _Folio(found.group(1) or found.group(2), embedded=True)
        else:
            return None
    return folio
