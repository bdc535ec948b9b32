"""Krippendorff's alpha on real crowd coding equals the reference package.

Data: the CrowdFlower judgments behind Benoit et al. (2016), "Crowd-sourced text analysis", APSR
110(2) — shared/corpora-real/SOURCES.md §5. Units are sentences (``sentenceid``), coders are the
pseudonymous workers (``coder``), the value is ``policy_area`` (4 = immigration, 1 = not).

Gold (test) questions are excluded (``is_gold_question`` is "true"/"false"): workers saw them to be
screened, they are not part of the coding. 1,562 (sentence, coder) pairs were judged twice — once
in each of the two jobs, 52 times with a different answer. A coder counts once per unit, so we keep
the coder's first judgment (lowest ``judgment_id``, i.e. the first job) and drop the repeat.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from pathlib import Path

import krippendorff
import numpy as np
import numpy.typing as npt
import pytest

from resdiscourse.agreement import krippendorff_alpha_counts, krippendorff_alpha_nominal

JUDGMENTS = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "corpora-real"
    / "coded"
    / "benoit2016-immigration-crowd"
    / "judgments.csv"
)

pytestmark = pytest.mark.skipif(
    not JUDGMENTS.is_file(),
    reason=f"crowd-coded corpus not available at {JUDGMENTS} (see shared/corpora-real/SOURCES.md)",
)


def _first_judgments() -> tuple[dict[tuple[str, str], float], int]:
    """(sentence, coder) -> policy_area of the coder's first non-gold judgment; and how many
    repeated judgments were dropped."""
    with JUDGMENTS.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["is_gold_question"] == "false"]
    rows.sort(key=lambda row: int(row["judgment_id"]))
    first: dict[tuple[str, str], float] = {}
    for row in rows:
        first.setdefault((row["sentenceid"], row["coder"]), float(row["policy_area"]))
    return first, len(rows) - len(first)


def _reliability_matrix(judgments: dict[tuple[str, str], float]) -> npt.NDArray[np.float64]:
    """Coders × units, NaN where a coder did not judge a sentence."""
    units = {unit: i for i, unit in enumerate(sorted({unit for unit, _ in judgments}))}
    coders = {coder: i for i, coder in enumerate(sorted({coder for _, coder in judgments}))}
    matrix = np.full((len(coders), len(units)), np.nan)
    for (unit, coder), value in judgments.items():
        matrix[coders[coder], units[unit]] = value
    return matrix


def test_crowd_policy_area_alpha_equals_the_krippendorff_package() -> None:
    judgments, repeats = _first_judgments()
    assert repeats == 1562  # the cross-job repeats described above
    matrix = _reliability_matrix(judgments)
    assert matrix.shape == (85, 7206)

    units = [
        tuple(None if math.isnan(value) else int(value) for value in column)
        for column in matrix.T.tolist()
    ]
    ours = krippendorff_alpha_counts(Counter(units))
    reference = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))

    assert ours is not None
    assert ours == pytest.approx(reference, abs=1e-9)
    assert krippendorff_alpha_nominal(units) == pytest.approx(reference, abs=1e-9)
    # Observed 0.52791 (keeping the last repeat instead gives 0.52503): moderate agreement of
    # crowd workers on whether a sentence is about immigration.
    assert 0.50 < ours < 0.56
