"""resdiscourse: how "resilience" is framed when governments talk about immigrants."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("resdiscourse")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
