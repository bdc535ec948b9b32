"""Shared test helpers: where ../shared is, a skip when it is absent, and a cache folder of the
test's own (no test reads or writes the real ``~/.cache/resdiscourse``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "corpora-real"


def need_shared(path: Path) -> Path:
    """``path`` if it exists, else skip the test (CI has ../shared, a fresh clone may not)."""
    if not path.exists():
        pytest.skip(f"needs {path} (the shared data folder beside the project)")
    return path


@pytest.fixture(scope="session", autouse=True)
def _session_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """XDG_CACHE_HOME for the whole session (session fixtures run before function ones); the
    subprocesses that tests start inherit it."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("xdg-cache")
        patch.setenv("XDG_CACHE_HOME", str(home))
        yield home


@pytest.fixture(autouse=True)
def _test_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Each test its own empty cache: what one test cached never changes what another sees."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("xdg-cache")
        patch.setenv("XDG_CACHE_HOME", str(home))
        yield home


@pytest.fixture(scope="session")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus coded once per test session with the shipped codebook (read-only: a test
    that changes the folder copies it first)."""
    from resdiscourse.run import code_corpus

    out = tmp_path_factory.mktemp("demo-out")
    code_corpus(Path(__file__).resolve().parents[1] / "corpora" / "demo", out=out)
    return out
