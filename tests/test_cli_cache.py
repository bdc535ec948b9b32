"""``resdiscourse cache info|clear``: JSON equal to the library's return value, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from resdiscourse.cache import cache_info, write_entry
from resdiscourse.cli.main import app

runner = CliRunner()


def test_info_json_is_the_library_result(tmp_path: Path) -> None:
    write_entry(tmp_path, "ingest", "k", {"text": "x"})
    result = runner.invoke(app, ["cache", "info", "--cache-dir", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == cache_info(tmp_path).to_dict()
    assert json.loads(result.stdout)["kinds"]["ingest"]["entries"] == 1


def test_info_defaults_to_the_xdg_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["cache", "info", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["path"] == str(cache_info().path)


def test_info_for_people_goes_to_stderr(tmp_path: Path) -> None:
    result = runner.invoke(app, ["cache", "info", "--cache-dir", str(tmp_path / "none")])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "does not exist yet" in result.stderr


def test_clear_by_kind_and_all(tmp_path: Path) -> None:
    write_entry(tmp_path, "ingest", "k", {"text": "x"})
    write_entry(tmp_path, "coding", "k", {"rows": []})
    args = ["cache", "clear", "--cache-dir", str(tmp_path)]
    result = runner.invoke(app, [*args, "--kind", "coding", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["removed"] == 1
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "removed 1 files" in result.stderr
    assert cache_info(tmp_path).entries == 0


def test_clear_an_unknown_kind_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["cache", "clear", "--cache-dir", str(tmp_path), "--kind", "x"])
    assert result.exit_code == 2
    assert "E702" in result.stderr


def test_code_takes_cache_dir(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees have shown remarkable resilience.", encoding="utf-8")
    cache = tmp_path / "cache"
    args = ["code", str(corpus), "--cache-dir", str(cache), "--json"]
    first = runner.invoke(app, [*args, "--out", str(tmp_path / "o1")])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, [*args, "--out", str(tmp_path / "o2")])
    assert json.loads(second.stdout)["coded_from_cache"] == 1
    assert cache_info(cache).kinds["coding"].entries == 1
