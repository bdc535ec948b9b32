"""resdiscourse: how "resilience" is framed when governments talk about immigrants."""

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
