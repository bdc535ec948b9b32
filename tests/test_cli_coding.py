"""The command line of code, search and codebook: JSON equal to the library, exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resdiscourse.cli.main import app
from resdiscourse.codebook.describe import describe_codebook
from resdiscourse.codebook.load import load_codebook, validate_codebook

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
    assert "attribute" in result.stderr
    assert "locus" in result.stderr


def test_codebook_validate_json_is_the_problem_list(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(VALID.replace("NEAR/5", "NEAR5"), encoding="utf-8")
    result = runner.invoke(app, ["codebook", "validate", str(bad), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == [p.to_dict() for p in validate_codebook(str(bad))]
