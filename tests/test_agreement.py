"""Agreement statistics equal the reference implementations on the same data."""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Callable
from typing import Any

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from resdiscourse.agreement import (
    Kappa,
    Pattern,
    Patterns,
    bootstrap_alpha,
    bootstrap_interval,
    bootstrap_kappa,
    bootstrap_percent_agreement,
    cohen_kappa,
    cohen_kappa_counts,
    kappa_or_none,
    krippendorff_alpha_counts,
    krippendorff_alpha_nominal,
    percent_agreement,
    percent_agreement_counts,
)

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


# --- counts-based API ---------------------------------------------------------------------------

maybe_code = st.one_of(st.none(), codes)


@st.composite
def coded_units(draw: st.DrawFn, min_coders: int, max_coders: int) -> list[tuple[str | None, ...]]:
    coders = draw(st.integers(min_coders, max_coders))
    unit = st.tuples(*[maybe_code] * coders)
    return draw(st.lists(unit, min_size=0, max_size=40))


def _decided(units: list[tuple[str | None, ...]]) -> tuple[list[str], list[str]]:
    pairs = [(a, b) for a, b in units if a is not None and b is not None]
    return [a for a, _ in pairs], [b for _, b in pairs]


@given(coded_units(2, 2))
@settings(max_examples=200, deadline=None)
def test_pair_counts_equal_lists_and_scikit_learn(units: list[tuple[str | None, ...]]) -> None:
    counts = Counter(units)
    first, second = [u[0] for u in units], [u[1] for u in units]
    ours = cohen_kappa_counts(counts)
    assert ours == cohen_kappa(first, second)
    assert percent_agreement_counts(counts) == percent_agreement(first, second)
    kept_first, kept_second = _decided(units)
    if not kept_first:
        assert ours == Kappa(1.0, 1.0, 1.0, True)
        assert percent_agreement_counts(counts) == 100.0
        return
    agreed = sum(a == b for a, b in zip(kept_first, kept_second, strict=True))
    assert percent_agreement_counts(counts) == pytest.approx(100.0 * agreed / len(kept_first))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = cohen_kappa_score(kept_first, kept_second)
    if ours.degenerate:
        assert ours.value == 1.0
        assert math.isnan(reference) or reference == pytest.approx(1.0)
    else:
        assert ours.value == pytest.approx(reference, abs=1e-12)


@given(coded_units(2, 5))
@settings(max_examples=300, deadline=None)
def test_alpha_counts_equal_lists_and_the_krippendorff_package(
    units: list[tuple[str | None, ...]],
) -> None:
    ours = krippendorff_alpha_counts(Counter(units))
    assert ours == krippendorff_alpha_nominal(units)
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    if ours is None:
        assert len({v for u in pairable for v in u if v is not None}) < 2
        return
    assert ours == pytest.approx(_reference_alpha([list(u) for u in units]), abs=1e-9)


@given(coded_units(2, 2), coded_units(2, 2))
@settings(max_examples=100, deadline=None)
def test_pooling_pair_tables_equals_concatenating_lists(
    one: list[tuple[str | None, ...]], other: list[tuple[str | None, ...]]
) -> None:
    pooled = Counter(one) + Counter(other)  # Counter "+" drops nothing here: all counts > 0
    both = one + other
    first, second = [u[0] for u in both], [u[1] for u in both]
    kappa, reference = cohen_kappa_counts(pooled), cohen_kappa(first, second)
    assert kappa.value == pytest.approx(reference.value, abs=1e-12)
    assert kappa.degenerate == reference.degenerate
    assert percent_agreement_counts(pooled) == pytest.approx(percent_agreement(first, second))


@given(coded_units(3, 3), coded_units(3, 3))
@settings(max_examples=100, deadline=None)
def test_pooling_alpha_tables_equals_concatenating_lists(
    one: list[tuple[str | None, ...]], other: list[tuple[str | None, ...]]
) -> None:
    ours = krippendorff_alpha_counts(Counter(one) + Counter(other))
    reference = krippendorff_alpha_nominal(one + other)
    assert (ours is None) == (reference is None)
    if ours is not None:
        assert ours == pytest.approx(reference, abs=1e-12)


