"""Clean text of plain-text, Markdown and HTML files (the non-PDF half of `read_document`)."""

from __future__ import annotations

from pathlib import Path

from resdiscourse.errors import Location, ResdiscourseError, problem
from resdiscourse.ingest.html_file import read_html
from resdiscourse.ingest.markdown_file import read_markdown
from resdiscourse.ingest.plaintext import (
    PARAGRAPH_SEPARATOR,
    decode_bytes,
    join_paragraphs,
    split_blocks,
)
from resdiscourse.models import ExtractedText, PageMap, PageSpan

_KINDS = {
    ".txt": "text",
    ".md": "Markdown",
    ".markdown": "Markdown",
    ".html": "HTML",
    ".htm": "HTML",
}
_EMPTY_ADVICE = {
    "text": "check that the file is complete",
    "Markdown": "check that the file is complete",
    "HTML": "the page may load its text with JavaScript: save it from the browser once it has "
    "loaded (Save Page As), or save the text itself",
}


def read_text_file(path: Path, *, as_suffix: str | None = None) -> ExtractedText:
    """Clean text of a .txt, .md/.markdown or .html/.htm file (read as one of ``as_suffix``
    when given: the type its bytes showed).

    Raises :class:`ResdiscourseError` (E101 empty file, E109 other suffix, E111 undecodable);
    ``read_document`` turns it into a failed result.
    """
    kind = _KINDS.get((as_suffix or path.suffix).lower())
    if kind is None:
        raise ResdiscourseError.of("E109", Location(file=str(path)), suffix=path.suffix)
    data = path.read_bytes()
    if not data:
        raise ResdiscourseError.of("E101", Location(file=str(path)))
    if kind == "Markdown":
        result = read_markdown(data, path)
    elif kind == "HTML":
        result = read_html(data, path)
    else:
        result = read_plain_text(data, path)
    if not result.text:
        advice = _EMPTY_ADVICE[kind]
        result.problems.append(problem("W109", Location(file=str(path)), kind=kind, advice=advice))
    return result


def read_plain_text(data: bytes, path: Path) -> ExtractedText:
    """A .txt file: blank lines separate paragraphs, form feeds separate pages."""
    text = decode_bytes(data, path).replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()  # pdftotext and friends end every page, the last one too, with a form feed
    return paged_text([join_paragraphs(split_blocks(page)) for page in pages], engine="text")


def paged_text(pages: list[str], engine: str) -> ExtractedText:
    """Join clean page texts with a paragraph break and map every page, empty ones included.

    An empty page gets an empty span at the end of the text before it: page numbers stay physical.
    """
    parts: list[str] = []
    spans: list[PageSpan] = []
    cursor = 0
    for number, page in enumerate(pages, start=1):
        if page and parts:
            cursor += len(PARAGRAPH_SEPARATOR)
        start = cursor
        if page:
            parts.append(page)
            cursor += len(page)
        spans.append(PageSpan(start, cursor, number, str(number)))
    text = PARAGRAPH_SEPARATOR.join(parts)
    return ExtractedText(text=text, page_map=PageMap(tuple(spans)), engine=engine, pages=len(pages))
