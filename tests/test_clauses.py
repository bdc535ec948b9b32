"""Clause numbers from punctuation and word lists, and the CNEAR/CBEFORE operators that use them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from resdiscourse.clauses import HARD_BOUNDARIES, clause_numbers, token_texts
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


@given(st.lists(st.sampled_from(["a", ",", ";", "(", ")", "who", "but", "-", "["]), max_size=40))
def test_numbers_are_total_and_hard_boundaries_never_join_what_they_separate(
    tokens: list[str],
) -> None:
    openers = frozenset(i for i, t in enumerate(tokens) if t == "but")
    relatives = frozenset(i for i, t in enumerate(tokens) if t == "who")
    numbers = clause_numbers(tokens, [0] if tokens else [], openers, relatives)
    assert len(numbers) == len(tokens)
    for index, token in enumerate(tokens):
        if token in HARD_BOUNDARIES:
            assert all(numbers[before] != numbers[index] for before in range(index))


CLAUSE_BOOK = make_book(
    one_rule("{migrants} CBEFORE/10 resilience"),
    concepts={
        **make_book().codebook.model_dump()["concepts"],
        "openers": {"terms": ["because", "although"]},
        "relatives": {"terms": ["which", "who"]},
    },
    clauses={"openers": "openers", "relatives": "relatives"},
)


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
