"""Count benchmark: ``count``'s matching (tokens, sentences, every category, words) against a plain
regex loop over the same texts, in one run.
Run: ``python benchmarks/count.py [--repeat N]``.

Texts: the demo corpus's truth texts and, when ``../shared/corpora-real/pdfs`` exists, the clean
text of each real PDF (read once before any timing). Dictionaries: AFINN-111 (2,477 weighted terms)
and Newsmap English (819 globs in 3 levels) from ``../shared/corpora-real/dictionaries``.
Baseline: for every term, one case-insensitive regex (``*`` as ``\\w*``, word boundaries) run with
``findall`` over each text, and words as ``\\w+`` runs: what a researcher writes by hand. Ours:
:func:`resdiscourse.segment.segment_text` (spaCy tokens and sentences) then
:class:`resdiscourse.dictionaries.counting.TextCounter` (longest match first, a token once per
category, words as ``count`` defines them). Both are timed as the best of ``--repeat`` runs;
the printed ratio is baseline time / ours (the target is at least 1).
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from resdiscourse.dictionaries.counting import TextCounter, columns_of, compile_column, word_test
from resdiscourse.dictionaries.read import read_dictionary
from resdiscourse.ingest.reader import read_document
from resdiscourse.nlp import build_pipeline
from resdiscourse.segment import segment_text

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpora-real"
DICTIONARIES = ("afinn-111.tsv", "newsmap-english.yml")


def texts() -> list[str]:
    found = [
        p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "corpora" / "demo-truth").glob("*.txt"))
    ]
    if (REAL / "pdfs").is_dir():
        found += [read_document(path).text for path in sorted((REAL / "pdfs").glob("*.pdf"))]
    return found


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def plain_loop(categories: dict[str, list[str]]) -> Callable[[list[str]], object]:
    compiled = {
        name: [
            re.compile(
                r"(?<!\w)"
                + r"\w*".join(re.escape(p) for p in term.split("*"))
                + ("" if term.endswith("*") else r"(?!\w)"),
                re.IGNORECASE,
            )
            for term in terms
        ]
        for name, terms in categories.items()
    }

    def run(documents: list[str]) -> object:
        return [
            (
                len(re.findall(r"\w+", text)),
                {name: sum(len(rx.findall(text)) for rx in rxs) for name, rxs in compiled.items()},
            )
            for text in documents
        ]

    return run


def ours(columns: list[object]) -> Callable[[list[str]], object]:
    pipeline = build_pipeline("en")
    compiled = [(column, compile_column(column, "en")) for column in columns]  # type: ignore[arg-type]
    is_word = word_test(pipeline.nlp)

    def run(documents: list[str]) -> object:
        results = []
        for text in documents:
            seg = segment_text(text, pipeline)
            results.append(TextCounter(seg, compiled, is_word).unit(0, len(seg.token_starts)))
        return results

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    documents = texts()
    chars = sum(len(text) for text in documents)
    print(f"{len(documents)} texts, {chars:,} characters; best of {args.repeat}")
    print("| dictionary | terms | plain regex loop | count | ratio (loop / count) |")
    print("|---|---|---|---|---|")
    for name in DICTIONARIES:
        dictionary = read_dictionary(REAL / "dictionaries" / name)
        columns = columns_of(dictionary)
        categories = {c.id: [t.text for t in c.terms] for c in columns}
        loop, mine = plain_loop(categories), ours(columns)  # type: ignore[arg-type]
        mine(documents[:1])  # warm the pipeline up
        baseline = best_of(args.repeat, lambda loop=loop: loop(documents))
        counted = best_of(args.repeat, lambda mine=mine: mine(documents))
        terms = sum(len(terms) for terms in categories.values())
        print(
            f"| {name} | {terms} | {baseline:.3f} s | {counted:.3f} s | "
            f"**{baseline / counted:.2f}×** |"
        )


if __name__ == "__main__":
    main()
