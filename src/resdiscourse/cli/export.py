"""``resdiscourse export DIR``: REFI-QDA, NVivo and table files from a ``code`` output folder.

Wraps :func:`resdiscourse.export.run_export.export_run`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from resdiscourse.cli.options import JsonOption
from resdiscourse.cli.output import finish, print_problems, stderr_console, usage_errors

# The library is imported when the command runs: --help and the light commands must not load
# spaCy, pandas or matplotlib (tests/test_startup.py).
if TYPE_CHECKING:
    from resdiscourse.export.run_export import ExportSummary


def _file_option(help_text: str) -> object:
    return typer.Option(metavar="FILE", help=help_text, show_default=False)


def export(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR", help="An output folder of `resdiscourse code`.", show_default=False
        ),
    ],
    qdpx: Annotated[
        Path | None,
        _file_option(
            "A REFI-QDA project (.qdpx): codebook, texts and coded segments, for NVivo, "
            "ATLAS.ti, MAXQDA and QualCoder."
        ),
    ] = None,
    qdc: Annotated[Path | None, _file_option("The codebook alone, as a REFI-QDA .qdc.")] = None,
    nvivo: Annotated[
        Path | None,
        _file_option("A dataset NVivo imports (.xlsx, or .csv): one codable column per code."),
    ] = None,
    tidy: Annotated[
        Path | None,
        _file_option("One row per segment × code (.csv, .xlsx, .parquet or .jsonl)."),
    ] = None,
    wide: Annotated[
        Path | None,
        _file_option("One row per segment, a 0/1 column per code (.csv, .xlsx, .parquet, .jsonl)."),
    ] = None,
    dimension: Annotated[
        list[str] | None,
        typer.Option(
            "--dimension",
            metavar="ID",
            help="With --nvivo: keep only this dimension's codes (repeat for more).",
            show_default=False,
        ),
    ] = None,
    coder: Annotated[
        str, typer.Option(metavar="NAME", help="The user the .qdpx codings belong to.")
    ] = "resdiscourse",
    json: JsonOption = False,
) -> None:
    """Write exchange files from a `resdiscourse code` output folder.

    Example: resdiscourse export resdiscourse-out/demo --qdpx demo.qdpx --nvivo demo-nvivo.xlsx
    """
    from resdiscourse.export.run_export import export_run

    with usage_errors():
        summary = export_run(
            folder,
            qdpx=qdpx,
            qdc=qdc,
            nvivo=nvivo,
            tidy=tidy,
            wide=wide,
            dimensions=dimension or None,
            coder=coder,
        )
    finish(summary, json, _print_files)


def _print_files(summary: ExportSummary) -> None:
    console = stderr_console()
    for item in summary.files:
        counts = ", ".join(
            f"{value} {key}" for key, value in item.items() if isinstance(value, int)
        )
        console.print(f"{item['kind']}: {item['path']} ({counts})", markup=False)
    print_problems(summary.problems)
