"""The six findings of Bhuyan & Leung (2021) set beside the evidence of a coded run.

Each finding is checked on the retrieved segments of a ``resdiscourse code`` output folder coded
with the shipped ``bhuyan-leung-2021`` codebook: which segments carry the codes the finding rests
on (its *parts*), how many, in which documents, jurisdictions and years, a few exemplar quotes,
and the documents where the evidence is absent. A plain verdict sums it up:

- ``supported``: every part has at least :data:`MIN_SEGMENTS` segments in at least
  :data:`MIN_DOCUMENTS` documents (and, for findings about the corpus as a whole, in more than one
  jurisdiction when the corpus's passages come from several), and the finding's own checks hold;
- ``weak``: some evidence, short of that (the reasons say which part and why);
- ``not supported``: the finding's own check fails against enough evidence (finding 3: the named
  groups' deficit shares do not differ; finding 6: most passages that name a stressor do have a
  government structural remedy nearby);
- ``no evidence``: no segment carries the finding's codes;
- ``not assessable``: the run cannot say: its codebook lacks the codes the finding needs (a run
  coded with another codebook), or no document could be read.

A verdict says that the codebook found passages of the kind the paper describes, not that the
paper's reading is right; ``findings.md`` ends with what the numbers do not show. When the
documents present are not the study's whole list, :class:`Coverage` says so at the top.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from resdiscourse.ingest.outputs import write_atomic
from resdiscourse.rundir import CodeRun

Verdict = Literal["supported", "weak", "not supported", "no evidence", "not assessable"]
VERDICTS: tuple[Verdict, ...] = (
    "supported",
    "weak",
    "not supported",
    "no evidence",
    "not assessable",
)

#: A part with fewer segments than this is weak evidence.
MIN_SEGMENTS = 3
#: A part found in fewer documents than this is weak evidence (one document is one voice).
MIN_DOCUMENTS = 2
#: Finding 6: the share of stressor passages with no structural remedy nearby for the omission to
#: count as the rule rather than the exception.
ABSENCE_SHARE = 0.75
#: Finding 3: groups are told apart when their deficit shares differ by at least this much ...
MIN_GROUP_GAP = 0.25
#: ... counting only groups with at least this many segments coded deficit or asset.
MIN_GROUP_SEGMENTS = 2
#: Exemplar quotes per finding.
QUOTES = 3
#: A quote longer than this (characters) is cut on a word boundary in findings.md, as in the
#: HTML report.
QUOTE_LIMIT = 900

#: The codebook the findings' code ids come from.
CODEBOOK = "bhuyan-leung-2021"
#: Finding 4, "expected to cope": the codebook's rules that express an expectation that migrants
#: cope, bounce back or build resilience on their own: ``resp-individual-obligation``
#: (obligation or expectation words near coping or resilience), ``resp-individual-phrase``
#: ("up to newcomers", "individual resilience"), ``resp-individual-coping`` (migrants near a
#: coping word) and ``def-cope`` (a coping word near need, help, must, expected, alone ...).
COPING_RULES = frozenset(
    {"def-cope", "resp-individual-coping", "resp-individual-obligation", "resp-individual-phrase"}
)
#: The coping rules that also fire on "need help to cope" (needing support, the opposite of
#: being expected to cope alone): they count only when their evidence holds an expectation cue.
CUE_RULES = frozenset({"def-cope", "resp-individual-coping"})
#: Words of the evidence that make coping an expectation rather than a need.
EXPECTATION_CUES = ("must", "expected", "have to", "has to", "alone", "on their own")
INDIVIDUAL = "responsibility:individual"
ABSENCE_CODE = "remedy:remedy_absent"
REMEDY_CODES = ("remedy:housing", "remedy:childcare", "remedy:decent_work", "remedy:income")
STRESSOR_CODES = (
    "stressor:poverty",
    "stressor:systemic_racism",
    "stressor:precarious_employment",
    "stressor:migration_trauma",
    "stressor:discrimination",
)
RESPONSIBILITY_CODES = (
    "responsibility:individual",
    "responsibility:collective_civic",
    "responsibility:government",
)
GROUP_CODES = (
    "migrant_group:refugee",
    "migrant_group:skilled_economic",
    "migrant_group:undocumented",
    "migrant_group:youth",
    "migrant_group:generic_newcomer",
)
#: Newcomers "in general" name no category, so they do not count in telling groups apart.
GENERIC_GROUP = "migrant_group:generic_newcomer"
#: How a missing value is shown (as in the HTML report).
UNKNOWN = "(unknown)"
NO_JURISDICTION = UNKNOWN
NO_YEAR = UNKNOWN


@dataclass(frozen=True)
class Quote:
    """An exemplar: a retrieved segment's exact text and where it stands in its document."""

    text: str
    doc_id: str
    title: str
    year: str
    page: str
    page_label: str
    segment_id: str
    #: Which part of the finding the quote illustrates.
    note: str
    #: The physical page and printed label where the segment ends (equal to ``page`` and
    #: ``page_label`` when it does not span pages).
    page_end: str = ""
    page_end_label: str = ""

    @property
    def pages(self) -> str:
        """``p. 12``, ``pp. 12–13``: the printed folios (else the physical pages), with the PDF's
        physical pages in brackets when they differ from the printed ones."""
        first, last = self.page, self.page_end or self.page
        label = self.page_label or first
        end_label = self.page_end_label or (label if last == first else last)
        if (label, first) == ("", ""):
            return f"p. {UNKNOWN}"
        if last != first or end_label != label:
            printed, physical = f"pp. {label}–{end_label}", f"PDF pp. {first}–{last}"
            differs = (label, end_label) != (first, last)
        else:
            printed, physical, differs = f"p. {label}", f"PDF p. {first}", label != first
        return f"{printed} ({physical})" if differs and first else printed

    @property
    def cite(self) -> str:
        """``Title (year), p. label``: the printed folio when known, else the physical page."""
        return f"{self.title} ({self.year or UNKNOWN}), {self.pages}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DocumentRef:
    """A document and how many of a finding's evidence segments it holds."""

    doc_id: str
    title: str
    year: str
    jurisdiction: str
    segments: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Finding:
    """One finding of the paper beside its computed evidence.

    ``documents``: where the evidence appears (``segments``: its evidence segments there).
    ``absences``: what is not said: for findings 1-5 the documents with retrieved passages but
    none of this evidence; for finding 6 the documents whose resilience passages never name a
    structural remedy (``segments``: their retrieved passages).
    """

    id: int
    title: str
    claim: str
    verdict: Verdict
    reasons: list[str]
    numbers: dict[str, Any]
    quotes: list[Quote]
    documents: list[DocumentRef]
    absences: list[DocumentRef]
    #: Plain-text statements of the finding's own checks and extra numbers, for the report.
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "claim": self.claim,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "numbers": self.numbers,
            "quotes": [quote.to_dict() for quote in self.quotes],
            "documents": [doc.to_dict() for doc in self.documents],
            "absences": [doc.to_dict() for doc in self.absences],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class RunInfo:
    """What the findings were computed from, for the heading of ``findings.md``."""

    corpus: str
    codebook: str
    codebook_version: str
    codebook_sha256: str
    documents: int
    documents_read: int
    documents_with_segments: int
    segments: int
    jurisdictions: tuple[str, ...]
    years: tuple[str, ...]
    #: Manifest confidence (H/M/L, upper case; "(unknown)" when blank) -> documents, when the
    #: manifest had that column.
    confidence: dict[str, int]
    failed: tuple[str, ...] = ()
    #: The ``dimension:code`` keys of the run's codebook.
    codes: frozenset[str] = frozenset()


