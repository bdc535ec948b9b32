"""``resdiscourse export``: the REFI-QDA project and codebook of a run validate, survive a round
trip through our reader with identical texts and offsets, and are byte-identical on a re-run."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resdiscourse.cli.main import app
from resdiscourse.errors import UsageError
from resdiscourse.export.refi_read import read_qdc, read_qdpx
from resdiscourse.export.refi_write import validate_codebook_xml, validate_project_xml
from resdiscourse.export.run_export import export_run
from resdiscourse.rundir import load_run


@pytest.fixture(scope="module")
def exported(demo_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    export_run(demo_out, qdpx=folder / "demo.qdpx", qdc=folder / "demo.qdc")
    return folder


def test_the_project_validates_against_the_official_schema(exported: Path) -> None:
    with zipfile.ZipFile(exported / "demo.qdpx") as archive:
        assert validate_project_xml(archive.read("project.qde")) == []
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
    assert validate_codebook_xml((exported / "demo.qdc").read_bytes()) == []


def test_round_trip_keeps_texts_offsets_codes_and_users(demo_out: Path, exported: Path) -> None:
    run = load_run(demo_out)
    read = read_qdpx(exported / "demo.qdpx")
    assert read.problems == []
    project = read.project
    assert [user.name for user in project.users] == ["resdiscourse"]
    sources = {source.name: source for source in project.sources}
    assert sorted(sources) == sorted(row["doc_id"] for row in run.coded_documents())
    paths = project.codebook.paths()
    keys = run.segment_codes()
    found = {}
    for doc_id, source in sources.items():
        assert source.text == run.text(doc_id)  # exactly our clean text, so offsets carry over
        for selection in source.selections:
            codes = sorted(
                paths[coding.code_guid].replace("/", ":") for coding in selection.codings
            )
            found[f"{doc_id}:{selection.start}-{selection.end}"] = codes
    expected = {segment: sorted(codes) for segment, codes in keys.items() if codes}
    assert found == expected
    values = {v.name: v.guid for v in project.variables}
    years = dict(sources["toronto-newcomer-update-2013"].values)
    assert years[values["year"]] == "2013"


def test_the_codebook_nests_codes_under_their_dimensions(demo_out: Path, exported: Path) -> None:
    codebook, problems = read_qdc(exported / "demo.qdc")
    assert problems == []
    run = load_run(demo_out)
    dimensions = {code.name: code for code in codebook.codes}
    assert list(dimensions) == list(run.codebook.codebook.dimensions)
    locus = dimensions["locus"]
    assert not locus.is_codable
    assert [child.name for child in locus.children] == ["attribute", "resource", "civic"]
    attribute = run.codebook.codebook.dimensions["locus"].codes["attribute"]
    description = locus.children[0].description
    assert description.startswith(attribute.label + "\n")
    assert attribute.definition.strip() in description
    assert len(codebook.all_codes()) == len(run.codes()) + len(dimensions)


def test_exports_are_byte_identical_on_a_rerun(
    demo_out: Path, exported: Path, tmp_path: Path
) -> None:
    time.sleep(1.1)
    export_run(demo_out, qdpx=tmp_path / "demo.qdpx", qdc=tmp_path / "demo.qdc")
    for name in ("demo.qdpx", "demo.qdc"):
        assert (tmp_path / name).read_bytes() == (exported / name).read_bytes()


def test_every_target_in_one_call_and_its_summary(demo_out: Path, tmp_path: Path) -> None:
    summary = export_run(
        demo_out,
        qdpx=tmp_path / "a.qdpx",
        nvivo=tmp_path / "nvivo.xlsx",
        tidy=tmp_path / "tidy.parquet",
        wide=tmp_path / "sub" / "wide.csv",
        coder="Machine",
    )
    kinds = {item["kind"]: item for item in summary.to_dict()["files"]}
    assert set(kinds) == {"qdpx", "nvivo", "tidy", "wide"}
    run = load_run(demo_out)
    assert kinds["qdpx"]["selections"] == sum(1 for codes in run.segment_codes().values() if codes)
    assert kinds["wide"]["rows"] == len(run.segments)
    assert (tmp_path / "sub" / "wide.csv").is_file()
    assert [u.name for u in read_qdpx(tmp_path / "a.qdpx").project.users] == ["Machine"]


def test_usage_errors(demo_out: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as nothing:
        export_run(demo_out)
    assert nothing.value.problem.code == "E219"
    with pytest.raises(UsageError) as suffix:
        export_run(demo_out, tidy=tmp_path / "tidy.txt")
    assert suffix.value.problem.code == "E216"
    with pytest.raises(UsageError) as not_a_run:
        export_run(tmp_path, qdc=tmp_path / "x.qdc")
    assert not_a_run.value.problem.code == "E217"
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    with pytest.raises(UsageError) as unwritable:
        export_run(demo_out, qdc=blocked / "x.qdc")
    assert unwritable.value.problem.code == "E218"


def test_cli_json_equals_the_library_result(demo_out: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.qdc"
    result = CliRunner().invoke(app, ["export", str(demo_out), "--qdc", str(target), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == export_run(demo_out, qdc=target).to_dict()
    result = CliRunner().invoke(app, ["export", str(demo_out)])
    assert result.exit_code == 2
    assert "E219" in result.output
