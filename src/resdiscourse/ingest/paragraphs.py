"""Ordered lines → paragraphs → the clean text with a page map.

Clean-text contract: paragraphs are joined by a blank line ("\\n\\n"); the lines of a paragraph
are joined by one space; a hyphen that only marks a line break is removed ("resil-" + "ience"), a
real one is kept ("decision-" + "making" → "decision-making"). A paragraph that runs on into the
next column or page stays one paragraph.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from resdiscourse.ingest.clean import (
    BULLET,
    LINE_END_HYPHENS,
    Hyphenation,
    guess_language,
    normalize_chars,
    word_frequency,
)
from resdiscourse.ingest.layout import Line, Region
from resdiscourse.models import HEADING, INDEX, LIST_ITEM, TABLE, TOC, Block

_BULLET = re.compile(
    r"^(?:[•●▪◦‣∙·○■□➢►✓*–—\uf0b7\uf0a7\uf06c\uf06e\uf076\uf0d8\uf0fc\uf0a8-]\s|\(cid:\d+\)\s"
    r"|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s|\([ivx]+\)\s)"
)
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’»)\]]*$")
#: A line that leaves more than this share of its column empty ends its paragraph (with a full
#: stop).
SHORT_LINE_SHARE = 0.25


@dataclass(frozen=True)
class _Placed:
    line: Line
    page_index: int
    region: Region
    new_paragraph: bool
    list_item: bool  # the paragraph this line belongs to opened with a bullet or number


@dataclass
class PageText:
    """The clean text of a document and, per page, the span of it that came from that page."""

    text: str
    page_spans: list[tuple[int, int]]  # (start, end) per page; start == end for a page with no text
    blocks: list[Block] = field(default_factory=list)


@dataclass
class _Builder:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    spans: dict[int, list[int]] = field(default_factory=dict)

    def emit(self, separator: str, text: str, page_index: int) -> tuple[int, int]:
        """Add a line's text after ``separator``; returns where the text stands."""
        if self.parts:
            self.parts.append(separator)
            self.length += len(separator)
        span = self.spans.setdefault(page_index, [self.length, self.length])
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        span[1] = self.length
        return start, self.length


def assemble(pages: list[list[Region]], language: str | None = None) -> PageText:
    """Join the ordered regions of every page into the clean text and its page spans."""
    placed = _place(pages, _frame_bottom(pages), _line_body_size(pages))
    texts = [_line_text(item.line) for item in placed]
    hyphenation = Hyphenation(texts, language or guess_language(" ".join(texts[:400])))
    builder = _Builder()
    glue = ""
    word = ""  # the start of a word that the line before broke off at its end, joined to this one
    offsets: list[tuple[int, int]] = []
    for index, item in enumerate(placed):
        text = texts[index]
        runs_on = index + 1 < len(placed) and not placed[index + 1].new_paragraph
        separator = "\n\n" if item.new_paragraph else glue
        if item.region.table:
            glue = "\n"  # one table row a line
        elif runs_on:
            head = word if separator == "" and " " not in text else ""
            text, glue = _line_end(text, texts[index + 1], hyphenation, head)
            word = head + text.rsplit(" ", 1)[-1] if glue == "" else ""
        else:
            text = text.rstrip("\u00ad")
        offsets.append(builder.emit(separator, text, item.page_index))
    blocks = find_blocks(placed, texts, offsets)
    return PageText("".join(builder.parts), _page_spans(builder, len(pages)), blocks)


#: A paragraph set this much larger than the document's body text is a heading.
HEADING_SIZE_RATIO = 1.12
#: ... when it has at most this many lines and characters.
HEADING_MAX_LINES, HEADING_MAX_CHARS = 3, 200
#: Consecutive index entries ("resilience, 12, 45–47") that make an index.
INDEX_MIN_LINES = 4
_PAGE_REF = r"(?:\d{1,4}(?:\s?[–-]\s?\d{1,4})?n?|[ivxlc]{1,6})"
_INDEX_ENTRY = re.compile(rf"^[^\W\d][^.!?:;]{{0,70}}?,\s?{_PAGE_REF}(?:,\s?{_PAGE_REF})*\.?$")


