"""The typer app of the ``resdiscourse`` command (its entry point, ``run``, is in ``main.py``)."""

from __future__ import annotations

from typing import Annotated

import typer

from resdiscourse.cli.cache import app as cache_app
from resdiscourse.cli.code import code
from resdiscourse.cli.codebook import app as codebook_app
from resdiscourse.cli.compare import compare
from resdiscourse.cli.dictionaries import convert as convert_dictionary
from resdiscourse.cli.dictionaries import count
from resdiscourse.cli.export import export
from resdiscourse.cli.fetch import fetch
from resdiscourse.cli.ingest import ingest
from resdiscourse.cli.replicate import replicate
from resdiscourse.cli.report import report
from resdiscourse.cli.sample import sample
from resdiscourse.cli.search import search
from resdiscourse.cli.text import text
from resdiscourse.version import package_version

app = typer.Typer(
    name="resdiscourse",
    help="How policy documents frame 'resilience' when they talk about immigrants "
    "(Bhuyan & Leung 2021, made repeatable).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    # A traceback (a bug) must never print local variables: they can hold a --password.
    pretty_exceptions_show_locals=False,
)
app.command()(code)
app.command()(search)
codebook_app.command(name="convert")(convert_dictionary)
app.add_typer(codebook_app)
app.command()(count)
app.command()(export)
app.command()(compare)
app.command()(report)
app.command()(sample)
app.command()(fetch)
app.command()(replicate)
app.command()(ingest)
app.command()(text)
app.add_typer(cache_app)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"resdiscourse {package_version()}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """How policy documents frame 'resilience' when they talk about immigrants.

    Example: resdiscourse code corpora/demo/
    """
