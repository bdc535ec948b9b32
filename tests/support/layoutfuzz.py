"""A seeded layout fuzzer: random pages typeset with reportlab, and the text a perfect reader gives.

Dev-only (reportlab is in the ``dev`` extra). ``fuzz_document(seed)`` always gives the same PDF and
truth for the same seed and prose. Each document has 2–4 pages, so running heads and folios repeat
as they do in real documents. Every page draws from the same space of layouts:

* 1–3 columns, and pages that mix full-width blocks with column bands (short bands of a few lines
  between full-width blocks too); column tops level or staggered;
* justified or ragged text; paragraphs marked by a gap or a first-line indent, breaking anywhere
  (a paragraph may run on for many lines, across columns and bands); line-end hyphenation;
* running heads and folios in the usual styles (left, centred, split left/right, with a rule;
  "7", "Page 7", "Page 7 of 9", "- 7 -", roman), or none;
* headings, bullet lists, figures (blank boxes) with captions, at the top, middle or bottom of a
  column; footnotes at the page bottom; full-width tables, ruled or aligned;
* URLs, DOIs and e-mail addresses, broken at a line end where a typesetter breaks them (after
  ``/ . - _ ? & = @``, or inside a segment when the rest still holds one of ``/ . ? & = @``).

Truth (the clean-text contract of ``resdiscourse.ingest.paragraphs``): blocks joined by a blank
line, the lines of a block by one space (a line-end hyphen of a plain word removed, a compound's
kept, a URL's pieces joined with nothing); body columns in reading order; a caption where its figure
stands; footnotes after the page body; a table row by row, cells joined by " | ", one row a line;
bullets as "• "; running heads and folios left out. A page's blocks end on that page (the fuzzer
tests reading order within pages; ``synthpdf`` covers paragraphs running over page breaks).
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

__all__ = [
    "FEATURES",
    "FuzzedDoc",
    "Prose",
    "fuzz_document",
    "load_prose",
]

PROSE_DIR = Path(__file__).resolve().parents[1] / "data" / "prose"

#: Every feature the benchmark counts per page (each must occur on at least 10 % of pages).
FEATURES = (
    "one_column",
    "two_columns",
    "three_columns",
    "mixed_bands",
    "short_band",
    "staggered_tops",
    "level_tops",
    "long_paragraph",
    "justified",
    "ragged",
    "hyphenation",
    "running_head",
    "folio",
    "heading",
    "bullets",
    "figure",
    "block_at_column_top",
    "block_mid_column",
    "block_at_column_bottom",
    "footnote",
    "table",
    "url_wrapped",
    "section_heading",
)

BULLET = "\u2022"
_URL_BREAKS = "/.-_?&=@"
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


# ----------------------------------------------------------------------------------------- prose


@dataclass(frozen=True)
class Prose:
    """Sentences of public-domain prose (tests/data/prose), in their order."""

    sentences: tuple[str, ...]


@cache
def load_prose(folder: Path = PROSE_DIR) -> Prose:
    sentences: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            words = paragraph.split()
            if len(words) < 25:
                continue  # titles, signatures, addresses
            sentences.extend(s for s in _SENTENCE_SPLIT.split(" ".join(words)) if len(s) > 20)
    if not sentences:
        raise ValueError(f"no prose in {folder}")
    return Prose(tuple(sentences))


class _Text:
    """Random text from the prose: paragraphs, headings, list items, URLs."""

    def __init__(self, prose: Prose, rng: random.Random) -> None:
        self.prose = prose
        self.rng = rng

    def sentences(self, n: int) -> list[str]:
        start = self.rng.randrange(len(self.prose.sentences))
        return [self.prose.sentences[(start + i) % len(self.prose.sentences)] for i in range(n)]

    def paragraph(self, lo: int, hi: int) -> str:
        sentences = self.sentences(self.rng.randint(lo, hi))
        if self.rng.random() < 0.3:
            spot = self.rng.randrange(len(sentences))
            sentences.insert(spot, self.address())
        return " ".join(sentences)

    def phrase(self, lo: int, hi: int) -> str:
        words = [w.strip(",;:.!?()\"'") for w in self.sentences(1)[0].split()]
        words = [w for w in words if w and w.isalpha()]
        n = min(len(words), self.rng.randint(lo, hi))
        start = self.rng.randrange(len(words) - n + 1)
        text = " ".join(words[start : start + n])
        return text[:1].upper() + text[1:]

    def address(self) -> str:
        """A sentence holding a URL, a DOI or an e-mail address."""
        rng = self.rng
        slug = "-".join(self.phrase(2, 4).lower().split())
        kind = rng.choice(("url", "doi", "email", "url"))
        if kind == "url":
            host = rng.choice(("www.toronto.ca", "www.ontario.ca", "open.canada.ca", "example.org"))
            path = "/".join(
                rng.choice(("en", "fr", "city-government", "data", "reports", "docs"))
                for _ in range(rng.randint(1, 3))
            )
            target = f"https://{host}/{path}/{slug}" + rng.choice(("", ".html", ".pdf", "?id=4721"))
            return f"The full text is at {target} for anyone who asks."
        if kind == "doi":
            journal = rng.choice(("bjsw", "jrs", "imre", "cjuc"))
            doi = f"10.{rng.randint(1000, 9999)}/{journal}/{slug}{rng.randint(10, 999)}"
            prefix = rng.choice(("https://doi.org/", "doi:"))
            return f"See {prefix}{doi} on this point."
        user = rng.choice(("info", "policy.office", "newcomer-services", "j.smith"))
        domain = rng.choice(("toronto.ca", "ontario.ca", "example.gc.ca"))
        return f"Write to {user}@{domain} with comments."


def _is_address(word: str) -> bool:
    return "://" in word or "@" in word or word.startswith(("doi:", "10."))


# ----------------------------------------------------------------------------------- line breaking


@dataclass
class _Line:
    words: list[str]
    join: str = " "  # how this line's last word joins the next line's first: " ", "" or "-"
    last: bool = False  # the last line of its block (never justified)

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class _Metrics:
    font: str
    size: float
    width: Callable[[str, str, float], float]

    def __call__(self, text: str) -> float:
        return self.width(text, self.font, self.size)


def _break_lines(
    words: list[str], width: float, first_width: float, measure: _Metrics, hyphenate: bool
) -> list[_Line]:
    lines: list[_Line] = []
    current: list[str] = []
    queue = list(words)
    while queue:
        word = queue.pop(0)
        room = (first_width if not lines else width) - measure(" ".join([*current, word]))
        if room >= 0:
            current.append(word)
            continue
        space_left = (first_width if not lines else width) - measure(" ".join([*current, ""]))
        head, tail, join = _split_word(word, space_left, measure, hyphenate, not current)
        if head:
            current.append(head)
            queue.insert(0, tail)
            lines.append(_Line(current, join))
        else:
            lines.append(_Line(current))
            queue.insert(0, word)
        current = []
    lines.append(_Line(current, last=True))
    return [ln for ln in lines if ln.words]


def _split_word(
    word: str, room: float, measure: _Metrics, hyphenate: bool, alone: bool
) -> tuple[str, str, str]:
    """(head drawn at the line end, tail for the next line, join); head "" when it moves whole."""
    candidates: list[tuple[str, str, str]] = []
    if _is_address(word):
        core = word.rstrip(".,;:")
        for i in range(4, len(core) - 2):
            head, tail = word[:i], word[i:]
            after_separator = head[-1] in _URL_BREAKS
            inside = any(ch in "/.?&=@" for ch in core[i:])
            if after_separator or (inside and head[-1].isalnum() and tail[0].isalnum()):
                candidates.append((head, tail, ""))
    elif "-" in word[1:-1]:
        for i, ch in enumerate(word[:-1]):
            if ch == "-" and i > 0 and word[i - 1].isalpha() and word[i + 1].isalpha():
                candidates.append((word[: i + 1], word[i + 1 :], "-keep"))
    elif hyphenate and sum(ch.isalpha() for ch in word) >= 8 and word.isalpha():
        for i in range(3, len(word) - 2):
            candidates.append((word[:i] + "-", word[i:], "-"))
    fitting = [c for c in candidates if measure(c[0]) <= room]
    if fitting:
        return fitting[-1]
    if alone and candidates:  # a word wider than the column: break it as best one can
        return candidates[0]
    return "", word, " "


def _block_truth(lines: list[_Line]) -> str:
    parts: list[str] = []
    for line in lines:
        text = line.text
        if line.join == "-":
            parts.append(text[:-1])
        elif line.join in ("", "-keep"):
            parts.append(text)
        else:
            parts.append(text + " ")
    return "".join(parts).strip()


# ------------------------------------------------------------------------------------ page model


@dataclass
class _Style:
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    font: str
    bold: str
    size: float
    leading: float
    justified: bool
    indent_paragraphs: bool
    gutter: float
    hyphenate: bool


@dataclass
class _Row:
    """A drawable row of a column: a text line, a gap, or a figure box."""

    height: float
    line: _Line | None = None
    font: str = ""
    size: float = 0.0
    indent: float = 0.0
    bullet: str = ""
    block: int = -1  # the block this row belongs to
    keep_with_next: bool = False
    figure: bool = False
    unit: int = -1  # rows of one unit (a figure and its caption) stay in one column


@dataclass
class _Block:
    kind: str  # paragraph | heading | bullet | caption | table | footnote
    lines: list[_Line] = field(default_factory=list)
    prefix: str = ""
    table: list[list[str]] = field(default_factory=list)

    def truth(self) -> str:
        if self.kind == "table":
            return "\n".join(" | ".join(row) for row in self.table)
        return self.prefix + _block_truth(self.lines)


@dataclass
class _Draw:
    """Everything drawn on a page, in draw order."""

    texts: list[tuple[float, float, str, float, str, float]] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)

    def text(self, x: float, top: float, font: str, size: float, text: str, ws: float = 0) -> None:
        self.texts.append((x, top, font, size, text, ws))


@dataclass
class FuzzedDoc:
    seed: int
    pdf: bytes
    truth_text: str
    page_texts: list[str]
    furniture: list[str]  # running heads and folios as drawn (for the leakage count)
    features: list[set[str]]  # per page


class _Page:
    def __init__(
        self, style: _Style, text: _Text, rng: random.Random, measure: Callable[..., float]
    ) -> None:
        self.style = style
        self.text = text
        self.rng = rng
        self.measure = measure
        self.blocks: list[_Block] = []
        self.order: list[int] = []  # blocks in reading order (first row placed)
        self.draw = _Draw()
        self.features: set[str] = set()
        self.units = 0

    # -- blocks to rows

    def _metrics(self, font: str, size: float) -> _Metrics:
        return _Metrics(font, size, self.measure)

    def _text_block(
        self, kind: str, text: str, width: float, font: str, size: float, prefix: str = ""
    ) -> list[_Row]:
        s = self.style
        indent = 0.0
        first_extra = 0.0
        bullet = ""
        if kind == "bullet":
            indent = 1.4 * size
            bullet = prefix.strip()
        elif kind == "paragraph" and s.indent_paragraphs:
            first_extra = 1.5 * size
        lines = _break_lines(
            text.split(),
            width - indent,
            width - indent - first_extra,
            self._metrics(font, size),
            s.hyphenate and kind != "heading",
        )
        index = len(self.blocks)
        self.blocks.append(_Block(kind, lines, prefix))
        if any(ln.join == "-" for ln in lines):
            self.features.add("hyphenation")
        if any(ln.join == "" for ln in lines):
            self.features.add("url_wrapped")
        if kind == "paragraph" and len(lines) >= 12:
            self.features.add("long_paragraph")
        leading = s.leading / s.size * size
        rows = []
        for i, line in enumerate(lines):
            rows.append(
                _Row(
                    leading,
                    line,
                    font,
                    size,
                    indent + (first_extra if i == 0 else 0.0),
                    bullet if i == 0 else "",
                    index,
                    keep_with_next=kind == "heading",
                )
            )
        return rows

    def _gap(self, factor: float) -> _Row:
        return _Row(factor * self.style.leading)

    def _flow_blocks(self, width: float, n_blocks: int) -> list[_Row]:
        """Rows of a run of random blocks for a column of ``width``."""
        s = self.style
        rows: list[_Row] = []
        rng = self.rng
        for _ in range(n_blocks):
            choice = rng.random()
            if rows:
                rows.append(self._gap(0 if s.indent_paragraphs else 0.6))
            if choice < 0.16:
                rows[-1:] = [self._gap(0.9)] if rows else []
                rows.extend(
                    self._text_block(
                        "heading",
                        self.text.phrase(2, 6),
                        width,
                        s.bold,
                        s.size * rng.choice((1, 1.2)),
                    )
                )
                rows.append(self._gap(0.3))
                self.features.add("heading")
            elif choice < 0.28:
                for k in range(rng.randint(2, 4)):
                    if k:
                        rows.append(self._gap(0.25))
                    item = " ".join(self.text.sentences(rng.randint(1, 2)))
                    if rng.random() < 0.5:
                        item = self.text.phrase(3, 8) + rng.choice((".", ";", ""))
                    rows.extend(
                        self._text_block("bullet", item, width, s.font, s.size, BULLET + " ")
                    )
                self.features.add("bullets")
            elif choice < 0.40:
                self.units += 1
                box = _Row(rng.uniform(3, 9) * s.leading, figure=True, unit=self.units)
                caption = f"Figure {rng.randint(1, 12)}. " + self.text.phrase(3, 9) + "."
                cap_rows = self._text_block("caption", caption, width, s.font, 0.85 * s.size)
                for row in cap_rows:
                    row.unit = self.units
                gap = _Row(0.4 * s.leading, unit=self.units)
                rows.extend([box, gap, *cap_rows] if rng.random() < 0.7 else [*cap_rows, gap, box])
                self.features.add("figure")
            else:
                lo, hi = rng.choice(((1, 3), (2, 5), (6, 14)))
                rows.extend(
                    self._text_block(
                        "paragraph", self.text.paragraph(lo, hi), width, s.font, s.size
                    )
                )
        while rows and rows[-1].line is None and not rows[-1].figure:
            rows.pop()
        return rows

    # -- placing rows

    def place_band(self, y: float, columns: int, n_blocks: int, limit: float) -> float:
        """Lay a band of ``columns`` out from ``y``; the y below it (never past ``limit``)."""
        s = self.style
        body = s.width - s.left - s.right
        width = (body - (columns - 1) * s.gutter) / columns
        rows = self._flow_blocks(width, n_blocks)
        offsets = [0.0] * columns
        if columns > 1 and self.rng.random() < 0.35:
            offsets = [self.rng.choice((0, 1, 2, 3)) * s.leading for _ in range(columns)]
            offsets[self.rng.randrange(columns)] = 0.0
            if any(offsets):
                self.features.add("staggered_tops")
        if columns > 1 and not any(offsets):
            self.features.add("level_tops")
        total = sum(r.height for r in rows) + sum(offsets)
        height = min(limit - y, total / columns + s.leading * (1.5 if columns > 1 else 0))
        placed = self._fill(rows, columns, height, offsets)
        bottom = y
        for column, column_rows in enumerate(placed):
            x = s.left + column * (width + s.gutter)
            cursor = y + offsets[column]
            for index, row in enumerate(column_rows):
                self._draw_row(row, x, cursor, width, index, len(column_rows))
                cursor += row.height
            bottom = max(bottom, cursor)
        return bottom

    def _fill(
        self, rows: list[_Row], columns: int, height: float, offsets: list[float]
    ) -> list[list[_Row]]:
        """Rows into columns, each up to ``height`` (less its offset); what does not fit is cut."""
        placed: list[list[_Row]] = [[] for _ in range(columns)]
        column = 0
        used = 0.0
        i = 0
        while i < len(rows) and column < columns:
            unit = self._unit_rows(rows, i)
            need = sum(r.height for r in unit)
            if not placed[column] and unit[0].line is None and not unit[0].figure:
                i += 1  # no gap at a column top
                continue
            if used + need <= height - offsets[column] + 0.01:
                placed[column].extend(unit)
                used += need
                i += len(unit)
            elif placed[column]:
                column += 1
                used = 0.0
            else:
                i += len(unit)  # a unit taller than a column: leave it out
        for column_rows in placed:
            while column_rows and column_rows[-1].line is None and not column_rows[-1].figure:
                column_rows.pop()
            # A heading must not end a column, nor a hyphenated or URL half-line the page.
            while column_rows and column_rows[-1].keep_with_next:
                column_rows.pop()
        self._trim_blocks(placed, i < len(rows))
        return placed

    @staticmethod
    def _unit_rows(rows: list[_Row], i: int) -> list[_Row]:
        j = i + 1
        if rows[i].unit >= 0:
            while j < len(rows) and rows[j].unit == rows[i].unit:
                j += 1
        elif rows[i].keep_with_next:
            while j < len(rows) and (rows[j - 1].keep_with_next or rows[j].line is None):
                j += 1
            j = min(j + 1, len(rows))
        return rows[i:j]

    def _trim_blocks(self, placed: list[list[_Row]], cut: bool) -> None:
        """Give every block only the lines that were placed (a cut paragraph ends a full word)."""
        shown: dict[int, list[_Line]] = {}
        for column_rows in placed:
            for row in column_rows:
                if row.line is not None:
                    shown.setdefault(row.block, []).append(row.line)
        for index, lines in shown.items():
            block = self.blocks[index]
            if lines != block.lines:
                while lines and lines[-1].join != " ":
                    last = lines.pop()  # the cut falls inside a word: drop the half
                    for column_rows in placed:
                        column_rows[:] = [r for r in column_rows if r.line is not last]
                block.lines = lines
        for index in shown:
            if self.blocks[index].lines and index not in self.order:
                self.order.append(index)
        del cut

    def _draw_row(self, row: _Row, x: float, top: float, width: float, n: int, total: int) -> None:
        s = self.style
        if row.figure:
            self.draw.boxes.append((x, top, width, row.height))
        if row.line is None:
            if row.figure:
                self._position(n, total)
            return
        line = row.line
        kind = self.blocks[row.block].kind
        if kind in ("heading", "bullet") and (n == 0 or self.blocks[row.block].lines[0] is line):
            self._position(n, total)
        baseline = top + 0.8 * row.size
        if row.bullet:
            self.draw.text(
                x + row.indent - 1.2 * row.size, baseline, row.font, row.size, row.bullet
            )
        text = line.text
        ws = 0.0
        if s.justified and not line.last and line.join != "" and kind in ("paragraph", "bullet"):
            gaps = text.count(" ")
            spare = width - row.indent - self.measure(text, row.font, row.size)
            if gaps and spare > 0 and spare / gaps <= 0.45 * row.size:
                ws = spare / gaps
                self.features.add("justified")
        if not s.justified and kind == "paragraph":
            self.features.add("ragged")
        self.draw.text(x + row.indent, baseline, row.font, row.size, text, ws)

    def _position(self, n: int, total: int) -> None:
        if n <= 1:
            self.features.add("block_at_column_top")
        elif n >= total - 3:
            self.features.add("block_at_column_bottom")
        else:
            self.features.add("block_mid_column")

    # -- full-width extras

    def place_table(self, y: float, limit: float) -> float:
        s = self.style
        rng = self.rng
        n_cols = rng.randint(2, 4)
        n_rows = rng.randint(2, 6)
        size = 0.9 * s.size
        body = s.width - s.left - s.right
        widths = [rng.uniform(1, 2.5) for _ in range(n_cols)]
        widths[0] *= 1.8
        scale = body / sum(widths)
        xs = [s.left + sum(widths[:k]) * scale for k in range(n_cols)]
        head = [self.text.phrase(1, 2) for _ in range(n_cols)]
        rows = [head]
        for _ in range(n_rows):
            first = self.text.phrase(1, 3)
            rows.append([first] + [self._number() for _ in range(n_cols - 1)])
        ruled = rng.random() < 0.5
        pitch = 1.5 * size if ruled else 1.3 * size
        if y + pitch * len(rows) > limit:
            return y
        index = len(self.blocks)
        for row_index, row in enumerate(rows):
            for k, cell in enumerate(row):
                limit_w = widths[k] * scale - 0.8 * size
                while self.measure(cell, s.font, size) > limit_w and " " in cell:
                    cell = cell.rsplit(" ", 1)[0]
                row[k] = cell
                font = s.bold if row_index == 0 else s.font
                self.draw.text(xs[k] + 0.2 * size, y + 0.8 * size + 0.25 * pitch, font, size, cell)
            if ruled:
                self.draw.rules.append((s.left, s.width - s.right, y))
            y += pitch
        if ruled:
            self.draw.rules.append((s.left, s.width - s.right, y))
        self.blocks.append(_Block("table", table=rows))
        self.order.append(index)
        self.features.add("table")
        return y

    def _number(self) -> str:
        rng = self.rng
        value = rng.choice(
            (
                f"{rng.randint(1, 999)}",
                f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%",
                f"${rng.randint(1, 9)},{rng.randint(100, 999)}",
                f"{rng.randint(2008, 2024)}",
            )
        )
        return value

    def place_footnotes(self, n: int) -> float:
        """Footnotes at the bottom of the body; returns their top (where the body must end)."""
        s = self.style
        size = 0.8 * s.size
        body = s.width - s.left - s.right
        blocks = []
        for k in range(n):
            text = " ".join(self.text.sentences(self.rng.randint(1, 2)))
            lines = _break_lines(
                text.split(), body - size, body - size, self._metrics(s.font, size), s.hyphenate
            )
            blocks.append((f"{k + 1}", lines))
        height = sum(len(lines) for _, lines in blocks) * 1.2 * size
        top = s.height - s.bottom - height
        self.draw.rules.append((s.left, s.left + 0.3 * body, top - 0.5 * size))
        y = top
        self._footnotes = []
        for mark, lines in blocks:
            index = len(self.blocks)
            self.blocks.append(_Block("footnote", lines, mark + " "))
            self._footnotes.append(index)
            for i, line in enumerate(lines):
                if i == 0:
                    self.draw.text(s.left, y + 0.8 * size, s.font, size, mark)
                self.draw.text(s.left + size, y + 0.8 * size, s.font, size, line.text)
                y += 1.2 * size
        self.features.add("footnote")
        return top - 1.5 * size

    def truth(self) -> str:
        order = self.order + getattr(self, "_footnotes", [])
        texts = [self.blocks[i].truth() for i in order]
        return "\n\n".join(t for t in texts if t)


# --------------------------------------------------------------------------------------- furniture


def _folio_text(style: str, n: int, total: int) -> str:
    from tests.support.synthpdf import to_roman

    return {
        "n": str(n),
        "page": f"Page {n}",
        "page_of": f"Page {n} of {total}",
        "dash": f"- {n} -",
        "roman": to_roman(n),
    }[style]


def _furniture(
    page: _Page, n: int, total: int, head: tuple[str, str] | None, folio: tuple[str, str] | None
) -> list[str]:
    """Draw the running head and the folio; return the strings drawn."""
    s = page.style
    size = page.rng.choice((0.8, 0.9, 1.0)) * s.size if head or folio else s.size
    drawn: list[str] = []
    head_base = s.top - 1.6 * s.size
    if head is not None:
        kind, text = head
        width = page.measure(text, s.font, size)
        if kind == "left":
            x = s.left
        elif kind == "centre":
            x = (s.width - width) / 2
        else:  # alternating: outer edge
            x = s.left if n % 2 == 0 else s.width - s.right - width
        page.draw.text(x, head_base, s.font, size, text)
        drawn.append(text)
        if page.rng.random() < 0.4:
            page.draw.rules.append((s.left, s.width - s.right, head_base + 0.4 * size))
        page.features.add("running_head")
    if folio is not None:
        style, where = folio
        text = _folio_text(style, n, total)
        width = page.measure(text, s.font, size)
        if where == "head-right" and head is not None and head[0] != "alternate":
            page.draw.text(s.width - s.right - width, head_base, s.font, size, text)
        else:
            base = s.height - s.bottom + 2.2 * s.size
            x = (s.width - width) / 2 if where == "centre" else s.width - s.right - width
            page.draw.text(x, base, s.font, size, text)
        drawn.append(text)
        page.features.add("folio")
    return drawn


# ------------------------------------------------------------------------------------------ pages


def _style(rng: random.Random) -> _Style:
    width, height = rng.choice(((612.0, 792.0), (595.0, 842.0)))
    font, bold = rng.choice((("Helvetica", "Helvetica-Bold"), ("Times-Roman", "Times-Bold")))
    size = rng.choice((9.0, 9.5, 10.0, 10.5, 11.0))
    margin = rng.uniform(42, 72)
    return _Style(
        width=width,
        height=height,
        left=margin,
        right=margin + rng.uniform(-6, 6),
        top=rng.uniform(60, 84),
        bottom=rng.uniform(54, 72),
        font=font,
        bold=bold,
        size=size,
        leading=size * rng.uniform(1.15, 1.3),
        justified=rng.random() < 0.5,
        indent_paragraphs=rng.random() < 0.35,
        gutter=rng.uniform(1.2, 2.4) * size,
        hyphenate=rng.random() < 0.7,
    )


def _page_plan(rng: random.Random) -> list[tuple[str, int, int]]:
    """The page's bands top to bottom: (kind, columns, blocks)."""
    layout = rng.random()
    if layout < 0.25:  # one column or one column band all the way down
        return [("band", rng.choice((1, 2, 3)), 12)]
    plan: list[tuple[str, int, int]] = []
    for _ in range(rng.randint(2, 4)):
        kind = "table" if rng.random() < 0.15 else "band"
        columns = rng.choice((1, 2, 2, 3, 3))
        short = rng.random() < 0.3 and columns > 1
        plan.append((kind, columns, 1 if short else rng.randint(1, 4)))
    return plan


