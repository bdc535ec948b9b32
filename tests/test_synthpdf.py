"""Self-check of the synthetic PDF generator, independent of the ingest engine."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pdfium = pytest.importorskip("pypdfium2")

from tests.support.synthpdf import (  # noqa: E402
    BULLET,
    Band,
    Block,
    DocSpec,
    PageSpec,
    SyntheticPdf,
    build_pdf,
    dejavu_available,
    layout_suite,
    page_count,
    to_roman,
)

SUITE_NAMES = [
    "one-column",
    "two-column",
    "three-column",
    "shuffled-two-column",
    "mixed-layout",
    "french-two-column",
    "roman-folios",
    "long-report",
]

# pdfium marks a hyphen it thinks ends a line with U+FFFE (sometimes U+0002) and joins the lines.
_SOFT = re.compile(r"[\ufffe\u0002]")


@cache
def _suite() -> dict[str, DocSpec]:
    return layout_suite()


@cache
def _built(name: str) -> SyntheticPdf:
    return build_pdf(_suite()[name])


def _raw_pages(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        doc.close()


def _norm(word: str) -> str:
    return word.replace("-", "").strip(".,;:!?()«»\u201c\u201d\"'").lower()


def _raw_words(raw: str) -> tuple[set[str], set[str]]:
    """Words of a raw page (line-end hyphens joined, and not) and fragments ending in a hyphen."""
    # pdfium turns a hyphen it takes for a line-end one into U+FFFE (or U+0002) and glues on
    # whatever it draws next, which in shuffled draw order is not the continuation.
    raw = _SOFT.sub("-\n", raw)
    fragments = {_norm(t) for t in raw.split() if t.endswith("-")}
    joined = re.sub(r"-\r?\n", "", raw)
    return {_norm(t) for t in joined.split()} | {_norm(t) for t in raw.split()}, fragments


def test_suite_names() -> None:
    assert list(_suite()) == SUITE_NAMES


@pytest.mark.parametrize("name", SUITE_NAMES)
def test_suite_pdf_matches_truth(name: str) -> None:
    result = _built(name)
    raw = _raw_pages(result.pdf)
    n = len(raw)
    assert n >= (12 if name == "long-report" else 2)
    assert len(result.page_texts) == len(result.page_labels) == n
    assert len(result.header_lines) == len(result.footer_lines) == len(result.lines) == n
    assert n == page_count(_suite()[name])

    words = [_raw_words(text) for text in raw]
    for i, text in enumerate(raw):
        flat = text.replace("\r\n", "\n")
        if result.header_lines[i]:
            assert result.header_lines[i] in flat
        if result.footer_lines[i]:
            assert result.footer_lines[i] in flat
        page_words, fragments = words[i]
        following = words[i + 1][0] if i + 1 < n else set()
        for word in result.page_texts[i].split():
            w = _norm(word)
            if not w or w in page_words:
                continue
            # A word hyphenated across lines that pdfium did not join (shuffled draw order, or a
            # break across a page, where the word belongs to the page it starts on).
            assert any(
                w.startswith(f) and w[len(f) :] in page_words | following for f in fragments if f
            ), f"{name} page {i + 1}: {word!r} not in the raw text"


@pytest.mark.parametrize("name", SUITE_NAMES)
def test_truth_format(name: str) -> None:
    result = _built(name)
    truth = result.truth_text
    assert truth == truth.strip() and "\n\n\n" not in truth
    for block in truth.split("\n\n"):
        assert block == block.strip() and "\n" not in block and "  " not in block
    # Every truth word is attributed to exactly one page, in order.
    assert " ".join(result.page_texts).split() == truth.split()
    for text in result.page_texts:
        assert text == text.strip()
    # Headers, footers and folios are not in the truth.
    blocks = set(truth.split("\n\n"))
    for line in (*result.header_lines, *result.footer_lines):
        assert line not in blocks
        if len(line) > 12:
            assert line not in truth


@pytest.mark.parametrize("name", SUITE_NAMES)
def test_drawn_lines_rebuild_truth(name: str) -> None:
    """The drawn body lines, in reading order, with line-end hyphens resolved, give the truth."""
    result = _built(name)
    truth_words = result.truth_text.split()
    tokens: list[str] = []
    join_next = False
    for page in result.lines:
        for line in page:
            if line.role not in ("body", "heading"):
                continue
            parts = line.text.split(" ")
            if join_next:
                prev, first = tokens.pop(), parts.pop(0)
                expected = truth_words[len(tokens)]
                # A plain word loses its line-end hyphen, a compound keeps its own.
                assert expected in (prev[:-1] + first, prev + first), (prev, first, expected)
                if expected == prev + first:
                    assert len(prev) > 1 and "-" in expected[1:-1]
                tokens.append(expected)
            tokens.extend(parts)
            last = tokens[-1]
            join_next = last.endswith("-") and last[-2:-1].isalpha()
    assert tokens == truth_words


def test_deterministic_bytes() -> None:
    for name in ("two-column", "french-two-column", "shuffled-two-column"):
        assert build_pdf(_suite()[name]).pdf == _built(name).pdf
    assert layout_suite()["mixed-layout"] == _suite()["mixed-layout"]


def test_folios_and_headers() -> None:
    roman = _built("roman-folios")
    assert roman.page_labels == [to_roman(i + 1) for i in range(len(roman.page_labels))]
    assert roman.header_lines[0] == "" and all(roman.header_lines[1:])
    three = _built("three-column")
    assert three.page_labels[0] == "7"
    assert three.footer_lines == three.page_labels
    one = _built("one-column")
    total = len(one.page_labels)
    assert one.footer_lines == [f"Page {i + 1} of {total}" for i in range(total)]
    two = _built("two-column")
    assert two.footer_lines[1] == "- 2 -"


def test_hyphenation_rules() -> None:
    word = "resiliencefully"
    filler = ["a", "an", "the", "of", "policy", "to", "and", "services"]
    words = [w for i in range(300) for w in (filler[i % 8], "decision-making", filler[i % 5], word)]
    text = " ".join(words)
    spec = DocSpec(pages=[PageSpec([Band(2, [Block(text)])])], footer=None)
    result = build_pdf(spec)
    assert result.page_labels == [""] * len(result.page_labels)
    ends = [
        line.text.rsplit(" ", 1)[-1]
        for page in result.lines
        for line in page
        if line.text.endswith("-")
    ]
    assert "decision-" in ends
    assert ends, "expected some line-end hyphens"
    for end in ends:
        assert end == "decision-" or (
            word.startswith(end[:-1]) and 3 <= len(end) - 1 <= len(word) - 3
        )
    assert result.truth_text == text
    plain = build_pdf(DocSpec(**{**spec.__dict__, "hyphenate": False}))
    assert not any(line.text.endswith("-") for page in plain.lines for line in page)
    assert plain.truth_text == result.truth_text


def test_bullets_and_blocks() -> None:
    spec = DocSpec(
        pages=[
            PageSpec(
                [
                    Band(1, [Block("Title", "heading"), Block("One two three.")]),
                    Band(2, [Block("First item.", "bullet"), Block("Second item.", "bullet")]),
                ]
            )
        ]
    )
    result = build_pdf(spec)
    assert (
        result.truth_text
        == f"Title\n\nOne two three.\n\n{BULLET}First item.\n\n{BULLET}Second item."
    )
    assert result.page_texts == [result.truth_text]
    with pytest.raises(ValueError):
        build_pdf(DocSpec(pages=[PageSpec([Band(1, [Block("two  spaces")])])]))
    with pytest.raises(ValueError):
        build_pdf(DocSpec(pages=[PageSpec([Band(4, [Block("x")])])]))


@pytest.mark.skipif(not dejavu_available(), reason="DejaVu Sans not installed")
def test_optional_dejavu() -> None:
    from tests.support.synthpdf import DEJAVU_SANS

    spec = DocSpec(
        pages=[PageSpec([Band(1, [Block("Résumé", "heading"), Block("« bien-être » œuvre")])])],
        font="DejaVuSans",
        font_path=DEJAVU_SANS,
    )
    result = build_pdf(spec)
    raw = _raw_pages(result.pdf)[0]
    assert "« bien-être » œuvre" in raw


def test_demo_corpus_is_current(tmp_path: Path) -> None:
    """corpora/demo is exactly what make_demo.py writes (PDFs, truth texts, manifest)."""
    from tests.support.make_demo import main

    demo = Path(__file__).resolve().parents[1] / "corpora" / "demo"
    main(tmp_path / "demo", tmp_path / "demo-truth")
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(written) == 23  # 11 PDFs, 11 truth texts, manifest.csv
    for rel in written:
        shipped = demo.parent / rel
        assert (tmp_path / rel).read_bytes() == shipped.read_bytes(), rel
    header = (demo / "manifest.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == (
        "doc_id,file,title,year,date,jurisdiction,level,publisher,doc_type,council_item,url,"
        "language,confidence,notes"
    )
    for truth in (demo.parent / "demo-truth").glob("*.txt"):
        assert truth.read_text(encoding="utf-8").startswith("SYNTHETIC DEMONSTRATION DOCUMENT")
