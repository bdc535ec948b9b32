"""The shipped Bhuyan–Leung codebook against ../shared/gold-dev.yaml (DESIGN §12 "Gold scoring")."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from resdiscourse.codebook.compile import compile_codebook
from resdiscourse.codebook.gold import GoldItem, GoldScore, Prediction, _f1, load_gold, score_gold
from resdiscourse.codebook.load import load_codebook
from tests.conftest import SHARED, need_shared

GOLD = SHARED / "gold-dev.yaml"


@pytest.fixture(scope="module")
def score() -> GoldScore:
    need_shared(GOLD)
    compiled = compile_codebook(load_codebook("bhuyan-leung-2021").codebook)
    return score_gold(load_gold(GOLD), compiled)


def test_gold_retrieval_is_exact(score: GoldScore) -> None:
    assert score.retrieval_errors == []


@pytest.mark.parametrize("dimension", ["locus", "valence"])
def test_gold_macro_f1_is_at_least_0_9(score: GoldScore, dimension: str) -> None:
    assert score.macro_f1(dimension) >= 0.9, score.errors(dimension)


def _prediction(gold: str | None, guess: str | None) -> Prediction:
    item = GoldItem("x", "text", True, {"locus": gold})
    return Prediction(item, True, {"locus": guess})


def test_f1_counts_true_and_false_positives_and_negatives() -> None:
    predictions = [
        _prediction("attribute", "attribute"),  # TP
        _prediction("attribute", None),  # FN
        _prediction(None, "attribute"),  # FP
        _prediction("resource", "resource"),
    ]
    assert _f1(predictions, "locus", "attribute") == pytest.approx(2 / (2 + 1 + 1))
    assert _f1(predictions, "locus", "resource") == 1.0
    assert _f1(predictions, "locus", "civic") == 1.0  # never gold, never guessed


def test_the_second_coders_labels_pair_with_gold_real_own_and_use_valid_codes() -> None:
    data = Path(__file__).resolve().parent / "data"
    first = {
        row["id"]: row
        for row in yaml.safe_load((data / "gold-real-own.yaml").read_text("utf-8"))["items"]
    }
    second = yaml.safe_load((data / "gold-real-own-second-coder.yaml").read_text("utf-8"))["items"]
    assert len(second) == 100 == len({row["id"] for row in second})
    for row in second:
        assert first[row["id"]]["retrieved"] is True
        assert row["locus"] in ("attribute", "resource", "civic", "none")
        assert row["valence"] in ("deficit", "asset", "none")
        assert row["labelled_by"] != first[row["id"]]["labelled_by"]
