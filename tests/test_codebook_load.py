"""Loading codebooks: positions, every problem at once with file:line:col, shipped codebooks."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import pytest

from resdiscourse.codebook import load
from resdiscourse.codebook.load import (
    CodebookError,
    load_codebook,
    shipped_codebooks,
    validate_codebook,
)
from resdiscourse.errors import Problem, UsageError

# Line numbers matter: the cases below point into this text.
VALID = """\
name: demo
version: 1.0.0
language: en
retrieval:
  all: [resilience, migrants]
concepts:
  resilience:
    terms: ["resilien*"]
  migrants:
    terms:
      en: [migrant*, {term: refugee, lemma: true}]
      fr: [migrant*]
  negation:
    terms: [not, never]
dimensions:
  locus:
    exclusive: true
    codes:
      attribute:
        definition: Resilience is something migrants have.
        rules:
          - id: migrants-show
            match: "{migrants} NEAR/6 {resilience}"
            unless: ['{resilience} NEAR/2 economy']
            negation: 3
        examples:
          - Refugees have shown remarkable resilience.
          - {text: "Migrants are resilient.", note: plain}
        counterexamples:
          - The city must build resilient institutions.
      no_locus:
        definition: No locus named.
        absent: {of: [attribute]}
"""


def write(tmp_path: Path, text: str, name: str = "codebook.yml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def variant(old: str, new: str) -> str:
    assert VALID.count(old) == 1, old
    return VALID.replace(old, new)


def only_problem(tmp_path: Path, text: str) -> Problem:
    problems = validate_codebook(write(tmp_path, text))
    assert len(problems) == 1, [item.one_line() for item in problems]
    return problems[0]


# --- a valid codebook -----------------------------------------------------------------------------


def test_a_valid_codebook_loads_with_positions(tmp_path: Path) -> None:
    file = write(tmp_path, VALID)
    loaded = load_codebook(file)
    assert loaded.source == file
    assert loaded.path == Path(file)
    assert loaded.sha256 == hashlib.sha256(VALID.encode("utf-8")).hexdigest()
    assert loaded.codebook.name == "demo"
    assert list(loaded.codebook.dimensions["locus"].codes) == ["attribute", "no_locus"]
    positions = loaded.positions
    assert positions[()] == (1, 1)
    assert positions[("name",)] == (1, 7)
    assert positions[("retrieval", "all", 1)] == (5, 21)
    assert positions[("concepts", "migrants", "terms", "en", 1, "term")] == (11, 29)
    codes = ("dimensions", "locus", "codes")
    assert positions[(*codes, "attribute", "rules", 0, "match")] == (23, 20)
    assert positions[(*codes, "attribute", "examples", 0)] == (27, 13)
    assert positions[(*codes, "attribute", "examples", 1, "note")] == (28, 53)
    assert positions[(*codes, "no_locus", "absent", "of", 0)] == (33, 23)
    assert validate_codebook(file) == []


def test_location_falls_back_to_the_nearest_parent(tmp_path: Path) -> None:
    loaded = load_codebook(write(tmp_path, VALID))
    path = ("dimensions", "locus", "codes", "attribute", "rules", 0)
    assert str(loaded.location((*path, "id"))).endswith("codebook.yml:22:17")
    # priority is not written: the rule's own position stands in
    where = loaded.location((*path, "priority"))
    assert (where.file, where.line, where.col) == (loaded.source, 22, 13)
    assert loaded.location(("nothing", "here")).line == 1


def test_an_alias_and_a_merge_key_are_read(tmp_path: Path) -> None:
    text = variant(
        "      no_locus:\n        definition: No locus named.\n",
        "      no_locus:\n        <<: &base {definition: No locus named., label: None}\n"
        "        label: No locus\n",
    )
    loaded = load_codebook(write(tmp_path, text))
    code = loaded.codebook.dimensions["locus"].codes["no_locus"]
    assert (code.definition, code.label) == ("No locus named.", "No locus")


# --- malformed codebooks: one mistake, one problem at its place -----------------------------------

CASES = [
    pytest.param(
        variant("definition: Resilience is", "definition: Resilience: is"),
        ("E301", 20, 31, "invalid YAML: mapping values are not allowed here", "in quotes"),
        id="yaml-syntax",
    ),
    pytest.param(
        variant("      en: [migrant*", "\t  en: [migrant*"),
        ("E301", 11, 1, "invalid YAML:", "spaces, not tabs"),
        id="yaml-tab",
    ),
    pytest.param(
        variant("        rules:\n", "        definition: Again.\n        rules:\n"),
        (
            "E302",
            21,
            9,
            "duplicate key 'definition' in dimensions.locus.codes.attribute",
            "line 20",
        ),
        id="duplicate-key",
    ),
    pytest.param(
        variant("        counterexamples:", "        counterexample:"),
        (
            "E303",
            29,
            9,
            "dimensions.locus.codes.attribute.counterexample: unknown key",
            "did you mean 'counterexamples'?",
        ),
        id="unknown-key",
    ),
    pytest.param(
        variant("    exclusive: true", "    exclusif: true"),
        ("E303", 17, 5, "dimensions.locus.exclusif: unknown key", "did you mean 'exclusive'?"),
        id="unknown-key-close",
    ),
    pytest.param(
        variant("        definition: Resilience is something migrants have.\n", ""),
        (
            "E303",
            20,
            9,
            "dimensions.locus.codes.attribute.definition: missing",
            "add `definition:` under `attribute:`",
        ),
        id="missing-key",
    ),
    pytest.param(
        variant("version: 1.0.0", "version: 1.0"),
        (
            "E303",
            2,
            10,
            "version: expected a text, found a number (1.0)",
            'put it in quotes: "1.0"',
        ),
        id="wrong-type-text",
    ),
    pytest.param(
        variant("negation: 3", "negation: true"),
        (
            "E303",
            25,
            23,
            "dimensions.locus.codes.attribute.rules[0].negation: expected a whole number, "
            "found true/false (true)",
            "e.g. `negation: 3`",
        ),
        id="wrong-type-number",
    ),
    pytest.param(
        variant(
            "        definition: Resilience is", "        definition:\n        label: Resilience is"
        ),
        (
            "E303",
            20,
            20,
            "dimensions.locus.codes.attribute.definition: no value (expected a text)",
            "write a text after `definition:`",
        ),
        id="no-value",
    ),
    pytest.param(
        variant("      attribute:", "      Attribute:"),
        (
            "E303",
            19,
            7,
            "dimensions.locus.codes.Attribute: bad name 'Attribute'",
            "ids are lower case letters, digits, _ and -, starting with a letter",
        ),
        id="bad-id-key",
    ),
    pytest.param(
        variant("id: migrants-show", "id: Migrants show"),
        (
            "E303",
            22,
            17,
            "dimensions.locus.codes.attribute.rules[0].id: bad id 'Migrants show'",
            "ids are lower case letters",
        ),
        id="bad-id-value",
    ),
    pytest.param(
        variant("language: en", "language: en\nunit: words"),
        ("E303", 4, 7, "unit: 'words' is not allowed", "'sentence', 'paragraph' or 'window'"),
        id="literal",
    ),
    pytest.param(
        variant('{text: "Migrants are resilient.", note: plain}', "{note: plain}"),
        (
            "E303",
            28,
            13,
            "dimensions.locus.codes.attribute.examples[1].text: missing",
            "add `text:` to this list item",
        ),
        id="union-example-missing-text",
    ),
    pytest.param(
        variant("{term: refugee, lemma: true}", "{term: refugee, lemmas: true}"),
        (
            "E303",
            11,
            38,
            "concepts.migrants.terms.en[1].lemmas: unknown key",
            "did you mean 'lemma'?",
        ),
        id="union-term-unknown-key",
    ),
    pytest.param(
        variant('terms: ["resilien*"]', 'terms: "resilien*"'),
        (
            "E303",
            8,
            12,
            "concepts.resilience.terms: expected a list or a mapping, found a text ('resilien*')",
            'terms: ["resilien*"]',
        ),
        id="union-terms-text",
    ),
    pytest.param(
        variant("    terms: [not, never]", "    terms: [no, never]"),
        (
            "E303",
            14,
            13,
            "concepts.negation.terms[0]: expected a text, found true/false (false)",
            'put it in quotes: "no"',
        ),
        id="yaml-no-is-false",
    ),
    pytest.param(
        variant("NEAR/6 {resilience}", "NEAR/6"),
        (
            "E304",
            23,
            38,
            "dimensions.locus.codes.attribute.rules[0].match: query syntax error: "
            "the query ends too early",
            "add a term after it",
        ),
        id="query-end",
    ),
    pytest.param(
        variant("'{resilience} NEAR/2 economy'", "'{resilience} NEAR/2 (NOT economy)'"),
        (
            "E304",
            24,
            43,
            "rules[0].unless[0]: query syntax error: NEAR/k needs words on both sides",
            "put NOT outside",
        ),
        id="query-in-unless",
    ),
    pytest.param(
        variant("NEAR/6 {resilience}", "NEAR/6 {resiliance}"),
        (
            "E305",
            23,
            39,
            "rules[0].match: unknown concept 'resiliance'",
            "did you mean 'resilience'?",
        ),
        id="unknown-concept-in-query",
    ),
    pytest.param(
        variant("all: [resilience, migrants]", "all: [resilience, migrant]"),
        ("E305", 5, 21, "retrieval.all[1]: unknown concept 'migrant'", "did you mean 'migrants'?"),
        id="unknown-concept-in-retrieval",
    ),
    pytest.param(
        variant(
            "        examples:",
            "          - id: migrants-show\n            match: resilien*\n        examples:",
        ),
        (
            "E306",
            26,
            17,
            "rules[1].id: duplicate rule id 'migrants-show'",
            "the first is on line 22",
        ),
        id="duplicate-rule-id",
    ),
    pytest.param(
        variant("absent: {of: [attribute]}", "absent: {of: [atribute]}"),
        (
            "E307",
            33,
            23,
            "dimensions.locus.codes.no_locus.absent.of[0]: 'atribute' is not a code of this "
            "dimension",
            "did you mean 'attribute'?",
        ),
        id="absent-unknown-code",
    ),
    pytest.param(
        variant("absent: {of: [attribute]}", "absent: {of: [attribute, no_locus]}"),
        ("E307", 33, 34, "of[1]: 'no_locus' is itself an absence code", "codes whose absence"),
        id="absent-of-absence",
    ),
    pytest.param(
        variant(
            "      no_locus:",
            "      resource:\n        definition: A resource.\n"
            "        rules: [{id: res, match: economy}]\n      no_locus:",
        ),
        (
            "E307",
            36,
            22,
            "no_locus.absent.of: the dimension is exclusive, but `absent.of` leaves out resource",
            "add resource to `of:`",
        ),
        id="exclusive-absence-leaves-out-a-code",
    ),
    pytest.param(
        variant("absent: {of: [attribute]}", "rules: []"),
        (
            "E307",
            32,
            9,
            "dimensions.locus.codes.no_locus: the code has neither `rules` nor `absent`",
            "add `rules:`",
        ),
        id="neither-rules-nor-absent",
    ),
    pytest.param(
        variant("        absent:", "        rules: [{id: x, match: a}]\n        absent:"),
        ("E307", 34, 9, "no_locus: a code has `rules` or `absent`, not both", "remove `absent:`"),
        id="rules-and-absent",
    ),
    pytest.param(
        variant("language: en", "language: en\nunit: window"),
        ("E309", 4, 7, "unit: `unit: window` needs a window of at least 1", "add `window: 1`"),
        id="window-unit-needs-window",
    ),
    pytest.param(
        variant("language: en", "language: en\nwindow: 2"),
        ("E309", 4, 9, "window: `window: 2` is set but the unit is 'sentence'", "unit: window"),
        id="window-without-unit",
    ),
    pytest.param(
        variant("  all: [resilience, migrants]", '  all: [resilience]\n  query: "a"'),
        ("E309", 5, 3, "retrieval: has both `all` and `query`", "give exactly one"),
        id="retrieval-both",
    ),
    pytest.param(
        variant("  all: [resilience, migrants]", "  all: []"),
        ("E309", 5, 3, "retrieval: has neither `all` nor `query`", "give exactly one"),
        id="retrieval-neither",
    ),
    pytest.param(
        variant("- Refugees have shown", "- [Refugees, have] # shown"),
        (
            "E303",
            27,
            13,
            "examples[0]: expected a text or a mapping (text, ",
            "write a text, or a mapping",
        ),
        id="union-example-list",
    ),
    pytest.param(
        variant("  all: [resilience, migrants]", "  all: resilience"),
        (
            "E303",
            5,
            8,
            "retrieval.all: expected a list, found a text",
            'write a list: ["resilience"]',
        ),
        id="wrong-type-list",
    ),
    pytest.param(
        variant("dimensions:\n", "dimensions:\n  empty: {codes: {}}\n"),
        ("E303", 16, 18, "dimensions.empty.codes: is empty", "write at least one item"),
        id="empty-codes",
    ),
    pytest.param(
        variant("  negation:\n", "  negative:\n"),
        (
            "E309",
            25,
            23,
            "rules[0].negation: negation needs the concept 'negation', which is not defined",
            "define `negation:` under `concepts:`",
        ),
        id="negation-concept",
    ),
    pytest.param(
        variant("language: en\n", "language: en\nnegation_exceptions: not_ony\n"),
        ("E305", 4, 22, "negation_exceptions: unknown concept 'not_ony'", "define `not_ony:`"),
        id="negation-exceptions-concept",
    ),
    pytest.param(
        variant("{term: refugee, lemma: true}", "{term: refugee*, lemma: true}"),
        ("E309", 11, 29, "terms.en[1].term: a lemma term cannot have *", "remove the *"),
        id="lemma-star",
    ),
    pytest.param(
        variant("      fr: [migrant*]", "      FRA: [migrant*]"),
        ("E309", 12, 7, "concepts.migrants.terms.FRA: bad language code 'FRA'", "2-letter"),
        id="language-key",
    ),
    pytest.param(
        variant("language: en", "language: de"),
        (
            "E309",
            11,
            7,
            "concepts.migrants.terms: no terms for the codebook's language 'de'",
            "add `de: [...]`",
        ),
        id="language-missing-terms",
    ),
    pytest.param(
        variant("note: plain}", "note: plain, language: French}"),
        (
            "E309",
            28,
            70,
            "examples[1].language: bad language code 'French'",
            "2-letter lower case code",
        ),
        id="example-language",
    ),
    pytest.param(
        variant('terms: ["resilien*"]', "terms: []"),
        ("E309", 8, 12, "concepts.resilience.terms: no terms", "add at least one term"),
        id="empty-terms",
    ),
    pytest.param(
        variant('terms: ["resilien*"]', 'terms: ["resilien*", "bounce  back"]'),
        (
            "E303",
            8,
            26,
            "concepts.resilience.terms[1]: bad term 'bounce  back'",
            "single spaces between its words",
        ),
        id="plain-term-spaces",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_malformed_codebook(tmp_path: Path, text: str, expected: tuple[str, ...]) -> None:
    code, line, col, message, hint = expected
    found = only_problem(tmp_path, text)
    assert (found.code, found.location.line, found.location.col) == (code, line, col), found
    assert message in found.message
    assert hint in found.hint
    assert found.location.file == str(tmp_path / "codebook.yml")
    assert found.severity == "error"


def test_unknown_key_lists_allowed_keys(tmp_path: Path) -> None:
    found = only_problem(tmp_path, variant("    exclusive: true", "    zzz: true"))
    assert found.message == "dimensions.locus.zzz: unknown key"
    assert found.hint == (
        "the keys allowed here are label, description, exclusive, window, review, review_margin, "
        "requires, unless_within, when, codes"
    )


def test_a_misspelt_required_key_is_one_problem(tmp_path: Path) -> None:
    text = variant("        definition: Resilience", "        definitoin: Resilience")
    found = only_problem(tmp_path, text)
    assert found.message == "dimensions.locus.codes.attribute.definitoin: unknown key"
    assert found.hint == "did you mean 'definition'?"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = variant("version: 1.0.0", "version: 1.0")
    text = text.replace("    exclusive: true", "    exclusiv: true")
    text = text.replace("negation: 3", "negation: 30")
    problems = validate_codebook(write(tmp_path, text))
    assert [(item.code, item.location.line, item.location.col) for item in problems] == [
        ("E303", 2, 10),
        ("E303", 17, 5),
        ("E303", 25, 23),
    ]
    assert problems[2].message.endswith("rules[0].negation: 30 is out of range")
    assert problems[2].hint == "use a whole number at most 20"
    with pytest.raises(CodebookError) as caught:
        load_codebook(write(tmp_path, text))
    assert caught.value.problems == problems


def test_every_cross_check_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = variant("all: [resilience, migrants]", "all: [resilience, migrant]")
    text = text.replace("NEAR/6 {resilience}", "NEAR/6 (").replace("of: [attribute]", "of: [x]")
    problems = validate_codebook(write(tmp_path, text))
    assert [(item.code, item.location.line) for item in problems] == [
        ("E305", 5),
        ("E304", 23),
        ("E307", 33),
    ]


def test_codebook_error_is_a_usage_error_listing_every_problem(tmp_path: Path) -> None:
    text = variant("version: 1.0.0", "version: 1.0").replace("exclusive: true", "exclusiv: 1")
    file = write(tmp_path, text)
    with pytest.raises(UsageError) as caught:
        load_codebook(file)
    error = caught.value
    assert isinstance(error, CodebookError)
    assert error.problem == error.problems[0]
    lines = str(error).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{file}:2:10: E303 version: expected a text")
    assert lines[1].startswith(f"{file}:17:5: E303 dimensions.locus.exclusiv: unknown key")
    assert error.one_line() == str(error)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "(top level): no value (expected a mapping)"),
        ("- a\n- b\n", 1, "(top level): expected a mapping, found a list"),
    ],
)
def test_not_a_mapping(tmp_path: Path, text: str, line: int, message: str) -> None:
    found = only_problem(tmp_path, text)
    assert (found.code, found.location.line, found.location.col) == ("E303", line, 1)
    assert found.message == message
    assert "name, version" in found.hint


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yml"
    path.write_bytes(b"name: demo\ntitle: caf\xe9\n")
    problems = validate_codebook(path)
    assert [(item.code, item.location.line, item.message) for item in problems] == [
        ("E301", 2, "invalid YAML: not UTF-8 text")
    ]


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yml"
    with pytest.raises(CodebookError) as caught:
        load_codebook(missing)
    found = caught.value.problem
    assert found.code == "E308"
    assert found.message == f"codebook not found: {missing}"
    assert found.location.file == str(missing)


# --- shipped codebooks ----------------------------------------------------------------------------


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "codebooks"
    folder.mkdir()
    (folder / "demo.yml").write_text(VALID, encoding="utf-8")
    (folder / "other-book.yml").write_text(VALID.replace("name: demo", "name: other-book"))
    (folder / "notes.txt").write_text("not a codebook")
    monkeypatch.setattr(load, "_shipped_folder", lambda: folder)
    return folder


def test_a_shipped_codebook_loads_by_name(shipped: Path) -> None:
    assert list(shipped_codebooks()) == ["demo", "other-book"]
    loaded = load_codebook("demo")
    assert loaded.source == "demo"
    assert loaded.path == shipped / "demo.yml"
    assert loaded.codebook.name == "demo"
    assert loaded.location(("version",)).file == "demo"


def test_an_unknown_name_lists_the_shipped_ones(shipped: Path) -> None:
    problems = validate_codebook("dmeo")
    assert [item.code for item in problems] == ["E308"]
    assert problems[0].message == "codebook not found: dmeo"
    assert problems[0].hint.endswith("shipped codebook (demo, other-book)")


def test_a_path_is_not_taken_for_a_name(shipped: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    file = write(other, VALID.replace("version: 1.0.0", "version: 2.0.0"), "demo.yml")
    assert load_codebook(file).codebook.version == "2.0.0"
    assert load_codebook(Path(file)).source == file


def test_no_shipped_folder_means_no_shipped_codebooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "_shipped_folder", lambda: tmp_path / "missing")
    assert shipped_codebooks() == {}
    assert validate_codebook("demo")[0].hint.endswith("(none is installed)")


def _real_shipped() -> list[str]:
    folder = resources.files("resdiscourse") / "codebooks"
    if not folder.is_dir():
        return []
    return sorted(item.name[:-4] for item in folder.iterdir() if item.name.endswith(".yml"))


@pytest.mark.skipif(not _real_shipped(), reason="no shipped codebooks yet")
@pytest.mark.parametrize("name", _real_shipped() or ["none"])
def test_every_shipped_codebook_is_valid(name: str) -> None:
    assert [item.one_line() for item in validate_codebook(name)] == []
    assert load_codebook(name).codebook.name == name


# --- versions of shipped codebooks ----------------------------------------------------------------


@pytest.fixture
def versioned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Shipped ``demo`` at 2.0.0 with 1.0.0 and 1.10.0 kept in ``versions/``."""
    folder = tmp_path / "codebooks"
    (folder / "versions").mkdir(parents=True)
    (folder / "demo.yml").write_text(VALID.replace("version: 1.0.0", "version: 2.0.0"))
    (folder / "versions" / "demo@1.0.0.yml").write_text(VALID, encoding="utf-8")
    ten = VALID.replace("version: 1.0.0", "version: 1.10.0")
    (folder / "versions" / "demo@1.10.0.yml").write_text(ten, encoding="utf-8")
    monkeypatch.setattr(load, "_shipped_folder", lambda: folder)
    return folder


