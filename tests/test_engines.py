"""PDF engines: words with their boxes and faces, from PDFs typeset in the test."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("reportlab")

from resdiscourse.ingest.engines import ENGINES, make_engine


def _faces_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    for row, font in enumerate(["Helvetica", "Helvetica-Bold", "Times-Roman", "Times-Bold"]):
        page.setFont(font, 11)
        page.drawString(72, 700 - 20 * row, f"set in {font}")
    page.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_each_word_knows_whether_its_face_is_bold(tmp_path: Path, engine: str) -> None:
    reader = make_engine(engine)
    reader.open(_faces_pdf(tmp_path / "faces.pdf"), None)
    try:
        words = [word for page in reader.pages([0]) for word in page.words]
    finally:
        reader.close()
    bold = {word.text for word in words if word.bold}
    assert bold == {"Helvetica-Bold", "Times-Bold"} | {"set", "in"}
    regular = [word.text for word in words if not word.bold]
    assert regular == ["set", "in", "Helvetica", "set", "in", "Times-Roman"]
