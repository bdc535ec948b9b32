"""``resdiscourse text FILE``: the clean text of one document.

Wraps :func:`resdiscourse.ingest.reader.read_document`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resdiscourse.cli.options import EngineOption
from resdiscourse.cli.output import (
    EXIT_FAILED_DOCUMENTS,
    EXIT_OK,
    FAILED_STATUSES,
    print_json,
    print_problems,
    print_text,
    usage_errors,
)
from resdiscourse.ingest.reader import read_document


def text(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="A .pdf, .txt, .md or .html file.", show_default=False),
    ],
    pages: Annotated[
        str | None,
        typer.Option(
            metavar="RANGE", help="Physical pages to read, 1-based: 3, 2-5 or 1,3,7-9 (PDF only)."
        ),
    ] = None,
    json: Annotated[
        bool, typer.Option("--json", help="Print text, page map, problems and metadata as JSON.")
    ] = False,
    engine: EngineOption = "auto",
    password: Annotated[
        str | None,
        typer.Option(metavar="PW", help="Open password of an encrypted PDF.", show_default=False),
    ] = None,
    ocr: Annotated[
        bool, typer.Option("--ocr", help="OCR pages without a text layer (needs tesseract).")
    ] = False,
) -> None:
    """Print the clean text of one document: reading order, no running headers, joined hyphens.

    Problems go to stderr, one line each. Exit code 1 when the file could not be read.

    Example: resdiscourse text corpora/demo/report.pdf --pages 2-5
    """
    with usage_errors():
        result = read_document(file, engine=engine, password=password, ocr=ocr, pages=pages)
    if json:
        print_json(result.to_dict())  # the problems are in the JSON
    else:
        print_text(result.text)
        print_problems(result.problems)
    raise typer.Exit(EXIT_FAILED_DOCUMENTS if result.status in FAILED_STATUSES else EXIT_OK)
