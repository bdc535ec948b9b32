"""A validated codebook → parsed queries and, per document language, compiled term patterns."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from resdiscourse.codebook.query import (
    AndNode,
    ConceptNode,
    NearNode,
    Node,
    NotNode,
    OrNode,
    TermNode,
    parse_query,
    retrieval_names,
    retrieval_query,
)
from resdiscourse.codebook.schema import (
    DEFAULT_RETRIEVAL,
    Codebook,
    Concept,
    Rule,
    TermSpec,
)
from resdiscourse.errors import UsageError
from resdiscourse.matching.matcher import (
    NO_CLAUSE_WORDS,
    Atom,
    ClauseWords,
    TermIndex,
    TermSource,
    compile_terms,
    required_atoms,
    term_openings,
)


@dataclass(frozen=True)
class CompiledRule:
    id: str
    code: str
    dimension: str
    match: Node
    unless: tuple[Node, ...]
    negation: int | None
    priority: int
    #: Terms and concepts the match query cannot do without (checked before evaluating it).
    required: tuple[TermNode | ConceptNode, ...] = ()
    strength: str = "strong"
    fallback: bool = False
    #: ``dimension:code`` keys one of which the segment must have (empty: no condition).
    requires: tuple[str, ...] = ()
    #: Where ``unless:`` looks (the dimension's ``unless_within``): segment, clause or match.
    unless_within: str = "segment"


@dataclass(frozen=True)
class CompiledCode:
    id: str
    label: str
    dimension: str
    rules: tuple[CompiledRule, ...]
    #: For an absence code: the codes whose absence it records.
    absent_of: tuple[str, ...] | None


@dataclass(frozen=True)
class CompiledDimension:
    id: str
    label: str
    exclusive: bool
    window: int
    codes: tuple[CompiledCode, ...]
    review: bool = False
    review_margin: int = 0
    requires: tuple[str, ...] = ()
    #: A query that must match in the segment for the dimension to be coded (None: always).
    when: Node | None = None


@dataclass
class CompiledCodebook:
    """Queries parsed once; term patterns compiled lazily per (language, lemma mode)."""

    codebook: Codebook
    retrieval: Node
    dimensions: tuple[CompiledDimension, ...]
    #: The concept whose terms are negation cues (one object, for the matcher's caches).
    negation: ConceptNode
    #: Phrases in which a negation cue does not negate ("not only"), when the codebook names them.
    negation_exceptions: ConceptNode | None
    #: The concepts of clause openers, relative pronouns and coordinators, when the codebook
    #: names them.
    clause_words: ClauseWords = NO_CLAUSE_WORDS
    _atoms: dict[tuple[str, bool, Node], Atom] = field(default_factory=dict, repr=False)
    #: Which retrieval :attr:`retrieval` is: ``default`` or the name of a variant.
    retrieval_name: str = DEFAULT_RETRIEVAL
    #: The table that made equal sub-queries one object, for the queries of retrieval variants.
    _interned: _Interned = field(default_factory=lambda: _Interned(), repr=False)
    #: Retrieval queries by name, parsed when first asked for (shared by :meth:`with_retrieval`
    #: copies).
    _retrievals: dict[str, Node] = field(default_factory=dict, repr=False)
    _indexes: dict[tuple[str, bool], TermIndex] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.codebook.name

    def with_retrieval(self, name: str | None) -> CompiledCodebook:
        """The same codebook retrieving with variant ``name`` (``None`` or ``default``: the
        codebook's own retrieval); raises :class:`UsageError` (E610) for an unknown name. The copy
        shares the compiled term patterns."""
        name = name or DEFAULT_RETRIEVAL
        if name == self.retrieval_name:
            return self
        return replace(self, retrieval=self.retrieval_of(name), retrieval_name=name)

    def retrieval_of(self, name: str) -> Node:
        """The query of retrieval ``name`` (``default`` or a variant; E610 when unknown), its
        concepts and terms the same objects as the rules' (the matcher caches by object)."""
        if name == self.retrieval_name:
            return self.retrieval
        found = self._retrievals.get(name)
        if found is None:
            found = self._retrievals[name] = self._interned(retrieval_query(self.codebook, name))
        return found

    def parse(self, query: str) -> Node:
        """A query in this codebook's terms (its named patterns expanded, its sub-queries shared
        with the rules'); raises :class:`QuerySyntaxError` on bad syntax."""
        return self._interned.query(query)

    def other_retrievals(self) -> dict[str, Node]:
        """Every retrieval of the codebook but the one in use, by name (to report beside it)."""
        return {
            name: self.retrieval_of(name)
            for name in retrieval_names(self.codebook)
            if name != self.retrieval_name
        }

    def term_index(self, language: str, own_lemmas: bool) -> TermIndex:
        """Every term and concept of the codebook's queries (retrievals parsed so far included)
        by the openings of its hits, for documents in ``language``; built once."""
        key = (language, own_lemmas)
        found = self._indexes.get(key)
        if found is None:
            found = self._indexes[key] = TermIndex(
                (node, term_openings(self._sources(node, language), language, own_lemmas))
                for node in list(self._interned.table)
                if isinstance(node, TermNode)
                or (isinstance(node, ConceptNode) and node.name in self.codebook.concepts)
            )
        return found

    def atom(self, node: Node, language: str, own_lemmas: bool) -> Atom:
        """The compiled patterns of a term or concept for documents in ``language``."""
        key = (language, own_lemmas, node)
        found = self._atoms.get(key)
        if found is None:
            found = self._atoms[key] = self._compile_atom(node, language, own_lemmas)
        return found

    def _compile_atom(self, node: Node, language: str, own_lemmas: bool) -> Atom:
        sources = self._sources(node, language)
        if isinstance(node, TermNode):
            label = str(node)
        else:
            assert isinstance(node, ConceptNode)
            label = node.name
        typographic = self.codebook.typographic_capitals
        patterns = compile_terms(sources, language, own_lemmas, typographic)
        return Atom(label, patterns, term_openings(sources, language, own_lemmas))

    def _sources(self, node: Node, language: str) -> list[TermSource]:
        if isinstance(node, TermNode):
            return [TermSource(node.words, node.lemma, node.case)]
        assert isinstance(node, ConceptNode)
        return concept_sources(self.codebook, node.name, language)


def concept_sources(codebook: Codebook, name: str, language: str) -> list[TermSource]:
    """A concept's terms for documents of ``language``, as the matcher takes them."""
    sources = []
    for item in terms_for(codebook.concepts[name], language, codebook.language):
        spec = TermSpec(term=item) if isinstance(item, str) else item
        sources.append(TermSource(tuple(spec.term.split(" ")), spec.lemma, spec.case))
    return sources


def terms_for(concept: Concept, language: str, fallback: str) -> list[str | TermSpec]:
    """A concept's terms for a document language: its own list, else the codebook language's."""
    if isinstance(concept.terms, list):
        return list(concept.terms)
    return list(concept.terms.get(language) or concept.terms.get(fallback, []))


class _Interned:
    """Equal sub-queries of different rules become one object, so the matcher's caches (keyed by
    object) evaluate each once per scope. A ``{name}`` of a named pattern becomes the pattern's
    query (parsed once)."""

    def __init__(self, patterns: dict[str, str] | None = None) -> None:
        self.table: dict[Node, Node] = {}
        self.patterns = dict(patterns or {})
        self.expanded: dict[str, Node] = {}
        self.expanding: list[str] = []

    def __call__(self, node: Node) -> Node:
        if isinstance(node, ConceptNode) and node.name in self.patterns:
            return self.pattern(node.name)
        if isinstance(node, AndNode | OrNode):
            node = type(node)(tuple(self(child) for child in node.children))
        elif isinstance(node, NotNode):
            node = NotNode(self(node.child))
        elif isinstance(node, NearNode):
            node = replace(node, left=self(node.left), right=self(node.right))
        return self.table.setdefault(node, node)

    def query(self, text: str) -> Node:
        return self(parse_query(text))

    def pattern(self, name: str) -> Node:
        found = self.expanded.get(name)
        if found is None:
            if name in self.expanding:  # the checks report cycles; this guards unchecked input
                cycle = " -> ".join([*self.expanding, name])
                raise UsageError.of("E311", path=f"patterns.{name}", cycle=cycle)
            self.expanding.append(name)
            found = self.expanded[name] = self.query(self.patterns[name])
            self.expanding.pop()
        return found


def compile_codebook(codebook: Codebook, retrieval: str | None = None) -> CompiledCodebook:
    """Parse every query of a (validated) codebook; ``retrieval`` names the variant to retrieve
    with (default: the codebook's own retrieval; an unknown name: :class:`UsageError` E610)."""
    if codebook.is_dictionary:
        raise UsageError.of("E801", name=codebook.name)
    if retrieval not in (None, DEFAULT_RETRIEVAL):
        return compile_codebook(codebook).with_retrieval(retrieval)
    interned = _Interned(codebook.patterns)
    dimensions = []
    for dimension_id, dimension in codebook.dimensions.items():
        codes = []
        for code_id, code in dimension.codes.items():
            rules = tuple(
                replace(
                    _compile_rule(rule, code_id, dimension_id, interned),
                    unless_within=dimension.unless_within,
                )
                for rule in code.rules
            )
            absent = tuple(code.absent.of) if code.absent else None
            codes.append(CompiledCode(code_id, code.label or code_id, dimension_id, rules, absent))
        dimensions.append(
            CompiledDimension(
                dimension_id,
                dimension.label or dimension_id,
                dimension.exclusive,
                dimension.window,
                tuple(codes),
                dimension.review,
                dimension.review_margin,
                tuple(dimension.requires),
                interned.query(dimension.when) if dimension.when else None,
            )
        )
    negation = interned(ConceptNode(codebook.negation))
    assert isinstance(negation, ConceptNode)
    clauses = codebook.clauses
    clause_words = ClauseWords(
        _concept(interned, clauses.openers),
        _concept(interned, clauses.relatives),
        _concept(interned, clauses.coordinators),
    )
    return CompiledCodebook(
        codebook,
        interned(retrieval_query(codebook)),
        tuple(dimensions),
        negation,
        _concept(interned, codebook.negation_exceptions),
        clause_words,
        _interned=interned,
    )


def _concept(interned: _Interned, name: str | None) -> ConceptNode | None:
    if name is None:
        return None
    node = interned(ConceptNode(name))
    assert isinstance(node, ConceptNode)
    return node


def _compile_rule(rule: Rule, code: str, dimension: str, interned: _Interned) -> CompiledRule:
    match = interned.query(rule.match)
    unless = tuple(interned.query(query) for query in rule.unless)
    return CompiledRule(
        rule.id,
        code,
        dimension,
        match,
        unless,
        rule.negation,
        rule.priority,
        required_atoms(match),
        rule.strength,
        rule.fallback,
        tuple(rule.requires),
    )
