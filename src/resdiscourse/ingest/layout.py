"""Reading order from geometry: words with boxes → lines → column bands → ordered lines.

Coordinates are PDF points with the origin at the page's top-left (``top < bottom``). The draw
order of the PDF is never trusted: columns are found from the whitespace between line fragments, and
a page may mix full-width blocks with two- or three-column bands.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from statistics import median


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # font size in points (or the box height when unknown)
    bold: bool = False  # set in a bold face (the font's weight or name says so)


@dataclass(slots=True)
class Line:
    """A run of words on one baseline with no column-sized gap inside (a line *fragment*)."""

    words: list[Word]
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0

    def __post_init__(self) -> None:
        # One pass over the words (lines are made by the hundred thousand).
        first = self.words[0]
        x0, x1, top, bottom = first.x0, first.x1, first.top, first.bottom
        sizes = [first.size]
        for w in self.words[1:]:
            x0 = min(x0, w.x0)
            x1 = max(x1, w.x1)
            top = min(top, w.top)
            bottom = max(bottom, w.bottom)
            sizes.append(w.size)
        self.x0, self.x1, self.top, self.bottom = x0, x1, top, bottom
        self.size = sizes[0] if len(sizes) == 1 else median(sizes)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bold(self) -> bool:
        """Every word of the line is set in a bold face."""
        return all(w.bold for w in self.words)


@dataclass(slots=True)
class Region:
    """Lines read as one unit: a single-column block, or one column of a band."""

    lines: list[Line]
    column_x0: float
    column_x1: float
    new_band: bool = (
        False  # first region of a band or block (a paragraph may still continue into it)
    )
    table: bool = False  # each line is a table row, its cells separated by a "|" word


@dataclass(slots=True)
class _Strip:
    lines: list[Line]
    top: float
    bottom: float


@dataclass(slots=True)
class _Band:
    strips: list[_Strip] = field(default_factory=list)
    gutters: list[tuple[float, float]] = field(default_factory=list)
    table: bool = False


#: A gap wider than this many font sizes splits a line into fragments (a column gutter or table
#: cell).
FRAGMENT_GAP_EM = 0.9
#: A one-sided strip joins an open column band only across a vertical gap below this many font
#: sizes.
BAND_JOIN_GAP_EM = 1.6
#: One-sided strips at a band's end, after a vertical gap of at least this many body font sizes,
#: belong to the full-width block that follows the band (its heading), not to the band's column.
#: The gap between two bands: at a tight leading it is little more than a paragraph gap's.
BAND_LEAVE_GAP_EM = 1.1
#: A blank row across every column of a band, taller than this many font sizes, ends the band:
#: text below it is a new band, even with the same gutters.
BAND_BREAK_GAP_EM = 1.2
#: A lower blank row across a band's columns, taller than this many font sizes, also ends the
#: band when a column's last line above it runs on (:func:`_runs_on`): a paragraph gap follows a
#: paragraph's end, so the text goes on at the top of the next column, not below the blank.
BAND_RUN_ON_GAP_EM = 0.9
#: A column of running text is at least this many font sizes wide.
PROSE_MEASURE_EM = 12.0
#: A line narrower than this share of its column's span is short: a table cell, not running text.
CELL_SHARE = 0.7
#: A line that starts more than this many font sizes right of its column's edge is a cell.
CELL_OFFSET_EM = 3.0
#: Rows of one table stand closer than this many font sizes.
TABLE_ROW_GAP_EM = 1.0
#: A column's first line starts at most this many font sizes right of its column's edge (an
#: indent) or left of where the column's next line starts (a bullet's hanging indent).
COLUMN_INDENT_EM = 2.5
#: Consecutive rows of short cells in two or more columns that make a table.
TABLE_MIN_ROWS = 3
#: A table's header row holds labels of at most this many words each.
HEADER_MAX_WORDS = 6
#: Lines that open with one of these are list items (a list in columns is no table).
_BULLET_MARKS = frozenset("•●▪◦‣∙○■□➢►✓\uf0b7")
#: A bullet that opens a line stays with the text after it across a gap of up to this many font
#: sizes (its hanging indent).
BULLET_GAP_EM = 4.0
#: Glyphs that fonts set alone before a tab as a list's bullet ("o" in Courier New or Symbol for
#: a second-level list, Wingdings' square); read as "•" when text follows within BULLET_GAP_EM.
_LONE_BULLETS = frozenset({"o", "\uf0a7", "\uf06f", "\uf0d8", "\uf0fc"})
BULLET_GLYPH = "\u2022"


def _box(word: Word) -> tuple[float, float, float, float, float]:
    return word.x0, word.x1, word.top, word.bottom, word.size


def group_lines(words: list[Word]) -> list[Line]:
    """Cluster words into rows by vertical overlap, then split rows at column-sized gaps."""
    rows: list[tuple[float, float, list[Word]]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        center = (word.top + word.bottom) / 2
        for top, bottom, members in reversed(rows[-4:]):
            if top <= center <= bottom:
                members.append(word)
                break
        else:
            rows.append((word.top, word.bottom, [word]))
    lines: list[Line] = []
    collided: list[Line] = []
    for _, _, members in rows:
        lines.extend(_split_row(sorted(members, key=lambda w: w.x0), collided))
    return _overruns_split(lines, collided) if collided else lines


#: Within this many points of each other, line starts share a column edge.
EDGE_TOLERANCE = 1.0
#: A word set closer than this many font sizes after the one before it (or over it) is no word of
#: the same line: running text leaves at least a thin space between its words.
COLLISION_GAP_EM = 0.1


def _overruns_split(lines: list[Line], collided: list[Line]) -> list[Line]:
    """Lines that run past their column's right edge and across the gutter up to the next
    column's text (an address too long to break), cut where the next column's line starts.

    The cut falls between two words that stand closer than any two words of a line do, the second
    starting where other lines of the page start (a column's left edge), the first part starting
    where lines start that end before it (its own column). For the layout, the first part ends
    at its column's right edge, so that it does not hide the gutter; its words keep their boxes.
    """
    if len(lines) < 5:
        return lines
    suspects = {id(line) for line in collided}
    result: list[Line] = []
    for line in lines:
        cut = _overrun_cut(line, lines) if id(line) in suspects else None
        if cut is None:
            result.append(line)
            continue
        index, edge = cut
        head, tail = Line(line.words[:index]), Line(line.words[index:])
        head.x1 = edge
        result.extend((head, tail))
    return result


def _overrun_cut(line: Line, lines: list[Line]) -> tuple[int, float] | None:
    """Where ``line`` runs into the next column: the index of the next column's first word and
    the right edge of the line's own column; None when it does not."""
    for index in range(1, len(line.words)):
        before, word = line.words[index - 1], line.words[index]
        if not _runs_into(before, word):
            continue
        size = max(before.size, word.size)
        if abs(before.bottom - word.bottom) > 0.2 * size and not _two_lines(line.words, index):
            continue
        starts = sum(1 for ln in lines if ln is not line and abs(ln.x0 - word.x0) <= EDGE_TOLERANCE)
        column = [
            ln.x1
            for ln in lines
            if ln is not line
            and abs(ln.x0 - line.x0) <= EDGE_TOLERANCE
            and ln.x1 < word.x0 - FRAGMENT_GAP_EM * size
        ]
        if starts >= 2 and len(column) >= 2:
            return index, max(column)
    return None


#: Closer than this many sizes, a word on another baseline than the one before it in a row is
#: no word of the same line: less than a word space.
OVERRUN_GAP_EM = 0.25


def _runs_into(before: Word, word: Word) -> bool:
    """Whether ``word`` may be the next column's first word that a line ran into: in the same
    size (within a tenth; a superscript is smaller), either closer than COLLISION_GAP_EM on the
    same baseline, or closer than FRAGMENT_GAP_EM on a baseline more than a fifth of the size
    away (the next column's rows are not level with the overrun's column; words of one line
    share a baseline)."""
    size = max(before.size, word.size)
    if abs(before.size - word.size) > 0.1 * size:
        return False
    gap = word.x0 - before.x1
    if abs(before.bottom - word.bottom) > 0.2 * size:
        return gap < OVERRUN_GAP_EM * size
    return gap < COLLISION_GAP_EM * size


def _two_lines(words: list[Word], index: int) -> bool:
    """Whether the words before ``index`` stand on one baseline and the two or more from
    ``index`` on on another: two lines side by side, not the words of two rows interleaved."""
    head, tail = words[:index], words[index:]
    return len(tail) >= 2 and all(
        abs(w.bottom - part[0].bottom) <= 0.2 * w.size for part in (head, tail) for w in part
    )


#: Two words on different baselines whose type sizes are at least this share of each other's
#: are set in two lines of text (a heading and a body line), not a superscript beside its word.
OTHER_LINE_SIZE_SHARE = 0.7


def _lines_beside(previous: Word, word: Word, gap: float) -> bool:
    """Whether two words of a row in different type sizes belong to two lines that stand side by
    side (a heading beside a column's line): on different baselines (their boxes' bottoms more
    than a tenth of the smaller size apart; on one baseline they differ by their descents, about
    a fifth of the difference in size, under a tenth within OTHER_LINE_SIZE_SHARE), in sizes of
    text, a gap wider than FRAGMENT_GAP_EM of the smaller size parts them. A superscript, a
    margin label in small type or a large bullet does not count."""
    small, large = (
        (previous.size, word.size) if previous.size < word.size else (word.size, previous.size)
    )
    return (
        gap > FRAGMENT_GAP_EM * small
        and small >= OTHER_LINE_SIZE_SHARE * large
        and abs(previous.bottom - word.bottom) > 0.1 * small
    )


def _split_row(words: list[Word], collided: list[Line]) -> list[Line]:
    """The row's line fragments; those with two words closer than COLLISION_GAP_EM go to
    ``collided`` too."""
    fragments: list[Line] = []
    current = [words[0]]
    collision = False
    for previous, word in itertools.pairwise(words):
        size = max(previous.size, word.size)
        gap = word.x0 - previous.x1
        if gap < COLLISION_GAP_EM * size or (
            abs(previous.bottom - word.bottom) > 0.2 * size and _runs_into(previous, word)
        ):
            collision = True
        opens_item = len(current) == 1 and (
            previous.text in _BULLET_MARKS or previous.text in _LONE_BULLETS
        )
        if opens_item and gap <= BULLET_GAP_EM * size:
            # A bullet's hanging indent is no gutter: a bullet alone would be read as a column.
            if previous.text in _LONE_BULLETS and gap > FRAGMENT_GAP_EM * size:
                current[0] = Word(BULLET_GLYPH, *_box(current[0]))  # "o" before a tab
        elif gap > FRAGMENT_GAP_EM * size or (
            previous.size != word.size and _lines_beside(previous, word, gap)
        ):
            fragments.append(Line(current))
            if collision:
                collided.append(fragments[-1])
            current, collision = [], False
        current.append(word)
    fragments.append(Line(current))
    if collision:
        collided.append(fragments[-1])
    return fragments


#: The text of a figure's stand-in line (U+FFFC, the object replacement character).
FIGURE = "\ufffc"


def figure_lines(boxes: list[tuple[float, float, float, float]], lines: list[Line]) -> list[Line]:
    """Stand-in lines for the figures among a page's drawn boxes (x0, top, x1, bottom): boxes
    that overlap are merged, and a box that any text overlaps (a frame, a background, a table's
    border, a highlight) is no figure. A figure takes room in its column as lines do, so the text
    beside and below it keeps its place in the reading order; the stand-ins leave with the
    regions."""
    if not boxes or not lines:
        return []
    merged: list[list[float]] = []
    for x0, top, x1, bottom in sorted(boxes, key=lambda b: (b[1], b[0])):
        for box in merged:
            if x0 < box[2] and box[0] < x1 and top < box[3] and box[1] < bottom:
                box[:] = [min(box[0], x0), min(box[1], top), max(box[2], x1), max(box[3], bottom)]
                break
        else:
            merged.append([x0, top, x1, bottom])
    size = median(ln.size for ln in lines)
    return [
        Line([Word(FIGURE, x0, x1, top, bottom, size)])
        for x0, top, x1, bottom in merged
        if not any(
            ln.x0 < x1 and x0 < ln.x1 and _covers(ln, top, bottom, FIGURE_EDGE_SHARE)
            for ln in lines
        )
    ]


#: A line whose box reaches this share of its height or less into a drawn box only grazes its
#: edge (the ascenders of the line below a figure); text inside a frame, a background or a
#: table's border stands in it.
FIGURE_EDGE_SHARE = 0.25


def _covers(line: Line, top: float, bottom: float, share: float) -> bool:
    """Whether more than ``share`` of the line's height lies between ``top`` and ``bottom``."""
    return min(line.bottom, bottom) - max(line.top, top) > share * (line.bottom - line.top)


def reading_order(lines: list[Line]) -> list[Region]:
    """Order line fragments into regions (blocks and band columns), top to bottom, left to right.

    Figures' stand-in lines (:func:`figure_lines`) take part and are left out of the regions."""
    if not lines:
        return []
    if any(_is_figure(ln) for ln in lines):
        return _without_figures(_reading_order(lines))
    return _reading_order(lines)


def _is_figure(line: Line) -> bool:
    return line.words[0].text == FIGURE and len(line.words) == 1


def _without_figures(regions: list[Region]) -> list[Region]:
    kept: list[Region] = []
    opens_band = False
    for region in regions:
        region.lines = [ln for ln in region.lines if not _is_figure(ln)]
        opens_band = opens_band or region.new_band
        if region.lines:
            region.new_band = opens_band
            opens_band = False
            kept.append(region)
    return kept


def _reading_order(lines: list[Line]) -> list[Region]:
    strips = _strips(lines)
    regions: list[Region] = []
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    bands = []
    found = [part for raw in _bands(strips, left, right) for part in _split_at_blanks(raw)]
    for band in found:
        pieces = _split_tables(band)
        if len(pieces) == 1:
            bands.extend(pieces)
            continue
        # The table's cells narrowed or hid the gutters of the text around it: find them again.
        for piece in pieces:
            bands.extend([piece] if piece.table else _bands(piece.strips, left, right))
    for band in _headings_moved(bands):
        if band.gutters or band.table:
            regions.extend(_band_regions(band, lines))
            continue
        for part, gutters in _columns_set_lower(band, lines):
            regions.extend(_band_regions(part, lines, gutters))
    return regions


def _split_at_blanks(band: _Band) -> list[_Band]:
    """A column band cut at each blank row across all its columns that is taller than
    BAND_BREAK_GAP_EM body sizes (or BAND_RUN_ON_GAP_EM, below a column's line that runs on or
    below a row of figures), with text in two or more columns on both sides: two bands that
    share their gutters, the first read to its end before the second (staggered column tops
    leave no strip that crosses the blank, so the strips alone do not show it)."""
    if not band.gutters or len(band.strips) < 2:
        return [band]
    size = median(ln.size for strip in band.strips for ln in strip.lines)
    middles = [(g0 + g1) / 2 for g0, g1 in band.gutters]

    def columns(strips: list[_Strip]) -> set[int]:
        return {
            sum(1 for m in middles if (ln.x0 + ln.x1) / 2 > m) for s in strips for ln in s.lines
        }

    reach = band.strips[0].bottom
    for index in range(1, len(band.strips)):
        strip = band.strips[index]
        gap = strip.top - reach
        if gap > BAND_RUN_ON_GAP_EM * size:
            above, below = band.strips[:index], band.strips[index:]
            if (
                len(columns(above)) >= 2
                and len(columns(below)) >= 2
                and (
                    gap > BAND_BREAK_GAP_EM * size
                    or _runs_on(above, below, middles, size)
                    or _figures_end(above, middles)
                )
            ):
                return [_regutter(above, size), *_split_at_blanks(_regutter(below, size))]
        reach = max(reach, strip.bottom)
    return [band]


def _runs_on(above: list[_Strip], below: list[_Strip], middles: list[float], size: float) -> bool:
    """Whether a column's last line above a blank row runs on: a line of running text at the
    body size, not bold (no heading), under another line, both filling their column to within
    a sixth of its width, that ends in a word, a comma or a hyphen, with the column's text going
    on below the blank, in a band whose columns
    are all at least PROSE_MEASURE_EM sizes wide and of like widths (not a table). A paragraph
    gap comes after a paragraph's end, so such a blank is no paragraph gap but the end of a
    band: the line goes on at the top of the next column (parallel paragraphs, each ended above
    the blank, stay one band)."""

    def column(line: Line) -> int:
        return sum(1 for m in middles if (line.x0 + line.x1) / 2 > m)

    lines = [ln for strip in above for ln in strip.lines]
    spans: dict[int, tuple[float, float]] = {}
    for line in itertools.chain(lines, (ln for strip in below for ln in strip.lines)):
        x0, x1 = spans.get(column(line), (line.x0, line.x1))
        spans[column(line)] = (min(x0, line.x0), max(x1, line.x1))
    widths = [x1 - x0 for x0, x1 in spans.values()]
    if min(widths) < PROSE_MEASURE_EM * size or min(widths) < 0.6 * max(widths):
        return False  # a table's cells, or a label or number column beside the text
    tops = {column(ln) for strip in below for ln in strip.lines}
    for index in tops:
        own = sorted((ln for ln in lines if column(ln) == index), key=lambda ln: ln.bottom)
        if len(own) < 2 or not _goes_on(own[-1]):
            continue  # a paragraph's end
        if abs(own[-1].size - size) > 0.1 * size or own[-1].bold:
            continue  # a heading
        x0, x1 = spans[index]
        if all(ln.x1 - ln.x0 >= 5 / 6 * (x1 - x0) for ln in own[-2:]):
            return True
    return False


def _figures_end(above: list[_Strip], middles: list[float]) -> bool:
    """Whether every column of the band ends above a blank row in a figure: a row of figures
    across the band ends a band of figures and their captions (a column's text goes on right
    below its figure, not below a blank row across all the columns)."""
    last: dict[int, Line] = {}
    for line in (ln for strip in above for ln in strip.lines):
        column = sum(1 for m in middles if (line.x0 + line.x1) / 2 > m)
        if column not in last or line.bottom > last[column].bottom:
            last[column] = line
    return len(last) == len(middles) + 1 and all(_is_figure(ln) for ln in last.values())


#: A line that ends in one of these (or a letter) runs on.
_RUNS_ON = frozenset(",-\u00ad")


def _goes_on(line: Line) -> bool:
    end = line.text[-1:]
    return end in _RUNS_ON or end.isalpha()


def _regutter(strips: list[_Strip], size: float) -> _Band:
    """A band of ``strips`` with the gutters its own lines leave: a table's cells above narrowed
    the gutters of the band they were found in, and a column whose first line stands alone
    (a staggered top) is still a column."""
    gutters = [g for g in _table_gutters(strips) if g[1] - g[0] >= FRAGMENT_GAP_EM * size * 0.9]
    return _Band(strips, gutters)


def _split_tables(band: _Band) -> list[_Band]:
    """A column band cut around its runs of table rows.

    Running text fills its column from edge to edge, except where a paragraph ends; a table's
    cells leave most of each column empty. TABLE_MIN_ROWS or more rows in a row whose lines are
    all short, in two or more columns, are a table, read row by row; not when they go on from
    a row of running text in two or more columns (:func:`_text_goes_on`).
    """
    if not band.gutters:
        return [band]
    lines = [ln for strip in band.strips for ln in strip.lines]
    spans = _column_spans(band, lines)
    cellular = [
        _cellular(strip, spans, band.gutters)
        and not any(ln.text[:1] in _BULLET_MARKS for ln in strip.lines)
        for strip in band.strips
    ]
    pieces: list[_Band] = []
    start = 0
    index = 0
    while index < len(band.strips):
        end = index
        while end < len(band.strips) and cellular[end]:
            end += 1
            if end < len(band.strips) and _blank_line_between(band.strips[end - 1 : end + 1]):
                break  # a table starts and ends at a blank line, not in a paragraph's last rows
        first = index
        if end > index and index > start and _header_row(band.strips[index - 1 : index + 1]):
            first = index - 1  # column labels over the first row: the table's header
        if (
            end - first >= TABLE_MIN_ROWS
            and _ragged_cells(band.strips[index:end], spans)
            and not _text_goes_on(band.strips, first, spans, band.gutters)
        ):
            index = first
            if index > start:
                pieces.append(_Band(band.strips[start:index], band.gutters))
            pieces.append(
                _Band(band.strips[index:end], _table_gutters(band.strips[index:end]), True)
            )
            start = end
        index = max(end, index + 1)
    if start < len(band.strips):
        pieces.append(_Band(band.strips[start:], band.gutters))
    return pieces


def _header_row(pair: list[_Strip]) -> bool:
    """Whether a strip holds the column labels of the table row below it: two or more short
    labels without a sentence's punctuation, each starting where a cell of the row starts."""
    header, row = pair
    if len(header.lines) < 2 or _blank_line_between(pair):
        return False
    starts = [cell.x0 for cell in row.lines]
    for line in header.lines:
        if len(line.words) > HEADER_MAX_WORDS or line.text.rstrip()[-1:] in ".;:!?,":
            return False
        if not any(abs(line.x0 - x0) <= line.size for x0 in starts):
            return False
    return True


def _blank_line_between(pair: list[_Strip]) -> bool:
    above, below = pair
    size = median(ln.size for ln in below.lines)
    return below.top - above.bottom > TABLE_ROW_GAP_EM * size


def _column_spans(band: _Band, lines: list[Line]) -> list[tuple[float, float]]:
    """Each column's span, from the middle of one gutter to the middle of the next."""
    middles = [(g0 + g1) / 2 for g0, g1 in band.gutters]
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    edges = [left, *middles, right]
    return list(itertools.pairwise(edges))


def _cellular(
    strip: _Strip, spans: list[tuple[float, float]], gutters: list[tuple[float, float]]
) -> bool:
    """A row of two or more lines, each after the first short, a figure, or away from its
    column's left edge (a first column's labels may be as long as running text)."""
    if len(strip.lines) < 2:
        return False
    return not any(
        _fills(line, spans, gutters) for line in sorted(strip.lines, key=lambda ln: ln.x0)[1:]
    )


def _fills(
    line: Line, spans: list[tuple[float, float]], gutters: list[tuple[float, float]]
) -> bool:
    """Whether a line is running text: it starts at its column's left edge (give or take an
    indent) and fills the column, and is no figure."""
    center = (line.x0 + line.x1) / 2
    index = next((i for i, (_, b) in enumerate(spans) if center <= b), len(spans) - 1)
    a, b = spans[index]
    start = a if index == 0 else gutters[index - 1][1]
    off_edge = line.x0 - start > CELL_OFFSET_EM * line.size
    numeric = bool(_NUMERIC.match(line.text))
    return line.x1 - line.x0 >= CELL_SHARE * (b - a) and not off_edge and not numeric


def _text_goes_on(
    strips: list[_Strip],
    first: int,
    spans: list[tuple[float, float]],
    gutters: list[tuple[float, float]],
) -> bool:
    """Whether the rows from ``strips[first]`` on go on from a row of running text right above
    them, with no blank line between: two or more lines, each filling a column at least
    PROSE_MEASURE_EM sizes wide, in the type size of the rows below, and no list item (columns
    of text, whose paragraphs end in short lines side by side). A table starts after a blank
    line, or under a caption or a heading."""
    if first == 0 or _blank_line_between(strips[first - 1 : first + 1]):
        return False
    above = strips[first - 1].lines
    size = median(ln.size for ln in strips[first].lines)
    for line in above:
        center = (line.x0 + line.x1) / 2
        a, b = next(((a, b) for a, b in spans if center <= b), spans[-1])
        if (
            b - a < PROSE_MEASURE_EM * line.size
            or not _fills(line, spans, gutters)
            or abs(line.size - size) > 0.1 * size
            or line.text[:1] in _BULLET_MARKS
        ):
            return False
    return len(above) >= 2


_NUMERIC = re.compile(r"^[-+–(]?[$€£]?\s?\d[\d\s.,:/%$€£)–-]*$")


def _ragged_cells(strips: list[_Strip], spans: list[tuple[float, float]]) -> bool:
    """Whether the short lines hold figures, or some column's cells differ in width as labels do
    (short lines of one width, as in a list of names, are no table)."""
    cells = [line for strip in strips for line in strip.lines]
    if sum(1 for line in cells if _NUMERIC.match(line.text)) >= 0.3 * len(cells):
        return True  # figures: a table whatever their widths
    widths: dict[int, list[float]] = {}
    for strip in strips:
        for line in strip.lines:
            center = (line.x0 + line.x1) / 2
            index = next((i for i, (_, b) in enumerate(spans) if center <= b), len(spans) - 1)
            widths.setdefault(index, []).append(line.x1 - line.x0)
    for column in widths.values():
        widest = max(column)
        if sum(1 for w in column if w < 0.6 * widest) >= 0.3 * len(column):
            return True
    return False


def _table_gutters(strips: list[_Strip]) -> list[tuple[float, float]]:
    """The gaps between a table's columns: x ranges no cell of any row covers."""
    extents = sorted((ln.x0, ln.x1) for strip in strips for ln in strip.lines)
    gutters: list[tuple[float, float]] = []
    reach = extents[0][1]
    for x0, x1 in extents[1:]:
        if x0 > reach:
            gutters.append((reach, x0))
        reach = max(reach, x1)
    return gutters


def _strips(lines: list[Line]) -> list[_Strip]:
    """Connected components of the lines' vertical extents, top to bottom."""
    strips: list[_Strip] = []
    for line in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        overlap_floor = 0.25 * (line.bottom - line.top)
        if strips and line.top < strips[-1].bottom - overlap_floor:
            strip = strips[-1]
            strip.lines.append(line)
            strip.bottom = max(strip.bottom, line.bottom)
        else:
            strips.append(_Strip([line], line.top, line.bottom))
    return strips


def _free_intervals(strip: _Strip, left: float, right: float) -> list[tuple[float, float]]:
    """Horizontal whitespace of a strip between the page's text extent ``left``..``right``."""
    free: list[tuple[float, float]] = []
    cursor = left
    for line in sorted(strip.lines, key=lambda ln: ln.x0):
        if line.x0 > cursor:
            free.append((cursor, line.x0))
        cursor = max(cursor, line.x1)
    if cursor < right:
        free.append((cursor, right))
    return free


def _internal_gutters(strip: _Strip, min_width: float) -> list[tuple[float, float]]:
    ordered = sorted(strip.lines, key=lambda ln: ln.x0)
    gutters: list[tuple[float, float]] = []
    reach = ordered[0].x1
    for line in ordered[1:]:
        if line.x0 - reach >= min_width:
            gutters.append((reach, line.x0))
        reach = max(reach, line.x1)
    return gutters


def _narrowed(
    gutters: list[tuple[float, float]], free: list[tuple[float, float]], min_width: float
) -> list[tuple[float, float]] | None:
    """Each gutter cut down to the strip's whitespace, or None if the strip crosses one."""
    narrowed: list[tuple[float, float]] = []
    for g0, g1 in gutters:
        if not free:
            return None
        best = max(((max(g0, f0), min(g1, f1)) for f0, f1 in free), key=lambda iv: iv[1] - iv[0])
        if best[1] - best[0] < min_width:
            return None
        narrowed.append(best)
    return narrowed


def _bands(strips: list[_Strip], left: float, right: float) -> list[_Band]:
    """Group consecutive strips that share column gutters into bands; others form 1-column
    blocks.
    """
    bands: list[_Band] = []
    for strip in strips:
        size = median(ln.size for ln in strip.lines)
        min_width = FRAGMENT_GAP_EM * size * 0.9
        own = _internal_gutters(strip, min_width)
        band = bands[-1] if bands else None
        if band is not None and band.gutters and _may_join(band, strip, own, size):
            narrowed = _narrowed(band.gutters, _free_intervals(strip, left, right), min_width)
            added, blocked = _new_gutters(band, own, narrowed or [], min_width)
            # After a blank line across the band, new columns start a band of their own (three
            # columns below two, or below a table whose cells cross their gutters); right below,
            # they are a column that starts lower, or a table's rows under a header whose cell
            # spans two columns.
            gap = strip.top - band.strips[-1].bottom
            fresh = gap > TABLE_ROW_GAP_EM * size and (
                blocked or bool(added) or _column_resumes(band, strip)
            )
            if narrowed is not None and not fresh:
                band.strips.append(strip)
                band.gutters = sorted(narrowed + added)
                continue
        if band is not None and not band.gutters and not own:
            band.strips.append(strip)
            continue
        if band is not None and band.gutters and own:
            pulled = _pulled_back(band, strip, own, left, right, min_width)
            if pulled is not None:
                bands.append(pulled)
                continue
        bands.append(_Band([strip], own))
        if band is not None and not band.gutters and own:
            _take_column_tops(band, bands[-1], left, right, min_width)
    bands[:] = [band for band in bands if band.strips]
    return bands


def _column_resumes(band: _Band, strip: _Strip) -> bool:
    """Whether ``strip`` has text in a column that the band's last two rows left empty: after a
    blank line across the band, the top of a new band whose first column runs longer, not the
    same column going on."""
    if len(band.strips) < 2:
        return False

    def columns(row: _Strip) -> set[int]:
        return {
            sum(1 for g0, g1 in band.gutters if (ln.x0 + ln.x1) / 2 > (g0 + g1) / 2)
            for ln in row.lines
        }

    return bool(columns(strip) - columns(band.strips[-1]) - columns(band.strips[-2]))


def _take_column_tops(
    above: _Band, band: _Band, left: float, right: float, min_width: float
) -> None:
    """Move the last strips of a band without columns into the column band that follows when they
    stand where one of the band's columns starts, and as close as its rows: the first lines of a
    column that starts higher than the first (staggered column tops), not a block to read before
    the band. Lines in the page's first column move only with a line right of it (alone they are
    read first either way)."""
    strip = band.strips[0]
    size = median(ln.size for ln in strip.lines)
    gutters = band.gutters
    # Where the band's columns start: a column's first line starts there too (or indented).
    first_column = left + COLUMN_INDENT_EM * size  # the page's first column starts left of it
    known = sorted({min(ln.x0 for ln in strip.lines), *(g1 for _, g1 in gutters)})
    after = 2 * known[-1] - known[-2] if len(known) >= 2 else None
    if after is not None and after > max(ln.x1 for ln in strip.lines):
        # Columns of equal width: a column that no row of the band shows yet (it stands all
        # above them) starts one column pitch right of the last, beside the band's lines.
        known.append(after)
    starts = [x for x in [ln.x0 for ln in strip.lines] + known if first_column < x < right]
    start = moved = len(above.strips)
    moved_gutters = gutters
    below = strip
    while start > 0:
        candidate = above.strips[start - 1]
        if below.top - candidate.bottom >= BAND_JOIN_GAP_EM * size:
            break
        if not all(
            ln.x0 <= first_column
            or any(
                -COLUMN_INDENT_EM * size <= ln.x0 - x0 <= COLUMN_INDENT_EM * size for x0 in starts
            )
            for ln in candidate.lines
        ):
            break
        narrowed = _narrowed(gutters, _free_intervals(candidate, left, right), min_width)
        if narrowed is None:
            break
        gutters, below, start = narrowed, candidate, start - 1
        if any(ln.x0 > first_column for ln in candidate.lines):
            moved, moved_gutters = start, gutters
    start, gutters = moved, moved_gutters
    if start < len(above.strips):
        band.strips[:0] = above.strips[start:]
        del above.strips[start:]
        band.gutters = gutters


def _pulled_back(
    band: _Band,
    strip: _Strip,
    own: list[tuple[float, float]],
    left: float,
    right: float,
    min_width: float,
) -> _Band | None:
    """A new band that opens with the rows of ``band`` after its last blank line, when ``strip``
    cannot join ``band`` but those rows fit its columns: a second table's first rows, set below a
    first table, joined the first (their cells fit its columns) before a row that does not."""
    size = median(ln.size for ln in strip.lines)
    start = len(band.strips) - 1
    while start > 0 and band.strips[start].top - band.strips[start - 1].bottom <= (
        TABLE_ROW_GAP_EM * size
    ):
        start -= 1
    if start == 0 or strip.top - band.strips[-1].bottom > TABLE_ROW_GAP_EM * size:
        return None
    gutters: list[tuple[float, float]] | None = own
    for row in band.strips[start:]:
        gutters = _narrowed(gutters or [], _free_intervals(row, left, right), min_width)
        if gutters is None:
            return None
    moved = band.strips[start:]
    del band.strips[start:]
    return _Band([*moved, strip], gutters or own)


def _headings_moved(bands: list[_Band]) -> list[_Band]:
    """Take the headings out of column bands.

    A short heading after a column band has text on one side only, so it joins the band as the
    tail of its left column and would be read between the columns. One-sided strips in the first
    column that stand after a gap wider than a paragraph break, and are followed by more text (the
    band's own two-sided rows, or the next band), open what follows instead: a full-width block
    gets them as its first lines; a column band gets them as a block of their own before it. At
    the end of a page's last band they are a block of their own when they stand below columns
    that end level without them.
    """
    pieces: list[_Band] = []
    for band in bands:
        pieces.extend(_split_at_headings(band))
    moved: list[_Band] = []
    for index, band in enumerate(pieces):
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        tail = _heading_run(band, len(band.strips))
        if following is None and tail and _below_balanced_columns(band, tail):
            # The page's last band: a block of its own after the band's columns.
            band.strips, block = band.strips[:-tail], band.strips[-tail:]
            moved.extend([band, _Band(block, [])])
            continue
        if not tail or following is None:
            moved.append(band)
            continue
        band.strips, heading = band.strips[:-tail], band.strips[-tail:]
        moved.append(band)
        assert following is not None
        if following.gutters:
            moved.append(_Band(heading, []))
        else:
            following.strips[:0] = heading
    return moved


#: Columns that end within this many body sizes of each other are balanced.
BALANCED_COLUMNS_EM = 3.0


def _below_balanced_columns(band: _Band, tail: int) -> bool:
    """Whether the last ``tail`` one-sided strips of a band stand below the ends of all its
    columns, which end level without them (give or take BALANCED_COLUMNS_EM): text flows into
    the next column only from a full one, and balanced columns end together, so lines in the
    first column far below the others' ends are a block after the band (a short list below two
    columns), not the first column's last lines."""
    rows = band.strips[:-tail]
    middle = (band.gutters[0][0] + band.gutters[0][1]) / 2
    first = [ln.bottom for strip in rows for ln in strip.lines if (ln.x0 + ln.x1) / 2 < middle]
    others = [ln.bottom for strip in rows for ln in strip.lines if (ln.x0 + ln.x1) / 2 > middle]
    if not first or not others:
        return False
    size = median(ln.size for strip in rows for ln in strip.lines)
    top = band.strips[-tail].top
    return top > max(others) and max(first) - max(others) <= BALANCED_COLUMNS_EM * size


def _split_at_headings(band: _Band) -> list[_Band]:
    """A band cut where a heading run stands between its rows: before, the heading, after."""
    if not band.gutters:
        return [band]
    for end in range(len(band.strips) - 1, 1, -1):
        if _one_sided(band, band.strips[end]):
            continue
        run = _heading_run(band, end)
        if run:
            start = end - run
            before = _Band(band.strips[:start], band.gutters)
            after = _Band(band.strips[end:], band.gutters)
            return [*_split_at_headings(before), _Band(band.strips[start:end], []), after]
    return [band]


def _heading_run(band: _Band, end: int) -> int:
    """How many one-sided strips just before ``band.strips[end]`` form a heading run: those from
    the first that follows a gap of BAND_LEAVE_GAP_EM body sizes; 0 when there is none."""
    if not band.gutters:
        return 0
    start = end
    while start > 0 and _one_sided(band, band.strips[start - 1]):
        start -= 1
    if start == 0 or start == end:
        return 0
    body = median(ln.size for strip in band.strips[:start] for ln in strip.lines)
    for position in range(start, end):
        gap = band.strips[position].top - band.strips[position - 1].bottom
        if gap >= BAND_LEAVE_GAP_EM * body:
            return end - position
    return 0


def _one_sided(band: _Band, strip: _Strip) -> bool:
    """Whether a strip has text in the band's first column only (as a heading would)."""
    first_gutter = (band.gutters[0][0] + band.gutters[0][1]) / 2
    return all((ln.x0 + ln.x1) / 2 < first_gutter for ln in strip.lines)


def _new_gutters(
    band: _Band, own: list[tuple[float, float]], known: list[tuple[float, float]], min_width: float
) -> tuple[list[tuple[float, float]], bool]:
    """Gutters a joining strip reveals (a third column whose first rows were empty), narrowed to
    what no earlier line of the band covers, and whether an earlier line crosses one of them."""
    added: list[tuple[float, float]] = []
    blocked = False
    for g0, g1 in own:
        if any(k0 < g1 and g0 < k1 for k0, k1 in known):
            continue
        for strip in band.strips:
            for line in strip.lines:
                if line.x0 < g1 and line.x1 > g0:  # narrow the gutter to the part left free
                    if line.x0 - g0 > g1 - line.x1:
                        g1 = min(g1, line.x0)
                    else:
                        g0 = max(g0, line.x1)
        if g1 - g0 >= min_width:
            added.append((g0, g1))
        else:
            blocked = True
    return added, blocked


def _may_join(band: _Band, strip: _Strip, own: list[tuple[float, float]], size: float) -> bool:
    if own:
        return True
    # A strip with text on one side only (a shorter column's tail) stays in the band only when it is
    # close; a heading after the band is further away.
    return strip.top - band.strips[-1].bottom < BAND_JOIN_GAP_EM * size


def _band_regions(
    band: _Band, page: list[Line], set_lower: list[tuple[float, float]] | None = None
) -> list[Region]:
    """The band's regions: its columns left to right (``page``: all lines of the page;
    ``set_lower``: the gutter of a block without columns whose first column starts lower than
    its second ends, from :func:`_columns_set_lower`)."""
    lines = [ln for strip in band.strips for ln in strip.lines]
    # A figure's stand-in takes room but sets no column edge (where a paragraph's lines end).
    text_lines = [ln for ln in lines if not _is_figure(ln)] or lines
    left = min(ln.x0 for ln in text_lines)
    right = max(ln.x1 for ln in text_lines)
    if band.table:
        strips = [[ln for ln in strip.lines if not _is_figure(ln)] for strip in band.strips]
        rows = [_table_row(_Strip(kept, 0.0, 0.0), band.gutters) for kept in strips if kept]
        return [Region(rows, left, right, new_band=True, table=True)]
    gutters = _unseen_gutters(band, lines) if band.gutters else (set_lower or [])
    if not gutters:
        ordered = sorted(lines, key=lambda ln: (ln.top, ln.x0))
        return [Region(ordered, left, right, new_band=True)]
    edges = [left] + [x for g in gutters for x in g] + [right]
    columns: list[list[Line]] = [[] for _ in range(len(gutters) + 1)]
    for line in lines:
        center = (line.x0 + line.x1) / 2
        index = sum(1 for g0, g1 in gutters if center > (g0 + g1) / 2)
        columns[index].append(line)
    regions = []
    for index, column in enumerate(columns):
        if column:
            column.sort(key=lambda ln: (ln.top, ln.x0))
            regions.append(Region(column, edges[2 * index], edges[2 * index + 1]))
    regions[0].new_band = True
    return regions


def _columns_set_lower(
    band: _Band, page: list[Line]
) -> list[tuple[_Band, list[tuple[float, float]] | None]]:
    """A block without columns cut around each run of rows that is two columns whose first
    starts lower than its second ends, with that run's gutter (None for the rest).

    Such a run is one or more rows of lines all right of a white channel (the second column),
    right below them rows of lines all left of it (the first column, each row within
    BAND_JOIN_GAP_EM body sizes of the one above), with lines on both sides; the lines right of
    it start at one column edge (give or take an indent): two or more of them, or one where two
    more lines of the page start; and both hold letters or digits (a mark or an icon is no
    column). No row shows such a gutter, and top to bottom would read the
    second column first. The run may fill the block, or stand between full-width lines (a short
    band after a paragraph or a table, before the next). A right-hand block below a left-hand
    one reads the same either way."""
    strips = band.strips
    if len(strips) < 2:
        return [(band, None)]
    lines = [ln for strip in strips for ln in strip.lines]
    size = median(ln.size for ln in lines)
    min_width = FRAGMENT_GAP_EM * size * 0.9
    lefts = [min(ln.x0 for ln in strip.lines) for strip in strips]
    rights = [max(ln.x1 for ln in strip.lines) for strip in strips]
    for k in range(1, len(strips)):
        second, first = lefts[k - 1], rights[k]  # the second column's edge, the first's reach
        if second - first < min_width:
            continue
        i = k - 1
        while i > 0 and lefts[i - 1] - first >= min_width:
            i -= 1
            second = min(second, lefts[i])
        j = k + 1
        while (
            j < len(strips)
            and second - rights[j] >= min_width
            and strips[j].top - strips[j - 1].bottom < BAND_JOIN_GAP_EM * size
        ):
            first = max(first, rights[j])
            j += 1
        after = [ln for strip in strips[i:k] for ln in strip.lines]
        if not all(ln.x0 - second <= COLUMN_INDENT_EM * size for ln in after):
            continue
        if len(after) < 2 and _edge_lines(page, second, after) < 2:
            continue
        if not (_has_text(after) and _has_text([ln for s in strips[k:j] for ln in s.lines])):
            continue  # a mark or an icon beside a block is no column
        parts: list[tuple[_Band, list[tuple[float, float]] | None]] = []
        if i > 0:
            parts.append((_Band(strips[:i]), None))
        parts.append((_Band(strips[i:j]), [(first, second)]))
        if j < len(strips):
            parts.extend(_columns_set_lower(_Band(strips[j:]), page))
        return parts
    return [(band, None)]


def _has_text(lines: list[Line]) -> bool:
    return any(ch.isalnum() for ln in lines for w in ln.words for ch in w.text)


def _edge_lines(page: list[Line], x0: float, besides: list[Line]) -> int:
    """How many lines of the page, besides ``besides``, start at ``x0`` (a column's edge)."""
    return sum(
        1 for ln in page if abs(ln.x0 - x0) <= EDGE_TOLERANCE and all(ln is not b for b in besides)
    )


def _unseen_gutters(band: _Band, lines: list[Line]) -> list[tuple[float, float]]:
    """The band's gutters and those no strip showed: a white channel down the whole band inside
    one of its columns, with lines on both sides but never in one row (a column that ends high
    beside one that starts low, as staggered tops leave them), splits that column in two.

    Rows with text on both sides of a channel are a table's or a form's cells, read row by row."""
    size = median(ln.size for ln in lines)
    gutters = list(band.gutters)
    for g0, g1 in _table_gutters(band.strips):
        if g1 - g0 < FRAGMENT_GAP_EM * size * 0.9 or any(a < g1 and g0 < b for a, b in gutters):
            continue
        low = max((b for _, b in gutters if b <= g0), default=-1.0)
        high = min((a for a, _ in gutters if a >= g1), default=float("inf"))
        middle = (g0 + g1) / 2
        if not any(
            any(low <= (ln.x0 + ln.x1) / 2 < middle for ln in strip.lines)
            and any(middle < (ln.x0 + ln.x1) / 2 <= high for ln in strip.lines)
            for strip in band.strips
        ):
            gutters = sorted([*gutters, (g0, g1)])
    return gutters


def _table_row(strip: _Strip, gutters: list[tuple[float, float]]) -> Line:
    """A table row as one line: its cells left to right, a "|" word between them."""
    cells: dict[int, list[Word]] = {}
    for line in strip.lines:
        center = (line.x0 + line.x1) / 2
        index = sum(1 for g0, g1 in gutters if center > (g0 + g1) / 2)
        cells.setdefault(index, []).extend(line.words)
    words: list[Word] = []
    for index in sorted(cells):
        cell = sorted(cells[index], key=lambda w: (w.top, w.x0))
        if words:
            last = words[-1]
            words.append(Word("|", last.x1, last.x1, last.top, last.bottom, last.size))
        words.extend(cell)
    return Line(words)