def test_name_at_version_loads_the_archived_file(versioned: Path) -> None:
    loaded = load_codebook("demo@1.0.0")
    archived = versioned / "versions" / "demo@1.0.0.yml"
    assert loaded.codebook.version == "1.0.0"
    assert loaded.path == archived
    assert loaded.sha256 == hashlib.sha256(archived.read_bytes()).hexdigest()
    assert loaded.source == "demo@1.0.0"
    assert loaded.location(("version",)).file == "demo@1.0.0"


def test_name_at_the_current_version_is_the_current_file(versioned: Path) -> None:
    loaded = load_codebook("demo@2.0.0")
    assert loaded.path == versioned / "demo.yml"
    assert loaded.sha256 == load_codebook("demo").sha256


def test_archived_versions_are_not_codebooks_of_their_own(versioned: Path) -> None:
    assert list(shipped_codebooks()) == ["demo"]
    assert load.shipped_versions("demo") == ["1.0.0", "1.10.0", "2.0.0"]
    assert list(load.archived_versions("demo")) == ["1.0.0", "1.10.0"]
    assert load.shipped_versions("other") == []


@pytest.mark.parametrize("source", ["demo@3.0.0", "demo@", "demo@1.0"])
def test_an_unknown_version_is_E609_listing_the_versions(versioned: Path, source: str) -> None:
    with pytest.raises(CodebookError) as caught:
        load_codebook(source)
    found = caught.value.problem
    assert found.code == "E609"
    assert found.message.startswith("codebook demo has no version ")
    assert found.hint == (
        "the versions shipped are 1.0.0, 1.10.0, 2.0.0 (current); write demo alone for the "
        "current one"
    )
    assert found.location.file == source
    assert isinstance(caught.value, UsageError)


