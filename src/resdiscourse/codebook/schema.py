"""The codebook's schema: pydantic models of the YAML file (see docs/codebook.md).

The models check shape and types; cross-references (concepts named in queries, codes named by an
absence code, unique rule ids) are checked by :mod:`resdiscourse.codebook.checks`, and
:mod:`resdiscourse.codebook.load` maps every error back to a ``file:line:col``.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Ids of concepts, dimensions, codes and rules: what queries, CSV columns and REFI exports use.
ID_PATTERN = r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*$"
Identifier = Annotated[str, Field(pattern=ID_PATTERN)]
#: Concept ids may also be a path of such ids joined by ``.``: a category of a nested dictionary
#: converted from another tool (``africa.east.bi``, see :mod:`resdiscourse.dictionaries`).
CONCEPT_ID_PATTERN = r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)*(\.[a-z0-9_]+(-[a-z0-9_]+)*)*$"
ConceptId = Annotated[str, Field(pattern=CONCEPT_ID_PATTERN)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_term_text(value: str) -> str:
    """The text of a term, or ValueError: shared by :class:`TermSpec` and the loader's check of
    plain-string terms (the ``str`` side of :data:`Term` has no validator of its own)."""
    if not value:
        raise ValueError("a term cannot be empty")
    if value != value.strip() or re.search(r"\s{2,}", value):
        raise ValueError("a term has single spaces between its words and none around them")
    if re.search(r"[(){}\"]", value):
        raise ValueError("a term cannot contain ( ) { } or quotes; those belong in rules")
    return value


class TermSpec(Strict):
    """One term with options; a plain string in YAML is a term with the default options."""

    term: str = Field(min_length=1)
    #: Match the token's lemma (lowercased), not its surface form: ``cope`` finds "coped", "coping".
    lemma: bool = False
    #: Match letter case exactly (default: case-insensitive).
    case: bool = False
    #: A weight kept as data (a weighted dictionary such as AFINN); ``count`` sums it.
    weight: float | None = None

    @field_validator("term")
    @classmethod
    def _no_operators(cls, value: str) -> str:
        return check_term_text(value)


Term = str | TermSpec


class Concept(Strict):
    description: str = ""
    #: The category's name in the dictionary it was converted from ("A CATEGORY").
    label: str = ""
    #: The id of the parent category in a nested dictionary (the tree of ``africa.east.bi``).
    parent: str = ""
    #: Terms for every language (a list), or per language (a mapping ``en: [...]``).
    terms: list[Term] | dict[str, list[Term]]


class Example(Strict):
    text: str = Field(min_length=1)
    #: The example's language when it is not the codebook's (a French example, say).
    language: str = ""
    note: str = ""
    #: Where a real sentence comes from: a citation, a URL or a repository and path.
    source: str = ""
    #: The year the source was published.
    year: int | None = Field(default=None, ge=1000, le=9999, strict=True)
    #: Who published the source (a ministry, a city, an agency).
    publisher: str = ""


ExampleItem = str | Example


class Rule(Strict):
    id: Identifier
    #: A query (docs/codebook.md): terms, "phrases", {concepts}, AND, OR, NOT, NEAR/k, BEFORE/k.
    match: str = Field(min_length=1)
    #: Exclusions: the rule does not fire when any of these queries matches in the same scope.
    unless: list[str] = []
    #: Negation: a match is dropped when a term of the codebook's negation concept stands at most
    #: this many words before one of the match's terms, in the same sentence.
    negation: int | None = Field(default=None, ge=0, le=20, strict=True)
    #: Tie-break weight in an exclusive dimension: the code of the fired rule with the highest
    #: priority wins; equal priorities go to the code listed first.
    priority: int = Field(default=0, strict=True)
    #: How sure a code given by this rule is: ``weak`` codes set the segment's review flag when
    #: their dimension has ``review: true``; a ``hint`` gives no code at all, it only flags a
    #: segment whose dimension got no code for review, naming the code it suggests (a cue too
    #: unreliable to code by, but worth a person's look).
    strength: Literal["strong", "weak", "hint"] = "strong"
    #: A catch-all that applies when nothing more specific does: it must be ``weak``.
    fallback: bool = False
    #: ``dimension:code`` keys of dimensions coded before this one: the rule applies only to a
    #: segment that got one of them ("valence:asset when locus:resource").
    requires: list[str] = []
    note: str = ""

    @model_validator(mode="after")
    def _fallback_is_weak(self) -> Rule:
        if self.fallback and self.strength == "strong":
            raise ValueError("a fallback rule cannot give a strong code: add strength: weak")
        return self


class Absence(Strict):
    """An absence code: given when none of these codes of the same dimension was given."""

    of: list[Identifier] = Field(min_length=1)


class Code(Strict):
    label: str = ""
    definition: str = Field(min_length=1)
    include: str = ""
    exclude: str = ""
    rules: list[Rule] = []
    absent: Absence | None = None
    examples: list[ExampleItem] = []
    counterexamples: list[ExampleItem] = []


class Dimension(Strict):
    label: str = ""
    description: str = ""
    #: One code at most per segment (see ``Rule.priority`` for the tie-break), or several.
    exclusive: bool = False
    #: Rules of this dimension read the segment and this many sentences before and after it.
    window: int = Field(default=0, ge=0, le=10, strict=True)
    #: Whether this dimension's decisions set the segment's review flag: a code given by a weak
    #: rule, or an exclusive tie-break won by at most ``review_margin`` priority points.
    review: bool = False
    review_margin: int = Field(default=0, ge=0, strict=True)
    #: ``dimension:code`` keys of dimensions listed before this one: the dimension is coded only
    #: in segments that got one of them (valence only where locus framed migrants).
    requires: list[str] = []
    #: Where a rule's ``unless:`` looks: the whole scope (``segment``); only the clauses of the
    #: match (``clause``: "Building Resilience: refugees show resilience" is not excluded by the
    #: heading's "building resilience"); or only exclusions that share a word with the match
    #: (``match``: "housing resilience" does not exclude "resilience in the migrant community").
    unless_within: Literal["segment", "clause", "match"] = "segment"
    #: A query that must match in the segment for the dimension to be coded at all (a resilience
    #: word in lower case: not only inside a Title Case name or heading).
    when: str = ""
    codes: dict[Identifier, Code] = Field(min_length=1)


#: The name of a codebook's own retrieval (``--retrieval default``); no variant may take it.
DEFAULT_RETRIEVAL = "default"


class RetrievalVariant(Strict):
    """A named alternative retrieval (``--retrieval NAME``), written like the default one."""

    #: What the variant retrieves, for people ("migration as a process").
    description: str = ""
    #: Concepts that must all occur in the unit.
    all: list[Identifier] = []
    #: Or a query the unit must match.
    query: str = ""


class Retrieval(Strict):
    #: Concepts that must all occur in the unit.
    all: list[Identifier] = []
    #: Or a query the unit must match.
    query: str = ""
    #: Named alternatives, reported beside the default and used with ``--retrieval NAME``.
    variants: dict[Identifier, RetrievalVariant] = {}


class Clauses(Strict):
    """Word lists for clause boundaries (:mod:`resdiscourse.clauses`), used by CNEAR and CBEFORE."""

    #: The concept of words that start a clause, subordinators ("because", "although"): leading a
    #: sentence (nothing but coordinators and commas before them), their clause ends at a comma.
    openers: Identifier | None = None
    #: The concept of relative pronouns: after a comma they open a clause that ends at a comma.
    relatives: Identifier | None = None
    #: The concept of coordinators ("but", "yet"): they start a clause, and opening a sentence
    #: they head its main clause (no lead clause ending at the first comma).
    coordinators: Identifier | None = None


class Codebook(Strict):
    name: Identifier
    version: str = Field(min_length=1)
    title: str = ""
    description: str = ""
    cite: str = ""
    #: The language whose terms are used when a document's language has none of its own.
    language: str = "en"
    unit: Literal["sentence", "paragraph", "window"] = "sentence"
    #: With ``unit: window``: the segment is a sentence and this many sentences either side.
    window: int = Field(default=0, ge=0, le=10, strict=True)
    #: A codebook with concepts only (a dictionary) has neither retrieval nor dimensions: it serves
    #: ``count`` and ``search``, not ``code``.
    retrieval: Retrieval = Retrieval()
    #: The concept whose terms are negation cues for rules with ``negation: k``.
    negation: Identifier = "negation"
    #: A concept of phrases in which a negation cue does not negate ("not only ... but also"):
    #: a cue inside one of its hits is no cue.
    negation_exceptions: Identifier | None = None
    #: Clause boundaries for CNEAR/CBEFORE beyond punctuation (none: punctuation only).
    clauses: Clauses = Clauses()
    #: Case-sensitive lower-case terms also match a sentence's first word and the words of a Title
    #: Case sentence: capitals of grammar and typography, not of a name (docs/codebook.md).
    typographic_capitals: bool = False
    concepts: dict[ConceptId, Concept] = Field(min_length=1)
    #: Named sub-queries: ``{name}`` in any query stands for the pattern's query, so that a
    #: mechanism written once serves many rules. A pattern may name concepts and other patterns
    #: (no cycles); its name may not be a concept's.
    patterns: dict[ConceptId, str] = {}
    dimensions: dict[Identifier, Dimension] = {}

    @property
    def is_dictionary(self) -> bool:
        """Concepts only: no dimensions and no retrieval (a dictionary converted from another
        tool, or written for ``count``)."""
        retrieval = self.retrieval
        return not self.dimensions and not (retrieval.all or retrieval.query or retrieval.variants)
