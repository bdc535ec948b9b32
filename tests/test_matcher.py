"""Term matching, the query operators, retrieval units and coding decisions, each with a case that
passes and one that does not; and offsets that always point at the words they name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from resdiscourse.codebook.load import load_codebook
from resdiscourse.codebook.query import TermNode, parse_query
from resdiscourse.codebook.schema import Codebook
from resdiscourse.coding import CodedSegment, code_matched, code_text, new_matcher
from resdiscourse.matching.compile import CompiledCodebook, compile_codebook
from resdiscourse.matching.matcher import Matcher
from resdiscourse.nlp import build_pipeline
from resdiscourse.retrieve import retrieve
from resdiscourse.segment import segment_text

CONCEPTS = """
migrants:
  terms:
    en: ["immigra*", "newcomer*", "refugee*", "asylum seeker*"]
    fr: ["immigra*", "nouveaux arrivants", "réfugié*", "demandeur* d'asile"]
resilience:
  terms:
    en: ["resilien*"]
    fr: ["résilien*"]
coping:
  terms: [{term: cope, lemma: true}, "bounce back"]
ontario:
  terms: [{term: "ON", case: true}, "Ontario"]
economy:
  terms: ["econom*", "labour market"]
housing:
  terms: ["housing", "shelter*"]
childcare:
  terms: ["child care", "childcare"]
government:
  terms: ["province", "city", "government", "ministry"]
negation:
  terms:
    en: ["not", "no", "never", "n't"]
    fr: ["ne", "n'", "pas", "jamais"]
