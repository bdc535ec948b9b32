"""Finding terms and evaluating queries over a segmented text.

Terms compile to regular expressions run over the clean text (fast, in C); a regex hit counts only
when it starts at a token's start and, unless the term ends in ``*``, ends at a token's end, so
matching follows spaCy's tokens. Lemma terms expand to every form whose looked-up lemma they are
(exactly the lookup lemmatizer's answer), or, with a pipeline that has its own lemmatizer, compare
``token.lemma_``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import NamedTuple

from resdiscourse.clauses import clause_numbers, token_texts
from resdiscourse.codebook.query import (
    AndNode,
    ConceptNode,
    NearNode,
    Node,
    NotNode,
    OrNode,
    TermNode,
)
from resdiscourse.lemmas import forms_of
from resdiscourse.segment import SegmentedText, Span


@dataclass(frozen=True)
class Hit:
    """A term found in the text: tokens [first, last) and what found it (a term or {concept})."""

    first: int
    last: int
    label: str


@dataclass(frozen=True)
class Match:
    """One way a query matched: the token range it covers and the hits that make it up.
    A NOT that holds matches with no hits and no place (``first == -1``)."""

    first: int
    last: int
    hits: tuple[Hit, ...]


NOWHERE = Match(-1, -1, ())
#: Sort keys: a match's place (first, last) from its key in a dict of matches; a hit's order.
_PLACE = itemgetter(0, 1)
_HIT_ORDER = attrgetter("first", "last", "label")
#: The node types of terms and concepts.
_ATOMS = frozenset({TermNode, ConceptNode})
#: A clause: (sentence index, the clause's number within the sentence).
Clause = tuple[int, int]
#: Scopes up to this many tokens are checked for the atoms' openings before any regex runs; the
#: check walks the scope's tokens, which only pays where the scope is short.
OPENINGS_MAX_TOKENS = 2000
_APOSTROPHE = "['’]"
#: Between the words of a phrase: spaces, or a hyphen ("asylum seekers", "asylum-seekers").
_PHRASE_GAP = r"(?:\s+|\s*[-‐‑]\s*)"


@dataclass(frozen=True)
class TermPattern:
    """Compiled terms: one regex for several terms that share their options, whether they end in
    a wildcard, and (for pipelines with their own lemmatizer) a lemma sequence to compare instead.

    A case-insensitive pattern is compiled twice: lower-cased and case-sensitive, to run on the
    lower-cased text (much faster: the regex engine can skip to the possible first letters), and
    with IGNORECASE for the rare text whose lower-casing changes its length."""

    regex: re.Pattern[str] | None
    wildcard_end: bool
    lemmas: tuple[frozenset[str], ...] | None = None
    lowered: re.Pattern[str] | None = None
    #: For case-sensitive terms written in lower case: the pattern without case, for the first
    #: word of a sentence and the words of a Title Case sentence (capitals of grammar or
    #: typography, not of a name).
    initial: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Atom:
    label: str
    patterns: tuple[TermPattern, ...]
    #: The openings (first letters, see :func:`opening`) any hit can start with; None when a term
    #: can start with anything (a leading ``*``, lemmas of the pipeline's own lemmatizer).
    openings: frozenset[str] | None = None


class ClauseWords(NamedTuple):
    """The concepts (or terms) whose words mark clauses (:mod:`resdiscourse.clauses`), each None
    when the codebook names none: the codebook's ``clauses:`` lists."""

    openers: TermNode | ConceptNode | None = None
    relatives: TermNode | ConceptNode | None = None
    coordinators: TermNode | ConceptNode | None = None


#: No clause words: only punctuation marks clauses.
NO_CLAUSE_WORDS = ClauseWords()


@dataclass(frozen=True)
class TermSource:
    """A term as the matcher needs it: its words and options."""

    words: tuple[str, ...]
    lemma: bool = False
    case: bool = False


def _word_regex(word: str) -> str:
    return r"\w*".join(_escape(part) for part in word.split("*"))


def _escape(text: str) -> str:
    """``re.escape``, with an apostrophe (' or ’) matching either: codebooks write "d'asile",
    documents often "d’asile"."""
    return "".join(_APOSTROPHE if char in "'’" else re.escape(char) for char in text)


