"""Reading and validating manifest.csv / manifest.yaml, with line numbers in every message."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from resdiscourse.errors import UsageError
from resdiscourse.ingest.manifest import load_manifest, read_manifest


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def usage_error(path: Path) -> UsageError:
    with pytest.raises(UsageError) as caught:
        read_manifest(path)
    return caught.value


def test_csv_rows_fields_and_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path / "manifest.csv",
        "Doc_ID , File,Title,year,Level,language,Council Item\n"
        "tfa,docs\\toronto.html,Toronto For All,2016,Municipal,EN,EX12.3\n"
        "\n"
        ',./plan.pdf,"A plan,\nin two lines",1890,regional,English,\n'
        "x,other.txt,,,,,\n",
    )
    manifest = read_manifest(path)
    first, second, third = manifest.rows
    assert first.fields == {
        "doc_id": "tfa",
        "file": "docs/toronto.html",
        "title": "Toronto For All",
        "year": "2016",
        "level": "municipal",
        "language": "en",
        "Council Item": "EX12.3",
    }
    assert (first.line, second.line, third.line) == (2, 4, 6)
    assert second.fields["file"] == "plan.pdf"
    assert second.fields["title"] == "A plan,\nin two lines"
    assert [(p.code, p.location.line) for p in second.problems] == [("W107", 4)] * 3
    assert [p.message for p in second.problems] == [
        "manifest field 'year' has an invalid value '1890'",
        "manifest field 'level' has an invalid value 'regional'",
        "manifest field 'language' has an invalid value 'English'",
    ]
    assert (second.fields["year"], second.fields["level"], second.fields["language"]) == ("",) * 3
    assert manifest.extra_columns == ["Council Item"]


def test_csv_from_excel_with_bom_semicolons_and_cp1252(tmp_path: Path) -> None:
    text = "file;title\r\nréfugiés.pdf;Réfugiés \u2013 stratégie\r\n"
    path = write(tmp_path / "manifest.csv", text, "cp1252")
    assert read_manifest(path).rows[0].fields == {
        "file": "réfugiés.pdf",
        "title": "Réfugiés \u2013 stratégie",
    }
    bom = tmp_path / "bom" / "manifest.csv"
    bom.parent.mkdir()
    bom.write_bytes(codecs.BOM_UTF8 + b"file,title\nA.pdf,A\n")
    assert read_manifest(bom).rows[0].fields == {"file": "A.pdf", "title": "A"}


def test_csv_row_without_file_points_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "manifest.csv", "file,title\na.pdf,A\n,No file\n")
    error = usage_error(path)
    assert error.problem.code == "E203"
    assert (error.problem.location.file, error.problem.location.line) == ("manifest.csv", 3)
    assert "no 'file'" in error.problem.message


def test_csv_without_file_column(tmp_path: Path) -> None:
    error = usage_error(write(tmp_path / "manifest.csv", "path,title\na.pdf,A\n"))
    assert (error.problem.code, error.problem.location.line) == ("E203", 1)


def test_csv_row_with_too_many_cells(tmp_path: Path) -> None:
    error = usage_error(write(tmp_path / "manifest.csv", "file,title\na.pdf,A,extra\n"))
    assert (error.problem.code, error.problem.location.line) == ("E203", 2)


def test_duplicate_doc_id_is_e206_at_the_second_row(tmp_path: Path) -> None:
    path = write(tmp_path / "manifest.csv", "doc_id,file\nplan,a.pdf\nother,b.pdf\nPlan,c.pdf\n")
    error = usage_error(path)
    assert (error.problem.code, error.problem.location.line) == ("E206", 4)


def test_duplicate_file_is_e203(tmp_path: Path) -> None:
    error = usage_error(write(tmp_path / "manifest.csv", "file\na.pdf\n./a.pdf\n"))
    assert (error.problem.code, error.problem.location.line) == ("E203", 3)
    assert "listed twice (first on line 2)" in error.problem.message


def test_doc_id_that_is_not_a_file_name_is_rejected(tmp_path: Path) -> None:
    error = usage_error(write(tmp_path / "manifest.csv", "doc_id,file\n../x,a.pdf\n"))
    assert (error.problem.code, error.problem.location.line) == ("E203", 2)


def test_yaml_list_with_lines_per_field(tmp_path: Path) -> None:
    path = write(
        tmp_path / "manifest.yaml",
        "# Ontario corpus\n"
        "- file: a.pdf\n"
        "  year: 2008\n"
        "  date: 2008-05-01\n"
        "  confidence: H\n"
        "- file: b.pdf\n"
        "  title: Second\n"
        "  year: twenty\n",
    )
    first, second = read_manifest(path).rows
    assert first.fields == {
        "file": "a.pdf",
        "year": "2008",
        "date": "2008-05-01",
        "confidence": "H",
    }
    assert (first.line, second.line) == (2, 6)
    assert [(p.code, p.location.line) for p in second.problems] == [("W107", 8)]


def test_yaml_mapping_with_documents(tmp_path: Path) -> None:
    path = write(
        tmp_path / "manifest.yml",
        "name: demo\ndocuments:\n  - {file: a.pdf, doc_id: a}\n  - file: b.txt\n",
    )
    rows = read_manifest(path).rows
    assert [(row.fields, row.line) for row in rows] == [
        ({"file": "a.pdf", "doc_id": "a"}, 3),
        ({"file": "b.txt"}, 4),
    ]


def test_malformed_yaml_points_at_the_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "manifest.yaml",
        "documents:\n  - file: a.pdf\n    title: Fine\n"
        "  - file: b.pdf\n    title: Toronto: For All\n",
    )
    error = usage_error(path)
    assert error.problem.code == "E203"
    assert (error.problem.location.file, error.problem.location.line) == ("manifest.yaml", 5)
    assert "mapping values are not allowed here" in error.problem.message


def test_yaml_item_that_is_not_a_mapping(tmp_path: Path) -> None:
    error = usage_error(write(tmp_path / "manifest.yaml", "- file: a.pdf\n- just a string\n"))
    assert (error.problem.code, error.problem.location.line) == ("E203", 2)


def test_yaml_that_is_not_a_list(tmp_path: Path) -> None:
    error = usage_error(write(tmp_path / "manifest.yaml", "file: a.pdf\n"))
    assert (error.problem.code, error.problem.location.line) == ("E203", 1)


def test_empty_yaml_manifest_has_no_rows(tmp_path: Path) -> None:
    assert read_manifest(write(tmp_path / "manifest.yaml", "# nothing yet\n")).rows == ()


def test_two_manifests_are_ambiguous(tmp_path: Path) -> None:
    write(tmp_path / "manifest.csv", "file\na.pdf\n")
    write(tmp_path / "manifest.yaml", "- file: a.pdf\n")
    with pytest.raises(UsageError) as caught:
        load_manifest(tmp_path)
    assert caught.value.problem.code == "E203"


def test_no_manifest(tmp_path: Path) -> None:
    assert load_manifest(tmp_path) is None
