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


def _turned_pdf(path: Path) -> Path:
    """Pages whose text runs upright, upwards, upside down and downwards, with a slanted stamp
    in the margin, a superscript inside a word, and bold faces."""
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=(612, 792))
    for turn in range(4):
        page.saveState()
        page.translate(306, 396)
        page.rotate(90 * turn)
        for row in range(12):
            page.setFont("Helvetica-Bold" if row % 5 == 0 else "Times-Roman", 10 + row % 3)
            page.drawString(-200, 300 - 22 * row, f"line {row} of the page turned {turn} times")
        text = page.beginText(-200, -40)
        text.setFont("Helvetica", 11)
        text.textOut("the 10")
        text.setFont("Helvetica", 7)
        text.setRise(6)  # a superscript: pdfium's one word "10th", read as two
        text.textOut("th")
        text.setRise(0)
        text.setFont("Helvetica", 11)
        text.textOut(" report, the 2")
        text.setFont("Helvetica", 7)
        text.setRise(4)  # a lower one: still one word, its last box reaching higher
        text.textOut("nd")
        text.setRise(0)
        text.setFont("Helvetica", 11)
        text.textOut(" one, CO")
        text.setFont("Helvetica", 7)
        text.setRise(-2)  # a subscript: its box reaching lower
        text.textOut("2")
        text.setRise(0)
        page.drawText(text)
        page.restoreState()
        page.saveState()
        page.translate(590, 100)
        page.rotate(60)  # a slanted stamp: no word of the page
        page.setFont("Helvetica", 8)
        page.drawString(0, 0, "stamped across the margin")
        page.restoreState()
        page.showPage()
    page.save()
    return path


def _reference_words(path: Path) -> list[list[tuple[object, ...]]]:
    """Each page's words as the pdfium engine read them before its per-word calls were made
    unchecked: every call through pypdfium2's declared bindings, every box through the frame."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from resdiscourse.ingest import engines

    pages = []
    doc = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            width, height = page.get_size()
            handle = textpage.raw
            count = raw.FPDFText_CountChars(handle)
            text = engines._pdfium_text(handle, count)
            turns = engines._dominant_quarter_turns(handle, text)
            frame = engines._Frame(turns, width, height)
            rect = raw.FS_RECTF()

            def box(i: int) -> tuple[float, float, float, float]:
                raw.FPDFText_GetLooseCharBox(handle, i, rect)  # noqa: B023
                return frame.box(rect.left, rect.bottom, rect.right, rect.top)  # noqa: B023

            words = []
            for match in engines._RAW_WORD.finditer(text):
                start, end = match.span()
                angle = raw.FPDFText_GetCharAngle(handle, start)
                if engines._quarter_turns(angle) != turns:
                    continue
                weight = raw.FPDFText_GetFontWeight(handle, start)
                name = ctypes.create_string_buffer(128)
                raw.FPDFText_GetFontInfo(handle, start, name, 128, None)
                bold = weight >= engines.BOLD_WEIGHT if weight > 0 else b"Bold" in name.value
                plain = text.translate(engines._HYPHEN_TO_ASCII)
                words.extend(engines._word_or_split(plain, start, end, box, bold))
            textpage.close()
            page.close()
            pages.append([(w.text, w.x0, w.x1, w.top, w.bottom, w.size, w.bold) for w in words])
    finally:
        doc.close()
    return pages


def test_pdfium_words_equal_the_checked_reading(tmp_path: Path) -> None:
    path = _turned_pdf(tmp_path / "turned.pdf")
    reader = make_engine("pdfium")
    reader.open(path, None)
    try:
        pages = [
            [(w.text, w.x0, w.x1, w.top, w.bottom, w.size, w.bold) for w in page.words]
            for page in reader.pages([0, 1, 2, 3])
        ]
    finally:
        reader.close()
    assert pages == _reference_words(path)
    for turn, words in enumerate(pages):
        text = " ".join(str(word[0]) for word in words)
        assert f"line 11 of the page turned {turn} times" in text
        assert "stamped" not in text
        assert {"10", "th"} <= {word[0] for word in words}  # the superscript read apart
        assert any(word[6] for word in words)  # the bold lines