def test_counts_may_be_large_or_fractional_weights() -> None:
    # A million-character table costs four entries; halving every weight changes nothing.
    table = {(1, 1): 300_000.0, (0, 0): 600_000.0, (1, 0): 60_000.0, (0, 1): 40_000.0}
    halved = {pattern: count / 2 for pattern, count in table.items()}
    assert cohen_kappa_counts(halved).value == pytest.approx(cohen_kappa_counts(table).value)
    assert krippendorff_alpha_counts(halved) == pytest.approx(krippendorff_alpha_counts(table))
    assert percent_agreement_counts(table) == pytest.approx(90.0)


def test_pair_statistics_refuse_other_than_two_coders() -> None:
    with pytest.raises(ValueError, match="two coders"):
        cohen_kappa_counts({(1, 1, 1): 3})


# --- bootstrap ----------------------------------------------------------------------------------


def _segment_clusters(size: int, flip: float, seed: int) -> list[Counter[Pattern]]:
    """One cluster per segment; coder 2 disagrees with coder 1 with probability ``flip``."""
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 2, size=size)
    second = np.where(rng.random(size) < flip, 1 - first, first)
    return [Counter({(int(a), int(b)): 1}) for a, b in zip(first, second, strict=True)]


def _document_clusters(documents: int, seed: int) -> list[Counter[Pattern]]:
    """One cluster per document of 3 coders' character decisions, some of them missing."""
    rng = np.random.default_rng(seed)
    clusters = []
    for _ in range(documents):
        truth = rng.integers(0, 2, size=50)
        coded = np.where(rng.random((3, 50)) < 0.15, 1 - truth, truth).astype(object)
        coded[rng.random((3, 50)) < 0.1] = None
        clusters.append(Counter(tuple(unit) for unit in coded.T.tolist()))
    return clusters


def test_bootstrap_is_deterministic_per_seed() -> None:
    clusters = _segment_clusters(300, 0.2, seed=1)
    assert bootstrap_kappa(clusters, seed=7) == bootstrap_kappa(clusters, seed=7)
    assert bootstrap_kappa(clusters, seed=7) != bootstrap_kappa(clusters, seed=8)
    assert bootstrap_interval(clusters, kappa_or_none, seed=7) == bootstrap_kappa(clusters, seed=7)


def test_bootstrap_interval_contains_the_point_estimate() -> None:
    segments = _segment_clusters(300, 0.2, seed=2)
    kappa = cohen_kappa_counts(sum(segments, Counter())).value
    interval = bootstrap_kappa(segments, seed=3)
    assert interval is not None and interval[0] < kappa < interval[1]
    documents = _document_clusters(40, seed=4)
    alpha = krippendorff_alpha_counts(sum(documents, Counter()))
    interval = bootstrap_alpha(documents, seed=5)
    assert alpha is not None and interval is not None and interval[0] < alpha < interval[1]


def test_bootstrap_of_perfect_agreement_is_one() -> None:
    clusters = [Counter({(1, 1): 3, (0, 0): 2}), Counter({(1, 1): 1, (0, 0): 4}), {(0, 0): 1}]
    assert bootstrap_kappa(clusters, seed=0) == (1.0, 1.0)
    assert bootstrap_alpha(clusters, seed=0) == (1.0, 1.0)
    assert bootstrap_percent_agreement(clusters, seed=0) == (100.0, 100.0)


def test_bootstrap_needs_two_clusters_and_mostly_defined_resamples() -> None:
    assert bootstrap_kappa([Counter({(1, 0): 5, (0, 0): 5})], seed=0) is None
    assert bootstrap_interval([], kappa_or_none, seed=0) is None
    # Alpha is undefined when a resample holds only the single-value cluster: with 2 clusters,
    # that is a quarter of the resamples, still a value for most.
    assert bootstrap_alpha([{(1, 1): 2}, {(0, 1): 2, (0, 0): 1}], seed=0) is not None
    never: list[dict[Pattern, float]] = [{(1, 1): 2}, {(1, None): 2}]  # only ever one value
    assert bootstrap_alpha(never, seed=0) is None


