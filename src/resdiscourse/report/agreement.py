"""The report's agreement section: what ``resdiscourse compare`` wrote into the run folder.

``compare RUN HUMAN`` writes ``RUN/compare/`` (agreement.csv, compare.json). The report shows
those figures only when compare.json names this very run (the sha256 of its run.json): a run
coded again after the comparison (another codebook, more documents) keeps the old ``compare/``
folder, and its figures would describe codings that are no longer there.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from resdiscourse.ingest.outputs import csv_unsafe
from resdiscourse.rundir import CodeRun
from resdiscourse.runfolder import RUN_JSON, file_sha256

COMPARE_FOLDER = "compare"
#: What the section shows of each agreement.csv row, in this order.
FIGURES = ("units", "percent_agreement", "kappa", "kappa_low", "kappa_high", "alpha", "f1")


@dataclass
class Agreement:
    """The agreement section: ``state`` is ``absent`` (no comparison in the folder), ``stale``
    (one made with another run), ``unreadable`` or ``shown``."""

    state: str
    coders: list[str] = field(default_factory=list)
    #: Per unit (character, segment): the pooled figures.
    overall: list[dict[str, str]] = field(default_factory=list)
    #: Per code and unit: the figures and precision/recall of the automatic side.
    codes: list[dict[str, str]] = field(default_factory=list)
    #: Documents the comparison left out (compare.json ``compared`` false).
    left_out: list[str] = field(default_factory=list)

    @property
    def kappa(self) -> str:
        """The pooled kappa of the first unit shown (character before segment), or ""."""
        return next((row["kappa"] for row in self.overall if row["kappa"]), "")


def read_agreement(run: CodeRun) -> Agreement:
    """The comparison stored in ``run``'s folder, if it was made with this run."""
    folder = run.folder / COMPARE_FOLDER
    if not (folder / "compare.json").is_file():
        return Agreement("absent")
    try:
        record = json.loads((folder / "compare.json").read_text(encoding="utf-8"))
        current = file_sha256(run.folder / RUN_JSON)
        if not isinstance(record, dict) or record.get("run_sha256") != current:
            return Agreement("stale")
        rows = _rows(folder / "agreement.csv")
    except (OSError, ValueError, csv.Error):
        return Agreement("unreadable")
    labels = {code.key: code.label for code in run.codes()}
    order = {key: index for index, key in enumerate(labels)}
    pair = [row for row in rows if row.get("doc_id", "") == ""]
    # Per code, its character row beside its segment row, in the codebook's order.
    pair.sort(key=lambda r: (order.get(r.get("code", ""), -1), r.get("unit") != "character"))
    return Agreement(
        "shown",
        coders=[str(c.get("name", "")) for c in record.get("coders", []) if isinstance(c, dict)],
        overall=[_figures(row) for row in pair if row.get("scope") == "overall"],
        codes=[
            {**_figures(row), "code": row["code"], "label": labels.get(row["code"], row["code"])}
            for row in pair
            if row.get("scope") == "code"
        ],
        left_out=sorted(
            str(d.get("doc_id", ""))
            for d in record.get("documents", [])
            if isinstance(d, dict) and not d.get("compared", True)
        ),
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: csv_unsafe(v or "") for k, v in row.items()} for row in csv.DictReader(handle)]


def _figures(row: dict[str, str]) -> dict[str, str]:
    """The row's unit, coders and figures, numbers rounded for reading (agreement.csv has them
    in full)."""
    shown = {"unit": row.get("unit", ""), "coders": row.get("coders", "")}
    for name in (*FIGURES, "precision", "recall", "kappa_degenerate", "alpha_note"):
        shown[name] = _rounded(name, row.get(name, ""))
    return shown


def _rounded(name: str, value: str) -> str:
    if name in ("units", "kappa_degenerate", "alpha_note") or not value:
        return value
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:.1f}" if name == "percent_agreement" else f"{number:.3f}"
