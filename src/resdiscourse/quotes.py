"""Quoting a retrieved segment and citing its pages, the same way in ``report.html`` (exemplars
per code, ``report/html.py``) and in ``findings.md`` (exemplars per finding,
``replication/findings.py``).

A citation names the printed folio (``page_label``, e.g. ``iv`` or ``12``) and adds the PDF's
physical page in brackets when the two differ, so a reader can find the passage in the printed
document and in the file: ``p. 12``, ``p. iv (PDF p. 5)``, ``pp. 12–13 (PDF pp. 14–15)``.

It lives outside ``report/`` so that the findings need not load the report's pandas tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from resdiscourse.rundir import CodeRun

#: How a missing value is shown.
UNKNOWN = "(unknown)"
#: A longer segment (a paragraph unit) is cut in a quote; texts/ has it whole.
QUOTE_LIMIT = 900


def cited_pages(
    page: str,
    page_label: str,
    page_end: str = "",
    page_end_label: str = "",
    *,
    unknown: str | None = None,
) -> str:
    """``p. 12``, ``pp. 12–13``: the printed folios (else the physical pages), with the PDF's
    physical pages in brackets when they differ from the printed ones. ``page_end`` and
    ``page_end_label``: where the passage ends, when that is another page. ``unknown``: the
    text for a passage with neither a page nor a label (``p. `` when it is None)."""
    first, last = page, page_end or page
    label = page_label or first
    end_label = page_end_label or (label if last == first else last)
    if unknown is not None and (label, first) == ("", ""):
        return unknown
    if last != first or end_label != label:
        printed, physical = f"pp. {label}–{end_label}", f"PDF pp. {first}–{last}"
        differs = (label, end_label) != (first, last)
    else:
        printed, physical, differs = f"p. {label}", f"PDF p. {first}", label != first
    return f"{printed} ({physical})" if differs and first else printed


def end_label(run: CodeRun, segment: dict[str, str]) -> str:
    """The printed folio of the page where ``segment`` ends, when it ends on another page than
    it starts ("" when it does not); the physical page when that page has no label."""
    page, page_end = segment.get("page", ""), segment.get("page_end", "")
    if not page_end or page_end == page:
        return ""
    end = int(segment["end"]) if segment.get("end", "").isdigit() else 0
    return run.page_map(segment["doc_id"]).label_at(max(end - 1, 0)) or page_end


def segment_pages(run: CodeRun, segment: dict[str, str], *, unknown: str | None = None) -> str:
    """:func:`cited_pages` for a row of segments.csv."""
    return cited_pages(
        segment.get("page", ""),
        segment.get("page_label", ""),
        segment.get("page_end", ""),
        end_label(run, segment),
        unknown=unknown,
    )


def citation(run: CodeRun, segment: dict[str, str]) -> str:
    """``Title (year), p. <printed page>``, with the PDF's physical page when it differs."""
    title = segment.get("title") or segment["doc_id"]
    year = f" ({segment['year']})" if segment.get("year") else ""
    return f"{title}{year}, {segment_pages(run, segment)}"


def clip_quote(text: str, limit: int = QUOTE_LIMIT) -> tuple[str, bool]:
    """``text`` with whitespace collapsed, cut to at most ``limit`` characters on a word
    boundary; and whether it was cut (findings.md then adds " […]")."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat, False
    head = flat[: limit + 1]
    cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else flat[:limit]).rstrip(), True
