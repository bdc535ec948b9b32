"""Coding benchmark: segmentation + retrieval + coding against bare spaCy tokenisation + sentences.

Run: ``python benchmarks/code.py [--codebook NAME|FILE] [--repeat N]``.

Both sides get the same already-clean texts: the demo corpus's truth
texts and, when ``../shared/corpora-real/pdfs`` exists, the clean text of each real PDF (read once
before any timing). Baseline: ``spacy.blank(lang)`` + ``sentencizer`` over each text. Ours:
:func:`resdiscourse.segment.segment_text` + :func:`resdiscourse.coding.code_segmented` with the
shipped codebook (our sentence fixes, paragraphs, retrieval, every dimension's rules, negation,
absence codes). Pipelines and the codebook are built and warmed up before timing; each side is timed
as the median of ``--repeat`` runs in this one process. The printed ratio is ours / baseline; the
target is at most 2 (at most 1.3 on the generated corpus).

``--generated N`` adds a third measurement: the exact texts of the ``N`` documents that
``make_corpus.py --seed 0 --n N`` typesets (5 to 30 pages, 10 % French, migrant and resilience
sentences at its default densities); the issue's target is measured with ``--generated 1000``.
``--texts-cache DIR`` keeps those texts in ``DIR`` for the next run.

A second line times the demo texts alone: written to be dense in resilience-and-migrants sentences
(one retrieved segment per ~500 characters, far more than real policy documents), they show what
coding a segment costs, which the whole corpus averages away.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from resdiscourse.codebook.load import load_codebook
from resdiscourse.coding import code_segmented
from resdiscourse.ingest.clean import guess_language
from resdiscourse.ingest.reader import read_document
from resdiscourse.matching.compile import compile_codebook
from resdiscourse.nlp import build_pipeline
from resdiscourse.segment import segment_text

ROOT = Path(__file__).resolve().parents[1]
SHARED_PDFS = ROOT.parent / "shared" / "corpora-real" / "pdfs"
DEMO_NAMES = {path.stem for path in (ROOT / "corpora" / "demo-truth").glob("*.txt")}


def texts() -> list[tuple[str, str, str]]:
    """(name, language, clean text) of every benchmark document."""
    found = []
    for path in sorted((ROOT / "corpora" / "demo-truth").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found.append((path.stem, "fr" if path.stem.endswith("-fr") else "en", text))
    if SHARED_PDFS.is_dir():
        for path in sorted(SHARED_PDFS.glob("*.pdf")):
            text = read_document(path).text
            found.append((path.stem, guess_language(text) or "en", text))
    return found


def median_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def generated(n: int, cache: Path | None = None) -> list[tuple[str, str, str]]:
    """(name, language, exact text) of ``make_corpus.py --seed 0 --n N``'s documents. With
    ``cache``, kept in (and read back from) ``cache/generated-seed0-nN.json``: typesetting 1,000
    PDFs takes more than a minute."""
    path = cache / f"generated-seed0-n{n}.json" if cache is not None else None
    if path is not None and path.is_file():
        return [(name, language, text) for name, language, text in json.loads(path.read_text())]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from make_corpus import DEFAULT_RATES, generate

    found = [
        (name, "fr" if french else "en", pdf.truth_text)
        for name, french, pdf in generate(n, 0, DEFAULT_RATES)
    ]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(found))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codebook", default="bhuyan-leung-2021")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--generated", type=int, default=0, metavar="N", help="generated documents")
    parser.add_argument(
        "--texts-cache", type=Path, metavar="DIR", help="keep the generated texts in DIR"
    )
    args = parser.parse_args()
    documents = texts()
    made = generated(args.generated, args.texts_cache) if args.generated else []
    compiled = compile_codebook(load_codebook(args.codebook).codebook)
    baselines = {}
    for language in sorted({language for _, language, _ in documents + made}):
        nlp = spacy.blank(language)
        nlp.add_pipe("sentencizer")
        nlp.max_length = 10**8
        baselines[language] = nlp
    pipelines = {language: build_pipeline(language) for language in baselines}

    def baseline(subset: list[tuple[str, str, str]]) -> int:
        return sum(len(baselines[language](text)) for _, language, text in subset)

    def ours(subset: list[tuple[str, str, str]]) -> int:
        segments = 0
        for name, language, text in subset:
            pipeline = pipelines[language]
            seg = segment_text(text, pipeline)
            segments += len(code_segmented(seg, compiled, doc_id=name, pipeline=pipeline))
        return segments

    demo = [doc for doc in documents if doc[0] in DEMO_NAMES]
    subsets = [("corpus", documents), ("demo texts only (dense)", demo)]
    if made:
        subsets.append((f"generated corpus ({len(made)} documents)", made))
    for label, subset in subsets:
        tokens, segments = baseline(subset), ours(subset)  # warm-up: lemma tables, regexes
        base_seconds = median_of(args.repeat, lambda s=subset: baseline(s))
        our_seconds = median_of(args.repeat, lambda s=subset: ours(s))
        chars = sum(len(text) for _, _, text in subset)
        print(f"== {label}: {len(subset)} documents, {chars:,} characters, {tokens:,} tokens")
        print(f"codebook {compiled.name}: {segments} segments retrieved and coded")
        print(f"baseline spaCy blank + sentencizer: {base_seconds:.3f} s")
        print(f"resdiscourse segment + retrieve + code: {our_seconds:.3f} s")
        print(f"ratio (ours / baseline): {our_seconds / base_seconds:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
