"""The README's "Python API" example runs as written (from the repository root's view)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _python_api_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    return code


def test_the_python_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = _python_api_example().replace('"corpora/demo"', repr(str(ROOT / "corpora" / "demo")))
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})  # our own README's example
    assert (tmp_path / "out" / "segments.csv").is_file()
    assert (tmp_path / "out" / "report" / "report.html").is_file()
