"""The installed version of the package, for run.json, cache keys and exchange files.

It lives in its own module, not in ``resdiscourse/__init__.py``, so that the modules at the bottom
of the layers (``cache``, ``runfolder``) need not import the package root, whose public names
point at the commands above them (docs/architecture.md, "Layers and imports").
"""

from __future__ import annotations

import functools


@functools.cache
def package_version() -> str:
    """The installed version (read lazily: importing the package stays cheap)."""
    from importlib import metadata

    try:
        return metadata.version("resdiscourse")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"
