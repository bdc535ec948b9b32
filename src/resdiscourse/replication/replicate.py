"""``resdiscourse replicate STUDY``: the whole study in one command.

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
from resdiscourse.ingest.plan import walk_corpus
from resdiscourse.replication.addresses import where_to_get
from resdiscourse.replication.fetch import check_present
from resdiscourse.replication.findings import write_findings
from resdiscourse.replication.lock import lock_path, read_lock
from resdiscourse.replication.rule import RuleCheck, corpus_rule, disagreements
from resdiscourse.replication.studies import Study, load_study
from resdiscourse.replication.verdicts import Coverage
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
    #: Documents in the corpus folder that the study does not list: not coded.
    not_listed: list[str] = field(default_factory=list)
    #: Documents whose file differs from the sha256 that fetch locked (or the manifest ships):
    #: not coded.
    mismatched: list[dict[str, str]] = field(default_factory=list)
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
        """1 when a document of the study's corpus (not a reserve) is missing, differs from its
        locked sha256, or failed."""
        required = [m for m in self.missing if m.get("reserve") != "true"]
        return 1 if required or self.mismatched or self.coded_exit_code else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "out": self.out,
            "corpus_dir": self.corpus_dir,
            "present": self.present,
            "missing": self.missing,
            "not_listed": self.not_listed,
            "mismatched": self.mismatched,
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
    codebook: str | Path = CODEBOOK,
    retrieval: str | None = None,
    cache_dir: str | Path | None = None,
) -> ReplicationSummary:
    """Run study ``study`` (``demo`` or ``ontario-2008-2018``) on the documents in ``corpus_dir``
    (default: the demo's own folder, else ``pdfs/``), writing everything into ``out`` (default
    ``resdiscourse-out/replicate-<study>/``). ``codebook`` and ``retrieval`` are as in
    ``code_corpus`` (``bhuyan-leung-2021@1.0.0`` replicates with the first version, say), and so
    are ``use_cache`` and ``cache_dir``.
    Raises :class:`UsageError` (E530) when none of the study's documents is there."""
    loaded = load_study(study)
    folder = Path(corpus_dir) if corpus_dir is not None else (loaded.corpus or Path("pdfs"))
    out_dir = Path(out) if out is not None else Path("resdiscourse-out") / f"replicate-{study}"
    summary = ReplicationSummary(study, str(out_dir), str(folder))
    manifest = _present_manifest(loaded, folder, out_dir, summary)
    coded = code_corpus(
        folder,
        codebook=codebook,
        retrieval=retrieval,
        out=out_dir,
        jobs=jobs,
        engine=engine,
        ocr=ocr,
        use_cache=use_cache,
        cache_dir=cache_dir,
        progress=progress,
        manifest=manifest,
        listed_only=True,  # a file the study does not list is no evidence for it
    )
    summary.coded_exit_code, summary.segments = coded.exit_code, coded.segments
    summary.problems = list(coded.problems)
    run = load_run(out_dir)
    checks = corpus_rule(run, _listed(loaded))
    summary.rule = [check.to_dict() for check in checks]
    summary.disagreements = [check.to_dict() for check in disagreements(checks)]
    summary.report = build_report(out_dir).out
    coverage = _coverage(loaded, summary, disagreements(checks))
    findings = write_findings(
        run, out_dir / "findings.md", corpus_title=loaded.title, coverage=coverage
    )
    summary.findings_file = str(out_dir / "findings.md")
    summary.findings = [
        {"id": f.id, "title": f.title, "verdict": f.verdict, "reasons": f.reasons} for f in findings
    ]
    return summary


def _listed(study: Study) -> set[str]:
    """The documents the study counts (its reserve candidates aside)."""
    return {row["doc_id"] for row in study.documents if row.get("reserve") != "true"}


def _coverage(study: Study, summary: ReplicationSummary, disagreeing: list[RuleCheck]) -> Coverage:
    listed = _listed(study)
    return Coverage(
        listed=len(listed),
        present=[doc_id for doc_id in summary.present if doc_id in listed],
        missing=[
            (item["doc_id"], item["title"], item["confidence"])
            for item in summary.missing
            if item["doc_id"] in listed
        ],
        reserves_present=[doc_id for doc_id in summary.present if doc_id not in listed],
        not_listed=summary.not_listed,
        rule_disagreements=[(c.doc_id, c.in_manifest, c.passes, c.reasons) for c in disagreeing],
        lock_mismatches=[item["doc_id"] for item in summary.mismatched],
    )


def _present_manifest(
    study: Study, folder: Path, out: Path, summary: ReplicationSummary
) -> Manifest:
    """The study's manifest cut to the documents present in ``folder`` whose sha256 agrees with
    the lock file ``fetch`` keeps there (and the manifest's own sha256); the others are listed in
    ``summary.missing`` (with where to get them) or ``summary.mismatched``."""
    manifest = read_manifest(study.manifest)
    lock = read_lock(lock_path(folder)) if lock_path(folder).is_file() else {}
    present = []
    for row in manifest.rows:
        status, detail = check_present(row.fields, folder, lock)
        if status == "present":
            present.append(row)
        elif status in ("mismatch", "refused"):
            summary.mismatched.append({"doc_id": row.doc_id, "file": row.file, "detail": detail})
    summary.present = [row.doc_id for row in present]
    claimed = {row.file for row in manifest.rows}
    summary.not_listed = [
        file for file in walk_corpus(folder, exclude=out)[0] if file not in claimed
    ]
    summary.missing = [
        {
            "doc_id": row.doc_id,
            "file": row.file,
            "title": row.fields.get("title", ""),
            "confidence": row.fields.get("confidence", "").strip().upper(),
            "reserve": row.fields.get("reserve", ""),
            "where": where_to_get(row.fields, folder),
        }
        for row in manifest.rows
        if row not in present and row.doc_id not in {m["doc_id"] for m in summary.mismatched}
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
