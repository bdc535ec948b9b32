"""Term-index benchmark: retrieval + coding through the codebook's term index against the same
matcher checking every term and concept on its own.

Run: ``python benchmarks/term_index.py [--codebook NAME|FILE] [--generated N] [--repeat N]``.

Both sides get the same segmented texts (segmented once, before any timing): the demo corpus's
truth texts, the clean text of each real PDF when ``../shared/corpora-real/pdfs`` exists, and with
``--generated N`` the texts of ``make_corpus.py --seed 0 --n N``. Baseline:
``new_matcher(..., term_index=False)`` + ``code_matched``; ours: the same with the index (the
default). Both codings must be equal, trace included (``explain``), or the script stops. Each
side is timed as the median of ``--repeat`` runs in this one process, with a fresh compiled
codebook per run (the index is built inside the timed run, once per language). The last line is
the ratio baseline / ours (above 1: the index is faster).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

from resdiscourse.codebook.load import load_codebook
from resdiscourse.coding import CodedSegment, code_matched, new_matcher
from resdiscourse.matching.compile import CompiledCodebook, compile_codebook
from resdiscourse.nlp import Pipeline, build_pipeline
from resdiscourse.segment import SegmentedText, segment_text

HERE = Path(__file__).resolve().parent


def code_benchmark() -> object:
    """benchmarks/code.py (its documents), loaded by path: ``code`` is also a standard module."""
    sys.path.insert(0, str(HERE))  # code.py imports make_corpus from here
    spec = importlib.util.spec_from_file_location("code_benchmark", HERE / "code.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def code_all(
    documents: list[tuple[str, str, SegmentedText, Pipeline]],
    book: CompiledCodebook,
    term_index: bool,
) -> list[list[CodedSegment]]:
    return [
        code_matched(new_matcher(seg, book, pipeline, language, term_index=term_index), book, name)
        for name, language, seg, pipeline in documents
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codebook", default="bhuyan-leung-2021")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--generated", type=int, default=0, metavar="N", help="generated documents")
    args = parser.parse_args()
    loaded = load_codebook(args.codebook).codebook
    documents_of: Any = code_benchmark()
    raw = documents_of.texts() + (documents_of.generated(args.generated) if args.generated else [])
    pipelines = {language: build_pipeline(language) for _, language, _ in raw}
    documents = [
        (name, language, segment_text(text, pipelines[language]), pipelines[language])
        for name, language, text in raw
    ]
    book = compile_codebook(loaded)
    with_index, alone = (
        [
            code_matched(new_matcher(s, book, p, lang, term_index=flag), book, n, explain=True)
            for n, lang, s, p in documents
        ]
        for flag in (True, False)
    )
    if with_index != alone:
        raise SystemExit("the codings differ with and without the term index")

    def timed(term_index: bool) -> float:
        return documents_of.median_of(
            args.repeat, lambda: code_all(documents, compile_codebook(loaded), term_index)
        )

    timed(True)  # warm-up: lemma tables, regex caches
    baseline, ours = timed(False), timed(True)
    chars = sum(len(text) for _, _, text in raw)
    segments = sum(len(coded) for coded in with_index)
    print(f"{len(documents)} documents, {chars:,} characters, {segments} segments (codings equal)")
    print(f"baseline, every term and concept on its own: {baseline:.3f} s")
    print(f"term index:                                 {ours:.3f} s")
    print(f"ratio (baseline / term index): {baseline / ours:.2f}x")


if __name__ == "__main__":
    main()
