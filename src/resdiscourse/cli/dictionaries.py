"""``resdiscourse codebook convert`` and ``resdiscourse count``: dictionaries from other tools.

Wraps :func:`resdiscourse.dictionaries.convert.convert_dictionary` and
:func:`resdiscourse.dictionaries.count.count_corpus`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from resdiscourse.cli.options import (
    CorpusArgument,
    EngineOption,
    IncludeBlocksOption,
    JobsOption,
    JsonOption,
    ModelOption,
)
from resdiscourse.cli.output import (
    EXIT_USAGE,
    print_json,
    print_problems,
    stderr_console,
    usage_errors,
)
from resdiscourse.dictionaries.patterns import VALUE_TYPES
from resdiscourse.errors import ResdiscourseError

# The library is imported where a command runs: counting loads spaCy (issue 12's instant start).
if TYPE_CHECKING:
    from resdiscourse.dictionaries.convert import Conversion
    from resdiscourse.dictionaries.count import CountResult
    from resdiscourse.export.tables import Format

ValueTypeOption = Annotated[
    str,
    typer.Option(
        metavar="TYPE",
        help="How the values read: glob (* and ?, the default of quanteda, LIWC, WordStat, "
        "Lexicoder), regex or fixed.",
    ),
]


def convert(
    source: Annotated[
        str,
        typer.Argument(
            metavar="IN",
            help="A quanteda YAML, LIWC .dic/.dicx, Lexicoder .lc3, WordStat .cat, Yoshikoder "
            ".ykd, term<TAB>weight list, REFI-QDA .qdc, or a codebook (file or shipped name); "
            "the format is told from the content.",
        ),
    ],
    to: Annotated[
        Path,
        typer.Option(
            "--to",
            metavar="OUT",
            help="OUT.yml (a resdiscourse codebook), OUT.dic (LIWC), OUT.cat (WordStat) or OUT.qdc "
            "(REFI-QDA).",
        ),
    ],
    valuetype: ValueTypeOption = "glob",
    language: Annotated[
        str,
        typer.Option(
            metavar="LANG",
            help="The written codebook's language; for a codebook IN, the language whose "
            "terms are exported. \\[default: en; a codebook's own]",
            show_default=False,
        ),
    ] = "",
    json: JsonOption = False,
) -> None:
    """Convert a dictionary from another tool into a codebook, or a codebook into a dictionary.
    Everything the output cannot hold is listed line by line (W801) and the exit code is 1.

    Example: resdiscourse codebook convert LIWC2015.dic --to liwc.yml
    """
    if valuetype not in VALUE_TYPES:
        stderr_console().print(f"--valuetype: use one of {', '.join(VALUE_TYPES)}", markup=False)
        raise typer.Exit(EXIT_USAGE)
    with usage_errors():
        try:
            from resdiscourse.dictionaries.convert import convert_dictionary

            result = convert_dictionary(source, to, valuetype=valuetype, language=language)
        except ResdiscourseError as error:  # a REFI reader's error: the input is unusable
            print_problems([error.problem])
            raise typer.Exit(EXIT_USAGE) from None
    if json:
        print_json(result.to_dict())
    else:
        _print_conversion(result)
    raise typer.Exit(0 if result.complete else 1)


def _print_conversion(result: Conversion) -> None:
    print_problems(result.lost)
    lost = sum(1 for item in result.lost if item.code == "W801")
    stderr_console().print(
        f"{result.source} ({result.source_format}): {result.categories} categories, "
        f"{result.terms} terms -> {result.output}"
        + (f"; {lost} item(s) not representable (listed above)" if lost else ""),
        markup=False,
    )


def count(
    corpus_dir: CorpusArgument,
    dictionary: Annotated[
        str,
        typer.Option(
            metavar="FILE|NAME",
            help="A dictionary of any format `codebook convert` reads, or a codebook (its "
            "concepts are counted).",
        ),
    ],
    by: Annotated[
        str, typer.Option(metavar="UNIT", help="document, paragraph, sentence or segment.")
    ] = "document",
    level: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            help="Merge a nested dictionary's categories up to level N (1: the top ones).",
            show_default=False,
        ),
    ] = None,
    codebook: Annotated[
        str | None,
        typer.Option(
            metavar="NAME|FILE",
            help="The codebook whose retrieved segments --by segment counts in.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(metavar="DIR", help="Write counts.csv here.", show_default=False),
    ] = None,
    format: Annotated[
        str, typer.Option(metavar="FORMAT", help="Also write counts as xlsx, parquet or jsonl.")
    ] = "csv",
    valuetype: ValueTypeOption = "glob",
    model: ModelOption = None,
    jobs: JobsOption = 1,
    engine: EngineOption = "auto",
    include_blocks: IncludeBlocksOption = None,
    json: JsonOption = False,
) -> None:
    """Count a dictionary's categories per document (or paragraph, sentence, retrieved segment):
    raw, per 1,000 words, and the share of words matched, as quanteda's dfm_lookup or LIWC do.

    Example: resdiscourse count corpus/ --dictionary afinn-111.tsv --out counts/
    """
    from resdiscourse.dictionaries.count import BY, count_corpus

    if by not in BY or valuetype not in VALUE_TYPES:
        stderr_console().print(
            f"--by: one of {', '.join(BY)}; --valuetype: one of {', '.join(VALUE_TYPES)}",
            markup=False,
        )
        raise typer.Exit(EXIT_USAGE)
    with usage_errors():
        result = count_corpus(
            corpus_dir,
            dictionary,
            by=by,
            level=level,
            codebook=codebook,
            out=out,
            format=cast("Format", format),
            valuetype=valuetype,
            model=model,
            jobs=jobs,
            engine=engine,
            include_blocks=include_blocks or (),
        )
    if json:
        print_json(result.to_dict())
    else:
        _print_counts(result)
    raise typer.Exit(result.exit_code)


def _print_counts(result: CountResult) -> None:
    print_problems(result.problems)
    where = f" -> {result.out}" if result.out else " (give --out DIR to write counts.csv)"
    stderr_console().print(
        f"{result.dictionary}: {len(result.rows)} {result.by} row(s) in {result.documents} "
        f"document(s){where}",
        markup=False,
    )
