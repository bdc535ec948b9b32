"""Validity benchmark: the shipped codebook against its baselines on labelled real and team text.

Run: ``python benchmarks/validity.py [--old PATH] [--seed N] [--resamples N]``.

Codebooks (issue 11 "Done means"):

- the shipped ``bhuyan-leung-2021`` (current version);
- its previous release (the newest archived version below the current one), so that what the
  latest changes did on each set is one line apart;
- its version 1.0.0: ``--old PATH`` when given, else ``bhuyan-leung-2021@1.0.0`` when that loads,
  else the file as of commit 730d855 (``git show``), written to a temporary file;
- a naive keyword lookup, ``benchmarks/naive-keywords.yml``, whose retrieval concepts are replaced
  by the shipped codebook's, so that it retrieves the same sentences and only the coding differs.

Gold sets: ``../shared/gold-dev.yaml``, ``../shared/gold-real-dev.yaml`` and the ``tune`` and
``untuned`` splits of ``tests/data/gold-real-own.yaml`` (a missing file is skipped with a note);
then how far two people agree on 100 items of that file (``gold-real-own-second-coder.yaml``), and
a bag-of-words classifier trained on the tune split and gold-real-dev, scored on the untuned split
(what word statistics alone carry over from the tune sources).
Each item is coded once per codebook (:mod:`resdiscourse.validity.evaluate`); the splits are parts
of one coding of their file.

Figures: retrieval precision and recall and the macro-F1 of locus and valence, each
with a bootstrap 95 % interval (percentiles) that resamples SOURCES, not items: sentences of one
publisher are not independent. An item's source is the publisher part of its ``source`` field
(``github:OWNER/REPO@...``: the repository; a URL: its host without ``www.``); an item without a
source is its own source. Every codebook sees the same resamples (one seed per gold set), so the
intervals are comparable. The ratios are current / baseline of the point figures; the target is a
ratio above 1 (and, on real text, macro-F1 >= 0.85). For the current codebook the script also
prints the review share of retrieved items and the accuracy of strong vs weak codings.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import yaml

from resdiscourse.agreement import cohen_kappa
from resdiscourse.codebook.load import CodebookError, load_codebook, shipped_versions
from resdiscourse.codebook.query import concepts_in, parse_query
from resdiscourse.codebook.schema import Codebook, Retrieval
from resdiscourse.matching.compile import CompiledCodebook, compile_codebook
from resdiscourse.validity.evaluate import (
    EvalReport,
    Key,
    build_report,
    evaluate_gold,
    headline,
    item_counts,
)
from resdiscourse.validity.gold import GOLD_CODES, GoldFile, GoldFileError, f1_score, read_gold

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NAIVE = ROOT / "benchmarks" / "naive-keywords.yml"
SHIPPED = "bhuyan-leung-2021"
OLD_VERSION = "1.0.0"
OLD_COMMIT = "730d855"
#: (label, file, split or None): the gold sets, in the order printed.
GOLD_SETS: tuple[tuple[str, Path, str | None], ...] = (
    ("gold-dev", SHARED / "gold-dev.yaml", None),
    ("gold-real-dev", SHARED / "gold-real-dev.yaml", None),
    ("gold-real-own tune", ROOT / "tests" / "data" / "gold-real-own.yaml", "tune"),
    ("gold-real-own untuned", ROOT / "tests" / "data" / "gold-real-own.yaml", "untuned"),
)
OWN_GOLD = ROOT / "tests" / "data" / "gold-real-own.yaml"
REAL_DEV = SHARED / "gold-real-dev.yaml"
#: A second coder's blind labels of 100 retrieved items of OWN_GOLD.
SECOND_CODER = ROOT / "tests" / "data" / "gold-real-own-second-coder.yaml"
FIGURES = (
    ("retrieval_precision", "retrieval P"),
    ("retrieval_recall", "retrieval R"),
    ("locus_macro_f1", "locus macro-F1"),
    ("valence_macro_f1", "valence macro-F1"),
)


# --- codebooks ------------------------------------------------------------------------------------


def old_codebook(path: str | None, scratch: Path) -> tuple[str, Codebook]:
    """Version 1.0.0: --old PATH, else name@1.0.0, else the file at commit 730d855."""
    if path:
        return path, load_codebook(path).codebook
    try:
        return f"{SHIPPED}@{OLD_VERSION}", load_codebook(f"{SHIPPED}@{OLD_VERSION}").codebook
    except CodebookError:
        pass  # not shipped yet: the release commit has it
    shown = subprocess.run(
        # codebooks/ is a symbolic link in git: show the file it points into.
        ["git", "show", f"{OLD_COMMIT}:src/resdiscourse/codebooks/{SHIPPED}.yml"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    copy = scratch / f"{SHIPPED}-{OLD_VERSION}.yml"
    copy.write_bytes(shown.stdout)
    return f"git {OLD_COMMIT}", load_codebook(copy).codebook


def naive_codebook(shipped: Codebook) -> Codebook:
    """The keyword lookup, retrieving with the shipped codebook's retrieval concepts."""
    naive = load_codebook(NAIVE).codebook
    retrieval = shipped.retrieval
    names = list(retrieval.all) + (
        concepts_in(parse_query(retrieval.query)) if retrieval.query else []
    )
    concepts = {**naive.concepts, **{name: shipped.concepts[name] for name in names}}
    same = Retrieval(all=list(retrieval.all), query=retrieval.query)
    return naive.model_copy(update={"concepts": concepts, "retrieval": same})


