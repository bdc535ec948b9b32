"""``resdiscourse report DIR``: tables, charts and ``report.html`` from a ``code`` output folder.

Writes ``report.html``, ``tables/<name>.csv`` and ``charts/<name>.png|.svg`` into ``out``
(default ``DIR/report/``), and the index ``report-files.json``: the sorted list of the files this
report wrote (paths relative to ``out``). The same folder gives the same bytes in every file.

A file that the previous report listed in its index and this one did not write (a table or chart
of another codebook, say) is removed, since it would no longer match. Nothing else in ``out`` is
touched: a file of the user's own (``tables/my-hand-counts.csv``) stays, whatever its name, and
a folder without an index (not a report, or one from before the index) loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from resdiscourse.errors import Location, Problem, UsageError
from resdiscourse.export.tables import write_table
from resdiscourse.ingest.outputs import write_atomic
from resdiscourse.report.charts import ChartImage, render_charts
from resdiscourse.report.html import render_html
from resdiscourse.report.tables import summary_tables, table_rows
from resdiscourse.rundir import load_run
from resdiscourse.runfolder import make_output_folder, out_folder

REPORT_HTML = "report.html"
TABLES, CHARTS = "tables", "charts"
#: The files the last report wrote into ``out``: what the next one may remove.
INDEX = "report-files.json"


@dataclass
class ReportSummary:
    """What ``build_report`` wrote; ``to_dict()`` is the CLI's ``--json`` output."""

    out: str
    files: list[dict[str, Any]] = field(default_factory=list)
    #: Warnings about the run folder (W220).
    problems: list[Problem] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0  # any failure stops with a usage error (exit code 2)

    def to_dict(self) -> dict[str, Any]:
        problems = [item.to_dict() for item in self.problems]
        return {"out": self.out, "files": self.files, "problems": problems}


def build_report(folder: str | Path, *, out: str | Path | None = None) -> ReportSummary:
    """Write the report of the ``resdiscourse code`` output folder ``folder`` into ``out``.

    Raises :class:`UsageError` E217 when ``folder`` is not such a folder, E218 when ``out``
    cannot be written.
    """
    run = load_run(folder)
    out_dir = out_folder(out, Path(folder) / "report")
    _writing(out_dir, make_output_folder)
    tables = summary_tables(run)
    charts = render_charts(run, tables)
    summary = ReportSummary(str(out_dir), problems=list(run.problems))
    for name, frame in tables.items():
        columns, rows = table_rows(frame)
        path = out_dir / TABLES / f"{name}.csv"
        _writing(path, partial(write_table, columns=columns, rows=rows))
        summary.files.append({"kind": "table", "name": name, "path": str(path), "rows": len(rows)})
    for chart in charts:
        for path in _write_chart(out_dir, chart):
            summary.files.append({"kind": "chart", "name": chart.name, "path": str(path)})
    html = out_dir / REPORT_HTML
    _writing(html, lambda p: write_atomic(p, render_html(run, tables, charts).encode("utf-8")))
    summary.files.append({"kind": "html", "name": "report", "path": str(html)})
    written = sorted({Path(f["path"]).relative_to(out_dir).as_posix() for f in summary.files})
    _remove_stale(out_dir, _previous_files(out_dir) - set(written))
    index = out_dir / INDEX
    _writing(index, lambda p: write_atomic(p, _index_bytes(written)))
    summary.files.append({"kind": "index", "name": "report-files", "path": str(index)})
    return summary


def _write_chart(out_dir: Path, chart: ChartImage) -> list[Path]:
    png = out_dir / CHARTS / f"{chart.name}.png"
    svg = out_dir / CHARTS / f"{chart.name}.svg"
    _writing(png, lambda p: write_atomic(p, chart.png))
    _writing(svg, lambda p: write_atomic(p, chart.svg.encode("utf-8")))
    return [png, svg]


def _writing(path: Path, write: Callable[[Path], object]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path)
    except OSError as error:
        raise UsageError.of("E218", Location(file=str(path)), path=path, detail=error) from None


def _index_bytes(files: list[str]) -> bytes:
    index = {"written_by": "resdiscourse report", "files": files}
    return (json.dumps(index, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _previous_files(out_dir: Path) -> set[str]:
    """The files the index of the previous report in ``out_dir`` lists (none without one)."""
    try:
        index = json.loads((out_dir / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()  # no index (or not ours): nothing is known to be the report's
    files = index.get("files") if isinstance(index, dict) else None
    if not isinstance(files, list):
        return set()
    return {name for name in files if isinstance(name, str)}


def _remove_stale(out_dir: Path, names: set[str]) -> None:
    """Remove the files ``names`` (relative to ``out_dir``), only inside ``out_dir``."""
    root = out_dir.resolve()
    for name in sorted(names):
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts or name in ("", ".", INDEX):
            continue  # an index edited by hand may not point outside the report
        path = out_dir / relative
        if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(root):
            continue
        try:
            path.unlink()
        except OSError as error:
            raise UsageError.of("E218", Location(file=str(path)), path=path, detail=error) from None
