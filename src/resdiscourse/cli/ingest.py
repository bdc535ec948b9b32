"""``resdiscourse ingest CORPUS_DIR``: clean texts and page maps of a folder of documents.

Wraps :func:`resdiscourse.ingest.corpus.ingest_corpus`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resdiscourse.cli.output import (
    print_json,
    print_summary,
    progress_bar,
    usage_errors,
)
from resdiscourse.cli.text import ENGINE_HELP
from resdiscourse.ingest.corpus import ingest_corpus

OUT_ROOT = Path("resdiscourse-out")


def default_out(corpus_dir: Path) -> Path:
    """``resdiscourse-out/<corpus folder name>/`` under the current folder (DESIGN §7)."""
    return OUT_ROOT / (corpus_dir.resolve().name or "corpus")


def ingest(
    corpus_dir: Annotated[
        Path,
        typer.Argument(
            metavar="CORPUS_DIR",
            help="Folder of .pdf, .txt, .md and .html files, with an optional manifest.csv or "
            "manifest.yaml.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Output folder. Default: resdiscourse-out/<corpus folder name>/.",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option(min=1, metavar="N", help="Documents read in parallel (processes).")
    ] = 1,
    engine: Annotated[str, typer.Option(metavar="NAME", help=ENGINE_HELP)] = "auto",
    password: Annotated[
        str | None,
        typer.Option(
            metavar="PW", help="Open password for encrypted PDFs in the corpus.", show_default=False
        ),
    ] = None,
    ocr: Annotated[
        bool, typer.Option("--ocr", help="OCR pages without a text layer (needs tesseract).")
    ] = False,
    use_cache: Annotated[
        bool,
        typer.Option("--cache/--no-cache", help="Reuse documents already read (cached by sha256)."),
    ] = True,
    json: Annotated[
        bool, typer.Option("--json", help="Print the run summary as JSON instead of a table.")
    ] = False,
) -> None:
    """Read every document of a corpus folder into clean text: texts/, pages/ and documents.csv.

    A document that cannot be read gets a row with its error code and the run goes on; exit code 1
    then tells you some documents failed.

    Example: resdiscourse ingest corpora/demo/ --out resdiscourse-out/demo --jobs 4
    """
    out = out if out is not None else default_out(corpus_dir)
    with usage_errors(), progress_bar(enabled=not json) as progress:
        summary = ingest_corpus(
            corpus_dir,
            out=out,
            jobs=jobs,
            engine=engine,
            password=password,
            ocr=ocr,
            progress=progress,
            use_cache=use_cache,
        )
    if json:
        print_json(summary.to_dict())
    else:
        print_summary(summary)
    raise typer.Exit(summary.exit_code)