# --- sources and the bootstrap --------------------------------------------------------------------


def publisher(source: str | None, item_id: str) -> str:
    """The publisher part of a ``source``: a repository, a host, or the item itself."""
    if not source:
        return f"item:{item_id}"
    if source.startswith("github:"):
        return source.removeprefix("github:").split("@")[0].split(":")[0].lower()
    host = urlsplit(source).hostname
    return host.removeprefix("www.") if host else source


@dataclass(frozen=True)
class Resamples:
    """Which sources each bootstrap resample draws, as a count per source."""

    sources: tuple[str, ...]
    weights: np.ndarray  # resamples x sources

    @classmethod
    def draw(cls, sources: Sequence[str], count: int, seed: int) -> Resamples:
        unique = tuple(sorted(set(sources)))
        rng = np.random.default_rng(seed)
        picks = rng.integers(0, len(unique), size=(count, len(unique)))
        weights = np.stack([np.bincount(row, minlength=len(unique)) for row in picks])
        return cls(unique, weights)


def intervals(report: EvalReport, resamples: Resamples) -> dict[str, tuple[float, float] | None]:
    """The 95 % percentile interval of each headline figure over the resamples."""
    per_source: dict[str, Counter[Key]] = {source: Counter() for source in resamples.sources}
    for outcome in report.outcomes:
        source = publisher(outcome.item.source, outcome.item.id)
        per_source[source].update(item_counts(outcome, report.scoring))
    keys = sorted({key for counts in per_source.values() for key in counts})
    matrix = np.array([[per_source[s][key] for key in keys] for s in resamples.sources])
    draws: dict[str, list[float]] = {name: [] for name, _ in FIGURES}
    for totals in resamples.weights @ matrix:
        figures = headline(dict(zip(keys, totals.tolist(), strict=True)), report.scoring)
        for name, values in draws.items():
            value = figures.get(name)
            if value is not None:  # undefined in this resample (e.g. nothing retrieved)
                values.append(value)
    return {
        name: (float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5)))
        if values
        else None
        for name, values in draws.items()
    }


# --- printing -------------------------------------------------------------------------------------


def figure(value: float | None, interval: tuple[float, float] | None) -> str:
    if value is None:
        return "-"
    if interval is None:
        return f"{value:.2f}"
    return f"{value:.2f} [{interval[0]:.2f}, {interval[1]:.2f}]"


def print_table(rows: list[tuple[str, EvalReport, dict[str, tuple[float, float] | None]]]) -> None:
    width = max(len(label) for label, _, _ in rows)
    print(f"{'codebook':<{width}}  " + "  ".join(f"{title:<19}" for _, title in FIGURES))
    for label, report, bounds in rows:
        figures = headline(report.counts, report.scoring)
        cells = [f"{figure(figures.get(name), bounds.get(name)):<19}" for name, _ in FIGURES]
        print(f"{label:<{width}}  " + "  ".join(cells))