def test_a_version_of_an_unknown_codebook_is_not_found(versioned: Path) -> None:
    problems = validate_codebook("dmeo@1.0.0")
    assert [item.code for item in problems] == ["E308"]


def test_a_file_name_with_an_at_sign_is_a_path(versioned: Path, tmp_path: Path) -> None:
    file = write(tmp_path, VALID, "demo@9.yml")
    assert load_codebook(file).path == Path(file)


def test_versions_sort_by_number() -> None:
    versions = ["1.10.0", "1.9.0", "1.0.0", "2.0.0", "1.9.1"]
    assert sorted(versions, key=load.version_key) == ["1.0.0", "1.9.0", "1.9.1", "1.10.0", "2.0.0"]


# --- example provenance and retrieval variants ----------------------------------------------------


def test_an_example_carries_its_source_year_and_publisher(tmp_path: Path) -> None:
    text = variant(
        '          - {text: "Migrants are resilient.", note: plain}',
        '          - {text: "Migrants are resilient.", source: "https://example.org/plan.pdf",'
        " year: 2019, publisher: City of Example}",
    )
    code = load_codebook(write(tmp_path, text)).codebook.dimensions["locus"].codes["attribute"]
    plain, sourced = code.examples
    assert plain == "Refugees have shown remarkable resilience."
    assert not isinstance(sourced, str)
    assert (sourced.source, sourced.year, sourced.publisher) == (
        "https://example.org/plan.pdf",
        2019,
        "City of Example",
    )


