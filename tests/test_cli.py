"""The command line: exact stdout, JSON equal to the library's return value, exit codes 0/1/2."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resdiscourse.cli.main import app
from resdiscourse.ingest.reader import read_document
from resdiscourse.models import DOCUMENT_COLUMNS

runner = CliRunner()

PLAIN = "Refugees have shown\nremarkable resilience.\n\nNewcomers build   Montréal.\n"
PLAIN_CLEAN = "Refugees have shown remarkable resilience.\n\nNewcomers build Montréal."
MARKDOWN = "# Civic resiliency\n\nToronto *for all* asks residents to\nexamine their biases.\n"
MARKDOWN_CLEAN = "Civic resiliency\n\nToronto for all asks residents to examine their biases."


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- text -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [("plain.txt", PLAIN, PLAIN_CLEAN), ("note.md", MARKDOWN, MARKDOWN_CLEAN)],
)
def test_text_prints_exactly_the_clean_text(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    result = runner.invoke(app, ["text", str(write(tmp_path / name, content))])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == expected.encode("utf-8")
    assert result.stderr == ""


def test_text_json_equals_the_library_result(tmp_path: Path) -> None:
    path = write(tmp_path / "plain.txt", PLAIN)
    result = runner.invoke(app, ["text", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["text", "pages", "engine", "status", "page_map", "problems", "metadata"]
    assert data == read_document(path).to_dict()
    assert data["text"] == PLAIN_CLEAN
    assert data["status"] == "ok"
    assert set(data["page_map"][0]) == {"start", "end", "page", "page_label"}
    assert "é" in result.stdout  # not ASCII-escaped


def test_text_json_of_a_pdf_has_its_layout_blocks() -> None:
    path = Path(__file__).parents[1] / "corpora" / "demo" / "ontario-immigration-progress-2015.pdf"
    result = runner.invoke(app, ["text", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    found = {(data["text"][s:e], kind) for s, e, kind in data["blocks"]}
    assert ("Economic Resilience", "heading") in found
    assert ("• Employment rates and earnings of recent immigrants.", "list_item") in found


def test_text_bad_page_range_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    result = runner.invoke(app, ["text", str(path), "--pages", "5-2"])
    assert result.exit_code == 2
    assert "E201 invalid page range '5-2'" in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_text_unknown_engine_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    result = runner.invoke(app, ["text", str(path), "--engine", "acrobat"])
    assert result.exit_code == 2
    assert "E204 unknown engine 'acrobat'" in result.stderr


def test_text_zero_byte_pdf_exits_1_with_one_problem_line(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    result = runner.invoke(app, ["text", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: E101 empty file")
    assert "(hint: " in lines[0]


def test_text_zero_byte_pdf_json_carries_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    result = runner.invoke(app, ["text", str(path), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["status"] == "error"
    assert [p["code"] for p in data["problems"]] == ["E101"]


def test_text_pages_of_a_pdf(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    from tests.support.synthpdf import Band, Block, DocSpec, PageSpec, build_pdf

    body = " ".join(["Refugees have shown remarkable resilience in rebuilding their lives."] * 4)
    spec = DocSpec(pages=[PageSpec([Band(1, [Block(body)])]) for _ in range(3)])
    path = tmp_path / "three.pdf"
    path.write_bytes(build_pdf(spec).pdf)
    result = runner.invoke(app, ["text", str(path), "--pages", "2-3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [span["page"] for span in data["page_map"]] == [2, 3]
    assert "resilience" in data["text"]


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("resdiscourse ")


def test_every_command_has_help_with_an_example() -> None:
    for command in ("text", "ingest"):
        result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0
        assert f"Example: resdiscourse {command} " in result.stdout


def test_typer_usage_errors_exit_2() -> None:
    assert runner.invoke(app, ["text"]).exit_code == 2
    assert runner.invoke(app, ["ingest", ".", "--jobs", "0"]).exit_code == 2


# --- ingest ---------------------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "policies"
    folder.mkdir()
    write(folder / "toronto-2013.txt", PLAIN)
    write(folder / "civic-2017.md", MARKDOWN)
    return folder


def read_rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "documents.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames is not None
        assert list(reader.fieldnames)[: len(DOCUMENT_COLUMNS)] == list(DOCUMENT_COLUMNS)
        return {row["doc_id"]: row for row in reader}


def test_ingest_text_corpus(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["ingest", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # the summary is for people: stderr
    assert "ok" in result.stderr
    rows = read_rows(out)
    assert set(rows) == {"toronto-2013", "civic-2017"}
    assert {row["status"] for row in rows.values()} == {"ok"}
    assert (out / "texts" / "toronto-2013.txt").read_text(encoding="utf-8") == PLAIN_CLEAN
    pages = json.loads((out / "pages" / "civic-2017.json").read_text(encoding="utf-8"))
    assert pages  # a page map


def test_ingest_json_is_the_summary(corpus: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(corpus), "--out", str(tmp_path / "o"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    assert result.stderr == ""


def test_ingest_default_out_is_under_the_current_folder(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["ingest", str(corpus) + os.sep])
    assert result.exit_code == 0, result.output
    assert (work / "resdiscourse-out" / "policies" / "documents.csv").is_file()


def test_ingest_one_broken_pdf_exits_1_and_keeps_the_others(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.pdf").write_bytes(b"")
    out = tmp_path / "out"
    result = runner.invoke(app, ["ingest", str(corpus), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "E101" in result.stderr
    rows = read_rows(out)
    assert rows["broken"]["status"] == "error"
    assert rows["broken"]["code"] == "E101"
    assert rows["toronto-2013"]["status"] == "ok"
    assert (out / "texts" / "toronto-2013.txt").is_file()
    assert (out / "texts" / "civic-2017.txt").is_file()


def test_ingest_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "E202" in result.stderr
    assert "Traceback" not in result.output


def test_ingest_unknown_engine_is_a_usage_error(corpus: Path, tmp_path: Path) -> None:
    (corpus / "report.pdf").write_bytes(b"%PDF-1.4\n")
    result = runner.invoke(
        app, ["ingest", str(corpus), "--out", str(tmp_path / "o"), "--engine", "acrobat"]
    )
    assert result.exit_code == 2
    assert "E204 unknown engine 'acrobat'" in result.stderr
    assert "Traceback" not in result.output


def test_ingest_with_jobs_and_cache(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.pdf").write_bytes(b"")
    out = tmp_path / "out"
    args = ["ingest", str(corpus), "--out", str(out), "--jobs", "2", "--json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 1, first.output
    data = json.loads(first.stdout)
    assert [d["doc_id"] for d in data["documents"]] == ["broken", "civic-2017", "toronto-2013"]
    again = runner.invoke(app, args[:-1])
    assert again.exit_code == 1
    assert "read from the cache" in again.stderr
    fresh = runner.invoke(app, [*args, "--no-cache"])
    assert json.loads(fresh.stdout)["cached"] == 0


# --- the installed entry points -------------------------------------------------------------------


def test_console_script_and_python_m(tmp_path: Path) -> None:
    path = write(tmp_path / "plain.txt", PLAIN)
    script = shutil.which("resdiscourse", path=str(Path(sys.executable).parent))
    commands = [[sys.executable, "-m", "resdiscourse"]]
    if script:
        commands.append([script])
    for command in commands:
        done = subprocess.run(
            [*command, "text", str(path)], capture_output=True, check=False, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == PLAIN_CLEAN.encode("utf-8")


# --- the README -----------------------------------------------------------------------------------


def test_readme_lists_the_whole_error_catalogue() -> None:
    from resdiscourse.errors import CATALOGUE

    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.is_file():
        pytest.skip("README.md is not beside the tests (installed package)")
    text = readme.read_text(encoding="utf-8")
    for code in sorted(CATALOGUE):
        entry = CATALOGUE[code]
        assert f"| {code} | {entry.status} | {entry.message} |" in text, code


def test_readme_starts_with_the_two_commands() -> None:
    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.is_file():
        pytest.skip("README.md is not beside the tests (installed package)")
    lines = readme.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    blocks = [line for line in lines[1:12] if line and not line.startswith("```")]
    assert blocks[0].endswith("pip install -e . && resdiscourse code corpora/demo/")
    assert blocks[1].endswith("pip install -e '.[dev]' && pytest -q")


# --- small things users hit (issue 15 item 8) -----------------------------------------------------


def test_codebook_show_prints_to_stdout() -> None:
    result = CliRunner().invoke(app, ["codebook", "show", "social-resilience"])
    assert result.exit_code == 0
    assert "social-resilience" in result.stdout
    assert result.stderr == ""


def test_text_pages_beyond_the_document_is_E225(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "one.pdf"
    sheet = canvas.Canvas(str(path), invariant=1)
    sheet.drawString(72, 720, "Newcomers showed resilience.")
    sheet.showPage()
    sheet.save()
    result = CliRunner().invoke(app, ["text", str(path), "--pages", "99"])
    assert result.exit_code == 2
    assert "E225" in result.stderr and "1 page(s)" in result.stderr
    assert "needs OCR" not in result.stderr


def test_an_empty_out_does_not_write_into_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus / "a.txt", PLAIN)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["code", str(corpus), "--out", ""])
    assert result.exit_code == 2
    assert "E207" in result.stderr and "holds the corpus folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]
