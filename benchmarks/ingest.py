"""Ingest benchmark: speed and fidelity of our engines against pdfplumber's default extract_text.

Run: ``python benchmarks/ingest.py`` (needs the dev extra: reportlab typesets the test PDFs).

Everything is measured in one run, on the same files:
- the layout suite of ``resdiscourse.testing.synthpdf`` (one, two and three columns, shuffled draw
  order, pages that mix full-width blocks with column bands, French, roman folios, a long report),
  whose truth texts are known, and, when ``../shared/corpora-real/pdfs`` exists, the real PDFs
  there;
- speed: each contender runs as one whole fresh process over all files (cold: no cache, one worker),
  timed from process start to exit, so imports count; pages/s = pages / wall seconds;
- fidelity: word-bigram recall of the truth text (DESIGN §12), per layout and engine;
- leakage: running header/footer/page-number lines found in the body.
The printed ratio is our default engine's pages/s over pdfplumber-default's pages/s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONTENDERS = ("pdfium", "pdfplumber", "plumber-default")
SHARED_PDFS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora-real" / "pdfs"


def worker(contender: str, files: list[str], out: str) -> None:
    """Extract every file with one contender and write {file: text} as JSON.

    Runs in a subprocess.
    """
    texts: dict[str, str] = {}
    if contender == "plumber-default":
        import pdfplumber

        for name in files:
            with pdfplumber.open(name) as pdf:
                texts[name] = "\n".join(page.extract_text() or "" for page in pdf.pages)
    else:
        from resdiscourse.ingest.reader import read_document

        for name in files:
            texts[name] = read_document(name, engine=contender).text
    Path(out).write_text(json.dumps(texts), encoding="utf-8")


def _timed_process(contender: str, files: list[str], folder: Path) -> tuple[float, dict[str, str]]:
    out = folder / f"{contender}.json"
    command = [sys.executable, __file__, "--worker", contender, "--out", str(out), *files]
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
    from resdiscourse.testing.metrics import fidelity, leakage
    from resdiscourse.testing.synthpdf import build_pdf, layout_suite

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-real", action="store_true", help="only the generated layout suite")
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
        worker(sys.argv[2], sys.argv[5:], sys.argv[4])
    else:
        main()