def print_ratios(current: tuple[str, EvalReport], baselines: list[tuple[str, EvalReport]]) -> None:
    label, report = current
    ours = headline(report.counts, report.scoring)
    for base_label, base in baselines:
        theirs = headline(base.counts, base.scoring)
        parts = []
        for name, title in FIGURES:
            mine, other = ours.get(name), theirs.get(name)
            ratio = f"{mine / other:.2f}x" if mine is not None and other else "-"
            parts.append(f"{title} {ratio}")
        print(f"ratio ({label} / {base_label}): " + ", ".join(parts))


def print_review(label: str, report: EvalReport) -> None:
    share = report.review_share
    shown = "-" if share is None else f"{share:.0%}"
    print(f"{label}: review {report.flagged}/{report.retrieved} retrieved items ({shown})")
    for row in report.strength:
        sides = [
            f"{name} {side.correct}/{side.total}"
            + (f" ({side.accuracy:.2f})" if side.accuracy is not None else "")
            for name, side in (("strong", row.strong), ("weak", row.weak))
        ]
        print(f"  {row.dimension}: " + ", ".join(sides))


# --- putting it together --------------------------------------------------------------------------


@dataclass(frozen=True)
class Coded:
    """A gold file coded by one codebook."""

    gold: GoldFile
    book: Codebook
    report: EvalReport

    def part(self, split: str | None) -> EvalReport:
        """The report of one split (the whole file's when ``split`` is None)."""
        if split is None:
            return self.report
        report = self.report
        outcomes = tuple(o for o in report.outcomes if o.item.split == split)
        return build_report(
            outcomes, report.scoring, self.book, self.gold, codebook=report.codebook, split=split
        )


def score_file(path: Path, codebooks: list[tuple[str, CompiledCodebook]]) -> dict[str, Coded]:
    """Each codebook's coding of a whole gold file (each reads it with its own dimensions)."""
    coded = {}
    for label, compiled in codebooks:
        try:
            gold = read_gold(path, compiled.codebook)
        except GoldFileError as error:
            print(f"note: {label} cannot score {path.name}: {error}")
            continue
        report = evaluate_gold(gold, compiled, codebook=label)
        coded[label] = Coded(gold, compiled.codebook, report)
    return coded


def codebooks(old_path: str | None) -> dict[str, Codebook]:
    """The current codebook, then the baselines: version 1.0.0 and the keyword lookup."""
    with tempfile.TemporaryDirectory() as scratch:
        shipped = load_codebook(SHIPPED).codebook
        old_label, old = old_codebook(old_path, Path(scratch))
    books = {f"{shipped.version} (current)": shipped}
    previous = previous_release(shipped.version)
    if previous and previous != old.version:
        books[previous] = load_codebook(f"{SHIPPED}@{previous}").codebook
    books[old.version] = old
    books["naive keywords"] = naive_codebook(shipped)
    shown = f"{previous} (previous release); " if previous in books else ""
    print(
        f"codebooks: {SHIPPED} {shipped.version} (current); {shown}{old.version} from {old_label};"
    )
    print(f"naive keywords from {NAIVE.relative_to(ROOT)} with {SHIPPED}'s retrieval\n")
    return books


def previous_release(current: str) -> str | None:
    """The newest version of the shipped codebook below ``current`` (None when there is none)."""
    versions = shipped_versions(SHIPPED)
    earlier = versions[: versions.index(current)] if current in versions else []
    return earlier[-1] if earlier else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", metavar="PATH", help=f"the codebook file of {OLD_VERSION}")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        books = codebooks(args.old)
    except (CodebookError, subprocess.CalledProcessError) as error:
        print(f"cannot load a codebook: {error}", file=sys.stderr)
        return 2
    compiled = [(label, compile_codebook(book)) for label, book in books.items()]
    current, *baselines = books
    coded: dict[Path, dict[str, Coded]] = {}
    for title, path, split in GOLD_SETS:
        if not path.exists():
            print(f"== {title}: skipped, {path} does not exist\n")
            continue
        if path not in coded:
            coded[path] = score_file(path, compiled)
        show_gold_set(title, coded[path], split, current, baselines, args)
    show_labellers(OWN_GOLD, SECOND_CODER)
    show_supervised_baseline(OWN_GOLD, REAL_DEV)
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


