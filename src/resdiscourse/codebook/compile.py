"""A validated codebook → parsed queries and, per document language, compiled term patterns."""

from __future__ import annotations

from dataclasses import dataclass, field

from resdiscourse.codebook.matcher import Atom, TermSource, compile_terms
from resdiscourse.codebook.query import (
    AndNode,
    ConceptNode,
    Node,
    TermNode,
    parse_query,
)
from resdiscourse.codebook.schema import Codebook, Concept, TermSpec


@dataclass(frozen=True)
class CompiledRule:
    id: str
    code: str
    dimension: str
    match: Node
    unless: tuple[Node, ...]
    negation: int | None
    priority: int


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


@dataclass
class CompiledCodebook:
    """Queries parsed once; term patterns compiled lazily per (language, lemma mode)."""

    codebook: Codebook
    retrieval: Node
    dimensions: tuple[CompiledDimension, ...]
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
            term = TermSource(node.words, node.lemma, node.case)
            return Atom(str(node), compile_terms([term], language, own_lemmas))
        assert isinstance(node, ConceptNode)
        concept = self.codebook.concepts[node.name]
        sources = []
        for item in terms_for(concept, language, self.codebook.language):
            spec = TermSpec(term=item) if isinstance(item, str) else item
            sources.append(TermSource(tuple(spec.term.split(" ")), spec.lemma, spec.case))
        return Atom(node.name, compile_terms(sources, language, own_lemmas))

    @property
    def negation(self) -> ConceptNode:
        return ConceptNode(self.codebook.negation)


def terms_for(concept: Concept, language: str, fallback: str) -> list[str | TermSpec]:
    """A concept's terms for a document language: its own list, else the codebook language's."""
    if isinstance(concept.terms, list):
        return list(concept.terms)
    return list(concept.terms.get(language) or concept.terms.get(fallback, []))


def compile_codebook(codebook: Codebook) -> CompiledCodebook:
    """Parse every query of a (validated) codebook."""
    dimensions = []
    for dimension_id, dimension in codebook.dimensions.items():
        codes = []
        for code_id, code in dimension.codes.items():
            rules = tuple(
                CompiledRule(
                    rule.id,
                    code_id,
                    dimension_id,
                    parse_query(rule.match),
                    tuple(parse_query(query) for query in rule.unless),
                    rule.negation,
                    rule.priority,
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
            )
        )
    return CompiledCodebook(codebook, retrieval_query(codebook), tuple(dimensions))


def retrieval_query(codebook: Codebook) -> Node:
    retrieval = codebook.retrieval
    if retrieval.query:
        return parse_query(retrieval.query)
    nodes = tuple(ConceptNode(name) for name in retrieval.all)
    return nodes[0] if len(nodes) == 1 else AndNode(nodes)
