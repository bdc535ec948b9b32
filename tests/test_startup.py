"""Lazy imports (issue 12, "instant start"): the package, the CLI and the light commands never load
spaCy, pandas, matplotlib or pyarrow. Each case runs in a fresh interpreter and reports the
modules it ended with; correctness, not timing (benchmarks/startup.py measures the time)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"
DEMO_PDF = DEMO / "toronto-newcomer-update-2013.pdf"
HEAVY = frozenset({"spacy", "thinc", "pandas", "matplotlib", "pyarrow"})

#: Runs ``resdiscourse ARGS`` in this interpreter (SystemExit caught), then writes the names of
#: the loaded modules to the file named by the first argument.
_COMMAND = """
import json, sys
report, args = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["resdiscourse", *args]
try:
    from resdiscourse.cli.main import run
    run()
except SystemExit:
    pass
with open(report, "w") as stream:
    json.dump(sorted(sys.modules), stream)
"""


def loaded_modules(tmp_path: Path, code: str, *args: str) -> set[str]:
    report = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", code, str(report), json.dumps(list(args))],
        check=True,
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
    )
    return set(json.loads(report.read_text(encoding="utf-8")))


def command_modules(tmp_path: Path, *args: str) -> set[str]:
    return loaded_modules(tmp_path, _COMMAND, *args)


def top_level(modules: set[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


def test_import_resdiscourse_loads_nothing_else_of_the_package(tmp_path: Path) -> None:
    code = (
        "import json, sys\nimport resdiscourse\n"
        "json.dump(sorted(sys.modules), open(sys.argv[1], 'w'))"
    )
    modules = loaded_modules(tmp_path, code)
    assert {name for name in modules if name.startswith("resdiscourse")} == {"resdiscourse"}
    assert not top_level(modules) & (HEAVY | {"pydantic", "yaml", "typer", "rich", "numpy"})


def test_the_public_api_is_imported_on_first_use(tmp_path: Path) -> None:
    code = (
        "import json, sys\nimport resdiscourse\nresdiscourse.ingest_corpus\n"
        "json.dump(sorted(sys.modules), open(sys.argv[1], 'w'))"
    )
    modules = loaded_modules(tmp_path, code)
    assert "resdiscourse.ingest.corpus" in modules
    assert not top_level(modules) & HEAVY


def test_the_public_api_names_real_functions() -> None:
    import resdiscourse
    from resdiscourse.run import code_corpus

    assert resdiscourse.code_corpus is code_corpus
    assert all(callable(getattr(resdiscourse, name)) for name in resdiscourse.__all__)
    with pytest.raises(AttributeError):
        _ = resdiscourse.no_such_function  # type: ignore[attr-defined]


def test_importing_the_cli_loads_no_heavy_library(tmp_path: Path) -> None:
    code = (
        "import json, sys\nimport resdiscourse.cli.main\n"
        "json.dump(sorted(sys.modules), open(sys.argv[1], 'w'))"
    )
    assert not top_level(loaded_modules(tmp_path, code)) & HEAVY


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("--version",),
        ("code", "--help"),
        ("codebook", "--help"),
        ("codebook", "validate", "bhuyan-leung-2021"),
        ("text", str(DEMO_PDF), "--pages", "1"),
        ("fetch", "demo", "--corpus-dir", "pdfs"),
        ("cache", "info"),
    ],
    ids=lambda args: " ".join(Path(arg).name for arg in args),
)
def test_light_commands_load_no_heavy_library(tmp_path: Path, args: tuple[str, ...]) -> None:
    modules = command_modules(tmp_path, *args)
    assert "resdiscourse.cli.main" in modules
    assert not top_level(modules) & HEAVY


def test_a_command_that_codes_does_load_spacy(tmp_path: Path) -> None:
    """The check above can fail: a command that needs spaCy shows it in the same report."""
    modules = command_modules(tmp_path, "codebook", "show", "bhuyan-leung-2021", "--json")
    assert "spacy" in top_level(modules)