def show_labellers(first_path: Path, second_path: Path) -> None:
    """How far a second coder's labels agree with the first's on the items both labelled: the
    ceiling of any codebook scored against either (macro-F1 with the first coder as reference)."""
    if not (first_path.exists() and second_path.exists()):
        print(f"== labellers: skipped, {second_path.name} or {first_path.name} does not exist\n")
        return
    first = {row["id"]: row for row in _items(first_path)}
    second = [row for row in _items(second_path) if row["id"] in first]
    print(f"== labellers: {len(second)} retrieved items of {first_path.name} coded by two people")
    for dimension, codes in GOLD_CODES.items():
        pairs = [(first[row["id"]][dimension], row[dimension]) for row in second]
        kappa = cohen_kappa([a for a, _ in pairs], [b for _, b in pairs])
        print(
            f"  {dimension}: {_macro_f1(pairs, codes)}; Cohen's kappa {kappa.value:.2f}, "
            f"agreement {kappa.observed:.0%}"
        )
    print()


def show_supervised_baseline(own_path: Path, dev_path: Path) -> None:
    """A bag-of-words classifier (logistic regression over TF-IDF words, one per dimension),
    trained on the retrieved items of the tune split and of gold-real-dev, scored on the retrieved
    items of the untuned split: how far the tune sources carry over to the untuned ones when
    nothing but their words is learnt (no rules)."""
    if not (own_path.exists() and dev_path.exists()):
        print(f"== bag-of-words baseline: skipped, {own_path.name} or {dev_path.name} missing\n")
        return
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    own = [row for row in _items(own_path) if row["retrieved"] == "True"]
    train = [row for row in own if row["split"] == "tune"]
    train += [row for row in _items(dev_path) if row["retrieved"] == "True"]
    test = [row for row in own if row["split"] == "untuned"]
    print(
        f"== bag-of-words baseline: trained on {len(train)} retrieved tune and gold-real-dev "
        f"items, scored on {len(test)} retrieved untuned items"
    )
    vectorizer = TfidfVectorizer(min_df=2, sublinear_tf=True)
    words = vectorizer.fit_transform([row["text"] for row in train])
    unseen = vectorizer.transform([row["text"] for row in test])
    for dimension, codes in GOLD_CODES.items():
        model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
        model.fit(words, [_label(row[dimension]) for row in train])
        gold = [_label(row[dimension]) for row in test]
        pairs = list(zip(gold, model.predict(unseen), strict=True))
        print(f"  {dimension}: {_macro_f1(pairs, codes)}")
    print()


def _macro_f1(pairs: list[tuple[str, str]], codes: Sequence[str]) -> str:
    """ "macro-F1 M (code F1, ...)" of (reference, other) code pairs over ``codes``."""
    scores = {code: _pair_f1(pairs, code) for code in codes}
    per_code = ", ".join(f"{code} {value:.2f}" for code, value in scores.items())
    return f"macro-F1 {sum(scores.values()) / len(scores):.2f} ({per_code})"


def _label(value: str) -> str:
    """One code per item (the gold files give at most one locus and one valence)."""
    return value if value and value != "None" else "none"


def _items(path: Path) -> list[dict[str, str]]:
    return [
        {key: str(value) for key, value in row.items()}
        for row in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    ]


def _pair_f1(pairs: list[tuple[str, str]], code: str) -> float:
    tp = sum(1 for a, b in pairs if a == code and b == code)
    fp = sum(1 for a, b in pairs if a != code and b == code)
    fn = sum(1 for a, b in pairs if a == code and b != code)
    return f1_score(tp, fp, fn)


def show_gold_set(
    title: str,
    coded: dict[str, Coded],
    split: str | None,
    current: str,
    baselines: list[str],
    args: argparse.Namespace,
) -> None:
    parts = {label: each.part(split) for label, each in coded.items()}
    if current not in parts or not parts[current].outcomes:
        print(f"== {title}: skipped, no items\n")
        return
    first = parts[current]
    sources = [publisher(o.item.source, o.item.id) for o in first.outcomes]
    resamples = Resamples.draw(sources, args.resamples, args.seed)
    gold_retrieved = sum(o.item.retrieved for o in first.outcomes)
    print(
        f"== {title}: {len(first.outcomes)} items ({gold_retrieved} retrieved in the gold), "
        f"{len(resamples.sources)} sources, {args.resamples} source resamples (seed {args.seed})"
    )
    print_table([(label, report, intervals(report, resamples)) for label, report in parts.items()])
    print_ratios(
        (current, parts[current]), [(label, parts[label]) for label in baselines if label in parts]
    )
    print_review(current, parts[current])
    print()


if __name__ == "__main__":
    sys.exit(main())