def test_an_example_year_is_a_whole_number(tmp_path: Path) -> None:
    text = variant(
        '{text: "Migrants are resilient.", note: plain}',
        '{text: "Migrants are resilient.", year: "twenty"}',
    )
    found = only_problem(tmp_path, text)
    assert found.code == "E303"
    assert found.message.startswith("dimensions.locus.codes.attribute.examples[1].year")


WIDE = """\
  all: [resilience, migrants]
  variants:
    wide:
      description: migration as a process
      all: [resilience, migration]
    near:
      query: "{resilience} NEAR/5 {migrants}"
"""


def with_variants(tmp_path: Path, old: str = "", new: str = "") -> str:
    text = variant("  all: [resilience, migrants]\n", WIDE.replace(old, new) if old else WIDE)
    return text.replace("  negation:\n", "  migration:\n    terms: [migration]\n  negation:\n")


def test_retrieval_variants_load(tmp_path: Path) -> None:
    book = load_codebook(write(tmp_path, with_variants(tmp_path))).codebook
    assert list(book.retrieval.variants) == ["wide", "near"]
    assert book.retrieval.variants["wide"].description == "migration as a process"
    assert book.retrieval.variants["near"].query == "{resilience} NEAR/5 {migrants}"


def test_a_variant_with_an_unknown_concept_is_located(tmp_path: Path) -> None:
    text = with_variants(tmp_path, "[resilience, migration]", "[resilience, migrationn]")
    found = only_problem(tmp_path, text)
    assert found.code == "E305"
    assert found.message == "retrieval.variants.wide.all[1]: unknown concept 'migrationn'"
    line = text.splitlines()[found.location.line - 1]
    assert line[found.location.col - 1 :].startswith("migrationn")
    assert found.hint == "did you mean 'migration'?"


