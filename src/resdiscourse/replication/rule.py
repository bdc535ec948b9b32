"""The paper's own corpus rule, applied to every document of a coded run.

Bhuyan & Leung (2021) chose their documents by a rule, not by a list: a document is in when its
text contains ``resilien*`` AND a migrant term (``migrant*``, ``immigrant*``, ``newcomer*``,
``refugee*``) anywhere, it comes from the City of Toronto or the Province of Ontario, and it is
dated 2008-2018. The Ontario manifest is a reconstruction (shared/ontario-2008-2018.md), so
``replicate`` re-derives the corpus by this rule and reports where rule and manifest disagree.

The terms are the paper's, matched over the whole clean text, case-insensitively, as whole-word
prefixes (a term matches a word that starts with it: ``refugee*`` matches "refugees" and
"refugee-serving", not "nonrefugee"), English and French terms in every document whatever its
language (a bilingual document counts once):

- resilience: ``resilien*``, ``résilien*``;
- migrants: ``migrant*``, ``immigrant*``, ``newcomer*``, ``refugee*``, and in French ``migrant*``,
  ``immigrant*`` (immigrante, immigrants ...), ``réfugié*`` (réfugiée, réfugiés ...) and the
  phrase "nouvel arrivant" in its four forms (nouvel arrivant, nouvelle arrivante, nouveaux
  arrivants, nouvelles arrivantes).

This is narrower than the shipped codebook's ``migrants`` concept, which retrieval uses and which
adds ``immigration``, ``migration``, ``asylum seeker*``, ``undocumented``, "without status" ...:
a document that names only "undocumented residents" fails the paper's rule. How often that wider
net matches is kept beside the rule as ``codebook_migrant_hits`` (always with the shipped
``bhuyan-leung-2021`` concept, never a custom codebook's), so a reader can see the documents the
codebook could find passages in that the paper's rule would not have chosen.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from resdiscourse.codebook.load import load_codebook
from resdiscourse.codebook.query import ConceptNode
from resdiscourse.coding import prepare_text
from resdiscourse.matching.compile import CompiledCodebook, compile_codebook
from resdiscourse.rundir import CodeRun

#: The rule's two term lists (keys of :attr:`RuleCheck.matched`).
RESILIENCE, MIGRANTS = "resilience", "migrants"
#: The paper's terms: whole-word prefixes (``*``: any continuation of the word) and phrases.
PAPER_TERMS: dict[str, tuple[str, ...]] = {
    RESILIENCE: ("resilien*", "résilien*"),
    MIGRANTS: (
        "migrant*",
        "immigrant*",
        "newcomer*",
        "refugee*",
        "réfugié*",
        "nouvel arrivant",
        "nouvelle arrivante",
        "nouveaux arrivants",
        "nouvelles arrivantes",
    ),
}
#: The codebook whose wider ``migrants`` concept is counted beside the rule
#: (:attr:`RuleCheck.codebook_migrant_hits`); its concept, not the paper's, drives retrieval.
RULE_CODEBOOK = "bhuyan-leung-2021"
#: Key of :attr:`RuleCheck.matched` for the words the codebook's ``migrants`` concept matched.
CODEBOOK_MIGRANTS = "codebook_migrants"
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
    #: How often the paper's terms occur in the whole text (None: the text could not be read).
    resilience_hits: int | None = None
    migrant_hits: int | None = None
    #: How often the shipped codebook's wider ``migrants`` concept (immigration, undocumented,
    #: asylum seeker* ...) matches; not part of the rule, shown so the wider net is visible.
    codebook_migrant_hits: int | None = None
    #: The distinct words found: ``resilience`` and ``migrants`` (the paper's terms) and
    #: ``codebook_migrants`` (the codebook's concept).
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
    compiled = _shipped_codebook()
    readable = {row["doc_id"] for row in run.coded_documents()}
    checks = []
    for row in sorted(run.documents, key=lambda row: row["doc_id"]):
        listed = manifest_ids is None or row["doc_id"] in manifest_ids
        text = run.text(row["doc_id"]) if row["doc_id"] in readable else None
        checks.append(_check(row, text, compiled, listed, (first_year, last_year)))
    return checks


def disagreements(checks: list[RuleCheck]) -> list[RuleCheck]:
    """Documents the manifest lists but the rule leaves out, then those the rule takes in but the
    manifest does not list; each group in doc_id order."""
    listed_out = [check for check in checks if check.in_manifest and not check.passes]
    found_in = [check for check in checks if check.passes and not check.in_manifest]
    return listed_out + found_in


@cache
def _shipped_codebook() -> CompiledCodebook:
    """The shipped Bhuyan–Leung codebook, compiled once: its ``migrants`` concept is counted
    beside the rule, whatever codebook the run was coded with."""
    return compile_codebook(load_codebook(RULE_CODEBOOK).codebook)


def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word, case-insensitive: ``word*`` a prefix of a word, else the exact words."""
    parts = []
    for term in terms:
        words = [re.escape(word) for word in term.rstrip("*").split()]
        tail = r"\w*" if term.endswith("*") else r"(?!\w)"
        parts.append(r"\s+".join(words) + tail)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


PATTERNS = {name: _term_pattern(terms) for name, terms in PAPER_TERMS.items()}


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
    """Count the paper's terms in the text (filling ``check``); a reason per missing term list.
    The codebook's wider ``migrants`` concept is counted too, but decides nothing."""
    if text is None:
        status = row.get("code") or row.get("status") or "not read"
        return [f"the text could not be read ({status}), so the terms cannot be checked"]
    matches = {name: paper_matches(text, name) for name in PAPER_TERMS}
    matches[CODEBOOK_MIGRANTS] = _codebook_matches(text, row.get("language"), compiled)
    check.resilience_hits = len(matches[RESILIENCE])
    check.migrant_hits = len(matches[MIGRANTS])
    check.codebook_migrant_hits = len(matches[CODEBOOK_MIGRANTS])
    # The distinct words found, for a reader checking the counts.
    check.matched = {name: sorted(set(words), key=str.lower) for name, words in matches.items()}
    reasons = []
    if not check.resilience_hits:
        reasons.append("no resilien* term in the text")
    if not check.migrant_hits:
        reasons.append(
            "no migrant term (migrant*, immigrant*, newcomer*, refugee* or French) in the text"
        )
    return reasons


def paper_matches(text: str, name: str) -> list[str]:
    """The words of ``text`` that the paper's ``name`` terms (``resilience`` or ``migrants``)
    match, in text order."""
    return [match.group(0) for match in PATTERNS[name].finditer(text)]


def _codebook_matches(text: str, language: str | None, compiled: CompiledCodebook) -> list[str]:
    """The words the codebook's ``migrants`` concept matches over the whole text."""
    matcher = prepare_text(text, compiled, language=language).matcher
    starts, ends = matcher.seg.token_starts, matcher.seg.token_ends
    hits = matcher.prefetch(ConceptNode(MIGRANTS))
    return [text[starts[hit.first] : ends[hit.last - 1]] for hit in hits]


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
