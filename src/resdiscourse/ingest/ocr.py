"""OCR for pages without a usable text layer: pypdfium2 renders, the tesseract command reads.

Tesseract's TSV output gives word boxes, so OCR'd words go through the same layout pass as the
text layer's. Nothing here runs unless ``--ocr`` is given; ``ingest/pdf.py`` decides which pages
need it and assembles the result.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile

from resdiscourse.ingest.engines import PageWords, PdfiumEngine
from resdiscourse.ingest.layout import Word

DPI = 300
_TIMEOUT_SECONDS = 300


def tesseract_languages() -> list[str]:
    """Languages the installed tesseract has (empty when tesseract is absent)."""
    binary = shutil.which("tesseract")
    if binary is None:
        return []
    listing = subprocess.run(
        [binary, "--list-langs"], capture_output=True, text=True, timeout=60, check=False
    )
    return [ln.strip() for ln in listing.stdout.splitlines()[1:] if ln.strip()]


def ocr_page(engine: PdfiumEngine, page: PageWords, languages: str) -> PageWords:
    """The page's words as tesseract reads them from a rendering at :data:`DPI`."""
    image = engine.render(page.index, DPI / 72)
    with tempfile.TemporaryDirectory() as folder:
        image_path = os.path.join(folder, "page.png")
        image.save(image_path)
        output = subprocess.run(
            ["tesseract", image_path, "stdout", "-l", languages, "tsv"],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
        ).stdout
    page.words = words_from_tsv(output, DPI / 72)
    return page


def words_from_tsv(tsv: str, scale: float) -> list[Word]:
    """Word boxes (points) from tesseract's TSV output rendered at ``scale`` pixels per point."""
    words: list[Word] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text or float(row.get("conf") or -1) < 0:
            continue
        left, top = float(row["left"]) / scale, float(row["top"]) / scale
        width, height = float(row["width"]) / scale, float(row["height"]) / scale
        words.append(Word(text, left, left + width, top, top + height, max(height, 1.0)))
    return words
