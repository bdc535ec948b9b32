"""``resdiscourse replicate STUDY``: the whole study in one command (DESIGN §9).

It ingests the study's documents that are present (the demo ships its own; for
ontario-2008-2018 the user downloads them into a folder, see ``fetch``), codes them with the
shipped Bhuyan–Leung codebook, re-derives the corpus by the paper's rule and lists where rule and
manifest disagree, builds the report and writes ``findings.md``, which sets each of the six
findings beside the computed evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resdiscourse.errors import Location, Problem, UsageError
from resdiscourse.ingest.manifest import Manifest, read_manifest
from resdiscourse.replication.fetch import where_to_get
from resdiscourse.replication.findings import write_findings
from resdiscourse.replication.rule import corpus_rule, disagreements
from resdiscourse.replication.studies import Study, load_study
from resdiscourse.report import build_report
from resdiscourse.run import Progress, code_corpus
from resdiscourse.rundir import load_run

CODEBOOK = "bhuyan-leung-2021"


@dataclass
class ReplicationSummary:
    """What ``replicate`` did; ``to_dict()`` is the CLI's ``--json`` output."""

    study: str
    out: str
    corpus_dir: str
    present: list[str] = field(default_factory=list)
    #: Documents of the study (reserve candidates included) not in the corpus folder.
    missing: list[dict[str, str]] = field(default_factory=list)
    rule: list[dict[str, Any]] = field(default_factory=list)
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    report: str = ""
    findings_file: str = ""
    segments: int = 0
    problems: list[Problem] = field(default_factory=list)
    coded_exit_code: int = 0

    @property
    def exit_code(self) -> int:
        """1 when a document of the study's corpus (not a reserve) is missing or failed."""
        required = [m for m in self.missing if m.get("reserve") != "true"]
        return 1 if required or self.coded_exit_code else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "out": self.out,
            "corpus_dir": self.corpus_dir,
            "present": self.present,
            "missing": self.missing,
            "rule": self.rule,
            "disagreements": self.disagreements,
            "findings": self.findings,
            "report": self.report,
            "findings_file": self.findings_file,
            "segments": self.segments,
            "problems": [item.to_dict() for item in self.problems],
            "exit_code": self.exit_code,
        }


def replicate(
    study: str,
    *,
    corpus_dir: str | Path | None = None,
    out: str | Path | None = None,
    jobs: int = 1,
    engine: str = "auto",
    ocr: bool = False,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> ReplicationSummary:
    """Run study ``study`` (``demo`` or ``ontario-2008-2018``) on the documents in ``corpus_dir``
    (default: the demo's own folder, else ``pdfs/``), writing everything into ``out`` (default
    ``resdiscourse-out/replicate-<study>/``). Raises :class:`UsageError` (E530) when none of the
    study's documents is there."""
    loaded = load_study(study)
    folder = Path(corpus_dir) if corpus_dir is not None else (loaded.corpus or Path("pdfs"))
    out_dir = Path(out) if out is not None else Path("resdiscourse-out") / f"replicate-{study}"
    summary = ReplicationSummary(study, str(out_dir), str(folder))
    manifest = _present_manifest(loaded, folder, summary)
    coded = code_corpus(
        folder,
        codebook=CODEBOOK,
        out=out_dir,
        jobs=jobs,
        engine=engine,
        ocr=ocr,
        use_cache=use_cache,
        progress=progress,
        manifest=manifest,
    )
    summary.coded_exit_code, summary.segments = coded.exit_code, coded.segments
    summary.problems = list(coded.problems)
    run = load_run(out_dir)
    listed = {row["doc_id"] for row in loaded.documents if row.get("reserve") != "true"}
    checks = corpus_rule(run, listed)
    summary.rule = [check.to_dict() for check in checks]
    summary.disagreements = [check.to_dict() for check in disagreements(checks)]
    summary.report = build_report(out_dir).out
    findings = write_findings(run, out_dir / "findings.md", corpus_title=loaded.title)
    summary.findings_file = str(out_dir / "findings.md")
    summary.findings = [
        {"id": f.id, "title": f.title, "verdict": f.verdict, "reasons": f.reasons} for f in findings
    ]
    return summary


def _present_manifest(study: Study, folder: Path, summary: ReplicationSummary) -> Manifest:
    """The study's manifest cut to the documents present in ``folder``; the others are listed
    in ``summary.missing`` with where to get them."""
    manifest = read_manifest(study.manifest)
    present = [row for row in manifest.rows if (folder / row.file).is_file()]
    summary.present = [row.doc_id for row in present]
    summary.missing = [
        {
            "doc_id": row.doc_id,
            "file": row.file,
            "title": row.fields.get("title", ""),
            "confidence": row.fields.get("confidence", ""),
            "reserve": row.fields.get("reserve", ""),
            "where": where_to_get(row.fields, folder),
        }
        for row in manifest.rows
        if row not in present
    ]
    if not present:
        raise UsageError.of(
            "E530",
            Location(file=str(folder)),
            study=study.name,
            folder=folder,
            count=len(manifest.rows),
        )
    return Manifest(manifest.name, tuple(present))
