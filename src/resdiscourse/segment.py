"""Segmentation: a document's clean text → tokens, sentences and paragraphs, with offsets.

Paragraphs are the clean text's blocks (separated by a blank line, the ingest contract). spaCy runs
over whole runs of paragraphs (fewer, longer calls are faster than one call per paragraph); a
sentence is then always cut where a paragraph starts, so a heading without a full stop never runs
into the next paragraph, whatever the pipeline's own sentence splitter did. Every offset is a code
point into the clean text.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import InitVar, dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from resdiscourse.ingest.language import paragraph_spans
from resdiscourse.models import TABLE, UNPROSE_KINDS, Block

# spaCy is imported where a text is tokenised (segment_text, count_words): a segmentation rebuilt
# from the cache (segmented_from_arrays), and the matching engine over it, never load it.
if TYPE_CHECKING:
    from spacy.tokens import Doc

    from resdiscourse.nlp import Pipeline

#: A list item's marker at the start of a line: a bullet glyph or dash, or an enumerator such as
#: "1.", "2)", "(a)", "iv." followed by a space.
_ITEM_MARKER = re.compile(
    r"(?m)^[ \t]*(?:[•●▪◦‣∙·\-–—*\uf0b7\uf0a7]|\(?(?:[0-9]{1,2}|[a-z]|[ivx]{1,4})[.)])[ \t]+(?=\S)"
)
#: How a sentence stands in the layout: body text or one of the block kinds of
#: :data:`resdiscourse.models.BLOCK_KINDS`.
BODY, HEADING, LIST_ITEM = "body", "heading", "list_item"
#: A paragraph of one sentence without final punctuation and at most this many words: a heading.
HEADING_MAX_WORDS = 15
#: spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters): longer documents are run in
#: chunks of whole paragraphs.
CHUNK_CHARS = 200_000


class Span(NamedTuple):
    """A sentence or paragraph: character offsets [start, end) and token indices [first, last).
    (A named tuple: documents have tens of thousands of sentences.)"""

    start: int
    end: int
    first: int
    last: int


#: Opening quotation marks after which a capital still starts a (run-in) sentence.
_OPENING_QUOTES = frozenset({'"', "\u201c", "\u00ab", "\u2018", "'"})


@dataclass
class SegmentedText:
    """Tokens, sentences and paragraphs of one clean text, as plain lists (picklable, no spaCy)."""

    text: str
    token_starts: list[int]
    token_ends: list[int]
    #: ``word_prefix[i]``: words (tokens that are not punctuation) before token i; one entry
    #: longer than the tokens. Distances in NEAR/k are counted in words.
    word_prefix: list[int]
    sentences: list[Span]
    paragraphs: list[Span]
    #: The paragraph index of each sentence.
    sentence_paragraph: list[int]
    #: The sentences [first, last) of each paragraph.
    paragraph_sentences: list[tuple[int, int]]
    #: ``token.lemma_`` (lower case) of each token when the pipeline has its own lemmatizer.
    lemmas: list[str] | None = None
    #: The block kind of each sentence (BODY or a block kind).
    sentence_kinds: list[str] = field(default_factory=list)
    #: For a list item: the sentence that introduces its list (ends with a colon).
    lead_ins: dict[int, int] = field(default_factory=dict)
    #: The layout blocks the text was segmented with (None: kinds come from the text alone).
    blocks: list[Block] | None = None
    #: Kinds of unit that retrieval leaves out (tables, contents and indexes unless included).
    skipped_kinds: frozenset[str] = UNPROSE_KINDS
    _sentence_firsts: list[int] = field(init=False, repr=False)
    _titled: dict[int, bool] = field(init=False, repr=False, default_factory=dict)
    #: :func:`item_markers` of the text when the caller has them already (not kept).
    markers: InitVar[dict[int, str] | None] = None
    #: :func:`headings` of the sentences when the caller has them already (not kept).
    heading_flags: InitVar[list[bool] | None] = None

    def __post_init__(
        self, markers: dict[int, str] | None, heading_flags: list[bool] | None
    ) -> None:
        self._sentence_firsts = [sentence.first for sentence in self.sentences]
        if not self.sentence_kinds:
            self.sentence_kinds, self.lead_ins = detect_blocks(self, markers, heading_flags)

    def retrievable(self, sentence: int) -> bool:
        """Whether retrieval may use a sentence (it is not in a skipped block)."""
        return self.sentence_kinds[sentence] not in self.skipped_kinds

    def is_titled(self, sentence: int) -> bool:
        """Whether a sentence is set in Title Case or capitals (a headline): its capitals are
        typography, not names (asked only where a case-sensitive term needs it, so cached)."""
        found = self._titled.get(sentence)
        if found is None:
            found = self._titled[sentence] = _is_titled(self, sentence)
        return found

    def is_sentence_start(self, token: int) -> bool:
        index = self.sentence_of_token(token)
        return index >= 0 and self._sentence_firsts[index] == token

    def starts_run_in(self, token: int) -> bool:
        """Whether a token opens a sentence or a run-in one: after a colon ("Building
        Resilience: Asylum seekers often ...") or an opening quote at either, where a capital is
        grammar, not a name."""
        if self.is_sentence_start(token):
            return True
        before = token - 1
        if before < 0 or self.sentence_of_token(before) != self.sentence_of_token(token):
            return False
        mark = self.text[self.token_starts[before] : self.token_ends[before]]
        if mark in _OPENING_QUOTES:
            return self.starts_run_in(before)
        return mark == ":"

    def capitalised_in_prose(self, first: int, last: int) -> bool:
        """Whether tokens [first, last) are a capitalised common noun inside running text: the
        token before it is a word, and the two words before it and the word after it (in its
        sentence) start in lower case ("the resilience of Refugees and host communities"), where
        a name's neighbours are capitalised ("the Refugee Council", "Council for Refugees")."""
        if first == 0 or not self.is_word(first - 1):
            return False  # after a quote mark or a comma: a title's or a name's first word
        sentence = self.sentence_of_token(first)
        before = self._words_around(first, -1, sentence, 2)
        after = self._words_around(last - 1, 1, sentence, 1)
        return len(before) == 2 and not any(word[:1].isupper() for word in before + after)

    def _words_around(self, token: int, step: int, sentence: int, count: int) -> list[str]:
        """Up to ``count`` words next to ``token`` in direction ``step``, within its sentence."""
        words: list[str] = []
        index = token + step
        while len(words) < count and 0 <= index < len(self.token_starts):
            if self.sentence_of_token(index) != sentence:
                break
            if self.is_word(index):
                words.append(self.text[self.token_starts[index] : self.token_ends[index]])
            index += step
        return words

    def is_word(self, token: int) -> bool:
        return self.word_prefix[token + 1] > self.word_prefix[token]

    def sentence_of_token(self, token: int) -> int:
        return bisect_right(self._sentence_firsts, token) - 1

    def words_between(self, first_end: int, second_start: int) -> int:
        """Words strictly between a match ending at token ``first_end`` and one starting at
        ``second_start`` (0 when they touch or overlap)."""
        return max(0, self.word_prefix[second_start] - self.word_prefix[first_end])


def segment_text(
    text: str,
    pipeline: Pipeline,
    blocks: list[Block] | None = None,
    include_blocks: Collection[str] = (),
    parts: Sequence[tuple[int, int, Pipeline]] = (),
) -> SegmentedText:
    """Tokenise ``text`` and split it into sentences and paragraphs with ``pipeline``, or, for a
    text that mixes languages, each part [start, end) (whole paragraphs) with its own pipeline.

    With the layout ``blocks`` of the text (a PDF's, from ingest), each block is a unit of its
    own: a heading, a list item, a paragraph of a table of contents or an index, a row of a table;
    without them, headings and list items are told from the text (:func:`detect_blocks`).
    Retrieval skips table, toc and index units unless ``include_blocks`` names them."""
    paragraphs = paragraph_spans(text)
    runs = parts or [(0, len(text), pipeline)]
    own_lemmas = all(run[2].own_lemmas for run in runs)
    columns: list[np.ndarray] = []
    lemmas: list[str] | None = [] if own_lemmas else None
    for part_start, part_end, part_pipeline in runs:
        inside = [(s, e) for s, e in paragraphs if part_start <= s < part_end]
        chunks = _chunks(text, inside)
        docs = _parsed(part_pipeline, [text[start:end] for start, end in chunks])
        for (start, _end), (doc, array) in zip(chunks, docs, strict=True):
            columns.append(_token_columns(doc, array, start, lemmas))
    tokens = np.concatenate(columns) if columns else np.zeros((0, 4), dtype=np.int64)
    seg = _assemble(text, tokens, paragraphs, lemmas, blocks)
    seg.skipped_kinds = UNPROSE_KINDS - set(include_blocks)
    return seg


def count_words(seg: SegmentedText, pipeline: Pipeline) -> int:
    """The words of a segmented text: tokens that are alphabetic or numeric
    (:func:`resdiscourse.nlp.word_test`; punctuation and symbols are not words)."""
    from resdiscourse.nlp import word_test

    is_word = word_test(pipeline.nlp)
    text = seg.text
    return sum(is_word(text[s:e]) for s, e in zip(seg.token_starts, seg.token_ends, strict=True))


def _chunks(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs of whole paragraphs of at most about CHUNK_CHARS characters each; a longer paragraph
    (a text file without blank lines) is cut after a sentence end or, failing that, at a space."""
    chunks: list[tuple[int, int]] = []
    for start, end in paragraphs:
        for piece in _pieces(text, start, end):
            if chunks and piece[0] == start and piece[1] - chunks[-1][0] <= CHUNK_CHARS:
                chunks[-1] = (chunks[-1][0], piece[1])
            else:
                chunks.append(piece)
    return chunks


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > CHUNK_CHARS:
        limit = start + CHUNK_CHARS
        cut = max(text.rfind(". ", start, limit) + 1, text.rfind("\n", start, limit))
        if cut <= start:
            cut = text.rfind(" ", start, limit)
        if cut <= start:
            cut = limit  # no space at all: cut inside the word
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    pieces.append((start, end))
    return pieces


def _parsed(pipeline: Pipeline, texts: list[str]) -> Iterator[tuple[Doc, np.ndarray]]:
    """Each text's doc and the columns (IDX, LENGTH, IS_PUNCT, IS_SPACE, SENT_START) of its
    tokens. The default pipeline (tokenizer, sentencizer, our fixes) is not run past its tokenizer:
    :func:`~resdiscourse.sentences.sentence_starts` gives the same sentences from arrays."""
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH, SENT_START

    from resdiscourse.sentences import SENTENCE_ATTRS, rule_sentencizer, sentence_starts

    # The columns given for each token (and then SENT_START); with ORTH, what
    # sentence_starts reads.
    columns = [IDX, LENGTH, IS_PUNCT, IS_SPACE]
    assert [*columns[1:], ORTH] == SENTENCE_ATTRS
    nlp = pipeline.nlp
    marks = rule_sentencizer(nlp)
    if marks is None:
        for doc in nlp.pipe(texts):
            yield doc, doc.to_array([*columns, SENT_START]).astype(np.int64)
        return
    for text in texts:
        doc = nlp.make_doc(text)
        array = doc.to_array([*columns, ORTH]).reshape(-1, len(columns) + 1)
        starts = sentence_starts(doc.vocab, array[:, 1:], marks)
        yield doc, np.column_stack([array[:, :-1].astype(np.int64), starts])


def _token_columns(
    doc: Doc, array: np.ndarray, offset: int, lemmas: list[str] | None
) -> np.ndarray:
    """Rows (start, end, is_word, sentence start) of the tokens that are not whitespace, from
    :func:`_parsed`'s columns."""
    # A sentence that starts on a whitespace token starts on the next real token instead.
    sentence_id = np.cumsum(array[:, 4] == 1)
    keep = array[:, 3] == 0
    kept, ids = array[keep], sentence_id[keep]
    starts = kept[:, 0] + offset
    new_sentence = np.ones(len(kept), dtype=np.int64)
    new_sentence[1:] = ids[1:] != ids[:-1]
    if lemmas is not None:
        lemmas += [token.lemma_.lower() for token, k in zip(doc, keep, strict=True) if k]
    return np.column_stack([starts, starts + kept[:, 1], kept[:, 2] == 0, new_sentence])


def item_markers(text: str) -> dict[int, str]:
    """Offset → style ("bullet" or "number") of each list item's marker at a line start."""
    found = {}
    for match in _ITEM_MARKER.finditer(text):
        marker = match.group().strip()
        style = "number" if marker[-1] in ".)" and len(marker) > 1 else "bullet"
        found[match.end() - len(match.group().lstrip())] = style
    return found


def table_row_edges(text: str) -> list[int]:
    """Offsets where a table row starts, and where the line after a row starts: a line holding
    the cell separator " | " that ingest writes between the cells of a row."""
    edges: list[int] = []
    # Found from the separators, with str.find (a line-by-line regex backtracks through every line).
    at = text.find(" | ")
    while at >= 0:
        after = at + 3
        if at == 0 or text[at - 1].isspace() or after == len(text) or text[after].isspace():
            at = text.find(" | ", at + 1)
            continue
        end = text.find("\n", after)
        edges.append(text.rfind("\n", 0, at) + 1)
        edges.append((len(text) if end < 0 else end) + 1)
        at = -1 if end < 0 else text.find(" | ", end)
    return edges


def detect_blocks(
    seg: SegmentedText,
    markers: dict[int, str] | None = None,
    heading_flags: list[bool] | None = None,
) -> tuple[list[str], dict[int, int]]:
    """The block kind of each sentence and the lead-in of each list item.

    With layout blocks, a sentence has the kind of the block it starts in. Without, a list item
    starts with a marker at the start of a line, and a heading is a paragraph of one short
    sentence without final punctuation. A list item's lead-in is the nearest earlier sentence
    that is not a list item, when that sentence ends with a colon and the items between have
    markers of the same style. ``markers``: :func:`item_markers` of the text and
    ``heading_flags``: :func:`headings` of the sentences, if known."""
    if markers is None:
        markers = item_markers(seg.text)
    starts = [sentence.start for sentence in seg.sentences]
    if seg.blocks is not None:
        kinds = _layout_kinds(seg)
        styles = {
            index: markers.get(start, "bullet")
            for index, start in enumerate(starts)
            if kinds[index] == LIST_ITEM
        }
    else:
        styles = {index: markers[start] for index, start in enumerate(starts) if start in markers}
        if heading_flags is None:
            heading_flags = _headings(seg)
        kinds = [
            LIST_ITEM if index in styles else HEADING if heading else BODY
            for index, heading in enumerate(heading_flags)
        ]
    return kinds, _lead_ins(seg, styles)


def _lead_ins(seg: SegmentedText, styles: dict[int, str]) -> dict[int, int]:
    """The lead-in of each list item (``styles``: the marker style of each item, in order): the
    sentence before a run of items, when it ends with a colon, for the items of the run up to the
    first whose style differs from the run's first."""
    lead_ins: dict[int, int] = {}
    lead_in: int | None = None
    style = ""
    for index, marker in styles.items():
        before = index - 1
        if before not in styles:  # the first item of a run
            ends = before >= 0 and seg.text[seg.sentences[before].end - 1] == ":"
            lead_in, style = (before if ends else None), ""
        if lead_in is not None and style in ("", marker):
            lead_ins[index] = lead_in
            style = marker
        else:
            lead_in = None
    return lead_ins


def _layout_kinds(seg: SegmentedText) -> list[str]:
    """The kind of the layout block each sentence starts in (BODY outside every block)."""
    blocks = seg.blocks or []
    starts = [block.start for block in blocks]
    kinds = []
    for sentence in seg.sentences:
        index = bisect_right(starts, sentence.start) - 1
        inside = index >= 0 and blocks[index].end > sentence.start
        kinds.append(blocks[index].kind if inside else BODY)
    return kinds


#: A sentence is Title Case when at least this share of its words (of 3 or more) start with a
#: capital: "UNHCR Chief Honours the Resilience and Courage of Refugees".
TITLED_SHARE = 0.8


def _is_titled(seg: SegmentedText, index: int) -> bool:
    sentence = seg.sentences[index]
    words = [
        seg.text[seg.token_starts[t] : seg.token_ends[t]]
        for t in range(sentence.first, sentence.last)
        if seg.is_word(t)
    ]
    lettered = [word for word in words if word[:1].isalpha() and len(word) > 3]
    capitals = sum(1 for word in lettered if word[0].isupper())
    return len(lettered) >= 3 and capitals >= TITLED_SHARE * len(lettered)


def _headings(seg: SegmentedText) -> list[bool]:
    if not seg.sentences:
        return []
    _, ends, firsts, lasts = (np.array(column) for column in zip(*seg.sentences, strict=True))
    words = np.array(seg.word_prefix)
    return headings(seg.text, (ends, firsts, lasts), words, np.array(seg.sentence_paragraph))


def headings(
    text: str,
    sentences: tuple[np.ndarray, np.ndarray, np.ndarray],
    word_prefix: np.ndarray,
    paragraph_of: np.ndarray,
) -> list[bool]:
    """Whether each sentence (columns end, first, last) is a heading: the only sentence of its
    paragraph (``paragraph_of`` each sentence), of at most HEADING_MAX_WORDS words, without final
    punctuation."""
    ends, firsts, lasts = sentences
    first = _run_starts(paragraph_of)  # the first sentence of its paragraph
    last = np.ones_like(first)  # the last: the next sentence starts another paragraph
    last[:-1] = first[1:]
    alone = first & last
    short = word_prefix[lasts] - word_prefix[firsts] <= HEADING_MAX_WORDS
    open_end = [text[end - 1] not in _FINAL_MARKS for end in ends.tolist()]
    found: list[bool] = (alone & short & np.array(open_end, dtype=bool)).tolist()
    return found


#: What ends a sentence that is not a heading.
_FINAL_MARKS = frozenset(".!?:;…»”\"'")


def _assemble(
    text: str,
    tokens: np.ndarray,
    paragraphs: list[tuple[int, int]],
    lemmas: list[str] | None,
    blocks: list[Block] | None = None,
) -> SegmentedText:
    starts = tokens[:, 0]
    paragraph_of = np.searchsorted(np.array([p[0] for p in paragraphs]), starts, side="right") - 1
    boundary = tokens[:, 3] == 1
    markers = item_markers(text)
    if blocks is not None:
        boundary = _block_boundaries(text, starts, boundary, blocks)
    else:
        # A list item is a sentence of its own, even when the list has no blank lines; so is
        # each row of a table, which ingest writes one row a line with cells joined by " | ".
        boundary |= np.isin(starts, np.array(list(markers), dtype=np.int64))
        boundary |= np.isin(starts, np.array(table_row_edges(text), dtype=np.int64))
    boundary |= _run_starts(paragraph_of)  # the first token, and each paragraph's first
    firsts = np.flatnonzero(boundary)
    lasts = np.append(firsts[1:], len(starts))[: len(firsts)]  # no tokens: no sentences
    ends = tokens[:, 1]
    sentence_columns = (starts[firsts], ends[lasts - 1], firsts, lasts)
    paragraph_numbers = paragraph_of[firsts]
    paragraph_spans_out, paragraph_sentences = _paragraphs(sentence_columns, paragraph_numbers)
    word_prefix = np.concatenate([[0], np.cumsum(tokens[:, 2])])
    found = headings(text, sentence_columns[1:], word_prefix, paragraph_numbers)
    return SegmentedText(
        text,
        starts.tolist(),
        ends.tolist(),
        word_prefix.tolist(),
        _spans(*sentence_columns),
        paragraph_spans_out,
        _renumbered(paragraph_numbers),
        paragraph_sentences,
        lemmas,
        blocks=blocks,
        markers=markers,
        heading_flags=found,
    )


def _spans(*columns: np.ndarray) -> list[Span]:
    """Spans from columns (start, end, first, last); ``Span._make`` is a C constructor."""
    starts, ends, firsts, lasts = (column.tolist() for column in columns)
    return list(map(Span._make, zip(starts, ends, firsts, lasts, strict=True)))


def _block_boundaries(
    text: str, starts: np.ndarray, sentence_starts: np.ndarray, blocks: list[Block]
) -> np.ndarray:
    """Sentence starts when the layout's blocks are known: every block is a unit of its own,
    never cut by the sentence splitter (a list item is one segment, whatever its full stops), and
    a table's rows are units; the splitter's sentence starts count only outside blocks (the
    caller adds paragraph starts, so each contents entry or index paragraph is a unit too)."""
    boundary = sentence_starts.copy()
    edges: list[int] = []
    for block in blocks:
        first = int(np.searchsorted(starts, block.start))
        last = int(np.searchsorted(starts, block.end))
        boundary[first:last] = False
        edges += [first, last]
        if block.kind == TABLE:
            rows = [m.end() for m in re.finditer("\n", text[block.start : block.end])]
            edges += np.searchsorted(starts, [block.start + r for r in rows]).tolist()
    inside = [edge for edge in edges if edge < len(boundary)]
    boundary[inside] = True
    return boundary


def _paragraphs(
    sentences: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], paragraph_of: np.ndarray
) -> tuple[list[Span], list[tuple[int, int]]]:
    """Paragraph spans and sentence ranges, for the paragraphs that have tokens, from the
    sentences' columns (start, end, first, last) and the paragraph of each sentence."""
    starts, ends, firsts, lasts = sentences
    opening = np.flatnonzero(_run_starts(paragraph_of))
    closing = np.append(opening[1:], len(paragraph_of))[: len(opening)]
    spans = _spans(starts[opening], ends[closing - 1], firsts[opening], lasts[closing - 1])
    return spans, list(zip(opening.tolist(), closing.tolist(), strict=True))


def _renumbered(paragraph_of: np.ndarray) -> list[int]:
    """Paragraph numbers counted over the paragraphs that have tokens (0, 1, 2, ...): the
    paragraph of each sentence, in order, never decreases."""
    found: list[int] = (np.cumsum(_run_starts(paragraph_of)) - 1).tolist()
    return found


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Whether each value starts a run of equal values: the first, and each that differs from the
    one before it."""
    starts = np.ones(len(values), dtype=bool)
    starts[1:] = values[1:] != values[:-1]
    return starts


# --- the arrays of a segmented text (the cache's ``segmentation`` entries) ----------------------


def segmented_arrays(seg: SegmentedText) -> dict[str, np.ndarray]:
    """What :func:`segmented_from_arrays` needs, besides the text and its layout blocks, to
    rebuild ``seg``: integer columns (token starts as steps from the one before, which compress
    well), the block kind of each sentence as an index into ``kind_names``, and the lemmas, when
    the pipeline had its own, as UTF-8 JSON bytes."""
    starts = np.array(seg.token_starts, dtype=np.int64)
    names = sorted(set(seg.sentence_kinds))
    index = {name: number for number, name in enumerate(names)}
    arrays = {
        "start_steps": np.diff(starts, prepend=0),
        "lengths": np.array(seg.token_ends, dtype=np.int64) - starts,
        "words": np.diff(np.array(seg.word_prefix, dtype=np.int64)).astype(np.bool_),
        "sentence_firsts": np.array([s.first for s in seg.sentences], dtype=np.int64),
        "sentence_paragraph": np.array(seg.sentence_paragraph, dtype=np.int64),
        "sentence_kinds": np.array([index[k] for k in seg.sentence_kinds], dtype=np.int64),
        "kind_names": _utf8_json(names),
        "lead_in_items": np.array(list(seg.lead_ins), dtype=np.int64),
        "lead_in_sentences": np.array(list(seg.lead_ins.values()), dtype=np.int64),
    }
    if seg.lemmas is not None:
        arrays["lemmas"] = _utf8_json(seg.lemmas)
    return arrays


def segmented_from_arrays(
    text: str,
    arrays: Mapping[str, np.ndarray],
    blocks: list[Block] | None = None,
    include_blocks: Collection[str] = (),
) -> SegmentedText:
    """The :class:`SegmentedText` that :func:`segmented_arrays` describes, over ``text`` and
    its layout ``blocks`` (the same as when it was segmented); ``include_blocks`` as in
    :func:`segment_text`. Raises ValueError (or KeyError, IndexError) for arrays that do not
    describe a segmentation of ``text``."""
    starts = np.cumsum(arrays["start_steps"].astype(np.int64))
    ends = starts + arrays["lengths"].astype(np.int64)
    firsts = arrays["sentence_firsts"].astype(np.int64)
    if len(ends) and (ends[-1] > len(text) or starts[0] < 0):
        raise ValueError("tokens beyond the text")
    lasts = np.append(firsts[1:], len(starts))[: len(firsts)]
    columns = (starts[firsts], ends[lasts - 1], firsts, lasts)
    paragraph_of = arrays["sentence_paragraph"].astype(np.int64)
    if len(paragraph_of) != len(firsts):
        raise ValueError("one paragraph per sentence")
    paragraphs, paragraph_sentences = _paragraphs(columns, paragraph_of)
    names = [str(name) for name in _from_utf8_json(arrays["kind_names"])]
    kinds = [names[number] for number in arrays["sentence_kinds"].tolist()]
    if len(kinds) != len(firsts):
        raise ValueError("one block kind per sentence")
    lead_ins = dict(
        zip(arrays["lead_in_items"].tolist(), arrays["lead_in_sentences"].tolist(), strict=True)
    )
    lemmas = None
    if "lemmas" in arrays:
        lemmas = [str(lemma) for lemma in _from_utf8_json(arrays["lemmas"])]
    seg = SegmentedText(
        text,
        starts.tolist(),
        ends.tolist(),
        np.concatenate([[0], np.cumsum(arrays["words"].astype(np.int64))]).tolist(),
        _spans(*columns),
        paragraphs,
        paragraph_of.tolist(),
        paragraph_sentences,
        lemmas,
        sentence_kinds=kinds,
        lead_ins=lead_ins,
        blocks=blocks,
    )
    seg.skipped_kinds = UNPROSE_KINDS - set(include_blocks)
    return seg


def _utf8_json(value: object) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


def _from_utf8_json(array: np.ndarray) -> list[object]:
    found = json.loads(array.astype(np.uint8).tobytes().decode("utf-8"))
    if not isinstance(found, list):
        raise ValueError("a list was expected")
    return found