def test_a_variant_query_is_checked(tmp_path: Path) -> None:
    text = with_variants(tmp_path, "{resilience} NEAR/5 {migrants}", "{resilience} NEAR/5 {nobody}")
    found = only_problem(tmp_path, text)
    assert found.code == "E305"
    assert found.message == "retrieval.variants.near.query: unknown concept 'nobody'"
    line = text.splitlines()[found.location.line - 1]
    assert line[found.location.col - 1 :].startswith("{nobody}")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      query: ",
            "      all: [resilience]\n      query: ",
            "retrieval.variants.near: has both `all` and `query`",
        ),
        (
            "    near:\n      query",
            "    default:\n      query",
            "retrieval.variants.default: 'default' names the codebook's own retrieval",
        ),
    ],
)
def test_a_variant_is_checked_like_the_default(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    found = only_problem(tmp_path, with_variants(tmp_path, old, new))
    assert found.code == "E309"
    assert found.message == message


# --- clause word lists, requires: and when: (issue 11) --------------------------------------------


def test_requires_must_name_a_code_of_an_earlier_dimension(tmp_path: Path) -> None:
    text = variant(
        "    exclusive: true\n", '    exclusive: true\n    requires: ["locus:atribute"]\n'
    )
    found = only_problem(tmp_path, text)
    assert found.code == "E307"
    assert found.location.line == 18
    assert "'locus:atribute' is not a code of a dimension coded before this one" in found.message


def test_a_rule_may_require_a_code_of_an_earlier_dimension(tmp_path: Path) -> None:
    later = """
  valence:
    requires: ["locus:attribute"]
    codes:
      asset:
        definition: x
        rules: [{id: shown, match: "shown", requires: ["locus:no_locus"]}]
"""
    assert validate_codebook(write(tmp_path, VALID + later)) == []


def test_when_is_checked_as_a_query(tmp_path: Path) -> None:
    text = variant("    exclusive: true\n", "    exclusive: true\n    when: '{lowercase}'\n")
    found = only_problem(tmp_path, text)
    assert (found.code, found.location.line) == ("E305", 18)


@pytest.mark.parametrize("key", ["openers", "relatives", "coordinators"])
def test_clause_word_lists_must_be_concepts(tmp_path: Path, key: str) -> None:
    text = variant("dimensions:\n", f"clauses:\n  {key}: subordinators\ndimensions:\n")
    found = only_problem(tmp_path, text)
    assert found.code == "E305"
    assert found.message == f"clauses.{key}: unknown concept 'subordinators'"
    assert (found.location.line, found.location.col) == (16, len(key) + 5)  # the value


# --- terms written as regular expressions -----------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "col", "found"),
    [
        ('["immigr[a-z]+", refugee]', 19, "["),
        ('["refugee.*|newcomer"]', 20, ".*"),
        ("['\\bnewcomers?\\b']", 13, "\\"),
        ("[migrant*, {term: 'newcomers?', case: true}]", 39, "?"),
    ],
)
def test_a_term_that_looks_like_a_regular_expression_is_E310(
    tmp_path: Path, terms: str, col: int, found: str
) -> None:
    text = variant("      fr: [migrant*]", f"      fr: {terms}")
    item = only_problem(tmp_path, text)
    assert item.code == "E310"
    assert (item.location.line, item.location.col) == (12, col)  # the fr: line
    assert f"({found!r})" in item.message
    assert "`*` inside a word" in item.hint


