"""The shipped codebooks: valid, every example and counterexample passes, enough of them, and the
code ids later work depends on (DESIGN §12)."""

from __future__ import annotations

import pytest

from resdiscourse.codebook.compile import compile_codebook
from resdiscourse.codebook.load import load_codebook, shipped_codebooks
from resdiscourse.codebook.testing import run_codebook_tests
from resdiscourse.coding import code_text

SHIPPED = ["bhuyan-leung-2021", "social-resilience"]


def test_both_codebooks_ship_with_the_package() -> None:
    assert set(SHIPPED) <= set(shipped_codebooks())


@pytest.mark.parametrize("name", SHIPPED)
def test_every_example_and_counterexample_passes(name: str) -> None:
    report = run_codebook_tests(load_codebook(name))
    assert [f"{f.location} {f.code} {f.kind}: {f.detail}" for f in report.failed] == []
    for row in report.per_code():
        assert row["examples"] >= 8, row
        assert row["counterexamples"] >= 4, row


def test_bhuyan_leung_code_ids_are_the_contract() -> None:
    book = load_codebook("bhuyan-leung-2021").codebook
    codes = {dimension: list(d.codes) for dimension, d in book.dimensions.items()}
    assert codes["locus"] == ["attribute", "resource", "civic"]
    assert codes["valence"] == ["deficit", "asset"]
    assert set(codes) == {
        "locus",
        "valence",
        "migrant_group",
        "stressor",
        "responsibility",
        "remedy",
        "function",
    }
    assert "remedy_absent" in codes["remedy"]
    assert book.dimensions["remedy"].codes["remedy_absent"].absent is not None
    assert book.retrieval.all == ["resilience", "migrants"]


@pytest.mark.parametrize("word", ["resilience", "resilient", "resiliency"])
def test_bhuyan_leung_retrieval_terms(word: str) -> None:
    compiled = compile_codebook(load_codebook("bhuyan-leung-2021").codebook)
    for migrants in (
        "immigrants",
        "immigration",
        "migrants",
        "newcomers",
        "refugees",
        "asylum seekers",
        "refugee claimants",
        "undocumented residents",
    ):
        assert code_text(f"The {word} of {migrants} was noted.", compiled), migrants
    french = code_text("La résilience des nouveaux arrivants.", compiled, language="fr")
    assert french
