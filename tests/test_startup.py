"""Lazy imports (issue 12, "instant start"): the package, the CLI and the light commands never load
spaCy, pandas, matplotlib, pyarrow or wordfreq. Each case runs in a fresh interpreter and reports
the modules it ended with; correctness, not timing (benchmarks/startup.py measures the time)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"
DEMO_PDF = DEMO / "toronto-newcomer-update-2013.pdf"
#: wordfreq costs most of a second (its import and its lists): plain words are looked up in its
#: data without it (ingest/frequencies.py), so a one-page ``text`` never loads it.
HEAVY = frozenset({"spacy", "thinc", "pandas", "matplotlib", "pyarrow", "wordfreq"})

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


@pytest.mark.parametrize("module", ["resdiscourse.cli.main", "resdiscourse.cli.app"])
def test_importing_the_cli_loads_no_heavy_library(tmp_path: Path, module: str) -> None:
    code = (
        f"import json, sys\nimport {module}\njson.dump(sorted(sys.modules), open(sys.argv[1], 'w'))"
    )
    modules = loaded_modules(tmp_path, code)
    assert module in modules
    assert not top_level(modules) & HEAVY


def test_the_entry_point_answers_version_before_building_the_app(tmp_path: Path) -> None:
    """``--version`` alone never imports typer, rich or a command module; with another argument
    the app answers it (the same line)."""
    modules = command_modules(tmp_path, "--version")
    assert not top_level(modules) & (HEAVY | {"typer", "rich", "pydantic", "yaml"})
    assert {name for name in modules if name.startswith("resdiscourse.cli.")} == {
        "resdiscourse.cli.main"
    }
    alone = subprocess.run(
        [sys.executable, "-m", "resdiscourse", "--version"], capture_output=True, text=True
    )
    by_app = subprocess.run(
        [sys.executable, "-m", "resdiscourse", "--version", "code"], capture_output=True, text=True
    )
    assert (alone.returncode, by_app.returncode) == (0, 0)
    assert alone.stdout == by_app.stdout
    assert alone.stdout.startswith("resdiscourse ")


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("--version",),
        ("code", "--help"),
        ("codebook", "--help"),
        ("codebook", "validate", "bhuyan-leung-2021"),
        ("codebook", "show", "bhuyan-leung-2021", "--json"),
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


def test_the_one_page_text_needed_word_frequencies_without_wordfreq(tmp_path: Path) -> None:
    """The page has line-end hyphens that the document alone cannot decide: the frequency lists
    were read (ingest/frequencies.py), wordfreq was not imported."""
    modules = command_modules(tmp_path, "text", str(DEMO_PDF), "--pages", "1")
    assert "msgpack" in top_level(modules)  # imported only to read a list
    assert "wordfreq" not in top_level(modules)


def test_a_command_that_segments_does_load_spacy(tmp_path: Path) -> None:
    """The check above can fail: a command that needs spaCy shows it in the same report."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text("Newcomers are resilient.\n", encoding="utf-8")
    modules = command_modules(tmp_path, "search", str(corpus), "resilien*")
    assert "spacy" in top_level(modules)
    assert "resdiscourse.matching.matcher" in modules


def test_a_command_imports_its_own_command_module_alone(tmp_path: Path) -> None:
    """``resdiscourse text FILE`` builds an app of that command: no other command's module is
    imported, nor the progress bar that only corpus commands show."""
    modules = command_modules(tmp_path, "text", str(DEMO_PDF), "--pages", "1")
    cli = {name for name in modules if name.startswith("resdiscourse.cli.")}
    assert cli == {
        "resdiscourse.cli.main",
        "resdiscourse.cli.app",
        "resdiscourse.cli.options",
        "resdiscourse.cli.output",
        "resdiscourse.cli.text",
    }
    assert "rich.progress" not in modules


def test_the_whole_app_still_has_every_command(tmp_path: Path) -> None:
    """The check above can fail: ``--help`` lists every command, so it imports every module."""
    modules = command_modules(tmp_path, "--help")
    assert {"resdiscourse.cli.code", "resdiscourse.cli.cache", "resdiscourse.cli.text"} <= modules


@pytest.mark.parametrize(
    "args",
    [
        ("text", "--help"),
        ("text",),
        ("text", "--no-such-option"),
        ("codebook", "--help"),
        ("codebook", "convert", "--help"),
        ("codebook", "no-such-command"),
        ("cache", "info", "--help"),
        ("code", "--help"),
        ("no-such-command",),
        ("--help",),
    ],
    ids=" ".join,
)
def test_the_app_of_one_command_answers_as_the_whole_app(args: tuple[str, ...]) -> None:
    """Usage, help and errors of a command read the same in its own app and in the whole one."""
    from typer.testing import CliRunner

    from resdiscourse.cli.app import app, app_for

    runner = CliRunner()
    env = {"COLUMNS": "100", "TERM": "dumb"}
    alone = runner.invoke(app_for(list(args)), list(args), prog_name="resdiscourse", env=env)
    whole = runner.invoke(app, list(args), prog_name="resdiscourse", env=env)
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)
    assert alone.output.strip()
    if args[0] != "--help" and args[0] != "no-such-command":
        assert app_for(list(args)) is not app