def compile_terms(
    terms: Iterable[TermSource], language: str, own_lemmas: bool, typographic: bool = False
) -> tuple[TermPattern, ...]:
    """Compile terms for documents of ``language``: one regex per group of terms that share their
    case option and kind of ending, phrases and longer terms first in each alternation. With
    ``typographic``, a case-sensitive term in lower case also matches capitals of grammar and
    typography (see :class:`TermPattern`)."""
    groups: dict[tuple[bool, bool, bool, bool, bool], list[tuple[int, str]]] = {}
    patterns: list[TermPattern] = []
    for term in terms:
        if term.lemma and own_lemmas:
            lemmas = tuple(frozenset({word.lower()}) for word in term.words)
            patterns.append(TermPattern(None, False, lemmas))
            continue
        source, wildcard_end = _term_regex(term, language)
        lower = typographic and term.case and term.words[0][:1].islower()
        key = (term.case, wildcard_end, term.words[0].startswith("*"), lower, _elided(term))
        groups.setdefault(key, []).append((len(term.words), source))
    for (case, wildcard_end, _, lower, elided), sources in sorted(groups.items()):
        ordered = [
            s for _, s in sorted(sources, key=lambda item: (-item[0], -len(item[1]), item[1]))
        ]
        open_end = wildcard_end or elided
        body = "(?:" + "|".join(ordered) + ")" + ("" if open_end else r"(?!\w)")
        pattern = _compiled(body, case, wildcard_end)
        if lower:
            pattern = replace(pattern, initial=re.compile(body, re.IGNORECASE))
        patterns.append(pattern)
    return tuple(patterns)


def term_openings(
    terms: Iterable[TermSource], language: str, own_lemmas: bool
) -> frozenset[str] | None:
    """What the hits of these terms can start with, to skip a regex in a sentence without it."""
    found: set[str] = set()
    for term in terms:
        if term.lemma and own_lemmas:
            return None
        first = term.words[0]
        starts = forms_of(language, first) if term.lemma else {first.split("*")[0]}
        if "" in starts:
            return None
        found.update(opening(start) for start in starts)
    return frozenset(found)


#: How many letters of a word its opening keeps: enough to tell most terms apart.
OPENING = 4


def opening(text: str) -> str:
    """The first OPENING letters of a word, lower case, apostrophes as '."""
    return text[:OPENING].lower().replace("’", "'")


class TermIndex:
    """Every term and concept of a codebook by the openings its hits can start with (for one
    language and lemma mode), built once per codebook.

    One pass over a scope's tokens gives every atom that can have a hit there
    (:meth:`candidates`); the matcher runs the patterns of those alone and skips the others without
    compiling or looking at them. The test is the one :attr:`Atom.openings` makes atom by atom, so
    the hits are the same."""

    def __init__(self, atoms: Iterable[tuple[Node, frozenset[str] | None]]) -> None:
        #: The atoms the index covers, by id (an atom outside it is checked on its own).
        self.nodes: dict[int, Node] = {}
        self.by_opening: dict[str, set[int]] = {}
        #: Atoms whose hits can start with anything (a leading ``*``, a pipeline's own lemmas).
        self.anywhere: frozenset[int] = frozenset()
        anywhere = set()
        for node, openings in atoms:
            self.nodes[id(node)] = node
            if openings is None:
                anywhere.add(id(node))
                continue
            for start in openings:
                self.by_opening.setdefault(start, set()).add(id(node))
        self.anywhere = frozenset(anywhere)

    def covers(self, node: Node) -> bool:
        return self.nodes.get(id(node)) is node

    def candidates(self, openings: Iterable[str]) -> set[int]:
        """The ids of the atoms that can have a hit in a scope whose words open with
        ``openings`` (every opening length, as :meth:`Matcher._openings` gives them)."""
        found = set(self.anywhere)
        by_opening = self.by_opening
        for start in openings:
            ids = by_opening.get(start)
            if ids is not None:
                found |= ids
        return found


