"""The paper's own corpus rule, applied to every document of a coded run.

Bhuyan & Leung (2021) chose their documents by a rule, not by a list: a document is in when its
text contains ``resilien*`` AND a migrant term (``migrant*``, ``immigrant*``, ``newcomer*``,
``refugee*``) anywhere, it comes from the City of Toronto or the Province of Ontario, and it is
dated 2008-2018. The Ontario manifest is a reconstruction (shared/ontario-2008-2018.md), so
``replicate`` re-derives the corpus by this rule and reports where rule and manifest disagree.

The two terms are the codebook's concepts ``resilience`` and ``migrants`` matched by the codebook
matcher over the whole clean text (English and French terms by the document's language:
``résilien*``, ``immigra*``, ``réfugié*`` ...). The ``migrants`` concept is somewhat wider than the
paper's four words (it also has ``immigration``, ``asylum seeker*``, ``undocumented``): the same
net that retrieval uses, so a document that passes is one the coding can find passages in.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any

from resdiscourse.codebook.compile import CompiledCodebook, compile_codebook
from resdiscourse.codebook.load import load_codebook
from resdiscourse.codebook.query import ConceptNode
from resdiscourse.codebook.schema import Codebook
from resdiscourse.coding import prepare_text
from resdiscourse.ingest.corpus import CODABLE_STATUSES
from resdiscourse.rundir import CodeRun

#: The concepts the rule needs (DESIGN §12, retrieval of Bhuyan–Leung).
RESILIENCE, MIGRANTS = "resilience", "migrants"
#: The codebook that defines them, for runs coded with a codebook that does not.
RULE_CODEBOOK = "bhuyan-leung-2021"
#: The paper's two bodies, and the spellings of them manifests use (compared case-insensitively).
JURISDICTIONS: dict[str, str] = {
    "city of toronto": "City of Toronto",
    "toronto": "City of Toronto",
    "province of ontario": "Province of Ontario",
    "government of ontario": "Province of Ontario",
    "ontario": "Province of Ontario",
}
FIRST_YEAR, LAST_YEAR = 2008, 2018


@dataclass
class RuleCheck:
    """Whether one document passes the paper's rule, and why not when it does not."""

    doc_id: str
    title: str
    year: str
    jurisdiction: str
    passes: bool
    #: One line per condition that fails (empty when the document passes).
    reasons: list[str]
    #: Whether the study's manifest lists the document.
    in_manifest: bool
    #: The manifest's confidence (H | M | L), when it has one.
    confidence: str
    #: How often each concept occurs in the whole text (None: the text could not be read).
    resilience_hits: int | None = None
    migrant_hits: int | None = None
    matched: dict[str, list[str]] = field(default_factory=dict)

    @property
    def disagrees(self) -> bool:
        """The manifest says in and the rule out, or the other way round."""
        return self.passes != self.in_manifest

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def corpus_rule(
    run: CodeRun,
    manifest_ids: Collection[str] | None = None,
    *,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
) -> list[RuleCheck]:
    """The rule checked for every document of ``run`` (those without a retrieved segment and
    those that failed to read too), in doc_id order.

    ``manifest_ids``: the doc_ids the study's manifest lists; None means every document of the
    run came from the manifest (a ``replicate`` folder holds only the manifest's downloads).
    """
    compiled = compile_codebook(_rule_codebook(run))
    readable = {row["doc_id"] for row in readable_documents(run)}
    checks = []
    for row in sorted(run.documents, key=lambda row: row["doc_id"]):
        listed = manifest_ids is None or row["doc_id"] in manifest_ids
        text = run.text(row["doc_id"]) if row["doc_id"] in readable else None
        checks.append(_check(row, text, compiled, listed, (first_year, last_year)))
    return checks


def readable_documents(run: CodeRun) -> list[dict[str, str]]:
    """The documents that were read (status ok or warning). A failed document has an empty text
    file in the folder too, so the file's presence is not enough."""
    return [row for row in run.coded_documents() if row.get("status") in CODABLE_STATUSES]