"""


def make_book(dimensions: str | dict[str, Any] | None = None, **top: Any) -> CompiledCodebook:
    """A codebook with the concepts above; by default one rule that codes every retrieved unit."""
    data: dict[str, Any] = {
        "name": "test",
        "version": "1",
        "retrieval": {"all": ["resilience", "migrants"]},
        "concepts": yaml.safe_load(CONCEPTS),
        "dimensions": {
            "topic": {
                "codes": {
                    "any": {"definition": "x", "rules": [{"id": "any", "match": "{migrants}"}]}
                }
            }
        },
        **top,
    }
    if dimensions is not None:
        data["dimensions"] = (
            yaml.safe_load(dimensions) if isinstance(dimensions, str) else dimensions
        )
    return compile_codebook(Codebook.model_validate(data))


BOOK = make_book()
ROOT = Path(__file__).resolve().parents[1]


def matcher_for(text: str, language: str = "en", book: CompiledCodebook = BOOK) -> Matcher:
    pipeline = build_pipeline(language)
    return new_matcher(segment_text(text, pipeline), book, pipeline)


def found(query: str, text: str, language: str = "en") -> list[str]:
    """The text covered by each match of ``query`` in the whole of ``text``."""
    matcher = matcher_for(text, language)
    matches = matcher.evaluate(parse_query(query), 0, len(matcher.seg.token_starts))
    return [matcher.text_of(match) if match.first >= 0 else "" for match in matches]


def one_rule(match: str, **rule: Any) -> dict[str, Any]:
    return {
        "d": {"codes": {"c": {"definition": "x", "rules": [{"id": "r", "match": match, **rule}]}}}
    }


def codes(
    text: str, book: CompiledCodebook, dimension: str = "d", **kwargs: Any
) -> list[list[str]]:
    return [segment.codes(dimension) for segment in code_text(text, book, **kwargs)]


# --- wildcards ------------------------------------------------------------------------------------


def test_prefix_wildcard_matches_word_starts_only() -> None:
    text = "Immigrants and immigration matter; nonimmigrant visas and preimmigration do not."
    assert found("immigra*", text) == ["Immigrants", "immigration"]


def test_infix_wildcard_matches_inside_words() -> None:
    text = "Migrants, immigrants and nonimmigrant workers; not migration or emigration."
    assert found("*migrant*", text) == ["Migrants", "immigrants", "nonimmigrant"]


def test_a_word_without_wildcard_ends_at_the_word_end() -> None:
    assert found("immigrant", "An immigrant, two immigrants.") == ["immigrant"]
    assert found("newcomer", "Newcomers arrive.") == []


def test_wildcard_matches_letters_with_accents() -> None:
    assert found("résilien*", "La résilience des réfugiés; une ville résiliente.", "fr") == [
        "résilience",
        "résiliente",
    ]


def test_a_term_ending_in_an_elision_runs_into_the_next_word() -> None:
    # "qu'" and "bien qu'" end where the elided word begins, with either apostrophe.
    text = "Bien qu’un enfant soit là, quoiqu'il parte, ce qu’elle dit."
    assert found('"bien qu\'"', text, "fr") == ["Bien qu’"]
    assert found("qu'", text, "fr") == ["qu’", "qu’"]
    assert found("quoiqu'", text, "fr") == ["quoiqu'"]
    # Without the apostrophe the term still ends at a word end.
    assert found('"bien qu"', text, "fr") == []


# --- phrases --------------------------------------------------------------------------------------


def test_phrase_matches_across_line_breaks_and_extra_spaces() -> None:
    text = "Asylum seekers, asylum\nseekers and asylum   seeker families."
    assert found('"asylum seeker*"', text) == [
        "Asylum seekers",
        "asylum\nseekers",
        "asylum   seeker",
    ]


def test_phrase_needs_its_words_in_sequence() -> None:
    text = "Asylum for seekers; seekers of asylum; asylum, seekers."
    assert found('"asylum seeker*"', text) == []


def test_phrase_words_may_be_joined_by_a_hyphen() -> None:
    text = "Asylum-seekers, asylum - seekers and asylum‑seekers."
    assert found('"asylum seeker*"', text) == [
        "Asylum-seekers",
        "asylum - seekers",
        "asylum‑seekers",
    ]


def test_phrase_does_not_match_across_a_paragraph_break() -> None:
    text = "They sought asylum\n\nSeekers of resilience came."
    assert retrieve(matcher_for(text), parse_query('"asylum seeker*"')) == []


# --- apostrophes ----------------------------------------------------------------------------------


def test_a_straight_apostrophe_in_a_term_matches_a_curly_one() -> None:
    text = "Les demandeurs d’asile et les demandeurs d'asile."
    assert found("{migrants}", text, "fr") == ["demandeurs d’asile", "demandeurs d'asile"]
    assert found("n't", "They don’t and can't.") == ["n’t", "n't"]


# --- lemmas ---------------------------------------------------------------------------------------


def test_lemma_term_in_a_concept_matches_inflections_in_any_case() -> None:
    text = "Coping is hard; they coped, she copes, we cope."
    assert found("{coping}", text) == ["Coping", "coped", "copes", "cope"]


def test_lemma_query_matches_inflections_not_other_words() -> None:
    assert found("lemma:cope", "Newcomers coped. Coping matters.") == ["coped", "Coping"]
    assert found("lemma:cope", "The scope of Copenhagen's copers.") == []


def test_a_plain_term_does_not_match_inflections() -> None:
    assert found("cope", "Newcomers coped and are coping.") == []


# --- case -----------------------------------------------------------------------------------------


def test_case_term_matches_exact_case_only() -> None:
    text = "Toronto, ON is on the lake. On Ontario and on."
    assert found("{ontario}", text) == ["ON", "Ontario"]
    assert found("case:ON", text) == ["ON"]
    assert found("ON", text) == ["ON", "on", "On", "on"]


# --- NEAR and BEFORE ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("distance", "matches"), [(3, True), (2, False)], ids=["k-words-between", "k-plus-one"]
)
def test_near_counts_words_between_exactly(distance: int, matches: bool) -> None:
    text = "Newcomers show great personal resilience."  # three words between
    assert bool(found(f"newcomer* NEAR/{distance} resilien*", text)) is matches


def test_near_is_unordered() -> None:
    text = "Resilience of all newcomers."
    assert found("newcomer* NEAR/2 resilien*", text) == ["Resilience of all newcomers"]
    assert found("newcomer* NEAR/1 resilien*", text) == []


def test_near_does_not_count_punctuation() -> None:
    text = "Newcomers, (yes) — “resilience”."
    assert found("newcomer* NEAR/1 resilien*", text) == ["Newcomers, (yes) — “resilience"]
    assert found("newcomer* NEAR/0 resilien*", text) == []


def test_near_zero_means_adjacent() -> None:
    assert found("resilient NEAR/0 newcomer*", "Resilient newcomers.") == ["Resilient newcomers"]
    assert found("resilient NEAR/0 newcomer*", "Resilient young newcomers.") == []


def test_near_does_not_pair_a_term_with_itself() -> None:
    assert found("resilien* NEAR/5 resilien*", "Resilience matters.") == []
    assert found("resilien* NEAR/1 resilien*", "Resilience and resilience.") == [
        "Resilience and resilience"
    ]


def test_before_is_ordered() -> None:
    assert found("newcomer* BEFORE/2 resilien*", "Newcomers show resilience.") == [
        "Newcomers show resilience"
    ]
    assert found("newcomer* BEFORE/2 resilien*", "Resilience of newcomers.") == []


def test_before_boundary() -> None:
    text = "Newcomers show much resilience."
    assert found("newcomer* BEFORE/2 resilien*", text)
    assert not found("newcomer* BEFORE/1 resilien*", text)


def test_near_with_a_phrase_counts_from_the_phrase_ends() -> None:
    text = "Asylum seekers show resilience."
    assert found('"asylum seeker*" NEAR/1 resilien*', text) == ["Asylum seekers show resilience"]
    assert found('"asylum seeker*" NEAR/0 resilien*', text) == []


# --- AND, OR, NOT ---------------------------------------------------------------------------------


def hits_of(query: str, text: str) -> list[list[str]]:
    """The words of each match of ``query`` in ``text``."""
    matcher = matcher_for(text)
    matches = matcher.evaluate(parse_query(query), 0, len(matcher.seg.token_starts))
    return [[matcher.text_of(hit) for hit in match.hits] for match in matches]


def test_and_needs_both_and_is_one_match_holding_every_occurrence() -> None:
    assert hits_of("newcomer* AND resilien*", "Resilience helps newcomers and refugees.") == [
        ["Resilience", "newcomers"]
    ]
    assert hits_of("newcomer* AND resilien*", "Newcomers help.") == []


def test_negation_sees_an_and_whole() -> None:
    book = make_book(one_rule("{migrants} AND shown BEFORE/3 resilien*", negation=1))
    assert codes("Newcomers have shown resilience.", book) == [["c"]]
    assert codes("Newcomers have not shown resilience.", book) == [[]]


def test_near_cannot_use_the_same_words_on_both_sides() -> None:
    assert found('"income support" NEAR/3 support', "Newcomers lack income support.") == []
    assert found('"income support" NEAR/3 support', "Income support is support.") == [
        "Income support is support"
    ]


def test_or_needs_either() -> None:
    assert found("refugee* OR newcomer*", "Newcomers help.") == ["Newcomers"]
    assert found("refugee* OR newcomer*", "Migrants help.") == []


def test_not_excludes() -> None:
    assert found("newcomer* AND NOT econom*", "Newcomers help.") == ["Newcomers"]
    assert found("newcomer* AND NOT econom*", "Newcomers help the economy.") == []


def test_precedence_near_binds_tighter_than_and_and_or() -> None:
    query = "newcomer* NEAR/1 resilien* OR housing AND city"
    assert found(query, "Newcomers' resilience.") == ["Newcomers' resilience"]
    assert hits_of(query, "Housing in the city.") == [["Housing", "city"]]
    assert found(query, "Housing for newcomers.") == []


# --- concepts -------------------------------------------------------------------------------------


def test_concept_reference_matches_any_of_its_terms() -> None:
    text = "Refugees and asylum seekers, not migrants."
    assert found("{migrants}", text) == ["Refugees", "asylum seekers"]
    assert found("{migrants} NEAR/3 {resilience}", "Refugees are resilient.")
    assert not found("{migrants} NEAR/3 {resilience}", "Migrants are resilient.")


def test_concept_uses_the_document_language_terms() -> None:
    text = "Les nouveaux arrivants et les réfugiés."
    assert found("{migrants}", text, "fr") == ["nouveaux arrivants", "réfugiés"]
    assert found("{migrants}", text, "en") == []


def test_concept_falls_back_to_the_codebook_language() -> None:
    assert found("{resilience}", "Die resilience der newcomers.", "de") == ["resilience"]


# --- negation -------------------------------------------------------------------------------------

NEGATED = one_rule("{migrants} NEAR/5 {resilience}", negation=3)


def test_negation_cue_close_before_a_term_drops_the_match() -> None:
    book = make_book(NEGATED)
    assert codes("The plan does not discuss the resilience of newcomers.", book) == [[]]
    assert codes("The plan discusses the resilience of newcomers.", book) == [["c"]]


def test_negation_cue_four_words_before_is_kept() -> None:
    book = make_book(NEGATED)
    assert codes("It is not a plan about the resilience of newcomers.", book) == [["c"]]
    assert codes("It is not about all the resilience of newcomers.", book) == [[]]


def test_negation_cue_after_the_terms_does_not_negate() -> None:
    book = make_book(NEGATED)
    assert codes("Newcomers show resilience, not despair.", book) == [["c"]]


def test_a_cue_inside_a_negation_exception_does_not_negate() -> None:
    data = make_book(NEGATED).codebook.model_dump()
    data["concepts"]["not_only"] = {"terms": ["not only", "non seulement"]}
    book = compile_codebook(Codebook.model_validate(data | {"negation_exceptions": "not_only"}))
    assert codes("Newcomers not only show resilience but also hope.", book) == [["c"]]
    assert codes("Newcomers do not show resilience or hope.", book) == [[]]
    assert codes("Newcomers not only show resilience but also hope.", make_book(NEGATED)) == [[]]


def test_negation_cue_in_the_previous_sentence_does_not_negate() -> None:
    dimensions = one_rule("{migrants} NEAR/5 {resilience}", negation=3)
    dimensions["d"]["window"] = 1
    book = make_book(dimensions)
    assert codes("We do not. Resilience of newcomers grows.", book) == [["c"]]
    assert codes("We do. Not resilience of newcomers.", book) == [[]]


def test_negation_with_curly_apostrophe() -> None:
    book = make_book(NEGATED)
    assert codes("The plan doesn’t discuss the resilience of newcomers.", book) == [[]]


def test_negation_in_french() -> None:
    book = make_book(NEGATED)
    text = "Le plan n’aborde pas la résilience des réfugiés."
    assert codes(text, book, language="fr") == [[]]
    assert codes("Le plan aborde la résilience des réfugiés.", book, language="fr") == [["c"]]


def test_negation_of_one_match_keeps_another() -> None:
    book = make_book(one_rule("{resilience}", negation=1))
    text = "Newcomers are not resilient; yet resilience of newcomers grows."
    [segment] = code_text(text, book)
    assert segment.codes("d") == ["c"]
    assert [e.text for e in segment.codings[0].evidence] == ["resilience"]


# --- unless ---------------------------------------------------------------------------------------


def test_unless_stops_a_rule() -> None:
    book = make_book(
        one_rule("{migrants} NEAR/6 {resilience}", unless=["{economy} NEAR/3 {resilience}"])
    )
    assert codes("Newcomers add to the resilience of the economy.", book) == [[]]
    assert codes("Newcomers show resilience in the city.", book) == [["c"]]


def test_unless_reads_the_dimension_window() -> None:
    dimensions = one_rule("{migrants} NEAR/6 {resilience}", unless=["{economy}"])
    dimensions["d"]["window"] = 1
    book = make_book(dimensions)
    assert codes("Newcomers show resilience. The economy grows.", book) == [[]]
    assert codes("Newcomers show resilience. The city grows. The economy too.", book) == [["c"]]


# --- absence codes --------------------------------------------------------------------------------

REMEDY = """
remedy:
  window: 2
  codes:
    housing:
      definition: x
      rules: [{id: housing, match: "{government} NEAR/5 {housing}"}]
    childcare:
      definition: x
      rules: [{id: childcare, match: "{government} NEAR/5 {childcare}"}]
    remedy_absent:
      definition: x
      absent: {of: [housing, childcare]}
