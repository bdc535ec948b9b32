"""Options shared by several commands, declared once so their names and help stay the same."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resdiscourse.codebook.load import archived_versions, shipped_codebooks
from resdiscourse.ingest.engines import ENGINES

ENGINE_HELP = f"PDF engine: {', '.join(('auto', *ENGINES))} (auto: pdfium, then the others)."


def shipped_help() -> str:
    """The shipped codebooks for --help: their names, then ``name@version`` for each earlier
    version kept (the folder is listed, no codebook is read)."""
    names = list(shipped_codebooks())
    older = [f"{name}@{version}" for name in names for version in archived_versions(name)]
    text = f"A shipped codebook's name ({', '.join(names) or 'none is installed'})"
    if older:
        text += f", NAME@VERSION for an earlier version ({', '.join(older)})"
    return text + ", or a YAML file."


CorpusArgument = Annotated[
    Path,
    typer.Argument(
        metavar="CORPUS_DIR",
        help="Folder of .pdf, .txt, .md and .html files, with an optional manifest.csv or "
        "manifest.yaml.",
        show_default=False,
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        metavar="DIR",
        help="Output folder. Default: resdiscourse-out/<corpus folder name>/.",
        show_default=False,
    ),
]
JobsOption = Annotated[
    int, typer.Option(min=1, metavar="N", help="Documents processed in parallel (processes).")
]
EngineOption = Annotated[str, typer.Option(metavar="NAME", help=ENGINE_HELP)]
PasswordOption = Annotated[
    str | None,
    typer.Option(
        metavar="PW", help="Open password for encrypted PDFs in the corpus.", show_default=False
    ),
]
OcrOption = Annotated[
    bool, typer.Option("--ocr", help="OCR pages without a text layer (needs tesseract).")
]
CacheOption = Annotated[
    bool,
    typer.Option(
        "--cache/--no-cache",
        help="Reuse documents already read and coded (cached by content hash; see --cache-dir).",
    ),
]
CacheDirOption = Annotated[
    Path | None,
    typer.Option(
        metavar="DIR",
        help="Cache folder shared by every run \\[default: $XDG_CACHE_HOME/resdiscourse, else "
        "~/.cache/resdiscourse].",
        show_default=False,
    ),
]
CodebookOption = Annotated[str, typer.Option(metavar="NAME|FILE", help=shipped_help())]
IncludeBlocksOption = Annotated[
    str | None,
    typer.Option(
        "--include-blocks",
        metavar="KINDS",
        help="Also retrieve from these layout blocks of PDFs, which retrieval skips: "
        "table, toc, index (joined by commas).",
        show_default=False,
    ),
]
RetrievalOption = Annotated[
    str | None,
    typer.Option(
        metavar="NAME",
        help="Retrieve with this variant of the codebook's retrieval (`codebook show` lists "
        "them) \\[default: the codebook's own retrieval].",
        show_default=False,
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        metavar="MODEL",
        help="An installed spaCy pipeline (package name or folder) instead of the offline "
        "default (blank + sentencizer + lookup lemmas).",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the library's result as JSON instead of a table.")
]
