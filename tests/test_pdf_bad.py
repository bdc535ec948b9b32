"""Each file in ../shared/corpora-real/bad gets the status bad-pdfs-expected.md gives it."""

from __future__ import annotations

from pathlib import Path

import pytest

from resdiscourse.ingest.ocr import tesseract_languages
from resdiscourse.ingest.reader import read_document
from tests.conftest import REAL, need_shared
from tests.support.metrics import fidelity
from tests.support.synthpdf import build_pdf, layout_suite

BAD = REAL / "bad"

# file → (allowed statuses, a problem code that must be reported, or None)
EXPECTED: dict[str, tuple[set[str], str | None]] = {
    "bad-color-space.pdf": ({"ok", "warning"}, None),
    "corrupted-xref-zen-of-python.pdf": ({"ok"}, None),
    "encrypted-aes256-r6.pdf": ({"error"}, "E105"),
    "encrypted-rc4-40.pdf": ({"error"}, "E105"),
    "encrypted-user-password-libreoffice.pdf": ({"error"}, "E105"),
    "encrypted-user-password-pdfplumber.pdf": ({"error"}, "E105"),
    "encrypted-no-id-epo.pdf": ({"needs_ocr"}, "E108"),
    "owner-password-copy-protected.pdf": ({"warning"}, "W102"),
    "zero-bytes.pdf": ({"error"}, "E101"),
    "html-page-saved-as-pdf.pdf": ({"error"}, "E102"),
    "http-404-text-saved-as-pdf.pdf": ({"error"}, "E103"),
    "invalid-pages-object-unreadable-metadata.pdf": ({"warning"}, "W101"),
    "malformed-pdfplumber-issue-932.pdf": ({"warning"}, "W103"),
    "no-startxref-evil-xobjects.pdf": ({"ok", "warning"}, None),
    "page-tree-unreadable-by-pdfminer.pdf": ({"needs_ocr"}, "E108"),
    "zero-pages-in-pdfminer.pdf": ({"needs_ocr"}, "E108"),
    "scanned-image-only-3p.pdf": ({"needs_ocr"}, "E108"),
    "scanned-image-only-ccittfax.pdf": ({"needs_ocr"}, "E108"),
    "scanned-image-only-jbig2-xerox.pdf": ({"needs_ocr"}, "E108"),
    "scanned-with-garbled-ocr-layer.pdf": ({"warning"}, "W104"),
    "us-gao-23-106826-invalid-structure.pdf": ({"ok"}, None),
    "us-irs-irm-2-3-59-400-pages.pdf": ({"ok"}, None),
}
PASSWORDS = {
    "encrypted-aes256-r6.pdf": "usersecret",
    "encrypted-rc4-40.pdf": "baz",
    "encrypted-user-password-libreoffice.pdf": "openpassword",
    "encrypted-user-password-pdfplumber.pdf": "test",
}


def test_every_bad_file_is_listed() -> None:
    assert {p.name for p in need_shared(BAD).glob("*.pdf")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gets_its_expected_status(name: str) -> None:
    statuses, code = EXPECTED[name]
    result = read_document(need_shared(BAD / name))
    assert result.status in statuses, [p.one_line() for p in result.problems]
    codes = [p.code for p in result.problems]
    if code is not None:
        assert code in codes
    for item in result.problems:
        assert item.message and item.hint and item.location.file == str(BAD / name)
    if result.status in ("error", "needs_ocr"):
        assert result.text == ""
    else:
        assert result.text.strip()


@pytest.mark.parametrize("name", sorted(PASSWORDS))
def test_the_right_password_opens_it(name: str) -> None:
    result = read_document(need_shared(BAD / name), password=PASSWORDS[name])
    assert result.status == "ok", result.problems
    assert result.text.strip()


def test_a_wrong_password_is_its_own_error() -> None:
    result = read_document(need_shared(BAD / "encrypted-rc4-40.pdf"), password="not-it")
    assert [p.code for p in result.problems] == ["E106"]


def test_the_400_page_file_reads_every_page() -> None:
    result = read_document(need_shared(BAD / "us-irs-irm-2-3-59-400-pages.pdf"))
    assert [s.page for s in result.page_map.spans] == list(range(1, 401))
    assert len(result.text) > 250_000


def test_ocr_without_tesseract_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("resdiscourse.ingest.ocr.tesseract_languages", lambda: [])
    monkeypatch.setattr("shutil.which", lambda name: None)
    result = read_document(need_shared(BAD / "scanned-image-only-ccittfax.pdf"), ocr=True)
    assert result.status == "needs_ocr"
    assert "E110" in [p.code for p in result.problems]
    assert "tesseract is not installed" in next(
        p.message for p in result.problems if p.code == "E110"
    )


def test_ocr_reads_a_scanned_page(tmp_path: Path) -> None:
    """A page typeset from known text, rasterised and wrapped as an image-only PDF, read by OCR."""
    if "eng" not in tesseract_languages():
        pytest.skip("tesseract with English data is not installed (.ci/run installs it)")
    import pypdfium2
    from reportlab.pdfgen import canvas

    built = build_pdf(layout_suite()["one-column"])
    document = pypdfium2.PdfDocument(built.pdf)
    image = document[0].render(scale=200 / 72).to_pil()
    width, height = document[0].get_size()
    document.close()
    image_path, pdf_path = tmp_path / "page.png", tmp_path / "scan.pdf"
    image.save(image_path)
    scan = canvas.Canvas(str(pdf_path), pagesize=(width, height))
    scan.drawImage(str(image_path), 0, 0, width, height)
    scan.save()
    assert read_document(pdf_path).status == "needs_ocr"
    result = read_document(pdf_path, ocr=True)
    assert "W108" in [p.code for p in result.problems]
    assert result.engine == "pdfium+tesseract"
    assert fidelity(built.page_texts[0], result.text) > 0.9
