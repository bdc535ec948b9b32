"""The entry point of the ``resdiscourse`` command (``run``) and the app, built on first use.

``resdiscourse --version`` alone is answered here, before typer, rich and the command modules
(``app.py``) are imported: that import is most of the command's start-up time. Any other command
line gets ``app.app_for``'s app: the command it names alone, or every command.
``from resdiscourse.cli.main import app`` still gives the whole typer app.
"""

from __future__ import annotations

import sys
from typing import Any

from resdiscourse.version import package_version


def run() -> None:
    """Entry point of the ``resdiscourse`` console script and of ``python -m resdiscourse``."""
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"resdiscourse {package_version()}\n")  # what the app's --version prints
        return
    from resdiscourse.cli.app import app_for

    app_for(sys.argv[1:])(prog_name="resdiscourse")


def __getattr__(name: str) -> Any:
    if name == "app":
        from resdiscourse.cli.app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
