"""Reading order from geometry, on hand-made word boxes (no PDF needed)."""

from __future__ import annotations

import random

from resdiscourse.ingest.layout import Word, group_lines, reading_order


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
