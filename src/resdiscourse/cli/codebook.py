"""``resdiscourse codebook validate|test|show|eval``: check, test, read and score a codebook.

Wraps :mod:`resdiscourse.codebook.load`, :mod:`resdiscourse.validity.examples`,
:mod:`resdiscourse.codebook.describe` and :mod:`resdiscourse.validity.evaluate`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from resdiscourse.cli.options import (
    CodebookOption,
    JsonOption,
    ModelOption,
    RetrievalOption,
    shipped_help,
)
from resdiscourse.cli.output import (
    EXIT_USAGE,
    print_json,
    print_problems,
    stderr_console,
    stdout_console,
    usage_errors,
)

# The library is imported where a command runs: `test` and `eval` load spaCy, which
# `validate`, `show` and `--help` must not pay for (tests/test_startup.py).
if TYPE_CHECKING:
    from resdiscourse.validity.evaluate import CodeScore, DimensionScore, Disagreement, EvalReport
    from resdiscourse.validity.examples import CodebookTestReport

app = typer.Typer(
    name="codebook",
    help="Validate, test and show a codebook (a shipped name or a YAML file).",
    no_args_is_help=True,
)

CodebookArgument = Annotated[str, typer.Argument(metavar="NAME|FILE", help=shipped_help())]


@app.command()
def validate(codebook: CodebookArgument = "bhuyan-leung-2021", json: JsonOption = False) -> None:
    """Check a codebook: every problem with file:line:col, the key and a hint. Exit 2 if any.

    Example: resdiscourse codebook validate my-codebook.yml
    """
    from resdiscourse.codebook.load import validate_codebook

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
    from resdiscourse.codebook.load import load_codebook
    from resdiscourse.validity.examples import run_codebook_tests

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
def show(
    codebook: CodebookArgument = "bhuyan-leung-2021",
    examples: Annotated[
        bool,
        typer.Option(
            "--examples", help="Also list every example and counterexample with its source."
        ),
    ] = False,
    json: JsonOption = False,
) -> None:
    """Print the codebook's dimensions and codes with their definitions, as a table; its
    retrieval variants (for --retrieval) and the versions shipped (for NAME@VERSION).

    Example: resdiscourse codebook show social-resilience
    """
    from resdiscourse.codebook.describe import describe_codebook
    from resdiscourse.codebook.load import load_codebook

    with usage_errors():
        description = describe_codebook(load_codebook(codebook))
    if json:
        print_json(description)
        return
    console = stdout_console()  # what was asked for: `codebook show NAME > file` keeps it
    console.print(
        f"[bold]{description['title']}[/] ({description['name']} {description['version']})"
    )
    if description["cite"]:
        console.print(description["cite"], markup=False)
    console.print(
        f"unit: {description['unit']}; retrieval: {description['retrieval']}", markup=False
    )
    for name, variant in description["retrieval_variants"].items():
        about = f" ({variant['description']})" if variant["description"] else ""
        console.print(
            f"  --retrieval {name}{about}: {variant['query']}", markup=False, soft_wrap=True
        )
    if description["versions"]:
        versions = ", ".join(
            f"{description['name']}@{version}" for version in description["versions"]
        )
        console.print(f"versions shipped: {versions}", markup=False, soft_wrap=True)
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
                f"{code['examples']}+{code['counterexamples']}"
                + (f"\n{code['sourced']} sourced" if code["sourced"] else ""),
            )
        console.print(table)
        if examples:
            _print_examples(dimension)


def _print_examples(dimension: dict[str, Any]) -> None:
    """Each example and counterexample of a dimension's codes, with its source."""
    from resdiscourse.codebook.describe import example_citation

    console = stdout_console()
    for code in dimension["codes"]:
        for entry in code["example_texts"]:
            sign = "+" if entry["kind"] == "example" else "-"
            cited = example_citation(entry)
            console.print(
                f"{sign} {dimension['id']}/{code['id']}: {entry['text']}"
                + (f" [{cited}]" if cited else ""),
                markup=False,
                soft_wrap=True,
            )


# --- eval -----------------------------------------------------------------------------------------

GoldArgument = Annotated[
    str,
    typer.Argument(
        metavar="GOLD",
        help="Labelled sentences: our YAML (items: [{id, text, retrieved, lang, <dimension>: "
        "code}]) or CSV (id,text,retrieved,lang, then one column per dimension).",
        show_default=False,
    ),
]
RulesOption = Annotated[
    bool,
    typer.Option(
        "--rules",
        help="Also print each rule's track record: the items it gave their code, and how many "
        "of them were right (to calibrate strong and weak rules).",
    ),
]
SplitOption = Annotated[
    str | None,
    typer.Option(
        metavar="SPLIT",
        help="Score only the items whose split is SPLIT (e.g. tune, untuned).",
        show_default=False,
    ),
]


@app.command(name="eval")
def eval_command(
    gold: GoldArgument,
    codebook: CodebookOption = "bhuyan-leung-2021",
    model: ModelOption = None,
    split: SplitOption = None,
    retrieval: RetrievalOption = None,
    rules: RulesOption = False,
    json: JsonOption = False,
) -> None:
    """Score a codebook against labelled sentences: retrieval, per-code P/R/F1, macro-F1,
    confusion tables, review share, and each disagreement with its rule trace (--json always
    holds every rule's track record; --rules prints it).

    Example: resdiscourse codebook eval my-gold.csv --codebook my-codebook.yml
    """
    from resdiscourse.validity.evaluate import evaluate_codebook

    with usage_errors():
        report = evaluate_codebook(gold, codebook, model=model, split=split, retrieval=retrieval)
    if json:
        print_json(report.to_dict())
        return
    console = stderr_console()
    _print_heading(console, report)
    _print_scores(console, "retrieval", (report.retrieval,))
    for dimension in report.dimensions:
        _print_dimension(console, dimension)
    _print_review(console, report)
    if rules:
        _print_rules(console, report)
    _print_disagreements(console, report.disagreements)


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _codes(value: bool | tuple[str, ...]) -> str:
    if isinstance(value, bool):
        return "retrieved" if value else "not retrieved"
    return ";".join(value) or "none"


