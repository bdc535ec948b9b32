"""Ingest as whole processes: ``resdiscourse ingest`` against a pdfplumber ``extract_text`` loop.

Run: ``python benchmarks/ingest_batch.py [--set small|all] [--repeat 3]``.

``--set small`` reads the files listed in ``small-batch.txt`` (the 7 demo PDFs and two real ones
from ``../shared/corpora-real/pdfs``); ``--set all`` the demo PDFs and every real PDF there. The
files are copied into one corpus folder first. Each contender is a fresh process timed from start
to exit, so start-up counts: ``resdiscourse ingest`` with one worker and an empty ``--cache-dir``
each time, and ``python -c`` opening each file with pdfplumber and calling ``extract_text`` on
every page. Times are medians of ``--repeat``. The last line is the ratio of pages/s (ours over
pdfplumber's); the target on the small batch is at least 15x. Beside wall time, each process's
CPU time (user + system, from ``getrusage``) is printed: on a machine shared with other work it
moves much less with the load than wall time does. Fidelity is measured by ``ingest.py``.
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
SHARED_PDFS = ROOT.parent / "shared" / "corpora-real" / "pdfs"
PLUMBER_LOOP = """
import sys
import pdfplumber
for name in sys.argv[1:]:
    with pdfplumber.open(name) as pdf:
        for page in pdf.pages:
            page.extract_text()
"""


def batch(which: str) -> list[Path]:
    if which == "small":
        listing = (Path(__file__).parent / "small-batch.txt").read_text(encoding="utf-8")
        names = [line for line in listing.splitlines() if line and not line.startswith("#")]
        return [ROOT / name for name in names]
    return sorted((ROOT / "corpora" / "demo").glob("*.pdf")) + sorted(SHARED_PDFS.glob("*.pdf"))


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("small", "all"), default="small")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = batch(args.set)
    missing = [str(path) for path in files if not path.exists()]
    if missing:
        raise SystemExit(f"missing: {', '.join(missing)} (the real PDFs are in ../shared)")
    pages = sum(len(pdfium.PdfDocument(path)) for path in files)
    with tempfile.TemporaryDirectory(prefix="rd-ingest-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for path in files:
            shutil.copy(path, corpus / path.name)
        plumber, ours = [], []
        for _ in range(args.repeat):
            plumber.append(timed([sys.executable, "-c", PLUMBER_LOOP, *map(str, files)]))
            out, cache = Path(tmp) / "out", Path(tmp) / "cache"
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            ingest = [sys.executable, "-m", "resdiscourse", "ingest", str(corpus)]
            ours.append(timed([*ingest, "--out", str(out), "--cache-dir", str(cache), "--json"]))
    base, mine = (statistics.median(wall for wall, _ in runs) for runs in (plumber, ours))
    base_cpu, mine_cpu = (statistics.median(cpu for _, cpu in runs) for runs in (plumber, ours))
    print(f"{args.set} set: {len(files)} files, {pages} pages; medians of {args.repeat}")
    print(
        f"pdfplumber extract_text loop: {base:.2f} s, {pages / base:.1f} pages/s"
        f" (CPU {base_cpu:.2f} s)"
    )
    print(
        f"resdiscourse ingest (1 worker, cold cache): {mine:.2f} s, {pages / mine:.1f} pages/s"
        f" (CPU {mine_cpu:.2f} s)"
    )
    print(f"ratio of CPU times (pdfplumber / ours): {base_cpu / mine_cpu:.1f}x")
    print(f"ratio (ours / pdfplumber pages/s): {base / mine:.1f}x")


if __name__ == "__main__":
    main()
