"""``resdiscourse report DIR``: tables, charts and ``report.html`` from a ``code`` output folder.

Writes ``report.html``, ``tables/<name>.csv`` and ``charts/<name>.png|.svg`` into ``out``
(default ``DIR/report/``). The same folder gives the same bytes in every file. A table or chart
file that an earlier report left (another codebook's, say) is removed, since it would no longer
match; nothing else in ``out`` is touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from resdiscourse.errors import Location, UsageError
from resdiscourse.export.tables import write_table
from resdiscourse.ingest.outputs import write_atomic
from resdiscourse.report.charts import ChartImage, render_charts
from resdiscourse.report.html import render_html
from resdiscourse.report.tables import summary_tables, table_rows
from resdiscourse.rundir import load_run

REPORT_HTML = "report.html"
TABLES, CHARTS = "tables", "charts"


@dataclass
class ReportSummary:
    """What ``build_report`` wrote; ``to_dict()`` is the CLI's ``--json`` output."""

    out: str
    files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0  # any failure stops with a usage error (exit code 2)

    def to_dict(self) -> dict[str, Any]:
        return {"out": self.out, "files": self.files}


def build_report(folder: str | Path, *, out: str | Path | None = None) -> ReportSummary:
    """Write the report of the ``resdiscourse code`` output folder ``folder`` into ``out``.

    Raises :class:`UsageError` E217 when ``folder`` is not such a folder, E218 when ``out``
    cannot be written.
    """
    run = load_run(folder)
    out_dir = Path(out) if out is not None else Path(folder) / "report"
    tables = summary_tables(run)
    charts = render_charts(run, tables)
    summary = ReportSummary(str(out_dir))
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
    _remove_stale(out_dir, set(tables), {chart.name for chart in charts})
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


def _remove_stale(out_dir: Path, tables: set[str], charts: set[str]) -> None:
    for path in (out_dir / TABLES).glob("*.csv"):
        if path.stem not in tables:
            path.unlink(missing_ok=True)
    for pattern in ("*.png", "*.svg"):
        for path in (out_dir / CHARTS).glob(pattern):
            if path.stem not in charts:
                path.unlink(missing_ok=True)
