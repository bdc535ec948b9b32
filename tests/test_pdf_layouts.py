"""The PDF engines on typeset layouts whose exact text is known (tests.support.synthpdf)."""

from __future__ import annotations

import itertools
from functools import cache
from pathlib import Path

import pytest

from resdiscourse.ingest.reader import read_document
from tests.support.metrics import fidelity, leakage
from tests.support.synthpdf import (
    Band,
    Block,
    BlockKind,
    DocSpec,
    PageSpec,
    SyntheticPdf,
    build_pdf,
    layout_suite,
)

LAYOUTS = sorted(layout_suite())


@cache
def _built(name: str) -> SyntheticPdf:
    return build_pdf(layout_suite()[name])


def _write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(_built(name).pdf)
    return path


@pytest.mark.parametrize("name", LAYOUTS)
def test_default_engine_gives_the_exact_text(tmp_path: Path, name: str) -> None:
    result = read_document(_write(tmp_path, name))
    assert result.engine == "pdfium"
    assert result.status == "ok", result.problems
    assert result.text == _built(name).truth_text


def _joined_to_previous_page(text: str, start: int) -> bool:
    return 0 < start < len(text) and not text[start - 1].isspace()


@pytest.mark.parametrize("name", LAYOUTS)
def test_page_map_gives_physical_pages_and_printed_folios(tmp_path: Path, name: str) -> None:
    built = _built(name)
    result = read_document(_write(tmp_path, name))
    spans = result.page_map.spans
    assert [s.page for s in spans] == list(range(1, len(built.page_texts) + 1))
    expected_labels = [label or str(i + 1) for i, label in enumerate(built.page_labels)]
    assert [s.page_label for s in spans] == expected_labels
    for index, (span, page_text) in enumerate(zip(spans, built.page_texts, strict=True)):
        got = result.text[span.start : span.end].split()
        # A word hyphenated across a page break counts, in the truth, for the page it starts on;
        # in the clean text its two parts join with no space between the pages' spans.
        if _joined_to_previous_page(result.text, span.start):
            got = got[1:]
        if index + 1 < len(spans) and _joined_to_previous_page(result.text, spans[index + 1].start):
            got[-1] += result.text[spans[index + 1].start :].split()[0]
        assert got == page_text.split()
        assert result.page_map.page_at(span.start) == span.page
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize("name", LAYOUTS)
def test_reference_engine_is_faithful_without_leakage(tmp_path: Path, name: str) -> None:
    built = _built(name)
    result = read_document(_write(tmp_path, name), engine="pdfplumber")
    assert result.engine == "pdfplumber"
    assert fidelity(built.truth_text, result.text) >= 0.99
    assert leakage(built.header_lines + built.footer_lines, built.truth_text, result.text) == 0


def test_page_range_reads_only_those_pages(tmp_path: Path) -> None:
    built = _built("long-report")
    result = read_document(_write(tmp_path, "long-report"), pages="2-3")
    assert [s.page for s in result.page_map.spans] == [2, 3]
    assert result.pages == len(built.page_texts)  # the document's page count, not the range's
    assert fidelity("\n\n".join(built.page_texts[1:3]), result.text) >= 0.99
    assert len(result.text) < 3 * len(built.truth_text) / len(built.page_texts)


def test_same_input_same_output(tmp_path: Path) -> None:
    path = _write(tmp_path, "mixed-layout")
    first, second = read_document(path), read_document(path)
    assert first.to_dict() == second.to_dict()


DEMO = Path(__file__).resolve().parents[1] / "corpora"


@pytest.mark.parametrize("pdf", sorted((DEMO / "demo").glob("*.pdf")), ids=lambda p: p.stem)
def test_demo_corpus_reads_back_its_truth_text(pdf: Path) -> None:
    truth = (DEMO / "demo-truth" / f"{pdf.stem}.txt").read_text(encoding="utf-8")
    assert read_document(pdf).text == truth


_SENTENCE = "Newcomers arrive in the city every year and look for housing, work and schools."


@pytest.mark.parametrize("size", [10, 10.5, 11])
@pytest.mark.parametrize(
    ("opening", "kind"),
    [("Goals of the Strategy", "heading"), ("A short first sentence.", "paragraph")],
)
@pytest.mark.parametrize("after", [1, 2])
def test_a_short_line_after_a_column_band_opens_the_next_block(
    tmp_path: Path, size: float, opening: str, kind: BlockKind, after: int
) -> None:
    """A heading narrower than a column, after a two-column band, is read after both columns
    (not between them), whether a full-width block or another column band follows it."""
    text = " ".join([_SENTENCE] * 6)
    spec = DocSpec(
        pages=[
            PageSpec(
                bands=[
                    Band(1, [Block("Introduction", "heading"), Block("Alpha " + text)]),
                    Band(2, [Block("Bravo " + text), Block("Charlie " + text)]),
                    Band(1, [Block(opening, kind)]),
                    Band(after, [Block("Delta " + text), Block("Echo " + text)]),
                ]
            )
        ],
        font_size=size,
    )
    built = build_pdf(spec)
    path = tmp_path / "band-then-heading.pdf"
    path.write_bytes(built.pdf)
    assert read_document(path).text == built.truth_text