def _rare_code_clusters() -> list[Counter[Pattern]]:
    """The reviewer's case: the code occurs in one document of seven, so about a third of the
    resamples leave it out and their kappa is degenerate."""
    rare = Counter({(1, 1): 50, (1, 0): 168, (0, 0): 8000})
    return [rare] + [Counter({(0, 0): 8000}) for _ in range(6)]


def test_bootstrap_kappa_skips_degenerate_resamples() -> None:
    clusters = _rare_code_clusters()
    point = cohen_kappa_counts(sum(clusters, Counter()))
    assert not point.degenerate and point.value == pytest.approx(0.3722, abs=1e-4)
    interval = bootstrap_kappa(clusters, seed=0)
    assert interval is not None
    low, high = interval
    # Degenerate resamples counted as 1.0 gave (0.370, 1.0).
    assert high < 1.0
    assert low - 0.01 <= point.value <= high + 0.01
    assert bootstrap_interval(clusters, kappa_or_none, seed=0) == interval
    # The point estimate keeps the 1.0 convention for a degenerate table.
    assert cohen_kappa_counts(clusters[1]).value == 1.0 and kappa_or_none(clusters[1]) is None


def test_bootstrap_kappa_is_none_when_most_resamples_are_degenerate() -> None:
    # Kappa is defined only in resamples holding both decided clusters; with 8 clusters nobody
    # decided, that is 1 - 2 * 0.9^10 + 0.8^10 = 41 % of them, under half.
    clusters = [Counter({(1, 1): 3}), Counter({(0, 0): 3})]
    clusters += [Counter({(1, None): 3}) for _ in range(8)]
    assert bootstrap_kappa(clusters, seed=0) is None
    assert bootstrap_interval(clusters, kappa_or_none, seed=0) is None


def _naive_interval(
    clusters: list[Counter[Pattern]],
    statistic: Callable[[Patterns], float | None],
    seed: int,
    resamples: int,
) -> tuple[float, float]:
    """The bootstrap written out: same draws (one ``integers`` call per resample), Counter sums."""
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        pooled: Counter[Pattern] = Counter()
        for drawn in rng.integers(0, len(clusters), size=len(clusters)):
            pooled.update(clusters[drawn])
        value = statistic(pooled)
        if value is not None:
            values.append(value)
    low, high = np.quantile(values, [0.05, 0.95])
    return float(low), float(high)


def test_vectorised_bootstrap_equals_a_naive_loop() -> None:
    segments = _segment_clusters(30, 0.3, seed=6)
    documents = _document_clusters(8, seed=7)
    pairs = [Counter({p[:2]: c for p, c in doc.items()}) for doc in documents]
    cases: list[tuple[Callable[..., tuple[float, float] | None], list[Counter[Pattern]], Any]] = [
        (bootstrap_kappa, segments, kappa_or_none),
        (bootstrap_kappa, pairs, kappa_or_none),
        (bootstrap_kappa, _rare_code_clusters(), kappa_or_none),
        (bootstrap_percent_agreement, pairs, percent_agreement_counts),
        (bootstrap_alpha, documents, krippendorff_alpha_counts),
    ]
    for vectorised, clusters, statistic in cases:
        expected = _naive_interval(clusters, statistic, seed=11, resamples=200)
        fast = vectorised(clusters, seed=11, resamples=200, level=0.9)
        generic = bootstrap_interval(clusters, statistic, seed=11, resamples=200, level=0.9)
        assert fast == pytest.approx(expected, abs=1e-12)
        assert generic == pytest.approx(expected, abs=1e-12)


def test_bootstrap_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="level"):
        bootstrap_kappa(_segment_clusters(10, 0.1, seed=0), seed=0, level=95)
    with pytest.raises(ValueError, match="resamples"):
        bootstrap_alpha(_segment_clusters(10, 0.1, seed=0), seed=0, resamples=0)