def _elided(term: TermSource) -> bool:
    """A term that ends in an elision ("qu'", "bien qu'", "l'") runs straight into the next word
    ("qu’un"), so no word boundary may follow it."""
    return not term.lemma and term.words[-1][-1:] in ("'", "’")


def _term_regex(term: TermSource, language: str) -> tuple[str, bool]:
    if term.lemma:
        pieces = [_alternation(forms_of(language, word)) for word in term.words]
        return _PHRASE_GAP.join(pieces), False
    return _PHRASE_GAP.join(_word_regex(word) for word in term.words), term.words[-1].endswith("*")


def _compiled(body: str, case: bool, wildcard_end: bool) -> TermPattern:
    if case:
        return TermPattern(re.compile(body), wildcard_end)
    lowered = re.compile(_lower_literals(body))
    return TermPattern(re.compile(body, re.IGNORECASE), wildcard_end, lowered=lowered)


def _lower_literals(body: str) -> str:
    """A regex source with its literal letters lower-cased (escapes such as \\w, \\s kept)."""
    return re.sub(
        r"\\.|[^\\]+",
        lambda m: m.group() if m.group().startswith("\\") else m.group().lower(),
        body,
    )


def _alternation(forms: Iterable[str]) -> str:
    ordered = sorted(forms, key=lambda form: (-len(form), form))
    return "(?:" + "|".join(_escape(form) for form in ordered) + ")"


