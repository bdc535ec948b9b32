"""``resdiscourse replicate STUDY``: the whole study in one command.

Wraps :func:`resdiscourse.replication.replicate.replicate`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from resdiscourse.cli.options import (
    CacheDirOption,
    CacheOption,
    CodebookOption,
    EngineOption,
    JobsOption,
    JsonOption,
    OcrOption,
    RetrievalOption,
)
from resdiscourse.cli.output import (
    finish,
    print_problems,
    progress_bar,
    stderr_console,
    usage_errors,
)

# The library is imported when the command runs: --help and the light commands must not load
# spaCy, pandas or matplotlib (tests/test_startup.py).
if TYPE_CHECKING:
    from resdiscourse.replication.replicate import ReplicationSummary

_VERDICT_STYLE = {
    "supported": "green",
    "weak": "yellow",
    "not supported": "red",
    "no evidence": "red",
    "not assessable": "magenta",
}


def replicate(
    study: Annotated[
        str,
        typer.Argument(metavar="STUDY", help="ontario-2008-2018 or demo.", show_default=False),
    ],
    corpus_dir: Annotated[
        Path | None,
        typer.Option(
            "--corpus-dir",
            metavar="PDFS",
            help="Folder with the study's PDFs, saved under the manifest's file names "
            "(see `resdiscourse fetch`) \\[default: pdfs/; the demo ships its own].",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Output folder \\[default: resdiscourse-out/replicate-STUDY/].",
            show_default=False,
        ),
    ] = None,
    codebook: CodebookOption = "bhuyan-leung-2021",
    retrieval: RetrievalOption = None,
    jobs: JobsOption = 1,
    engine: EngineOption = "auto",
    ocr: OcrOption = False,
    use_cache: CacheOption = True,
    cache_dir: CacheDirOption = None,
    json: JsonOption = False,
) -> None:
    """Run the Bhuyan & Leung (2021) study in one command and write findings.md.

    Codes the study's documents present, checks the corpus against the paper's rule, builds the
    report and writes findings.md (the six findings beside the computed evidence).

    Exit code 1 when a document of the study is missing (reserve candidates aside) or failed.

    Example: resdiscourse replicate demo --out replication-demo
    """
    from resdiscourse.replication.replicate import replicate as run_study

    with usage_errors(), progress_bar(enabled=not json, label="Reading, then coding") as progress:
        summary = run_study(
            study,
            corpus_dir=corpus_dir,
            out=out,
            jobs=jobs,
            engine=engine,
            ocr=ocr,
            use_cache=use_cache,
            cache_dir=cache_dir,
            progress=progress,
            codebook=codebook,
            retrieval=retrieval,
        )
    finish(summary, json, _print_summary)


def _print_summary(summary: ReplicationSummary) -> None:
    console = stderr_console()
    required = [m for m in summary.missing if m.get("reserve") != "true"]
    console.print(
        f"{summary.study}: {len(summary.present)} documents present in {summary.corpus_dir}, "
        f"{len(required)} missing (and {len(summary.missing) - len(required)} reserve "
        f"candidates absent); {summary.segments} segments coded",
        markup=False,
        soft_wrap=True,
    )
    for item in required:
        console.print(
            f"missing {item['doc_id']} ({item['confidence']}): {item['where']}",
            markup=False,
            soft_wrap=True,
        )
    _print_rule(summary)
    table = Table(title="The six findings (evidence in findings.md)", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("finding")
    table.add_column("verdict")
    for finding in summary.findings:
        style = _VERDICT_STYLE.get(finding["verdict"], "default")
        table.add_row(str(finding["id"]), finding["title"], f"[{style}]{finding['verdict']}[/]")
    console.print(table)
    console.print(
        f"findings: {summary.findings_file}; report: {summary.report}/report.html; "
        f"outputs in {summary.out}/",
        markup=False,
        soft_wrap=True,
    )
    print_problems(summary.problems)


def _print_rule(summary: ReplicationSummary) -> None:
    if not summary.disagreements:
        console = stderr_console()
        console.print("the paper's rule and the manifest agree on every document present")
        return
    table = Table(title="Where the paper's rule and the manifest disagree", title_justify="left")
    for column in ("doc_id", "manifest", "rule", "why"):
        table.add_column(column, overflow="fold")
    for check in summary.disagreements:
        table.add_row(
            check["doc_id"],
            "listed" if check["in_manifest"] else "not listed",
            "in" if check["passes"] else "out",
            "; ".join(check["reasons"]) or "passes the rule",
        )
    stderr_console().print(table)
