"""The layout fuzzer (tests.support.layoutfuzz) and the reader on the pages it typesets."""

from __future__ import annotations

import difflib
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

pytest.importorskip("reportlab")

from resdiscourse.ingest.reader import read_document
from resdiscourse.models import ExtractedText
from tests.support.layoutfuzz import (
    FEATURES,
    PROSE_DIR,
    FuzzedDoc,
    fuzz_document,
    load_prose,
)
from tests.support.metrics import fidelity, leakage

SEEDS = range(24)


@cache
def _doc(seed: int) -> FuzzedDoc:
    return fuzz_document(seed)


def _read(folder: Path, seed: int) -> tuple[FuzzedDoc, ExtractedText]:
    """The fuzzed document of a seed and what the reader makes of its PDF."""
    doc = _doc(seed)
    path = folder / f"seed-{seed}.pdf"
    path.write_bytes(doc.pdf)
    return doc, read_document(path)


def test_prose_is_kept_with_its_source() -> None:
    assert (PROSE_DIR / "SOURCES.md").read_text(encoding="utf-8").count("public domain") >= 1
    assert len(load_prose().sentences) > 500


def test_same_seed_same_pdf_and_truth() -> None:
    again = fuzz_document(3)
    assert again.pdf == _doc(3).pdf
    assert again.truth_text == _doc(3).truth_text
    assert fuzz_document(4).truth_text != again.truth_text


def test_truth_format() -> None:
    for seed in SEEDS:
        doc = _doc(seed)
        assert doc.truth_text == "\n\n".join(t for t in doc.page_texts if t)
        assert "\n\n\n" not in doc.truth_text and "  " not in doc.truth_text
        for line in doc.furniture:
            if len(line) > 12:
                assert line not in doc.truth_text


def test_every_feature_on_a_tenth_of_the_pages() -> None:
    counts: Counter[str] = Counter()
    pages = 0
    for seed in range(60):
        for features in _doc(seed).features if seed in SEEDS else fuzz_document(seed).features:
            counts.update(features)
            pages += 1
    for feature in FEATURES:
        assert counts[feature] >= 0.1 * pages, (feature, counts[feature], pages)


@pytest.mark.parametrize("seed", SEEDS)
def test_fuzzed_pages_read_in_order_without_furniture(tmp_path: Path, seed: int) -> None:
    doc, result = _read(tmp_path, seed)
    assert leakage(doc.furniture, doc.truth_text, result.text) == 0
    spans = result.page_map.spans
    scores = [
        fidelity(truth, result.text[span.start : span.end])
        for truth, span in zip(doc.page_texts, spans, strict=True)
    ]
    assert min(scores) >= 0.94, scores
    assert fidelity(doc.truth_text, result.text) >= 0.98


#: Seeds whose pages are compared with their truth text exactly.
EXACT_SEEDS = range(60)
#: How each page of EXACT_SEEDS reads today, one word per seed and one mark per page: "=" the
#: page's text is its truth text, byte for byte; "w" the same words, but not in the same order or
#: paragraphs; "." some words differ (a word joined or split at a line end, a table cell lost).
#: A page may read better than this (then mark it so), never worse.
READ_TODAY = " ".join(
    (
        "=== w= w=== ==== ==w ==== === == === === ==== ==== ==== w= === === ==== ==== === .w= ",
        "== === ==== == === ==== ==== == == === == == === === === ==== =.=w == === ==== ",
        "== == ==== ==== ==== ==== == === ==== =w== == ==== ==== w=== == === == =w == == ",
    )
).split()


def _level(truth: str, got: str) -> str:
    if got == truth:
        return "="
    return "w" if Counter(got.split()) == Counter(truth.split()) else "."


@pytest.mark.parametrize("seed", EXACT_SEEDS)
def test_fuzzed_pages_against_their_exact_truth(tmp_path: Path, seed: int) -> None:
    doc, result = _read(tmp_path, seed)
    rank = {".": 0, "w": 1, "=": 2}
    for index, (truth, span) in enumerate(zip(doc.page_texts, result.page_map.spans, strict=True)):
        got = result.text[span.start : span.end]
        expected = READ_TODAY[seed][index]
        if rank[_level(truth, got)] < rank[expected]:
            diff = difflib.unified_diff(truth.split("\n"), got.split("\n"), "truth", "read", n=0)
            pytest.fail(
                f"seed {seed} page {index + 1} reads worse than {expected!r}:\n" + "\n".join(diff)
            )


