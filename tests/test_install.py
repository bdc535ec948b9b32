"""The package as users get it: the wheel built from this tree, installed (not editable) into a
fresh virtual environment, runs ``code`` on its own demo corpus with a shipped codebook named on
the command line. The wheel holds the demo data byte for byte and none of the dev-only
generators (tests/support/, which need reportlab).

Nothing is downloaded: the wheel is built with the setuptools of the dev extra (no build
isolation, ``--no-index``), installed with ``--no-deps --no-index``, and the new environment
borrows this one's dependencies through a ``.pth`` file (a path line there adds the folder only:
the editable install's own ``.pth`` files in it are not run)."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "resdiscourse"
DEMO_DATA = ("corpora/demo", "corpora/demo-truth", "corpora/demo-coding")


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(
        command,
        cwd=cwd,
        env={**clean, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of a copy of this tree (a build writes build/ and *.egg-info beside its source)."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(
        ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    wheels = tmp_path / "wheels"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    built = run([*pip_wheel, "--no-index", "--wheel-dir", str(wheels), str(tree)], cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    (found,) = wheels.glob("resdiscourse-*.whl")
    return found


def fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new environment holding the wheel; its dependencies are this environment's."""
    venv = tmp_path / "venv"
    made = run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    python = venv / "bin" / "python"
    installed = run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], cwd=tmp_path
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    ask = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = run([str(python), "-c", ask], cwd=tmp_path)
    borrowed = "".join(f"{folder}\n" for folder in site.getsitepackages())
    (Path(purelib.stdout.strip()) / "borrowed-dependencies.pth").write_text(borrowed)
    return venv


def test_the_wheel_ships_the_demo_data_and_no_dev_generators(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        modules = sorted(n for n in names if n.endswith(".py"))
        assert "resdiscourse/cli/main.py" in modules
        assert not [n for n in names if n.startswith(("resdiscourse/testing/", "tests/"))]
        assert not [n for n in modules if n.startswith("resdiscourse/corpora/")]
        assert not [n for n in modules if b"reportlab" in archive.read(n)]
        shipped = sorted(
            p for folder in DEMO_DATA for p in (SOURCE / folder).iterdir() if p.is_file()
        )
        assert len(shipped) == 11 + 1 + 1 + 11 + 1  # PDFs, manifest, README, truths, ann.csv
        for path in shipped:
            member = path.relative_to(SOURCE.parent).as_posix()
            assert archive.read(member) == path.read_bytes(), member


def test_the_installed_cli_codes_the_installed_demo(
    wheel: Path, tmp_path: Path, demo_out: Path
) -> None:
    venv = fresh_venv(tmp_path, wheel)
    where = run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import importlib.resources, resdiscourse\n"
            "print(resdiscourse.__file__)\n"
            "print(importlib.resources.files('resdiscourse') / 'corpora' / 'demo')",
        ],
        cwd=tmp_path,
    )
    package_file, demo = where.stdout.split()
    assert Path(package_file).is_relative_to(venv), "the wheel, not the source tree"
    assert Path(demo).is_relative_to(venv)

    out = tmp_path / "out"
    cli = [str(venv / "bin" / "resdiscourse"), "code", demo, "--codebook", "bhuyan-leung-2021"]
    coded = run(
        [*cli, "--out", str(out), "--json"],
        cwd=tmp_path,
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    assert coded.returncode == 0, coded.stderr
    result = json.loads(coded.stdout)
    assert result["exit_code"] == 0
    # The same bytes as the source tree's run of the same corpus (timings.json aside).
    comparison = filecmp.dircmp(out, demo_out, ignore=["timings.json"])
    assert_same(comparison)


def assert_same(comparison: filecmp.dircmp[str]) -> None:
    assert comparison.left_only == [] and comparison.right_only == []
    _, mismatch, errors = filecmp.cmpfiles(
        comparison.left, comparison.right, comparison.common_files, shallow=False
    )
    assert mismatch == [] and errors == [], (comparison.left, mismatch, errors)
    for sub in comparison.subdirs.values():
        assert_same(sub)