"""


def test_absence_code_fires_when_none_of_its_codes_did() -> None:
    book = make_book(REMEDY)
    assert codes("Newcomers show resilience.", book, "remedy") == [["remedy_absent"]]
    assert codes("Newcomers show resilience; the province funds housing.", book, "remedy") == [
        ["housing"]
    ]
    assert codes("Newcomers show resilience; the city funds child care.", book, "remedy") == [
        ["childcare"]
    ]


def test_absence_code_is_traced() -> None:
    [segment] = code_text("Newcomers show resilience.", make_book(REMEDY))
    [entry] = [t for t in segment.trace if t.dimension == "remedy"]
    assert (entry.code, entry.outcome) == ("remedy_absent", "absent")
    assert entry.detail == "none of housing, childcare in sentences 1-1"


@pytest.mark.parametrize(("fillers", "expected"), [(1, ["housing"]), (2, ["remedy_absent"])])
def test_absence_window_counts_sentences(fillers: int, expected: list[str]) -> None:
    # The remedy is fillers + 1 sentences after the segment: 2 counts, 3 does not.
    text = "Newcomers show resilience. " + "Filler text here. " * fillers
    text += "The province funds housing."
    assert codes(text, make_book(REMEDY), "remedy") == [expected]


def test_absence_window_looks_backwards_too() -> None:
    text = "The province funds housing. Filler. Newcomers show resilience."
    assert codes(text, make_book(REMEDY), "remedy") == [["housing"]]
    text = "The province funds housing. Filler. Filler. Newcomers show resilience."
    assert codes(text, make_book(REMEDY), "remedy") == [["remedy_absent"]]


def test_dimension_window_does_not_cross_the_document() -> None:
    text = "Newcomers show resilience."
    assert codes(text, make_book(REMEDY), "remedy") == [["remedy_absent"]]


# --- exclusive and multi-label dimensions ---------------------------------------------------------

LOCUS = """
locus:
  exclusive: {exclusive}
  codes:
    attribute:
      definition: x
      rules: [{{id: attribute, match: "{{migrants}} NEAR/4 {{resilience}}", priority: {a}}}]
    resource:
      definition: x
      rules: [{{id: resource, match: "{{economy}} NEAR/4 {{resilience}}", priority: {b}}}]
