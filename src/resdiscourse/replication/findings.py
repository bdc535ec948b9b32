"""``findings.md``: the six findings of Bhuyan & Leung (2021), each beside the evidence and the
verdict that ``verdicts.py`` computed for it, in Markdown that no document text can break out of
(every text from a document or the manifest is escaped). Deterministic: no dates, no paths.

Quotes are cited as in ``report.html`` (:mod:`resdiscourse.quotes`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from resdiscourse.ingest.outputs import write_atomic
from resdiscourse.quotes import UNKNOWN, clip_quote
from resdiscourse.replication.verdicts import (
    ABSENCE_SHARE,
    CODEBOOK,
    MIN_DOCUMENTS,
    MIN_GROUP_GAP,
    MIN_SEGMENTS,
    NEEDS,
    NO_YEAR,
    Coverage,
    DocumentRef,
    Finding,
    Quote,
    RunInfo,
    compute_findings,
    missing_codes,
    percent,
    plural,
    run_info,
)
from resdiscourse.rundir import CodeRun

FINDINGS_FILE = "findings.md"
#: Characters that Markdown (CommonMark/GFM) or HTML would read as syntax inside a line.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&#$])")
_LIST_START = re.compile(r"^(\d+)([.)])")

LIMITS = (
    "The coding is automatic: rules match words near each other in one sentence. Its precision "
    "and recall on these documents are unknown until a person codes a sample "
    "(`resdiscourse sample`) and the two are compared (`resdiscourse compare`).",
    "The corpus may not be the paper's: the authors did not list their 14 documents, so a "
    "replication corpus is a reconstruction (see each document's manifest confidence), and the "
    "text comes from PDF extraction, which can drop or garble passages.",
    "Only passages where resilience and a migrant term share a sentence are counted; framings "
    "that span sentences, images, tables or the document's structure are not seen.",
    "An absence (finding 6) is judged within two sentences of each retrieved passage and within "
    "these documents; a remedy named elsewhere in a document, or in a budget or another "
    "government's plan, is not seen.",
    "Counts are not weights: a critical discourse analysis reads tone, genre, audience and "
    "what a passage does in its document. A verdict says the codebook found passages of the "
    "kind the paper describes, not that the paper's interpretation is right or wrong.",
    f"The thresholds of the verdicts (at least {MIN_SEGMENTS} segments in at least "
    f"{MIN_DOCUMENTS} documents, {percent(ABSENCE_SHARE)} for the absence, a gap of "
    f"{percent(MIN_GROUP_GAP)} between groups) are conventions of this tool, not of the paper.",
)


def md_text(text: str, *, line_start: bool = False) -> str:
    """Document text made safe inside one Markdown line: whitespace collapsed and syntax
    characters escaped (so no raw HTML, links or emphasis can come from a document); with
    ``line_start``, also what would open a list or a heading there."""
    flat = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    if not line_start:
        return flat
    flat = _LIST_START.sub(r"\1\\\2", flat)
    return "\\" + flat if flat[:1] in ("-", "+", "=") else flat


def _code(text: str) -> str:
    """A code span (where backslash escapes do not work): no backtick or line break inside."""
    return "`" + " ".join(text.replace("`", "'").split()) + "`"


def findings_markdown(
    findings: Sequence[Finding],
    *,
    corpus_title: str,
    info: RunInfo,
    coverage: Coverage | None = None,
) -> str:
    """``findings.md``: each finding of the paper beside its evidence; deterministic (no dates).
    With ``coverage``, it opens with what of the study's document list is present."""
    title = _corpus_title(corpus_title)
    lines = [f"# {PAPER}: the six findings beside the evidence" + (f" — {title}" if title else "")]
    lines.append("")
    lines += _heading_lines(info)
    if coverage is not None:
        lines += _coverage_lines(coverage)
    lines += _codebook_lines(info)
    lines += _preamble(info, coverage)
    lines += _summary_table(findings)
    for finding in findings:
        lines += _finding_lines(finding)
    lines += ["## What this does not show", ""]
    lines += [f"- {item}" for item in LIMITS]
    return "\n".join(lines) + "\n"


PAPER = "Bhuyan & Leung (2021)"
_PAPER_PREFIX = re.compile(r"^\s*Bhuyan\s*(?:&|and)\s*Leung\s*\(2021\)\s*[:—–-]?\s*", re.I)
#: "11 team-made Toronto/Ontario-style documents": a count a study's title claims.
_TITLE_COUNT = re.compile(r"\b\d+\s+(?=(?:[\w/'’-]+\s+){0,3}documents?\b)", re.I)


def _corpus_title(title: str) -> str:
    """The study's or corpus's title without the paper's name (the heading has it) and without
    a document count (the title's claim may not be what is present; the counted numbers
    follow)."""
    return md_text(_TITLE_COUNT.sub("", _PAPER_PREFIX.sub("", title)).strip())