def _lay_out_page(page: _Page, plan: list[tuple[str, int, int]], section: int | None) -> None:
    s = page.style
    rng = page.rng
    limit = s.height - s.bottom
    if rng.random() < 0.25:
        limit = page.place_footnotes(rng.randint(1, 2))
    y = s.top
    if section is not None:
        page.features.add("section_heading")
        rows = page._text_block("heading", f"Section {section}", s.width, s.bold, 1.25 * s.size)
        for row in rows:
            page._draw_row(row, s.left, y, s.width - s.left - s.right, 0, 1)
            y += row.height
        page.order.append(rows[0].block)
        y += 0.6 * s.leading
    column_counts = set()
    for index, (kind, columns, n_blocks) in enumerate(plan):
        if y > limit - 3 * s.leading:
            break
        if index:
            y += 1.2 * s.leading
        if kind == "table":
            y = page.place_table(y, limit)
            continue
        before = y
        y = page.place_band(y, columns, n_blocks, limit)
        if y > before:
            column_counts.add(columns)
            if columns > 1 and n_blocks == 1 and (y - before) < 8 * s.leading:
                page.features.add("short_band")
    names = {1: "one_column", 2: "two_columns", 3: "three_columns"}
    page.features.update(names[c] for c in column_counts)
    if len(column_counts) > 1:
        page.features.add("mixed_bands")


