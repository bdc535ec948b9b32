"""Segmentation: paragraphs, sentences and tokens of a clean text, with consistent offsets."""

from __future__ import annotations

import dataclasses
import io
import re

import numpy as np
import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resdiscourse import segment as segment_module
from resdiscourse.errors import UsageError
from resdiscourse.models import UNPROSE_KINDS, Block, block_kinds
from resdiscourse.nlp import Pipeline, build_pipeline
from resdiscourse.segment import (
    SegmentedText,
    count_words,
    item_markers,
    paragraph_spans,
    segment_text,
    segmented_arrays,
    segmented_from_arrays,
    table_row_edges,
)
from resdiscourse.sentences import (
    SENTENCE_ATTRS,
    SENTENCE_FIXES,
    rule_sentencizer,
    sentence_starts,
)


@pytest.fixture(scope="module")
def en() -> Pipeline:
    return build_pipeline("en")


def texts_of(text: str, spans: list) -> list[str]:
    return [text[span.start : span.end] for span in spans]


def tokens_of(seg: SegmentedText) -> list[str]:
    return [seg.text[s:e] for s, e in zip(seg.token_starts, seg.token_ends, strict=True)]


def assert_consistent(seg: SegmentedText) -> None:
    """Every offset of a segmented text agrees with its text and its token indices."""
    text, starts, ends = seg.text, seg.token_starts, seg.token_ends
    assert len(starts) == len(ends) == len(seg.word_prefix) - 1
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        assert 0 <= start < end <= len(text)
        assert not any(char.isspace() for char in text[start:end])
        if index:
            assert ends[index - 1] <= start  # non-overlapping, increasing
    for spans in (seg.sentences, seg.paragraphs):
        previous_last = 0
        for span in spans:
            assert span.first == previous_last  # the spans cover the tokens in order
            assert span.first < span.last
            assert span.start == starts[span.first]
            assert span.end == ends[span.last - 1]
            assert text[span.start : span.end].strip() == text[span.start : span.end]
            previous_last = span.last
        assert previous_last == len(starts)
    assert len(seg.sentence_paragraph) == len(seg.sentences)
    for paragraph, (first, last) in enumerate(seg.paragraph_sentences):
        assert seg.sentences[first].first == seg.paragraphs[paragraph].first
        assert seg.sentences[last - 1].last == seg.paragraphs[paragraph].last
        assert seg.sentence_paragraph[first:last] == [paragraph] * (last - first)


# --- paragraphs -----------------------------------------------------------------------------------


def test_paragraphs_are_split_on_blank_lines(en: Pipeline) -> None:
    text = "First paragraph.\nSame paragraph.\n\nSecond one.\n  \t\n\n  Third one.  \n"
    assert [text[s:e] for s, e in paragraph_spans(text)] == [
        "First paragraph.\nSame paragraph.",
        "Second one.",
        "Third one.",
    ]
    seg = segment_text(text, en)
    assert texts_of(text, seg.paragraphs) == [
        "First paragraph.\nSame paragraph.",
        "Second one.",
        "Third one.",
    ]
    assert seg.sentence_paragraph == [0, 0, 1, 2]
    assert seg.paragraph_sentences == [(0, 2), (2, 3), (3, 4)]
    assert_consistent(seg)


def test_empty_and_blank_texts_have_no_segments(en: Pipeline) -> None:
    for text in ("", "   ", "\n\n\n", " \n \t\n"):
        seg = segment_text(text, en)
        assert seg.token_starts == []
        assert seg.sentences == []
        assert seg.paragraphs == []
        assert seg.word_prefix == [0]


def test_a_heading_without_a_full_stop_is_its_own_sentence(en: Pipeline) -> None:
    text = (
        "Introduction\n\nNewcomers show resilience. They adapt.\n\nBackground\n\nthe rest follows."
    )
    seg = segment_text(text, en)
    assert texts_of(text, seg.sentences) == [
        "Introduction",
        "Newcomers show resilience.",
        "They adapt.",
        "Background",
        "the rest follows.",
    ]
    assert seg.sentence_paragraph == [0, 1, 1, 2, 3]
    assert_consistent(seg)


