"""Re-run benchmark (issue 12, "incremental re-runs"): cold run vs unchanged re-run vs re-run after
a codebook edit, each a whole ``resdiscourse code`` process, medians of ``--repeat``.

Run: ``python benchmarks/rerun.py [--n 100] [--repeat 3] [--jobs 1] [--corpus KIND]``.

The corpus: ``generated`` (the default) is the issue's generated corpus, ``make_corpus.py --seed 0
--n N`` (5 to 30 pages, 10 % French, resilience and migrant sentences at the density it prints);
``demo-pages`` is ``--n`` distinct PDFs made from the demo corpus's pages (document i takes 2 to 6
pages of the demo PDFs, starting at a page that depends on i; pypdfium2 copies the pages), a corpus
where nearly every sentence is about resilience and migrants, so coding is most of the work. Cold:
an empty cache folder. Unchanged: the same corpus and codebook again, into another run folder
(texts and codings from the cache). Codebook edit: a copy of the shipped codebook with one code
label changed (a new sha256 each time): texts from the cache, coding done again. The last lines are
the ratios cold / unchanged and cold / edit; targets (on 100 documents): at least 20x and 3x. The
unchanged re-run's outputs are compared with the cold run's, byte for byte but timings.json. Each
process's CPU time (user + system, of the process and its children) is printed beside its wall
time, with the ratios of both: on a shared machine CPU time moves much less with the load. The
size of the cache after the first cold run is printed per kind of entry, per 1,000 pages.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"
CODEBOOK = ROOT / "src" / "resdiscourse" / "codebooks" / "bhuyan-leung-2021.yml"


def generated_corpus(folder: Path, count: int) -> int:
    """``make_corpus.py --seed 0 --n count``; returns the number of pages written."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from make_corpus import DEFAULT_RATES, make_corpus

    return int(make_corpus(folder, count, 0, DEFAULT_RATES)["pages"])


def demo_pages_corpus(folder: Path, count: int) -> int:
    """``count`` PDFs of demo pages; returns the number of pages written."""
    folder.mkdir(parents=True)
    sources = [pdfium.PdfDocument(path) for path in sorted(DEMO.glob("*.pdf"))]
    pages = [(doc, index) for doc in sources for index in range(len(doc))]
    written = 0
    for number in range(count):
        length = 2 + number % 5
        new = pdfium.PdfDocument.new()
        for offset in range(length):
            doc, index = pages[(number * 3 + offset * 7) % len(pages)]
            new.import_pages(doc, [index])
        new.save(folder / f"generated-{number:04d}.pdf")
        written += length
    return written


def command() -> list[str]:
    script = Path(sys.executable).with_name("resdiscourse")
    found = script if script.exists() else shutil.which("resdiscourse")
    return [str(found)] if found else [sys.executable, "-m", "resdiscourse"]


def timed_run(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def cache_sizes(cache: Path) -> dict[str, int]:
    """Bytes per kind of entry in a cache folder (``v<N>/<kind>/``)."""
    sizes: dict[str, int] = {}
    for folder in sorted(cache.glob("v*/*")):
        if folder.is_dir():
            files = [path for path in folder.rglob("*") if path.is_file()]
            sizes[folder.name] = sum(path.stat().st_size for path in files)
    return sizes


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "timings.json"
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="documents to generate")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--corpus", choices=("generated", "demo-pages"), default="generated")
    args = parser.parse_args()
    tool = command()
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary)
        corpus = base / "corpus"
        build = generated_corpus if args.corpus == "generated" else demo_pages_corpus
        pages = build(corpus, args.n)
        cold, unchanged, edited = [], [], []
        sizes: dict[str, int] = {}
        for round_ in range(args.repeat):
            cache = base / f"cache-{round_}"
            code = [*tool, "code", str(corpus), "--cache-dir", str(cache), "--jobs", str(args.jobs)]
            first, again = base / f"cold-{round_}", base / f"again-{round_}"
            cold.append(timed_run([*code, "--out", str(first)]))
            if round_ == 0:
                sizes = cache_sizes(cache)
            unchanged.append(timed_run([*code, "--out", str(again)]))
            if outputs(first) != outputs(again):
                raise SystemExit("the unchanged re-run's outputs differ from the cold run's")
            book = base / f"edited-{round_}.yml"
            text = CODEBOOK.read_text(encoding="utf-8")
            book.write_text(text.replace("label: ", f"label: (edit {round_}) ", 1), "utf-8")
            edit_out = base / f"edit-{round_}"
            edited.append(timed_run([*code, "--codebook", str(book), "--out", str(edit_out)]))
    (cold_s, cold_c), (same_s, same_c), (edit_s, edit_c) = (
        (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
        for runs in (cold, unchanged, edited)
    )
    corpus_name = f"{args.n} PDFs ({args.corpus}), {pages} pages"
    print(f"{corpus_name}; --jobs {args.jobs}; medians of {args.repeat}")
    for kind, size in sizes.items():
        per_page = size / pages  # bytes per page: KB per 1,000 pages
        print(f"cache entries '{kind}': {size / 1024:9.1f} KiB, {per_page:7.1f} KB per 1,000 pages")
    print(f"cold run                  {cold_s:7.2f} s (CPU {cold_c:6.2f} s)")
    print(
        f"unchanged re-run          {same_s:7.2f} s (CPU {same_c:6.2f} s; outputs byte-identical"
        " but timings.json)"
    )
    print(f"codebook-edit re-run      {edit_s:7.2f} s (CPU {edit_c:6.2f} s)")
    print(
        f"cold / unchanged re-run   {cold_s / same_s:6.1f}x (CPU {cold_c / same_c:5.1f}x; target"
        " >= 20x at 100 documents)"
    )
    print(
        f"cold / codebook-edit      {cold_s / edit_s:6.1f}x (CPU {cold_c / edit_c:5.1f}x; target"
        " >= 3x at 100 documents)"
    )


if __name__ == "__main__":
    main()