@dataclass
class Coverage:
    """How much of a study's document list a run holds (built by ``replicate``); findings.md
    opens with it, since the verdicts are about the documents present only.

    ``listed``: documents the study lists (reserve candidates excluded); ``present``: doc_ids
    coded; ``missing``: (doc_id, title, confidence) of listed documents not in the folder;
    ``reserves_present``: reserve candidates that are in the folder (coded);
    ``not_listed``: file names in the folder that the manifest does not list (not coded);
    ``rule_disagreements``: (doc_id, listed by the manifest?, passes the paper's rule?, reasons);
    ``lock_mismatches``: doc_ids whose file differs from the sha256 in the lock file.
    """

    listed: int
    present: list[str] = field(default_factory=list)
    missing: list[tuple[str, str, str]] = field(default_factory=list)
    reserves_present: list[str] = field(default_factory=list)
    not_listed: list[str] = field(default_factory=list)
    rule_disagreements: list[tuple[str, bool, bool, list[str]]] = field(default_factory=list)
    lock_mismatches: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "listed": self.listed,
            "present": list(self.present),
            "missing": [
                {"doc_id": doc_id, "title": title, "confidence": confidence}
                for doc_id, title, confidence in self.missing
            ],
            "reserves_present": list(self.reserves_present),
            "not_listed": list(self.not_listed),
            "rule_disagreements": [
                {"doc_id": doc_id, "listed": listed, "passes": passes, "reasons": list(reasons)}
                for doc_id, listed, passes, reasons in self.rule_disagreements
            ],
            "lock_mismatches": list(self.lock_mismatches),
        }


def run_info(run: CodeRun) -> RunInfo:
    book = run.run.get("codebook", {})
    read = run.coded_documents()
    has_confidence = any(row.get("confidence", "").strip() for row in run.documents)
    confidence = Counter(
        row.get("confidence", "").strip().upper() or UNKNOWN
        for row in run.documents
        if has_confidence
    )
    return RunInfo(
        corpus=run.name,
        codebook=str(book.get("name", "")),
        codebook_version=str(book.get("version", "")),
        codebook_sha256=str(book.get("sha256", "")),
        documents=len(run.documents),
        documents_read=len(read),
        documents_with_segments=len({row["doc_id"] for row in run.segments}),
        segments=len(run.segments),
        jurisdictions=tuple(sorted({_jurisdiction(row) for row in read})),
        years=tuple(sorted({_year(row) for row in read})),
        confidence=dict(sorted(confidence.items())),
        failed=tuple(sorted(row["doc_id"] for row in run.documents if row not in read)),
        codes=frozenset(code.key for code in run.codes()),
    )