def _heading_lines(info: RunInfo) -> list[str]:
    years = [year for year in info.years if year != NO_YEAR]
    if not years:
        span = "no years known"
    elif years[0] == years[-1]:
        span = f"year {years[0]}"
    else:
        span = f"years {years[0]}–{years[-1]}"
    if NO_YEAR in info.years and years:
        span += f" (and documents of year {UNKNOWN})"
    lines = [
        f"- Corpus: **{md_text(info.corpus)}**: {plural(info.documents, 'document')}, "
        f"{info.documents_read} read, {info.documents_with_segments} with at least one passage "
        f"where resilience and migrants co-occur; {plural(info.segments, 'retrieved segment')}.",
        f"- Jurisdictions: {md_text(', '.join(info.jurisdictions) or UNKNOWN)}; {span}.",
        f"- Codebook: {_code(info.codebook or UNKNOWN)} version "
        f"{md_text(info.codebook_version or UNKNOWN)}, sha256 "
        f"{_code(info.codebook_sha256 or UNKNOWN)}.",
    ]
    if info.confidence:
        levels = ", ".join(f"{md_text(k)} {n}" for k, n in info.confidence.items())
        lines.append(f"- Manifest confidence (H/M/L) of the documents: {levels}.")
    if info.failed:
        lines.append(f"- Not read (see documents.csv): {md_text(', '.join(info.failed))}.")
    return [*lines, ""]


def _coverage_lines(coverage: Coverage) -> list[str]:
    present = len(coverage.present)
    lines = [
        "## Corpus coverage",
        "",
        f"- {present} of {plural(coverage.listed, 'listed document')} present "
        f"(reserve candidates not counted); {len(coverage.missing)} missing.",
    ]
    if coverage.missing:
        levels = Counter(
            (confidence or "").strip().upper() or UNKNOWN for _, _, confidence in coverage.missing
        )
        shown = ", ".join(f"{md_text(level)} {n}" for level, n in sorted(levels.items()))
        lines.append(f"- Manifest confidence of the missing documents: {shown}.")
        for doc_id, title, confidence in coverage.missing:
            lines.append(
                f"  - {md_text(doc_id)}: *{md_text(title or UNKNOWN)}* (confidence "
                f"{md_text((confidence or '').strip().upper() or UNKNOWN)})"
            )
    if coverage.reserves_present:
        lines.append(
            "- Reserve candidates present (coded, not among the listed): "
            f"{md_text(', '.join(coverage.reserves_present))}."
        )
    if coverage.not_listed:
        lines.append(
            "- Files in the folder that the manifest does not list (not coded): "
            f"{md_text(', '.join(coverage.not_listed))}."
        )
    if coverage.rule_disagreements:
        lines.append("- Where the paper's corpus rule and the manifest disagree:")
        for doc_id, listed, passes, reasons in coverage.rule_disagreements:
            side = (
                "listed, but fails the rule"
                if listed and not passes
                else "passes the rule, but not listed"
                if passes and not listed
                else f"listed {'yes' if listed else 'no'}, rule {'passes' if passes else 'fails'}"
            )
            why = f": {md_text('; '.join(reasons))}" if reasons else ""
            lines.append(f"  - {md_text(doc_id)} ({side}){why}")
    else:
        lines.append("- The paper's corpus rule and the manifest agree on every document present.")
    if coverage.lock_mismatches:
        lines.append(
            "- Files that differ from the sha256 recorded in the lock file (another edition or "
            f"a changed download): {md_text(', '.join(coverage.lock_mismatches))}."
        )
    return [*lines, ""]


def _codebook_lines(info: RunInfo) -> list[str]:
    """A warning when the run's codebook is not the paper's or lacks the findings' codes."""
    missing = {number: missing_codes(number, info.codes) for number in NEEDS}
    lacking = {number: codes for number, codes in missing.items() if codes}
    if info.codebook == CODEBOOK and not lacking:
        return []
    lines = ["## Codebook check", ""]
    if info.codebook != CODEBOOK:
        lines.append(
            f"- The run was coded with {_code(info.codebook or UNKNOWN)}, not {_code(CODEBOOK)}, "
            "the codebook the findings' codes come from."
        )
    for number, codes in lacking.items():
        lines.append(
            f"- Finding {number} is not assessable: the codebook lacks "
            f"{', '.join(_code(code) for code in codes)}."
        )
    if info.codebook != CODEBOOK and not lacking:
        lines.append(
            "- It has every code the findings use, but its rules may read them differently."
        )
    return [*lines, ""]


def _preamble(info: RunInfo, coverage: Coverage | None) -> list[str]:
    if coverage is not None:
        about = (
            f"the {plural(len(coverage.present), 'document')} present "
            f"({info.documents_read} read) of the {coverage.listed} the study lists, not about "
            "the study's whole corpus"
        )
    else:
        about = f"the {plural(info.documents_read, 'document')} read in this run"
    return [
        "## Verdicts",
        "",
        f"The verdicts are about {about}. "
        f"**supported**: each part of a finding has at least {MIN_SEGMENTS} segments in at "
        f"least {MIN_DOCUMENTS} documents (and, for claims about the corpus as a whole, more "
        "than one jurisdiction when there are several) and its own checks hold; **weak**: some "
        "evidence short of that; **not supported**: the finding's own check fails against the "
        "evidence; **no evidence**: no passage carries the finding's codes; **not assessable**: "
        "the codebook lacks the codes the finding needs, or no document could be read.",
        "",
    ]


