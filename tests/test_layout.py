"""Reading order from geometry, on hand-made word boxes (no PDF needed)."""

from __future__ import annotations

import random

import pytest

from resdiscourse.ingest.layout import FIGURE, Word, figure_lines, group_lines, reading_order


def _row(text: str, x0: float, top: float, size: float = 10.0) -> list[Word]:
    words, x = [], x0
    for token in text.split():
        words.append(Word(token, x, x + 5 * len(token), top, top + size, size))
        x += 5 * len(token) + 3
    return words


def _read(words: list[Word]) -> list[str]:
    return [line.text for region in reading_order(group_lines(words)) for line in region.lines]


def test_two_columns_in_shuffled_draw_order() -> None:
    left = [f"left line {i}" for i in range(6)]
    right = [f"right line {i}" for i in range(6)]
    words = [w for i, t in enumerate(left) for w in _row(t, 60, 100 + 12 * i)]
    words += [w for i, t in enumerate(right) for w in _row(t, 320, 100 + 12 * i)]
    random.Random(3).shuffle(words)
    assert _read(words) == left + right


def test_full_width_block_then_columns_then_full_width() -> None:
    words = _row("a title that runs across the whole width of the page and the gutter", 60, 60)
    words += [w for i in range(4) for w in _row(f"left {i}", 60, 100 + 12 * i)]
    words += [w for i in range(3) for w in _row(f"right {i}", 320, 100 + 12 * i)]
    words += _row("a closing paragraph that also runs across the whole width of the page", 60, 180)
    assert _read(words) == [
        "a title that runs across the whole width of the page and the gutter",
        *(f"left {i}" for i in range(4)),
        *(f"right {i}" for i in range(3)),
        "a closing paragraph that also runs across the whole width of the page",
    ]


def test_third_column_that_starts_lower_is_found() -> None:
    words = [w for i in range(5) for w in _row(f"one {i}", 40, 100 + 12 * i)]
    words += [w for i in range(5) for w in _row(f"two {i}", 220, 100 + 12 * i)]
    words += [w for i in range(3) for w in _row(f"three {i}", 400, 124 + 12 * i)]
    assert _read(words) == [
        *(f"one {i}" for i in range(5)),
        *(f"two {i}" for i in range(5)),
        *(f"three {i}" for i in range(3)),
    ]


def test_words_on_one_baseline_form_one_line() -> None:
    words = _row("newcomers showed remarkable resilience", 60, 100)
    words[2].top += 1.5  # a slightly raised word (a different font's ascent)
    assert _read(words) == ["newcomers showed remarkable resilience"]


def _cells(cells: list[tuple[str, float]], top: float) -> list[Word]:
    return [w for text, x0 in cells for w in _row(text, x0, top)]


def test_a_table_is_read_row_by_row() -> None:
    from resdiscourse.ingest.paragraphs import assemble

    words = _row("Newcomers arrive in the city every year and look for housing and", 60, 60)
    rows = [
        [("Program", 60), ("2016", 260), ("2017", 400)],
        [("Settlement services", 60), ("$4,120", 260), ("$4,870", 400)],
        [("Language training", 60), ("315", 260), ("402", 400)],
        [("Housing help", 60), ("12.5%", 260), ("14.0%", 400)],
    ]
    for i, row in enumerate(rows):
        words += _cells(row, 100 + 13 * i)
    text = assemble([reading_order(group_lines(words))]).text
    assert text.split("\n\n")[1] == (
        "Program | 2016 | 2017\n"
        "Settlement services | $4,120 | $4,870\n"
        "Language training | 315 | 402\n"
        "Housing help | 12.5% | 14.0%"
    )


