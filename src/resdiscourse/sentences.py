"""Sentence boundaries for policy documents: spaCy's sentencizer, corrected.

The rule-based sentencizer breaks after every full stop. Policy documents need more care: an
abbreviation ("approx. 5", "p. ex. les réfugiés") does not end a sentence, a numbered or lettered
list item ("1. Introduction", "b) jobs") starts one, a blank line always starts one, and an opening
bracket after a full stop belongs to the next sentence ("scarce. (Jobs are few.)").
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np
from spacy.attrs import IS_PUNCT, IS_SPACE, LENGTH, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

#: Tokens that end in "." without ending a sentence when what follows is a number.
ABBREVIATIONS = frozenset(
    {"approx", "art", "ave", "blvd", "ca", "cf", "ch", "col", "dept", "dr", "e.g", "etc", "ex"}
    | {"fig", "govt", "hon", "i.e", "inc", "incl", "jr", "ltd", "mme", "mr", "mrs", "ms", "no"}
    | {"nos", "p", "pp", "prof", "rd", "rev", "sec", "sr", "st", "vol", "vs"}
)
#: Titles that end in "." without ending a sentence before a name ("Hon. Michael Coteau").
TITLES = frozenset({"dr", "hon", "mme", "mr", "mrs", "ms", "mx", "prof", "rev", "st"})
LIST_LETTERS = frozenset({"i", "ii", "iii", "iv", "v", "a", "b", "c"})
SENTENCE_FIXES = "resdiscourse_sentence_fixes"
#: Opening brackets and quotes that belong to the sentence after them.
OPENERS = ("(", "[", "{", "“", "«")


@Language.component(SENTENCE_FIXES)
def fix_sentences(doc: Doc) -> Doc:
    """The sentencizer's boundaries, corrected (see the module docstring).

    Works on attribute arrays and writes the boundaries back in one call: building Token objects,
    or setting ``token.is_sent_start`` (which scans the whole document each time), would cost more
    than the tokenizer on long documents.
    """
    array = doc.to_array([SENT_START, ORTH, IS_SPACE])
    sent_start = array[:, 0].astype(np.int64)  # -1 (not a start) arrives as 2**64 - 1
    if fix_starts(doc.vocab, array[:, 1], array[:, 2].astype(bool), sent_start):
        doc.from_array([SENT_START], sent_start.astype(np.uint64).reshape(-1, 1))  # type: ignore[arg-type]
    return doc


def fix_starts(vocab: Vocab, orth: np.ndarray, space: np.ndarray, sent_start: np.ndarray) -> bool:
    """Fix ``sent_start`` (1: a sentence starts, -1: not) in place, given the tokens' ORTH ids and
    whether each is whitespace; whether anything changed."""
    if not len(sent_start):
        return False
    return _Fixer(vocab, orth, space, sent_start).run()


class Marks(NamedTuple):
    """The marks that end a sentence for a sentencizer: their ORTH ids and lengths."""

    ids: np.ndarray
    lengths: np.ndarray


def rule_sentencizer(nlp: Language) -> Marks | None:
    """The marks that end a sentence when ``nlp`` is a tokenizer followed by spaCy's rule-based
    sentencizer and our fixes alone (the default pipeline): then :func:`sentence_starts` gives its
    sentences without running it. None for any other pipeline."""
    if nlp.pipe_names != ["sentencizer", SENTENCE_FIXES]:
        return None
    sentencizer = nlp.get_pipe("sentencizer")
    if not isinstance(sentencizer, Sentencizer) or type(sentencizer) is not Sentencizer:
        return None  # a subclass may split otherwise
    return _marks(frozenset(sentencizer.punct_chars))


@lru_cache(maxsize=16)
def _marks(chars: frozenset[str]) -> Marks:
    ids = sorted(get_string_id(char) for char in chars)
    lengths = sorted({len(char) for char in chars})
    return Marks(np.array(ids, dtype=np.uint64), np.array(lengths, dtype=np.uint64))


#: The columns :func:`sentence_starts` reads, in this order.
SENTENCE_ATTRS = [LENGTH, IS_PUNCT, IS_SPACE, ORTH]


def sentence_starts(vocab: Vocab, columns: np.ndarray, marks: Marks) -> np.ndarray:
    """The SENT_START column (1 or -1) that spaCy's sentencizer (with ``marks``, see
    :func:`rule_sentencizer`) and :func:`fix_sentences` would give a doc the tokenizer made, from
    its :data:`SENTENCE_ATTRS` columns (the sentencizer builds a Token object per token)."""
    length, is_punct, space, orth = columns.T
    ends = np.zeros(len(orth), dtype=bool)
    # A mark is a token of one of the marks' lengths (one character): test those alone.
    candidates = np.flatnonzero(np.isin(length, marks.lengths))
    ends[candidates] = np.isin(orth[candidates], marks.ids)
    sent_start = _sentencizer_starts(ends, is_punct.astype(bool))
    fix_starts(vocab, orth, space.astype(bool), sent_start)
    return sent_start


def _sentencizer_starts(ends: np.ndarray, is_punct: np.ndarray) -> np.ndarray:
    """``Sentencizer.predict``: a token starts a sentence when it is the first token, or it is
    neither punctuation nor a sentence-ending mark (``ends``) and such a mark stands between it
    and the last token before it that is neither."""
    word = np.flatnonzero(~is_punct & ~ends)
    marks_before = np.concatenate([[0], np.cumsum(ends)])[word]
    seen = np.diff(marks_before, prepend=0) > 0
    sent_start = np.full(len(ends), -1, dtype=np.int64)
    sent_start[word[seen]] = 1
    if len(ends):
        sent_start[0] = 1
    return sent_start


class _Fixer:
    def __init__(
        self, vocab: Vocab, orth: np.ndarray, space: np.ndarray, sent_start: np.ndarray
    ) -> None:
        self.vocab = vocab
        self.sent_start = sent_start
        strings = self.strings = vocab.strings
        self.orth_ids, self.space = orth, space
        self.orth = orth.tolist()
        self.size = len(self.orth)
        self.full_stop, self.close = strings.add("."), strings.add(")")
        self.openers = {strings.add(text) for text in OPENERS}
        self.changed = False

    def run(self) -> bool:
        """Fix ``sent_start`` in place; whether anything changed."""
        paragraphs = self._paragraph_starts()
        starts = np.flatnonzero(self.sent_start == 1)
        tokens = self._first_words(starts)
        continued, after_stop, named = self._facts(starts, tokens)
        first = 0  # the first token of the current sentence
        for start, token, lower, stop, name in zip(
            starts.tolist(), tokens.tolist(), continued, after_stop, named, strict=True
        ):
            if start == 0 or start in paragraphs:
                first = start
                continue
            if lower or (stop and (name or self._after_list_marker(first, start))):
                self._set(start, -1)
                continue
            first = self._pull_openers(start) if token == start else token
        return self.changed

    def _set(self, index: int, value: int) -> None:
        self.sent_start[index] = value
        self.changed = True

    def _paragraph_starts(self) -> set[int]:
        """A blank line (a whitespace token with two line breaks) starts a sentence after it."""
        spaces = np.flatnonzero(self.space)
        spaces = spaces[(spaces > 0) & (spaces < self.size - 1)]
        kinds = self.orth_ids[spaces]
        blank = [orth for orth in np.unique(kinds).tolist() if self.strings[orth].count("\n") >= 2]
        found = spaces[np.isin(kinds, np.array(blank, dtype=np.uint64))]
        if len(found):
            self.sent_start[found + 1] = 1
            self.sent_start[found] = -1
            self.changed = True
        return set((found + 1).tolist())

    def _first_words(self, starts: np.ndarray) -> np.ndarray:
        """The first token at or after each start that is not whitespace (the last token when only
        whitespace follows)."""
        words = np.flatnonzero(~self.space)
        at = np.searchsorted(words, starts)
        found: np.ndarray = np.append(words, self.size - 1)[at]
        return found

    def _facts(
        self, starts: np.ndarray, tokens: np.ndarray
    ) -> tuple[list[bool], list[bool], list[bool]]:
        """For each start (and its first word): whether the word is in lower case and opens no
        list item ("p. ex. les réfugiés", not "b) jobs"); whether a full stop ends the token before
        the start; whether the token before that is a title ("Hon. Michael") or an abbreviation
        before a number ("approx. 5")."""
        lower, is_lower, like_num = self._lexemes(tokens)
        following = np.minimum(tokens + 1, self.size - 1)
        item = (tokens + 1 < self.size) & (self.orth_ids[following] == self.close)
        continued = is_lower & ~(item & np.isin(lower, self._ids(LIST_LETTERS)))
        after_stop = (starts > 0) & (self.orth_ids[np.maximum(starts - 1, 0)] == self.full_stop)
        before = np.zeros(len(starts), dtype=np.uint64)
        two = starts >= 2
        before[two] = self._lexemes(starts[two] - 2)[0]
        named = np.isin(before, self._ids(TITLES)) | (
            like_num & np.isin(before, self._ids(ABBREVIATIONS))
        )
        return continued.tolist(), after_stop.tolist(), named.tolist()

    def _lexemes(self, tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``lower`` (an id), ``is_lower`` and ``like_num`` of the tokens' lexemes."""
        kinds, inverse = np.unique(self.orth_ids[tokens], return_inverse=True)
        lexemes = [self.vocab[orth] for orth in kinds.tolist()]
        lower = np.array([lexeme.lower for lexeme in lexemes], dtype=np.uint64)
        is_lower = np.array([lexeme.is_lower for lexeme in lexemes], dtype=bool)
        like_num = np.array([lexeme.like_num for lexeme in lexemes], dtype=bool)
        return lower[inverse], is_lower[inverse], like_num[inverse]

    def _ids(self, words: frozenset[str]) -> np.ndarray:
        return np.array([self.strings.add(word) for word in words], dtype=np.uint64)

    def _after_list_marker(self, first: int, start: int) -> bool:
        """Whether the sentence so far is a list marker and its full stop ("1. Introduction")."""
        return start - first <= 2 and _is_list_marker(self.strings[self.orth[first]])

    def _pull_openers(self, start: int) -> int:
        """Move a break that follows a full stop before the brackets after it; the new start."""
        first = start
        while (
            first > 1 and self.orth[first - 1] in self.openers and self.sent_start[first - 1] != 1
        ):
            self._set(first, -1)
            self._set(first - 1, 1)
            first -= 1
        return first


def _is_list_marker(text: str) -> bool:
    return (text.isdigit() and len(text) <= 3) or text.lower() in LIST_LETTERS