def _jurisdiction(row: dict[str, str]) -> str:
    return row.get("jurisdiction", "").strip() or NO_JURISDICTION


def _year(row: dict[str, str]) -> str:
    return row.get("year", "").strip() or NO_YEAR


# -- the run, indexed -------------------------------------------------------------------------


@dataclass
class _Index:
    """The run's segments with their codes and rules, and its documents by id."""

    segments: list[dict[str, str]]
    codes: dict[str, frozenset[str]]
    #: segment_id -> Counter of ``dimension:code`` -> rows in codings.csv (a segment's strength).
    rules: dict[str, Counter[str]]
    rule_ids: dict[str, frozenset[str]]
    documents: dict[str, dict[str, str]]
    read: list[str]
    #: (segment_id, rule) -> the ``dimension:code`` keys the rule coded and the lower-cased
    #: words of its evidence.
    evidence: dict[tuple[str, str], tuple[set[str], list[str]]]
    #: The run's codebook: its name and its ``dimension:code`` keys.
    codebook: str
    available: frozenset[str]
    run: CodeRun

    @classmethod
    def of(cls, run: CodeRun) -> _Index:
        segments = sorted(run.segments, key=lambda row: (row["doc_id"], int(row["start"])))
        rules: dict[str, Counter[str]] = defaultdict(Counter)
        rule_ids: dict[str, set[str]] = defaultdict(set)
        evidence: dict[tuple[str, str], tuple[set[str], list[str]]] = defaultdict(
            lambda: (set(), [])
        )
        for row in run.codings:
            key = f"{row['dimension']}:{row['code']}"
            rules[row["segment_id"]][key] += 1
            rule_ids[row["segment_id"]].add(row["rule"])
            keys, words = evidence[(row["segment_id"], row["rule"])]
            keys.add(key)
            words += [word.strip().lower() for word in row.get("evidence_text", "").split(" | ")]
        codes = {key: frozenset(value) for key, value in run.segment_codes().items()}
        return cls(
            segments,
            codes,
            dict(rules),
            {key: frozenset(value) for key, value in rule_ids.items()},
            {row["doc_id"]: row for row in run.documents},
            sorted(row["doc_id"] for row in run.coded_documents()),
            dict(evidence),
            str(run.run.get("codebook", {}).get("name", "")),
            frozenset(code.key for code in run.codes()),
            run,
        )

    def select(self, test: Callable[[str], bool]) -> list[dict[str, str]]:
        return [row for row in self.segments if test(row["segment_id"])]

    def has(self, *keys: str) -> Callable[[str], bool]:
        """A test: the segment has any of ``keys``."""
        return lambda sid: not self.codes.get(sid, frozenset()).isdisjoint(keys)

    def fired(self, rules: frozenset[str]) -> Callable[[str], bool]:
        """A test: one of ``rules`` coded the segment."""
        return lambda sid: not self.rule_ids.get(sid, frozenset()).isdisjoint(rules)

    def jurisdictions(self) -> set[str]:
        return {_jurisdiction(row) for row in self.segments}

    def ref(self, doc_id: str, segments: int) -> DocumentRef:
        row = self.documents.get(doc_id, {})
        title = row.get("title", "") or doc_id
        return DocumentRef(doc_id, title, row.get("year", ""), _jurisdiction(row), segments)


