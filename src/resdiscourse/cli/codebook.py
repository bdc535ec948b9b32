"""``resdiscourse codebook validate|test|show``: check, test and read a codebook.

Wraps :mod:`resdiscourse.codebook.load`, :mod:`resdiscourse.codebook.testing` and
:mod:`resdiscourse.codebook.describe`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from resdiscourse.cli.options import JsonOption, ModelOption
from resdiscourse.cli.output import (
    EXIT_USAGE,
    print_json,
    print_problems,
    stderr_console,
    usage_errors,
)
from resdiscourse.codebook.describe import describe_codebook
from resdiscourse.codebook.load import load_codebook, validate_codebook
from resdiscourse.codebook.testing import CodebookTestReport, run_codebook_tests

app = typer.Typer(
    name="codebook",
    help="Validate, test and show a codebook (a shipped name or a YAML file).",
    no_args_is_help=True,
)

CodebookArgument = Annotated[
    str,
    typer.Argument(
        metavar="NAME|FILE",
        help="A shipped codebook (bhuyan-leung-2021, social-resilience) or a YAML file.",
    ),
]


@app.command()
def validate(codebook: CodebookArgument = "bhuyan-leung-2021", json: JsonOption = False) -> None:
    """Check a codebook: every problem with file:line:col, the key and a hint. Exit 2 if any.

    Example: resdiscourse codebook validate my-codebook.yml
    """
    problems = validate_codebook(codebook)
    if json:
        print_json([item.to_dict() for item in problems])
    elif problems:
        print_problems(problems)
    else:
        stderr_console().print(f"{codebook}: valid", markup=False)
    raise typer.Exit(EXIT_USAGE if problems else 0)


@app.command(name="test")
def test_command(
    codebook: CodebookArgument = "bhuyan-leung-2021",
    model: ModelOption = None,
    json: JsonOption = False,
) -> None:
    """Run every example and counterexample as a test; per-code results; exit 1 on a failure.

    Example: resdiscourse codebook test bhuyan-leung-2021
    """
    with usage_errors():
        report = run_codebook_tests(load_codebook(codebook), model=model)
    if json:
        print_json(report.to_dict())
    else:
        _print_report(report)
    raise typer.Exit(report.exit_code)


def _print_report(report: CodebookTestReport) -> None:
    console = stderr_console()
    table = Table(title=f"{report.codebook} {report.version}")
    for column in ("dimension", "code", "examples", "counterexamples", ""):
        table.add_column(column)
    for row in report.per_code():
        ok = (
            row["examples_passed"] == row["examples"]
            and row["counterexamples_passed"] == row["counterexamples"]
        )
        table.add_row(
            row["dimension"],
            row["code"],
            f"{row['examples_passed']}/{row['examples']}",
            f"{row['counterexamples_passed']}/{row['counterexamples']}",
            "[green]PASS[/]" if ok else "[red]FAIL[/]",
        )
    console.print(table)
    for failure in report.failed:
        console.print(
            f"FAIL {failure.location} {failure.dimension}/{failure.code} {failure.kind} "
            f"{failure.text!r}: {failure.detail}",
            markup=False,
            soft_wrap=True,  # one line per failure, never wrapped: easy to grep
        )
    passed = len(report.results) - len(report.failed)
    console.print(f"{passed} passed, {len(report.failed)} failed", markup=False)


@app.command()
def show(codebook: CodebookArgument = "bhuyan-leung-2021", json: JsonOption = False) -> None:
    """Print the codebook's dimensions and codes with their definitions, as a table.

    Example: resdiscourse codebook show social-resilience
    """
    with usage_errors():
        description = describe_codebook(load_codebook(codebook))
    if json:
        print_json(description)
        return
    console = stderr_console()
    console.print(
        f"[bold]{description['title']}[/] ({description['name']} {description['version']})"
    )
    if description["cite"]:
        console.print(description["cite"], markup=False)
    console.print(
        f"unit: {description['unit']}; retrieval: {description['retrieval']}", markup=False
    )
    for dimension in description["dimensions"]:
        mode = "one code" if dimension["exclusive"] else "several codes"
        table = Table(title=f"{dimension['id']}: {dimension['label']} ({mode})", show_lines=True)
        for column in ("code", "label", "definition", "include / exclude", "rules", "tests"):
            table.add_column(column)
        for code in dimension["codes"]:
            guidance = "\n".join(
                part
                for part in (code["include"], code["exclude"] and f"not: {code['exclude']}")
                if part
            )
            table.add_row(
                code["id"],
                code["label"],
                code["definition"],
                guidance,
                str(code["rules"])
                if not code["absent_of"]
                else "absent: " + ", ".join(code["absent_of"]),
                f"{code['examples']}+{code['counterexamples']}",
            )
        console.print(table)
