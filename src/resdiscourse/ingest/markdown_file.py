"""Clean text of a Markdown file: the rendered words, without markup; front matter as metadata."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from resdiscourse.ingest.html_file import html_fragment_paragraphs
from resdiscourse.ingest.metadata import date_fields, language_code, scalar_text, year_in
from resdiscourse.ingest.plaintext import (
    clean_paragraph,
    decode_bytes,
    join_paragraphs,
    single_page,
    split_blocks,
)
from resdiscourse.models import ExtractedText

_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>(?:.*\n)*?)(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_BREAK_TAG = re.compile(r"<br\b", re.I)


def read_markdown(data: bytes, path: Path) -> ExtractedText:
    """Headings, paragraphs, list items, quotes, table rows and code blocks, one paragraph each."""
    source = decode_bytes(data, path).replace("\r\n", "\n").replace("\r", "\n")
    metadata, body = split_front_matter(source)
    renderer = _Renderer()
    renderer.render(_PARSER.parse(body))
    text = join_paragraphs(renderer.paragraphs)
    if "title" not in metadata and renderer.title:
        metadata["title"] = renderer.title
    return ExtractedText(text, single_page(text), "markdown", 1, metadata=metadata)


def split_front_matter(source: str) -> tuple[dict[str, str], str]:
    """Metadata of a leading ``---`` YAML block and the Markdown after it.

    A leading block that is not a YAML mapping is Markdown (two rules around a paragraph).
    """
    match = _FRONT_MATTER.match(source)
    if not match:
        return {}, source
    try:
        data = yaml.safe_load(match.group("yaml"))
    except yaml.YAMLError:
        return {}, source
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, source
    return front_matter_metadata(data), source[match.end() :]


def front_matter_metadata(data: dict[object, object]) -> dict[str, str]:
    """Front-matter scalars as strings; date, year and language normalised like other readers."""
    metadata: dict[str, str] = {}
    for key, value in data.items():
        text = scalar_text(value)
        if text:
            metadata[str(key).strip().lower()] = text
    if "lang" in metadata and "language" not in metadata:
        metadata["language"] = metadata.pop("lang")
    if "language" in metadata:
        metadata["language"] = language_code(metadata["language"])
    if "date" in metadata:
        dated = date_fields(metadata["date"])
        metadata.update(dated or {"year": metadata.get("year") or year_in(metadata["date"])})
    return {key: value for key, value in metadata.items() if value}


class _Renderer:
    """Walks markdown-it's block tokens, turning each text block into one paragraph."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.title = ""  # the first level-1 heading
        self._prefix = ""  # list marker waiting for the item's first paragraph
        self._cells: list[str] | None = None  # the table row being read
        self._in_h1 = False

    def render(self, tokens: Sequence[Token]) -> None:
        for token in tokens:
            self._block(token)

    def _block(self, token: Token) -> None:
        kind = token.type
        if kind == "list_item_open":
            # Ordered items carry their number in `info`; bullets have none.
            self._prefix = f"{token.info}{token.markup} " if token.info else "• "
        elif kind == "list_item_close":
            self._prefix = ""
        elif kind == "heading_open":
            self._in_h1 = token.tag == "h1" and not self.title
        elif kind == "tr_open":
            self._cells = []
        elif kind == "tr_close":
            cells = (clean_paragraph(cell) for cell in self._cells or [])
            self._cells = None
            self._add(" | ".join(cell for cell in cells if cell))
        elif kind == "inline":
            self._inline(inline_text(token.children or []))
        elif kind in ("fence", "code_block"):
            for block in split_blocks(token.content):
                self._add(block)
        elif kind == "html_block":
            for paragraph in html_fragment_paragraphs(token.content):
                self._add(paragraph)

    def _inline(self, text: str) -> None:
        if self._cells is not None:
            self._cells.append(text)
            return
        if self._in_h1:
            self.title = clean_paragraph(text)
            self._in_h1 = False
        self._add(text)

    def _add(self, text: str) -> None:
        text = clean_paragraph(text)
        if text:
            self.paragraphs.append(self._prefix + text)
            self._prefix = ""


def inline_text(tokens: Sequence[Token]) -> str:
    """The words of an inline run: emphasis and link markup dropped, images give their alt text."""
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(inline_text(token.children or []))
        elif token.type == "html_inline" and _BREAK_TAG.match(token.content):
            parts.append(" ")
    return "".join(parts)
