"""``resdiscourse cache info|clear``: what the shared cache holds, and emptying it.

Wraps :func:`resdiscourse.cache.cache_info` and :func:`resdiscourse.cache.clear_cache`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from resdiscourse.cli.options import CacheDirOption, JsonOption
from resdiscourse.cli.output import print_json, stderr_console, usage_errors

if TYPE_CHECKING:
    from resdiscourse.cache import CacheInfo

app = typer.Typer(
    name="cache",
    help="Show or empty the cache of texts and codings that every run shares.",
    no_args_is_help=True,
)


@app.command()
def info(cache_dir: CacheDirOption = None, json: JsonOption = False) -> None:
    """Entries and size per kind (ingest: texts; segmentation: tokens and sentences; coding: coded
    documents; codebook), and files of older cache formats or of interrupted writes.

    Example: resdiscourse cache info --json
    """
    from resdiscourse.cache import cache_info

    with usage_errors():
        found = cache_info(cache_dir)
    if json:
        print_json(found.to_dict())
    else:
        _print_info(found)


@app.command()
def clear(
    kind: Annotated[
        list[str] | None,
        typer.Option(
            metavar="KIND",
            help="Remove only entries of this kind (ingest, segmentation, coding, codebook); "
            "repeatable \\[default: everything].",
            show_default=False,
        ),
    ] = None,
    cache_dir: CacheDirOption = None,
    json: JsonOption = False,
) -> None:
    """Remove cached entries (only files the cache wrote: the folder may hold others).

    Example: resdiscourse cache clear --kind coding
    """
    from resdiscourse.cache import clear_cache

    with usage_errors():
        summary = clear_cache(cache_dir, kind or None)
    if json:
        print_json(summary.to_dict())
        return
    stderr_console().print(
        f"removed {summary.removed} files ({_size(summary.bytes)}) from {summary.path}",
        markup=False,
    )


def _print_info(found: CacheInfo) -> None:
    console = stderr_console()
    console.print(f"cache folder: {found.path} (format {found.format})", markup=False)
    table = Table()
    table.add_column("kind")
    table.add_column("entries", justify="right")
    table.add_column("size", justify="right")
    rows = [*found.kinds.items(), ("stale", found.stale), ("partial", found.partial)]
    for name, kind in rows:
        table.add_row(name, str(kind.entries), _size(kind.bytes))
    table.add_row("[bold]total[/]", "", f"[bold]{_size(found.bytes)}[/]")
    console.print(table)
    if not found.exists:
        console.print("(the folder does not exist yet: no run has written to it)")


def _size(count: int) -> str:
    size = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")
