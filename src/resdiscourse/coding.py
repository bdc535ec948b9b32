"""Coding: a compiled codebook applied to retrieved segments, with a decision trace.

For each dimension, each rule's query is evaluated in the segment (widened by the dimension's
window); negation and ``unless`` exclusions can stop a rule; an exclusive dimension keeps the code
of the highest-priority fired rule (ties: the code listed first); absence codes fire when none of
their codes did. The trace says which rule fired on which words, and with ``explain`` which rules
nearly fired and why they did not.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from resdiscourse.codebook.query import Node
from resdiscourse.ingest.language import DEFAULT_LANGUAGES, LanguagePart, mixed_parts
from resdiscourse.matching.compile import CompiledCodebook, CompiledDimension, CompiledRule
from resdiscourse.matching.matcher import Hit, Match, Matcher, TermIndex, positive_atoms
from resdiscourse.models import Block
from resdiscourse.retrieve import Segment, retrieve
from resdiscourse.segment import SegmentedText, count_words, segment_text

# spaCy comes with the pipelines (nlp.py): imported where a text is segmented, so that coding a
# segmentation from the cache (matcher_for) never loads it.
if TYPE_CHECKING:
    from resdiscourse.nlp import Pipeline


@dataclass(frozen=True)
class Evidence:
    """Words that made a rule fire: offsets into the clean text, their text and the term/concept."""

    start: int
    end: int
    text: str
    term: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "term": self.term}


@dataclass(frozen=True)
class Coding:
    dimension: str
    code: str
    rule_id: str  # "absent" for an absence code
    evidence: tuple[Evidence, ...]
    #: The strength of the rule that gave the code (``strong`` | ``weak``).
    strength: str = "strong"

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "code": self.code,
            "rule": self.rule_id,
            "strength": self.strength,
            "evidence": [item.to_dict() for item in self.evidence],
        }


@dataclass(frozen=True)
class TraceEntry:
    """A decision about one rule: ``fired``, ``lost`` (tie-break), ``hinted`` (a ``hint`` rule
    matched: it gives no code), ``negated``, ``excluded``, ``no match`` (some of its words were
    there) or ``absent``; or about a whole dimension:
    ``skipped`` (the segment lacks the codes its ``requires:`` names, or its ``when:`` query does
    not match)."""

    dimension: str
    code: str
    rule_id: str
    outcome: str
    detail: str
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "code": self.code,
            "rule": self.rule_id,
            "outcome": self.outcome,
            "detail": self.detail,
            "evidence": [item.to_dict() for item in self.evidence],
        }


@dataclass
class CodedSegment:
    doc_id: str
    segment: Segment
    text: str
    #: The retrieval query's words in this segment.
    matched: tuple[Evidence, ...]
    codings: list[Coding] = field(default_factory=list)
    trace: list[TraceEntry] = field(default_factory=list)
    #: Why a person should check this segment's coding (empty: no review needed).
    review_reasons: list[str] = field(default_factory=list)

    @property
    def review(self) -> bool:
        """Whether a dimension with ``review: true`` was decided by a weak rule or a close
        tie-break (docs/codebook.md, "Strength and review")."""
        return bool(self.review_reasons)

    @property
    def segment_id(self) -> str:
        return self.segment.segment_id(self.doc_id)

    @property
    def start(self) -> int:
        return self.segment.start

    @property
    def end(self) -> int:
        return self.segment.end

    def codes(self, dimension: str) -> list[str]:
        """The codes of a dimension this segment got, in codebook order, once each."""
        return list(dict.fromkeys(c.code for c in self.codings if c.dimension == dimension))

    def to_dict(self) -> dict[str, Any]:
        return {
            "segment_id": self.segment_id,
            "doc_id": self.doc_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "matched": [item.to_dict() for item in self.matched],
            "codings": [coding.to_dict() for coding in self.codings],
            "review": self.review,
            "review_reasons": list(self.review_reasons),
            "trace": [entry.to_dict() for entry in self.trace],
        }


class _RuleResult(NamedTuple):
    """(A named tuple: one is made for every rule in every segment.)"""

    rule: CompiledRule
    matches: list[Match]
    outcome: str  # fired | negated | excluded | no match
    detail: str
    near: bool  # for a rule that did not fire: some of its words were in the scope


class SegmentCoder:
    """Codes the segments of one document."""

    def __init__(
        self, codebook: CompiledCodebook, matcher: Matcher, *, explain: bool = False
    ) -> None:
        self.codebook = codebook
        self.matcher = matcher
        self.explain = explain

    def code(self, doc_id: str, segment: Segment) -> CodedSegment:
        seg = self.matcher.seg
        coded = CodedSegment(
            doc_id,
            segment,
            seg.text[segment.start : segment.end],
            self.evidence([hit for match in segment.matches for hit in match.hits]),
        )
        for dimension in self.codebook.dimensions:
            self._code_dimension(coded, dimension)
        return coded

    def evidence(self, hits: list[Hit]) -> tuple[Evidence, ...]:
        seg = self.matcher.seg
        unique = sorted(set(hits), key=lambda hit: (hit.first, hit.last, hit.label))
        return tuple(
            Evidence(
                seg.token_starts[hit.first],
                seg.token_ends[hit.last - 1],
                self.matcher.text_of(hit),
                hit.label,
            )
            for hit in unique
        )

    def _scope(self, segment: Segment, window: int) -> tuple[int, int, str]:
        sentences = self.matcher.seg.sentences
        first = max(0, segment.sentence_first - window)
        last = min(len(sentences), segment.sentence_last + window)
        where = f"sentences {first + 1}-{last}" if window else "the segment"
        if segment.lead_in is not None and segment.lead_in < first:
            # A list item is read with its lead-in ("Newcomers have: • shown resilience").
            first, where = segment.lead_in, where + " and its list's lead-in"
        return sentences[first].first, sentences[last - 1].last, where

    def _code_dimension(self, coded: CodedSegment, dimension: CompiledDimension) -> None:
        if not _has_any(coded, dimension.requires):
            detail = f"needs one of {', '.join(dimension.requires)}"
            coded.trace.append(TraceEntry(dimension.id, "", "", "skipped", detail))
            return
        first, last, where = self._scope(coded.segment, dimension.window)
        if dimension.when is not None and not self.matcher.evaluate(dimension.when, first, last):
            detail = f"its when: {dimension.when} does not match"
            coded.trace.append(TraceEntry(dimension.id, "", "", "skipped", detail))
            return
        results = [
            self.apply_rule(rule, first, last)
            if _has_any(coded, rule.requires)
            else _RuleResult(
                rule, [], "no match", f"needs one of {', '.join(rule.requires)}", False
            )
            for code in dimension.codes
            if code.absent_of is None
            for rule in code.rules
        ]
        matched = [result for result in results if result.outcome == "fired"]
        fired = [result for result in matched if result.rule.strength != "hint"]
        hints = [result for result in matched if result.rule.strength == "hint"]
        winner = self._winner(dimension, fired) if dimension.exclusive else None
        for result in hints:
            evidence = self.evidence([hit for match in result.matches for hit in match.hits])
            self._trace(coded, result.rule, "hinted", "a hint: it gives no code", evidence)
        for result in fired:
            rule = result.rule
            evidence = self.evidence([hit for match in result.matches for hit in match.hits])
            if winner is None or rule.code == winner.code:
                coding = Coding(dimension.id, rule.code, rule.id, evidence, rule.strength)
                coded.codings.append(coding)
                self._trace(coded, rule, "fired", "", evidence)
            else:
                detail = f"{dimension.id} is exclusive: {winner.code} won (rule {winner.id})"
                self._trace(coded, rule, "lost", detail, evidence)
        if dimension.review:
            coded.review_reasons.extend(_review_reasons(dimension, fired, winner))
            if not fired:
                coded.review_reasons.extend(_hint_reasons(dimension, hints))
        for result in results:
            if result.outcome != "fired" and self.explain and result.near:
                evidence = self.evidence([hit for match in result.matches for hit in match.hits])
                self._trace(coded, result.rule, result.outcome, result.detail, evidence)
        self._absences(coded, dimension, where)

    def _winner(
        self, dimension: CompiledDimension, fired: list[_RuleResult]
    ) -> CompiledRule | None:
        order = {code.id: index for index, code in enumerate(dimension.codes)}
        best = max(fired, key=lambda r: (r.rule.priority, -order[r.rule.code]), default=None)
        return best.rule if best else None

    def _absences(self, coded: CodedSegment, dimension: CompiledDimension, where: str) -> None:
        given = set(coded.codes(dimension.id))
        for code in dimension.codes:
            if code.absent_of is None or given & set(code.absent_of):
                continue
            coded.codings.append(Coding(dimension.id, code.id, "absent", ()))
            detail = f"none of {', '.join(code.absent_of)} in {where}"
            coded.trace.append(TraceEntry(dimension.id, code.id, "absent", "absent", detail))

    def _trace(
        self,
        coded: CodedSegment,
        rule: CompiledRule,
        outcome: str,
        detail: str,
        evidence: tuple[Evidence, ...],
    ) -> None:
        coded.trace.append(
            TraceEntry(rule.dimension, rule.code, rule.id, outcome, detail, evidence)
        )

    def apply_rule(self, rule: CompiledRule, first: int, last: int) -> _RuleResult:
        matcher = self.matcher
        if not self.explain and not all(matcher.hits(atom, first, last) for atom in rule.required):
            return _RuleResult(rule, [], "no match", "", False)  # a word it needs is missing
        matches = matcher.evaluate(rule.match, first, last)
        if not matches:
            detail = matcher.explain(rule.match, first, last) if self.explain else ""
            near = self.explain and self._some_words(rule.match, first, last)
            return _RuleResult(rule, [], "no match", detail, near)
        if rule.negation is not None:
            kept = [
                match for match in matches if not self._negated(match, rule.negation, first, last)
            ]
            if not kept:
                detail = self._negation_detail(matches[0], rule.negation, first, last)
                return _RuleResult(rule, matches, "negated", detail, True)
            matches = kept
        for index, query in enumerate(rule.unless):
            excluded = matcher.evaluate(query, first, last)
            if not excluded:
                continue
            if rule.unless_within != "segment":
                outside = [m for m in matches if not self._touches(m, excluded, rule.unless_within)]
                if outside:
                    matches = outside  # the exclusion is about other words
                    continue
            found = [m for m in excluded if m.first >= 0]
            words = f": {matcher.text_of(found[0])!r}" if found else ""
            detail = f"excluded by unless[{index}] {query}{words}"
            return _RuleResult(rule, matches, "excluded", detail, True)
        return _RuleResult(rule, matches, "fired", "", True)

    def _touches(self, match: Match, excluded: list[Match], within: str) -> bool:
        """Whether an exclusion shares a word with the match (``match``) or stands in one of its
        clauses (``clause``); an exclusion without a place (a NOT) always does."""
        if within == "match":
            own = {token for hit in match.hits for token in range(hit.first, hit.last)}
            return any(
                not other.hits
                or any(token in own for hit in other.hits for token in range(hit.first, hit.last))
                for other in excluded
            )
        clause_of = self.matcher.clause_of
        places = {clause_of(hit.first) for hit in match.hits}
        return any(
            not other.hits or places & {clause_of(hit.first) for hit in other.hits}
            for other in excluded
        )

    def _some_words(self, query: Node, first: int, last: int) -> bool:
        return any(self.matcher.hits(atom, first, last) for atom in positive_atoms(query))

    def _cues(self, hit: Hit, distance: int, first: int, last: int) -> list[Match]:
        seg = self.matcher.seg
        sentence = seg.sentence_of_token(hit.first)
        return [
            cue
            for cue in self.matcher.hits(self.codebook.negation, first, last)
            if cue.last <= hit.first
            and seg.sentence_of_token(cue.first) == sentence
            and seg.words_between(cue.last, hit.first) <= distance
            and not self._excepted(cue, first, last)
        ]

    def _excepted(self, cue: Match, first: int, last: int) -> bool:
        """Whether a cue lies inside a phrase where it does not negate ("not only")."""
        exceptions = self.codebook.negation_exceptions
        if exceptions is None:
            return False
        return any(
            phrase.first <= cue.first and cue.last <= phrase.last
            for phrase in self.matcher.hits(exceptions, first, last)
        )

    def _negated(self, match: Match, distance: int, first: int, last: int) -> bool:
        return any(self._cues(hit, distance, first, last) for hit in match.hits)

    def _negation_detail(self, match: Match, distance: int, first: int, last: int) -> str:
        for hit in match.hits:
            cues = self._cues(hit, distance, first, last)
            if cues:
                cue, word = self.matcher.text_of(cues[-1]), self.matcher.text_of(hit)
                return f"negated: {cue!r} stands at most {distance} words before {word!r}"
        return "negated"


def _has_any(coded: CodedSegment, keys: tuple[str, ...]) -> bool:
    """Whether the segment has one of the ``dimension:code`` keys (true when there are none)."""
    return not keys or any(c.dimension + ":" + c.code in keys for c in coded.codings)


def _review_reasons(
    dimension: CompiledDimension, fired: list[_RuleResult], winner: CompiledRule | None
) -> list[str]:
    """Why a dimension's decision needs a person: its code came from a weak rule only, or an
    exclusive tie-break was won by at most ``review_margin`` priority points."""
    reasons = []
    given = [winner] if winner else [result.rule for result in fired]
    for code in dict.fromkeys(rule.code for rule in given):
        rules = [result.rule for result in fired if result.rule.code == code]
        if all(rule.strength == "weak" for rule in rules):
            names = ", ".join(rule.id for rule in rules)
            reasons.append(f"{dimension.id}: {code} given by weak rule {names} only")
    if winner is not None:
        rivals = [
            result.rule
            for result in fired
            if result.rule.code != winner.code
            and result.rule.priority >= winner.priority - dimension.review_margin
        ]
        if rivals:
            rival = max(rivals, key=lambda rule: rule.priority)
            reasons.append(
                f"{dimension.id}: close tie-break, {winner.code} ({winner.id}, priority "
                f"{winner.priority}) over {rival.code} ({rival.id}, priority {rival.priority})"
            )
    return reasons


def _hint_reasons(dimension: CompiledDimension, hints: list[_RuleResult]) -> list[str]:
    """Why a dimension left without a code needs a person: hint rules suggested a code."""
    suggested: dict[str, list[str]] = {}
    for result in hints:
        suggested.setdefault(result.rule.code, []).append(result.rule.id)
    return [
        f"{dimension.id}: no code, but hint rule {', '.join(ids)} suggests {code}"
        for code, ids in suggested.items()
    ]


def code_segmented(
    seg: SegmentedText,
    codebook: CompiledCodebook,
    *,
    doc_id: str,
    pipeline: Pipeline,
    explain: bool = False,
    language: str | None = None,
) -> list[CodedSegment]:
    """Retrieve and code the segments of an already segmented text (terms of ``language``,
    default the pipeline's)."""
    return code_matched(new_matcher(seg, codebook, pipeline, language), codebook, doc_id, explain)


def code_matched(
    matcher: Matcher, codebook: CompiledCodebook, doc_id: str, explain: bool = False
) -> list[CodedSegment]:
    book = codebook.codebook
    segments = retrieve(matcher, codebook.retrieval, book.unit, book.window)
    coder = SegmentCoder(codebook, matcher, explain=explain)
    return [coder.code(doc_id, segment) for segment in segments]


def new_matcher(
    seg: SegmentedText,
    codebook: CompiledCodebook,
    pipeline: Pipeline,
    language: str | None = None,
    parts: Sequence[LanguagePart] = (),
    term_index: bool = True,
) -> Matcher:
    """A matcher over ``seg`` with the codebook's terms for ``language`` (default: the pipeline's;
    a document in a language spaCy lacks still uses its own terms), or, in a text that mixes
    languages, each part's own terms. ``term_index=False`` checks every term and concept on its
    own instead of through the codebook's :class:`~resdiscourse.matching.matcher.TermIndex` (the
    same hits, slower; for benchmarks and tests)."""
    terms_language = language or pipeline.language
    return _matcher(seg, codebook, terms_language, pipeline.own_lemmas, parts, term_index)


def _matcher(
    seg: SegmentedText,
    codebook: CompiledCodebook,
    terms_language: str,
    own: bool,
    parts: Sequence[LanguagePart] = (),
    term_index: bool = True,
) -> Matcher:
    """:func:`new_matcher` with the terms' language given, and ``own``: whether the pipeline has
    its own lemmatizer."""
    if seg.lemmas is None:
        own = False  # a part's pipeline has no lemmatizer of its own: lookups everywhere

    def atoms_of(code: str) -> Callable[[Node], Any]:
        return lambda node: codebook.atom(node, code, own)

    def index_of(code: str) -> TermIndex | None:
        return codebook.term_index(code, own) if term_index else None

    regions, indexes = [], []
    starts = seg.token_starts
    for part in parts:
        first, last = bisect_left(starts, part.start), bisect_left(starts, part.end)
        regions.append((first, last, atoms_of(part.language)))
        indexes.append(index_of(part.language))
    if not regions:
        indexes = [index_of(terms_language)]
    return Matcher(seg, atoms_of(terms_language), codebook.clause_words, regions, indexes)


class Prepared(NamedTuple):
    """A document made ready for retrieval and coding."""

    language: str
    pipeline: Pipeline
    matcher: Matcher
    #: The parts of a text that mixes languages (each paragraph's language); empty otherwise.
    parts: tuple[LanguagePart, ...] = ()


def document_language(language: str | None, codebook: CompiledCodebook) -> str:
    """ "en" from "EN", "en-CA" or "en_CA"; the codebook's language when there is none."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    return code or codebook.codebook.language


def codebook_languages(codebook: CompiledCodebook) -> tuple[str, ...]:
    """The languages a document is told apart from: the codebook's own and those its concepts
    give terms for; English and French as well when that leaves only one."""
    book = codebook.codebook
    found = {book.language}
    for concept in book.concepts.values():
        if isinstance(concept.terms, dict):
            found.update(concept.terms)
    if len(found) < 2:
        found.update(DEFAULT_LANGUAGES)
    return tuple(sorted(found))


def prepare_text(
    text: str,
    codebook: CompiledCodebook,
    *,
    language: str | None = None,
    model: str | None = None,
    blocks: list[Block] | None = None,
    include_blocks: Collection[str] = (),
    detect: Callable[[str, tuple[str, ...]], list[LanguagePart]] = mixed_parts,
) -> Prepared:
    """Segment a clean text with the pipeline of its language, ready to match the codebook;
    ``blocks`` and ``include_blocks`` as in :func:`~resdiscourse.segment.segment_text`. A text
    whose paragraphs are in more than one of the codebook's languages is segmented and matched
    part by part, each in its own language; ``detect`` finds those parts (as
    :func:`~resdiscourse.ingest.language.mixed_parts` does: a run passes one that reads the
    cache)."""
    code = document_language(language, codebook)
    parts = tuple(detect(text, codebook_languages(codebook)))
    pipeline, seg = _segmented(text, code, model, blocks, include_blocks, parts)
    return Prepared(code, pipeline, new_matcher(seg, codebook, pipeline, code, parts), parts)


class Segmented(NamedTuple):
    """A document's segmentation and what a run needs of its pipeline: everything of coding that
    does not depend on the codebook's rules (a run's cache keeps it, see
    :mod:`resdiscourse.runcache`), so that a matcher needs no spaCy (:func:`matcher_for`)."""

    seg: SegmentedText
    #: The document's language (:func:`document_language`).
    language: str
    #: :attr:`~resdiscourse.nlp.Pipeline.description` of the pipeline of that language.
    pipeline: str
    #: Whether that pipeline has its own lemmatizer.
    own_lemmas: bool
    #: The parts of a text that mixes languages; empty otherwise.
    parts: tuple[LanguagePart, ...]
    #: The words of the text (:func:`~resdiscourse.segment.count_words`).
    words: int


def segment_document(
    text: str,
    language: str,
    *,
    model: str | None = None,
    blocks: list[Block] | None = None,
    include_blocks: Collection[str] = (),
    parts: Sequence[LanguagePart] = (),
) -> Segmented:
    """Segment a clean text of ``language`` (a code, :func:`document_language`), or each of its
    ``parts`` in its own language, as :func:`prepare_text` does, and count its words."""
    pipeline, seg = _segmented(text, language, model, blocks, include_blocks, tuple(parts))
    words = count_words(seg, pipeline)
    return Segmented(seg, language, pipeline.description, pipeline.own_lemmas, tuple(parts), words)


def matcher_for(segmented: Segmented, codebook: CompiledCodebook) -> Matcher:
    """The matcher :func:`prepare_text` gives, over a segmentation (:func:`segment_document`)."""
    own = segmented.own_lemmas
    return _matcher(segmented.seg, codebook, segmented.language, own, segmented.parts)


def _segmented(
    text: str,
    code: str,
    model: str | None,
    blocks: list[Block] | None,
    include_blocks: Collection[str],
    parts: tuple[LanguagePart, ...],
) -> tuple[Pipeline, SegmentedText]:
    from resdiscourse.nlp import build_pipeline

    pipeline = build_pipeline(code, model)
    if not parts:
        return pipeline, segment_text(text, pipeline, blocks, include_blocks)
    # --model serves the parts in its own language; the others get the default pipeline.
    pipelines = {
        part.language: pipeline
        if part.language == pipeline.language
        else build_pipeline(part.language)
        for part in parts
    }
    runs = [(p.start, p.end, pipelines[p.language]) for p in parts]
    return pipeline, segment_text(text, pipeline, blocks, include_blocks, parts=runs)


def code_text(
    text: str,
    codebook: CompiledCodebook,
    *,
    doc_id: str = "text",
    language: str | None = None,
    model: str | None = None,
    explain: bool = False,
) -> list[CodedSegment]:
    """Segment, retrieve and code one clean text (the codebook's language unless given)."""
    prepared = prepare_text(text, codebook, language=language, model=model)
    return code_matched(prepared.matcher, codebook, doc_id, explain)
