"""Where ingest's time goes: CPU seconds per file and per stage, in one process.

Run: ``python benchmarks/ingest_profile.py [--set small|all]`` (the files of ``ingest_batch.py``).

The command's modules are imported first (timed), then lingua's English and French models are
loaded by judging three short texts (timed: the models load on the first text shorter than 120
characters, and every document has headings that short), then ``ingest_corpus`` runs once with
one worker and an empty cache while the stages are timed by wrapping the functions that run
them:

- ``pdfium``: the engine's work (pdfium's own page and text-page parsing, then our words and
  figure boxes), that is ``pdf._read_with`` less the layout passes;
- ``layout``: lines, running headers and footers, reading order (``layout.py``, ``furniture.py``);
- ``paragraphs``: ``paragraphs.assemble`` (hyphenation, blocks), of which ``wordfreq``: the word
  frequency look-ups (the first in each language reads wordfreq's list);
- ``language``: lingua's judgement of every paragraph (``text_language``);
- ``other``: hashing, metadata, the cache entry, writing ``texts/`` and ``pages/``.

A stage whose function is gone (renamed) prints as 0. Times are CPU seconds
(``time.process_time``), which move less with a shared machine's load than wall time; a whole
``resdiscourse ingest`` process adds the interpreter's start, typer's parsing and the writing of
the run folder (``ingest_batch.py`` measures that).
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_batch import batch

#: Short texts that load lingua's models as the first paragraphs of a document do.
WARM_UP = (
    "Le plan",
    "Settlement services for newcomers",
    "La stratégie d'immigration de l'Ontario vise à attirer des travailleurs qualifiés et à "
    "favoriser leur intégration économique et sociale dans les collectivités de la province.",
)
COLUMNS = ("pages", "pdfium", "layout", "paragraphs", "wordfreq", "language", "other", "total")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("small", "all"), default="small")
    args = parser.parse_args()
    files = batch(args.set)

    started = time.process_time()
    import pypdfium2 as pdfium

    import resdiscourse.cli.ingest  # noqa: F401  (the command's own imports)
    from resdiscourse.ingest import clean, corpus, language, pdf

    imports = time.process_time() - started
    started = time.process_time()
    for text in WARM_UP:
        language._detector(language.DEFAULT_LANGUAGES).compute_language_confidence_values(text)
    lingua = time.process_time() - started

    spent: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    current = [""]

    def timed(owner: Any, name: str, stage: str) -> None:
        function = getattr(owner, name, None)
        if function is None:
            return

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            begun = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[current[0]][stage] += time.process_time() - begun

        setattr(owner, name, wrapper)

    timed(pdf, "_read_with", "read")
    timed(pdf, "text_from_pages", "passes")
    for name in ("group_lines", "find_furniture", "reading_order", "figure_lines"):
        timed(pdf, name, "layout")
    timed(pdf, "assemble", "paragraphs")
    timed(clean, "zipf", "wordfreq")
    timed(corpus, "text_language", "language")
    build: Callable[..., Any] = corpus.build_document

    def build_document(task: Any) -> Any:
        current[0] = task.planned.file
        begun = time.process_time()
        try:
            return build(task)
        finally:
            spent[current[0]]["total"] += time.process_time() - begun

    corpus.build_document = build_document  # type: ignore[assignment]

    with tempfile.TemporaryDirectory(prefix="rd-profile-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for path in files:
            shutil.copy(path, folder / path.name)
        started = time.process_time()
        corpus.ingest_corpus(folder, out=Path(tmp) / "out", cache_dir=Path(tmp) / "cache")
        whole = time.process_time() - started

    print(f"{args.set} set: {len(files)} files; CPU seconds")
    print(f"imports of the ingest command: {imports:.3f}")
    print(f"lingua's models (en, fr), loaded once: {lingua:.3f}")
    print(f"ingest_corpus: {whole:.3f}")
    print("| file | " + " | ".join(COLUMNS) + " |")
    print("|---|" + "---:|" * len(COLUMNS))
    sums: dict[str, float] = defaultdict(float)
    for path in files:
        stage = spent[path.name]
        with pdfium.PdfDocument(path) as document:
            row = {
                "pages": float(len(document)),
                "pdfium": stage["read"] - stage["passes"],
                "layout": stage["layout"],
                "paragraphs": stage["paragraphs"],
                "wordfreq": stage["wordfreq"],
                "language": stage["language"],
                "total": stage["total"],
            }
        row["other"] = row["total"] - sum(
            row[name] for name in ("pdfium", "layout", "paragraphs", "language")
        )
        for name, value in row.items():
            sums[name] += value
        print(f"| {path.name} | " + " | ".join(_cell(name, row[name]) for name in COLUMNS) + " |")
    print("| all | " + " | ".join(_cell(name, sums[name]) for name in COLUMNS) + " |")


def _cell(name: str, value: float) -> str:
    return str(int(value)) if name == "pages" else f"{value:.3f}"


if __name__ == "__main__":
    main()