def find_blocks(
    placed: list[_Placed], texts: list[str], offsets: list[tuple[int, int]]
) -> list[Block]:
    """Headings, list items, tables, tables of contents and indexes, from the layout.

    A heading is a short paragraph set larger than the body text; a list item a paragraph that
    opens with a bullet or an enumerator; a table a region read row by row; a table of contents a
    run of paragraphs that end in dot leaders and a page number; an index a run of lines that
    each end in page numbers. Each block is a span of the clean text, in text order."""
    if not placed:
        return []
    body = _body_size(placed, texts)
    bold_body = _bold_body(placed, texts)
    blocks: list[Block] = []
    index_lines = [
        i
        for i, text in enumerate(texts)
        if not placed[i].region.table and len(text) <= 80 and _INDEX_ENTRY.match(text)
    ]
    in_index = _long_runs(index_lines, INDEX_MIN_LINES)
    first = 0
    previous: str | None = None
    for last in range(1, len(placed) + 1):
        if last < len(placed) and not _block_starts(placed, first, last):
            continue
        kind = _paragraph_kind(placed[first:last], texts[first:last], body, bold_body)
        if 2 * sum(1 for i in range(first, last) if i in in_index) > last - first:
            kind = INDEX
        if kind is not None:
            start, end = offsets[first][0], offsets[last - 1][1]
            if previous == kind and kind in (TABLE, TOC, INDEX):
                start = blocks.pop().start  # one table, contents or index, whatever its pages
            blocks.append(Block(start, end, kind))
        previous, first = kind, last
    return blocks


def _block_starts(placed: list[_Placed], first: int, index: int) -> bool:
    """Does line ``index`` open a new paragraph (or table row run) after ``first``?"""
    item = placed[index]
    if item.region.table != placed[first].region.table:
        return True
    return item.new_paragraph and not item.region.table


def _paragraph_kind(
    lines: list[_Placed], texts: list[str], body: float, bold_body: bool
) -> str | None:
    if lines[0].region.table:
        return TABLE
    if _TOC_ENTRY.search(texts[-1]):
        return TOC
    chars = sum(len(text) for text in texts)
    short = len(lines) <= HEADING_MAX_LINES and chars <= HEADING_MAX_CHARS
    if short and min(item.line.size for item in lines) >= HEADING_SIZE_RATIO * body:
        return HEADING
    if _BULLET.match(texts[0]):
        return LIST_ITEM
    if short and not bold_body and all(item.line.bold for item in lines):
        return HEADING if _reads_as_heading(" ".join(texts)) else None
    return None


#: A bold paragraph that ends like this is an emphasised sentence, not a heading ...
_CLAUSE_END = re.compile(r"[.,;][\"'”’)\]]*$")
#: ... unless it is this short ("Purpose.", "1.2 Scope of this chapter.").
BOLD_HEADING_MAX_WORDS = 8


#: A heading opens with a capital or a section number and holds a word ("2.1 Scope", "Purpose";
#: not "1.", "T" or "funding for Open", the bold pieces of a diagram).
_HEADING_START = re.compile(r"^(?:[\d.]+\s+|[A-Z]\.\s+)?[^\W\d_a-z]")
_WORD = re.compile(r"[^\W\d_]{3}")


def _reads_as_heading(text: str) -> bool:
    """A bold paragraph in body-size type is a heading when it opens like one and does not read as
    a sentence of the body set in bold for emphasis (a clause end after more than a few words)."""
    if not _HEADING_START.match(text) or not _WORD.search(text):
        return False
    return not _CLAUSE_END.search(text) or (
        not text.endswith((",", ";")) and len(text.split()) <= BOLD_HEADING_MAX_WORDS
    )


def _bold_body(placed: list[_Placed], texts: list[str]) -> bool:
    """Is most of the document's text set in bold (so that bold marks nothing out)?"""
    bold = sum(len(text) for item, text in zip(placed, texts, strict=True) if item.line.bold)
    return 2 * bold > sum(len(text) for text in texts)