def test_a_header_row_makes_two_rows_of_figures_a_table() -> None:
    from resdiscourse.ingest.paragraphs import assemble

    words = _row("Newcomers arrive in the city every year and look for housing and", 60, 60)
    # The labels fill their columns (each column is as wide as its widest cell): only the rows
    # below are short cells, and they are two, one fewer than a table needs without the header.
    rows = [
        [("Program", 60), ("Arrivals in the year", 260), ("Served by agencies", 400)],
        [("Settlement", 60), ("2016", 260), ("$4,870", 400)],
        [("Language", 60), ("315", 260), ("402", 400)],
    ]
    for i, row in enumerate(rows):
        words += _cells(row, 100 + 13 * i)
    text = assemble([reading_order(group_lines(words))]).text
    assert text.split("\n\n")[1] == (
        "Program | Arrivals in the year | Served by agencies\n"
        "Settlement | 2016 | $4,870\n"
        "Language | 315 | 402"
    )


def test_a_bullet_set_before_a_tab_opens_its_line() -> None:
    """Courier's "o" before a tab, as second-level lists set it, is a bullet, not a column."""
    size = 10.0
    words = [
        Word("o", 80, 85, 100, 110, size),
        Word("the", 105, 120, 100, 110, size),
        Word("criteria", 123, 160, 100, 110, size),
        Word("Total", 60, 85, 130, 140, size),
        Word("12", 200, 210, 130, 140, size),
    ]
    lines = group_lines(words)
    assert [line.text for line in lines] == ["\u2022 the criteria", "Total", "12"]


def _column(prefix: str, x0: float, top: float, n: int, width: int = 30) -> list[Word]:
    """``n`` lines of running text, each filling a column ``width`` characters wide."""
    return [w for i in range(n) for w in _row(f"{prefix} {i} ".ljust(width, "x"), x0, top + 12 * i)]


def test_a_column_that_starts_higher_than_the_first_is_read_after_it() -> None:
    # The second column's first two lines stand above the first column's top.
    words = _column("left", 40, 124, 6) + _column("right", 220, 100, 8)
    lines = _read(words)
    assert [line.split()[0] for line in lines] == ["left"] * 6 + ["right"] * 8


def test_two_tables_with_different_columns_are_read_row_by_row() -> None:
    # The second table's first rows fit the first table's columns; its third row does not.
    first = [("To", "Gives", "Private", "Foreign"), ("Respective", "2022", "78.2%", "2010")]
    first += [("Called", "200", "70.4%", "2015"), ("Himself", "85", "2020", "63.5%")]
    second = [("Interest", "Mortifying", "Not", "Them"), ("Conduct", "44.4%", "2017", "2009")]
    second += [("Confederacies first", "37.4%", "2019", "2008"), ("And", "45.5%", "40.3%", "2021")]
    second += [("To make cessions", "10.1%", "2016", "248")]
    words: list[Word] = []
    for i, cells in enumerate(first):
        for cell, x0 in zip(cells, (70, 172, 308, 444), strict=True):
            words += _row(cell, x0, 100 + 14 * i)
    for i, cells in enumerate(second):
        for cell, x0 in zip(cells, (70, 227, 341, 442), strict=True):
            words += _row(cell, x0, 180 + 14 * i)
    assert _read(words) == [" | ".join(cells) for cells in first + second]


@pytest.mark.parametrize(
    ("cell_x0", "b_top", "n_lines"),
    [
        (278, 110, 5),  # the table's second cells cross the columns' second gutter
        (282, 134, 6),  # ... stand where it is, and the second column starts two lines lower
    ],
)
def test_three_columns_below_a_table_are_found_without_its_cells(
    cell_x0: float, b_top: float, n_lines: int
) -> None:
    # A two-column table, then, after a blank line, three columns: found with the table's cells,
    # their second gutter would be narrowed away and the second and third read line by line.
    rows = [("Group", "GOVERNMENT"), ("Formed", "2024"), ("Reasoned", "$3,830")]
    words = [
        w
        for i, (a, b) in enumerate(rows)
        for w in _row(a, 40, 60 + 12 * i) + _row(b, cell_x0, 60 + 12 * i)
    ]
    n_b = n_lines - round((b_top - 110) / 12)
    words += _column("a", 40, 110, n_lines, 20) + _column("b", 180, b_top, n_b, 20)
    words += _column("c", 320, 110, n_lines, 20)
    lines = _read(words)
    assert lines[:3] == [" | ".join(row) for row in rows]
    assert [line.split()[0] for line in lines[3:]] == ["a"] * n_lines + ["b"] * n_b + [
        "c"
    ] * n_lines


