"""Segmentation: a document's clean text → tokens, sentences and paragraphs, with offsets.

Paragraphs are the clean text's blocks (separated by a blank line, the ingest contract); each is run
through spaCy on its own, so a heading without a full stop never runs into the next paragraph.
Every offset is a code point into the clean text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, SENT_START
from spacy.tokens import Doc

from resdiscourse.nlp import Pipeline

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Span:
    """A sentence or paragraph: character offsets [start, end) and token indices [first, last)."""

    start: int
    end: int
    first: int
    last: int


@dataclass
class SegmentedText:
    """Tokens, sentences and paragraphs of one clean text, as plain lists (picklable, no spaCy)."""

    text: str
    token_starts: list[int]
    token_ends: list[int]
    #: ``word_prefix[i]``: words (tokens that are not punctuation or space) before token i;
    #: one entry longer than the tokens. Distances in NEAR/k are counted in words.
    word_prefix: list[int]
    sentences: list[Span]
    paragraphs: list[Span]
    #: The paragraph index of each sentence.
    sentence_paragraph: list[int]
    #: The sentences [first, last) of each paragraph.
    paragraph_sentences: list[tuple[int, int]]
    #: ``token.lemma_`` of each token when the pipeline has its own lemmatizer, else None.
    lemmas: list[str] | None = None

    def __post_init__(self) -> None:
        self._sentence_starts = [sentence.first for sentence in self.sentences]

    def sentence_of_token(self, token: int) -> int:
        return bisect_right(self._sentence_starts, token) - 1

    def words_between(self, first_end: int, second_start: int) -> int:
        """Words strictly between a match ending at token ``first_end`` and one starting at
        ``second_start`` (0 when they touch or overlap)."""
        return max(0, self.word_prefix[second_start] - self.word_prefix[first_end])


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The [start, end) of each paragraph: blocks between blank lines, without outer spaces."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        block = text[position:end]
        stripped = block.strip()
        if stripped:
            start = position + len(block) - len(block.lstrip())
            spans.append((start, start + len(stripped)))
        position = match.end() if match else len(text)
    return spans


def segment_text(text: str, pipeline: Pipeline) -> SegmentedText:
    """Tokenise and split ``text`` into sentences and paragraphs with ``pipeline``."""
    blocks = paragraph_spans(text)
    builder = _Builder(text, pipeline.own_lemmas)
    docs = pipeline.nlp.pipe(text[start:end] for start, end in blocks)
    for (start, _end), doc in zip(blocks, docs, strict=True):
        builder.add_paragraph(start, doc)
    return builder.build()


class _Builder:
    def __init__(self, text: str, own_lemmas: bool) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.is_word: list[bool] = []
        self.sentences: list[Span] = []
        self.paragraphs: list[Span] = []
        self.sentence_paragraph: list[int] = []
        self.paragraph_sentences: list[tuple[int, int]] = []
        self.lemmas: list[str] | None = [] if own_lemmas else None

    def add_paragraph(self, offset: int, doc: Doc) -> None:
        array = doc.to_array([IDX, LENGTH, IS_PUNCT, IS_SPACE, SENT_START])
        keep = array[:, 3] == 0  # whitespace tokens are not tokens of the text
        array = array[keep]
        if not len(array):
            return
        base = len(self.starts)
        starts = array[:, 0] + offset
        self.starts += starts.tolist()
        self.ends += (starts + array[:, 1]).tolist()
        self.is_word += (array[:, 2] == 0).tolist()
        if self.lemmas is not None:
            self.lemmas += [t.lemma_.lower() for t, k in zip(doc, keep, strict=True) if k]
        firsts = np.flatnonzero(array[:, 4] == 1).tolist()
        if not firsts or firsts[0] != 0:
            firsts.insert(0, 0)
        paragraph = len(self.paragraphs)
        first_sentence = len(self.sentences)
        for first, last in zip(firsts, [*firsts[1:], len(array)], strict=True):
            first, last = base + first, base + last
            self.sentences.append(Span(self.starts[first], self.ends[last - 1], first, last))
            self.sentence_paragraph.append(paragraph)
        self.paragraphs.append(Span(self.starts[base], self.ends[-1], base, len(self.starts)))
        self.paragraph_sentences.append((first_sentence, len(self.sentences)))

    def build(self) -> SegmentedText:
        prefix = list(accumulate(self.is_word, initial=0))
        return SegmentedText(
            self.text,
            self.starts,
            self.ends,
            prefix,
            self.sentences,
            self.paragraphs,
            self.sentence_paragraph,
            self.paragraph_sentences,
            self.lemmas,
        )
