"""A validated codebook → parsed queries and, per document language, compiled term patterns."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from resdiscourse.codebook.matcher import (
    Atom,
    TermSource,
    compile_terms,
    required_atoms,
    term_openings,
)
from resdiscourse.codebook.query import (
    AndNode,
    ConceptNode,
    NearNode,
    Node,
    NotNode,
    OrNode,
    TermNode,
    parse_query,
)
from resdiscourse.codebook.schema import Codebook, Concept, Rule, TermSpec


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


@dataclass
class CompiledCodebook:
    """Queries parsed once; term patterns compiled lazily per (language, lemma mode)."""

    codebook: Codebook
    retrieval: Node
    dimensions: tuple[CompiledDimension, ...]
    #: The concept whose terms are negation cues (one object, for the matcher's caches).
    negation: ConceptNode
    #: The concepts of clause openers and relative pronouns, when the codebook names them.
    clause_words: tuple[ConceptNode | None, ConceptNode | None] = (None, None)
    _atoms: dict[tuple[str, bool, Node], Atom] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.codebook.name

    def atom(self, node: Node, language: str, own_lemmas: bool) -> Atom:
        """The compiled patterns of a term or concept for documents in ``language``."""
        key = (language, own_lemmas, node)
        found = self._atoms.get(key)
        if found is None:
            found = self._atoms[key] = self._compile_atom(node, language, own_lemmas)
        return found

    def _compile_atom(self, node: Node, language: str, own_lemmas: bool) -> Atom:
        if isinstance(node, TermNode):
            sources = [TermSource(node.words, node.lemma, node.case)]
            label = str(node)
        else:
            assert isinstance(node, ConceptNode)
            sources = concept_sources(self.codebook, node.name, language)
            label = node.name
        patterns = compile_terms(sources, language, own_lemmas)
        return Atom(label, patterns, term_openings(sources, language, own_lemmas))


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
    object) evaluate each once per scope."""

    def __init__(self) -> None:
        self.table: dict[Node, Node] = {}

    def __call__(self, node: Node) -> Node:
        if isinstance(node, AndNode | OrNode):
            node = type(node)(tuple(self(child) for child in node.children))
        elif isinstance(node, NotNode):
            node = NotNode(self(node.child))
        elif isinstance(node, NearNode):
            node = replace(node, left=self(node.left), right=self(node.right))
        return self.table.setdefault(node, node)

    def query(self, text: str) -> Node:
        return self(parse_query(text))


def compile_codebook(codebook: Codebook) -> CompiledCodebook:
    """Parse every query of a (validated) codebook."""
    interned = _Interned()
    dimensions = []
    for dimension_id, dimension in codebook.dimensions.items():
        codes = []
        for code_id, code in dimension.codes.items():
            rules = tuple(
                _compile_rule(rule, code_id, dimension_id, interned) for rule in code.rules
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
            )
        )
    negation = interned(ConceptNode(codebook.negation))
    assert isinstance(negation, ConceptNode)
    clauses = codebook.clauses
    clause_words = (_concept(interned, clauses.openers), _concept(interned, clauses.relatives))
    return CompiledCodebook(
        codebook, interned(retrieval_query(codebook)), tuple(dimensions), negation, clause_words
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
    )


def retrieval_query(codebook: Codebook) -> Node:
    retrieval = codebook.retrieval
    if retrieval.query:
        return parse_query(retrieval.query)
    nodes = tuple(ConceptNode(name) for name in retrieval.all)
    return nodes[0] if len(nodes) == 1 else AndNode(nodes)
