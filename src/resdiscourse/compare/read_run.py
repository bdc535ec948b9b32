"""An output folder of ``resdiscourse code`` as a coder: every segment span coded with its
codes (the automatic side codes the whole segment span)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from resdiscourse.compare.intervals import Interval, merge
from resdiscourse.compare.matching import SideContext
from resdiscourse.compare.units import Coder
from resdiscourse.rundir import CodeRun

#: The name the automatic side's coder has in the outputs.
AUTO_CODER = "resdiscourse"


def run_coder(context: SideContext, label: str, run: CodeRun, first: bool) -> Coder:
    name = AUTO_CODER if first else f"{AUTO_CODER}:{Path(label).name}"
    coder = Coder(name, label, segment_codes={})
    ours: dict[str, str] = {}  # their doc_id -> ours
    for row in run.coded_documents():
        text = run.text(row["doc_id"])
        doc_id = context.match(label, row["doc_id"], Path(row["file"]).stem, text)
        if doc_id is not None:
            ours[row["doc_id"]] = doc_id
            coder.documents.add(doc_id)
    spans: defaultdict[tuple[str, str], list[Interval]] = defaultdict(list)
    keys = run.segment_codes()
    for row in run.segments:
        if row["doc_id"] not in ours:
            continue
        doc_id, text = ours[row["doc_id"]], run.text(row["doc_id"])
        mapped = context.map_span(label, doc_id, text, int(row["start"]), int(row["end"]))
        if mapped is None:
            continue
        codes = {c for c in map(context.reference.codes.match, keys[row["segment_id"]]) if c}
        for code in codes:
            spans[(doc_id, code)].append(mapped)
        # The same segment in the reference: judged as a segment. Segments of another
        # segmentation are no units of the reference (they count through their spans).
        unit = context.reference.unit(f"{doc_id}:{mapped[0]}-{mapped[1]}")
        if unit is not None and coder.segment_codes is not None:
            coder.segment_codes[unit.segment_id] = codes
    coder.spans = {key: merge(value) for key, value in spans.items()}
    return coder