#: Pages read out of order until the reader ended a band at a blank row across its columns (two
#: bands with the same gutters, staggered tops: seeds 3, 4, 11, 147) or kept a caption at a page's
#: top (277); seed 81's lower band has a column whose only line stands alone; seed 312's middle band
#: a column that no row shows beside its neighbour; seed 306 a URL set over three lines; seeds 14
#: and 300 a heading below a band, after a gap of 1.26 body sizes (tight leading); seeds 40, 95 and
#: 332 figures (blank boxes) that hold a column's room above or between its lines. Then: seed 7 a
#: URL that runs across the gutter into the next column's first word; 18 a line that grazes a
#: figure's edge; 26 a heading below a band after 1.15 body sizes; 231 and 216 a first column
#: that starts lower than the second ends; 10 a heading atop a second column above the first
#: column's first line; 108 a third column all above the band's first row; 98 a list below
#: balanced columns at a page's end; 12 and 44 hyphens ("co-" + "operate" with "co-operating" in
#: the document, "remit-" + "ted"). Seed 841 (unseen range 666-999): a URL set over the next
#: column's first word on another baseline, which had hidden the gutter.
REGRESSION_PAGES = [
    (7, 0),
    (18, 1),
    (26, 3),
    (231, 0),
    (216, 0),
    (10, 0),
    (108, 1),
    (98, 3),
    (12, 3),
    (44, 1),
    (3, 1),
    (4, 1),
    (11, 3),
    (81, 0),
    (147, 1),
    (277, 3),
    (306, 0),
    (312, 1),
    (14, 2),
    (300, 0),
    (841, 3),
]


@pytest.mark.parametrize(("seed", "index"), REGRESSION_PAGES)
def test_pages_that_read_out_of_order_before(tmp_path: Path, seed: int, index: int) -> None:
    doc, result = _read(tmp_path, seed)
    span = result.page_map.spans[index]
    assert fidelity(doc.page_texts[index], result.text[span.start : span.end]) >= 0.995


#: Pages that read byte for byte as their truth since a mechanism was added for them: seeds 240,
#: 44 and 276, two bands with the same gutters and a blank of 1.17-1.19 body sizes between them
#: (a paragraph gap's height in real PDFs), told apart by a column's last line above the blank
#: that runs on; seeds 37 and 63, "co-" + "operating" kept (a short prefix before its own vowel);
#: seed 274, "comp-" + "acts" joined (a line-end piece that is no word of the document). Then,
#: on seeds 333-665 (which no rule had been made on): seeds 388, 496 and 562, a short band of two
#: columns whose second stands all above its first, between full-width lines or tables; 580, 604
#: and 615, the short last lines of paragraphs side by side in columns, under rows of running
#: text, read as a table; 602 and 336, a heading beside a column's line across a gutter narrower
#: than 0.9 of the heading's size; 401, a caption above a figure at the top of a two-page
#: document's page, removed as a running header; 411, a band of figures over a band of text with
#: the same gutters. Then, on seeds 666-999: seed 832, a URL that runs over a narrow gutter up to
#: the next column's line, set on another baseline (rows not level) and closer than a word space
#: (841, over it); seeds 775 and 782, "widespread-" + "ing" and "hazard-" + "ing" joined (a word
#: and an inflection too rare for the word list) and "newcomer-s" + "ervices@…" joined.
EXACT_PAGES = [
    (240, 0),
    (44, 2),
    (276, 1),
    (37, 0),
    (63, 0),
    (274, 2),
    (388, 0),
    (496, 2),
    (562, 2),
    (580, 0),
    (604, 0),
    (615, 1),
    (602, 1),
    (336, 2),
    (401, 0),
    (411, 3),
    (832, 2),
    (775, 1),
    (782, 1),
]


@pytest.mark.parametrize(("seed", "index"), EXACT_PAGES)
def test_pages_that_read_as_their_truth(tmp_path: Path, seed: int, index: int) -> None:
    doc, result = _read(tmp_path, seed)
    span = result.page_map.spans[index]
    assert result.text[span.start : span.end] == doc.page_texts[index]