def test_a_band_below_a_band_whose_second_column_ended_early() -> None:
    # Two bands of two columns, a blank line between: the first band's second column is two
    # lines shorter than its first, so the blank line is where the first band ends.
    words = _column("one", 40, 60, 5) + _column("two", 300, 60, 3)
    words += _column("three", 40, 136, 4) + _column("four", 300, 136, 4)
    lines = _read(words)
    assert [line.split()[0] for line in lines] == ["one"] * 5 + ["two"] * 3 + ["three"] * 4 + [
        "four"
    ] * 4


@pytest.mark.parametrize(("n_b", "offsets"), [(6, (0, 0)), (6, (0, 3)), (6, (3, 0)), (4, (4, 0))])
def test_two_bands_with_the_same_gutters_are_read_one_after_the_other(
    n_b: int, offsets: tuple[int, int]
) -> None:
    # Two two-column bands, one under the other after a blank row across both columns, their
    # gutters in the same place; the lower band's columns may start at different heights. Each
    # band is read to its end first (not "a", "c", "b", "d": one band with long columns).
    words = [w for i in range(6) for w in _row(f"a {i}", 40, 100 + 12 * i)]
    words += [w for i in range(n_b) for w in _row(f"b {i}", 300, 100 + 12 * i)]
    top = 100 + 12 * 6 + 16
    words += [w for i in range(5) for w in _row(f"c {i}", 40, top + 12 * (offsets[0] + i))]
    words += [w for i in range(5) for w in _row(f"d {i}", 300, top + 12 * (offsets[1] + i))]
    lines = _read(words)
    assert [line.split()[0] for line in lines] == ["a"] * 6 + ["b"] * n_b + ["c"] * 5 + ["d"] * 5


@pytest.mark.parametrize("ending", ["runs on", "ends", "heading"])
def test_a_blank_under_a_line_that_runs_on_ends_the_band(ending: str) -> None:
    # Two bands of two columns of running text (15 sizes wide) with the same gutters, a blank of
    # 1.1 body sizes between them: too low to end a band by its height alone (parallel
    # paragraphs are set with such blanks). When a column's last line above the blank fills its
    # column and ends in a word, the text goes on at the top of the next column: two bands.
    # When every column ends its paragraph there ("… end."), or the line that ends in a word is
    # a heading (a larger size), the blank is a paragraph gap.
    def column(prefix: str, x0: float, top: float, n: int) -> list[Word]:
        words = _column(prefix, x0, top, n)
        if ending != "runs on" and top == 100:
            words = [w for w in words if w.top < top + 12 * (n - 1)]
            if ending == "heading" and prefix == "b":
                words += _row("b heading over the next text xx", x0, top + 12 * (n - 1) - 3, 13.0)
            else:
                words += _row(f"{prefix} end.", x0, top + 12 * (n - 1))
        return words

    below = 100 + 12 * 5 - 2 + 11
    words = column("a", 40, 100, 5) + column("b", 220, 100, 5)
    words += column("c", 40, below, 4) + column("d", 220, below, 4)
    order = [line.split()[0] for line in _read(words)]
    if ending == "runs on":
        assert order == ["a"] * 5 + ["b"] * 5 + ["c"] * 4 + ["d"] * 4
    else:
        assert order == ["a"] * 5 + ["c"] * 4 + ["b"] * 5 + ["d"] * 4