def test_sentences_never_cross_a_paragraph(en: Pipeline) -> None:
    text = "A list of items, e.g.\n\napprox. 5 programs\n\nmore text here\n\nDr.\n\nSmith wrote."
    seg = segment_text(text, en)
    paragraphs = [(p.first, p.last) for p in seg.paragraphs]
    for index, sentence in enumerate(seg.sentences):
        first, last = paragraphs[seg.sentence_paragraph[index]]
        assert first <= sentence.first < sentence.last <= last
    assert len(seg.sentences) == 5
    assert_consistent(seg)


# --- tokens and offsets ---------------------------------------------------------------------------


def test_token_offsets_match_the_text(en: Pipeline) -> None:
    text = "L’intégration des réfugiés 😀 — “resilient” newcomers\n\ncan’t wait… Really?!"
    seg = segment_text(text, en)
    assert "😀" in tokens_of(seg)
    assert "réfugiés" in tokens_of(seg)
    assert_consistent(seg)


def test_word_prefix_counts_words_without_punctuation(en: Pipeline) -> None:
    text = "Hello, world! (Newcomers) adapt."
    seg = segment_text(text, en)
    assert tokens_of(seg) == ["Hello", ",", "world", "!", "(", "Newcomers", ")", "adapt", "."]
    assert seg.word_prefix == [0, 1, 1, 2, 2, 2, 3, 3, 4, 4]


def test_words_between_skips_punctuation(en: Pipeline) -> None:
    seg = segment_text("Hello, world! (Newcomers) adapt.", en)
    # "Hello" is token 0; "adapt" is token 7: "world" and "Newcomers" lie between.
    assert seg.words_between(1, 7) == 2
    assert seg.words_between(1, 2) == 0  # touching
    assert seg.words_between(3, 1) == 0  # overlapping


def test_sentence_of_token(en: Pipeline) -> None:
    seg = segment_text("One two. Three four.\n\nFive.", en)
    assert [seg.sentence_of_token(i) for i in range(len(seg.token_starts))] == [
        0,
        0,
        0,
        1,
        1,
        1,
        2,
        2,
    ]


def test_long_texts_are_segmented_in_chunks(en: Pipeline) -> None:
    paragraph = "Newcomers show resilience in many ways. " * 40
    text = "\n\n".join(f"{index}. {paragraph.strip()}" for index in range(1, 40))
    seg = segment_text(text, en)
    assert len(seg.paragraphs) == 39
    assert len(seg.sentences) == 39 * 40
    assert_consistent(seg)


# --- offsets hold for any text --------------------------------------------------------------------

ALPHABET = st.sampled_from(
    list("abcdeABCDE xyz") + list(".,;:!?()-'\"’“”…") + ["\n", "\n\n", " ", "é", "ß", "😀", "1"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_offsets_are_consistent_for_any_text(text: str) -> None:
    seg = segment_text(text, build_pipeline("en"))
    assert_consistent(seg)
    for start, end in zip(seg.token_starts, seg.token_ends, strict=True):
        assert seg.text[start:end] == text[start:end]
    for index, sentence in enumerate(seg.sentences):
        paragraph = seg.paragraphs[seg.sentence_paragraph[index]]
        assert paragraph.start <= sentence.start and sentence.end <= paragraph.end
        assert "\n\n" not in text[sentence.start : sentence.end]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "Cc", "So")),
        max_size=60,
    )
)
def test_offsets_are_consistent_for_any_unicode_text(text: str) -> None:
    assert_consistent(segment_text(text, build_pipeline("fr")))