def _both(*tests: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda sid: all(test(sid) for test in tests)


# -- parts: a set of evidence segments and its assessment ---------------------------------------


@dataclass
class _Part:
    name: str
    label: str
    segments: list[dict[str, str]]
    #: Codes whose codings make a segment a stronger exemplar (more rules fired).
    keys: tuple[str, ...]
    #: Whether the evidence must come from more than one jurisdiction (corpus-wide claims).
    spread: bool = True


def _count_by(rows: Iterable[dict[str, str]], key: Callable[[dict[str, str]], str]) -> Counter[str]:
    return Counter(key(row) for row in rows)


def _part_numbers(part: _Part, index: _Index) -> dict[str, Any]:
    total = len(index.segments)
    found = len(part.segments)
    docs = {row["doc_id"] for row in part.segments}
    return {
        "label": part.label,
        "segments": found,
        "share": _share(found, total),
        "documents": len(docs),
        "by_jurisdiction": _breakdown(part.segments, index.segments, _jurisdiction),
        "by_year": _breakdown(part.segments, index.segments, _year),
    }


def _breakdown(
    rows: list[dict[str, str]], every: list[dict[str, str]], key: Callable[[dict[str, str]], str]
) -> dict[str, dict[str, Any]]:
    found, totals = _count_by(rows, key), _count_by(every, key)
    return {
        name: {"segments": found[name], "of": totals[name], "share": _share(found[name], n)}
        for name, n in sorted(totals.items())
    }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _weakness(part: _Part, index: _Index) -> list[str]:
    """Why a part's evidence is weak (empty when it is strong enough)."""
    docs = {row["doc_id"] for row in part.segments}
    reasons = []
    if len(part.segments) < MIN_SEGMENTS:
        reasons.append(
            f"{part.label}: {_n(len(part.segments), 'segment')} (fewer than {MIN_SEGMENTS})"
        )
    if len(docs) < MIN_DOCUMENTS:
        reasons.append(f"{part.label}: {_n(len(docs), 'document')} (fewer than {MIN_DOCUMENTS})")
    places = {_jurisdiction(row) for row in part.segments}
    corpus = index.jurisdictions()
    if part.spread and len(places) == 1 and len(corpus) > 1:
        reasons.append(
            f"{part.label}: only in {next(iter(places))}, while the retrieved passages come "
            f"from {len(corpus)} jurisdictions"
        )
    return reasons


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _verdict(
    parts: Sequence[_Part], index: _Index, checks: list[str], contrary: Sequence[str] = ()
) -> tuple[Verdict, list[str]]:
    """``not supported`` when a finding's own check fails against enough evidence
    (``contrary``); ``no evidence`` when no part has a segment; ``weak`` when a part is empty or
    weak or a finding's own check (``checks``: failures short of contrary) fails; else
    ``supported``."""
    reasons = []
    for part in parts:
        if not part.segments:
            reasons.append(f"{part.label}: no segment")
        else:
            reasons += _weakness(part, index)
    if contrary:
        return "not supported", [*contrary, *checks, *reasons]
    if not any(part.segments for part in parts):
        labels = "; ".join(part.label for part in parts)
        return "no evidence", [f"no retrieved segment is coded for: {labels}", *checks]
    reasons += checks
    return ("weak" if reasons else "supported"), reasons


# -- quotes and documents ---------------------------------------------------------------------


def _strength(index: _Index, row: dict[str, str], keys: tuple[str, ...]) -> tuple[int, int]:
    """How well a segment shows a part: how many of its codes it has, then how many rules fired
    for them (more rules, more ways the text says it)."""
    rules = index.rules.get(row["segment_id"], Counter())
    return sum(1 for key in keys if rules[key]), sum(rules[key] for key in keys)


def _weakest_first(index: _Index, row: dict[str, str], keys: tuple[str, ...]) -> tuple[int, int]:
    """A sort key that puts the strongest segment first."""
    codes, rules = _strength(index, row, keys)
    return -codes, -rules


def _ranked(part: _Part, index: _Index) -> list[dict[str, str]]:
    """A part's segments in exemplar order: one per document in turn (documents with the
    strongest segment first), each document's strongest first; ties by position. Deterministic."""
    by_doc: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in part.segments:
        by_doc[row["doc_id"]].append(row)
    queues = []
    for doc_id, rows in by_doc.items():
        rows.sort(key=lambda row: (_weakest_first(index, row, part.keys), int(row["start"])))
        queues.append((_weakest_first(index, rows[0], part.keys), doc_id, rows))
    queues.sort(key=lambda item: (item[0], item[1]))
    ranked: list[dict[str, str]] = []
    for turn in range(max((len(rows) for _, _, rows in queues), default=0)):
        ranked += [rows[turn] for _, _, rows in queues if turn < len(rows)]
    return ranked


def _quotes(parts: Sequence[_Part], index: _Index) -> list[Quote]:
    """Up to :data:`QUOTES` exemplars, taking the parts in turn so that each is illustrated."""
    lists = [(part, _ranked(part, index)) for part in parts]
    chosen: list[Quote] = []
    seen: set[str] = set()
    for turn in range(max((len(rows) for _, rows in lists), default=0)):
        for part, rows in lists:
            if turn < len(rows) and rows[turn]["segment_id"] not in seen:
                seen.add(rows[turn]["segment_id"])
                chosen.append(_quote(rows[turn], index, part.label))
    return chosen[:QUOTES]


def _quote(row: dict[str, str], index: _Index, note: str) -> Quote:
    ref = index.ref(row["doc_id"], 0)
    page, page_end = row.get("page", ""), row.get("page_end", "") or row.get("page", "")
    end_label = row.get("page_label", "")
    if page_end != page:
        end = int(row["end"]) if row.get("end", "").isdigit() else 0
        end_label = index.run.page_map(row["doc_id"]).label_at(max(end - 1, 0)) or page_end
    return Quote(
        text=row["text"],
        doc_id=row["doc_id"],
        title=ref.title,
        year=row.get("year", "") or ref.year,
        page=page,
        page_label=row.get("page_label", ""),
        segment_id=row["segment_id"],
        note=note,
        page_end=page_end,
        page_end_label=end_label,
    )


def _documents(parts: Sequence[_Part], index: _Index) -> list[DocumentRef]:
    found: dict[str, set[str]] = defaultdict(set)
    for part in parts:
        for row in part.segments:
            found[row["doc_id"]].add(row["segment_id"])
    return _refs(index, {doc_id: len(ids) for doc_id, ids in found.items()})


def _refs(index: _Index, counts: dict[str, int]) -> list[DocumentRef]:
    refs = [index.ref(doc_id, n) for doc_id, n in counts.items()]
    return sorted(refs, key=lambda ref: (ref.year, ref.doc_id))


def _without(index: _Index, documents: list[DocumentRef]) -> list[DocumentRef]:
    """Documents with retrieved passages that hold none of the evidence (``segments``: how many
    retrieved passages they have)."""
    have = {ref.doc_id for ref in documents}
    retrieved = _count_by(index.segments, lambda row: row["doc_id"])
    return _refs(index, {d: n for d, n in retrieved.items() if d not in have})


# -- the six findings -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    id: int
    title: str
    claim: str


SPECS = (
    _Spec(
        1,
        "Resilience as an attribute newcomers embody",
        "Resilience is framed as an attribute that newcomers embody "
        '("refugees have shown remarkable resilience").',
    ),
    _Spec(
        2,
        "Resilience as a resource for the city or province",
        "Immigrants are framed as a resource for the resilience and prosperity of the city or "
        "province (skilled immigrants build economic resilience).",
    ),
    _Spec(
        3,
        "Deficit versus asset, and which migrants are which",
        "The texts identify which immigrants are in deficit (needing support to cope with pre- "
        "and post-migration stressors) and which are assets (skills, capabilities, contribution).",
    ),
    _Spec(
        4,
        "Refugees admired yet expected to cope; skilled migrants an economic resource",
        "Refugees are admired for their resilience yet expected to cope, while skilled migrants "
        "are framed as an economic resource.",
    ),
    _Spec(
        5,
        "Civic resiliency: a civic, collective, attitudinal matter",
        'Toronto For All\'s "civic resiliency" makes resilience a civic, collective and '
        "attitudinal matter (residents' biases), that is, a matter of individual responsibility.",
    ),
    _Spec(
        6,
        "Stressors named, government responsibility for structural remedies omitted",
        "The documents name poverty, systemic racism and precarious work but omit government "
        "responsibility for structural solutions (housing, childcare, decent work, income).",
    ),
)


#: The codes (``dimension:code``) each finding rests on: without them it is not assessable.
NEEDS: dict[int, tuple[str, ...]] = {
    1: ("locus:attribute",),
    2: ("locus:resource", "function:economic_contribution", "migrant_group:skilled_economic"),
    3: ("valence:deficit", "valence:asset", *GROUP_CODES),
    4: (
        "migrant_group:refugee",
        "migrant_group:skilled_economic",
        "valence:asset",
        "valence:deficit",
        INDIVIDUAL,
        "locus:resource",
        "function:economic_contribution",
    ),
    5: ("locus:civic", *RESPONSIBILITY_CODES),
    6: (*STRESSOR_CODES, *REMEDY_CODES, ABSENCE_CODE, "responsibility:government"),
}


def compute_findings(run: CodeRun) -> list[Finding]:
    """The evidence for each of the six findings, in order."""
    index = _Index.of(run)
    builders = (_finding_1, _finding_2, _finding_3, _finding_4, _finding_5, _finding_6)
    findings = []
    for spec, build in zip(SPECS, builders, strict=True):
        missing = missing_codes(spec.id, index.available)
        if not index.read:
            findings.append(_not_assessable(spec, index, [NO_DOCUMENT_READ], missing))
        elif missing:
            reason = (
                f"the run's codebook ({index.codebook or UNKNOWN}) lacks the codes this finding "
                f"needs: {', '.join(missing)}"
            )
            findings.append(_not_assessable(spec, index, [reason], missing))
        else:
            findings.append(build(spec, index))
    return findings


NO_DOCUMENT_READ = "no document of the run could be read, so there is no text to assess"


def missing_codes(finding: int, available: Iterable[str]) -> list[str]:
    """The codes finding ``finding`` needs that a codebook with ``available`` codes lacks."""
    have = set(available)
    return [code for code in NEEDS[finding] if code not in have]


def _not_assessable(spec: _Spec, index: _Index, reasons: list[str], missing: list[str]) -> Finding:
    numbers = {
        "retrieved_segments": len(index.segments),
        "documents_read": len(index.read),
        "parts": {},
        "missing_codes": missing,
    }
    return Finding(spec.id, spec.title, spec.claim, "not assessable", reasons, numbers, [], [], [])


def _finding(
    spec: _Spec,
    index: _Index,
    parts: Sequence[_Part],
    *,
    checks: list[str] | None = None,
    contrary: Sequence[str] = (),
    extra: dict[str, Any] | None = None,
    notes: list[str] | None = None,
    absences: list[DocumentRef] | None = None,
) -> Finding:
    verdict, reasons = _verdict(parts, index, checks or [], contrary)
    documents = _documents(parts, index)
    numbers = {
        "retrieved_segments": len(index.segments),
        "documents_read": len(index.read),
        "parts": {part.name: _part_numbers(part, index) for part in parts},
        **(extra or {}),
    }
    return Finding(
        spec.id,
        spec.title,
        spec.claim,
        verdict,
        reasons,
        numbers,
        _quotes(parts, index),
        documents,
        _without(index, documents) if absences is None else absences,
        notes or [],
    )


def _finding_1(spec: _Spec, index: _Index) -> Finding:
    key = "locus:attribute"
    # Exemplars: resilience shown as a trait (attribute + asset) before the rest.
    part = _Part(
        "attribute",
        "resilience located in migrants (locus:attribute)",
        [],
        (key, "valence:asset"),
    )
    part.segments = index.select(index.has(key))
    return _finding(spec, index, [part])


def _finding_2(spec: _Spec, index: _Index) -> Finding:
    resource, economic = "locus:resource", "function:economic_contribution"
    part = _Part(
        "resource", "migrants as a resource for the place (locus:resource)", [], (resource,)
    )
    part.segments = index.select(index.has(resource))
    economy = index.select(index.has(economic))
    both = index.select(_both(index.has(resource), index.has(economic)))
    skilled = index.select(_both(index.has(resource), index.has("migrant_group:skilled_economic")))
    notes = [
        f"{len(economy)} segments are coded {economic}; "
        f"{len(both)} of the {len(part.segments)} resource segments are also economic.",
        f"{len(skilled)} of the resource segments name skilled or economic migrants.",
    ]
    extra = {
        "economic_contribution": len(economy),
        "resource_and_economic": len(both),
        "resource_and_skilled": len(skilled),
    }
    return _finding(spec, index, [part], extra=extra, notes=notes)


def _finding_3(spec: _Spec, index: _Index) -> Finding:
    parts = [
        _Part("deficit", "migrants in deficit (valence:deficit)", [], ("valence:deficit",)),
        _Part("asset", "migrants as assets (valence:asset)", [], ("valence:asset",)),
    ]
    for part in parts:
        part.segments = index.select(index.has(*part.keys))
    table = _valence_by_group(index)
    check, contrary, notes = _groups_told_apart(table)
    extra = {"valence_by_group": table}
    return _finding(spec, index, parts, checks=check, contrary=contrary, extra=extra, notes=notes)


def _valence_by_group(index: _Index) -> dict[str, dict[str, int]]:
    """migrant_group code -> segments coded deficit / asset (a segment may name several groups)."""
    table = {}
    for group in GROUP_CODES:
        rows = index.select(index.has(group))
        table[group.split(":", 1)[1]] = {
            "segments": len(rows),
            "deficit": len(_keep(rows, index.has("valence:deficit"))),
            "asset": len(_keep(rows, index.has("valence:asset"))),
        }
    return table


def _keep(rows: list[dict[str, str]], test: Callable[[str], bool]) -> list[dict[str, str]]:
    return [row for row in rows if test(row["segment_id"])]


def _groups_told_apart(
    table: dict[str, dict[str, int]],
) -> tuple[list[str], list[str], list[str]]:
    """Whether named groups differ in how often they are framed as in deficit: the gap between
    the highest and the lowest deficit share among groups with enough valence-coded segments.
    Returns (weakening checks, contrary checks, notes): too few groups to tell is weak; groups
    that do not differ are contrary evidence."""
    generic = GENERIC_GROUP.split(":", 1)[1]
    shares = {
        group: counts["deficit"] / (counts["deficit"] + counts["asset"])
        for group, counts in table.items()
        if group != generic and counts["deficit"] + counts["asset"] >= MIN_GROUP_SEGMENTS
    }
    if len(shares) < 2:
        return (
            [
                f"fewer than two named migrant groups have {MIN_GROUP_SEGMENTS} or more segments "
                "coded deficit or asset, so the texts cannot be shown to tell groups apart"
            ],
            [],
            [],
        )
    most = max(sorted(shares), key=lambda group: shares[group])
    least = min(sorted(shares), key=lambda group: shares[group])
    gap = shares[most] - shares[least]
    note = (
        f"Most often in deficit: {most} ({_pct(shares[most])} of its deficit/asset segments); "
        f"least often: {least} ({_pct(shares[least])}); gap {_pct(gap)}."
    )
    if gap < MIN_GROUP_GAP:
        return (
            [],
            [
                f"the named groups' deficit shares differ by less than {_pct(MIN_GROUP_GAP)} "
                f"({_pct(gap)}): the texts do not tell groups apart as in deficit or assets"
            ],
            [note],
        )
    return [], [], [note]


def _pct(share: float) -> str:
    return f"{share * 100:.1f} %"


def _finding_4(spec: _Spec, index: _Index) -> Finding:
    refugee, skilled = (
        index.has("migrant_group:refugee"),
        index.has("migrant_group:skilled_economic"),
    )
    expects = _expects_coping(index)
    admired = _Part(
        "refugee_admired",
        "refugees admired (refugee + valence:asset)",
        [],
        ("valence:asset", "locus:attribute"),
    )
    cope = _Part(
        "refugee_cope",
        "refugees expected to cope on their own (refugee + coping-expectation language: "
        "responsibility:individual or a coping rule with an expectation cue)",
        [],
        (INDIVIDUAL, "valence:deficit"),
    )
    resource = _Part(
        "skilled_resource",
        "skilled migrants as an economic resource (skilled_economic + resource or economic)",
        [],
        ("locus:resource", "function:economic_contribution"),
    )
    admired.segments = index.select(_both(refugee, index.has("valence:asset")))
    cope.segments = index.select(_both(refugee, expects))
    resource.segments = index.select(_both(skilled, index.has(*resource.keys)))
    # Refugees framed as needing support (deficit) are not thereby expected to cope alone.
    needing = index.select(_both(refugee, index.has("valence:deficit")))
    needing_only = [row for row in needing if not expects(row["segment_id"])]
    both_docs = sorted(
        {row["doc_id"] for row in admired.segments} & {row["doc_id"] for row in cope.segments}
    )
    checks = []
    if not cope.segments:
        checks.append(
            "no passage about refugees says they are expected to cope, bounce back or build "
            "resilience on their own (responsibility:individual or a coping rule with an "
            "expectation cue); "
            f"{_n(len(needing), 'refugee passage')} coded deficit say refugees need support, "
            "which is not the same as being expected to cope alone"
        )
    elif admired.segments and not both_docs:
        checks.append(
            "no document both admires refugees' resilience and expects them to cope (the "
            "paper's 'yet')"
        )
    coping_all = index.select(expects)
    notes = [
        f"Documents where refugees are both admired and expected to cope (the 'yet'): "
        f"{len(both_docs)}{': ' + ', '.join(both_docs) if both_docs else ''}.",
        f"Refugee passages coded deficit (refugees needing support): {len(needing)}, of which "
        f"{len(needing_only)} carry no coping-expectation language.",
        "Passages with coping-expectation language (responsibility:individual by an "
        f"obligation or self-reliance rule, or {' or '.join(sorted(CUE_RULES))} with an "
        f"expectation cue: {', '.join(EXPECTATION_CUES)}): "
        f"{len(coping_all)}, of which {len(_keep(coping_all, refugee))} name refugees.",
    ]
    extra = {
        "documents_admired_and_cope": both_docs,
        "admired_and_cope_same_document": bool(both_docs),
        "refugee_deficit_segments": len(needing),
        "refugee_deficit_without_coping_segments": len(needing_only),
        "coping_rule_segments": len(coping_all),
        "coping_rule_refugee_segments": len(_keep(coping_all, refugee)),
    }
    return _finding(spec, index, [admired, cope, resource], checks=checks, extra=extra, notes=notes)


_CUES = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(cue) for cue in EXPECTATION_CUES) + r")(?!\w)"
)