def _body_size(placed: list[_Placed], texts: list[str]) -> float:
    """The type size that most characters of the document are set in."""
    sizes: Counter[float] = Counter()
    for item, text in zip(placed, texts, strict=True):
        sizes[round(item.line.size * 2) / 2] += len(text)
    return sizes.most_common(1)[0][0]


def _long_runs(indices: list[int], minimum: int) -> set[int]:
    """The members of runs of consecutive integers at least ``minimum`` long."""
    found: set[int] = set()
    run: list[int] = []
    for index in [*indices, -2]:
        if run and index == run[-1] + 1:
            run.append(index)
            continue
        if len(run) >= minimum:
            found.update(run)
        run = [index]
    return found


def _page_spans(builder: _Builder, n_pages: int) -> list[tuple[int, int]]:
    """Spans per page; a page without text gets an empty span where the next page's text starts."""
    spans: list[tuple[int, int]] = []
    for index in reversed(range(n_pages)):
        if index in builder.spans:
            start, end = builder.spans[index]
        else:
            start = end = spans[-1][0] if spans else builder.length
        spans.append((start, end))
    return spans[::-1]


#: pdfplumber writes a glyph without a Unicode value as "(cid:N)"; one that opens a line before
#: its text is a list bullet (Symbol's bullet is "(cid:127)" in many files).
_CID_BULLET = re.compile(r"^\(cid:\d+\)\s*")
_GLUED_BULLET = re.compile(rf"^([{BULLET}●▪◦‣∙■□➢►])(?=\w)")


def _line_text(line: Line) -> str:
    text = " ".join(_word_text(w.text) for w in line.words)
    if len(line.words) > 1 or len(text) > 10:
        text = _CID_BULLET.sub(f"{BULLET} ", text)
    return _GLUED_BULLET.sub(r"\1 ", text)


def _word_text(text: str) -> str:
    # A soft hyphen at a word's end marks a line-break point: keep it until the lines are joined.
    if text.endswith("\u00ad"):
        return normalize_chars(text[:-1]) + "\u00ad"
    return normalize_chars(text)


def _line_end(
    text: str, following: str, hyphenation: Hyphenation, head: str = ""
) -> tuple[str, str]:
    """The line's text and the glue before the next line of the same paragraph.

    ``head`` is what the lines before held of the line's only word (an address set over three
    lines: "https://www.ontario.ca/data/city-go" + "vernment/en/consideration-" + "which.html").
    """
    if text.endswith("\u00ad"):
        return text[:-1], ""
    last = head + text.rsplit(" ", 1)[-1]
    first = following.split(" ", 1)[0]
    if _address_continues(last, first) or _mailbox_continues(last, first, hyphenation.language):
        return text, ""
    if len(last) >= 2 and last[-1] in LINE_END_HYPHENS and last[-2].isalpha() and following:
        if hyphenation.keep_hyphen(last, following):
            return text, ""
        return text[:-1], ""
    return text, " "


_ADDRESS = re.compile(r"(?:https?://|ftp://|www\.|doi:|\b10\.\d{4,}/|[\w.+-]+@)", re.IGNORECASE)
_ADDRESS_BREAKS = "/.-_?&=#@:~"
#: A line that ends inside an address whose start stood on the line before: a path or a mailbox.
_ADDRESS_PART = re.compile(r"\w\.\w\S*/|\w@\w")
_SCHEME = re.compile(r"(?:https?|ftps?)", re.IGNORECASE)
_SCHEME_REST = re.compile(r"^([a-z]{0,4})://\w", re.IGNORECASE)
_TRAILING_LETTERS = re.compile(r"[a-z]+$", re.IGNORECASE)
_MAILBOX = re.compile(r"^([\w.+-]+)@[\w-]+\.[\w.-]+")
_ADDRESS_INNER = re.compile(r"[^\s]*[/.@?=&_#][\w%~-]")


