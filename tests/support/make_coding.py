"""Write ann.csv: a made-up second coder of the demo corpus, for trying `resdiscourse compare`.

Not a human coding: it is the tool's own coding of corpora/demo with the kind of differences two
coders have (edges of a passage a few characters off, about one code in seven left out, one locus
code in ten swapped for another, and a few passages of its own), drawn with a fixed seed.

    resdiscourse code corpora/demo/ --out resdiscourse-out/demo
    python -m tests.support.make_coding resdiscourse-out/demo corpora/demo-coding/ann.csv
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

from resdiscourse.rundir import load_run

SEED = 2021
LOCUS = ["locus:attribute", "locus:resource", "locus:civic"]


def coding_rows(run_folder: Path) -> list[dict[str, str]]:
    run = load_run(run_folder)
    rng = random.Random(SEED)
    rows: list[tuple[str, int, int, str]] = []  # doc, start, end, code
    for segment in run.segments:
        doc_id, start, end = segment["doc_id"], int(segment["start"]), int(segment["end"])
        length = len(run.text(doc_id))
        for code in run.segment_codes()[segment["segment_id"]]:
            if rng.random() < 0.15:
                continue
            if code in LOCUS and rng.random() < 0.1:
                code = rng.choice([other for other in LOCUS if other != code])
            first = max(0, start + rng.randint(-12, 12))
            last = min(length, max(first + 1, end + rng.randint(-12, 12)))
            rows.append((doc_id, first, last, code))
    for document in run.coded_documents():
        length = len(run.text(document["doc_id"]))
        start = rng.randrange(0, max(1, length - 150))
        rows.append((document["doc_id"], start, start + 120, rng.choice(LOCUS)))
    return [
        {"doc": doc, "start": str(start), "end": str(end), "code": code, "coder": "ann"}
        for doc, start, end, code in sorted(rows)
    ]


def write(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, ["doc", "start", "end", "code", "coder"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    write(coding_rows(Path(sys.argv[1])), Path(sys.argv[2]))
