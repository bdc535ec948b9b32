"""Gold files (resdiscourse.validity.gold): the F1 they are scored with, and the second coder's
labels of tests/data/gold-real-own.yaml. The shipped codebook's gold-dev floor is tested in
test_codebook_eval.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from resdiscourse.validity.gold import f1_score


@pytest.mark.parametrize(
    ("tp", "fp", "fn", "expected"),
    [(2, 1, 1, 4 / 6), (3, 0, 0, 1.0), (0, 2, 0, 0.0), (0, 0, 3, 0.0), (0, 0, 0, 1.0)],
)
def test_f1_is_twice_tp_over_twice_tp_plus_errors(
    tp: int, fp: int, fn: int, expected: float
) -> None:
    # 1.0 when the code is neither in the gold nor predicted: an unused code does not pull the
    # macro-F1 down.
    assert f1_score(tp, fp, fn) == pytest.approx(expected)


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