def test_paragraph_gaps_level_across_columns_do_not_cut_a_band() -> None:
    # A paragraph break in both columns at the same height (a blank of less than a line): still
    # one band, each column read whole.
    words = [w for i in range(8) for w in _row(f"a {i}", 40, 100 + 12 * i + (6 if i >= 4 else 0))]
    words += [w for i in range(8) for w in _row(f"b {i}", 300, 100 + 12 * i + (6 if i >= 4 else 0))]
    lines = _read(words)
    assert [line.split()[0] for line in lines] == ["a"] * 8 + ["b"] * 8


def test_a_column_seen_in_no_row_beside_its_neighbour_is_still_a_column() -> None:
    # Three columns: the third holds two lines at the band's top, the second two lines at its
    # bottom (staggered), so no row shows the gutter between them; the white channel down the band
    # does. Read second before third, not line by line as one column.
    words = [w for i in range(5) for w in _row(f"a {i}", 40, 100 + 12 * i)]
    words += [w for i in range(2) for w in _row(f"b {i}", 220, 136 + 12 * i)]
    words += [w for i in range(2) for w in _row(f"c {i}", 400, 100 + 12 * i)]
    lines = _read(words)
    assert [line.split()[0] for line in lines] == ["a"] * 5 + ["b"] * 2 + ["c"] * 2


def test_a_figure_holds_its_column_s_room() -> None:
    # A figure (a drawn box, no text) atop the left column with its caption below it, a list at
    # the top of the right column: the caption is the left column's, read before the list even
    # though the list stands higher on the page.
    lines = group_lines(
        _row("Figure 2. A caption under the figure", 40, 150)
        + _row("the left column goes on", 40, 164)
        + _row("• a list item at the top", 320, 100)
        + _row("• another list item", 320, 114)
    )
    figures = figure_lines([(40.0, 98.0, 280.0, 145.0)], lines)
    assert len(figures) == 1
    order = [ln.text for r in reading_order(lines + figures) for ln in r.lines]
    assert order == [
        "Figure 2. A caption under the figure",
        "the left column goes on",
        "• a list item at the top",
        "• another list item",
    ]


def test_a_box_that_text_overlaps_is_no_figure() -> None:
    lines = group_lines(_row("a framed note inside its box", 60, 100) + _row("body text", 60, 200))
    boxes = [(50.0, 95.0, 300.0, 130.0), (55.0, 180.0, 70.0, 205.0)]  # a frame; a box over text
    assert figure_lines(boxes, lines) == []
    assert figure_lines([(50.0, 300.0, 300.0, 400.0)], lines)[0].text == FIGURE


def test_a_line_that_runs_into_the_next_column_is_cut_there() -> None:
    # An address too long for its column runs across the gutter and touches the next column's
    # first word on the same baseline: cut where that column starts, each part read in its own
    # column.
    words = _column("left", 40, 100, 6)
    words += _column("right", 220, 100, 6)
    address = Word("https://example.org/reports/data/public-", 40, 224, 124, 134, 10.0)
    words = [w for w in words if not (w.top == 124 and w.x0 < 200)] + [address]
    lines = _read(words)
    assert lines[2] == address.text
    assert [line.split()[0] for line in lines] == ["left", "left"] + [address.text] + [
        "left"
    ] * 3 + ["right"] * 6


def test_a_first_column_that_starts_lower_than_the_second_ends_is_read_first() -> None:
    # Two lines of a right-hand column, then one line of the left-hand column below them: no row
    # shows the gutter, and top to bottom would read the second column first.
    words = _row("right column line 0", 320, 100) + _row("right column line 1", 320, 112)
    words += _row("the left column starts with this line", 40, 136)
    assert _read(words) == [
        "the left column starts with this line",
        "right column line 0",
        "right column line 1",
    ]


