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


@pytest.fixture(scope="session")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus coded once per test session with the shipped codebook (read-only: a test
    that changes the folder copies it first)."""
    from resdiscourse.run import code_corpus

    out = tmp_path_factory.mktemp("demo-out")
    code_corpus(Path(__file__).resolve().parents[1] / "corpora" / "demo", out=out)
    return out
