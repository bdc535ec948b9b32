"""Clause numbers from punctuation and word lists, and the CNEAR/CBEFORE operators that use them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from resdiscourse.clauses import HARD_BOUNDARIES, clause_numbers, token_texts
from resdiscourse.codebook.query import ConceptNode
from resdiscourse.matching.matcher import NO_CLAUSE_WORDS
from tests.test_matcher import codes, found, make_book, one_rule

OPENERS = {"although", "because", "whereas"}
RELATIVES = {"who", "which"}
COORDINATORS = {"but", "yet"}


def clauses_of(sentence: str) -> list[list[str]]:
    """The words of a one-sentence text (tokens split on spaces), grouped by clause number."""
    tokens = sentence.split()
    openers = frozenset(i for i, t in enumerate(tokens) if t.lower() in OPENERS)
    relatives = frozenset(i for i, t in enumerate(tokens) if t.lower() in RELATIVES)
    coordinators = frozenset(i for i, t in enumerate(tokens) if t.lower() in COORDINATORS)
    numbers = clause_numbers(tokens, [0], openers, relatives, coordinators)
    groups: dict[int, list[str]] = {}
    for token, number in zip(tokens, numbers, strict=True):
        groups.setdefault(number, []).append(token)
    return list(groups.values())


def test_semicolon_and_spaced_dash_end_a_clause() -> None:
    assert clauses_of("a b ; c d - e") == [["a", "b"], [";", "c", "d"], ["-", "e"]]


def test_a_leading_subordinate_clause_ends_at_the_first_comma() -> None:
    assert clauses_of("Although refugees struggle , they show resilience , and grow") == [
        ["Although", "refugees", "struggle", ","],
        ["they", "show", "resilience", ",", "and", "grow"],
    ]


def test_a_relative_after_a_comma_is_embedded_and_the_outer_clause_resumes() -> None:
    assert clauses_of("Refugees , who arrived , show resilience") == [
        ["Refugees", ",", "show", "resilience"],
        ["who", "arrived", ","],
    ]


def test_a_relative_without_a_comma_is_no_boundary() -> None:
    assert clauses_of("Refugees who arrived show resilience") == [
        ["Refugees", "who", "arrived", "show", "resilience"]
    ]


def test_brackets_hold_a_clause_and_the_text_after_them_resumes() -> None:
    assert clauses_of("Newcomers ( see note ) show resilience") == [
        ["Newcomers", "show", "resilience"],
        ["(", "see", "note", ")"],
    ]


def test_a_mid_sentence_opener_starts_a_clause_that_runs_on() -> None:
    assert clauses_of("Cities grow because migrants , workers and firms stay") == [
        ["Cities", "grow"],
        ["because", "migrants", ",", "workers", "and", "firms", "stay"],
    ]


def test_a_coordinator_opening_a_sentence_heads_its_main_clause() -> None:
    assert clauses_of("But refugees are , by nature , resilient") == [
        ["But", "refugees", "are", ",", "by", "nature", ",", "resilient"]
    ]


def test_a_mid_sentence_coordinator_starts_a_clause_that_runs_on() -> None:
    assert clauses_of("Cities grow , yet migrants , workers and firms leave") == [
        ["Cities", "grow", ","],
        ["yet", "migrants", ",", "workers", "and", "firms", "leave"],
    ]


def test_an_opener_after_sentence_opening_coordinators_and_commas_still_leads() -> None:
    assert clauses_of("But although refugees struggle , they show resilience") == [
        ["But"],
        ["although", "refugees", "struggle", ","],
        ["they", "show", "resilience"],
    ]
    assert clauses_of("Yet , because budgets fell , newcomers stay") == [
        ["Yet", ","],
        ["because", "budgets", "fell", ","],
        ["newcomers", "stay"],
    ]


def test_an_opener_after_any_other_word_runs_on_past_the_comma() -> None:
    assert clauses_of("But cities grow although budgets fell , and stay") == [
        ["But", "cities", "grow"],
        ["although", "budgets", "fell", ",", "and", "stay"],
    ]


def test_each_sentence_starts_a_new_clause() -> None:
    numbers = clause_numbers(["a", "b", "c", "d"], [0, 2])
    assert numbers[0] == numbers[1] != numbers[2] == numbers[3]


def test_a_dash_inside_a_word_is_blanked_not_a_boundary() -> None:
    text = "asylum-seekers - and 2017–2018"
    starts, ends = [0, 6, 7, 15, 17, 21, 25, 26], [6, 7, 14, 16, 20, 25, 26, 30]
    assert token_texts(text, starts, ends) == [
        "asylum",
        "",
        "seekers",
        "-",
        "and",
        "2017",
        "",
        "2018",
    ]


#: Tokens of generated sentences: words, punctuation, an opener, a relative and a coordinator.
GENERATED = st.lists(
    st.sampled_from(["a", ",", ";", "(", ")", "who", "because", "but", "-", "["]), max_size=40
)


def generated_numbers(tokens: list[str]) -> list[int]:
    def where(word: str) -> frozenset[int]:
        return frozenset(i for i, t in enumerate(tokens) if t == word)

    return clause_numbers(
        tokens, [0] if tokens else [], where("because"), where("who"), where("but")
    )


@given(GENERATED)
def test_numbers_are_total_and_hard_boundaries_never_join_what_they_separate(
    tokens: list[str],
) -> None:
    numbers = generated_numbers(tokens)
    assert len(numbers) == len(tokens)
    for index, token in enumerate(tokens):
        if token in HARD_BOUNDARIES:
            assert all(numbers[before] != numbers[index] for before in range(index))


@given(
    st.lists(st.sampled_from(["but", ","]), max_size=3),
    st.lists(st.sampled_from(["a", "but", "because", "who"]), max_size=6),
    GENERATED,
)
def test_a_leading_opener_ends_its_clause_at_the_first_comma(
    lead: list[str], clause: list[str], rest: list[str]
) -> None:
    """An opener with nothing but coordinators and commas before it: no token after the first
    comma that follows it shares a clause with a token up to that comma."""
    tokens = [*lead, "because", *clause, ",", *rest]
    comma = len(lead) + 1 + len(clause)
    numbers = generated_numbers(tokens)
    assert not set(numbers[: comma + 1]) & set(numbers[comma + 1 :])


CLAUSE_BOOK = make_book(
    one_rule("{migrants} CBEFORE/10 resilience"),
    concepts={
        **make_book().codebook.model_dump()["concepts"],
        "openers": {"terms": ["because", "although"]},
        "relatives": {"terms": ["which", "who"]},
        "coordinators": {"terms": ["but", "yet"]},
    },
    clauses={"openers": "openers", "relatives": "relatives", "coordinators": "coordinators"},
)


def test_the_compiled_codebook_names_its_clause_words() -> None:
    words = CLAUSE_BOOK.clause_words
    assert (words.openers, words.relatives, words.coordinators) == (
        ConceptNode("openers"),
        ConceptNode("relatives"),
        ConceptNode("coordinators"),
    )
    assert make_book().clause_words == NO_CLAUSE_WORDS == (None, None, None)


def test_cbefore_does_not_cross_a_semicolon_but_before_does() -> None:
    text = "Refugees arrive; the city's resilience grows."
    assert found("{migrants} BEFORE/10 resilience", text) == [
        "Refugees arrive; the city's resilience"
    ]
    assert found("{migrants} CBEFORE/10 resilience", text) == []


def test_cnear_does_not_enter_a_relative_clause_after_a_comma() -> None:
    assert codes("Cities host refugees, which tests their resilience.", CLAUSE_BOOK) == [[]]
    assert codes("Refugees, as we know, show resilience.", CLAUSE_BOOK) == [["c"]]


def test_cnear_evidence_offsets_point_at_the_words() -> None:
    from resdiscourse.coding import code_text

    text = "Although budgets fell, newcomers showed resilience."
    (segment,) = code_text(text, CLAUSE_BOOK)
    evidence = [(e.start, e.end, e.text) for e in segment.codings[0].evidence]
    assert evidence == [(23, 32, "newcomers"), (40, 50, "resilience")]
    assert all(text[start:end] == word for start, end, word in evidence)


def test_cbefore_does_not_cross_a_mid_sentence_coordinator() -> None:
    text = "Refugees arrive but the city's resilience grows."
    assert found("{migrants} BEFORE/10 resilience", text) == [
        "Refugees arrive but the city's resilience"
    ]
    assert codes(text, CLAUSE_BOOK) == [[]]


def test_cbefore_crosses_the_commas_of_a_clause_a_coordinator_opens() -> None:
    assert codes("But refugees, by nature, show resilience.", CLAUSE_BOOK) == [["c"]]
    # An opener in its place would end the clause at the first comma.
    assert codes("Although refugees, by nature, show resilience.", CLAUSE_BOOK) == [[]]


def test_an_opener_after_a_sentence_opening_coordinator_leads_with_offsets() -> None:
    from resdiscourse.coding import code_text

    assert codes("But although refugees struggle, budgets show resilience.", CLAUSE_BOOK) == [[]]
    text = "But although budgets fell, newcomers showed resilience."
    (segment,) = code_text(text, CLAUSE_BOOK)
    evidence = [(e.start, e.end, e.text) for e in segment.codings[0].evidence]
    assert evidence == [(27, 36, "newcomers"), (44, 54, "resilience")]
    assert all(text[start:end] == word for start, end, word in evidence)
