"""resdiscourse: how "resilience" is framed when governments talk about immigrants.

The public API is lazy: ``import resdiscourse`` loads nothing of the library; a
name below is imported on first use, so ``resdiscourse.ingest_corpus`` never loads spaCy and
``resdiscourse.code_corpus`` does only when it is first asked for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Public name -> (module, attribute).
_PUBLIC = {
    "ingest_corpus": ("resdiscourse.ingest.corpus", "ingest_corpus"),
    "code_corpus": ("resdiscourse.run", "code_corpus"),
    "search_corpus": ("resdiscourse.search", "search_corpus"),
    "export_run": ("resdiscourse.export.run_export", "export_run"),
    "compare_codings": ("resdiscourse.compare.core", "compare"),
    "draw_sample": ("resdiscourse.sample", "sample_run"),
    "build_report": ("resdiscourse.report.build", "build_report"),
    "replicate_study": ("resdiscourse.replication.replicate", "replicate"),
    "load_run": ("resdiscourse.rundir", "load_run"),
    "load_codebook": ("resdiscourse.codebook.load", "load_codebook"),
    "cache_info": ("resdiscourse.cache", "cache_info"),
    "clear_cache": ("resdiscourse.cache", "clear_cache"),
    "package_version": ("resdiscourse.version", "package_version"),
}

__all__ = [
    "build_report",
    "cache_info",
    "clear_cache",
    "code_corpus",
    "compare_codings",
    "draw_sample",
    "export_run",
    "ingest_corpus",
    "load_codebook",
    "load_run",
    "package_version",
    "replicate_study",
    "search_corpus",
]

if TYPE_CHECKING:
    from resdiscourse.cache import cache_info, clear_cache
    from resdiscourse.codebook.load import load_codebook
    from resdiscourse.compare.core import compare as compare_codings
    from resdiscourse.export.run_export import export_run
    from resdiscourse.ingest.corpus import ingest_corpus
    from resdiscourse.replication.replicate import replicate as replicate_study
    from resdiscourse.report.build import build_report
    from resdiscourse.run import code_corpus
    from resdiscourse.rundir import load_run
    from resdiscourse.sample import sample_run as draw_sample
    from resdiscourse.search import search_corpus
    from resdiscourse.version import package_version


def __getattr__(name: str) -> Any:
    """Import a public function when it is first used (PEP 562)."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'resdiscourse' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # the next access is a plain lookup
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
