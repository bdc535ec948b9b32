"""Clauses without a parser: a clause number for every token, from punctuation and word lists.

The default pipeline has no dependency parser, so clause and list boundaries come from what any
reader sees (it must work with the default blank pipeline):

- ``;`` ``:`` a dash between spaces and bullet glyphs end a clause; so do sentence ends;
- ``(`` … ``)`` and ``[`` … ``]`` hold a clause of their own, and the text after them continues
  the clause they interrupt;
- an *opener* (a subordinator that starts a clause: "because", "although", "whereas"; a
  per-language list in the codebook) starts a new clause. When it leads the sentence (nothing
  but coordinators and commas before it: "Although X, Y", "But although X, Y"), its clause ends
  at the first comma;
- a *coordinator* ("but", "yet", "however"; a list of its own in the codebook) also starts a new
  clause in mid-sentence, but opening the sentence it heads the main clause, which a comma does
  not end ("But refugees are, by nature, resilient");
- a *relative* pronoun right after a comma (", who", ", which") opens a clause that ends at the
  next comma; the text after it continues the interrupted clause. Without a comma ("refugees who
  arrived") it is no boundary, since where a restrictive relative clause ends cannot be seen
  without a parser.

``CNEAR/k`` and ``CBEFORE/k`` (:mod:`resdiscourse.codebook.query`) need both sides in one clause.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import count, pairwise

#: Tokens that end a clause (the dash only as a token of its own, that is between spaces).
HARD_BOUNDARIES = frozenset(
    {";", ":", "—", "–", "-", "•", "●", "▪", "◦", "‣", "∙", "·", "\uf0b7", "\uf0a7", "…"}
)
_DASHES = frozenset({"—", "–", "-"})
_OPEN = frozenset({"(", "["})
_CLOSE = frozenset({")", "]"})

#: How a clause on the stack ends: at the end of the sentence or a hard boundary ("main"), at the
#: next comma ("comma"), at the next comma and then a new main clause starts ("lead"), or at the
#: closing bracket ("bracket").
_MAIN, _COMMA, _LEAD, _BRACKET = "main", "comma", "lead", "bracket"


@dataclass
class _Frame:
    clause: int
    ends: str


def token_texts(text: str, starts: Sequence[int], ends: Sequence[int]) -> list[str]:
    """The tokens' texts, with a dash that touches a word on either side ("asylum-seekers",
    "2017–2018") blanked: only a dash between spaces ends a clause."""
    texts = []
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        token = text[start:end]
        touches = (index and ends[index - 1] == start) or (
            index + 1 < len(starts) and starts[index + 1] == end
        )
        texts.append("" if token in _DASHES and touches else token)
    return texts


@dataclass(frozen=True)
class _Starts:
    """Indices of the tokens that start an opener, a relative pronoun or a coordinator."""

    openers: frozenset[int]
    relatives: frozenset[int]
    coordinators: frozenset[int]


def clause_numbers(
    tokens: Sequence[str],
    sentence_starts: Sequence[int],
    openers: frozenset[int] = frozenset(),
    relatives: frozenset[int] = frozenset(),
    coordinators: frozenset[int] = frozenset(),
) -> list[int]:
    """A clause number for each token: tokens share one exactly when they are in one clause.

    ``tokens`` are the token texts; ``sentence_starts`` the index of each sentence's first token;
    ``openers``, ``relatives`` and ``coordinators`` the indices of tokens that start an opener, a
    relative pronoun or a coordinator (found by the codebook's concepts)."""
    numbers = [0] * len(tokens)
    fresh = count()
    bounds = [*sentence_starts, len(tokens)]
    starts = _Starts(openers, relatives, coordinators)
    for first, last in pairwise(bounds):
        _number_sentence(tokens, range(first, last), starts, numbers, fresh)
    return numbers


def _number_sentence(
    tokens: Sequence[str],
    indices: range,
    starts: _Starts,
    numbers: list[int],
    fresh: Iterator[int],
) -> None:
    stack = [_Frame(next(fresh), _MAIN)]
    previous = ""
    # Whether every token so far is a coordinator or a comma: an opener then leads the sentence.
    leading = True
    for index in indices:
        token = tokens[index]
        if token in HARD_BOUNDARIES:
            stack = [_Frame(next(fresh), _MAIN)]
        elif token in _OPEN:
            stack.append(_Frame(next(fresh), _BRACKET))
        elif index in starts.openers:
            ends = _LEAD if leading else stack[-1].ends
            stack[-1] = _Frame(next(fresh), ends)
        elif index in starts.coordinators:
            stack[-1] = _Frame(next(fresh), stack[-1].ends)
        elif index in starts.relatives and previous == ",":
            stack.append(_Frame(next(fresh), _COMMA))
        numbers[index] = stack[-1].clause
        if token == ",":
            _close_at_comma(stack, fresh)
        elif token in _CLOSE:
            _close_bracket(stack)
        previous = token
        leading = leading and (token == "," or index in starts.coordinators)


def _close_at_comma(stack: list[_Frame], fresh: Iterator[int]) -> None:
    top = stack[-1]
    if top.ends == _COMMA and len(stack) > 1:
        stack.pop()
    elif top.ends == _LEAD:
        stack[-1] = _Frame(next(fresh), _MAIN)


def _close_bracket(stack: list[_Frame]) -> None:
    while len(stack) > 1:
        if stack.pop().ends == _BRACKET:
            return
