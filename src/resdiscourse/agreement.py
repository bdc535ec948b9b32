"""Agreement statistics between coders: percent agreement, Cohen's kappa, Krippendorff's alpha.

For ``resdiscourse compare``. Every statistic is computed from COUNTS of patterns: a
pattern is the tuple of the coders' values on one unit (a character or a segment), None where a
coder has no decision for that unit, and a :data:`Patterns` table maps each distinct pattern to how
many units have it (floats allowed as weights). Corpora of millions of characters then cost one
entry per distinct pattern, tables of several codes, sources or documents pool by adding their
counts, and a cluster bootstrap resamples whole tables. The list-based functions are thin wrappers
over the counts-based ones, so each formula has one implementation.

Statistics return None where they are not defined, so that a caller can report why instead of a
NaN.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

Pattern = tuple[Hashable | None, ...]
"""The coders' values on one unit, in coder order; None where a coder has no decision."""

Patterns = Mapping[Pattern, float]
"""How many units (or how much weight) have each distinct pattern."""

# The functions are generic in the pattern type because Mapping is invariant in its keys: a
# dict[tuple[str, str], int] is not a Mapping[tuple[Hashable | None, ...], float].
P = TypeVar("P", bound=Pattern)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
# Pattern list -> per-pattern additive features (patterns × features); sums of feature rows over
# units are sufficient for a statistic, which is what makes pooling and resampling cheap.
_Features = Callable[[Sequence[Pattern]], FloatArray]

# Resample rows per matrix product in the bootstrap, bounding memory to ~16 MB per chunk.
_CHUNK_CELLS = 2_000_000


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa with its parts; ``degenerate`` when chance agreement is total (both coders
    gave every unit the same single value, or there is no unit), where kappa is reported as 1.0
    as NVivo does (:func:`bootstrap_kappa` skips such resamples instead)."""

    value: float
    observed: float
    expected: float
    degenerate: bool


# --- counts-based API ---------------------------------------------------------------------------


def percent_agreement_counts(patterns: Mapping[P, float]) -> float:
    """Share (0–100) of units on which two coders agree. Patterns are pairs; units where either
    value is None are left out (only units both coders decided count); 100.0 without any unit."""
    sums = _weighted_sums(patterns, _pair_features)[0]
    total, agree = sums[0], sums[1]
    return 100.0 if total == 0 else float(100.0 * agree / total)


def cohen_kappa_counts(patterns: Mapping[P, float]) -> Kappa:
    """Cohen's kappa of two coders, (p_o - p_e) / (1 - p_e), from pair counts. Units where either
    value is None are left out. Degenerate 1.0 when p_e = 1 or there is no unit."""
    value, observed, expected, degenerate = _kappa_from_sums(
        _weighted_sums(patterns, _pair_features)
    )
    return Kappa(float(value[0]), float(observed[0]), float(expected[0]), bool(degenerate[0]))


def krippendorff_alpha_counts(patterns: Mapping[P, float]) -> float | None:
    """Krippendorff's alpha for nominal data, any number of coders, from pattern counts. None
    values are missing; units with fewer than two values are not pairable and do not count. None
    when alpha is undefined (no pairable unit, or a single value overall: no expected
    disagreement)."""
    alpha = _alpha_from_sums(_weighted_sums(patterns, _alpha_features))[0]
    return None if np.isnan(alpha) else float(alpha)


# --- list-based wrappers ------------------------------------------------------------------------


def percent_agreement(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Share of units (0–100) on which the two coders agree; see :func:`percent_agreement_counts`
    (None = no decision)."""
    return percent_agreement_counts(_pair_counts(first, second))


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> Kappa:
    """Cohen's kappa of two coders over the same units; see :func:`cohen_kappa_counts`."""
    return cohen_kappa_counts(_pair_counts(first, second))