def _expects_coping(index: _Index) -> Callable[[str], bool]:
    """A test: the segment says migrants are expected to cope on their own: a rule other than
    :data:`CUE_RULES` coded it ``responsibility:individual`` (an obligation, "up to
    newcomers"), or one of :data:`CUE_RULES` fired with an expectation cue in its evidence
    ("expected to cope", "must cope", "cope alone"; not "need help to cope")."""

    def test(sid: str) -> bool:
        for rule in sorted(index.rule_ids.get(sid, frozenset())):
            keys, words = index.evidence.get((sid, rule), (set(), []))
            if INDIVIDUAL in keys and rule not in CUE_RULES:
                return True
            if rule in CUE_RULES and _CUES.search(" ".join(words)):
                return True
        return False

    return test


def _finding_5(spec: _Spec, index: _Index) -> Finding:
    civic_key = "locus:civic"
    on_people = ("responsibility:collective_civic", "responsibility:individual")
    # The paper places civic resiliency in one City campaign: one jurisdiction is not a weakness.
    civic = _Part(
        "civic", "civic resilience (locus:civic)", [], (civic_key, *on_people), spread=False
    )
    residents = _Part(
        "civic_on_residents",
        "civic resilience placed on residents or individuals "
        "(locus:civic + responsibility:collective_civic or individual)",
        [],
        (civic_key, *on_people),
        spread=False,
    )
    civic.segments = index.select(index.has(civic_key))
    residents.segments = _keep(civic.segments, index.has(*on_people))
    government = _keep(civic.segments, index.has("responsibility:government"))
    attitudes = _keep(
        civic.segments, index.has("stressor:discrimination", "stressor:systemic_racism")
    )
    overall = {
        key.split(":", 1)[1]: len(index.select(index.has(key))) for key in RESPONSIBILITY_CODES
    }
    notes = [
        f"Of {len(civic.segments)} civic segments, {len(residents.segments)} place responsibility "
        f"on residents or individuals and {len(government)} on government.",
        f"{len(attitudes)} civic segments name prejudice, discrimination or racism "
        "(the residents' attitudes of civic resiliency).",
        "Responsibility over all retrieved segments: "
        + ", ".join(f"{key} {n}" for key, n in overall.items())
        + ".",
    ]
    extra = {
        "civic_government": len(government),
        "civic_attitudes": len(attitudes),
        "responsibility": overall,
    }
    return _finding(spec, index, [civic, residents], extra=extra, notes=notes)


