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


def package_copy(root: Path) -> Path:
    """The package's source and pyproject.toml under ``root``, to break contracts in."""
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    package = root / "src" / "resdiscourse"
    shutil.copytree(
        ROOT / "src" / "resdiscourse",
        package,
        ignore=shutil.ignore_patterns("__pycache__", "*.pdf", "*.txt", "*.yml"),
    )
    return package


def test_the_contracts_catch_an_upward_import_rich_outside_cli_and_a_cycle(
    tmp_path: Path,
) -> None:
    """The same contracts on a copy of the package with four new imports that break them; one is
    an import of the package root, which is why modules take ``package_version`` from
    ``resdiscourse.version``."""
    package = package_copy(tmp_path)
    with (package / "rundir.py").open("a", encoding="utf-8") as stream:
        stream.write("\nfrom resdiscourse.run import code_corpus  # up: a reader imports code\n")
    with (package / "report" / "html.py").open("a", encoding="utf-8") as stream:
        stream.write("\nfrom resdiscourse import package_version  # the root names every command\n")
    with (package / "errors.py").open("a", encoding="utf-8") as stream:
        stream.write("\nimport rich  # outside cli/\n")
    with (package / "ingest" / "ocr.py").open("a", encoding="utf-8") as stream:
        stream.write("\nfrom resdiscourse.ingest import pdf  # pdf imports ocr\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 2 kept, 3 broken." in result.stdout
    assert "resdiscourse.rundir is not allowed to import resdiscourse.run" in result.stdout
    assert "resdiscourse.report.html -> resdiscourse (l." in result.stdout
    assert "resdiscourse.errors -> rich" in result.stdout
    assert ".ocr -> .pdf" in result.stdout or ".pdf -> .ocr" in result.stdout


def test_the_contracts_keep_the_matching_engine_below_coding_and_out_of_the_codebook(
    tmp_path: Path,
) -> None:
    """``codebook show`` reaching the compiler, and the matcher the compiled codebook, are each
    caught; neither breaks the coarse layers, so the finer contracts are what stop them."""
    package = package_copy(tmp_path)
    with (package / "codebook" / "describe.py").open("a", encoding="utf-8") as stream:
        stream.write("\nfrom resdiscourse.matching import compile  # the codebook loads spaCy\n")
    with (package / "matching" / "matcher.py").open("a", encoding="utf-8") as stream:
        stream.write("\nfrom resdiscourse.matching import compile  # compile imports matcher\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Layers point down: core <- stages <- commands <- cli KEPT" in result.stdout
    assert "The codebook package does not import the matching engine BROKEN" in result.stdout
    assert "Contracts: 2 kept, 3 broken." in result.stdout
    assert "- resdiscourse.matching.matcher -> resdiscourse.matching.compile (l." in result.stdout
    assert "resdiscourse.codebook.describe -> resdiscourse.matching.compile (l." in result.stdout


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
