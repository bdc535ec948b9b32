"""Scoring a codebook against a labelled gold file: ``resdiscourse codebook eval``.

Each item is coded in its own language (``lang``, else guessed from its words) as one unit: one
document, as :func:`resdiscourse.coding.code_text` codes it. An item that is not retrieved, or
retrieved without a code, predicts no code; an exclusive dimension predicts the first code given
(in text order), a multi-code dimension the set of codes of every segment.

Per code: TP / FP / FN over all items, precision, recall and F1 = 2·TP / (2·TP + FP + FN) (1.0
when the code is neither in the gold nor predicted, as :mod:`resdiscourse.validity.gold` does).
Macro-F1: the mean F1 over the fixed codes (``GOLD_CODES``) of locus (attribute, resource, civic)
and valence (deficit, asset), over the codes the file uses for any other dimension. Also: a
confusion table per exclusive dimension, every disagreement with its rule trace, the share of
retrieved items flagged for review, and how often strong and weak codings are right.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resdiscourse.codebook.load import load_codebook
from resdiscourse.codebook.schema import DEFAULT_RETRIEVAL, Codebook
from resdiscourse.coding import (
    CodedSegment,
    Evidence,
    TraceEntry,
    code_text,
    codebook_languages,
    document_language,
)
from resdiscourse.ingest.language import detect_language
from resdiscourse.matching.compile import CompiledCodebook, compile_codebook
from resdiscourse.validity.gold import GOLD_CODES, GoldFile, LabelledItem, f1_score, read_gold

__all__ = [
    "CodeScore",
    "DimensionScore",
    "EvalReport",
    "ItemOutcome",
    "Scoring",
    "build_report",
    "evaluate_codebook",
    "evaluate_gold",
    "headline",
    "item_counts",
    "total_counts",
]

#: The pseudo-dimension of retrieval in counts and disagreements.
RETRIEVAL, RETRIEVED = "retrieval", "retrieved"
#: The trace outcomes a disagreement shows (``absent`` entries add nothing to why it went wrong).
TRACE_OUTCOMES = frozenset({"fired", "lost", "hinted", "excluded", "negated", "no match"})
#: The label of "no code" in confusion tables.
NONE = "none"

#: (dimension or ``retrieval``, code, ``tp`` | ``fp`` | ``fn``) → number of items.
Key = tuple[str, str, str]


# --- what is scored -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionSpec:
    id: str
    exclusive: bool
    #: The codebook's codes of the dimension, in codebook order.
    codes: tuple[str, ...]
    #: The codes the macro-F1 averages.
    macro: tuple[str, ...]


@dataclass(frozen=True)
class Scoring:
    """The dimensions of a gold file, as the codebook defines them."""

    dimensions: tuple[DimensionSpec, ...]

    @classmethod
    def of(cls, gold: GoldFile, codebook: Codebook) -> Scoring:
        specs = []
        for dimension in gold.dimensions:
            spec = codebook.dimensions[dimension]
            codes = tuple(spec.codes)
            design = GOLD_CODES.get(dimension, ())
            # GOLD_CODES when the codebook has them all; else the codes the file uses.
            if design and set(design) <= set(codes):
                macro = design
            else:
                used = {code for item in gold.items for code in item.codes.get(dimension, ())}
                macro = tuple(code for code in codes if code in used)
            specs.append(DimensionSpec(dimension, spec.exclusive, codes, macro))
        return cls(tuple(specs))


# --- coding each item -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemOutcome:
    """What the codebook made of one gold item."""

    item: LabelledItem
    lang: str
    #: True when the item had no ``lang`` and its language was guessed.
    lang_detected: bool
    retrieved: bool
    #: Dimension → predicted codes (empty: none).
    codes: dict[str, tuple[str, ...]]
    #: Dimension → (rule id, strength) of every rule that gave an exclusive dimension its code.
    deciders: dict[str, tuple[tuple[str, str], ...]]
    review_reasons: tuple[str, ...]
    #: The retrieval query's words.
    matched: tuple[Evidence, ...]
    #: (segment id, entry) of every trace entry.
    trace: tuple[tuple[str, TraceEntry], ...]

    @property
    def strength(self) -> dict[str, str]:
        """Dimension → strength of an exclusive dimension's code: strong when any rule that gave
        it is (coding.py's review rule)."""
        return {
            dimension: "strong" if any(kind == "strong" for _, kind in rules) else "weak"
            for dimension, rules in self.deciders.items()
        }

    @property
    def review(self) -> bool:
        return bool(self.review_reasons)

    def agrees(self, dimension: str) -> bool:
        return set(self.codes.get(dimension, ())) == set(self.item.codes.get(dimension, ()))


def code_item(
    item: LabelledItem, compiled: CompiledCodebook, scoring: Scoring, model: str | None = None
) -> ItemOutcome:
    """Code one item as one document in its language, with the decision trace."""
    lang = document_language(
        item.lang or detect_language(item.text, codebook_languages(compiled)), compiled
    )
    segments = code_text(
        item.text, compiled, doc_id=item.id, language=lang, model=model, explain=True
    )
    codes, deciders = {}, {}
    for spec in scoring.dimensions:
        codes[spec.id], found = _predicted(segments, spec)
        if found:
            deciders[spec.id] = found
    return ItemOutcome(
        item,
        lang,
        item.lang is None,
        bool(segments),
        codes,
        deciders,
        tuple(reason for segment in segments for reason in segment.review_reasons),
        tuple(evidence for segment in segments for evidence in segment.matched),
        tuple((segment.segment_id, entry) for segment in segments for entry in segment.trace),
    )


def _predicted(
    segments: list[CodedSegment], spec: DimensionSpec
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The codes an item predicts for a dimension, and (exclusive) the rules (id, strength) that
    gave its code in the first segment coded on it."""
    if not spec.exclusive:
        given = {code for segment in segments for code in segment.codes(spec.id)}
        return tuple(code for code in spec.codes if code in given), ()
    for segment in segments:
        codings = [coding for coding in segment.codings if coding.dimension == spec.id]
        if codings:
            code = codings[0].code
            rules = ((c.rule_id, c.strength) for c in codings if c.code == code)
            return (code,), tuple(dict.fromkeys(rules))
    return (), ()


# --- counting -------------------------------------------------------------------------------------


def item_counts(outcome: ItemOutcome, scoring: Scoring) -> Counter[Key]:
    """An item's TP / FP / FN per code (and for retrieval): sums of these give every figure."""
    counts: Counter[Key] = Counter()
    gold, guessed = outcome.item.retrieved, outcome.retrieved
    if gold or guessed:
        counts[RETRIEVAL, RETRIEVED, "tp" if gold and guessed else ("fn" if gold else "fp")] += 1
    for spec in scoring.dimensions:
        truth = set(outcome.item.codes.get(spec.id, ()))
        given = set(outcome.codes.get(spec.id, ()))
        for code in truth | given:
            kind = "tp" if code in truth and code in given else ("fn" if code in truth else "fp")
            counts[spec.id, code, kind] += 1
    return counts


@dataclass(frozen=True)
class CodeScore:
    """TP / FP / FN of a code (or of retrieval) and the figures from them."""

    code: str
    tp: int
    fp: int
    fn: int

    @classmethod
    def of(cls, counts: Mapping[Key, int], dimension: str, code: str) -> CodeScore:
        return cls(
            code,
            counts.get((dimension, code, "tp"), 0),
            counts.get((dimension, code, "fp"), 0),
            counts.get((dimension, code, "fn"), 0),
        )

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted (undefined)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """None when the gold has none (undefined)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float:
        return f1_score(self.tp, self.fp, self.fn)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def macro_f1(counts: Mapping[Key, int], spec: DimensionSpec) -> float | None:
    """The mean F1 over ``spec.macro`` (None when the dimension has no code to average)."""
    if not spec.macro:
        return None
    return sum(CodeScore.of(counts, spec.id, code).f1 for code in spec.macro) / len(spec.macro)


def headline(counts: Mapping[Key, int], scoring: Scoring) -> dict[str, float | None]:
    """Retrieval precision and recall and each dimension's macro-F1, from summed counts (what
    benchmarks/validity.py resamples)."""
    retrieval = CodeScore.of(counts, RETRIEVAL, RETRIEVED)
    figures = {"retrieval_precision": retrieval.precision, "retrieval_recall": retrieval.recall}
    for spec in scoring.dimensions:
        figures[f"{spec.id}_macro_f1"] = macro_f1(counts, spec)
    return figures


def total_counts(outcomes: Iterable[ItemOutcome], scoring: Scoring) -> Counter[Key]:
    total: Counter[Key] = Counter()
    for outcome in outcomes:
        total.update(item_counts(outcome, scoring))
    return total


# --- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionScore:
    id: str
    exclusive: bool
    codes: tuple[CodeScore, ...]
    macro_codes: tuple[str, ...]
    macro_f1: float | None
    #: Exclusive dimensions: gold code (or none) → predicted code (or none) → items.
    confusion: dict[str, dict[str, int]] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "exclusive": self.exclusive,
            "codes": [score.to_dict() for score in self.codes],
            "macro_codes": list(self.macro_codes),
            "macro_f1": self.macro_f1,
            "confusion": self.confusion,
        }


@dataclass(frozen=True)
class Accuracy:
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.accuracy}


@dataclass(frozen=True)
class StrengthAccuracy:
    """How often the codes of strong and of weak rules equal the gold code."""

    dimension: str  # a dimension, or "all" for every exclusive dimension pooled
    strong: Accuracy
    weak: Accuracy

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "strong": self.strong.to_dict(),
            "weak": self.weak.to_dict(),
        }


@dataclass(frozen=True)
class RuleRecord:
    """A rule's track record on the gold file: how many items it gave their code (in an
    exclusive dimension) and on how many of them that code equals the gold one."""

    dimension: str
    rule: str
    code: str
    strength: str
    decided: int
    correct: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.decided if self.decided else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "rule": self.rule,
            "code": self.code,
            "strength": self.strength,
            "decided": self.decided,
            "correct": self.correct,
            "precision": self.precision,
        }


@dataclass(frozen=True)
class Disagreement:
    """An item the codebook got wrong on retrieval or on one dimension."""

    id: str
    text: str
    lang: str
    dimension: str
    gold: bool | tuple[str, ...]
    predicted: bool | tuple[str, ...]
    #: The dimension's fired / lost / excluded / negated / no-match entries, with their segment.
    trace: tuple[dict[str, Any], ...]
    matched: tuple[Evidence, ...]
    review_reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "lang": self.lang,
            "dimension": self.dimension,
            "gold": self.gold if isinstance(self.gold, bool) else list(self.gold),
            "predicted": (
                self.predicted if isinstance(self.predicted, bool) else list(self.predicted)
            ),
            "matched": [evidence.to_dict() for evidence in self.matched],
            "trace": list(self.trace),
            "review_reasons": list(self.review_reasons),
        }


@dataclass(frozen=True)
class EvalReport:
    """Everything ``codebook eval`` reports; :meth:`to_dict` is its ``--json``."""

    codebook: str  # as given: a shipped name (maybe name@version) or a path
    name: str
    version: str
    gold: str
    format: str
    split: str | None
    model: str | None
    scoring: Scoring
    outcomes: tuple[ItemOutcome, ...]
    retrieval: CodeScore
    dimensions: tuple[DimensionScore, ...]
    strength: tuple[StrengthAccuracy, ...]
    disagreements: tuple[Disagreement, ...]
    #: Each rule that gave an exclusive dimension its code on some item, with its record.
    rules: tuple[RuleRecord, ...] = ()
    counts: Counter[Key] = field(repr=False, default_factory=Counter)
    #: The retrieval the codebook used: ``default`` or a variant (``--retrieval``).
    retrieval_name: str = DEFAULT_RETRIEVAL

    @property
    def retrieved(self) -> int:
        return sum(outcome.retrieved for outcome in self.outcomes)

    @property
    def flagged(self) -> int:
        return sum(outcome.retrieved and outcome.review for outcome in self.outcomes)

    @property
    def review_share(self) -> float | None:
        """The share of the retrieved items flagged for review."""
        return self.flagged / self.retrieved if self.retrieved else None

    def dimension(self, dimension: str) -> DimensionScore:
        return next(score for score in self.dimensions if score.id == dimension)

    def to_dict(self) -> dict[str, Any]:
        return {
            "codebook": {
                "source": self.codebook,
                "name": self.name,
                "version": self.version,
                "retrieval": self.retrieval_name,
            },
            "gold": {
                "path": self.gold,
                "format": self.format,
                "split": self.split,
                "items": len(self.outcomes),
                "dimensions": [spec.id for spec in self.scoring.dimensions],
                "languages_detected": sum(outcome.lang_detected for outcome in self.outcomes),
            },
            "model": self.model,
            "retrieval": self.retrieval.to_dict(),
            "dimensions": {score.id: score.to_dict() for score in self.dimensions},
            "review": {
                "retrieved": self.retrieved,
                "flagged": self.flagged,
                "share": self.review_share,
            },
            "strength": [item.to_dict() for item in self.strength],
            "rules": [record.to_dict() for record in self.rules],
            "disagreements": [item.to_dict() for item in self.disagreements],
            "items": [_item_dict(outcome, self.scoring) for outcome in self.outcomes],
        }


def _item_dict(outcome: ItemOutcome, scoring: Scoring) -> dict[str, Any]:
    item = outcome.item
    return {
        "id": item.id,
        "lang": outcome.lang,
        "lang_detected": outcome.lang_detected,
        "split": item.split,
        "source": item.source,
        "retrieved": {"gold": item.retrieved, "predicted": outcome.retrieved},
        "codes": {
            spec.id: {
                "gold": list(item.codes.get(spec.id, ())),
                "predicted": list(outcome.codes.get(spec.id, ())),
            }
            for spec in scoring.dimensions
        },
        "review": outcome.review,
    }


def evaluate_codebook(
    gold: str | Path,
    codebook: str | Path = "bhuyan-leung-2021",
    *,
    model: str | None = None,
    split: str | None = None,
    retrieval: str | None = None,
) -> EvalReport:
    """Score ``codebook`` (a shipped name, ``name@version`` or a YAML file) against a YAML or CSV
    gold file; with ``split``, only the items of that split; ``retrieval`` names a retrieval
    variant of the codebook (default: its own retrieval). Raises :class:`UsageError` for a bad
    codebook or retrieval name (E3xx), gold file (E6xx) or model."""
    loaded = load_codebook(codebook)
    compiled = compile_codebook(loaded.codebook, retrieval)  # an unknown name: E610
    gold_file = read_gold(gold, loaded.codebook, split=split)
    return evaluate_gold(gold_file, compiled, codebook=str(codebook), model=model, split=split)


def evaluate_gold(
    gold: GoldFile,
    compiled: CompiledCodebook,
    *,
    codebook: str | None = None,
    model: str | None = None,
    split: str | None = None,
) -> EvalReport:
    """Score an already read gold file with an already compiled codebook."""
    scoring = Scoring.of(gold, compiled.codebook)
    outcomes = tuple(code_item(item, compiled, scoring, model) for item in gold.items)
    return build_report(
        outcomes,
        scoring,
        compiled.codebook,
        gold,
        codebook=codebook,
        model=model,
        split=split,
        retrieval_name=compiled.retrieval_name,
    )


def build_report(
    outcomes: tuple[ItemOutcome, ...],
    scoring: Scoring,
    book: Codebook,
    gold: GoldFile,
    *,
    codebook: str | None = None,
    model: str | None = None,
    split: str | None = None,
    retrieval_name: str = DEFAULT_RETRIEVAL,
) -> EvalReport:
    """The report of items already coded (all of a gold file's, or a part: one split)."""
    counts = total_counts(outcomes, scoring)
    return EvalReport(
        codebook=codebook or book.name,
        name=book.name,
        version=book.version,
        gold=gold.path,
        format=gold.format,
        split=split,
        model=model,
        scoring=scoring,
        outcomes=outcomes,
        retrieval=CodeScore.of(counts, RETRIEVAL, RETRIEVED),
        dimensions=tuple(_dimension_score(spec, counts, outcomes) for spec in scoring.dimensions),
        strength=_strength(outcomes, scoring),
        disagreements=tuple(_disagreements(outcomes, scoring)),
        rules=_rule_records(outcomes),
        counts=counts,
        retrieval_name=retrieval_name,
    )


def _dimension_score(
    spec: DimensionSpec, counts: Counter[Key], outcomes: tuple[ItemOutcome, ...]
) -> DimensionScore:
    seen = {code for (dimension, code, _kind) in counts if dimension == spec.id}
    shown = tuple(code for code in spec.codes if code in seen or code in spec.macro)
    return DimensionScore(
        spec.id,
        spec.exclusive,
        tuple(CodeScore.of(counts, spec.id, code) for code in shown),
        spec.macro,
        macro_f1(counts, spec),
        _confusion(spec.id, shown, outcomes) if spec.exclusive else None,
    )


def _confusion(
    dimension: str, codes: tuple[str, ...], outcomes: tuple[ItemOutcome, ...]
) -> dict[str, dict[str, int]]:
    labels = (*codes, NONE)
    table = {gold: dict.fromkeys(labels, 0) for gold in labels}
    for outcome in outcomes:
        gold = outcome.item.label(dimension) or NONE
        given = outcome.codes.get(dimension, ())
        table[gold][given[0] if given else NONE] += 1
    return table


def _strength(outcomes: tuple[ItemOutcome, ...], scoring: Scoring) -> tuple[StrengthAccuracy, ...]:
    """Strong vs weak accuracy per exclusive dimension, then pooled ("all")."""
    tallies: dict[str, Counter[str]] = {}
    for spec in scoring.dimensions:
        if not spec.exclusive:
            continue
        tally = tallies[spec.id] = Counter()
        for outcome in outcomes:
            strength = outcome.strength.get(spec.id)
            if strength is not None:
                tally[strength] += 1
                tally[f"{strength}_correct"] += outcome.agrees(spec.id)
    if not tallies:
        return ()
    tallies["all"] = sum(tallies.values(), Counter())
    return tuple(
        StrengthAccuracy(
            dimension,
            Accuracy(tally["strong_correct"], tally["strong"]),
            Accuracy(tally["weak_correct"], tally["weak"]),
        )
        for dimension, tally in tallies.items()
    )


def _rule_records(outcomes: tuple[ItemOutcome, ...]) -> tuple[RuleRecord, ...]:
    """Per rule that decided a code: its dimension, the code it gave and its strength, items
    decided and right; the most used first within a dimension."""
    decided: Counter[tuple[str, str, str, str]] = Counter()
    correct: Counter[tuple[str, str, str, str]] = Counter()
    for outcome in outcomes:
        for dimension, rules in outcome.deciders.items():
            code = outcome.codes[dimension][0]
            for rule, strength in rules:
                decided[dimension, rule, code, strength] += 1
                correct[dimension, rule, code, strength] += outcome.agrees(dimension)
    records = (RuleRecord(*key, count, correct[key]) for key, count in decided.items())
    return tuple(sorted(records, key=lambda r: (r.dimension, -r.decided, r.rule, r.code)))


def _disagreements(outcomes: tuple[ItemOutcome, ...], scoring: Scoring) -> Iterable[Disagreement]:
    for outcome in outcomes:
        item = outcome.item
        if item.retrieved != outcome.retrieved:
            yield _disagreement(outcome, RETRIEVAL, item.retrieved, outcome.retrieved)
        for spec in scoring.dimensions:
            if not outcome.agrees(spec.id):
                gold, given = item.codes.get(spec.id, ()), outcome.codes.get(spec.id, ())
                yield _disagreement(outcome, spec.id, gold, given)


def _disagreement(
    outcome: ItemOutcome,
    dimension: str,
    gold: bool | tuple[str, ...],
    predicted: bool | tuple[str, ...],
) -> Disagreement:
    trace = tuple(
        {"segment": segment, **entry.to_dict()}
        for segment, entry in outcome.trace
        if entry.dimension == dimension and entry.outcome in TRACE_OUTCOMES
    )
    item = outcome.item
    return Disagreement(
        item.id,
        item.text,
        outcome.lang,
        dimension,
        gold,
        predicted,
        trace,
        outcome.matched,
        outcome.review_reasons,
    )
