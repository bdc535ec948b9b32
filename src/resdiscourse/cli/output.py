"""Printing shared by the commands: exact text and JSON on stdout, problems and summaries on stderr.

stdout carries data only (the clean text, or JSON); everything meant for a person goes to stderr, so
``resdiscourse text doc.pdf > doc.txt`` and ``resdiscourse ingest corpus --json | jq`` stay clean.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, Protocol, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from resdiscourse.errors import Location, Problem, UsageError

if TYPE_CHECKING:
    from resdiscourse.ingest.corpus import IngestSummary

#: The code of a run stopped by Ctrl-C (runfolder.RunInterrupted).
INTERRUPTED = "E223"

#: Exit codes (docs/architecture.md, "Errors as data"); 130 is the shells' code for a command
#: stopped by Ctrl-C.
EXIT_OK, EXIT_FAILED_DOCUMENTS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
#: Document statuses that make a command exit with 1.
FAILED_STATUSES = frozenset({"error", "needs_ocr"})


def write_stdout(text: str) -> None:
    """Write ``text`` to stdout as UTF-8 whatever the locale says."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (some embedding environments)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def print_text(text: str) -> None:
    """Exactly ``text``: the bytes of ``texts/<doc_id>.txt`` (no newline added)."""
    if text:
        write_stdout(text)


def print_json(data: Any) -> None:
    """``data`` as JSON (UTF-8, not ASCII-escaped, indented, keys in the library's order)."""
    write_stdout(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def problem_line(item: Problem) -> str:
    """``file (page N): CODE message (hint: ...)``; without the location part when there is none."""
    if item.location == Location():
        return f"{item.code} {item.message} (hint: {item.hint})"
    return item.one_line()


def print_problems(problems: Iterable[Problem]) -> None:
    """One plain line per problem on stderr (plain text: easy to grep, never wrapped)."""
    for item in problems:
        sys.stderr.write(problem_line(item) + "\n")
    sys.stderr.flush()


class Result(Protocol):
    """What a library function of a corpus command returns."""

    @property
    def exit_code(self) -> int: ...

    def to_dict(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=Result)


def finish(result: R, json: bool, show: Callable[[R], None]) -> NoReturn:
    """Print the result (as JSON, or with ``show`` for people) and exit with its exit code."""
    if json:
        print_json(result.to_dict())
    else:
        show(result)
    raise typer.Exit(result.exit_code)


@contextmanager
def usage_errors() -> Iterator[None]:
    """Turn a library :class:`UsageError` into its one-line message on stderr and exit code 2."""
    try:
        yield
    except UsageError as error:
        print_problems(getattr(error, "problems", [error.problem]))
        interrupted = error.problem.code == INTERRUPTED
        raise typer.Exit(EXIT_INTERRUPTED if interrupted else EXIT_USAGE) from None


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def stdout_console() -> Console:
    """For a command whose output is the thing asked for (``codebook show``)."""
    return Console(highlight=False)


ProgressCallback = Callable[[int, int, str], None]


@contextmanager
def progress_bar(enabled: bool, label: str = "Reading") -> Iterator[ProgressCallback]:
    """A transient progress bar on stderr; shown only when ``enabled`` and stderr is a terminal.

    Yields the ``progress(done, total, doc_id)`` callback the library calls.
    """
    # Imported here: commands that read one document (text) never show a bar.
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = stderr_console()
    show = enabled and sys.stderr.isatty() and console.is_terminal
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[doc_id]}", style="dim"),
        console=console,
        transient=True,
        disable=not show,
    ) as progress:
        task = progress.add_task(label, total=None, doc_id="")

        def callback(done: int, total: int, doc_id: str) -> None:
            progress.update(task, completed=done, total=total, doc_id=doc_id)

        yield callback


_STATUS_STYLE = {"ok": "green", "warning": "yellow", "needs_ocr": "magenta", "error": "red"}


def print_summary(summary: IngestSummary) -> None:
    """Documents per status (a table), where the outputs are, then one line per problem; stderr."""
    table = Table()
    table.add_column("status")
    table.add_column("documents", justify="right")
    counts = {
        "ok": summary.ok,
        "warning": summary.warning,
        "needs_ocr": summary.needs_ocr,
        "error": summary.error,
    }
    for status, count in counts.items():
        style = _STATUS_STYLE[status] if count else "dim"
        table.add_row(f"[{style}]{status}[/]", f"[{style}]{count}[/]")
    table.add_row("[bold]total[/]", f"[bold]{len(summary.documents)}[/]")
    console = stderr_console()
    console.print(table)
    console.print(f"outputs in {summary.out}/ (texts/, pages/, documents.csv)", markup=False)
    if summary.cached:
        console.print(f"{summary.cached} read from the cache (--no-cache reads them again)")
    if summary.skipped:
        console.print(
            f"skipped {len(summary.skipped)} file(s) of other types: {', '.join(summary.skipped)}",
            markup=False,
        )
    print_problems(summary.problems)