def test_a_paragraph_longer_than_a_chunk_is_cut_between_sentences(
    en: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(segment_module, "CHUNK_CHARS", 60)
    text = "\n".join(["Newcomers show resilience every single day."] * 5) + " Nospaceshere" * 9
    seg = segment_text(text, en)
    assert [text[s.start : s.end] for s in seg.sentences][:5] == [
        "Newcomers show resilience every single day."
    ] * 5
    assert all(
        text[a:b] and not text[a:b].isspace()
        for a, b in zip(seg.token_starts, seg.token_ends, strict=True)
    )
    assert len(seg.paragraphs) == 1


def test_spacy_never_gets_more_than_its_maximum(en: Pipeline) -> None:
    line = "Refugees from the region show remarkable resilience in the face of hardship."
    text = "\n".join([line] * 14_000)  # over 1,000,000 characters in one paragraph
    seg = segment_text(text, en)
    assert len(seg.sentences) == 14_000


# --- list items, lead-ins and headings (issue 11) -------------------------------------------------

LIST_TEXT = (
    "Newcomers to the city have:\n"
    "• shown resilience in hard times;\n"
    "\n"
    "• built networks.\n"
    "\n"
    "1. Refugees need support.\n"
    "2) They show resilience.\n"
    "\n"
    "Building Refugee Resilience\n"
    "\n"
    "The plan works."
)


def test_each_list_item_is_a_sentence_with_its_kind(en: Pipeline) -> None:
    seg = segment_text(LIST_TEXT, en)
    assert_consistent(seg)
    assert list(zip(texts_of(LIST_TEXT, seg.sentences), seg.sentence_kinds, strict=True)) == [
        ("Newcomers to the city have:", "body"),
        ("• shown resilience in hard times;", "list_item"),
        ("• built networks.", "list_item"),
        ("1. Refugees need support.", "list_item"),
        ("2) They show resilience.", "list_item"),
        ("Building Refugee Resilience", "heading"),
        ("The plan works.", "body"),
    ]


def test_a_lead_in_ends_with_a_colon_and_holds_over_items_of_one_marker_style(
    en: Pipeline,
) -> None:
    # The numbered list after the bulleted one is another list: it has no lead-in.
    assert segment_text(LIST_TEXT, en).lead_ins == {1: 0, 2: 0}


def test_a_sentence_without_a_colon_is_no_lead_in(en: Pipeline) -> None:
    seg = segment_text("Newcomers arrived.\n- They showed resilience.", en)
    assert seg.sentence_kinds == ["body", "list_item"] and seg.lead_ins == {}


def test_a_hyphen_inside_a_line_is_no_list_marker(en: Pipeline) -> None:
    seg = segment_text("Long-term residents - and newcomers - met.", en)
    assert seg.sentence_kinds == ["body"]


def test_a_run_in_sentence_starts_after_a_colon_or_an_opening_quote(en: Pipeline) -> None:
    text = "Building: Asylum seekers said: “Refugees cope.” We named it “Refugee Week” then."
    seg = segment_text(text, en)

    def token_at(word: str) -> int:
        return seg.token_starts.index(seg.text.index(word))

    assert seg.starts_run_in(token_at("Building"))
    assert seg.starts_run_in(token_at("Asylum"))
    assert seg.starts_run_in(token_at("Refugees"))
    assert not seg.starts_run_in(token_at("said"))
    assert not seg.starts_run_in(token_at("Refugee Week"))


def test_each_table_row_is_a_sentence(en: Pipeline) -> None:
    text = "Rates by year\nYear | Refugees | Rate\n2019 | 1,200 | 4.5\n2020 | 900 | 3.1\nEnd."
    seg = segment_text(text, en)
    rows = [text[s.start : s.end] for s in seg.sentences]
    assert rows == [
        "Rates by year",
        "Year | Refugees | Rate",
        "2019 | 1,200 | 4.5",
        "2020 | 900 | 3.1",
        "End.",
    ]


def test_words_are_alphabetic_or_numeric_tokens(en: Pipeline) -> None:
    text = "Resilience, in 2015: 3 newcomers (12.5% of 1,000) — e-mail us!\n\nTen more?"
    seg = segment_text(text, en)
    # Resilience in 2015 3 newcomers 12.5 of 1,000 e mail us Ten more; not , : ( % ) — - ! ?
    assert count_words(seg, en) == 13
    assert count_words(segment_text("", en), en) == 0
    assert count_words(segment_text("... -- !!", en), en) == 0


def test_words_agree_with_spacy_on_a_whole_text(en: Pipeline) -> None:
    text = "Newcomers’ resilience: 40 % of refugees (n=1,200) said so.\n\nLe 3e rapport, p. 12."
    expected = sum(1 for t in en.nlp.make_doc(text) if t.is_alpha or t.like_num)
    assert count_words(segment_text(text, en), en) == expected


# The clean text of a PDF page as ingest writes it, with the blocks its layout gave.
LAID_OUT = (
    "Contents\n\n"
    "Housing .......... 3\n\n"
    "Newcomers in the city have:\n\n"
    "• shown resilience. Many found work within a year\n\n"
    "Support for refugees and the resilience of newcomers\n\n"
    "Refugees need homes. 2. Newcomers need work.\n\n"
    "Year | Refugees | Resilience fund\n2019 | 341 | 12"
)


def _block(text: str, part: str, kind: str) -> Block:
    start = text.index(part)
    return Block(start, start + len(part), kind)


LAID_OUT_BLOCKS = [
    _block(LAID_OUT, "Contents", "heading"),
    _block(LAID_OUT, "Housing .......... 3", "toc"),
    _block(LAID_OUT, "• shown resilience. Many found work within a year", "list_item"),
    _block(LAID_OUT, "Year | Refugees | Resilience fund\n2019 | 341 | 12", "table"),
]


def test_layout_blocks_decide_units_and_kinds(en: Pipeline) -> None:
    seg = segment_text(LAID_OUT, en, LAID_OUT_BLOCKS)
    assert_consistent(seg)
    assert list(zip(texts_of(LAID_OUT, seg.sentences), seg.sentence_kinds, strict=True)) == [
        ("Contents", "heading"),
        ("Housing .......... 3", "toc"),
        ("Newcomers in the city have:", "body"),
        # A list item is one unit, whatever its full stops.
        ("• shown resilience. Many found work within a year", "list_item"),
        # No block: a short line without a full stop is body text, not a guessed heading, and
        # "2." inside a paragraph starts no list item.
        ("Support for refugees and the resilience of newcomers", "body"),
        ("Refugees need homes.", "body"),
        ("2. Newcomers need work.", "body"),
        ("Year | Refugees | Resilience fund", "table"),
        ("2019 | 341 | 12", "table"),
    ]
    assert seg.lead_ins == {3: 2}
    # The same text without blocks: the text heuristics.
    guessed = segment_text(LAID_OUT, en)
    kinds = dict(zip(texts_of(LAID_OUT, guessed.sentences), guessed.sentence_kinds, strict=True))
    assert kinds["Support for refugees and the resilience of newcomers"] == "heading"


def test_retrieval_skips_tables_contents_and_indexes_unless_included(en: Pipeline) -> None:
    seg = segment_text(LAID_OUT, en, LAID_OUT_BLOCKS)
    usable = [i for i in range(len(seg.sentences)) if seg.retrievable(i)]
    assert [seg.sentence_kinds[i] for i in usable].count("table") == 0
    assert "toc" not in [seg.sentence_kinds[i] for i in usable]
    included = segment_text(LAID_OUT, en, LAID_OUT_BLOCKS, include_blocks=("table",))
    assert included.retrievable(7) and not included.retrievable(1)


def test_include_blocks_names_only_skipped_kinds() -> None:
    assert block_kinds("toc, table,table") == ("table", "toc")
    assert block_kinds(()) == ()
    with pytest.raises(UsageError) as raised:
        block_kinds("table,heading")
    assert raised.value.problem.code == "E226"


# --- French typography ------------------------------------------------------------------------

NBSP, NNBSP = "\u00a0", "\u202f"


def test_french_typography_tokens_and_sentences_with_offsets() -> None:
    from resdiscourse.ingest.clean import normalize_chars

    raw = (
        f"Les réfugiés{NNBSP}: «{NBSP}résilience{NBSP}» ? "
        f"L’immigration d’immigrants qu’on aide{NNBSP}! La main-d’œuvre du cœur."
    )
    text = normalize_chars(raw)
    assert len(text) == len(raw)  # spaces become spaces one for one: offsets do not move
    seg = segment_text(text, build_pipeline("fr"))
    assert_consistent(seg)
    tokens = tokens_of(seg)
    for word in ("«", "résilience", "»", "L’", "immigration", "d’", "immigrants", "qu’", "œuvre"):
        assert word in tokens
    start = text.index("immigration")
    assert (start, start + len("immigration")) in zip(seg.token_starts, seg.token_ends, strict=True)
    assert texts_of(text, seg.sentences) == [
        "Les réfugiés : « résilience » ?",
        "L’immigration d’immigrants qu’on aide !",
        "La main-d’œuvre du cœur.",
    ]


_FR_WORDS = ["immigrants", "établissement", "œuvre", "accueil", "intégration", "emploi", "Église"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "l’", "d’", "qu’", "L’", "D’", "l'", "d'"]),
            st.sampled_from(_FR_WORDS),
            st.sampled_from(["", f"{NNBSP};", f"{NBSP}:", f"{NNBSP}!", f"{NBSP}?", " ;", ","]),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_french_elisions_and_spaced_punctuation_keep_words_whole(
    pieces: list[tuple[str, str, str, bool]],
) -> None:
    from resdiscourse.ingest.clean import normalize_chars

    parts, words = [], []
    position = 0
    for elision, word, mark, quoted in pieces:
        chunk = f"«{NBSP}" if quoted else ""
        start = position + len(chunk) + len(elision)
        words.append((start, start + len(word)))
        chunk += f"{elision}{word}" + (f"{NBSP}»" if quoted else "") + mark + " "
        parts.append(chunk)
        position += len(chunk)
    raw = "".join(parts).rstrip()
    text = normalize_chars(raw)
    assert len(text) == len(raw)
    seg = segment_text(text, build_pipeline("fr"))
    assert_consistent(seg)
    spans = set(zip(seg.token_starts, seg.token_ends, strict=True))
    for span in words:  # each word is a token of its own, behind its elided article
        assert span in spans, (text, text[span[0] : span[1]], tokens_of(seg))


