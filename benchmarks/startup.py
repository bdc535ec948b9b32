"""Start-up benchmark (issue 12, "instant start"): whole processes, medians of 3.

Run: ``python benchmarks/startup.py [--repeat N]``.

Baseline, measured in the same run: ``python -c "import pdfplumber"``. Timed, each as a whole
process started the way a user starts it (the ``resdiscourse`` console script beside this
interpreter when there is one, else ``python -m resdiscourse``): ``--version``, ``--help``,
``text`` on a one-page PDF (the first page of a demo PDF, saved as a PDF of its own),
``codebook validate`` and ``cache info``. Targets: ``--version`` at most 0.3 s and 2.5x the
baseline; ``text`` on a one-page PDF at most 0.6 s and 5x. The last lines are the ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
DEMO_PDF = ROOT / "corpora" / "demo" / "toronto-newcomer-update-2013.pdf"
TARGETS = {"--version": (0.3, 2.5), "text (1 page)": (0.6, 5.0)}


def one_page_pdf(folder: Path) -> Path:
    """The first page of a demo PDF as a PDF of its own."""
    source = pdfium.PdfDocument(DEMO_PDF)
    single = pdfium.PdfDocument.new()
    single.import_pages(source, [0])
    path = folder / "one-page.pdf"
    single.save(path)
    return path


def command() -> list[str]:
    script = Path(sys.executable).with_name("resdiscourse")
    found = script if script.exists() else shutil.which("resdiscourse")
    return [str(found)] if found else [sys.executable, "-m", "resdiscourse"]


def median_seconds(argv: list[str], repeat: int, cwd: Path) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=False, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        pdf = one_page_pdf(folder)
        tool = command()
        cases = {
            "--version": [*tool, "--version"],
            "--help": [*tool, "--help"],
            "text (1 page)": [*tool, "text", str(pdf)],
            "codebook validate": [*tool, "codebook", "validate", "bhuyan-leung-2021"],
            "cache info": [*tool, "cache", "info", "--cache-dir", str(folder / "cache")],
        }
        baseline_argv = [sys.executable, "-c", "import pdfplumber"]
        median_seconds(baseline_argv, 1, folder)  # warm the file cache before anything is timed
        baseline = median_seconds(baseline_argv, args.repeat, folder)
        timed = {name: median_seconds(argv, args.repeat, folder) for name, argv in cases.items()}
    print(f"command: {' '.join(tool)}; medians of {args.repeat}")
    label = 'baseline: python -c "import pdfplumber"'
    print(f"{label:<44} {baseline:6.3f} s")
    for name, seconds in timed.items():
        target = TARGETS.get(name)
        goal = f"  (target <= {target[0]} s and <= {target[1]}x)" if target else ""
        print(f"{name:<44} {seconds:6.3f} s  {seconds / baseline:5.2f}x{goal}")


if __name__ == "__main__":
    main()
