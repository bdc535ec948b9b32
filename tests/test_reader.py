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