def _finding_6(spec: _Spec, index: _Index) -> Finding:
    absent = index.has(ABSENCE_CODE)
    stressed = index.select(index.has(*STRESSOR_CODES))
    part = _Part(
        "stressor_no_remedy",
        "stressors named with no government structural remedy nearby "
        "(stressor:* + remedy:remedy_absent)",
        _keep(stressed, absent),
        STRESSOR_CODES,
    )
    remedied = index.select(index.has(*REMEDY_CODES))
    silent = _documents_without_remedy(index)
    share = _share(len(part.segments), len(stressed))
    checks, contrary = [], []
    if stressed and share < ABSENCE_SHARE:
        check = (
            f"only {_pct(share)} of the {_n(len(stressed), 'passage')} that name a stressor lack "
            f"a government structural remedy nearby (fewer than {_pct(ABSENCE_SHARE)})"
        )
        if len(stressed) >= MIN_SEGMENTS:
            contrary.append(check + ": most name one")
        else:
            checks.append(check)
    if index.segments and not silent:
        checks.append("every document names a structural remedy near some resilience passage")
    extra = {
        "stressor_segments": len(stressed),
        "stressor_no_remedy_share": share,
        "by_stressor": {
            key.split(":", 1)[1]: len(index.select(index.has(key))) for key in STRESSOR_CODES
        },
        "remedy_absent_segments": len(index.select(absent)),
        "remedy_absent_share": _share(len(index.select(absent)), len(index.segments)),
        "remedy_segments": len(remedied),
        "government_responsibility_segments": len(
            index.select(index.has("responsibility:government"))
        ),
        "documents_without_remedy": [ref.doc_id for ref in silent],
        "documents_with_remedy": sorted({row["doc_id"] for row in remedied}),
    }
    notes = _notes_6(extra, len(part.segments), len(index.segments))
    return _finding(
        spec,
        index,
        [part],
        checks=checks,
        contrary=contrary,
        extra=extra,
        notes=notes,
        absences=silent,
    )


