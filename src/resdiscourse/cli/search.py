"""``resdiscourse search CORPUS_DIR QUERY``: keyword-in-context lines.

Wraps :func:`resdiscourse.search.search_corpus`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from resdiscourse.cli.options import (
    CacheDirOption,
    CodebookOption,
    CorpusArgument,
    EngineOption,
    IncludeBlocksOption,
    JobsOption,
    JsonOption,
    ModelOption,
    OcrOption,
    PasswordOption,
)
from resdiscourse.cli.output import (
    finish,
    print_problems,
    stderr_console,
    usage_errors,
    write_stdout,
)

# The library is imported when the command runs: --help and the light commands must not load
# spaCy, pandas or matplotlib (tests/test_startup.py).
if TYPE_CHECKING:
    from resdiscourse.search import SearchResult


def search(
    corpus_dir: CorpusArgument,
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help='e.g. "resilien* NEAR/10 (immigrant* OR newcomer*)" or "{resilience} AND '
            '{migrants}" (concepts from --codebook). Operators: AND OR NOT NEAR/k BEFORE/k, '
            '"phrases", lemma:word, case:Word.',
            show_default=False,
        ),
    ],
    unit: Annotated[
        str, typer.Option(metavar="UNIT", help="sentence, paragraph or window (±--window).")
    ] = "sentence",
    window: Annotated[
        int, typer.Option(min=0, max=10, metavar="K", help="Sentences either side (--unit window).")
    ] = 0,
    include_blocks: IncludeBlocksOption = None,
    width: Annotated[
        int, typer.Option(min=5, max=500, metavar="N", help="Characters of context each side.")
    ] = 50,
    out: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Also write the lines to this CSV.", show_default=False),
    ] = None,
    codebook: CodebookOption = "bhuyan-leung-2021",
    model: ModelOption = None,
    jobs: JobsOption = 1,
    engine: EngineOption = "auto",
    password: PasswordOption = None,
    ocr: OcrOption = False,
    cache_dir: CacheDirOption = None,
    json: JsonOption = False,
) -> None:
    """Print every match of QUERY in the corpus as a keyword-in-context line.

    Example: resdiscourse search corpora/demo/ "resilien* NEAR/10 (immigrant* OR newcomer*)"
    """
    from resdiscourse.search import search_corpus

    with usage_errors():
        result = search_corpus(
            corpus_dir,
            query,
            codebook=codebook,
            unit=unit,  # type: ignore[arg-type]  # checked by the library (E215)
            window=window,
            width=width,
            out=out,
            model=model,
            engine=engine,
            password=password,
            ocr=ocr,
            cache_dir=cache_dir,
            jobs=jobs,
            include_blocks=include_blocks or (),
        )
    finish(result, json, _print_lines)


def _print_lines(result: SearchResult) -> None:
    """KWIC lines on stdout (tab-separated: doc, page, left, hit, right); a count on stderr."""
    for line in result.lines:
        page = line.page_label or ("" if line.page is None else str(line.page))
        write_stdout(
            f"{line.doc_id}\tp.{page}\t{line.left:>{result.width}}\t{line.hit}\t{line.right}\n"
        )
    console = stderr_console()
    found = f"{len(result.lines)} hits in {result.segments} {result.unit}s"
    written = f"; written to {result.out}" if result.out else ""
    console.print(f"{found} of {result.documents} documents{written}", markup=False)
    print_problems(result.problems)