def _summary_table(findings: Sequence[Finding]) -> list[str]:
    lines = ["| # | Finding | Verdict | Segments | Documents |", "|---|---|---|---|---|"]
    for finding in findings:
        segments = sum(ref.segments for ref in finding.documents)
        lines.append(
            f"| {finding.id} | {md_text(finding.title)} | {finding.verdict} | {segments} "
            f"| {len(finding.documents)} |"
        )
    return [*lines, ""]


def _finding_lines(finding: Finding) -> list[str]:
    lines = [f"## {finding.id}. {md_text(finding.title)}", ""]
    lines += [f"**The paper:** {md_text(finding.claim)}", ""]
    lines += [f"**Verdict: {finding.verdict}.**", ""]
    if finding.reasons:
        lines += ["Why:", "", *[f"- {md_text(reason)}" for reason in finding.reasons], ""]
    if finding.numbers["parts"] or finding.notes:
        lines += ["**Evidence:**", ""]
    for part in finding.numbers["parts"].values():
        lines += _part_lines(part, finding.numbers)
    lines += [f"- {md_text(note)}" for note in finding.notes]
    lines.append("")
    if "valence_by_group" in finding.numbers:
        lines += _group_table(finding.numbers["valence_by_group"])
    if finding.verdict == "not assessable":
        return lines  # no evidence was looked for: no quotes, no places, no absences
    lines += _quote_lines(finding.quotes)
    lines += _document_lines("Where it appears", finding.documents, "evidence segment")
    if finding.id == 6:
        heading = "Documents whose resilience passages never name a structural remedy"
    else:
        heading = "Absent from (documents with retrieved passages but none of this evidence)"
    lines += _document_lines(heading, finding.absences, "retrieved passage")
    return lines


def _part_lines(part: dict[str, Any], numbers: dict[str, Any]) -> list[str]:
    head = (
        f"- {md_text(part['label'])}: {part['segments']} of {numbers['retrieved_segments']} "
        f"retrieved segments ({percent(part['share'])}), in {part['documents']} of "
        f"{numbers['documents_read']} documents."
    )
    return [
        head,
        f"  - By jurisdiction: {_breakdown_text(part['by_jurisdiction'])}.",
        f"  - By year: {_breakdown_text(part['by_year'])}.",
    ]


def _breakdown_text(breakdown: dict[str, dict[str, Any]]) -> str:
    if not breakdown:
        return "none"
    return "; ".join(
        f"{md_text(name)} {cell['segments']} of {cell['of']} ({percent(cell['share'])})"
        for name, cell in breakdown.items()
    )


def _group_table(table: dict[str, dict[str, int]]) -> list[str]:
    lines = ["| migrant group | segments | deficit | asset |", "|---|---|---|---|"]
    for group, counts in table.items():
        lines.append(
            f"| {md_text(group)} | {counts['segments']} | {counts['deficit']} | {counts['asset']} |"
        )
    return [*lines, ""]


def _quote_lines(quotes: Sequence[Quote]) -> list[str]:
    if not quotes:
        return ["No quote: no segment carries this evidence.", ""]
    lines = ["**Quotes:**", ""]
    for quote in quotes:
        text, cut = clip_quote(quote.text)
        lines += [
            f"> {md_text(text, line_start=True)}" + (" \\[…\\]" if cut else ""),
            ">",
            f"> — *{md_text(quote.title)}* ({md_text(quote.year or UNKNOWN)}), "
            f"{md_text(quote.pages)} · {md_text(quote.note)}",
            "",
        ]
    return lines


def _document_lines(heading: str, refs: Sequence[DocumentRef], unit: str) -> list[str]:
    if not refs:
        return [f"**{heading}:** none.", ""]
    lines = [f"**{heading}:**", ""]
    for ref in refs:
        lines.append(
            f"- *{md_text(ref.title)}* ({md_text(ref.year or UNKNOWN)}, "
            f"{md_text(ref.jurisdiction)}): {plural(ref.segments, unit)}"
        )
    return [*lines, ""]


def write_findings(
    run: CodeRun,
    path: str | Path,
    *,
    corpus_title: str | None = None,
    coverage: Coverage | None = None,
) -> list[Finding]:
    """Compute the findings of ``run`` and write them as Markdown to ``path`` (a ``.md`` file, or
    a folder that gets ``findings.md``); ``coverage``: what of the study's list is present."""
    target = Path(path)
    if target.suffix.lower() != ".md":
        target = target / FINDINGS_FILE
    findings = compute_findings(run)
    info = run_info(run)
    text = findings_markdown(
        findings, corpus_title=corpus_title or info.corpus, info=info, coverage=coverage
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text.encode("utf-8"))
    return findings