def _notes_6(extra: dict[str, Any], found: int, total: int) -> list[str]:
    by_stressor = ", ".join(f"{key} {n}" for key, n in extra["by_stressor"].items())
    return [
        f"{extra['stressor_segments']} segments name a stressor ({by_stressor}); {found} of them "
        f"({_pct(extra['stressor_no_remedy_share'])}) have no government structural remedy within "
        "two sentences.",
        f"{extra['remedy_absent_segments']} of {total} retrieved segments "
        f"({_pct(extra['remedy_absent_share'])}) have no structural remedy nearby; "
        f"{extra['remedy_segments']} name one, and {extra['government_responsibility_segments']} "
        "place responsibility on government.",
        f"{len(extra['documents_without_remedy'])} documents never name a structural remedy near "
        "a resilience passage (listed under absences).",
    ]


def _documents_without_remedy(index: _Index) -> list[DocumentRef]:
    """Documents with retrieved passages none of which has a structural remedy nearby: the
    per-document absence (documents.csv ``remedy:remedy_absent:document`` = yes)."""
    counts = _count_by(index.segments, lambda row: row["doc_id"])
    remedied = {row["doc_id"] for row in index.select(index.has(*REMEDY_CODES))}
    return _refs(index, {doc: n for doc, n in counts.items() if doc not in remedied})


