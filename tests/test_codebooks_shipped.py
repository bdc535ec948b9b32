"""The shipped codebooks: valid, every example and counterexample passes, enough of them, and the
code ids later work depends on (DESIGN §12)."""

from __future__ import annotations

import hashlib

import pytest

from resdiscourse.codebook.compile import compile_codebook
from resdiscourse.codebook.load import (
    archived_versions,
    load_codebook,
    shipped_codebooks,
    shipped_versions,
)
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


# --- earlier versions -------------------------------------------------------------------------

#: The sha256 of bhuyan-leung-2021.yml as released at 1.0.0 (commit 730d855): the archived copy
#: must stay byte-identical, or runs coded with 1.0.0 cannot be repeated.
BHUYAN_LEUNG_1_0_0_SHA256 = "9380baf95328cb9fd84b564bd03094de62d88a09709ee421537d0dcca4e0df1d"


def test_bhuyan_leung_1_0_0_stays_loadable_byte_for_byte() -> None:
    loaded = load_codebook("bhuyan-leung-2021@1.0.0")
    assert loaded.codebook.name == "bhuyan-leung-2021"
    assert loaded.codebook.version == "1.0.0"
    assert loaded.sha256 == BHUYAN_LEUNG_1_0_0_SHA256
    assert loaded.sha256 == hashlib.sha256(loaded.path.read_bytes()).hexdigest()
    assert loaded.path.parent.name == "versions"
    assert "1.0.0" in shipped_versions("bhuyan-leung-2021")


@pytest.mark.parametrize(
    ("name", "version"),
    [(name, version) for name in SHIPPED for version in archived_versions(name)],
)
def test_every_archived_version_is_valid_and_what_its_file_name_says(
    name: str, version: str
) -> None:
    loaded = load_codebook(f"{name}@{version}")
    assert (loaded.codebook.name, loaded.codebook.version) == (name, version)
    current = load_codebook(name)
    # A changed codebook gets a new version number; the archive keeps the old one as released.
    assert current.codebook.version != version or current.sha256 == loaded.sha256


@pytest.mark.parametrize("name", SHIPPED)
def test_the_current_version_loads_by_its_number(name: str) -> None:
    current = load_codebook(name)
    assert load_codebook(f"{name}@{current.codebook.version}").sha256 == current.sha256
    assert shipped_versions(name)[-1] == current.codebook.version
