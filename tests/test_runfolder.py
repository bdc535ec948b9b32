"""Run folders: marked so that no run reads another's outputs as documents, written
whole and swapped in, refused by readers when incomplete or mixed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import resdiscourse.run as run_module
from resdiscourse.cli.main import app
from resdiscourse.errors import UsageError
from resdiscourse.export.run_export import export_run
from resdiscourse.ingest.corpus import ingest_corpus
from resdiscourse.ingest.plan import walk_corpus
from resdiscourse.report import build_report
from resdiscourse.run import code_corpus
from resdiscourse.rundir import load_run
from resdiscourse.runfolder import (
    MARKER,
    RunInterrupted,
    is_tool_folder,
    make_folder,
    marker_bytes,
    staging_folder,
)
from resdiscourse.sample import sample_run

DEMO = Path(__file__).resolve().parents[1] / "src" / "resdiscourse" / "corpora" / "demo"
SENTENCE = "Refugees show resilience in Toronto. Newcomers are resilient."


def small_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (folder / "b.txt").write_text("Immigrants and resilience. " + SENTENCE, encoding="utf-8")
    return folder


def snapshot(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and ".cache" not in path.parts and path.name != "timings.json"
    }


# --- the marker and the corpus walk ---------------------------------------------------------------


def test_a_run_inside_the_corpus_is_not_read_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(DEMO, corpus)
    monkeypatch.chdir(corpus)
    first = code_corpus(".")  # the default --out: resdiscourse-out/corpus inside the corpus
    assert (corpus / "resdiscourse-out" / MARKER).read_bytes() == marker_bytes()
    assert (corpus / "resdiscourse-out" / "corpus" / MARKER).is_file()
    assert not [p for p in first.problems if p.code == "W221"]  # its own folder is no news
    again = code_corpus(".", out=tmp_path / "elsewhere")
    assert len(again.documents) == len(first.documents) == 11
    assert again.segments == first.segments
    assert again.ingest.skipped_folders == ["resdiscourse-out"]
    assert [p.code for p in again.problems if p.code == "W221"] == ["W221"]
    assert again.exit_code == 0


def test_a_run_folder_from_before_the_marker_is_skipped_too(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    old = corpus / "old-run"
    (old / "texts").mkdir(parents=True)
    (old / "texts" / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (old / "run.json").write_text(json.dumps({"resdiscourse": "0.1.0"}), encoding="utf-8")
    # A run.json of another tool does not hide a folder.
    other = corpus / "other"
    other.mkdir()
    (other / "run.json").write_text('{"tool": "else"}', encoding="utf-8")
    (other / "c.txt").write_text(SENTENCE, encoding="utf-8")
    summary = ingest_corpus(corpus, out=tmp_path / "out")
    assert [d.file for d in summary.documents] == ["a.txt", "b.txt", "other/c.txt"]
    assert summary.skipped_folders == ["old-run"]


def test_a_run_folder_given_as_the_corpus_is_E220(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code_corpus(small_corpus(tmp_path / "corpus"), out=out)
    with pytest.raises(UsageError) as caught:
        code_corpus(out, out=tmp_path / "again")
    assert caught.value.problem.code == "E220"
    assert not (tmp_path / "again").exists()


def test_every_folder_a_command_creates_is_marked(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "run"
    code_corpus(small_corpus(tmp_path / "corpus"), out=out)
    assert all(
        (folder / MARKER).is_file() for folder in (tmp_path / "a", tmp_path / "a" / "b", out)
    )
    assert not (tmp_path / MARKER).exists()  # it existed: not the tool's
    build_report(out, out=tmp_path / "report")
    export_run(out, tidy=tmp_path / "exports" / "tidy.csv")
    sample_run(out, n=1, out=tmp_path / "sample")
    for name in ("report", "exports", "sample"):
        assert (tmp_path / name / MARKER).is_file(), name
    corpus_again = walk_corpus(tmp_path)[0]
    assert corpus_again == ["corpus/a.txt", "corpus/b.txt"]


@pytest.mark.parametrize(("given", "code"), [("", "E224"), (".", "E207")])
def test_an_out_that_is_the_current_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, code: str
) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as caught:
        code_corpus(corpus, out=given)
    assert caught.value.problem.code == code
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


# A tree: folder paths (up to 3 levels of names a-c) -> (marked how, files in it).
_NAMES = st.sampled_from(["a", "b", "c"])
_FOLDERS = st.lists(st.lists(_NAMES, min_size=1, max_size=3).map(tuple), max_size=6, unique=True)
_MARKS = st.sampled_from(["none", "marker", "run.json", "foreign run.json"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(folders=_FOLDERS, marks=st.lists(_MARKS, min_size=6, max_size=6))
def test_the_walk_never_returns_a_file_under_a_marked_folder(
    tmp_path_factory: pytest.TempPathFactory, folders: list[tuple[str, ...]], marks: list[str]
) -> None:
    root = tmp_path_factory.mktemp("tree")
    marked: list[Path] = []
    for parts, mark in zip(folders, marks, strict=False):
        folder = root.joinpath(*parts)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "doc.txt").write_text(SENTENCE, encoding="utf-8")
        if mark == "marker":
            (folder / MARKER).write_bytes(marker_bytes())
        elif mark in ("run.json", "foreign run.json"):
            key = "resdiscourse" if mark == "run.json" else "tool"
            (folder / "run.json").write_text(json.dumps({key: "1"}), encoding="utf-8")
        if mark in ("marker", "run.json"):
            marked.append(folder)
    found = walk_corpus(root)[0]
    for file in found:
        assert not any((root / file).is_relative_to(folder) for folder in marked), file
    expected = {
        path.relative_to(root).as_posix()
        for path in root.rglob("doc.txt")
        if not any(path.is_relative_to(folder) for folder in marked)
    }
    assert set(found) == expected
    assert all(is_tool_folder(folder) for folder in marked)


# --- written whole ---------------------------------------------------------------------


def test_run_json_records_completeness_and_every_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code_corpus(small_corpus(tmp_path / "corpus"), out=out)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["complete"] is True
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    listed = set(run["outputs"])
    assert listed == {
        f for f in files if not f.startswith(".") and f not in ("run.json", "timings.json")
    }
    assert {"segments.csv", "texts/a.txt", "pages/a.json", "codebook.yml"} <= listed
    assert not staging_folder(out).exists()


def test_an_interrupted_run_leaves_the_earlier_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    code_corpus(corpus, out=out)
    before = snapshot(out)
    (corpus / "c.txt").write_text("Asylum seekers, resilience.", encoding="utf-8")

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(run_module, "_code_all", interrupt)
    with pytest.raises(RunInterrupted) as caught:
        code_corpus(corpus, out=out)
    assert caught.value.problem.code == "E223"
    assert "as it was" in caught.value.problem.message
    assert "cache" in caught.value.problem.hint
    assert snapshot(out) == before
    assert not staging_folder(out).exists()
    # The document read before the interruption is in the cache the next run uses.
    monkeypatch.undo()
    again = code_corpus(corpus, out=out)
    assert again.ingest.cached == 3


def test_a_first_run_interrupted_keeps_only_its_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    monkeypatch.setattr(
        run_module, "_code_all", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt)
    )
    with pytest.raises(RunInterrupted) as caught:
        code_corpus(corpus, out=out)
    assert "nothing was written" in caught.value.problem.message
    assert not out.exists()
    monkeypatch.undo()
    assert code_corpus(corpus, out=out).ingest.cached == 2
    assert not staging_folder(out).exists()


def test_a_rerun_replaces_the_run_and_keeps_other_files(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    code_corpus(corpus, out=out, format="xlsx")
    build_report(out)
    (out / "my-notes.txt").write_text("mine", encoding="utf-8")
    (corpus / "b.txt").unlink()
    code_corpus(corpus, out=out)
    assert not (out / "segments.xlsx").exists()  # the earlier run's
    assert sorted(p.name for p in (out / "texts").iterdir()) == ["a.txt"]
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "report" / "report.html").is_file()


def test_the_cli_says_what_ctrl_c_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    monkeypatch.setattr(
        run_module, "_code_all", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt)
    )
    result = CliRunner().invoke(app, ["code", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 130
    assert "E223 interrupted: nothing was written" in result.output
    assert "again" in result.output


# --- readers ---------------------------------------------------------------------------


@pytest.fixture
def coded(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    code_corpus(small_corpus(tmp_path / "corpus"), out=out)
    return out


def _edit_run(out: Path, **changes: object) -> None:
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            run.pop(key)
        else:
            run[key] = value
    (out / "run.json").write_text(json.dumps(run), encoding="utf-8")


def test_readers_refuse_an_incomplete_folder(coded: Path) -> None:
    _edit_run(coded, complete=False)
    for read in (load_run, build_report, lambda f: export_run(f, tidy=f / "t.csv")):
        with pytest.raises(UsageError) as caught:
            read(coded)
        assert caught.value.problem.code == "E221"


def test_a_staging_folder_left_behind_is_refused(coded: Path, tmp_path: Path) -> None:
    partial = tmp_path / "partial"
    make_folder(partial)
    (partial / "run.json").write_text('{"resdiscourse": "0.1.0", "complete": false}')
    with pytest.raises(UsageError) as caught:
        load_run(partial)
    assert caught.value.problem.code == "E221"


@pytest.mark.parametrize("change", ["edit", "remove"])
def test_readers_refuse_a_table_that_is_not_the_runs(coded: Path, change: str) -> None:
    segments = coded / "segments.csv"
    if change == "edit":
        segments.write_text(segments.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    else:
        (coded / "texts" / "a.txt").unlink()
    with pytest.raises(UsageError) as caught:
        load_run(coded)
    assert caught.value.problem.code == "E222"


def test_a_folder_from_before_the_record_reads_with_a_warning(coded: Path, tmp_path: Path) -> None:
    _edit_run(coded, complete=None, outputs=None)
    assert [p.code for p in load_run(coded).problems] == ["W220"]
    assert [p.code for p in build_report(coded).problems] == ["W220"]
    exported = export_run(coded, tidy=tmp_path / "t.csv")
    assert [p["code"] for p in exported.to_dict()["problems"]] == ["W220"]
    result = CliRunner().invoke(app, ["report", str(coded)])
    assert result.exit_code == 0
    assert "W220" in result.output
