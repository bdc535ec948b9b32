"""The command line of code, search and codebook: JSON equal to the library, exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resdiscourse.cli.main import app
from resdiscourse.codebook.describe import describe_codebook
from resdiscourse.codebook.load import load_codebook, validate_codebook
from tests.review_run import write_review_corpus

runner = CliRunner()
VALID = """\
name: tiny
version: "1"
retrieval: {all: [resilience, migrants]}
concepts:
  resilience: {terms: ["resilien*"]}
  migrants: {terms: ["refugee*", "newcomer*"]}
dimensions:
  locus:
    exclusive: true
    codes:
      attribute:
        definition: Resilience is something migrants show.
        rules: [{id: show, match: "{migrants} NEAR/5 {resilience}"}]
        examples: ["Refugees show resilience."]
        counterexamples: ["Refugees arrived. The bridge is resilient."]
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Refugees have shown remarkable resilience.", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "command",
    [["code"], ["search"], ["codebook", "validate"], ["codebook", "test"], ["codebook", "show"]],
)
def test_help_has_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert f"Example: resdiscourse {' '.join(command)} " in result.stdout


def test_code_json_is_the_summary(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["code", str(corpus), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["segments"] == 1
    assert data["codebook"] == "bhuyan-leung-2021"
    assert data["out"] == str(out)
    assert (out / "segments.csv").is_file()


def test_code_with_an_invalid_codebook_exits_2_with_every_problem(
    corpus: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(VALID.replace('version: "1"', 'version: "1"\nunit: lines\nfoo: 1'), "utf-8")
    result = runner.invoke(app, ["code", str(corpus), "--codebook", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{bad}:") and " E303 " in line for line in lines)


def test_search_prints_kwic_lines(corpus: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["search", str(corpus), "refugee* NEAR/5 resilien*"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\t")[0] == "a"
    assert "Refugees have shown remarkable resilience" in result.stdout
    assert "1 hits in 1 sentences of 1 documents" in result.stderr


def test_search_syntax_error_exits_2(corpus: Path) -> None:
    result = runner.invoke(app, ["search", str(corpus), "refugee* NEAR resilien*"])
    assert result.exit_code == 2
    assert "E212" in result.stderr


def test_codebook_validate(tmp_path: Path) -> None:
    good = tmp_path / "good.yml"
    good.write_text(VALID, encoding="utf-8")
    assert runner.invoke(app, ["codebook", "validate", str(good)]).exit_code == 0
    bad = tmp_path / "bad.yml"
    bad.write_text(VALID.replace("NEAR/5", "NEAR5"), encoding="utf-8")
    result = runner.invoke(app, ["codebook", "validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:13:" in result.stderr and "E304" in result.stderr


def test_codebook_test_reports_per_code_and_fails_with_exit_1(tmp_path: Path) -> None:
    good = tmp_path / "good.yml"
    good.write_text(VALID, encoding="utf-8")
    result = runner.invoke(app, ["codebook", "test", str(good), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["per_code"] == [
        {
            "dimension": "locus",
            "code": "attribute",
            "examples": 1,
            "examples_passed": 1,
            "counterexamples": 1,
            "counterexamples_passed": 1,
        }
    ]
    failing = tmp_path / "failing.yml"
    failing.write_text(VALID.replace("Refugees show resilience.", "Refugees are tired."), "utf-8")
    result = runner.invoke(app, ["codebook", "test", str(failing)])
    assert result.exit_code == 1
    assert f"FAIL {failing}:14:" in result.stderr
    assert "not retrieved" in result.stderr


def test_codebook_show_json_is_the_description() -> None:
    result = runner.invoke(app, ["codebook", "show", "bhuyan-leung-2021", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == describe_codebook(load_codebook("bhuyan-leung-2021"))
    dimensions = [d["id"] for d in data["dimensions"]]
    assert dimensions[:2] == ["locus", "valence"]


def test_codebook_show_prints_definitions() -> None:
    result = runner.invoke(app, ["codebook", "show", "bhuyan-leung-2021"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "attribute" in result.stdout  # the description is the output: `> file` keeps it
    assert "locus" in result.stdout


def test_codebook_validate_json_is_the_problem_list(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(VALID.replace("NEAR/5", "NEAR5"), encoding="utf-8")
    result = runner.invoke(app, ["codebook", "validate", str(bad), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == [p.to_dict() for p in validate_codebook(str(bad))]


def test_code_says_how_many_segments_need_review(tmp_path: Path) -> None:
    corpus, book = write_review_corpus(tmp_path)
    args = ["code", str(corpus), "--codebook", str(book), "--out", str(tmp_path / "out")]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "2 of 4 segments need review (review=yes in segments.csv)" in result.stderr
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["segments"], data["review"]) == (4, 2)
    assert {d["doc_id"]: d["review"] for d in data["documents"]} == {"a": 1, "b": 1}


# --- versions, retrieval variants, example sources --------------------------------------------

VARIANTS = VALID.replace(
    "retrieval: {all: [resilience, migrants]}\n",
    "retrieval:\n  all: [resilience, migrants]\n  variants:\n    wide:\n"
    "      description: migration as a process\n      all: [resilience, wide]\n",
).replace(
    '  migrants: {terms: ["refugee*", "newcomer*"]}\n',
    '  migrants: {terms: ["refugee*", "newcomer*"]}\n'
    '  wide: {terms: ["refugee*", "newcomer*", "migration"]}\n',
)


@pytest.fixture
def variants(tmp_path: Path) -> Path:
    book = tmp_path / "variants.yml"
    book.write_text(
        VARIANTS.replace(
            'examples: ["Refugees show resilience."]',
            'examples: ["Refugees show resilience.", {text: "Newcomers show resilience.", '
            'source: "https://example.org/plan.pdf", year: 2019, publisher: City of Example}]',
        ),
        encoding="utf-8",
    )
    return book


def test_code_prints_the_retrieval_and_what_the_others_would_add(
    corpus: Path, tmp_path: Path, variants: Path
) -> None:
    (corpus / "b.txt").write_text("Migration makes the city resilient.", encoding="utf-8")
    args = ["code", str(corpus), "--codebook", str(variants)]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "d")], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "retrieval: " not in result.stderr
    assert (
        "wide retrieval (migration as a process) would add 1 segments (not coded; "
        "run.json: retrieval.beside)" in result.stderr
    )
    wide = [*args, "--retrieval", "wide", "--out", str(tmp_path / "w"), "--json"]
    result = runner.invoke(app, wide, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["segments"] == 2
    assert data["retrieval"]["name"] == "wide"
    assert data["retrieval"]["beside"]["default"]["left_out"] == 1
    wide[-1] = "--no-cache"
    result = runner.invoke(app, wide, env={"COLUMNS": "200"})
    assert "retrieval: wide (migration as a process)\n" in result.stderr
    assert "default retrieval would add 0 segments and leave out 1 " in result.stderr


def test_code_with_an_unknown_retrieval_exits_2(corpus: Path, variants: Path) -> None:
    args = ["code", str(corpus), "--codebook", str(variants), "--retrieval", "nope"]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "E610 codebook tiny has no retrieval 'nope'" in result.stderr
    assert "the retrievals are: default, wide (migration as a process)" in result.stderr


def test_code_with_an_unknown_version_exits_2(corpus: Path) -> None:
    args = ["code", str(corpus), "--codebook", "bhuyan-leung-2021@0.9"]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "E609 codebook bhuyan-leung-2021 has no version 0.9" in result.stderr
    assert "1.0.0" in result.stderr


def test_codebook_show_lists_versions_variants_and_example_sources(variants: Path) -> None:
    description = describe_codebook(load_codebook(variants))
    assert description["versions"] == []  # not a shipped codebook
    assert description["retrieval_variants"] == {
        "wide": {
            "description": "migration as a process",
            "query": "({resilience} AND {wide})",
        }
    }
    code = description["dimensions"][0]["codes"][0]
    assert code["sourced"] == 1
    assert code["example_texts"][1] == {
        "kind": "example",
        "text": "Newcomers show resilience.",
        "language": "",
        "source": "https://example.org/plan.pdf",
        "year": 2019,
        "publisher": "City of Example",
    }
    command = ["codebook", "show", str(variants), "--examples"]
    result = runner.invoke(app, command, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "--retrieval wide (migration as a process): ({resilience} AND {wide})" in result.stdout
    assert (
        "+ locus/attribute: Newcomers show resilience. "
        "[City of Example, 2019: https://example.org/plan.pdf]" in result.stdout
    )
    assert "+ locus/attribute: Refugees show resilience.\n" in result.stdout


def test_codebook_show_and_help_list_the_shipped_versions() -> None:
    result = runner.invoke(app, ["codebook", "show", "bhuyan-leung-2021"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "versions shipped: bhuyan-leung-2021@1.0.0, " in result.stdout
    shown = runner.invoke(app, ["codebook", "show", "bhuyan-leung-2021@1.0.0", "--json"])
    assert json.loads(shown.stdout)["version"] == "1.0.0"
    for command in (["code"], ["codebook", "show"]):
        result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
        assert "bhuyan-leung-2021@1.0.0" in " ".join(result.stdout.split())


def test_search_and_validate_take_a_version(corpus: Path) -> None:
    args = ["search", str(corpus), "{resilience} AND {migrants}"]
    result = runner.invoke(app, [*args, "--codebook", "bhuyan-leung-2021@1.0.0"])
    assert result.exit_code == 0, result.output
    assert "remarkable resilience" in result.stdout
    result = runner.invoke(app, ["codebook", "validate", "bhuyan-leung-2021@1.0.0"])
    assert result.exit_code == 0
    assert "bhuyan-leung-2021@1.0.0: valid" in result.stderr
