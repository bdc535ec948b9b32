"""The query language: each form, precedence, syntax errors with columns, and round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resdiscourse.codebook.load import load_codebook
from resdiscourse.codebook.query import (
    AndNode,
    ConceptNode,
    NearNode,
    Node,
    NotNode,
    OrNode,
    QuerySyntaxError,
    TermNode,
    concepts_in,
    parse_query,
    retrieval_names,
    retrieval_query,
)
from resdiscourse.errors import UsageError

A, B, C = TermNode(("a",)), TermNode(("b",)), TermNode(("c",))


# --- each form ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("resilience", TermNode(("resilience",))),
        ("resilien*", TermNode(("resilien*",))),
        ("*migrant*", TermNode(("*migrant*",))),
        ('"asylum seeker*"', TermNode(("asylum", "seeker*"))),
        ('"  bounce   back "', TermNode(("bounce", "back"))),
        ('"AND"', TermNode(("AND",))),
        ("lemma:cope", TermNode(("cope",), lemma=True)),
        ("case:ON", TermNode(("ON",), case=True)),
        ("case:Resilien*", TermNode(("Resilien*",), case=True)),
        ("{migrants}", ConceptNode("migrants")),
        ("{ migrants }", ConceptNode("migrants")),
        ("{host-society_2}", ConceptNode("host-society_2")),
        ("and", TermNode(("and",))),
        ("a AND b", AndNode((A, B))),
        ("a AND b AND c", AndNode((A, B, C))),
        ("a OR b", OrNode((A, B))),
        ("a OR b OR c", OrNode((A, B, C))),
        ("a AND NOT b", AndNode((A, NotNode(B)))),
        ("a AND NOT NOT b", AndNode((A, NotNode(NotNode(B))))),
        ("a NEAR/5 b", NearNode(A, B, 5, ordered=False)),
        ("a BEFORE/0 b", NearNode(A, B, 0, ordered=True)),
        ("a NEAR/1 b BEFORE/2 c", NearNode(NearNode(A, B, 1, False), C, 2, True)),
        ("(a)", A),
        ("(a OR b) AND c", AndNode((OrNode((A, B)), C))),
        ("a NEAR/3 (b OR c)", NearNode(A, OrNode((B, C)), 3, False)),
        ("a NEAR/3 (b AND NOT c)", NearNode(A, AndNode((B, NotNode(C))), 3, False)),
        ("  a\tAND\nb  ", AndNode((A, B))),
    ],
)
def test_each_form(query: str, expected: Node) -> None:
    assert parse_query(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # NEAR/BEFORE tighter than NOT tighter than AND tighter than OR
        ("a OR b AND c", OrNode((A, AndNode((B, C))))),
        ("a AND b OR c", OrNode((AndNode((A, B)), C))),
        ("NOT a AND b", AndNode((NotNode(A), B))),
        ("b AND NOT a OR c", OrNode((AndNode((B, NotNode(A))), C))),
        ("b AND NOT a NEAR/2 c", AndNode((B, NotNode(NearNode(A, C, 2, False))))),
        ("a AND b NEAR/1 c", AndNode((A, NearNode(B, C, 1, False)))),
        ("a NEAR/1 b OR c", OrNode((NearNode(A, B, 1, False), C))),
        ("a OR b BEFORE/4 c", OrNode((A, NearNode(B, C, 4, True)))),
        ("(a OR b) NEAR/2 c", NearNode(OrNode((A, B)), C, 2, False)),
    ],
)
def test_precedence(query: str, expected: Node) -> None:
    assert parse_query(query) == expected


def test_concepts_in_order_of_first_appearance() -> None:
    node = parse_query("{b} NEAR/3 ({a} OR x) AND NOT {b} AND {c}")
    assert concepts_in(node) == ["b", "a", "c"]


def test_str_writes_the_query_back() -> None:
    assert str(parse_query("a OR b AND NOT c")) == "(a OR (b AND NOT c))"
    assert (
        str(parse_query('lemma:cope NEAR/2 "bounce back"')) == '(lemma:cope NEAR/2 "bounce back")'
    )
    # one-word phrases that would read differently unquoted keep their quotes
    for text in ['"AND"', '"{x}"', '"lemma:x"', '"*"', '"NEAR/2"', '"NEAR"']:
        assert str(parse_query(text)) == text


# --- a codebook's retrieval -----------------------------------------------------------------------

RETRIEVAL_BOOK = """\
name: tiny
version: "1"
retrieval:
  all: [resilience, migrants]
  variants:
    one:
      description: resilience alone
      all: [resilience]
    near: {query: "{resilience} NEAR/3 {migrants}"}
