"""Coding a text that mixes English and French: each part with its own language's terms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resdiscourse.codebook.load import load_codebook
from resdiscourse.coding import CodedSegment, code_text, codebook_languages, prepare_text
from resdiscourse.ingest.language import LanguagePart
from resdiscourse.matching.compile import CompiledCodebook, compile_codebook

EN = [
    "Newcomers have repeatedly demonstrated their resilience by finding work and housing.",
    "The city will publish its annual report on settlement services in the spring.",
]
FR = [
    "Les nouveaux arrivants ont fait preuve de résilience en trouvant un emploi et un logement.",
    "La ville publiera son rapport annuel sur les services d’établissement au printemps.",
]
HEADING = "Résilience des nouveaux arrivants"


@pytest.fixture(scope="module")
def compiled() -> CompiledCodebook:
    return compile_codebook(load_codebook("bhuyan-leung-2021").codebook)


def _retrieved(text: str, segments: list[CodedSegment]) -> list[str]:
    return [text[s.segment.start : s.segment.end] for s in segments]


def test_each_part_is_matched_with_its_own_terms(compiled: CompiledCodebook) -> None:
    text = "\n\n".join([*EN, HEADING, *FR]) + "\n"
    prepared = prepare_text(text, compiled, language="en")
    french_from = text.index(HEADING)
    assert prepared.parts == (
        LanguagePart(0, french_from, "en"),
        LanguagePart(french_from, len(text), "fr"),
    )
    assert _retrieved(text, code_text(text, compiled, language="en")) == [EN[0], HEADING, FR[0]]
    # The French paragraph alone, told it is English, is matched with the English terms: missed.
    assert code_text(FR[0], compiled, language="en") == []
    assert _retrieved(FR[0], code_text(FR[0], compiled, language="fr")) == [FR[0]]


def test_one_language_keeps_the_language_it_was_given(compiled: CompiledCodebook) -> None:
    text = "\n\n".join(EN) + "\n"
    prepared = prepare_text(text, compiled, language="fr")
    assert (prepared.parts, prepared.language, prepared.pipeline.language) == ((), "fr", "fr")


def test_the_codebook_languages(compiled: CompiledCodebook) -> None:
    assert codebook_languages(compiled) == ("en", "fr")


def test_a_bilingual_pdf_is_coded_part_by_part(tmp_path: Path, compiled: CompiledCodebook) -> None:
    pytest.importorskip("reportlab")
    from resdiscourse.ingest.corpus import ingest_corpus
    from tests.support.synthpdf import Band, Block, DocSpec, PageSpec, build_pdf

    english = [Block("Settlement Services Update", "heading"), *(Block(t) for t in EN)]
    french = [Block(HEADING, "heading"), *(Block(t) for t in FR)]
    spec = DocSpec(pages=[PageSpec([Band(1, english)]), PageSpec([Band(1, french)])], footer=None)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bilingual.pdf").write_bytes(build_pdf(spec).pdf)
    summary = ingest_corpus(corpus, out=tmp_path / "out")
    (row,) = summary.rows
    text = (tmp_path / "out" / "texts" / "bilingual.txt").read_text(encoding="utf-8")
    pages = json.loads((tmp_path / "out" / "pages" / "bilingual.json").read_text(encoding="utf-8"))
    # French has more letters here, so the document is French and the English part is reported.
    assert row["language"] == "fr"
    ((start, end, language),) = pages["languages"]
    assert (start, language) == (0, "en") and text[end:].startswith(HEADING)
    segments = code_text(text, compiled, language=row["language"])
    assert _retrieved(text, segments) == [EN[0], HEADING, FR[0]]
    assert segments[0].segment.end < end == segments[1].segment.start
