"""``resdiscourse report DIR``: tables, charts and a self-contained report.html.

Wraps :func:`resdiscourse.report.build.build_report`.
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
    from resdiscourse.report.build import ReportSummary


def report(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR", help="An output folder of `resdiscourse code`.", show_default=False
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="OUT",
            help="Where to write the report (default: DIR/report/).",
            show_default=False,
        ),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Write summary tables (CSV), charts (PNG, SVG) and one self-contained report.html.

    Example: resdiscourse report resdiscourse-out/demo
    """
    from resdiscourse.report.build import build_report

    with usage_errors():
        summary = build_report(folder, out=out)
    finish(summary, json, _print_files)


def _print_files(summary: ReportSummary) -> None:
    console = stderr_console()
    kinds = [item["kind"] for item in summary.files]
    console.print(
        f"report in {summary.out}/: report.html, {kinds.count('table')} tables (tables/), "
        f"{kinds.count('chart')} chart files (charts/)",
        markup=False,
        soft_wrap=True,
    )
    console.print(
        f"open {Path(summary.out) / 'report.html'} in a browser", markup=False, soft_wrap=True
    )
    print_problems(summary.problems)
