"""The interval arithmetic and text alignment under ``compare``, against per-character loops."""

from __future__ import annotations

import itertools
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from resdiscourse.compare.align import align
from resdiscourse.compare.intervals import Take, disagreements, merge, overlap_length, patterns

LENGTH = 60
spans = st.lists(
    st.tuples(st.integers(0, LENGTH), st.integers(0, LENGTH)).map(lambda p: (min(p), max(p))),
    max_size=6,
)
takes = st.one_of(
    st.none(),
    st.builds(Take, spans.map(merge), st.one_of(st.none(), spans.map(merge))),
)


def value_at(take: Take | None, position: int) -> int | None:
    if take is None:
        return None
    if take.covered is not None and not any(s <= position < e for s, e in take.covered):
        return None
    return int(any(s <= position < e for s, e in take.coded))


@given(st.lists(takes, min_size=2, max_size=4))
def test_patterns_count_what_a_loop_over_characters_counts(coders: list[Take | None]) -> None:
    expected: Counter[tuple[int | None, ...]] = Counter()
    for position in range(LENGTH):
        pattern = tuple(value_at(take, position) for take in coders)
        if sum(v is not None for v in pattern) >= 2:
            expected[pattern] += 1
    assert patterns(LENGTH, coders) == expected


@given(st.lists(takes, min_size=2, max_size=3))
def test_disagreements_are_the_maximal_runs_of_differing_values(coders: list[Take | None]) -> None:
    runs = disagreements(LENGTH, coders)
    flagged = {p for start, end, _ in runs for p in range(start, end)}
    for position in range(LENGTH):
        values = {value_at(take, position) for take in coders} - {None}
        assert (position in flagged) == (len(values) > 1)
    for (_, end, pattern), (start, _, following) in itertools.pairwise(runs):
        assert end < start or pattern != following  # adjacent runs with equal values are one


@given(spans)
def test_merge_keeps_the_same_characters(intervals: list[tuple[int, int]]) -> None:
    merged = merge(intervals)
    covered = {p for s, e in intervals for p in range(s, e)}
    assert {p for s, e in merged for p in range(s, e)} == covered
    assert all(a[1] < b[0] for a, b in itertools.pairwise(merged))


def test_alignment_maps_words_through_inserted_and_changed_text() -> None:
    ours = "Newcomers show resilience.\nThe city must act on housing."
    theirs = "PAGE 3 HEADER\nNewcomers show resil-\nience. The City must act on housing."
    alignment = align(theirs, ours)
    start = theirs.index("The City")
    assert alignment.map_span(start, start + len("The City")) == (
        ours.index("The city"),
        ours.index("The city") + len("The city"),
    )
    assert alignment.map_span(0, len("PAGE 3 HEADER")) is None
    assert 0.5 < alignment.share < 1.0


def test_equal_texts_align_to_themselves() -> None:
    alignment = align("same text", "same text")
    assert alignment.share == 1.0
    assert alignment.map_span(2, 7) == (2, 7)


@given(spans, st.integers(0, LENGTH), st.integers(0, LENGTH))
def test_overlap_length_counts_the_covered_characters(
    intervals: list[tuple[int, int]], a: int, b: int
) -> None:
    start, end = min(a, b), max(a, b)
    merged = merge(intervals)
    expected = sum(1 for p in range(start, end) if any(s <= p < e for s, e in merged))
    assert overlap_length(merged, start, end) == expected


def test_crlf_and_reflowed_lines_map_every_selection_exactly() -> None:
    ours = "Refugees show resilience.\n\n“Newcomers cope,” staff said (2017).\nEnd."
    for theirs in (ours.replace("\n", "\r\n"), "HEADER 1\n" + ours.replace("\n", " ")):
        alignment = align(theirs, ours)
        shift = theirs.index("Refugees")
        for sentence in (
            "Refugees show resilience.",
            "“Newcomers cope,” staff said (2017).",
            "End.",
        ):
            start = ours.index(sentence)
            their_start = theirs.index(sentence.replace("\n", " "))
            assert alignment.map_span(their_start, their_start + len(sentence)) == (
                start,
                start + len(sentence),
            ), (sentence, shift)
