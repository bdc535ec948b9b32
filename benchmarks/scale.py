"""Scale benchmark: ``--jobs 1`` vs ``--jobs 2`` vs Dask with 2 workers, and peak memory, on
generated corpora (``make_corpus.py``), each run a whole ``resdiscourse code`` process.

Run: ``python benchmarks/scale.py [--sizes 100,1000] [--repeat 3] [--seed 0]``.

For each size, the corpus is generated once (seeded); every run then starts cold (an empty
``--cache-dir``, a new ``--out``). Contenders: ``--jobs 1`` (the baseline), ``--jobs 2``, and
``--executor dask --jobs 2`` (a LocalCluster of 2 worker processes, started and stopped inside the
timed process, so its start-up counts). Times are medians of ``--repeat``; the peak RSS is the
largest sum of the resident memory of the process and all its descendants (sampled every 20 ms),
the median over the repeats. The outputs of every contender are compared with the baseline's,
byte for byte but timings.json.

The last lines are the ratios: per size, jobs 1 / jobs 2 and jobs 1 / Dask (speed-ups; targets at
1,000 documents: at least 1.7 and 1.6, and jobs 2 never slower at 100), and peak RSS at the
largest size / at the smallest (target: at most 1.2).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import DEFAULT_RATES, make_corpus
from rerun import outputs

CONTENDERS = {
    "jobs 1": ["--jobs", "1"],
    "jobs 2": ["--jobs", "2"],
    "dask 2": ["--executor", "dask", "--jobs", "2"],
}


def measured_run(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of the process tree of one command."""
    started = time.perf_counter()
    process = psutil.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        total = 0
        with contextlib.suppress(psutil.Error):  # the command ended while being measured
            for member in [process, *process.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # ended after the listing
                    total += member.memory_info().rss
        peak = max(peak, total)
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="corpus sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    command = [sys.executable, "-m", "resdiscourse", "code"]
    table: dict[tuple[int, str], tuple[float, int]] = {}
    with tempfile.TemporaryDirectory(prefix="rd-scale-") as tmp:
        work = Path(tmp)
        for size in sizes:
            corpus = work / f"corpus-{size}"
            made = make_corpus(corpus, size, args.seed, DEFAULT_RATES)
            print(f"{size} documents, {made['pages']} pages, {made['french']} French", flush=True)
            baseline: dict[str, bytes] = {}
            for name, extra in CONTENDERS.items():
                seconds, peaks = [], []
                for attempt in range(args.repeat):
                    out, cache = work / "out", work / "cache"
                    shutil.rmtree(out, ignore_errors=True)
                    shutil.rmtree(cache, ignore_errors=True)
                    argv = [*command, str(corpus), "--out", str(out), "--cache-dir", str(cache)]
                    took, peak = measured_run([*argv, "--json", *extra])
                    seconds.append(took)
                    peaks.append(peak)
                    if attempt == 0:
                        produced = outputs(out)
                        if not baseline:
                            baseline = produced
                        elif produced != baseline:
                            raise SystemExit(f"{name} wrote other bytes than jobs 1 at {size}")
                table[size, name] = (statistics.median(seconds), int(statistics.median(peaks)))
                median, rss = table[size, name]
                print(f"  {name}: {median:.2f} s, peak RSS {rss / 2**20:.0f} MB", flush=True)
            shutil.rmtree(corpus)
    print(f"medians of {args.repeat}; every contender wrote the same bytes as jobs 1")
    for size in sizes:
        base = table[size, "jobs 1"][0]
        print(
            f"{size} documents: jobs 2 {base / table[size, 'jobs 2'][0]:.2f}x jobs 1, "
            f"dask 2 {base / table[size, 'dask 2'][0]:.2f}x jobs 1"
        )
    if len(sizes) > 1:
        for name in CONTENDERS:
            ratio = table[sizes[-1], name][1] / table[sizes[0], name][1]
            print(f"peak RSS {name}: {sizes[-1]} / {sizes[0]} documents = {ratio:.2f}x")


if __name__ == "__main__":
    main()