class Matcher:
    """Hits and query matches over one :class:`SegmentedText`.

    ``atoms`` compiles a term or concept node (cached by the caller per language). Hits over the
    whole text are computed once per atom when :meth:`prefetch` asks for them (retrieval); other
    atoms are searched only inside the scope asked for (coding reads few, short scopes). With a
    :class:`TermIndex` per region, one pass over a short scope's words tells which atoms can
    occur there at all.

    In a text that mixes languages, ``regions`` gives the tokens [first, last) of each part with
    the atoms of its language; a term then matches only with its own language's patterns.
    """

    def __init__(
        self,
        segmented: SegmentedText,
        atoms: Callable[[Node], Atom],
        clause_words: ClauseWords = NO_CLAUSE_WORDS,
        regions: Sequence[tuple[int, int, Callable[[Node], Atom]]] = (),
        indexes: Sequence[TermIndex | None] = (),
    ) -> None:
        self.seg = segmented
        self.atoms = atoms
        self.regions = list(regions) or [(0, len(segmented.token_starts), atoms)]
        #: The term index of each region's language (None: every atom is checked on its own).
        self.indexes = list(indexes) or [None] * len(self.regions)
        self._candidates: dict[tuple[int, int, int], set[int]] = {}
        #: The words that mark clauses, for CNEAR and CBEFORE.
        self.clause_words = clause_words
        self._clauses: dict[int, list[Clause]] = {}
        lowered = segmented.text.lower()
        # Offsets must stay valid: "İ".lower() is two characters; such a text uses IGNORECASE.
        self._lowered = lowered if len(lowered) == len(segmented.text) else None
        # Caches are keyed by id(node) (hashing a query tree on every lookup costs more than the
        # lookup); each entry keeps its node, and a hit counts only for that very node.
        self._atoms: dict[tuple[int, int], tuple[Node, Atom]] = {}
        self._whole: dict[int, tuple[Node, list[int], list[Match]]] = {}
        self._scoped: dict[tuple[int, int, int], tuple[Node, list[Match]]] = {}
        self._scope_openings: dict[tuple[int, int], set[str]] = {}
        # The last scope :meth:`_may_occur` was asked about, and its candidates.
        self._scope: tuple[int, int] = (-1, -1)
        self._scope_candidates: set[int] | None = None
        index = self.indexes[0] if len(self.regions) == 1 else None
        self._index_nodes: dict[int, Node] = index.nodes if index is not None else {}

    # -- hits ---------------------------------------------------------------------------------

    def prefetch(self, node: Node) -> list[Match]:
        """Every hit of a term or concept in the whole text (cached)."""
        found = self._whole.get(id(node))
        if found is None or found[0] is not node:
            matches = self._search(node, 0, len(self.seg.token_starts))
            found = (node, [match.first for match in matches], matches)
            self._whole[id(node)] = found
            # From now on its hits in a scope are taken from these.
            for key in [key for key in self._scoped if key[0] == id(node)]:
                del self._scoped[key]
        return found[2]

    def hits(self, node: TermNode | ConceptNode, first: int, last: int) -> list[Match]:
        """Hits of a term or concept inside tokens [first, last) (cached)."""
        key = (id(node), first, last)
        entry = self._scoped.get(key)
        if entry is not None and entry[0] is node:
            return entry[1]
        whole = self._whole.get(id(node))
        if whole is not None and whole[0] is node:
            _, firsts, matches = whole
            lo, hi = bisect_left(firsts, first), bisect_left(firsts, last)
            found = [match for match in matches[lo:hi] if match.last <= last]
        elif self._may_occur(node, first, last):
            found = self._search(node, first, last)
        else:
            return []  # what _search finds when the index rules the atom out, without the search
        self._scoped[key] = (node, found)
        return found

    def _may_occur(self, node: Node, first: int, last: int) -> bool:
        """False when a text of one region has a term index that rules the atom out of tokens
        [first, last) (then :meth:`_search` finds nothing); coding asks of one scope after
        another, so the last scope's candidates are kept at hand."""
        if (first, last) != self._scope:
            self._scope = (first, last)
            self._scope_candidates = self._region_candidates(first, last)
        found = self._scope_candidates
        key = id(node)
        return found is None or key in found or self._index_nodes.get(key) is not node

    def _cached(
        self, node: Node, first: int, last: int, compute: Callable[[Node, int, int], list[Match]]
    ) -> list[Match]:
        key = (id(node), first, last)
        entry = self._scoped.get(key)
        if entry is None or entry[0] is not node:
            entry = self._scoped[key] = (node, compute(node, first, last))
        return entry[1]

    def _ruled_out(self, atom: Atom, first: int, last: int) -> bool:
        """Whether no word of tokens [first, last) opens like any of the atom's terms. Only asked
        of short scopes, in a text whose lower-casing keeps its offsets (openings come from it)."""
        if atom.openings is None or self._lowered is None or last - first > OPENINGS_MAX_TOKENS:
            return False
        return atom.openings.isdisjoint(self._openings(first, last))

    def _region_candidates(self, first: int, last: int) -> set[int] | None:
        """The ids of the atoms the term index lets have a hit in tokens [first, last) of a text
        of one region; None when it does not answer (as in :meth:`_indexed`)."""
        if len(self.regions) != 1 or not self.regions[0][0] <= first < last <= self.regions[0][1]:
            return None
        index = self.indexes[0]
        if index is None or self._lowered is None or last - first > OPENINGS_MAX_TOKENS:
            return None
        key = (0, first, last)
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = index.candidates(self._openings(first, last))
        return found

    def _indexed(self, node: Node, region: int, first: int, last: int) -> bool | None:
        """Whether the region's term index lets the atom have a hit in tokens [first, last); None
        when the index does not answer (no index, the atom is not in it, or the scope is one
        :meth:`_ruled_out` would not check either)."""
        index = self.indexes[region]
        if (
            index is None
            or self._lowered is None
            or last - first > OPENINGS_MAX_TOKENS
            or not index.covers(node)
        ):
            return None
        key = (region, first, last)
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = index.candidates(self._openings(first, last))
        return id(node) in found

    def _openings(self, first: int, last: int) -> set[str]:
        """Every opening length of the words in tokens [first, last): "r", "re", "res", "resi"."""
        key = (first, last)
        found = self._scope_openings.get(key)
        if found is None:
            text = self._lowered or ""
            starts = self.seg.token_starts
            found = set()
            for index in range(first, last):
                word = opening(text[starts[index] : starts[index] + OPENING])
                found.update(word[:length] for length in range(1, len(word) + 1))
            self._scope_openings[key] = found
        return found

    def _atom(self, node: Node, region: int = 0) -> Atom:
        key = (id(node), region)
        entry = self._atoms.get(key)
        if entry is None or entry[0] is not node:
            entry = self._atoms[key] = (node, self.regions[region][2](node))
        return entry[1]

    def _search(self, node: Node, first: int, last: int) -> list[Match]:
        found: dict[tuple[int, int], Match] = {}
        for region, (low, high, _) in enumerate(self.regions):
            begin_at, end_at = max(first, low), min(last, high)
            if begin_at >= end_at:
                continue
            indexed = self._indexed(node, region, begin_at, end_at)
            if indexed is False:
                continue
            atom = self._atom(node, region)
            if indexed is None and self._ruled_out(atom, begin_at, end_at):
                continue
            for pattern in atom.patterns:
                for begin, end in self._find(pattern, begin_at, end_at):
                    hit = Hit(begin, end, atom.label)
                    found.setdefault((begin, end), Match(begin, end, (hit,)))
        return [found[key] for key in sorted(found)]

    def _find(self, pattern: TermPattern, first: int, last: int) -> Iterable[tuple[int, int]]:
        if pattern.regex is None:
            assert pattern.lemmas is not None
            yield from self._find_lemmas(pattern.lemmas, first, last)
            return
        seg = self.seg
        starts, ends = seg.token_starts, seg.token_ends
        if pattern.lowered is not None and self._lowered is not None:
            regex, text = pattern.lowered, self._lowered
        else:
            regex, text = pattern.regex, seg.text
        yield from self._aligned(
            regex.finditer(text, starts[first], ends[last - 1]), pattern, first, last
        )
        if pattern.initial is not None:
            found = pattern.initial.finditer(seg.text, starts[first], ends[last - 1])
            for begin, end in self._aligned(found, pattern, first, last):
                typographic = (
                    seg.starts_run_in(begin)
                    or seg.is_titled(seg.sentence_of_token(begin))
                    or seg.capitalised_in_prose(begin, end)
                )
                if typographic and not seg.text[starts[begin]].islower():
                    yield begin, end

    def _aligned(
        self, found: Iterable[re.Match[str]], pattern: TermPattern, first: int, last: int
    ) -> Iterable[tuple[int, int]]:
        """The token ranges of regex hits that start at a token's start and end at a token's end
        (or inside its last word, for a term ending in ``*``)."""
        starts, ends = self.seg.token_starts, self.seg.token_ends
        for hit in found:
            begin = bisect_left(starts, hit.start(), first, last)
            if begin == last or starts[begin] != hit.start():
                continue  # inside a word: "immigra*" in "nonimmigrant"
            end = bisect_left(ends, hit.end(), begin, last)
            if end == last or (ends[end] != hit.end() and not pattern.wildcard_end):
                continue
            yield begin, end + 1

    def _find_lemmas(
        self, lemmas: tuple[frozenset[str], ...], first: int, last: int
    ) -> Iterable[tuple[int, int]]:
        own = self.seg.lemmas
        assert own is not None
        width = len(lemmas)
        for index in range(first, last - width + 1):
            if all(own[index + k] in lemmas[k] for k in range(width)):
                yield index, index + width

    # -- queries ------------------------------------------------------------------------------

    def evaluate(self, node: Node, first: int, last: int) -> list[Match]:
        """The matches of a query inside tokens [first, last); empty when it does not match.
        Cached: rules share sub-queries (compile_codebook gives equal ones one object)."""
        if isinstance(node, TermNode | ConceptNode):
            return self.hits(node, first, last)
        return self._cached(node, first, last, self._evaluate)

    def _evaluate(self, node: Node, first: int, last: int) -> list[Match]:
        if isinstance(node, OrNode):
            return _union(self.evaluate(child, first, last) for child in node.children)
        if isinstance(node, AndNode):
            parts = []
            for child in node.children:
                part = self.evaluate(child, first, last)
                if not part:
                    return []
                parts.append(part)
            placed = [match for part in parts for match in part if match is not NOWHERE]
            # One match holding every occurrence: negation and NEAR see the conjunction whole.
            return [_joined(*placed)] if placed else [NOWHERE]
        if isinstance(node, NotNode):
            return [] if self.evaluate(node.child, first, last) else [NOWHERE]
        assert isinstance(node, NearNode)
        return self._near(node, first, last)

    def _near(self, node: NearNode, first: int, last: int) -> list[Match]:
        lefts, rights = self._sides(node, first, last)
        found: dict[tuple[int, int, tuple[Hit, ...]], Match] = {}
        for left in lefts:
            for right in rights:
                if self.gap(left, right, node.ordered) > node.distance:
                    continue
                if node.clause and not self.one_clause(left, right):
                    continue
                match = _joined(left, right)
                found.setdefault((match.first, match.last, match.hits), match)
        return [found[key] for key in sorted(found, key=_PLACE)]

    def _sides(self, node: NearNode, first: int, last: int) -> tuple[list[Match], list[Match]]:
        """The matches of both sides of a NEAR, or nothing when one side has none; the side that
        is only words is looked at first (a chain of NEARs on the other side costs more)."""
        if _words_only(node.right) and not _words_only(node.left):
            rights = self.evaluate(node.right, first, last)
            return (self.evaluate(node.left, first, last) if rights else []), rights
        lefts = self.evaluate(node.left, first, last)
        return lefts, (self.evaluate(node.right, first, last) if lefts else [])

    def gap(self, left: Match, right: Match, ordered: bool) -> int:
        """Words between two matches; a huge number when they share words or are out of order."""
        if _share_words(left, right) or (ordered and left.last > right.first):
            return 1 << 30  # the same words cannot be both sides; BEFORE needs its order
        before, after = (left, right) if left.first <= right.first else (right, left)
        return self.seg.words_between(before.last, after.first)

    def clause_of(self, token: int) -> Clause:
        """The clause of a token: (its sentence, the clause's number in the sentence)."""
        sentence = self.seg.sentence_of_token(token)
        return self._sentence_clauses(sentence)[token - self.seg.sentences[sentence].first]

    def one_clause(self, *matches: Match) -> bool:
        """Whether every word of the matches stands in one clause."""
        found = {self.clause_of(hit.first) for match in matches for hit in match.hits}
        return len(found) <= 1

    def _sentence_clauses(self, index: int) -> list[Clause]:
        """The clause of each token of sentence ``index``, numbered when first asked for: coding
        reads a few sentences of a document, so the others are never numbered."""
        found = self._clauses.get(index)
        if found is None:
            found = self._clauses[index] = self._number_clauses(index)
        return found

    def _number_clauses(self, index: int) -> list[Clause]:
        seg = self.seg
        span = seg.sentences[index]
        tokens = token_texts(
            seg.text,
            seg.token_starts[span.first : span.last],
            seg.token_ends[span.first : span.last],
        )
        words = self.clause_words
        numbers = clause_numbers(
            tokens,
            [0],
            openers=self._word_starts(words.openers, span),
            relatives=self._word_starts(words.relatives, span),
            coordinators=self._word_starts(words.coordinators, span),
        )
        clauses = [(index, number) for number in numbers]
        lead_in = seg.lead_ins.get(index)
        if lead_in is not None:
            self._continue_lead_in(lead_in, span, clauses)
        return clauses

    def _word_starts(self, node: TermNode | ConceptNode | None, span: Span) -> frozenset[int]:
        """Where the hits of a clause word start in a sentence (counted from its first token)."""
        if node is None:
            return frozenset()
        return frozenset(hit.first - span.first for hit in self.hits(node, span.first, span.last))

    def _continue_lead_in(self, lead_in: int, span: Span, clauses: list[Clause]) -> None:
        """A list item's first clause continues the last clause of its lead-in: "Newcomers have:
        • shown resilience" reads as one clause."""
        seg = self.seg
        lead = seg.sentences[lead_in]
        lead_words = [t for t in range(lead.first, lead.last) if seg.is_word(t)]
        item_words = [t - span.first for t in range(span.first, span.last) if seg.is_word(t)]
        if not lead_words or not item_words:
            return
        old, new = clauses[item_words[0]], self.clause_of(lead_words[-1])
        for position, clause in enumerate(clauses):
            if clause == old:
                clauses[position] = new

    def text_of(self, hit: Hit | Match) -> str:
        seg = self.seg
        return seg.text[seg.token_starts[hit.first] : seg.token_ends[hit.last - 1]]

    def explain(self, node: Node, first: int, last: int) -> str:
        """Why a query did not match in tokens [first, last), in words."""
        if isinstance(node, TermNode | ConceptNode):
            return f"no {node}"
        if isinstance(node, OrNode):
            return "none of " + ", ".join(str(child) for child in node.children)
        if isinstance(node, AndNode):
            missing = [c for c in node.children if not self.evaluate(c, first, last)]
            return "; ".join(self.explain(child, first, last) for child in missing)
        if isinstance(node, NotNode):
            placed = [m for m in self.evaluate(node.child, first, last) if m is not NOWHERE]
            return f"{node.child} occurs" + (f": {self.text_of(placed[0])!r}" if placed else "")
        return self._explain_near(node, first, last)

    def _explain_near(self, node: NearNode, first: int, last: int) -> str:
        lefts = self.evaluate(node.left, first, last)
        rights = self.evaluate(node.right, first, last)
        if not lefts or not rights:
            missing = [
                side for side, found in ((node.left, lefts), (node.right, rights)) if not found
            ]
            return "; ".join(self.explain(side, first, last) for side in missing)
        pairs = [(left, right) for left in lefts for right in rights]
        if node.clause:
            within = [pair for pair in pairs if self.one_clause(*pair)]
            if not within:
                return f"{node.left} and {node.right} stand only in different clauses"
            pairs = within
        closest = min(self.gap(left, right, node.ordered) for left, right in pairs)
        operator = ("C" if node.clause else "") + ("BEFORE" if node.ordered else "NEAR")
        if closest >= 1 << 30:
            return f"{node.left} never comes before {node.right}"
        return (
            f"{node.left} and {node.right} are {closest} words apart "
            f"({operator}/{node.distance} allows {node.distance})"
        )