def _address_continues(last: str, first: str) -> bool:
    """Is ``first`` the rest of a URL, DOI or e-mail address broken after ``last`` at a line end?

    Typesetters break an address after a separator ("https://doi.org/" + "10.1093/..."), or
    inside a segment when the rest still holds one ("…/bjs" + "w/bcab057"); a sentence that ends
    with an address ("….ca." + "The") goes on with a capital.
    """
    if not first or last.endswith((",", ";", ")")):
        return False
    if _straddles(last, first):
        return True  # broken inside the address's own start: "www" + ".city.ca", "j.smith" + "@…"
    scheme = _SCHEME_REST.match(first)
    letters = _TRAILING_LETTERS.search(last)
    if scheme and letters and _SCHEME.fullmatch(letters.group() + scheme.group(1)):
        return True  # "http" + "s://…"
    if not _ADDRESS.search(last) and not _ADDRESS_PART.search(last):
        return False
    if first[0].isupper() and last.endswith("."):
        return False
    if last[-1] in _ADDRESS_BREAKS:
        return first[0].isalnum() or first[0] in _ADDRESS_BREAKS
    return first[0].isalnum() and bool(_ADDRESS_INNER.match(first))


#: The start of an address that a line break can fall inside: "www." or a mailbox's "@domain.tld".
_ADDRESS_START = re.compile(r"www\.\w|[\w.+-]@[\w-]+\.\w", re.IGNORECASE)


def _straddles(last: str, first: str) -> bool:
    """Does an address start only when ``last`` and ``first`` are joined, the break falling
    inside it ("www" + ".toronto.ca", "j.smith" + "@example.gc.ca")?"""
    if _ADDRESS_START.search(first) or _ADDRESS_START.search(last):
        return False
    found = _ADDRESS_START.search(last + first)
    return found is not None and found.start() < len(last) < found.end()


def _mailbox_continues(last: str, first: str, language: str) -> bool:
    """Is ``first`` the rest of an e-mail address broken after ``last``: the mailbox's first
    letters ("poli" + "cy.office@toronto.ca", "policy.offic" + "e@…"), not a word before an
    address ("to" + "j.smith@example.gc.ca")?"""
    match = _MAILBOX.match(first)
    if not match or not last or not last[-1].isalnum() or "@" in last:
        return False
    local = match.group(1)
    if len(local) <= 2 or "." in last:
        return True
    head, rest = _TRAILING_LETTERS.search(last), re.match(r"[^\W\d_]+", local)
    if head is None or rest is None:
        return False
    # "poli" + "cy" make a word far commoner than either part; "to" + "j" do not. A lone letter
    # after a mailbox's separator ("newcomer-s" + "ervices@…") is a piece, not the word "s".
    joined = word_frequency(head.group() + rest.group(), language)
    piece = len(head.group()) == 1 and head.start() > 0 and last[head.start() - 1] in "-_+"
    parts = max(
        0.0 if piece else word_frequency(head.group(), language),
        word_frequency(rest.group(), language),
    )
    return joined >= 3.0 and joined > parts


def _frame_bottom(pages: list[list[Region]]) -> float:
    """The lowest body line of the document: where a full column ends."""
    bottoms = [r.lines[-1].bottom for regions in pages for r in regions if r.lines]
    return max(bottoms, default=0.0)


def _line_body_size(pages: list[list[Region]]) -> float:
    """The type size that most characters of the document's lines are set in."""
    sizes: Counter[float] = Counter()
    for regions in pages:
        for region in regions:
            for line in region.lines:
                sizes[round(line.size * 2) / 2] += sum(len(w.text) for w in line.words)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _place(pages: list[list[Region]], frame_bottom: float, body: float) -> list[_Placed]:
    placed: list[_Placed] = []
    previous: _Placed | None = None
    for page_index, regions in enumerate(pages):
        for region in regions:
            typical_gap = _typical_gap(region)
            for position, line in enumerate(region.lines):
                if previous is None or region.table:
                    new = previous is None or position == 0
                elif previous.region.table:
                    new = True
                elif position == 0:
                    new = _starts_after_break(previous, line, frame_bottom)
                else:
                    new = _starts_paragraph(previous, line, typical_gap, body)
                in_list = (
                    bool(_BULLET.match(line.text)) if new else bool(previous and previous.list_item)
                )
                current = _Placed(line, page_index, region, new, in_list)
                placed.append(current)
                previous = current
    return placed


