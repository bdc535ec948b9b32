"""``resdiscourse export DIR``: the exchange files of a ``code`` output folder.

Each target is a file path; tables take their format from the suffix (.csv, .xlsx, .parquet,
.jsonl). Everything written is byte-identical on a re-run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resdiscourse.errors import Location, Problem, UsageError, problem
from resdiscourse.export.forms import tidy_table, wide_table, wide_types
from resdiscourse.export.nvivo import write_nvivo_dataset
from resdiscourse.export.refi_model import RefiCodebook
from resdiscourse.export.refi_project import codebook_of_run, origin, project_of_run
from resdiscourse.export.refi_write import write_qdc, write_qdpx
from resdiscourse.export.tables import FORMATS, ColumnType, write_table
from resdiscourse.rundir import CodeRun, load_run
from resdiscourse.runfolder import make_folder


@dataclass
class ExportSummary:
    """What ``export_run`` wrote; ``to_dict()`` is the CLI's ``--json`` output."""

    folder: str
    files: list[dict[str, Any]] = field(default_factory=list)
    #: Warnings about the run folder (W220).
    problems: list[Problem] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0  # any failure stops with a usage error (exit code 2)

    def to_dict(self) -> dict[str, Any]:
        problems = [item.to_dict() for item in self.problems]
        return {"folder": self.folder, "files": self.files, "problems": problems}


def export_run(
    folder: str | Path,
    *,
    qdpx: str | Path | None = None,
    qdc: str | Path | None = None,
    nvivo: str | Path | None = None,
    tidy: str | Path | None = None,
    wide: str | Path | None = None,
    dimensions: list[str] | None = None,
    coder: str = "resdiscourse",
) -> ExportSummary:
    """Write the asked-for files from the output folder ``folder``.

    ``qdpx``: a REFI-QDA project (codebook, texts, coded segments; ``coder`` names the user);
    ``qdc``: the codebook alone; ``nvivo``: a dataset for NVivo (.xlsx or .csv; ``dimensions``
    keeps only those); ``tidy``: one row per segment × code; ``wide``: one row per segment.
    """
    targets = {"qdpx": qdpx, "qdc": qdc, "nvivo": nvivo, "tidy": tidy, "wide": wide}
    if all(value is None for value in targets.values()):
        raise UsageError.of("E219")
    for kind in ("tidy", "wide"):
        _check_table_suffix(targets[kind])
    run = load_run(folder)
    summary = ExportSummary(str(folder), problems=list(run.problems))
    writers: dict[str, Callable[[Path], list[dict[str, Any]]]] = {
        "qdpx": lambda path: [_qdpx(run, path, coder)],
        "qdc": lambda path: [_qdc(run, path)],
        "nvivo": lambda path: _nvivo(run, path, dimensions, summary.problems),
        "tidy": lambda path: [_table(path, *tidy_table(run))],
        "wide": lambda path: [_table(path, *wide_table(run), wide_types(run))],
    }
    for kind, target in targets.items():
        if target is not None:
            path = Path(target)
            for details in _writing(path, writers[kind]):
                # An NVivo dataset written in parts names each part's own path.
                summary.files.append({"kind": kind, "path": str(path), **details})
    return summary


def _check_table_suffix(target: str | Path | None) -> None:
    if target is not None and Path(target).suffix.lstrip(".") not in FORMATS:
        raise UsageError.of(
            "E216", format=Path(target).suffix.lstrip("."), choices=", ".join(FORMATS)
        )


def _writing(path: Path, write: Callable[[Path], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    try:
        make_folder(path.parent)
        return write(path)
    except OSError as error:
        raise UsageError.of("E218", Location(file=str(path)), path=path, detail=error) from None


def _qdpx(run: CodeRun, path: Path, coder: str) -> dict[str, Any]:
    project = project_of_run(run, coder=coder)
    write_qdpx(project, path)
    return {
        "sources": len(project.sources),
        **_code_counts(project.codebook),
        "selections": sum(len(source.selections) for source in project.sources),
    }


def _qdc(run: CodeRun, path: Path) -> dict[str, Any]:
    codebook = codebook_of_run(run)
    write_qdc(codebook, path, origin())
    return _code_counts(codebook)


def _code_counts(codebook: RefiCodebook) -> dict[str, int]:
    """Codes one can code with, and the dimensions that group them (codes themselves in REFI)."""
    codes = codebook.all_codes()
    return {
        "codes": sum(code.is_codable for code in codes),
        "dimensions": sum(not code.is_codable for code in codes),
    }


def _nvivo(
    run: CodeRun, path: Path, dimensions: list[str] | None, problems: list[Problem]
) -> list[dict[str, Any]]:
    files = write_nvivo_dataset(run, path, dimensions=dimensions)
    if len(files) > 1:
        problems.append(
            problem(
                "W450",
                Location(file=str(path)),
                codes=sum(len(file.dataset.code_columns) for file in files),
                limit=len(files[0].dataset.code_columns),
                count=len(files),
                names=", ".join(file.path.name for file in files),
            )
        )
    return [
        {
            "path": str(file.path),
            "rows": len(file.dataset.rows),
            "columns": len(file.dataset.columns),
            "classifying": list(file.dataset.classifying),
            "codable": list(file.dataset.codable),
        }
        for file in files
    ]


def _table(
    path: Path,
    columns: Any,
    rows: list[dict[str, str]],
    types: dict[str, ColumnType] | None = None,
) -> dict[str, Any]:
    write_table(path, columns, rows, types=types)
    return {"rows": len(rows), "columns": len(columns)}
