"""Ingest benchmark: speed and fidelity of our engines against pdfplumber's default extract_text.

Run: ``python benchmarks/ingest.py`` (needs the dev extra: reportlab typesets the test PDFs).

Everything is measured in one run, on the same files:
- the layout suite of ``tests.support.synthpdf`` (one, two and three columns, shuffled draw
  order, pages that mix full-width blocks with column bands, French, roman folios, a long report),
  whose truth texts are known, and, when ``../shared/corpora-real/pdfs`` exists, the real PDFs
  there;
- speed: each contender runs as one whole fresh process over all files (cold: no cache, one worker),
  timed from process start to exit, so imports count; pages/s = pages / wall seconds;
- fidelity: word-bigram recall of the truth text, per layout and engine;
- leakage: running header/footer/page-number lines found in the body.
The printed ratio is our default engine's pages/s over pdfplumber-default's pages/s.

Beside them, ``--fuzz-pages`` (default 1,000) pages from the layout fuzzer
(``tests.support.layoutfuzz``, seeds from 0) are read by every contender, page by page: the
benchmark prints how often each layout feature occurs, the fidelity per feature, the mean and worst
page fidelity per engine, leaked header/footer lines, and the worst page's seed with its diff.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The PDF generators are dev-only: tests/support/ in the repository, not in the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CONTENDERS = ("pdfium", "pdfplumber", "plumber-default")
SHARED_PDFS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora-real" / "pdfs"


def worker(contender: str, files: list[str], out: str) -> None:
    """Extract every file with one contender; write {file: [whole text, page 1, page 2, ...]}.

    Runs in a subprocess.
    """
    texts: dict[str, list[str]] = {}
    if contender == "plumber-default":
        import pdfplumber

        for name in files:
            with pdfplumber.open(name) as pdf:
                pages = [page.extract_text() or "" for page in pdf.pages]
            texts[name] = ["\n".join(pages), *pages]
    else:
        from resdiscourse.ingest.reader import read_document

        for name in files:
            result = read_document(name, engine=contender)
            pages = [result.text[s.start : s.end] for s in result.page_map.spans]
            texts[name] = [result.text, *pages]
    Path(out).write_text(json.dumps(texts), encoding="utf-8")


def _timed_process(
    contender: str, files: list[str], folder: Path, tag: str = ""
) -> tuple[float, dict[str, str]]:
    """Seconds and {file: whole text}."""
    seconds, pages = _timed_pages(contender, files, folder, tag)
    return seconds, {name: texts[0] for name, texts in pages.items()}


def _timed_pages(
    contender: str, files: list[str], folder: Path, tag: str = ""
) -> tuple[float, dict[str, list[str]]]:
    out = folder / f"{contender}{tag}.json"
    listing = folder / f"{contender}{tag}.files"
    listing.write_text("\n".join(files), encoding="utf-8")
    command = [sys.executable, __file__, "--worker", contender, "--out", str(out), f"@{listing}"]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    elapsed = time.perf_counter() - start
    return elapsed, json.loads(out.read_text(encoding="utf-8"))


def _page_count(path: str) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def main() -> None:
    from tests.support.metrics import fidelity, leakage
    from tests.support.synthpdf import build_pdf, layout_suite

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-real", action="store_true", help="only the generated layout suite")
    parser.add_argument("--fuzz-pages", type=int, default=1000, help="fuzzed pages (0: none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        truths: dict[str, tuple[str, str, list[str]]] = {}
        for name, spec in layout_suite().items():
            built = build_pdf(spec)
            path = folder / f"{name}.pdf"
            path.write_bytes(built.pdf)
            furniture = built.header_lines + built.footer_lines
            truths[str(path)] = (name, built.truth_text, furniture)
        files = list(truths)
        if SHARED_PDFS.is_dir() and not args.no_real:
            files += sorted(str(p) for p in SHARED_PDFS.glob("*.pdf"))
        pages = sum(_page_count(f) for f in files)
        print(f"{len(files)} files, {pages} pages ({len(truths)} generated with truth texts)\n")
        results = {c: _timed_process(c, files, folder) for c in CONTENDERS}
        _print_speed(results, pages)
        _print_quality(results, truths, fidelity, leakage)
        if args.fuzz_pages:
            _fuzz(args.fuzz_pages, folder / "fuzz")


def _fuzz(n_pages: int, folder: Path) -> None:
    """Fidelity per engine and per layout feature on fuzzed pages, and the worst page."""
    import difflib

    from tests.support.layoutfuzz import FEATURES, fuzz_document
    from tests.support.metrics import fidelity, leakage

    folder.mkdir()
    docs = {}
    seed = 0
    total = 0
    while total < n_pages:
        doc = fuzz_document(seed)
        path = folder / f"seed-{seed}.pdf"
        path.write_bytes(doc.pdf)
        docs[str(path)] = doc
        total += len(doc.page_texts)
        seed += 1
    print(f"\nfuzzed layouts: {total} pages in {len(docs)} documents (seeds 0-{seed - 1})")
    counts = dict.fromkeys(FEATURES, 0)
    for doc in docs.values():
        for features in doc.features:
            for feature in features:
                counts[feature] += 1
    per_feature: dict[str, dict[str, list[float]]] = {}
    columns = ("pages/s", "mean", "worst")
    print(f"{'contender':18s}" + "".join(f"{c:>9s}" for c in columns) + "   <0.995  leaks")
    worst_pages = {}
    for contender in CONTENDERS:
        seconds, texts = _timed_pages(contender, list(docs), folder)
        scores: list[tuple[float, int, int]] = []
        leaks = 0
        features = per_feature.setdefault(contender, {f: [] for f in FEATURES})
        for path, doc in docs.items():
            joined, *pages = texts[path]
            leaks += leakage(doc.furniture, doc.truth_text, joined)
            for index, truth in enumerate(doc.page_texts):
                got = pages[index] if index < len(pages) else ""
                score = fidelity(truth, got)
                scores.append((score, doc.seed, index))
                for feature in doc.features[index]:
                    features[feature].append(score)
        worst = min(scores)
        worst_pages[contender] = worst
        mean = sum(s for s, _, _ in scores) / len(scores)
        below = sum(1 for s, _, _ in scores if s < 0.995)
        print(
            f"{contender:18s} {total / seconds:8.1f} {mean:8.4f} {worst[0]:8.4f} {below:7d} "
            f"{leaks:6d}"
        )
    print("\nfeature                    pages  " + "".join(f"{c:>16s}" for c in CONTENDERS))
    for feature in FEATURES:
        cells = ""
        for contender in CONTENDERS:
            values = per_feature[contender][feature]
            cells += f"{sum(values) / max(len(values), 1):16.4f}"
        print(f"{feature:24s} {counts[feature] / total:7.1%}  {cells}")
    score, seed_, index = worst_pages["pdfium"]
    doc = next(d for d in docs.values() if d.seed == seed_)
    got = _timed_pages("pdfium", [str(folder / f"seed-{seed_}.pdf")], folder, "-worst")[1]
    page_text = next(iter(got.values()))[index + 1]
    print(f"\nworst pdfium page: seed {seed_}, page {index + 1}, fidelity {score:.4f}")
    diff = difflib.unified_diff(
        doc.page_texts[index].split("\n"),
        page_text.split("\n"),
        "truth",
        "pdfium",
        n=0,
        lineterm="",
    )
    for line in diff:
        print(line[:160])


def _print_speed(results: dict[str, tuple[float, dict[str, str]]], pages: int) -> None:
    baseline = pages / results["plumber-default"][0]
    print(f"{'contender':18s} {'seconds':>8s} {'pages/s':>8s} {'× plumber-default':>18s}")
    for contender, (seconds, _) in results.items():
        rate = pages / seconds
        print(f"{contender:18s} {seconds:8.2f} {rate:8.1f} {rate / baseline:17.1f}×")
    print()


def _print_quality(
    results: dict[str, tuple[float, dict[str, str]]],
    truths: dict[str, tuple[str, str, list[str]]],
    fidelity: object,
    leakage: object,
) -> None:
    assert callable(fidelity) and callable(leakage)
    header = f"{'layout':22s}" + "".join(f"{c:>18s}" for c in CONTENDERS)
    print("fidelity (bigram recall) / leaked header-footer lines")
    print(header)
    worst = dict.fromkeys(CONTENDERS, 1.0)
    for path, (name, truth, furniture) in truths.items():
        cells = []
        for contender in CONTENDERS:
            text = results[contender][1][path]
            score = fidelity(truth, text)
            worst[contender] = min(worst[contender], score)
            cells.append(f"{score:.4f} / {leakage(furniture, truth, text):<4d}")
        print(f"{name:22s}" + "".join(f"{c:>18s}" for c in cells))
    print(f"{'worst layout':22s}" + "".join(f"{worst[c]:>18.4f}" for c in CONTENDERS))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        names = sys.argv[5:]
        if len(names) == 1 and names[0].startswith("@"):
            names = Path(names[0][1:]).read_text(encoding="utf-8").splitlines()
        worker(sys.argv[2], names, sys.argv[4])
    else:
        main()