def _print_heading(console: Console, report: EvalReport) -> None:
    items = len(report.outcomes)
    guessed = sum(outcome.lang_detected for outcome in report.outcomes)
    split = f", split {report.split}" if report.split else ""
    from resdiscourse.codebook.schema import DEFAULT_RETRIEVAL  # pydantic: not at start-up

    if report.retrieval_name != DEFAULT_RETRIEVAL:
        split += f", retrieval {report.retrieval_name}"
    scored = ", ".join(spec.id for spec in report.scoring.dimensions) or "retrieval only"
    console.print(
        f"{report.name} {report.version} on {report.gold}: {items} items{split}"
        + (f" ({guessed} with their language guessed)" if guessed else "")
        + f"; scored: {scored}",
        markup=False,
        soft_wrap=True,
    )


def _print_scores(console: Console, title: str, scores: tuple[CodeScore, ...]) -> None:
    table = Table(title=title)
    for column in ("code", "TP", "FP", "FN", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "code" else "right")
    for score in scores:
        table.add_row(
            score.code,
            str(score.tp),
            str(score.fp),
            str(score.fn),
            _figure(score.precision),
            _figure(score.recall),
            _figure(score.f1),
        )
    console.print(table)


def _print_dimension(console: Console, dimension: DimensionScore) -> None:
    over = ", ".join(dimension.macro_codes) or "no code"
    title = f"{dimension.id}: macro-F1 {_figure(dimension.macro_f1)} over {over}"
    _print_scores(console, title, dimension.codes)
    if dimension.confusion is None:
        return
    table = Table(title=f"{dimension.id}: gold (rows) x predicted (columns)")
    table.add_column("gold")
    labels = list(dimension.confusion)
    for label in labels:
        table.add_column(label, justify="right")
    for gold, row in dimension.confusion.items():
        cells = [f"[bold]{row[label]}[/]" if label == gold else str(row[label]) for label in labels]
        table.add_row(gold, *cells)
    console.print(table)


def _print_review(console: Console, report: EvalReport) -> None:
    console.print(
        f"review: {report.flagged} of {report.retrieved} retrieved items flagged "
        f"({_figure(report.review_share)})",
        markup=False,
    )
    if not report.strength:
        return
    table = Table(title="accuracy of strong and weak codings")
    for column in ("dimension", "strong", "weak"):
        table.add_column(column, justify="left" if column == "dimension" else "right")
    for row in report.strength:
        table.add_row(
            row.dimension,
            *(
                f"{side.correct}/{side.total} ({_figure(side.accuracy)})"
                for side in (row.strong, row.weak)
            ),
        )
    console.print(table)


def _print_rules(console: Console, report: EvalReport) -> None:
    table = Table(title="rules that gave an exclusive dimension its code")
    for column in ("dimension", "rule", "code", "strength", "decided", "right", "precision"):
        table.add_column(column, justify="right" if column in ("decided", "right") else "left")
    for record in report.rules:
        table.add_row(
            record.dimension,
            record.rule,
            record.code,
            record.strength,
            str(record.decided),
            str(record.correct),
            _figure(record.precision),
        )
    console.print(table)


def _print_disagreements(console: Console, disagreements: tuple[Disagreement, ...]) -> None:
    """One line per disagreement, then its trace: what fired, lost, was excluded or negated, and
    why the gold code's rules did not match (the nearest misses; --json has them all)."""
    console.print(f"{len(disagreements)} disagreement(s)", markup=False)
    for item in disagreements:
        text = item.text if len(item.text) <= 160 else item.text[:157] + "..."
        console.print(
            f"{item.id} {item.dimension}: gold {_codes(item.gold)}, "
            f"predicted {_codes(item.predicted)}: {text}",
            markup=False,
            soft_wrap=True,
        )
        for line in _trace_lines(item):
            console.print(f"    {line}", markup=False, soft_wrap=True)


#: How many rules of the gold code that did not match a disagreement shows.
NEAREST_MISSES = 3


def _trace_lines(item: Disagreement) -> list[str]:
    gold = set() if isinstance(item.gold, bool) else set(item.gold)
    decided = [entry for entry in item.trace if entry["outcome"] != "no match"]
    missed = [e for e in item.trace if e["outcome"] == "no match" and e["code"] in gold]
    # A rule whose words were all there (too far apart, other clause) is a nearer miss than a
    # rule that lacks a word ("no {...}", "none of ...").
    missed.sort(key=lambda entry: entry["detail"].startswith(("no ", "none of ")))
    lines = []
    for entry in decided + missed[:NEAREST_MISSES]:
        words = "".join(f" {evidence['text']!r}" for evidence in entry["evidence"])
        detail = f": {entry['detail']}" if entry["detail"] else ""
        lines.append(f"{entry['outcome']} {entry['code']} ({entry['rule']}){words}{detail}")
    if len(missed) > NEAREST_MISSES:
        lines.append(f"... {len(missed) - NEAREST_MISSES} more rule(s) of the gold code missed")
    prefix = f"{item.dimension}:"
    lines += [f"review: {reason}" for reason in item.review_reasons if reason.startswith(prefix)]
    return lines