def _words_only(node: Node) -> bool:
    """Whether a query is a term, a concept, or an OR of them."""
    if type(node) is OrNode:
        return all(type(child) in _ATOMS for child in node.children)
    return type(node) in _ATOMS


def _union(groups: Iterable[list[Match]]) -> list[Match]:
    """The matches of every group, once each, in order of (first, last). A group is what
    :meth:`Matcher.evaluate` gives, in that order already and without repeats: when only one group
    has matches, it is the union as it is."""
    found_in = [group for group in groups if group]
    if len(found_in) < 2:
        return found_in[0] if found_in else []
    found: dict[tuple[int, int, tuple[Hit, ...]], Match] = {}
    for group in found_in:
        for match in group:
            found.setdefault((match.first, match.last, match.hits), match)
    return [found[key] for key in sorted(found, key=_PLACE)]


def _share_words(left: Match, right: Match) -> bool:
    """Whether a hit of one overlaps a hit of the other ("income support" and "support")."""
    return any(a.first < b.last and b.first < a.last for a in left.hits for b in right.hits)


def _joined(*matches: Match) -> Match:
    hits = {hit for match in matches for hit in match.hits}
    ordered = tuple(sorted(hits, key=_HIT_ORDER))
    return Match(min(m.first for m in matches), max(m.last for m in matches), ordered)


@lru_cache(maxsize=4096)
def required_atoms(node: Node) -> tuple[TermNode | ConceptNode, ...]:
    """Terms and concepts that must occur for the query to match (none of an OR's alternatives
    is required on its own)."""
    if isinstance(node, TermNode | ConceptNode):
        return (node,)
    if isinstance(node, NotNode | OrNode):
        return ()
    children = (node.left, node.right) if isinstance(node, NearNode) else node.children
    return tuple(dict.fromkeys(atom for child in children for atom in required_atoms(child)))


@lru_cache(maxsize=4096)
def positive_atoms(node: Node) -> tuple[TermNode | ConceptNode, ...]:
    """The terms and concepts of a query that are not under a NOT (what a match can contain)."""
    if isinstance(node, TermNode | ConceptNode):
        return (node,)
    if isinstance(node, NotNode):
        return ()
    children = (node.left, node.right) if isinstance(node, NearNode) else node.children
    atoms: list[TermNode | ConceptNode] = []
    for child in children:
        atoms += [atom for atom in positive_atoms(child) if atom not in atoms]
    return tuple(atoms)