"""
BOTH = "Newcomers' resilience strengthens the economy."


def locus(exclusive: bool, a: int = 0, b: int = 0) -> CompiledCodebook:
    return make_book(LOCUS.format(exclusive=str(exclusive).lower(), a=a, b=b))


def test_exclusive_dimension_priority_wins() -> None:
    [segment] = code_text(BOTH, locus(True, a=0, b=1))
    assert segment.codes("locus") == ["resource"]
    lost = [t for t in segment.trace if t.outcome == "lost"]
    assert [(t.code, t.rule_id) for t in lost] == [("attribute", "attribute")]
    assert "resource won" in lost[0].detail
    assert [e.text for e in lost[0].evidence] == ["Newcomers", "resilience"]


def test_exclusive_dimension_tie_goes_to_the_code_listed_first() -> None:
    [segment] = code_text(BOTH, locus(True))
    assert segment.codes("locus") == ["attribute"]
    assert [(t.code, t.outcome) for t in segment.trace if t.dimension == "locus"] == [
        ("attribute", "fired"),
        ("resource", "lost"),
    ]


def test_exclusive_dimension_with_one_code_firing_has_no_loser() -> None:
    [segment] = code_text("Newcomers show resilience.", locus(True, b=5))
    assert segment.codes("locus") == ["attribute"]
    assert not [t for t in segment.trace if t.outcome == "lost"]


def test_multi_label_dimension_keeps_every_code() -> None:
    [segment] = code_text(BOTH, locus(False, a=0, b=1))
    assert segment.codes("locus") == ["attribute", "resource"]
    assert not [t for t in segment.trace if t.outcome == "lost"]


def test_a_code_with_two_firing_rules_is_listed_once() -> None:
    dimensions = {
        "d": {
            "codes": {
                "c": {
                    "definition": "x",
                    "rules": [
                        {"id": "one", "match": "{migrants}"},
                        {"id": "two", "match": "{resilience}"},
                    ],
                }
            }
        }
    }
    [segment] = code_text("Newcomers show resilience.", make_book(dimensions))
    assert segment.codes("d") == ["c"]
    assert [c.rule_id for c in segment.codings] == ["one", "two"]


# --- retrieval units ------------------------------------------------------------------------------

UNITS_TEXT = (
    "Newcomers arrive. They show resilience. The city helps.\n\n"
    "Filler one. Filler two. Resilience grows. Filler three.\n\n"
    "Refugees are resilient. Filler four."
)


def segment_texts(text: str, **top: Any) -> list[str]:
    return [segment.text for segment in code_text(text, make_book(**top))]


def test_sentence_unit_needs_both_concepts_in_one_sentence() -> None:
    assert segment_texts(UNITS_TEXT, unit="sentence") == ["Refugees are resilient."]


def test_paragraph_unit() -> None:
    assert segment_texts(UNITS_TEXT, unit="paragraph") == [
        "Newcomers arrive. They show resilience. The city helps.",
        "Refugees are resilient. Filler four.",
    ]


def test_window_unit_reaches_into_the_neighbouring_paragraph() -> None:
    assert segment_texts(UNITS_TEXT, unit="window", window=1) == [
        "Newcomers arrive. They show resilience. The city helps.",
        "Filler three.\n\nRefugees are resilient. Filler four.",
    ]


def test_window_without_both_concepts_is_not_retrieved() -> None:
    # "Resilience grows." ±1 has no migrant term; ±2 has, through the next paragraph's
    # "Refugees", and then every window overlaps the next: one segment.
    assert segment_texts(UNITS_TEXT, unit="window", window=2) == [UNITS_TEXT]


def test_overlapping_windows_merge() -> None:
    text = "Newcomers show resilience. Filler. Refugees are resilient. Filler. End."
    book = make_book(unit="window", window=1)
    segments = code_text(text, book)
    assert [s.text for s in segments] == [
        "Newcomers show resilience. Filler. Refugees are resilient. Filler."
    ]
    assert (segments[0].segment.sentence_first, segments[0].segment.sentence_last) == (0, 4)
    assert [e.text for e in segments[0].matched] == [
        "Newcomers",
        "resilience",
        "Refugees",
        "resilient",
    ]


def test_touching_windows_do_not_merge() -> None:
    text = "Newcomers show resilience. Filler. Filler. Refugees are resilient."
    segments = code_text(text, make_book(unit="window", window=1))
    assert [s.text for s in segments] == [
        "Newcomers show resilience. Filler.",
        "Filler. Refugees are resilient.",
    ]


def test_retrieval_query() -> None:
    retrieval = {"query": "{migrants} AND NOT {economy}"}
    text = "Newcomers arrive. Newcomers build the economy. Refugees settle."
    assert segment_texts(text, retrieval=retrieval) == ["Newcomers arrive.", "Refugees settle."]


# --- explain --------------------------------------------------------------------------------------


def trace_of(text: str, book: CompiledCodebook, **kwargs: Any) -> list[tuple[str, str]]:
    [segment] = code_text(text, book, explain=True, **kwargs)
    return [(t.outcome, t.detail) for t in segment.trace if t.dimension == "d"]


def test_explain_reports_the_near_distance() -> None:
    book = make_book(one_rule("{migrants} NEAR/3 {resilience}"))
    trace = trace_of("Newcomers show great and lasting resilience.", book)
    assert trace == [
        ("no match", "{migrants} and {resilience} are 4 words apart (NEAR/3 allows 3)")
    ]


def test_explain_reports_before_in_the_wrong_order() -> None:
    book = make_book(one_rule("{migrants} BEFORE/3 {resilience}"))
    trace = trace_of("Resilience of newcomers.", book)
    assert trace == [("no match", "{migrants} never comes before {resilience}")]


def test_explain_reports_the_negation_cue() -> None:
    book = make_book(NEGATED)
    trace = trace_of("The plan does not discuss the resilience of newcomers.", book)
    assert trace == [("negated", "negated: 'not' stands at most 3 words before 'resilience'")]


def test_explain_reports_the_unless() -> None:
    book = make_book(
        one_rule("{migrants} NEAR/6 {resilience}", unless=["{economy} NEAR/3 {resilience}"])
    )
    [(outcome, detail)] = trace_of("Newcomers add to the resilience of the economy.", book)
    assert outcome == "excluded"
    assert detail.startswith("excluded by unless[0] ({economy} NEAR/3 {resilience})")
    assert "'resilience of the economy'" in detail


def test_explain_reports_a_missing_term() -> None:
    book = make_book(one_rule("{migrants} AND {housing}"))
    assert trace_of("Newcomers show resilience.", book) == [("no match", "no {housing}")]


def test_without_explain_near_misses_are_not_traced() -> None:
    book = make_book(one_rule("{migrants} NEAR/3 {resilience}"))
    [segment] = code_text("Newcomers show great and lasting resilience.", book)
    assert segment.trace == []


def test_explain_skips_rules_with_none_of_their_words() -> None:
    book = make_book(one_rule("{housing} NEAR/3 {government}"))
    assert trace_of("Newcomers show resilience.", book) == []


# --- offsets --------------------------------------------------------------------------------------

OFFSET_TEXTS = [
    (
        "en",
        "Newcomers show resilience. The province doesn’t fund housing for newcomers’ resilience.",
    ),
    (
        "en",
        "😀 Refugees 😀 show “resilience” — asylum\nseekers too. 👍🏽 Newcomers’ resilience.\n\n"
        "Second paragraph: the city’s housing and resilient immigrants. "
        "Économie: resilient refugees.",
    ),
    (
        "fr",
        "Les réfugiés font preuve de résilience. L’État n’aborde pas la résilience des "
        "nouveaux arrivants.\n\nLes demandeurs d’asile, résilients, trouvent un logement "
        "« abordable ».",
    ),
    (
        "en",
        "  Leading spaces.  Newcomers\u00a0show resilience!\n \n\nTrailing paragraph: "
        "refugees' resilience, the economy's resilience.  \n",
    ),
]

FULL = """
d:
  window: 1
  codes:
    attribute:
      definition: x
      rules:
        - {id: attribute, match: "{migrants} NEAR/6 {resilience}", negation: 3}
    resource:
      definition: x
      rules:
        - {id: resource, match: "{economy} OR {housing} OR logement", unless: ["{childcare}"]}
    absent:
      definition: x
      absent: {of: [resource]}
