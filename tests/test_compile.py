"""Compiling a codebook: its default retrieval, and a compiled copy per retrieval variant."""

from __future__ import annotations

from pathlib import Path

import pytest

from resdiscourse.codebook.load import LoadedCodebook, load_codebook
from resdiscourse.codebook.query import AndNode, ConceptNode, retrieval_names
from resdiscourse.coding import CodedSegment, code_text
from resdiscourse.errors import UsageError
from resdiscourse.matching.compile import compile_codebook

BOOK = """\
name: tiny
version: "1"
retrieval:
  all: [resilience, migrants]
  variants:
    wide:
      description: migration as a process
      all: [resilience, migrants_or_migration]
    near:
      query: "{resilience} NEAR/3 {migrants}"
concepts:
  resilience: {terms: ["resilien*"]}
  migrants: {terms: ["refugee*", "newcomer*"]}
  migrants_or_migration: {terms: ["refugee*", "newcomer*", "migration"]}
dimensions:
  locus:
    codes:
      attribute:
        definition: Resilience is something migrants show.
        rules: [{id: show, match: "{migrants_or_migration} NEAR/8 {resilience}"}]
"""
TEXT = (
    "Refugees have shown remarkable resilience. "
    "Migration makes the city resilient. "
    "Newcomers arrive every year and the province has, by all accounts, grown resilient."
)


@pytest.fixture
def loaded(tmp_path: Path) -> LoadedCodebook:
    path = tmp_path / "tiny.yml"
    path.write_text(BOOK, encoding="utf-8")
    return load_codebook(path)


def texts(segments: list[CodedSegment]) -> list[str]:
    return [segment.text for segment in segments]


def test_compile_keeps_the_default_retrieval(loaded: LoadedCodebook) -> None:
    compiled = compile_codebook(loaded.codebook)
    assert compiled.retrieval_name == "default"
    assert str(compiled.retrieval) == "({resilience} AND {migrants})"
    assert retrieval_names(loaded.codebook) == ["default", "wide", "near"]
    assert texts(code_text(TEXT, compiled)) == [
        "Refugees have shown remarkable resilience.",
        "Newcomers arrive every year and the province has, by all accounts, grown resilient.",
    ]


def test_a_variant_changes_what_is_retrieved(loaded: LoadedCodebook) -> None:
    compiled = compile_codebook(loaded.codebook)
    wide = compiled.with_retrieval("wide")
    assert wide.retrieval_name == "wide"
    assert str(wide.retrieval) == "({resilience} AND {migrants_or_migration})"
    assert "Migration makes the city resilient." in texts(code_text(TEXT, wide))
    assert len(code_text(TEXT, wide)) == 3
    near = compile_codebook(loaded.codebook, retrieval="near")
    assert texts(code_text(TEXT, near)) == ["Refugees have shown remarkable resilience."]
    # The original is unchanged; default and None give the codebook's own retrieval back.
    assert compiled.retrieval_name == "default"
    assert wide.with_retrieval(None).retrieval is compiled.retrieval
    assert compiled.with_retrieval("default") is compiled


def test_variants_share_the_compiled_concepts(loaded: LoadedCodebook) -> None:
    compiled = compile_codebook(loaded.codebook)
    wide = compiled.with_retrieval("wide")
    # One object per concept, so a matcher finds each concept's hits once for every retrieval.
    assert isinstance(compiled.retrieval, AndNode) and isinstance(wide.retrieval, AndNode)
    resilience = compiled.retrieval.children[0]
    assert resilience == ConceptNode("resilience")
    assert wide.retrieval.children[0] is resilience
    assert wide.retrieval_of("wide") is compiled.retrieval_of("wide")
    assert set(wide.other_retrievals()) == {"default", "near"}
    assert set(compiled.other_retrievals()) == {"wide", "near"}


def test_an_unknown_retrieval_is_E610_listing_them(loaded: LoadedCodebook) -> None:
    with pytest.raises(UsageError) as caught:
        compile_codebook(loaded.codebook, retrieval="wdie")
    found = caught.value.problem
    assert found.code == "E610"
    assert found.message == "codebook tiny has no retrieval 'wdie'"
    assert found.hint == "the retrievals are: default, wide (migration as a process), near"


# --- named patterns ---------------------------------------------------------------------------

PATTERN_BOOK = BOOK.replace(
    "dimensions:\n", "patterns:\n  shown: '{migrants} BEFORE/4 {resilience}'\ndimensions:\n"
).replace('match: "{migrants_or_migration} NEAR/8 {resilience}"', 'match: "{shown}"')
INLINE_BOOK = BOOK.replace(
    'match: "{migrants_or_migration} NEAR/8 {resilience}"',
    'match: "{migrants} BEFORE/4 {resilience}"',
)


def _load(tmp_path: Path, text: str, name: str) -> LoadedCodebook:
    path = tmp_path / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return load_codebook(path)


def test_a_named_pattern_codes_as_its_query_written_inline(tmp_path: Path) -> None:
    named = compile_codebook(_load(tmp_path, PATTERN_BOOK, "named").codebook)
    inline = compile_codebook(_load(tmp_path, INLINE_BOOK, "inline").codebook)
    rule = named.dimensions[0].codes[0].rules[0]
    assert str(rule.match) == "({migrants} BEFORE/4 {resilience})"
    coded = code_text(TEXT, named)
    assert [(s.text, [c.code for c in s.codings]) for s in coded] == [
        (s.text, [c.code for c in s.codings]) for s in code_text(TEXT, inline)
    ]
    assert [c.code for c in coded[0].codings] == ["attribute"]
    evidence = [(span.text, span.term) for span in coded[0].codings[0].evidence]
    assert evidence == [("Refugees", "migrants"), ("resilience", "resilience")]


def test_a_pattern_used_twice_is_one_object_and_parse_expands_it(tmp_path: Path) -> None:
    compiled = compile_codebook(_load(tmp_path, PATTERN_BOOK, "named").codebook)
    rule = compiled.dimensions[0].codes[0].rules[0]
    assert compiled.parse("{shown}") is rule.match
    assert str(compiled.parse("{shown} AND NOT economy")) == (
        "(({migrants} BEFORE/4 {resilience}) AND NOT economy)"
    )


def test_a_pattern_cycle_that_escaped_the_checks_is_E311(tmp_path: Path) -> None:
    book = _load(tmp_path, PATTERN_BOOK, "named").codebook
    looped = book.model_copy(update={"patterns": {"shown": "{shown} OR refugee"}})
    with pytest.raises(UsageError) as raised:
        compile_codebook(looped)
    assert raised.value.problem.code == "E311"
    assert "shown -> shown" in raised.value.problem.message
