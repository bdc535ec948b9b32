"""``resdiscourse replicate``: the whole study in one command, on the demo and on a folder of
downloaded PDFs for ontario-2008-2018 (here: demo PDFs and a generated one saved under the
manifest's file names, since the real PDFs are not shipped)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from resdiscourse.cli.main import app
from resdiscourse.errors import UsageError
from resdiscourse.replication.replicate import replicate
from resdiscourse.replication.studies import load_study

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"


@pytest.fixture(scope="module")
def demo_replication(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("replicate") / "demo"
    return out, replicate("demo", out=out).to_dict()


def test_replicate_demo_writes_findings_report_and_outputs(
    demo_replication: tuple[Path, dict],
) -> None:
    out, summary = demo_replication
    assert summary["exit_code"] == 0 and summary["missing"] == []
    assert len(summary["present"]) == 11 and summary["segments"] == 72
    findings = (out / "findings.md").read_text(encoding="utf-8")
    for number in range(1, 7):
        assert f"\n## {number}. " in findings
    # Finding 4 is weak on the demo: its refugee passages say refugees need support, none that
    # they are expected to cope on their own.
    verdicts = [f["verdict"] for f in summary["findings"]]
    assert verdicts == ["supported"] * 3 + ["weak"] + ["supported"] * 2
    assert (out / "report" / "report.html").is_file()
    assert (out / "segments.csv").is_file() and (out / "codebook.yml").is_file()
    assert summary["disagreements"] == []
    assert all(check["passes"] for check in summary["rule"])


def test_replicate_demo_is_byte_identical_on_a_rerun(
    demo_replication: tuple[Path, dict], tmp_path: Path
) -> None:
    out, _ = demo_replication
    replicate("demo", out=tmp_path / "again")
    for name in ("findings.md", "segments.csv", "report/report.html"):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name


def _pdf_without_resilience(path: Path) -> None:
    pdf = canvas.Canvas(str(path), invariant=1)
    pdf.drawString(72, 720, "Council minutes: the committee adopted the budget for road repairs.")
    pdf.drawString(72, 700, "Newcomers were welcomed at the community centre opening.")
    pdf.save()


def test_replicate_a_partly_downloaded_study(tmp_path: Path) -> None:
    """Two documents present under the manifest's names, one of which fails the paper's rule
    (no resilience word), plus a PDF the manifest does not list: the others are listed as
    missing with where to get them, and rule and manifest disagreements are reported."""
    study = load_study("ontario-2008-2018")
    names = {row["doc_id"]: row["file"] for row in study.documents}
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    shutil.copy(
        DEMO / "ontario-immigration-strategy-2012.pdf",
        pdfs / names["ontario-new-direction-immigration-strategy-2012"],
    )
    _pdf_without_resilience(pdfs / names["toronto-newcomer-strategy-2013"])
    shutil.copy(DEMO / "toronto-newcomer-youth-2010.pdf", pdfs / "extra-unlisted.pdf")
    summary = replicate("ontario-2008-2018", corpus_dir=pdfs, out=tmp_path / "out")
    assert sorted(summary.present) == sorted(
        ["ontario-new-direction-immigration-strategy-2012", "toronto-newcomer-strategy-2013"]
    )
    assert len(summary.missing) == len(study.documents) - 2
    assert all("save it as" in item["where"] for item in summary.missing)
    assert summary.exit_code == 1
    disagreeing = {check["doc_id"]: check for check in summary.disagreements}
    assert set(disagreeing) == {"toronto-newcomer-strategy-2013"}
    assert any(
        "resilien" in reason for reason in disagreeing["toronto-newcomer-strategy-2013"]["reasons"]
    )
    assert summary.not_listed == ["extra-unlisted.pdf"]  # not coded: no evidence for the study
    assert "extra-unlisted" not in {check["doc_id"] for check in summary.rule}
    assert (tmp_path / "out" / "findings.md").is_file()
    assert (
        json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["codebook"]["name"]
        == "bhuyan-leung-2021"
    )


def test_no_document_present_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pdfs").mkdir()
    with pytest.raises(UsageError) as error:
        replicate("ontario-2008-2018", corpus_dir=tmp_path / "pdfs", out=tmp_path / "out")
    assert error.value.problem.code == "E530"
    assert "resdiscourse fetch ontario-2008-2018" in error.value.problem.hint
    with pytest.raises(UsageError) as unknown:
        replicate("nope", out=tmp_path / "out")
    assert unknown.value.problem.code == "E510"


def test_cli_replicate_demo_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["replicate", "demo", "--out", str(tmp_path / "r"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["study"] == "demo" and len(data["findings"]) == 6
    assert Path(data["findings_file"]).is_file()


def test_a_file_that_differs_from_its_locked_sha256_is_not_coded(tmp_path: Path) -> None:
    """fetch pins each file's sha256; a file swapped afterwards is left out and reported."""
    from resdiscourse.replication.fetch import fetch_study

    pdfs = tmp_path / "pdfs"
    assert fetch_study("demo", corpus_dir=pdfs).exit_code == 0  # copies the bundled PDFs
    shutil.copy(
        pdfs / "ontario-immigration-strategy-2012.pdf",
        pdfs / "ontario-immigration-progress-2015.pdf",
    )
    summary = replicate("demo", corpus_dir=pdfs, out=tmp_path / "out")
    assert [item["doc_id"] for item in summary.mismatched] == ["ontario-immigration-progress-2015"]
    assert "ontario-immigration-progress-2015" not in summary.present
    assert summary.exit_code == 1
    findings = (tmp_path / "out" / "findings.md").read_text(encoding="utf-8")
    assert "Corpus coverage" in findings and "ontario-immigration-progress-2015" in findings


def test_findings_say_how_much_of_the_study_is_present(tmp_path: Path) -> None:
    study = load_study("ontario-2008-2018")
    names = {row["doc_id"]: row["file"] for row in study.documents}
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    shutil.copy(
        DEMO / "toronto-newcomer-update-2013.pdf", pdfs / names["toronto-newcomer-strategy-2013"]
    )
    replicate("ontario-2008-2018", corpus_dir=pdfs, out=tmp_path / "out")
    findings = (tmp_path / "out" / "findings.md").read_text(encoding="utf-8")
    listed = sum(1 for row in study.documents if row.get("reserve") != "true")
    assert f"1 of {listed}" in findings


def test_replicate_with_an_earlier_codebook_version(tmp_path: Path) -> None:
    out = tmp_path / "v1"
    args = ["replicate", "demo", "--out", str(out), "--codebook", "bhuyan-leung-2021@1.0.0"]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["segments"] == 72
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (run["codebook"]["name"], run["codebook"]["version"]) == ("bhuyan-leung-2021", "1.0.0")
    assert run["retrieval"]["name"] == "default"
    assert "1.0.0" in (out / "findings.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(app, [*args, "--retrieval", "nope"])
    assert result.exit_code == 2
    assert "E610" in result.stderr
