"""``resdiscourse fetch STUDY``: download a study's PDFs, or say where to get each one.

Wraps :func:`resdiscourse.replication.fetch.fetch_study`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from resdiscourse.cli.options import JsonOption
from resdiscourse.cli.output import finish, stderr_console, usage_errors

# The library is imported when the command runs: --help and the light commands must not load
# spaCy, pandas or matplotlib (tests/test_startup.py).
if TYPE_CHECKING:
    from resdiscourse.replication.fetch import FetchSummary

_STYLE = {
    "present": "green",
    "downloaded": "green",
    "unavailable": "yellow",
    "no_url": "yellow",
    "mismatch": "red",
}


def fetch(
    study: Annotated[
        str,
        typer.Argument(
            metavar="STUDY",
            help="A shipped study (ontario-2008-2018, demo) or a manifest file.",
            show_default=False,
        ),
    ],
    corpus_dir: Annotated[
        Path,
        typer.Option(
            "--corpus-dir",
            metavar="PDFS",
            help="Folder the PDFs go in; it also holds the lock file of their sha256.",
        ),
    ] = Path("pdfs"),
    timeout: Annotated[
        float,
        typer.Option(
            min=1.0,
            metavar="SECONDS",
            help="Network timeout per read; a whole download may take at most 10 times this "
            "(and at least 300 s).",
        ),
    ] = 30.0,
    json: JsonOption = False,
) -> None:
    """Download a study's PDFs into PDFS and pin their sha256; say where to get the others.

    Documents that cannot be downloaded (offline, an HTML page, no address) are listed with where
    to get them and the exact file name to save them as. Exit code 0 when every document is there.

    Example: resdiscourse fetch ontario-2008-2018 --corpus-dir pdfs
    """
    from resdiscourse.replication.fetch import fetch_study

    with usage_errors():
        summary = fetch_study(study, corpus_dir=corpus_dir, timeout=timeout)
    finish(summary, json, _print_summary)


def _print_summary(summary: FetchSummary) -> None:
    console = stderr_console()
    table = Table(title=f"{summary.study}: {summary.corpus_dir}/", title_justify="left")
    table.add_column("doc_id", overflow="fold")
    table.add_column("status")
    table.add_column("sha256", overflow="ellipsis", max_width=14)
    for item in summary.documents:
        style = _STYLE[item.status]
        table.add_row(item.doc_id, f"[{style}]{item.status}[/]", item.sha256 or "-")
    console.print(table)
    # Plain lines, never wrapped: the addresses and file names are meant to be copied.
    for item in summary.documents:
        if item.status not in ("present", "downloaded"):
            line = f"{item.doc_id}: {item.status}: {item.detail}"
            console.print(line, markup=False, soft_wrap=True)
            console.print(f"  {item.where}", markup=False, soft_wrap=True)
    counts = ", ".join(f"{count} {status}" for status, count in summary.counts.items() if count)
    from resdiscourse.replication.lock import LOCK_NAME

    lock = (
        f"sha256 lock: {summary.lock_file}"
        if summary.lock_file
        else "no sha256 lock: no document was downloaded or found, so none was written (fetch "
        f"writes {Path(summary.corpus_dir) / LOCK_NAME} with the first one)"
    )
    console.print(f"{counts}; {lock}", markup=False, soft_wrap=True)
