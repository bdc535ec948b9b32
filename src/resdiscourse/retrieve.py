"""Retrieval: the units (sentence, paragraph or sentence ± k) where a query matches.

Only units that hold a hit of one of the query's terms are evaluated, and those hits are found by
one regex pass per term over the whole text, so retrieval costs little beside tokenisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from resdiscourse.codebook.query import Node
from resdiscourse.matching.matcher import Match, Matcher, positive_atoms
from resdiscourse.segment import SegmentedText

Unit = Literal["sentence", "paragraph", "window"]
UNITS: tuple[Unit, ...] = ("sentence", "paragraph", "window")


@dataclass(frozen=True)
class Segment:
    """A retrieved unit: characters [start, end), tokens [first, last), sentences [sentence_first,
    sentence_last), and the query's matches in it."""

    start: int
    end: int
    first: int
    last: int
    sentence_first: int
    sentence_last: int
    matches: tuple[Match, ...]
    #: For a list item: the sentence that introduces the list, read with it by retrieval and
    #: coding (its words may be among ``matches``) but outside the span.
    lead_in: int | None = None

    def segment_id(self, doc_id: str) -> str:
        return f"{doc_id}:{self.start}-{self.end}"


def retrieve(
    matcher: Matcher, query: Node, unit: Unit = "sentence", window: int = 0
) -> list[Segment]:
    """The segments of ``matcher``'s text where ``query`` matches, in text order. A unit is
    anchored only on sentences retrieval may use (not in a table, contents or index block unless
    the segmentation included them)."""
    seg = matcher.seg
    anchors = sorted(
        {
            sentence
            for atom in positive_atoms(query)
            for match in matcher.prefetch(atom)
            if seg.retrievable(sentence := seg.sentence_of_token(match.first))
        }
    )
    found: list[Segment] = []
    for sentence_first, sentence_last in _units(seg, anchors, unit, window):
        segment = _evaluate(matcher, query, sentence_first, sentence_last)
        if segment is None and unit == "sentence" and sentence_first in seg.lead_ins:
            segment = _with_lead_in(matcher, query, sentence_first)
        if segment is not None:
            found.append(segment)
    return _merged(matcher, query, found) if unit == "window" else found


def _units(
    seg: SegmentedText, anchors: list[int], unit: Unit, window: int
) -> list[tuple[int, int]]:
    if unit == "sentence":
        return [(index, index + 1) for index in anchors]
    if unit == "paragraph":
        paragraphs = sorted({seg.sentence_paragraph[index] for index in anchors})
        return [seg.paragraph_sentences[index] for index in paragraphs]
    count = len(seg.sentences)
    return [(max(0, index - window), min(count, index + window + 1)) for index in anchors]


def _evaluate(
    matcher: Matcher, query: Node, sentence_first: int, sentence_last: int
) -> Segment | None:
    sentences = matcher.seg.sentences
    first, last = sentences[sentence_first].first, sentences[sentence_last - 1].last
    matches = matcher.evaluate(query, first, last)
    if not matches:
        return None
    return Segment(
        sentences[sentence_first].start,
        sentences[sentence_last - 1].end,
        first,
        last,
        sentence_first,
        sentence_last,
        tuple(match for match in matches if match.first >= 0),
    )


def _with_lead_in(matcher: Matcher, query: Node, item: int) -> Segment | None:
    """A list item retrieved with its lead-in ("Newcomers have: • shown resilience"), unless the
    lead-in matches on its own (then it is the segment, not each of its items)."""
    lead_in = matcher.seg.lead_ins[item]
    sentences = matcher.seg.sentences
    if matcher.evaluate(query, sentences[lead_in].first, sentences[lead_in].last):
        return None
    matches = matcher.evaluate(query, sentences[lead_in].first, sentences[item].last)
    if not matches:
        return None
    span = sentences[item]
    placed = tuple(match for match in matches if match.first >= 0)
    return Segment(span.start, span.end, span.first, span.last, item, item + 1, placed, lead_in)


def _merged(matcher: Matcher, query: Node, segments: list[Segment]) -> list[Segment]:
    """Overlapping windows become one segment, so no sentence is counted twice."""
    merged: list[Segment] = []
    for segment in segments:
        if merged and segment.sentence_first < merged[-1].sentence_last:
            union = _evaluate(matcher, query, merged[-1].sentence_first, segment.sentence_last)
            assert union is not None  # a window that matched is inside it
            merged[-1] = union
        else:
            merged.append(segment)
    return merged


def not_overlapping(segments: list[Segment], others: list[Segment]) -> int:
    """How many of ``segments`` share no sentence with any of ``others`` (what one retrieval adds
    to another over the same text)."""
    covered = {
        index for other in others for index in range(other.sentence_first, other.sentence_last)
    }
    return sum(
        1
        for segment in segments
        if covered.isdisjoint(range(segment.sentence_first, segment.sentence_last))
    )
