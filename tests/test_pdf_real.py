"""Real government PDFs (../shared/corpora-real/pdfs): text, known phrases, no running furniture."""

from __future__ import annotations

import re

import pytest

from resdiscourse.ingest.reader import read_document
from tests.conftest import REAL, need_shared

PDFS = REAL / "pdfs"

PHRASES = {
    "us-federal-register-2020-17221.pdf": "The FAA proposes to supersede Airworthiness Directive",
    "ircc-ip03-resettlement-refugees-abroad-part4.pdf": (
        "Joint Assistance Sponsorship (JAS) refers to a joint undertaking by the sponsoring group"
    ),
    "chelsea-qc-plan-directeur-transport-actif-2021-fr.pdf": (
        "Il est important de mettre à jour le PDTA"
    ),
    "ircc-op08-entrepreneur-self-employed.pdf": (
        "assist visa offices in making decisions on persons applying in this class."
    ),
    "us-irs-i1040nr-2007-nonresident-alien-instructions.pdf": (
        "You must provide the information required for each type of income for which a treaty "
        "claim is made."
    ),
}

# Running headers/footers of each file, as patterns that must not survive in the body text.
FURNITURE = {
    "ircc-op08-entrepreneur-self-employed.pdf": [
        r"2016-02-23 \d+\b",
        r"OP 8 Entrepreneur and Self-Employed",
    ],
    "us-irs-i1040nr-2007-nonresident-alien-instructions.pdf": [
        r"Page \d+ of 48",
        r"-\d+- Instructions for Form 1040NR",
        r"The type and rule above prints",
    ],
    "us-federal-register-2020-17221.pdf": [r"/ Proposed Rules", r"VerDate", r"Jkt 250001"],
    "chelsea-qc-plan-directeur-transport-actif-2021-fr.pdf": [r"Rapport final_2021"],
    "ircc-ip03-resettlement-refugees-abroad-part1.pdf": [r"IP 3 In-Canada Processing"],
}


def _all_pdfs() -> list[str]:
    return sorted(p.name for p in PDFS.glob("*.pdf")) if PDFS.is_dir() else ["(no shared data)"]


@pytest.mark.parametrize("name", _all_pdfs())
def test_real_pdf_reads_cleanly(name: str) -> None:
    result = read_document(need_shared(PDFS / name))
    assert result.status == "ok", [p.one_line() for p in result.problems]
    assert len(result.text) > 1000
    assert "\n\n\n" not in result.text and result.text == result.text.strip()
    spans = result.page_map.spans
    assert [s.page for s in spans] == list(range(1, result.pages + 1))
    assert spans[-1].end == len(result.text)


@pytest.mark.parametrize("name", sorted(PHRASES))
def test_known_phrase_survives_in_one_piece(name: str) -> None:
    result = read_document(need_shared(PDFS / name))
    assert PHRASES[name] in result.text


@pytest.mark.parametrize("name", sorted(FURNITURE))
def test_running_headers_and_footers_are_gone(name: str) -> None:
    result = read_document(need_shared(PDFS / name))
    for pattern in FURNITURE[name]:
        assert not re.search(pattern, result.text), pattern


def test_printed_folios_become_page_labels() -> None:
    """The folio printed in the IRS running header ("Page 4 of 48") becomes the page label."""
    result = read_document(
        need_shared(PDFS / "us-irs-i1040nr-2007-nonresident-alien-instructions.pdf")
    )
    labels = {s.page: s.page_label for s in result.page_map.spans}
    assert labels[4] == "4"
    assert len(set(labels.values())) > 40


def test_empty_user_password_opens_without_asking() -> None:
    result = read_document(need_shared(PDFS / "us-copyright-office-dmca-1998-summary.pdf"))
    assert result.status == "ok"
    assert "Digital Millennium Copyright Act" in result.text


@pytest.mark.parametrize(
    "name", ["ircc-enf18-human-rights-violations.pdf", "ircc-enf20-detention.pdf"]
)
def test_table_of_contents_makes_no_huge_sentence(name: str) -> None:
    """Each contents entry (dot leaders, page number) is its own paragraph, and bullet glyphs
    from the Symbol font become "•"."""
    from resdiscourse.nlp import build_pipeline
    from resdiscourse.segment import segment_text

    result = read_document(need_shared(PDFS / name))
    segmented = segment_text(result.text, build_pipeline("en"))
    lengths = [s.end - s.start for s in segmented.sentences]
    assert max(lengths) <= 1500
    assert "\uf0b7" not in result.text and "(cid:" not in result.text


def test_bold_subheadings_in_body_type_are_heading_blocks() -> None:
    """The guidebook sets its subheadings in Arial Bold at the body's size; its timeline diagram
    and its contents' section numbers are bold too, and are no headings."""
    result = read_document(need_shared(PDFS / "tbs-open-government-guidebook-2023.pdf"))
    headings = {result.text[b.start : b.end] for b in result.blocks if b.kind == "heading"}
    assert {"Helpful links and resources", "Service to the public", "Data dictionary"} <= headings
    assert not headings & {"1.", "2.", "T", "funding for Open"}
