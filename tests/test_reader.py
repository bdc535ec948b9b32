"""The dispatcher behind `resdiscourse text`: options are checked before any file is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from resdiscourse.errors import UsageError
from resdiscourse.ingest.reader import read_document


def test_missing_file_is_e100(tmp_path: Path) -> None:
    result = read_document(tmp_path / "nowhere.txt")
    assert [p.code for p in result.problems] == ["E100"]
    assert result.problems[0].message == f"file not found: {tmp_path / 'nowhere.txt'}"


@pytest.mark.parametrize("name", ["notes.txt", "missing.pdf"])
def test_bad_page_range_is_a_usage_error_for_any_file(tmp_path: Path, name: str) -> None:
    (tmp_path / "notes.txt").write_text("Newcomers showed resilience.", encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        read_document(tmp_path / name, pages="5-2")
    assert raised.value.problem.code == "E201"


def test_unknown_engine_is_a_usage_error_for_any_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("Newcomers showed resilience.", encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        read_document(tmp_path / "notes.txt", engine="acrobat")
    assert raised.value.problem.code == "E204"


def test_a_line_repeated_on_every_page_is_kept_when_it_is_all_the_text(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "notice.pdf"
    sheet = canvas.Canvas(str(path), invariant=1)
    for _ in range(3):
        sheet.setFont("Helvetica", 10)
        sheet.drawString(72, 770, "Notice to residents")
        sheet.showPage()
    sheet.save()
    result = read_document(path)
    assert result.status == "ok", result.problems
    assert result.text.split() == ["Notice", "to", "residents"] * 3


# --- files named for another type: read by their bytes ---------------------------------------


def _pdf(path: Path, text: str) -> Path:
    from reportlab.pdfgen import canvas

    sheet = canvas.Canvas(str(path), invariant=1)
    sheet.setFont("Helvetica", 11)
    sheet.drawString(72, 720, text)
    sheet.showPage()
    sheet.save()
    return path


@pytest.mark.parametrize("name", ["report.txt", "report.md", "report.html"])
def test_a_pdf_with_a_text_name_is_read_as_a_pdf(tmp_path: Path, name: str) -> None:
    path = _pdf(tmp_path / name, "Newcomers showed resilience in Toronto.")
    result = read_document(path)
    assert result.text == "Newcomers showed resilience in Toronto."
    assert result.engine in ("pdfium", "pdfplumber")
    assert result.pages == 1
    [warning] = result.problems
    assert warning.code == "W110"
    assert f"pdf file named {Path(name).suffix}" in warning.message
    assert "rename it to .pdf" in warning.hint


def test_a_pdf_with_a_text_name_is_a_warning_row_of_the_corpus(tmp_path: Path) -> None:
    from resdiscourse.ingest.corpus import ingest_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _pdf(corpus / "renamed.txt", "Refugees and resilience.")
    summary = ingest_corpus(corpus, out=tmp_path / "out")
    assert [(d.status, d.code) for d in summary.documents] == [("warning", "W110")]
    assert summary.exit_code == 0
    text = (tmp_path / "out" / "texts" / "renamed.txt").read_text(encoding="utf-8")
    assert text == "Refugees and resilience."


def test_an_html_page_named_txt_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        "<!DOCTYPE html><html><body><p>Newcomers &amp; resilience.</p>"
        "<script>var x = 1;</script></body></html>",
        encoding="utf-8",
    )
    result = read_document(path)
    assert result.text == "Newcomers & resilience."
    assert [p.code for p in result.problems] == ["W110"]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04" + bytes(40), "zip archive"),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "Office 97-2003"),
    ],
)
def test_a_binary_file_with_a_text_name_is_e114(tmp_path: Path, data: bytes, kind: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(data)
    [error] = read_document(path).problems
    assert error.code == "E114"
    assert kind in error.message


def test_plain_text_and_a_real_html_file_give_no_warning(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Resilience of % PDF users.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><p>Newcomers.</p></html>", encoding="utf-8")
    (tmp_path / "c.md").write_text("<p>HTML inside Markdown</p> stays Markdown.", encoding="utf-8")
    for name in ("a.txt", "b.html", "c.md"):
        assert read_document(tmp_path / name).problems == [], name
