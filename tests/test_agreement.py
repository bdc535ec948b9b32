"""Agreement statistics equal the reference implementations on the same data."""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from resdiscourse.agreement import cohen_kappa, krippendorff_alpha_nominal, percent_agreement

codes = st.sampled_from(["a", "b", "c"])


@st.composite
def two_coders(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    size = draw(st.integers(1, 60))
    first = draw(st.lists(codes, min_size=size, max_size=size))
    second = draw(st.lists(codes, min_size=size, max_size=size))
    return first, second


@given(two_coders())
@settings(max_examples=200, deadline=None)
def test_kappa_equals_scikit_learn(pair: tuple[list[str], list[str]]) -> None:
    first, second = pair
    ours = cohen_kappa(first, second)
    with warnings.catch_warnings():  # scikit-learn warns on single-label inputs (degenerate)
        warnings.simplefilter("ignore")
        reference = cohen_kappa_score(first, second)
    if ours.degenerate:
        assert math.isnan(reference) or reference == pytest.approx(1.0)
    else:
        assert ours.value == pytest.approx(reference, abs=1e-12)


def test_kappa_when_both_coders_leave_a_code_empty_is_1_flagged_degenerate() -> None:
    kappa = cohen_kappa([0, 0, 0], [0, 0, 0])
    assert (kappa.value, kappa.degenerate) == (1.0, True)
    assert percent_agreement([0, 0, 0], [0, 0, 0]) == 100.0


def test_kappa_by_hand() -> None:
    # p_o = 0.7; p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4
    first = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    second = [1, 1, 1, 1, 0, 0, 0, 0, 1, 1]
    assert cohen_kappa(first, second).value == pytest.approx(0.4)
    assert percent_agreement(first, second) == pytest.approx(70.0)


@st.composite
def reliability_data(draw: st.DrawFn) -> list[list[str | None]]:
    coders = draw(st.integers(2, 4))
    units = draw(st.integers(2, 30))
    value = st.one_of(st.none(), codes)
    return draw(
        st.lists(st.lists(value, min_size=coders, max_size=coders), min_size=units, max_size=units)
    )


def _reference_alpha(units: list[list[str | None]]) -> float:
    labels = {"a": 0.0, "b": 1.0, "c": 2.0}
    matrix = np.array(
        [[np.nan if v is None else labels[v] for v in unit] for unit in units], dtype=float
    ).T  # krippendorff wants coders × units
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


@given(reliability_data())
@settings(max_examples=200, deadline=None)
def test_alpha_equals_the_krippendorff_package(units: list[list[str | None]]) -> None:
    ours = krippendorff_alpha_nominal(units)
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    values = {v for u in pairable for v in u if v is not None}
    if ours is None:
        assert not pairable or len(values) < 2
        return
    assert ours == pytest.approx(_reference_alpha(units), abs=1e-9)


def test_alpha_by_hand_with_missing_data() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example: 0.743.
    c1 = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    c2 = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c3 = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    c4 = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    units = [list(unit) for unit in zip(c1, c2, c3, c4, strict=True)]
    assert krippendorff_alpha_nominal(units) == pytest.approx(0.743, abs=0.001)


def test_unequal_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="3 and 2 units"):
        cohen_kappa([1, 2, 3], [1, 2])