#: A table row by its definition: a line holding a cell separator " | " between two non-spaces.
_ROW_LINE = re.compile(r"(?m)^[^\n]*\S \| \S[^\n]*$")


@given(st.lists(st.sampled_from(["a", "é", " ", "|", " | ", "\n", "\t", "\xa0", "x | y"])))
def test_table_row_edges_are_the_lines_holding_a_cell_separator(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = [edge for m in _ROW_LINE.finditer(text) for edge in (m.start(), m.end() + 1)]
    assert table_row_edges(text) == expected


def test_table_row_edges_of_a_table_between_paragraphs() -> None:
    text = "Intro text.\nYear | Arrivals\n2019 | 341,000\nNot a row: a |b and a| b.\nEnd | x"
    assert table_row_edges(text) == [12, 28, 28, 43, 69, len(text) + 1]


# --- sentences from arrays ------------------------------------------------------------------------

#: Words and marks the sentence fixes look at: abbreviations before numbers, titles before names,
#: list markers, brackets after a full stop, blank lines, lower-case continuations, other scripts.
TRICKY = st.sampled_from(
    [
        *("approx", "Hon", "Mr", "p", "ex", "no", "e.g", "St", "1", "12", "2017", "b", "iv", "a"),
        *("Michael", "les", "réfugiés", "Jobs", "jobs", "Newcomers", "(", ")", "[", "“", "«", "»"),
        *(".", ".", ".", "!", "?", "…", "。", "؟", ":", ";", ",", "-", "•", "'"),
        *(" ", " ", " ", "\n", "\n\n", " \n\n ", "\n\n\n", "\t"),
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TRICKY, max_size=60).map("".join), st.sampled_from(["en", "fr", "xx"]))
def test_sentences_from_arrays_are_the_pipelines_own(text: str, language: str) -> None:
    """The default pipeline is run only up to its tokenizer; its sentencizer and fixes are applied
    from arrays, and must give exactly the sentence starts running them gives."""
    nlp = build_pipeline(language).nlp
    marks = rule_sentencizer(nlp)
    assert marks is not None
    expected = [1 if token.is_sent_start else -1 for token in nlp(text)]
    doc = nlp.make_doc(text)
    columns = doc.to_array(SENTENCE_ATTRS).reshape(-1, len(SENTENCE_ATTRS))
    assert sentence_starts(doc.vocab, columns, marks).tolist() == expected


def test_a_pipeline_with_more_than_the_sentencizer_is_run_whole() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    assert rule_sentencizer(nlp) is None  # not our fixes: run as it is
    nlp.add_pipe(SENTENCE_FIXES)
    assert rule_sentencizer(nlp) is not None
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert rule_sentencizer(nlp) is None


# --- block kinds, read one sentence after another -------------------------------------------------


def _kinds_one_by_one(seg: SegmentedText) -> tuple[list[str], dict[int, int]]:
    """The rule of :func:`detect_blocks` for a text without layout, sentence after sentence."""
    markers = item_markers(seg.text)
    kinds: list[str] = []
    lead_ins: dict[int, int] = {}
    lead_in: int | None = None
    style = ""
    for index, sentence in enumerate(seg.sentences):
        marker = markers.get(sentence.start)
        if marker is not None:
            kinds.append("list_item")
            if lead_in is not None and style in ("", marker):
                lead_ins[index] = lead_in
                style = marker
            else:
                lead_in = None
            continue
        text = seg.text[sentence.start : sentence.end]
        first, last = seg.paragraph_sentences[seg.sentence_paragraph[index]]
        words = seg.word_prefix[sentence.last] - seg.word_prefix[sentence.first]
        alone = (first, last) == (index, index + 1)
        heading = alone and words <= 15 and text[-1] not in ".!?:;…»”\"'"
        kinds.append("heading" if heading else "body")
        lead_in, style = (index if text.endswith(":") else None), ""
    return kinds, lead_ins


LINES = st.sampled_from(
    [
        *("• Jobs are scarce.", "- housing", "1. Introduction", "2) Refugees arrive.", "(a) one"),
        *("iv. Newcomers", "Newcomers have:", "The plan lists:", "Building Resilience", "Goals"),
        *("Staff will report. Council agrees.", "A long heading of many words " * 3, ""),
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, max_size=14).map("\n".join))
def test_block_kinds_and_lead_ins_follow_the_rule_sentence_by_sentence(text: str) -> None:
    seg = segment_text(text, build_pipeline("en"))
    assert (seg.sentence_kinds, seg.lead_ins) == _kinds_one_by_one(seg)


# --- a segmentation as arrays (the cache's segmentation entries) --------------------------------


def same_segmentation(one: SegmentedText, other: SegmentedText) -> None:
    """Every field the matching engine reads, and the kinds retrieval skips."""
    for name in [field.name for field in dataclasses.fields(SegmentedText)]:
        assert getattr(one, name) == getattr(other, name), name
        assert type(getattr(one, name)) is type(getattr(other, name)), name
    assert [type(x) for x in one.token_starts] == [type(x) for x in other.token_starts]
    if one.sentences:
        assert one.is_titled(0) == other.is_titled(0)


def round_trip(seg: SegmentedText, include: tuple[str, ...] = ()) -> SegmentedText:
    arrays = segmented_arrays(seg)
    stream = io.BytesIO()
    np.savez_compressed(stream, **arrays)
    with np.load(io.BytesIO(stream.getvalue()), allow_pickle=False) as stored:
        loaded = {name: stored[name] for name in stored.files}
    return segmented_from_arrays(seg.text, loaded, seg.blocks, include)


def test_a_segmentation_rebuilt_from_its_arrays_is_the_same(en: Pipeline) -> None:
    text = (
        "Building Resilience\n\nNewcomers in the city have:\n• shown resilience.\n"
        "• found work.\n\nYear | Refugees\n2019 | 341\n\nRefugees need homes. Approx. 5 do."
    )
    for seg in (
        segment_text(text, en),
        segment_text(LAID_OUT, en, LAID_OUT_BLOCKS),
        segment_text(LAID_OUT, en, LAID_OUT_BLOCKS, include_blocks=("table",)),
        segment_text("", en),
        segment_text(" \n\n ", en),
    ):
        include = tuple(sorted(UNPROSE_KINDS - seg.skipped_kinds))
        same_segmentation(round_trip(seg, include), seg)
    assert segment_text(text, en).lead_ins  # the case with lead-ins is there


def test_a_bilingual_segmentation_and_own_lemmas_survive_the_arrays(en: Pipeline) -> None:
    french = build_pipeline("fr")
    text = "Refugees show resilience.\n\nLes réfugiés font preuve de résilience « ici »."
    middle = text.index("\n\n") + 2
    seg = segment_text(text, en, parts=[(0, middle, en), (middle, len(text), french)])
    same_segmentation(round_trip(seg), seg)
    lemmatised = Pipeline(en.nlp, "en", "test", True)  # token.lemma_ read: "" for a blank one
    seg = segment_text(text, lemmatised)
    assert seg.lemmas is not None and len(seg.lemmas) == len(seg.token_starts)
    same_segmentation(round_trip(seg), seg)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, max_size=14).map("\n".join), st.lists(ALPHABET, max_size=40).map("".join))
def test_any_segmentation_survives_its_arrays(lines: str, noise: str) -> None:
    seg = segment_text(lines + "\n\n" + noise, build_pipeline("en"))
    same_segmentation(round_trip(seg), seg)


def test_arrays_of_another_text_are_refused(en: Pipeline) -> None:
    seg = segment_text("Refugees show resilience. Newcomers too.", en)
    arrays = segmented_arrays(seg)
    with pytest.raises(ValueError):
        segmented_from_arrays("Refugees.", arrays)
    arrays["sentence_kinds"] = arrays["sentence_kinds"][:1]
    with pytest.raises(ValueError):
        segmented_from_arrays(seg.text, arrays)
