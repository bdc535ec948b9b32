"""Shared test helpers: where ../shared is, and a skip when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "corpora-real"


def need_shared(path: Path) -> Path:
    """``path`` if it exists, else skip the test (CI has ../shared, a fresh clone may not)."""
    if not path.exists():
        pytest.skip(f"needs {path} (the shared data folder beside the project)")
    return path
