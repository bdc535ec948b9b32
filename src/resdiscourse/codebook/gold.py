"""Scoring a codebook against labelled sentences (``shared/gold-dev.yaml``, DESIGN §12).

Each item is coded as a one-sentence document. Per dimension, the macro-F1 is the mean over the
dimension's codes of F1 = 2·TP / (2·TP + FP + FN) across all items; an item that is not retrieved,
or retrieved without a code, predicts no code. Retrieval must equal the items' ``retrieved``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from resdiscourse.codebook.compile import CompiledCodebook
from resdiscourse.coding import code_text

#: The codes each scored dimension is averaged over (DESIGN §12 "Gold scoring").
GOLD_CODES = {"locus": ("attribute", "resource", "civic"), "valence": ("deficit", "asset")}


@dataclass(frozen=True)
class GoldItem:
    id: str
    text: str
    retrieved: bool
    #: dimension → code, or None for "none".
    labels: dict[str, str | None]


@dataclass(frozen=True)
class Prediction:
    item: GoldItem
    retrieved: bool
    labels: dict[str, str | None]


@dataclass
class GoldScore:
    predictions: list[Prediction]
    #: dimension → code → F1.
    f1: dict[str, dict[str, float]] = field(default_factory=dict)

    def macro_f1(self, dimension: str) -> float:
        scores = self.f1[dimension]
        return sum(scores.values()) / len(scores)

    @property
    def retrieval_errors(self) -> list[str]:
        return [p.item.id for p in self.predictions if p.retrieved != p.item.retrieved]

    def errors(self, dimension: str) -> list[tuple[str, str | None, str | None]]:
        """(item id, gold code, predicted code) of every item the codebook got wrong."""
        return [
            (p.item.id, p.item.labels.get(dimension), p.labels.get(dimension))
            for p in self.predictions
            if p.item.labels.get(dimension) != p.labels.get(dimension)
        ]


def load_gold(path: str | Path) -> list[GoldItem]:
    """Items of a gold file: ``items: [{id, text, retrieved, locus, valence}, ...]``."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    items = []
    for raw in data["items"]:
        labels = {dimension: _label(raw.get(dimension)) for dimension in GOLD_CODES}
        items.append(GoldItem(str(raw["id"]), raw["text"], bool(raw["retrieved"]), labels))
    return items


def _label(value: Any) -> str | None:
    return None if value in (None, "none", "") else str(value)


def score_gold(items: list[GoldItem], codebook: CompiledCodebook) -> GoldScore:
    """Code every item and score retrieval and the macro-F1 of each dimension of GOLD_CODES."""
    predictions = []
    for item in items:
        segments = code_text(item.text, codebook, doc_id=item.id)
        labels: dict[str, str | None] = {}
        for dimension in GOLD_CODES:
            given = [code for segment in segments for code in segment.codes(dimension)]
            labels[dimension] = given[0] if given else None
        predictions.append(Prediction(item, bool(segments), labels))
    score = GoldScore(predictions)
    for dimension, codes in GOLD_CODES.items():
        score.f1[dimension] = {code: _f1(predictions, dimension, code) for code in codes}
    return score


def _f1(predictions: list[Prediction], dimension: str, code: str) -> float:
    gold = [p.item.labels.get(dimension) == code for p in predictions]
    guessed = [p.labels.get(dimension) == code for p in predictions]
    true_positive = sum(g and p for g, p in zip(gold, guessed, strict=True))
    false_positive = sum(p and not g for g, p in zip(gold, guessed, strict=True))
    false_negative = sum(g and not p for g, p in zip(gold, guessed, strict=True))
    denominator = 2 * true_positive + false_positive + false_negative
    return 1.0 if denominator == 0 else 2 * true_positive / denominator