def _typical_gap(region: Region) -> float:
    gaps = [
        b.top - a.bottom
        for a, b in zip(region.lines, region.lines[1:], strict=False)
        if -0.5 * a.size < b.top - a.bottom < 0.6 * a.size
    ]
    return median(gaps) if gaps else 0.15 * median(ln.size for ln in region.lines)


def _opens_block(above: Line, line: Line) -> bool:
    """A change of type size (a heading) or a bullet always starts a paragraph."""
    return abs(above.size - line.size) > 0.12 * max(above.size, line.size) or bool(
        _BULLET.match(line.text)
    )


#: A table-of-contents entry ends in dot leaders and a page number ("Definitions ....... 7").
_TOC_ENTRY = re.compile(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlc]{1,7})?$|…{2,}\s*\d{0,4}$", re.I)


def _starts_paragraph(previous: _Placed, line: Line, typical_gap: float, body: float) -> bool:
    """Does ``line`` open a new paragraph after ``previous`` in the same column?"""
    above = previous.line
    if _opens_block(above, line) or _TOC_ENTRY.search(above.text):
        return True
    if _footnote(line, body) and _SENTENCE_END.search(above.text):
        return True  # the next footnote, not the rest of the one above
    if above.text.endswith(tuple(LINE_END_HYPHENS)) and line.text[:1].islower():
        return False  # a word broken at the line end goes on below a figure set between the lines
    if line.top - above.bottom > typical_gap + 0.45 * line.size:
        return True
    indent = line.x0 - above.x0
    if indent > 0.8 * line.size and not _BULLET.match(above.text):
        # A first-line indent; not the hanging indent under a footnote's number.
        return not (_footnote(above, body) and indent < 2 * line.size)
    if indent < -0.8 * line.size and previous.list_item and not _BULLET.match(above.text):
        return True  # back out of a list item's hanging indent
    return line.text[:1].isupper() and _ends_paragraph(previous, line)


#: A footnote opens with its number and a space ("2 Is it not well known…").
_FOOTNOTE = re.compile(r"^\d{1,2} [^\W\d_\s]|^\d{1,2} [\"“‘(]")
#: Footnotes are set at most this share of the body's type size.
FOOTNOTE_SIZE_SHARE = 0.95


def _footnote(line: Line, body: float) -> bool:
    """Does ``line`` open a footnote: its number, in type smaller than the body's?"""
    return line.size < FOOTNOTE_SIZE_SHARE * body and bool(_FOOTNOTE.match(line.text))


def _ends_paragraph(previous: _Placed, line: Line) -> bool:
    """Did ``previous`` end its paragraph?

    Yes when the next line's first word would have fitted in the space left at its end (text is
    set greedily, line by line), whether or not a sentence ends there; and when it ends a sentence
    and leaves a good part of its column empty.
    """
    region = previous.region
    room = region.column_x1 - previous.line.x1
    first_word = line.words[0]
    if room > first_word.x1 - first_word.x0 + 0.4 * line.size:
        return True
    if not _SENTENCE_END.search(previous.line.text):
        return False
    return room > SHORT_LINE_SHARE * (region.column_x1 - region.column_x0)


def _starts_after_break(previous: _Placed, line: Line, frame_bottom: float) -> bool:
    """Does the first line of a new column, band or page open a paragraph or continue one?"""
    above = previous.line
    if _opens_block(above, line) or _TOC_ENTRY.search(above.text):
        return True
    if above.text.endswith(tuple(LINE_END_HYPHENS)) or line.text[:1].islower():
        return False
    if line.top - above.bottom > 0.6 * line.size:
        return True  # a new band or block below, after a gap (a column top is above, not below)
    return _ends_paragraph(previous, line) or _column_ended_early(previous, frame_bottom)


def _column_ended_early(previous: _Placed, frame_bottom: float) -> bool:
    """A column left with room for another line (before the document's lowest body line) ended
    its paragraph there: the next one, with the space before it, did not fit."""
    if not _SENTENCE_END.search(previous.line.text):
        return False
    lines = previous.region.lines
    pitches = [b.top - a.top for a, b in itertools.pairwise(lines) if b.top > a.top]
    pitch = median(pitches) if pitches else 1.2 * previous.line.size
    return previous.line.bottom + pitch <= frame_bottom + 0.1 * pitch
