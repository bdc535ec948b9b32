"""Counting a dictionary's categories in one segmented text (no I/O): the core of ``count``.

Semantics (as quanteda's ``tokens_lookup`` then ``dfm``, and LIWC):
- a term starts at the start of a token and, without a trailing ``*``, ends at the end of one
  (the codebook's matcher rules, docs/codebook.md); matching ignores case, unless a codebook
  term says ``case: true``;
- within a category, phrases and longer terms are matched first, and a token counts once: a match
  covering tokens that a longer match of the same category already covers is not counted;
- a category's count is its number of matches; its weight, the sum of the matched terms' weights;
- words are the tokens that are alphabetic or numeric (spaCy ``is_alpha or like_num``);
  rates are per 1,000 words; the share of words matched counts each word in a match of any
  category once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from resdiscourse.dictionaries.model import Dictionary, DictTerm
from resdiscourse.matching.matcher import TermPattern, TermSource, compile_terms
from resdiscourse.segment import SegmentedText


@dataclass(frozen=True)
class CountColumn:
    """A category counted: its id (the column name) and its terms with their weights."""

    id: str
    terms: tuple[DictTerm, ...]

    @property
    def weighted(self) -> bool:
        return any(term.weight is not None for term in self.terms)


def columns_of(dictionary: Dictionary, level: int | None = None) -> list[CountColumn]:
    """The counted categories: each category with terms of its own; with ``level``, every
    category deeper than ``level`` is merged into its ancestor at that level (as quanteda's
    ``levels = 1:N``), so a token counts once in the merged category."""
    ids = dictionary.ids()
    merged: dict[str, list[DictTerm]] = {}
    for category in dictionary.categories:
        path = category.path[:level] if level else category.path
        if not category.terms:
            continue
        target = merged.setdefault(ids[path], [])
        target += category.terms
    return [CountColumn(cid, tuple(dict.fromkeys(terms))) for cid, terms in merged.items()]


@dataclass(frozen=True)
class _Compiled:
    """One regex group of a column's terms, all of one weight."""

    pattern: TermPattern
    weight: float | None


def compile_column(column: CountColumn, language: str) -> tuple[_Compiled, ...]:
    by_weight: dict[float | None, list[TermSource]] = {}
    for term in column.terms:
        source = TermSource(tuple(term.text.split(" ")), term.lemma, term.case)
        by_weight.setdefault(term.weight, []).append(source)
    return tuple(
        _Compiled(pattern, weight)
        for weight, sources in by_weight.items()
        for pattern in compile_terms(sources, language, own_lemmas=False)
    )


@dataclass(frozen=True)
class UnitCount:
    """The counts of one unit: tokens [first, last) of the text."""

    first: int
    last: int
    words: int
    matched_words: int
    counts: dict[str, int]
    weights: dict[str, float]


class TextCounter:
    """Matches of every column over one text, then counts per unit."""

    def __init__(
        self,
        seg: SegmentedText,
        columns: Sequence[tuple[CountColumn, tuple[_Compiled, ...]]],
        is_word: Callable[[str], bool],
    ) -> None:
        self.seg = seg
        starts = seg.token_starts
        self.token_at = {start: index for index, start in enumerate(starts)}
        self.words = [is_word(seg.text[s:e]) for s, e in zip(starts, seg.token_ends, strict=True)]
        self.word_prefix = [0]
        for flag in self.words:
            self.word_prefix.append(self.word_prefix[-1] + flag)
        lowered = seg.text.lower()
        self.lowered = lowered if len(lowered) == len(seg.text) else None
        #: column id -> kept matches (first token, last token, weight), in text order.
        self.matches = {column.id: self._matches(compiled) for column, compiled in columns}

    def _matches(self, compiled: tuple[_Compiled, ...]) -> list[tuple[int, int, float | None]]:
        found = [hit for group in compiled for hit in self._hits(group)]
        found.sort(key=lambda hit: (hit[0], hit[0] - hit[1]))
        kept: list[tuple[int, int, float | None]] = []
        for hit in found:
            if not kept or hit[0] >= kept[-1][1]:
                kept.append(hit)
        return kept

    def _hits(self, group: _Compiled) -> list[tuple[int, int, float | None]]:
        """Matches of one regex that start at a token start, as token ranges."""
        pattern = group.pattern
        regex = pattern.lowered if pattern.lowered is not None and self.lowered else pattern.regex
        text = self.lowered if regex is pattern.lowered and self.lowered else self.seg.text
        assert regex is not None and text is not None
        hits = []
        position = 0
        while True:
            found = regex.search(text, position)
            if found is None:
                break
            first = self.token_at.get(found.start())
            if first is None or found.end() == found.start():
                position = found.start() + 1
                continue
            last = self._token_after(found.end(), first)
            hits.append((first, last, group.weight))
            position = found.end()
        return hits

    def _token_after(self, end: int, first: int) -> int:
        """The index after the last token the match [.., end) reaches into."""
        ends, last = self.seg.token_ends, first
        while last < len(ends) and self.seg.token_starts[last] < end:
            last += 1
        return last

    def unit(self, first: int, last: int) -> UnitCount:
        counts: dict[str, int] = {}
        weights: dict[str, float] = {}
        covered: set[int] = set()
        for column_id, matches in self.matches.items():
            inside = [m for m in matches if m[0] >= first and m[1] <= last]
            counts[column_id] = len(inside)
            weights[column_id] = sum(m[2] or 0.0 for m in inside)
            for m in inside:
                covered.update(t for t in range(m[0], m[1]) if self.words[t])
        words = self.word_prefix[last] - self.word_prefix[first]
        return UnitCount(first, last, words, len(covered), counts, weights)
