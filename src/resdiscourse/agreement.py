"""Agreement statistics between coders: percent agreement, Cohen's kappa, Krippendorff's alpha.

Plain functions on plain lists, for ``resdiscourse compare`` (DESIGN §8). Each takes the decisions
of coders on the same units (characters or segments) and returns None where a statistic is not
defined, so that a caller can report why instead of a NaN.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import permutations


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa with its parts; ``degenerate`` when chance agreement is total (both coders
    gave every unit the same single value), where kappa is reported as 1.0 as NVivo does."""

    value: float
    observed: float
    expected: float
    degenerate: bool


def percent_agreement(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Share of units (0–100) on which the two coders agree."""
    _check_pair(first, second)
    if not first:
        return 100.0
    return 100.0 * sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> Kappa:
    """Cohen's kappa of two coders over the same units: (p_o - p_e) / (1 - p_e)."""
    _check_pair(first, second)
    total = len(first)
    if total == 0:
        return Kappa(1.0, 1.0, 1.0, True)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / total
    counts_first, counts_second = Counter(first), Counter(second)
    expected = sum(counts_first[v] * counts_second[v] for v in counts_first) / (total * total)
    if expected == 1.0:
        return Kappa(1.0, observed, expected, True)
    return Kappa((observed - expected) / (1.0 - expected), observed, expected, False)


def krippendorff_alpha_nominal(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data; ``units[u][c]`` is coder c's value for unit u, None
    when missing. Units with fewer than two values are not pairable and do not count. None when
    alpha is undefined (no pairable unit, or a single value overall: no expected disagreement)."""
    coincidences: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for unit in units:
        values = [value for value in unit if value is not None]
        if len(values) < 2:
            continue
        weight = 1.0 / (len(values) - 1)
        for a, b in permutations(values, 2):
            coincidences[(a, b)] += weight
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for (a, _), weight in coincidences.items():
        totals[a] += weight
    n = sum(totals.values())
    observed = sum(w for (a, b), w in coincidences.items() if a != b)
    expected = (
        sum(totals[a] * totals[b] for a in totals for b in totals if a != b) / (n - 1)
        if n > 1
        else 0.0
    )
    if expected == 0.0:
        return None
    return 1.0 - observed / expected


def _check_pair(first: Sequence[Hashable], second: Sequence[Hashable]) -> None:
    if len(first) != len(second):
        raise ValueError(f"the coders coded {len(first)} and {len(second)} units, not the same")