def fuzz_document(seed: int, prose: Prose | None = None) -> FuzzedDoc:
    """A 2–4 page PDF typeset at random from ``seed``, with its truth text per page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    text = _Text(prose or load_prose(), rng)
    style = _style(rng)
    n_pages = rng.randint(2, 4)
    head_text = rng.choice(
        (
            "City of Toronto Newcomer Strategy",
            "Council Minutes",
            "Annual Report 2016",
            "Ontario Immigration Policy Review",
            "Staff Report for Action",
        )
    )
    head = (rng.choice(("left", "centre", "alternate")), head_text) if rng.random() < 0.7 else None
    folio = (
        (
            rng.choice(("n", "page", "page_of", "dash", "roman")),
            rng.choice(("centre", "right", "head-right")),
        )
        if rng.random() < 0.75
        else None
    )
    sections = rng.random() < 0.15
    first_section = rng.randint(1, 5)
    buffer = io.BytesIO()
    cv = canvas.Canvas(buffer, pagesize=(style.width, style.height), invariant=1, pageCompression=1)
    page_texts: list[str] = []
    furniture: list[str] = []
    features: list[set[str]] = []
    measure = pdfmetrics.stringWidth
    for n in range(1, n_pages + 1):
        page = _Page(style, text, rng, measure)
        _lay_out_page(page, _page_plan(rng), first_section + n - 1 if sections else None)
        furniture.extend(_furniture(page, n, n_pages, head, folio))
        _render(cv, page, style)
        cv.showPage()
        page_texts.append(page.truth())
        features.append(page.features)
    cv.save()
    return FuzzedDoc(
        seed,
        buffer.getvalue(),
        "\n\n".join(t for t in page_texts if t),
        page_texts,
        furniture,
        features,
    )


def _render(cv: object, page: _Page, style: _Style) -> None:
    """Draw a page (in a shuffled order: the PDF's draw order is never the reading order)."""
    draw = page.draw
    h = style.height
    items = list(draw.texts)
    if page.rng.random() < 0.3:
        page.rng.shuffle(items)
    c = cv
    for x, top, width, height in draw.boxes:
        c.setStrokeGray(0.5)  # type: ignore[attr-defined]
        c.rect(x, h - top - height, width, height)  # type: ignore[attr-defined]
    for x0, x1, y in draw.rules:
        c.line(x0, h - y, x1, h - y)  # type: ignore[attr-defined]
    for x, baseline, font, size, text, ws in items:
        obj = c.beginText(x, h - baseline)  # type: ignore[attr-defined]
        obj.setFont(font, size)
        obj.setWordSpace(ws)  # the word spacing is text state: it outlives the text object
        obj.textOut(text)
        c.drawText(obj)  # type: ignore[attr-defined]