def test_a_column_all_above_the_band_s_first_row_is_its_last_column() -> None:
    # Three columns of equal width: the third's two lines stand above the first row of the other
    # two, so no row shows where it starts; one column pitch right of the second, it is the
    # band's third column, read last.
    words = _column("three", 400, 100, 2, 28) + _column("one", 40, 126, 4, 28)
    words += _column("two", 220, 126, 4, 28)
    lines = _read(words)
    assert [line.split()[0] for line in lines] == ["one"] * 4 + ["two"] * 4 + ["three"] * 2


def test_first_column_lines_below_balanced_columns_end_the_page_s_last_band() -> None:
    # Two balanced columns (the first a line longer), then after a heading-sized gap, close
    # enough to join the band, two short list items in the first column only, below both
    # columns' ends: a block after the band, not the first column's tail.
    words = _column("left", 40, 100, 6) + _column("right", 220, 100, 5)
    words += _row("• a short item", 40, 183) + _row("• another item", 40, 195)
    lines = _read(words)
    assert [line.split()[0] for line in lines] == ["left"] * 6 + ["right"] * 5 + ["•"] * 2


def test_a_line_that_grazes_a_box_s_edge_leaves_it_a_figure() -> None:
    lines = group_lines(_row("the line below the figure", 40, 143) + _row("more text", 40, 155))
    assert [f.text for f in figure_lines([(40.0, 98.0, 280.0, 145.0)], lines)] == [FIGURE]


def test_a_first_column_line_below_a_higher_second_column_top_joins_the_band() -> None:
    # The second column opens with a heading a little above the first column's top: the
    # heading, then the first column's first line, each alone in its row, then rows with both
    # columns. Both are the columns' tops, not a block to read line by line before the band.
    words = _row("A heading", 220, 100) + _column("right", 220, 125, 5)
    words += _column("left", 40, 113, 6)
    lines = _read(words)
    assert [line.split()[0] for line in lines] == ["left"] * 6 + ["A"] + ["right"] * 5


def test_a_heading_beside_a_columns_line_across_a_narrow_gutter_is_a_line_of_its_own() -> None:
    """A gutter of 12.5 pt parts a body line (11.7 pt) from a heading (14.3 pt) beside it on
    another baseline, though it is narrower than 0.9 of the heading's size; on one baseline the
    same gap stays inside the line, as does a gap of 8 pt before a raised word in small type."""
    body = Word("extent", 100.0, 150.0, 562.4, 574.1, 11.7)
    heading = Word("Utopian", 162.5, 220.0, 556.7, 571.0, 14.3, bold=True)
    assert [ln.text for ln in group_lines([body, heading])] == ["extent", "Utopian"]
    level = Word("Utopian", 162.5, 220.0, 559.9, 574.2, 14.3, bold=True)
    assert [ln.text for ln in group_lines([body, level])] == ["extent Utopian"]
    small = Word("note", 158.0, 175.0, 562.4, 568.4, 6.0)
    assert [ln.text for ln in group_lines([body, small])] == ["extent note"]


def test_a_short_band_whose_second_column_stands_above_its_first_between_full_lines() -> None:
    """Between two full-width paragraphs, a band of two columns whose second column's lines all
    stand above its first's: the first column is read first (its text goes on in the second)."""
    full = "a paragraph that runs across the whole width of the page and its gutter"
    words = [w for i in range(3) for w in _row(f"{full} {i}", 60, 100 + 12 * i)]
    words += [w for i in range(2) for w in _row(f"second column line {i}", 330, 146 + 12 * i)]
    words += [w for i in range(2) for w in _row(f"first column line {i}", 60, 176 + 12 * i)]
    words += _row(f"{full} after", 60, 210)
    assert _read(words) == [
        *(f"{full} {i}" for i in range(3)),
        *(f"first column line {i}" for i in range(2)),
        *(f"second column line {i}" for i in range(2)),
        f"{full} after",
    ]