"""


def assert_offsets(text: str, segments: list[CodedSegment]) -> None:
    for segment in segments:
        assert segment.text == text[segment.start : segment.end]
        for evidence in segment.matched:
            assert evidence.text == text[evidence.start : evidence.end]
        for coding in segment.codings:
            for evidence in coding.evidence:
                assert evidence.text == text[evidence.start : evidence.end]
                assert evidence.start < evidence.end
        for entry in segment.trace:
            for evidence in entry.evidence:
                assert evidence.text == text[evidence.start : evidence.end]


@pytest.mark.parametrize("unit", ["sentence", "paragraph", "window"])
@pytest.mark.parametrize(("language", "text"), OFFSET_TEXTS)
def test_offsets_point_at_their_words(language: str, text: str, unit: str) -> None:
    book = make_book(FULL, unit=unit, window=1, retrieval={"all": ["migrants"]})
    segments = code_text(text, book, language=language, explain=True)
    assert segments
    assert any(segment.codings for segment in segments)
    assert_offsets(text, segments)


@pytest.mark.parametrize(("language", "text"), OFFSET_TEXTS)
def test_retrieval_offsets_point_at_their_words(language: str, text: str) -> None:
    matcher = matcher_for(text, language)
    segments = retrieve(matcher, parse_query("{migrants} OR {resilience}"), "window", 1)
    seg = matcher.seg
    assert segments
    for segment in segments:
        assert segment.start == seg.token_starts[segment.first]
        assert segment.end == seg.token_ends[segment.last - 1]
        for match in segment.matches:
            for hit in match.hits:
                assert segment.first <= hit.first < hit.last <= segment.last
                word = text[seg.token_starts[hit.first] : seg.token_ends[hit.last - 1]]
                assert word == matcher.text_of(hit)
                assert word.strip() == word


def test_shipped_codebook_offsets() -> None:
    from importlib import resources

    source = resources.files("resdiscourse") / "codebooks" / "bhuyan-leung-2021.yml"
    book = compile_codebook(Codebook.model_validate(yaml.safe_load(source.read_text("utf-8"))))
    for language, text in OFFSET_TEXTS:
        assert_offsets(text, code_text(text, book, language=language, explain=True))


def test_a_dotted_capital_i_does_not_hide_later_words() -> None:
    # "İ".lower() is two characters: offsets of the lower-cased text would drift.
    book = make_book(one_rule("{migrants} NEAR/5 {resilience}"))
    assert codes("Refugees from İstanbul show remarkable resilience.", book) == [["c"]]
    assert codes("İ " * 300 + "Refugees show resilience.", book) == [["c"]]


# --- strength and the review flag -----------------------------------------------------------------

REVIEW_BOOK = make_book(
    """
    locus:
      exclusive: true
      review: true
      codes:
        attribute:
          definition: x
          rules:
            - {id: shown, match: "{migrants} BEFORE/3 resilience", priority: 2}
            - {id: any-migrant, match: "{migrants}", strength: weak, fallback: true}
        resource:
          definition: x
          rules: [{id: economy, match: "{economy}", priority: 2}]
    topic:
      codes:
        any: {definition: x, rules: [{id: weakly, match: "{migrants}", strength: weak}]}
    """
)


def review_of(text: str) -> tuple[list[str], bool, list[str], list[str]]:
    (segment,) = code_text(text, REVIEW_BOOK)
    strengths = [f"{c.code}:{c.strength}" for c in segment.codings if c.dimension == "locus"]
    return segment.codes("locus"), segment.review, segment.review_reasons, strengths


def test_a_strong_rule_needs_no_review() -> None:
    assert review_of("Refugees show resilience.") == (
        ["attribute"],
        False,
        [],
        ["attribute:strong", "attribute:weak"],
    )


def test_a_code_given_by_a_weak_fallback_only_needs_review() -> None:
    text = "The resilience of the grid matters to refugees."
    codes_, review, reasons, strengths = review_of(text)
    assert (codes_, review, strengths) == (["attribute"], True, ["attribute:weak"])
    assert reasons == ["locus: attribute given by weak rule any-migrant only"]


def test_a_tie_between_equal_priorities_needs_review() -> None:
    codes_, review, reasons, _ = review_of("Refugees show resilience in the economy.")
    assert (codes_, review) == (["attribute"], True)
    assert reasons == [
        "locus: close tie-break, attribute (shown, priority 2) over resource (economy, priority 2)"
    ]


def test_weak_rules_of_a_dimension_without_review_set_no_flag() -> None:
    (segment,) = code_text("Refugees show resilience.", REVIEW_BOOK)
    assert segment.codes("topic") == ["any"] and not segment.review


HINT_BOOK = make_book(
    """
    valence:
      exclusive: true
      review: true
      codes:
        deficit:
          definition: x
          rules:
            - {id: needs-help, match: "{migrants} BEFORE/3 help", priority: 2}
            - {id: vulnerable, match: "vulnerable", strength: hint}
        asset:
          definition: x
          rules: [{id: shown, match: "{migrants} BEFORE/3 show", priority: 1}]
    """
)


def hint_outcome(text: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    (segment,) = code_text(text, HINT_BOOK)
    trace = [(entry.rule_id, entry.outcome) for entry in segment.trace if entry.rule_id]
    return segment.codes("valence"), segment.review_reasons, trace


def test_a_hint_alone_gives_no_code_but_flags_the_segment_with_the_code_it_suggests() -> None:
    codes_, reasons, trace = hint_outcome("Vulnerable refugees and their resilience.")
    assert codes_ == []
    assert reasons == ["valence: no code, but hint rule vulnerable suggests deficit"]
    assert trace == [("vulnerable", "hinted")]


def test_a_hint_neither_codes_nor_flags_when_a_coding_rule_fires() -> None:
    # The hint's code would beat nothing: the asset rule decides alone, with no review.
    codes_, reasons, trace = hint_outcome("Vulnerable refugees show resilience.")
    assert (codes_, reasons) == (["asset"], [])
    assert ("vulnerable", "hinted") in trace and ("shown", "fired") in trace


def test_a_fallback_rule_may_be_a_hint_and_then_gives_no_code() -> None:
    book = make_book(one_rule("{migrants}", fallback=True, strength="hint"))
    assert codes("Refugees show resilience.", book) == [[]]


def test_a_fallback_rule_cannot_be_strong() -> None:
    with pytest.raises(ValueError, match="fallback rule cannot give a strong code"):
        make_book(one_rule("{migrants}", fallback=True))


# --- conditions: a dimension or rule that needs another dimension's code, and `when:` -------------

CONDITIONED = make_book(
    """
    locus:
      exclusive: true
      when: '{lower}'
      codes:
        attribute: {definition: x, rules: [{id: own, match: "{migrants} BEFORE/2 resilien*"}]}
    valence:
      requires: ["locus:attribute"]
      codes:
        asset:
          definition: x
          rules:
            - {id: shown, match: "show*"}
            - {id: housed, match: "{housing}", requires: ["locus:attribute"]}
    """,
    concepts={
        **make_book().codebook.model_dump()["concepts"],
        "lower": {"terms": [{"term": "resilien*", "case": True}]},
    },
)


def test_a_dimension_that_requires_a_code_is_skipped_without_it_and_says_why() -> None:
    (segment,) = code_text("Shows of resilience by the city impressed newcomers.", CONDITIONED)
    assert segment.codes("valence") == []
    (skipped,) = [entry for entry in segment.trace if entry.dimension == "valence"]
    assert (skipped.outcome, skipped.detail) == ("skipped", "needs one of locus:attribute")


def test_a_dimension_that_requires_a_code_is_coded_with_it() -> None:
    (segment,) = code_text("Refugees show resilience in housing.", CONDITIONED)
    assert segment.codes("locus") == ["attribute"]
    assert [(c.code, c.rule_id) for c in segment.codings if c.dimension == "valence"] == [
        ("asset", "shown"),
        ("asset", "housed"),
    ]


def test_when_skips_a_dimension_whose_query_does_not_match() -> None:
    (segment,) = code_text("The Refugee Resilience Plan was approved.", CONDITIONED)
    assert segment.codes("locus") == [] and segment.codes("valence") == []
    (skipped,) = [entry for entry in segment.trace if entry.dimension == "locus"]
    assert skipped.outcome == "skipped" and "{lower}" in skipped.detail


# --- list items read with their lead-in -----------------------------------------------------------


def test_a_list_item_is_retrieved_with_its_lead_in_which_stays_outside_the_span() -> None:
    text = "Refugee families have:\n• shown resilience;\n• found homes.\n\nThe end."
    (segment,) = code_text(text, BOOK)
    assert segment.text == "• shown resilience;"
    assert segment.segment.lead_in == 0
    assert [(e.text, e.start, e.end) for e in segment.matched] == [
        ("Refugee", 0, 7),
        ("resilience", text.index("resilience"), text.index("resilience") + 10),
    ]


def test_a_lead_in_that_matches_by_itself_is_the_segment_not_its_items() -> None:
    text = "Refugees show resilience in these ways:\n• resilience at work;\n• at school."
    assert [segment.text for segment in code_text(text, BOOK)] == [
        "Refugees show resilience in these ways:"
    ]


def test_clause_operators_join_a_list_item_to_its_lead_in() -> None:
    book = make_book(one_rule("{migrants} CBEFORE/6 resilience"))
    assert codes("Refugee families have:\n• shown resilience;", book) == [["c"]]
    assert codes("Refugee families have arrived: we saw resilience.", book) == [[]]


# --- where unless: looks --------------------------------------------------------------------------


def unless_book(within: str) -> CompiledCodebook:
    rule = {"id": "r", "match": "{migrants} CNEAR/4 resilience", "unless": ['"housing resilience"']}
    dimension = {"unless_within": within, "codes": {"c": {"definition": "x", "rules": [rule]}}}
    return make_book({"d": dimension})


@pytest.mark.parametrize(
    ("within", "expected"),
    [("segment", [[]]), ("clause", [[]]), ("match", [["c"]])],
)
def test_unless_within_decides_whether_an_exclusion_about_other_words_counts(
    within: str, expected: list[list[str]]
) -> None:
    text = "Beside housing resilience, we strengthen resilience in refugee families."
    assert codes(text, unless_book(within)) == expected


@pytest.mark.parametrize(
    ("within", "expected"), [("segment", [[]]), ("clause", [["c"]]), ("match", [["c"]])]
)
def test_unless_within_clause_ignores_an_exclusion_in_another_clause(
    within: str, expected: list[list[str]]
) -> None:
    text = "Housing resilience matters; refugees show resilience."
    assert codes(text, unless_book(within)) == expected


# --- capitals of grammar and typography -----------------------------------------------------------


def lower_case_book(typographic: bool) -> CompiledCodebook:
    concepts = {
        **make_book().codebook.model_dump()["concepts"],
        "word": {"terms": [{"term": "resilien*", "case": True}]},
    }
    return make_book(one_rule("{word}"), concepts=concepts, typographic_capitals=typographic)


@pytest.mark.parametrize(
    ("text", "plain", "typographic"),
    [
        ("Refugees show resilience.", [["c"]], [["c"]]),
        ("Resilience is what refugees show.", [[]], [["c"]]),
        ("Refugees Praised For Their Remarkable Resilience", [[]], [["c"]]),
        # two long words are too few to tell a headline from a name: "Refugees and Resilience"
        ("The Resilience of the Immigrant", [[]], [[]]),
        ("The Refugee Resilience Plan was approved by the council yesterday.", [[]], [[]]),
        # a capitalised common noun in running text: lower-case words on both sides
        ("Refugees will build the Resilience of their families.", [[]], [["c"]]),
        # a name: a capitalised neighbour, or a quote mark before it
        ("Refugees will join the Resilience Network next year.", [[]], [[]]),
        ("Refugees will meet the Canadian Resilience team.", [[]], [[]]),
        ("Refugees will read \u00ab Resilience for all \u00bb soon.", [[]], [[]]),
    ],
)
def test_lower_case_terms_match_capitals_of_grammar_only_when_asked(
    text: str, plain: list[list[str]], typographic: list[list[str]]
) -> None:
    assert codes(text, lower_case_book(False)) == plain
    assert codes(text, lower_case_book(True)) == typographic


def test_a_capitalised_common_noun_in_prose_is_found_where_it_stands() -> None:
    text = "Refugees will build the Resilience of their families."
    segment = code_text(text, lower_case_book(True), explain=True)[0]
    (evidence,) = [item for coding in segment.codings for item in coding.evidence]
    start = text.index("Resilience")
    assert (evidence.start, evidence.end) == (start, start + len("Resilience"))
    assert evidence.text == "Resilience"


# --- the term index -------------------------------------------------------------------------------


def test_the_term_index_names_the_atoms_a_scope_can_hold() -> None:
    """One pass over a scope's words: the concepts whose terms open like one of its words, not
    the others; a concept that can start anywhere (a leading *) is always a candidate."""
    book = make_book(one_rule("{migrants} OR *ience OR {housing}"))
    index = book.term_index("en", False)
    matcher = matcher_for("Refugees show resilience.", book=book)
    found = index.candidates(matcher._openings(0, len(matcher.seg.token_starts)))
    named = {key: str(node) for key, node in index.nodes.items()}
    candidates = {named[key] for key in found}
    assert candidates >= {"{migrants}", "{resilience}", "*ience"}
    assert "{housing}" in named.values() and "{housing}" not in candidates


def coded_both_ways(
    book: CompiledCodebook, text: str, language: str
) -> tuple[list[CodedSegment], list[CodedSegment]]:
    pipeline = build_pipeline(language)
    seg = segment_text(text, pipeline)
    results = []
    for term_index in (True, False):
        matcher = new_matcher(seg, book, pipeline, language, term_index=term_index)
        results.append(code_matched(matcher, book, "d", explain=True))
    return results[0], results[1]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_term_index_changes_no_coding(language: str) -> None:
    """The shipped codebook codes the demo texts identically, trace included, with the index and
    with every atom checked on its own."""
    book = compile_codebook(load_codebook("bhuyan-leung-2021").codebook)
    truth = ROOT / "corpora" / "demo-truth"
    texts = sorted(truth.glob("*-fr.txt" if language == "fr" else "*.txt"))
    coded = 0
    for path in texts:
        if language == "en" and path.stem.endswith("-fr"):
            continue
        indexed, alone = coded_both_ways(book, path.read_text(encoding="utf-8"), language)
        assert indexed == alone, path.name
        coded += len(indexed)
    assert coded > 0


def test_atoms_the_index_rules_out_are_never_compiled() -> None:
    """What the index saves: with it, a text without housing words never compiles {housing}."""
    text = "Refugees show resilience. " * 3
    compiled_atoms = []
    for term_index in (True, False):
        book = make_book(one_rule("{migrants} AND NOT {housing}"))
        pipeline = build_pipeline("en")
        matcher = new_matcher(segment_text(text, pipeline), book, pipeline, term_index=term_index)
        assert [s.codes("d") for s in code_matched(matcher, book, "x")] == [["c"]] * 3
        compiled_atoms.append({atom.label for atom in book._atoms.values()})
    assert "housing" in compiled_atoms[1]
    assert "housing" not in compiled_atoms[0]


def test_hits_of_a_prefetched_atom_come_from_the_whole_text_even_when_asked_before() -> None:
    """A scope ends where the regex's text ends: "5" is a whole word in the scope "5" of "5km",
    not in the whole text. Once an atom is prefetched, its hits in any scope are the whole text's,
    also in a scope asked about (and cached) before."""
    matcher = matcher_for("Rents rose 5km away from here.")
    five = parse_query('"5"')
    assert isinstance(five, TermNode)
    assert [matcher.text_of(hit) for hit in matcher.hits(five, 2, 3)] == ["5"]
    assert matcher.prefetch(five) == []
    assert matcher.hits(five, 2, 3) == []
