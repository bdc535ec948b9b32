"""A tiny corpus and codebook whose run has segments with review=yes and review=no (the
review flag of docs/codebook.md), for the tests of the tables, exports, report and sample that
show the flag.

``locus`` has ``review: true``: a strong rule (``shown``), a weak fallback (``any-migrant``) and a
rival code of the same priority (``economy``), so that a segment is flagged when only the fallback
gave its code or when the tie-break between equal priorities decided it. ``valence`` has a weak
rule but no ``review``: it never sets the flag.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from resdiscourse.run import code_corpus

BOOK = """\
name: review-test
version: "1"
retrieval: {all: [resilience, migrants]}
concepts:
  resilience: {terms: ["resilien*"]}
  migrants: {terms: ["refugee*", "newcomer*"]}
  economy: {terms: [economy]}
dimensions:
  locus:
    exclusive: true
    review: true
    codes:
      attribute:
        definition: Resilience is something migrants show.
        rules:
          - {id: shown, match: "{migrants} BEFORE/3 {resilience}", priority: 2}
          - {id: any-migrant, match: "{migrants}", strength: weak, fallback: true}
      resource:
        definition: Migrants make something else resilient.
        rules: [{id: economy, match: "{economy}", priority: 2}]
  valence:
    codes:
      asset:
        definition: Admiring.
        rules: [{id: remarkable, match: "remarkable", strength: weak}]
"""
#: doc_id -> text. Per sentence: strong (no review), weak fallback only (review), a tie between
#: equal priorities (review), strong (no review).
TEXTS = {
    "a": "Refugees show remarkable resilience. The resilience of the grid matters to refugees.",
    "b": "Newcomers show resilience in the economy. Newcomers show resilience.",
}
WEAK_ONLY = "a:37-84"
TIE = "b:0-41"
STRONG = ("a:0-36", "b:42-68")
REASONS = {
    WEAK_ONLY: "locus: attribute given by weak rule any-migrant only",
    TIE: (
        "locus: close tie-break, attribute (shown, priority 2) over resource (economy, priority 2)"
    ),
}


def write_review_corpus(folder: Path) -> tuple[Path, Path]:
    """The corpus folder and the codebook file, written under ``folder``."""
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    for doc_id, text in TEXTS.items():
        (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    book = folder / "review-test.yml"
    book.write_text(BOOK, encoding="utf-8")
    return corpus, book


def code_review_run(folder: Path, **options: object) -> Path:
    """Code the review corpus into ``folder/out``; returns the output folder."""
    corpus, book = write_review_corpus(folder)
    out = folder / "out"
    summary = code_corpus(corpus, codebook=book, out=out, **options)  # type: ignore[arg-type]
    assert summary.exit_code == 0
    return out


def drop_columns(path: Path, names: set[str]) -> None:
    """Rewrite a CSV of a run without the columns ``names``, as a run written before they
    existed."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [name for name in reader.fieldnames or [] if name not in names]
        rows = list(reader)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def make_old(out: Path) -> None:
    """``out`` as a run folder written before the review and strength columns."""
    drop_columns(out / "segments.csv", {"review", "review_reasons"})
    drop_columns(out / "codings.csv", {"strength"})
    forget_completeness(out)


def forget_completeness(out: Path) -> None:
    """run.json as written before it recorded completeness and the outputs' sha256."""
    path = out / "run.json"
    run = json.loads(path.read_text(encoding="utf-8"))
    run.pop("complete", None)
    run.pop("outputs", None)
    path.write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
