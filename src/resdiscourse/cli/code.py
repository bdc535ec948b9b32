"""``resdiscourse code CORPUS_DIR``: retrieve and code every document of a corpus.

Wraps :func:`resdiscourse.run.code_corpus`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from resdiscourse.cli.options import (
    CacheDirOption,
    CacheOption,
    CodebookOption,
    CorpusArgument,
    EngineOption,
    IncludeBlocksOption,
    JobsOption,
    JsonOption,
    ModelOption,
    OcrOption,
    OutOption,
    PasswordOption,
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
    from resdiscourse.run import CodeSummary


def code(
    corpus_dir: CorpusArgument,
    codebook: CodebookOption = "bhuyan-leung-2021",
    retrieval: RetrievalOption = None,
    include_blocks: IncludeBlocksOption = None,
    out: OutOption = None,
    jobs: JobsOption = 1,
    executor: Annotated[
        str,
        typer.Option(
            metavar="NAME",
            help="processes (--jobs worker processes on this machine) or dask (a Dask cluster: "
            "pip install 'resdiscourse[dask]').",
        ),
    ] = "processes",
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="With --executor dask: the scheduler, tcp://HOST:PORT; without it (or with "
            "'local'), a local cluster of --jobs worker processes is started for the run.",
            show_default=False,
        ),
    ] = None,
    model: ModelOption = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Also write trace.jsonl: per segment, every rule that fired, lost a tie-break, "
            "was negated or excluded, or nearly matched, and why.",
        ),
    ] = False,
    format: Annotated[
        str,
        typer.Option(
            metavar="FORMAT",
            help="Also write segments, codings and documents as xlsx, parquet or jsonl "
            "(the CSVs are always written).",
        ),
    ] = "csv",
    excel: Annotated[
        bool,
        typer.Option("--excel", help="Start the CSVs with a byte-order mark, for Excel."),
    ] = False,
    engine: EngineOption = "auto",
    password: PasswordOption = None,
    ocr: OcrOption = False,
    use_cache: CacheOption = True,
    cache_dir: CacheDirOption = None,
    json: JsonOption = False,
) -> None:
    """Find every passage where resilience and migrants co-occur and code how it is framed.

    Writes segments.csv, codings.csv, documents.csv, texts/, pages/, run.json and timings.json.
    Exit code 1 when some documents failed (their rows say why), 2 for a usage error.

    Example: resdiscourse code corpora/demo/ --codebook social-resilience --jobs 2

    On a Dask cluster: resdiscourse code CORPUS --executor dask --scheduler tcp://HOST:8786
    """
    from resdiscourse.run import code_corpus

    with usage_errors(), progress_bar(enabled=not json, label="Reading, then coding") as progress:
        summary = code_corpus(
            corpus_dir,
            codebook=codebook,
            out=out,
            jobs=jobs,
            model=model,
            engine=engine,
            password=password,
            ocr=ocr,
            explain=explain,
            format=format,  # type: ignore[arg-type]  # checked by the library (E216)
            excel=excel,
            use_cache=use_cache,
            cache_dir=cache_dir,
            progress=progress,
            retrieval=retrieval,
            executor=executor,
            scheduler=scheduler,
            include_blocks=include_blocks or (),
        )
    finish(summary, json, _print_summary)


def _print_summary(summary: CodeSummary) -> None:
    console = stderr_console()
    table = Table(title=f"{summary.codebook} {summary.codebook_version}")
    table.add_column("code")
    table.add_column("segments", justify="right")
    for key, count in summary.code_counts.items():
        table.add_row(key, str(count))
    console.print(table)
    from resdiscourse.codebook.schema import DEFAULT_RETRIEVAL  # pydantic: not at start-up

    retrieval = summary.retrieval
    if retrieval and retrieval["name"] != DEFAULT_RETRIEVAL:
        console.print(f"retrieval: {_named(retrieval['name'], retrieval)}", markup=False)
    for name, other in (retrieval or {}).get("beside", {}).items():
        left_out = f" and leave out {other['left_out']}" if other["left_out"] else ""
        console.print(
            f"{_named(f'{name} retrieval', other)} would add {other['added']} "
            f"segments{left_out} "
            "(not coded; run.json: retrieval.beside)",
            markup=False,
        )
    documents = len(summary.ingest.documents)
    console.print(
        f"{summary.segments} segments, {summary.codings} codings in {documents} documents; "
        f"outputs in {summary.out}/ (segments.csv, codings.csv, documents.csv, run.json)",
        markup=False,
    )
    console.print(
        f"{summary.review} of {summary.segments} segments need review (review=yes in segments.csv)",
        markup=False,
    )
    print_problems(summary.problems)


def _named(name: str, retrieval: dict[str, Any]) -> str:
    """``wide (migration as a process)``: a retrieval's name and its description."""
    return f"{name} ({retrieval['description']})" if retrieval.get("description") else name
