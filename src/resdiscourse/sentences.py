"""Sentence boundaries for policy documents: spaCy's sentencizer, corrected.

The rule-based sentencizer breaks after every full stop. Policy documents need more care: an
abbreviation ("approx. 5", "p. ex. les réfugiés") does not end a sentence, a numbered or lettered
list item ("1. Introduction", "b) jobs") starts one, a blank line always starts one, and an opening
bracket after a full stop belongs to the next sentence ("scarce. (Jobs are few.)").
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

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
    fixer = _Fixer(doc)
    if fixer.run():
        starts = fixer.sent_start.astype(np.uint64).reshape(-1, 1)
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]
    return doc


class _Fixer:
    def __init__(self, doc: Doc) -> None:
        array = doc.to_array([SENT_START, ORTH, IS_SPACE])
        self.doc = doc
        self.sent_start = array[:, 0].astype(np.int64)  # -1 (not a start) arrives as 2**64 - 1
        self.orth = array[:, 1].tolist()
        self.space = array[:, 2].tolist()
        strings = self.strings = doc.vocab.strings
        # What is asked of the words after sentence starts, by ORTH id (from the lexeme): a Token
        # per start, or a column for every token, costs more than the fixes.
        self.lexemes: dict[int, tuple[str, bool, bool]] = {}
        self.full_stop, self.close = strings.add("."), strings.add(")")
        self.openers = {strings.add(text) for text in OPENERS}
        self.size = len(self.orth)
        self.changed = False

    def run(self) -> bool:
        """Fix ``sent_start`` in place; whether anything changed."""
        paragraphs = self._paragraph_starts()
        first = 0  # the first token of the current sentence
        for start in np.flatnonzero(self.sent_start == 1).tolist():
            if start == 0 or start in paragraphs:
                first = start
                continue
            token = self._first_word(start)
            if self._continues(first, start, token):
                self._set(start, -1)
                continue
            first = self._pull_openers(start) if token == start else token
        return self.changed

    def _set(self, index: int, value: int) -> None:
        self.sent_start[index] = value
        self.changed = True

    def _paragraph_starts(self) -> set[int]:
        """A blank line (a whitespace token with two line breaks) starts a sentence after it."""
        starts = set()
        for index in np.flatnonzero(np.array(self.space, dtype=bool)).tolist():
            if 0 < index < self.size - 1 and self.strings[self.orth[index]].count("\n") >= 2:
                self._set(index, -1)
                self._set(index + 1, 1)
                starts.add(index + 1)
        return starts

    def _first_word(self, start: int) -> int:
        """The first token at or after ``start`` that is not whitespace."""
        token = start
        while self.space[token] and token + 1 < self.size:
            token += 1
        return token

    def _continues(self, first: int, start: int, token: int) -> bool:
        """Whether the break before ``start`` is not a real one."""
        if self._lexeme(token)[1] and not self._opens_list_item(token):
            return True  # "p. ex. les réfugiés"
        if self.orth[start - 1] != self.full_stop:
            return False
        if start - first <= 2 and _is_list_marker(self.strings[self.orth[first]]):
            return True  # "1. Introduction"
        before = self._lexeme(start - 2)[0] if start >= 2 else ""
        if before in TITLES:
            return True  # "Hon. Michael Coteau"
        return self._lexeme(token)[2] and before in ABBREVIATIONS  # "approx. 5"

    def _opens_list_item(self, token: int) -> bool:
        following = token + 1 < self.size and self.orth[token + 1] == self.close
        return following and self._lexeme(token)[0] in LIST_LETTERS  # "b) jobs"

    def _lexeme(self, token: int) -> tuple[str, bool, bool]:
        """``lower_``, ``is_lower`` and ``like_num`` of token ``token``."""
        orth = self.orth[token]
        found = self.lexemes.get(orth)
        if found is None:
            lexeme = self.doc.vocab[orth]
            found = self.lexemes[orth] = (lexeme.lower_, lexeme.is_lower, lexeme.like_num)
        return found

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
