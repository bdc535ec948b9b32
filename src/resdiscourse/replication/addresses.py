"""Where to get a document by hand: its addresses, the City of Toronto Council item page at both
the addresses the City has used, and the file name to save it as.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

#: A City of Toronto Council item page at its old address (still cited) and at its current one.
_ITEM_PAGES = (
    re.compile(
        r"https?://(?:www\.)?app\.toronto\.ca/tmmis/viewAgendaItemHistory\.do\?item=([^&#\s]+)"
    ),
    re.compile(r"https?://(?:www\.)?secure\.toronto\.ca/council/agenda-item\.do\?item=([^&#\s]+)"),
)
OLD_ITEM_PAGE = "https://app.toronto.ca/tmmis/viewAgendaItemHistory.do?item="
NEW_ITEM_PAGE = "https://secure.toronto.ca/council/agenda-item.do?item="


def where_to_get(row: Mapping[str, str], folder: Path) -> str:
    """How to get the document by hand: the addresses, then the exact file name to save it as.

    A City of Toronto Council item page is given at both its addresses (see
    :func:`council_item_pages`).
    """
    parts = []
    url = row.get("url", "")
    if url:
        parts.append(f"get it from {url}")
    pages = [page for page in council_item_pages(row) if page != url]
    if pages:
        moved = any(_toronto_item(page) for page in pages)
        note = _MOVED if moved else ""
        parts.append(f"or from the Council item page {' or '.join(pages)}{note}")
    if not row.get("url"):
        notes = row.get("notes") or f"search the web for its title, {row.get('title', '?')!r}"
        parts.append(f"no address is recorded; the manifest's notes: {notes}")
    if row.get("alternative_urls"):
        parts.append(f"copies seen elsewhere (check them): {row['alternative_urls']}")
    parts.append(f"save it as {folder / row['file']}")
    return "; ".join(parts)


_MOVED = (
    " (the City moved its item pages from app.toronto.ca/tmmis to secure.toronto.ca/council; "
    "both addresses are cited)"
)


def council_item_pages(row: Mapping[str, str]) -> list[str]:
    """The row's Council item pages (``item_page_new``, ``item_page``, and ``url`` when it is
    one), each City of Toronto item page at its current address
    (secure.toronto.ca/council/agenda-item.do?item=…) and at its old one
    (app.toronto.ca/tmmis/viewAgendaItemHistory.do?item=…): both are cited."""
    pages: list[str] = []
    for key in ("item_page_new", "item_page", "url"):
        value = str(row.get(key, "")).strip()
        item = _toronto_item(value)
        forms = [NEW_ITEM_PAGE + item, OLD_ITEM_PAGE + item] if item else []
        if value and not forms and key != "url":
            forms = [value]
        pages.extend(form for form in forms if form not in pages)
    return pages


def _toronto_item(url: str) -> str:
    """The item number (2013.CD18.7) of a City of Toronto Council item page, else ""."""
    for pattern in _ITEM_PAGES:
        match = pattern.fullmatch(url)
        if match:
            return match.group(1)
    return ""
