"""The layers of docs/architecture.md, as import-linter contracts in pyproject.toml: imports point
down (core <- stages <- commands <- cli), within the stages coding and retrieval sit above the
matching engine, the codebook package never imports that engine, only cli/ imports typer and
rich, and no two modules of one package import each other."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` (the import-linter of the dev extra) on the package under ``root/src``."""
    script = Path(sys.executable).with_name("lint-imports")
    command = str(script) if script.exists() else shutil.which("lint-imports")
    assert command, "lint-imports is missing: pip install -e '.[dev]'"
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [command, "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_package_keeps_its_import_contracts() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


def lint_with_imports(root: Path, added: dict[str, str]) -> str:
    """``lint-imports``'s report on a copy of the package under ``root`` with one line added at
    the end of each module named (a path under ``src/resdiscourse``); the contracts must break."""
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    package = root / "src" / "resdiscourse"
    shutil.copytree(
        ROOT / "src" / "resdiscourse",
        package,
        ignore=shutil.ignore_patterns("__pycache__", "*.pdf", "*.txt", "*.yml"),
    )
    for module, line in added.items():
        with (package / module).open("a", encoding="utf-8") as stream:
            stream.write(f"\n{line}\n")
    result = lint_imports(root)
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout


def test_the_contracts_catch_an_upward_import_rich_outside_cli_and_a_cycle(
    tmp_path: Path,
) -> None:
    """The same contracts on a copy of the package with four new imports that break them; one is
    an import of the package root, which is why modules take ``package_version`` from
    ``resdiscourse.version``."""
    report = lint_with_imports(
        tmp_path,
        {
            "rundir.py": "from resdiscourse.run import code_corpus  # up: a reader imports code",
            "report/html.py": "from resdiscourse import package_version  # the root names all",
            "errors.py": "import rich  # outside cli/",
            "ingest/ocr.py": "from resdiscourse.ingest import pdf  # pdf imports ocr",
        },
    )
    assert "Contracts: 2 kept, 3 broken." in report
    assert "resdiscourse.rundir is not allowed to import resdiscourse.run" in report
    assert "resdiscourse.report.html -> resdiscourse (l." in report
    assert "resdiscourse.errors -> rich" in report
    assert ".ocr -> .pdf" in report or ".pdf -> .ocr" in report


def test_the_contracts_keep_the_matching_engine_below_coding_and_out_of_the_codebook(
    tmp_path: Path,
) -> None:
    """``codebook show`` reaching the compiler, and the matcher the compiled codebook, are each
    caught; neither breaks the coarse layers, so the finer contracts are what stop them."""
    report = lint_with_imports(
        tmp_path,
        {
            "codebook/describe.py": "from resdiscourse.matching import compile  # loads spaCy",
            "matching/matcher.py": "from resdiscourse.matching import compile  # imports matcher",
        },
    )
    assert "Layers point down: core <- stages <- commands <- cli KEPT" in report
    assert "The codebook package does not import the matching engine BROKEN" in report
    assert "Contracts: 2 kept, 3 broken." in report
    assert "- resdiscourse.matching.matcher -> resdiscourse.matching.compile (l." in report
    assert "resdiscourse.codebook.describe -> resdiscourse.matching.compile (l." in report


def test_no_module_points_to_a_design_file_outside_the_repository() -> None:
    """Comments and docstrings point to docs/ or the README, which a reader of the code has."""
    package = ROOT / "src" / "resdiscourse"
    cited = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "DESIGN §" in line or "DESIGN.md" in line
    ]
    assert not cited
    assert len(list(package.rglob("*.py"))) > 100  # the package was read