concepts:
  resilience: {terms: ["resilien*"]}
  migrants: {terms: ["refugee*"]}
dimensions:
  locus:
    codes:
      attribute:
        definition: Resilience is something migrants show.
        rules: [{id: show, match: "{migrants} NEAR/8 {resilience}"}]
"""


def test_a_retrieval_is_a_query_of_its_concepts_or_its_own_query(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yml"
    path.write_text(RETRIEVAL_BOOK, encoding="utf-8")
    book = load_codebook(path).codebook
    both = AndNode((ConceptNode("resilience"), ConceptNode("migrants")))
    assert retrieval_names(book) == ["default", "one", "near"]
    assert retrieval_query(book) == retrieval_query(book, "default") == both
    assert retrieval_query(book, "one") == ConceptNode("resilience")
    assert retrieval_query(book, "near") == NearNode(
        ConceptNode("resilience"), ConceptNode("migrants"), 3, ordered=False
    )
    with pytest.raises(UsageError) as caught:
        retrieval_query(book, "wide")
    assert caught.value.problem.code == "E610"
    assert caught.value.problem.hint == "the retrievals are: default, one (resilience alone), near"


# --- syntax errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message", "col", "hint"),
    [
        ("", "empty query", 1, "write a term"),
        ("   ", "empty query", 1, "write a term"),
        ("a b", "expected an operator before 'b'", 3, "join terms with AND"),
        ("resilience  migrants", "expected an operator before 'migrants'", 13, "quote a phrase"),
        ("a AND", "the query ends too early", 6, "add a term"),
        ("AND a", "expected a term, found 'AND'", 1, "quote a word that is an operator"),
        ("a OR OR b", "expected a term, found 'OR'", 6, "operators go between terms"),
        ("(a OR b", "unclosed '('", 1, "add the matching ')'"),
        ("a AND b)", "unmatched ')'", 8, "remove it"),
        ("a AND ()", "empty parentheses", 7, "put a term inside"),
        ("a AND {migrants", "unclosed '{'", 7, "{name}"),
        ("{Migrants}", "bad concept name '{Migrants}'", 1, "{migrants}"),
        ("{}", "bad concept name '{}'", 1, "{migrants}"),
        ('a AND "bounce back', "unclosed '\"'", 7, 'close the phrase with "'),
        ('a OR ""', "empty phrase", 6, "put words inside"),
        ("a } b", "unexpected '}'", 3, "remove it"),
        ("a near/3 b", "bad proximity operator 'near/3'", 3, "in capitals"),
        ("a W/3 b", "bad proximity operator 'W/3'", 3, "NEAR/k or BEFORE/k"),
        ("a NEAR/x b", "bad proximity operator 'NEAR/x'", 3, "NEAR/k"),
        ("a NEAR b", "NEAR needs a distance", 3, "NEAR/5"),
        ("a BEFORE b", "BEFORE needs a distance", 3, "BEFORE/5"),
        ("a NEAR/1001 b", "distance too large in 'NEAR/1001'", 3, "0 to 1000"),
        ("a NEAR/3 NOT b", "expected a term, found 'NOT'", 10, "operators go between terms"),
        ("a NEAR/3 (NOT b)", "NEAR/k needs words on both sides, not a NOT", 10, "put NOT outside"),
        ("(NOT a) BEFORE/3 b", "BEFORE/k needs words on both sides, not a NOT", 1, "NOT outside"),
        ("NOT a", "a query cannot be only NOT", 1, "say what to find"),
        ("NOT a OR NOT b", "a query cannot be only NOT", 1, "say what to find"),
        ("*", "a term cannot be only '*'", 1, "add letters"),
        ("a OR **", "a term cannot be only '*'", 6, "add letters"),
        ("lemma:", "bad lemma: term 'lemma:'", 1, "lemma:word"),
        ("x AND lemma:cop*", "bad lemma: term 'lemma:cop*'", 7, "(no *)"),
        ("case:*", "bad case: term 'case:*'", 1, "case:Word"),
        ("(" * 101 + "a" + ")" * 101, "the query nests too deeply", 101, "fewer parentheses"),
        ("a AND " + "NOT " * 101 + "b", "the query nests too deeply", 7 + 4 * 100, "fewer"),
    ],
)
def test_syntax_errors(query: str, message: str, col: int, hint: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert caught.value.message == message
    assert caught.value.col == col
    assert hint in caught.value.hint
    assert f"(column {col})" in str(caught.value)


# --- properties -----------------------------------------------------------------------------------

_LETTERS = st.sampled_from("abcdefghijklmnopqrstuvwxyzéøß")
_WORD = st.text(_LETTERS, min_size=1, max_size=6)
_WILD = st.builds(lambda word, star: word + "*" if star else word, _WORD, st.booleans())
_PHRASE_WORD = st.one_of(
    _WILD,
    st.sampled_from(["AND", "OR", "NOT", "NEAR", "NEAR/3", "{x}", "lemma:x", "case:X", "*", ")"]),
)


def _phrase(words: list[str]) -> str:
    return '"' + " ".join(words) + '"'


_ATOM = st.one_of(
    _WILD,
    st.builds(lambda w: "lemma:" + w, _WORD),
    st.builds(lambda w: "case:" + w.capitalize() + "*", _WORD),
    st.builds(lambda w: "{" + w.lower() + "}", st.text("abcxyz", min_size=1, max_size=4)),
    st.builds(_phrase, st.lists(_PHRASE_WORD, min_size=1, max_size=3)),
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    joined = st.lists(children, min_size=2, max_size=3)
    return st.one_of(
        st.builds(lambda parts: " AND ".join(parts), joined),
        st.builds(lambda parts: " OR ".join(parts), joined),
        st.builds(lambda part: "NOT " + part, children),
        st.builds(
            lambda left, op, k, right: f"{left} {op}/{k} {right}",
            children,
            st.sampled_from(["NEAR", "BEFORE", "CNEAR", "CBEFORE"]),
            st.integers(0, 20),
            children,
        ),
        st.builds(lambda part: "(" + part + ")", children),
    )


_QUERY = st.recursive(_ATOM, _combine, max_leaves=12)


@settings(max_examples=300)
@given(_QUERY)
def test_str_parses_back_to_the_same_tree(query: str) -> None:
    try:
        node = parse_query(query)
    except QuerySyntaxError:
        return  # generated text can put a NOT under NEAR, or be only NOT: refused, fine
    assert parse_query(str(node)) == node


_PIECES = [
    *["a", "b*", "AND", "OR", "NOT", "NEAR/2", "BEFORE/x", "(", ")", "{", "}", '"', "*", "{c}"],
    *["lemma:", "case:", "lemma:x", "NEAR", " ", "\t", "é", "/", ":", "W/1", "NEAR/99999"],
    *["CNEAR/3", "CBEFORE/0", "CNEAR", "cnear/2"],
]


@settings(max_examples=500)
@given(
    st.one_of(
        st.text(max_size=40),
        st.lists(
            st.sampled_from(_PIECES),
            max_size=15,
        ).map("".join),
        st.lists(st.sampled_from(["a", "(", ")", "NOT", "AND", " "]), max_size=300).map(" ".join),
    )
)
def test_any_text_parses_or_raises_a_syntax_error(query: str) -> None:
    try:
        node = parse_query(query)
    except QuerySyntaxError as error:
        assert 1 <= error.col <= len(query) + 1
        assert error.message and error.hint
    else:
        assert parse_query(str(node)) == node
