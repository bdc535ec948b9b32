"""``resdiscourse sample DIR``: a reproducible validation sample for a second (human) coder.

Wraps :func:`resdiscourse.sample.sample_run`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from resdiscourse.cli.options import JsonOption
from resdiscourse.cli.output import finish, print_problems, stderr_console, usage_errors

# The library is imported when the command runs: --help and the light commands must not load
# spaCy, pandas or matplotlib (tests/test_startup.py).
if TYPE_CHECKING:
    from resdiscourse.sample import SampleSummary


def sample(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR", help="An output folder of `resdiscourse code`.", show_default=False
        ),
    ],
    n: Annotated[
        int,
        typer.Option("--n", min=0, metavar="N", help="Retrieved segments to draw (all if fewer)."),
    ] = 200,
    seed: Annotated[
        int, typer.Option(min=0, metavar="S", help="Seed: the same seed draws the same sample.")
    ] = 0,
    stratify: Annotated[
        str | None,
        typer.Option(
            metavar="CODE",
            help="Spread the draws equally over the codes of a dimension (e.g. locus), over "
            "has / has not one code (e.g. valence:deficit), or over review=yes / review=no "
            "(review: segments whose code a weak rule or a close tie-break decided).",
            show_default=False,
        ),
    ] = None,
    candidates: Annotated[
        int | None,
        typer.Option(
            min=0,
            metavar="N",
            help="Non-retrieved sentences with a retrieval concept to draw, for recall "
            "\\[default: N // 4].",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Where to write sample.csv, sample-key.csv, sample.qdpx and sample.json "
            "\\[default: DIR/sample-SEED].",
            show_default=False,
        ),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option("--excel", help="Start the CSVs with a byte-order mark, for Excel."),
    ] = False,
    json: JsonOption = False,
) -> None:
    """Draw a reproducible validation sample of segments for a second coder.

    Writes a blind coding sheet (sample.csv, and sample.qdpx for QDA software) and its key
    (sample-key.csv: kind, stratum, weight and the automatic codes).

    Example: resdiscourse sample resdiscourse-out/demo --n 200 --seed 1 --stratify locus
    """
    from resdiscourse.sample import sample_run

    with usage_errors():
        summary = sample_run(
            folder,
            n=n,
            seed=seed,
            stratify=stratify,
            candidates=candidates,
            out=out,
            excel=excel,
        )
    finish(summary, json, _print_summary)


def _print_summary(summary: SampleSummary) -> None:
    table = Table(title=f"Sample (seed {summary.seed})")
    for column in ("stratum", "kind", "population", "drawn", "weight"):
        table.add_column(column, justify="left" if column in ("stratum", "kind") else "right")
    for stratum in summary.strata:
        weight = stratum.weight
        table.add_row(
            stratum.name,
            stratum.kind,
            str(len(stratum.population)),
            str(len(stratum.drawn)),
            "–" if weight is None else f"{weight:.3f}",
        )
    console = stderr_console()
    console.print(table)
    console.print(f"for the coder: {summary.out}/sample.csv and sample.qdpx", markup=False)
    console.print(f"the key (not for the coder): {summary.out}/sample-key.csv", markup=False)
    print_problems(summary.problems)
