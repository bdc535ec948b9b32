"""Character intervals ``[start, end)`` per coder, and the per-character decisions they imply.

A coder's coding of one code in one document is a set of intervals; the units of the character
level comparison are the document's characters, each coded (1) or not (0) by each coder, or
missing (None) for a coder who did not code the document or that part of it.
Nothing here loops over characters: the text is cut at every interval boundary and each piece
counts its length.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

Interval = tuple[int, int]
_LAST = 2**63  # sorts after any end offset, for bisect on (start, end) pairs
Pattern = tuple[int | None, ...]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping, non-empty intervals covering the same characters."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Take:
    """One coder's work on one document: the merged intervals coded, and the merged intervals
    the coder looked at (None: the whole text; a coder of excerpts looked at those only)."""

    coded: Sequence[Interval]
    covered: Sequence[Interval] | None = None


class _Inside:
    """Answers "is this position inside the sorted, merged intervals" for rising positions."""

    def __init__(self, intervals: Sequence[Interval]) -> None:
        self.intervals = intervals
        self.cursor = 0

    def __call__(self, position: int) -> bool:
        intervals = self.intervals
        while self.cursor < len(intervals) and intervals[self.cursor][1] <= position:
            self.cursor += 1
        return self.cursor < len(intervals) and intervals[self.cursor][0] <= position


def pieces(length: int, takes: Sequence[Take | None]) -> list[tuple[int, int, Pattern]]:
    """The text ``[0, length)`` cut at every boundary: (start, end, the coders' values there):
    1 coded, 0 looked at and not coded, None not looked at (or None for the whole document)."""
    cuts = {0, length}
    for take in takes:
        for start, end in [*(take.coded if take else ()), *((take.covered or ()) if take else ())]:
            cuts.update((min(start, length), min(end, length)))
    coded = [_Inside(take.coded) if take else None for take in takes]
    covered = [
        _Inside(take.covered) if take and take.covered is not None else None for take in takes
    ]
    found = []
    for start, end in pairwise(sorted(cuts)):
        values: list[int | None] = []
        for index, take in enumerate(takes):
            values.append(_value(take, coded[index], covered[index], start))
        found.append((start, end, tuple(values)))
    return found


def _value(
    take: Take | None, coded: _Inside | None, covered: _Inside | None, position: int
) -> int | None:
    if take is None or coded is None:
        return None
    if covered is not None and not covered(position):
        return None
    return int(coded(position))


def patterns(length: int, takes: Sequence[Take | None]) -> Counter[Pattern]:
    """How many characters of the text have each pattern of the coders' values (pieces that
    fewer than two coders looked at are no units)."""
    counts: Counter[Pattern] = Counter()
    for start, end, pattern in pieces(length, takes):
        if sum(value is not None for value in pattern) < 2:
            continue
        counts[pattern] += end - start
    return counts


def disagreements(length: int, takes: Sequence[Take | None]) -> list[tuple[int, int, Pattern]]:
    """Maximal runs of characters where the values of the coders who looked at them differ."""
    runs: list[tuple[int, int, Pattern]] = []
    for start, end, pattern in pieces(length, takes):
        if len({value for value in pattern if value is not None}) < 2:
            continue
        if runs and runs[-1][1] == start and runs[-1][2] == pattern:
            runs[-1] = (runs[-1][0], end, pattern)
        else:
            runs.append((start, end, pattern))
    return runs


def overlap_length(intervals: Sequence[Interval], start: int, end: int) -> int:
    """How many characters of ``[start, end)`` the merged (sorted, disjoint) ``intervals``
    cover; a binary search finds the first one that can overlap, so that a document with
    thousands of codings costs no more per unit than one with a few."""
    first = bisect.bisect_right(intervals, (start, _LAST)) - 1
    total = 0
    for s, e in intervals[max(first, 0) :]:
        if s >= end:
            break
        total += max(0, min(end, e) - max(start, s))
    return total