@pytest.mark.parametrize("term", ["U.S.", "2SLGBTQ+", "d'asile", "*migrant*", "Kingston-upon-Hull"])
def test_dots_pluses_and_wildcards_are_terms(tmp_path: Path, term: str) -> None:
    text = variant("      fr: [migrant*]", f'      fr: [migrant*, "{term}"]')
    assert validate_codebook(write(tmp_path, text)) == []


# --- named patterns ---------------------------------------------------------------------------

PATTERNS = "patterns:\n  owned: '{migrants} BEFORE/2 {resilience}'\ndimensions:\n"


def test_a_rule_may_name_a_pattern(tmp_path: Path) -> None:
    text = variant("dimensions:\n", PATTERNS).replace(
        'match: "{migrants} NEAR/6 {resilience}"', 'match: "{owned} OR {resilience} NEAR/1 of"'
    )
    assert validate_codebook(write(tmp_path, text)) == []


def test_a_pattern_naming_an_unknown_concept_is_E305_at_its_column(tmp_path: Path) -> None:
    text = variant("dimensions:\n", PATTERNS.replace("{migrants}", "{migrantz}"))
    found = only_problem(tmp_path, text)
    assert found.code == "E305" and "migrantz" in found.message
    assert (found.location.line, found.location.col) == (16, 11)
    assert "did you mean 'migrants'" in found.hint


def test_patterns_that_use_each_other_in_a_cycle_are_E311(tmp_path: Path) -> None:
    cycle = (
        "patterns:\n  one: '{two} OR refugee'\n  two: '{one} NEAR/2 {resilience}'\ndimensions:\n"
    )
    problems = validate_codebook(write(tmp_path, variant("dimensions:\n", cycle)))
    assert [(item.code, item.location.line) for item in problems] == [("E311", 16), ("E311", 17)]
    assert "one -> two -> one" in problems[0].message


def test_a_pattern_may_not_share_a_concepts_name(tmp_path: Path) -> None:
    text = variant("dimensions:\n", "patterns:\n  migrants: 'refugee*'\ndimensions:\n")
    found = only_problem(tmp_path, text)
    assert found.code == "E309" and "both a concept and a pattern" in found.message
    assert found.location.line == 16
