"""The typer app of the ``resdiscourse`` command (its entry point, ``run``, is in ``main.py``).

``app`` (built on first use) has every command. :func:`app_for` gives the app a command line
needs: for ``resdiscourse NAME ...`` one with that command alone, so that a run imports only its
own command module (each one's options, typer's adapters for them, the library it wraps); the
command's usage, help and errors read the same as in the whole app.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import import_module
from typing import Annotated, Any

import typer

from resdiscourse.version import package_version

#: Each command as ``--help`` lists it: the module and the name that define it (a function, or
#: the typer app of a group).
COMMANDS: dict[str, tuple[str, str]] = {
    "code": ("resdiscourse.cli.code", "code"),
    "search": ("resdiscourse.cli.search", "search"),
    "codebook": ("resdiscourse.cli.codebook", "app"),
    "count": ("resdiscourse.cli.dictionaries", "count"),
    "export": ("resdiscourse.cli.export", "export"),
    "compare": ("resdiscourse.cli.compare", "compare"),
    "report": ("resdiscourse.cli.report", "report"),
    "sample": ("resdiscourse.cli.sample", "sample"),
    "fetch": ("resdiscourse.cli.fetch", "fetch"),
    "replicate": ("resdiscourse.cli.replicate", "replicate"),
    "ingest": ("resdiscourse.cli.ingest", "ingest"),
    "text": ("resdiscourse.cli.text", "text"),
    "cache": ("resdiscourse.cli.cache", "app"),
}


def build_app(names: Iterable[str] = COMMANDS) -> typer.Typer:
    """The app with the commands ``names`` (in :data:`COMMANDS` order) and ``--version``."""
    wanted = set(names)
    built = typer.Typer(
        name="resdiscourse",
        help="How policy documents frame 'resilience' when they talk about immigrants "
        "(Bhuyan & Leung 2021, made repeatable).",
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode="rich",
        # A traceback (a bug) must never print local variables: they can hold a --password.
        pretty_exceptions_show_locals=False,
    )
    for name, (module, attribute) in COMMANDS.items():
        if name not in wanted:
            continue
        found = getattr(import_module(module), attribute)
        if isinstance(found, typer.Typer):
            if name == "codebook":
                _add_convert(found)
            built.add_typer(found)
        else:
            built.command()(found)
    built.callback()(main)
    return built


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app for a command line (the arguments after ``resdiscourse``): the named command alone
    when the line starts with one, else every command (``--help``, no arguments, a typo)."""
    if args and args[0] in COMMANDS:
        return build_app([args[0]])
    return _whole_app()


def _add_convert(codebook_app: typer.Typer) -> None:
    """``codebook convert`` is defined beside ``count`` (both read other tools' dictionaries)."""
    if any(command.name == "convert" for command in codebook_app.registered_commands):
        return
    from resdiscourse.cli.dictionaries import convert

    codebook_app.command(name="convert")(convert)


_WHOLE: list[typer.Typer] = []


def _whole_app() -> typer.Typer:
    if not _WHOLE:
        _WHOLE.append(build_app())
    return _WHOLE[0]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"resdiscourse {package_version()}")
        raise typer.Exit()


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


def __getattr__(name: str) -> Any:
    if name == "app":
        return _whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
