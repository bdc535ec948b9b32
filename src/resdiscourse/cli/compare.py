"""``resdiscourse compare AUTO HUMAN [HUMAN2 ...]``: agreement with human coding.

Wraps :func:`resdiscourse.compare.compare`.
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
    from resdiscourse.compare import ComparisonReport


def compare(
    auto: Annotated[
        Path,
        typer.Argument(
            metavar="AUTO",
            help="An output folder of `resdiscourse code` (its texts are the reference).",
            show_default=False,
        ),
    ],
    humans: Annotated[
        list[Path],
        typer.Argument(
            metavar="HUMAN...",
            help="Other codings: a .qdpx project (each user a coder), a CSV of doc,start,end,code "
            "or segment_id,code rows (optional coder column), or another output folder.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Where to write agreement.csv, confusion.csv, disagreements.csv and "
            "compare.json \\[default: AUTO/compare].",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Their code names -> ours: a CSV with from,to columns or a YAML mapping.",
            show_default=False,
        ),
    ] = None,
    coder: Annotated[
        list[str] | None,
        typer.Option(
            "--coder",
            metavar="NAME",
            help="Compare only this coder of a multi-user project or CSV (repeat for more).",
            show_default=False,
        ),
    ] = None,
    exclude_coder: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude-coder",
            metavar="SIDE=NAME",
            help="Leave out the coder NAME of the side SIDE (its file or folder name), "
            "whichever side it is (repeat for more).",
            show_default=False,
        ),
    ] = None,
    segment_overlap: Annotated[
        float,
        typer.Option(
            min=0.01,
            max=1.0,
            metavar="SHARE",
            help="At segment level, a coder who coded spans codes a segment when they cover "
            "this share of it.",
        ),
    ] = 0.5,
    seed: Annotated[int, typer.Option(metavar="N", help="Seed of the bootstrap.")] = 0,
    resamples: Annotated[
        int,
        typer.Option(
            min=0, metavar="N", help="Bootstrap resamples for the 95 % intervals (0: none)."
        ),
    ] = 1000,
    min_chars: Annotated[
        int,
        typer.Option(
            min=1,
            metavar="N",
            help="List character-level disagreements of at least N characters in "
            "disagreements.csv (shorter ones, mostly passage edges, still count in the figures).",
        ),
    ] = 20,
    format: Annotated[
        str,
        typer.Option(
            metavar="FORMAT",
            help="Also write the tables as xlsx, parquet or jsonl (the CSVs are always written).",
        ),
    ] = "csv",
    excel: Annotated[
        bool, typer.Option("--excel", help="Start the CSVs with a byte-order mark, for Excel.")
    ] = False,
    json: JsonOption = False,
) -> None:
    """Agreement between the automatic coding and one or more human coders.

    Percent agreement and Cohen's kappa per pair of coders (character level per source as NVivo's
    coding comparison, and segment level), Krippendorff's alpha, precision/recall/F1 of the
    automatic side, bootstrap 95 % intervals; a confusion table and disagreements.csv for
    adjudication. Exit code 1 when a document of some side matched no document.

    Example: resdiscourse compare resdiscourse-out/demo my-coding.qdpx
    """
    from resdiscourse.compare import compare as compare_codings

    with usage_errors():
        report = compare_codings(
            auto,
            humans,
            out=out,
            mapping=mapping,
            coders=coder or (),
            exclude_coders=exclude_coder or (),
            segment_overlap=segment_overlap,
            seed=seed,
            resamples=resamples,
            min_chars=min_chars,
            format=format,  # type: ignore[arg-type]  # checked by the library (E216)
            excel=excel,
        )
    finish(report, json, _print_report)


def _print_report(report: ComparisonReport) -> None:
    console = stderr_console()
    letters = {coder["name"]: chr(ord("A") + i) for i, coder in enumerate(report.coders[:26])}
    for coder in report.coders:
        console.print(
            f"{letters.get(coder['name'], '?')} = {coder['name']} ({coder['side']}, "
            f"{coder['documents']} documents, by {coder['unit']})",
            markup=False,
        )
    table = Table(title="Agreement (pooled over codes and documents)")
    for column in ("unit", "coders", "units", "agree %", "kappa", "95 % CI", "alpha", "F1"):
        table.add_column(column, justify="left" if column in ("unit", "coders") else "right")
    for unit in ("character", "segment"):
        for row in report.overall(unit):
            table.add_row(
                unit,
                _pair(row["coders"], letters),
                _number(row["units"], 0),
                _number(row["percent_agreement"], 1),
                _number(row["kappa"], 3) + (" (degenerate)" if row["kappa_degenerate"] else ""),
                _interval(row["kappa_low"], row["kappa_high"]),
                _number(row["alpha"], 3),
                _number(row["f1"], 3),
            )
    console.print(table)
    compared = sum(1 for entry in report.documents if entry["compared"])
    console.print(
        f"{compared} documents, {len(report.codes)} codes compared; {report.disagreements} "
        f"disagreements to adjudicate in {report.out}/disagreements.csv ("
        f"{report.short_disagreements} shorter than {report.min_chars} characters not listed); "
        f"per code and document: {report.out}/agreement.csv",
        markup=False,
    )
    print_problems(report.problems)


def _pair(coders: str, letters: dict[str, str]) -> str:
    if coders == "all":
        return "all"
    return " | ".join(letters.get(name, name) for name in coders.split(" | "))


def _number(value: float | int | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _interval(low: float | None, high: float | None) -> str:
    return "–" if low is None or high is None else f"{low:.3f}–{high:.3f}"