# -- findings.md ------------------------------------------------------------------------------

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
    f"{MIN_DOCUMENTS} documents, {_pct(ABSENCE_SHARE)} for the absence, a gap of "
    f"{_pct(MIN_GROUP_GAP)} between groups) are conventions of this tool, not of the paper.",
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
        f"- Corpus: **{md_text(info.corpus)}**: {_n(info.documents, 'document')}, "
        f"{info.documents_read} read, {info.documents_with_segments} with at least one passage "
        f"where resilience and migrants co-occur; {_n(info.segments, 'retrieved segment')}.",
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
        f"- {present} of {_n(coverage.listed, 'listed document')} present "
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
            f"the {_n(len(coverage.present), 'document')} present ({info.documents_read} read) of "
            f"the {coverage.listed} the study lists, not about the study's whole corpus"
        )
    else:
        about = f"the {_n(info.documents_read, 'document')} read in this run"
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
        f"retrieved segments ({_pct(part['share'])}), in {part['documents']} of "
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
        f"{md_text(name)} {cell['segments']} of {cell['of']} ({_pct(cell['share'])})"
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


def clip_quote(text: str, limit: int = QUOTE_LIMIT) -> tuple[str, bool]:
    """``text`` with whitespace collapsed, cut to at most ``limit`` characters on a word
    boundary; and whether it was cut (findings.md then adds " […]")."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat, False
    head = flat[: limit + 1]
    cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else flat[:limit]).rstrip(), True


def _document_lines(heading: str, refs: Sequence[DocumentRef], unit: str) -> list[str]:
    if not refs:
        return [f"**{heading}:** none.", ""]
    lines = [f"**{heading}:**", ""]
    for ref in refs:
        lines.append(
            f"- *{md_text(ref.title)}* ({md_text(ref.year or UNKNOWN)}, "
            f"{md_text(ref.jurisdiction)}): {_n(ref.segments, unit)}"
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