def disagreements(checks: list[RuleCheck]) -> list[RuleCheck]:
    """Documents the manifest lists but the rule leaves out, then those the rule takes in but the
    manifest does not list; each group in doc_id order."""
    listed_out = [check for check in checks if check.in_manifest and not check.passes]
    found_in = [check for check in checks if check.passes and not check.in_manifest]
    return listed_out + found_in


def _rule_codebook(run: CodeRun) -> Codebook:
    """The run's codebook when it defines both concepts, else the shipped Bhuyan–Leung one."""
    book = run.codebook.codebook
    if RESILIENCE in book.concepts and MIGRANTS in book.concepts:
        return book
    return load_codebook(RULE_CODEBOOK).codebook


def _check(
    row: dict[str, str],
    text: str | None,
    compiled: CompiledCodebook,
    listed: bool,
    years: tuple[int, int],
) -> RuleCheck:
    check = RuleCheck(
        doc_id=row["doc_id"],
        title=row.get("title", ""),
        year=row.get("year", ""),
        jurisdiction=row.get("jurisdiction", ""),
        passes=False,
        reasons=[],
        in_manifest=listed,
        confidence=row.get("confidence", ""),
    )
    check.reasons += _text_reasons(check, row, text, compiled)
    check.reasons += _jurisdiction_reasons(check.jurisdiction)
    check.reasons += _year_reasons(row, years)
    check.passes = not check.reasons
    return check


def _text_reasons(
    check: RuleCheck, row: dict[str, str], text: str | None, compiled: CompiledCodebook
) -> list[str]:
    """Count both concepts in the text (filling ``check``); a reason per missing concept."""
    if text is None:
        status = row.get("code") or row.get("status") or "not read"
        return [f"the text could not be read ({status}), so the terms cannot be checked"]
    matches = _matches(text, row.get("language"), compiled)
    check.resilience_hits = len(matches[RESILIENCE])
    check.migrant_hits = len(matches[MIGRANTS])
    # The distinct words found, for a reader checking the counts.
    check.matched = {name: sorted(set(words), key=str.lower) for name, words in matches.items()}
    reasons = []
    if not check.resilience_hits:
        reasons.append("no resilien* term in the text")
    if not check.migrant_hits:
        reasons.append("no migrant term (migrant*, immigra*, newcomer*, refugee* ...) in the text")
    return reasons


def _matches(text: str, language: str | None, compiled: CompiledCodebook) -> dict[str, list[str]]:
    """Each concept's matched words over the whole text, with the codebook matcher."""
    matcher = prepare_text(text, compiled, language=language).matcher
    starts, ends = matcher.seg.token_starts, matcher.seg.token_ends
    found = {}
    for name in (RESILIENCE, MIGRANTS):
        hits = matcher.prefetch(ConceptNode(name))
        found[name] = [text[starts[hit.first] : ends[hit.last - 1]] for hit in hits]
    return found


def _jurisdiction_reasons(jurisdiction: str) -> list[str]:
    if " ".join(jurisdiction.lower().split()) in JURISDICTIONS:
        return []
    shown = jurisdiction or "none given"
    return [f"jurisdiction {shown!r} is neither the City of Toronto nor the Province of Ontario"]


def _year_reasons(row: dict[str, str], years: tuple[int, int]) -> list[str]:
    year = _year(row)
    if year is None:
        return ["no year (neither a year nor a date in the manifest)"]
    if not years[0] <= year <= years[1]:
        return [f"year {year} is outside {years[0]}-{years[1]}"]
    return []


def _year(row: dict[str, str]) -> int | None:
    """The document's year, else the year of its date (YYYY-MM-DD)."""
    for value in (row.get("year", ""), row.get("date", "")[:4]):
        if value.strip().isdigit():
            return int(value.strip())
    return None