def krippendorff_alpha_nominal(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data; ``units[u][c]`` is coder c's value for unit u, None
    when missing; see :func:`krippendorff_alpha_counts`."""
    return krippendorff_alpha_counts(Counter(tuple(unit) for unit in units))


def _pair_counts(first: Sequence[Hashable], second: Sequence[Hashable]) -> Counter[Pattern]:
    if len(first) != len(second):
        raise ValueError(f"the coders coded {len(first)} and {len(second)} units, not the same")
    return Counter(zip(first, second, strict=True))


# --- cluster bootstrap --------------------------------------------------------------------------


def bootstrap_interval(
    clusters: Sequence[Mapping[P, float]],
    statistic: Callable[[Mapping[P, float]], float | None],
    *,
    seed: int,
    resamples: int = 1000,
    level: float = 0.95,
) -> tuple[float, float] | None:
    """Percentile interval of ``statistic`` under a cluster bootstrap.

    Each cluster is the pattern table of one resampling unit: one per segment for segment-level
    statistics, one per document or source for character-level ones (characters of a document are
    not independent). Resample r draws ``numpy.random.default_rng(seed).integers(0, K, size=K)``
    (K = len(clusters), one call per resample, in order), i.e. K clusters with replacement, sums
    their tables and computes the statistic. Resamples where it is None (undefined) are skipped;
    None with fewer than 2 clusters or when fewer than half the resamples give a value. A statistic
    should return None rather than a conventional value where it is undefined (for kappa, use
    :func:`kappa_or_none`, not ``cohen_kappa_counts(p).value``), or the interval is pulled towards
    that convention.

    Any statistic works here, called once per resample; :func:`bootstrap_kappa`,
    :func:`bootstrap_alpha` and :func:`bootstrap_percent_agreement` draw the same resamples and
    compute everything with numpy, for many clusters and resamples.
    """
    _check_bootstrap(resamples, level)
    if len(clusters) < 2:
        return None
    patterns, matrix = _cluster_matrix(clusters)
    values: list[float] = []
    for chunk in _resample_chunks(len(clusters), resamples, seed):
        for row in chunk @ matrix:
            value = statistic({p: float(w) for p, w in zip(patterns, row, strict=True) if w})
            if value is not None:
                values.append(value)
    return _percentile_interval(np.array(values, dtype=np.float64), resamples, level)


def bootstrap_kappa(
    clusters: Sequence[Mapping[P, float]], *, seed: int, resamples: int = 1000, level: float = 0.95
) -> tuple[float, float] | None:
    """Vectorised ``bootstrap_interval(clusters, kappa_or_none, ...)``: same draws, same interval.

    Unlike the point estimate (:func:`cohen_kappa_counts`, where a degenerate kappa is reported as
    1.0 as NVivo does), a degenerate resample (chance agreement total, e.g. the resample left out
    every cluster where a value other than the common one occurs) is undefined here and skipped,
    as for alpha: counting it as 1.0 would stretch the interval to 1.0 whatever the agreement.
    None when fewer than half the resamples are defined.
    """
    sums = _bootstrap_sums(clusters, _pair_features, seed, resamples, level)
    if sums is None:
        return None
    value, _, _, degenerate = _kappa_from_sums(sums)
    return _percentile_interval(np.where(degenerate, np.nan, value), resamples, level)


def kappa_or_none(patterns: Mapping[P, float]) -> float | None:
    """Cohen's kappa of a pair-count table, None where it is degenerate (chance agreement total
    or no unit): the statistic :func:`bootstrap_kappa` computes per resample, for
    :func:`bootstrap_interval`."""
    kappa = cohen_kappa_counts(patterns)
    return None if kappa.degenerate else kappa.value


def bootstrap_alpha(
    clusters: Sequence[Mapping[P, float]], *, seed: int, resamples: int = 1000, level: float = 0.95
) -> tuple[float, float] | None:
    """Vectorised ``bootstrap_interval(clusters, krippendorff_alpha_counts, ...)``: same draws,
    same interval; resamples where alpha is undefined are skipped."""
    sums = _bootstrap_sums(clusters, _alpha_features, seed, resamples, level)
    return None if sums is None else _percentile_interval(_alpha_from_sums(sums), resamples, level)


def bootstrap_percent_agreement(
    clusters: Sequence[Mapping[P, float]], *, seed: int, resamples: int = 1000, level: float = 0.95
) -> tuple[float, float] | None:
    """Vectorised ``bootstrap_interval(clusters, percent_agreement_counts, ...)``."""
    sums = _bootstrap_sums(clusters, _pair_features, seed, resamples, level)
    if sums is None:
        return None
    total, agree = sums[:, 0], sums[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(total == 0, 100.0, 100.0 * agree / total)
    return _percentile_interval(values, resamples, level)


def _check_bootstrap(resamples: int, level: float) -> None:
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, not {resamples}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, not {level}")


def _cluster_matrix(clusters: Sequence[Mapping[P, float]]) -> tuple[list[P], FloatArray]:
    """The distinct patterns of all clusters and the clusters × patterns count matrix."""
    columns: dict[P, int] = {}
    for cluster in clusters:
        for pattern in cluster:
            columns.setdefault(pattern, len(columns))
    matrix = np.zeros((len(clusters), len(columns)), dtype=np.float64)
    for row, cluster in enumerate(clusters):
        for pattern, count in cluster.items():
            matrix[row, columns[pattern]] = count
    return list(columns), matrix


def _resample_chunks(clusters: int, resamples: int, seed: int) -> Iterator[FloatArray]:
    """Blocks of resamples × clusters: how many times each cluster was drawn in each resample."""
    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_CELLS // clusters)
    for start in range(0, resamples, chunk):
        rows = min(chunk, resamples - start)
        block = np.empty((rows, clusters), dtype=np.float64)
        for row in range(rows):
            block[row] = np.bincount(rng.integers(0, clusters, size=clusters), minlength=clusters)
        yield block


def _bootstrap_sums(
    clusters: Sequence[Mapping[P, float]],
    features: _Features,
    seed: int,
    resamples: int,
    level: float,
) -> FloatArray | None:
    """Summed features of each resample (resamples × features); None under 2 clusters."""
    _check_bootstrap(resamples, level)
    if len(clusters) < 2:
        return None
    patterns, matrix = _cluster_matrix(clusters)
    per_cluster = matrix @ features(patterns)
    return np.vstack(
        [chunk @ per_cluster for chunk in _resample_chunks(len(clusters), resamples, seed)]
    )


def _percentile_interval(
    values: FloatArray, resamples: int, level: float
) -> tuple[float, float] | None:
    values = values[~np.isnan(values)]
    if 2 * values.size < resamples:
        return None
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(values, [tail, 1.0 - tail])
    return float(low), float(high)


# --- features and formulas ----------------------------------------------------------------------


def _weighted_sums(patterns: Mapping[P, float], features: _Features) -> FloatArray:
    """Features summed over one table, as a single row."""
    keys = list(patterns)
    weights = np.array([patterns[key] for key in keys], dtype=np.float64)
    return (weights @ features(keys))[np.newaxis, :]


def _value_index(values: Iterable[Hashable]) -> dict[Hashable, int]:
    index: dict[Hashable, int] = {}
    for value in values:
        index.setdefault(value, len(index))
    return index


def _pair_features(patterns: Sequence[Pattern]) -> FloatArray:
    """Per pair: [decided by both, agreed, one-hot of coder 1's value, one-hot of coder 2's]."""
    for pattern in patterns:
        if len(pattern) != 2:
            raise ValueError(f"two coders needed, got the pattern {pattern!r}")
    decided = [p for p in patterns if p[0] is not None and p[1] is not None]
    index = _value_index(v for p in decided for v in p)
    width = len(index)
    table = np.zeros((len(patterns), 2 + 2 * width), dtype=np.float64)
    for row, (first, second) in enumerate(patterns):
        if first is None or second is None:
            continue  # not decided by both: counts nowhere
        table[row, 0] = 1.0
        table[row, 1] = float(first == second)
        table[row, 2 + index[first]] = 1.0
        table[row, 2 + width + index[second]] = 1.0
    return table


def _kappa_from_sums(sums: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    """Kappa, p_o, p_e and degeneracy for each row of summed pair features."""
    width = (sums.shape[1] - 2) // 2
    total, agree = sums[:, 0], sums[:, 1]
    first, second = sums[:, 2 : 2 + width], sums[:, 2 + width :]
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.where(total == 0, 1.0, agree / total)
        expected = np.where(total == 0, 1.0, (first * second).sum(axis=1) / (total * total))
        degenerate = expected == 1.0
        value = np.where(degenerate, 1.0, (observed - expected) / (1.0 - expected))
    return value, observed, expected, degenerate


def _alpha_features(patterns: Sequence[Pattern]) -> FloatArray:
    """Per pattern: [disagreeing pairs / (m - 1), count of each value] over its m non-missing
    values, all zero when m < 2 (not pairable). Value counts summed over units are the marginals
    n_c of the coincidence matrix; the first column sums to its off-diagonal total."""
    present = [[v for v in p if v is not None] for p in patterns]
    index = _value_index(v for values in present if len(values) >= 2 for v in values)
    table = np.zeros((len(patterns), 1 + len(index)), dtype=np.float64)
    for row, values in enumerate(present):
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        # Computed per pattern on small integers, so a near-perfect agreement on millions of
        # units does not come out of a cancellation n - (agreeing pairs).
        table[row, 0] = (m * m - sum(c * c for c in counts.values())) / (m - 1)
        for value, count in counts.items():
            table[row, 1 + index[value]] = count
    return table


def _alpha_from_sums(sums: FloatArray) -> FloatArray:
    """Alpha for each row of summed alpha features; NaN where undefined.

    alpha = 1 - D_o / D_e with D_o the off-diagonal coincidences and D_e = sum_{c != k} n_c n_k /
    (n - 1); the sum over c != k is taken as sum_c n_c (n - n_c), free of cancellation.
    """
    disagreement, marginals = sums[:, 0], sums[:, 1:]
    n = marginals.sum(axis=1)
    pairs = (marginals * (n[:, np.newaxis] - marginals)).sum(axis=1)
    defined = (n > 1) & (pairs > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(defined, 1.0 - (n - 1) * disagreement / pairs, np.nan)
