"""A resdiscourse codebook as a dictionary: its concepts are the categories (nested by their
``parent``), their terms for one language the values. What a term list cannot hold is reported:
rules of codes, lemma and case options, the terms of other languages."""

from __future__ import annotations

from resdiscourse.codebook.load import LoadedCodebook
from resdiscourse.codebook.schema import Concept, TermSpec
from resdiscourse.dictionaries.builder import Builder
from resdiscourse.dictionaries.model import Dictionary, lost
from resdiscourse.errors import Problem
from resdiscourse.matching.compile import terms_for

_RULES = "a dictionary holds term lists: use the codebook itself (`resdiscourse code`) for rules"


def codebook_dictionary(loaded: LoadedCodebook, target: str, language: str = "") -> Dictionary:
    """The concepts of ``loaded`` as categories, with the terms for ``language`` (default: the
    codebook's); ``target`` names the output format in the W801 lines."""
    book = loaded.codebook
    language = language or book.language
    builder = Builder(loaded.source, "codebook")
    paths: dict[str, tuple[str, ...]] = {}
    for concept_id, concept in book.concepts.items():
        parent = paths.get(concept.parent, ()) if concept.parent else ()
        path = paths[concept_id] = (*parent, concept.label or concept_id.split(".")[-1])
        builder.category(path, concept.description)
        _terms(loaded, concept_id, concept, path, language, builder, target)
    for dim_id, dimension in book.dimensions.items():
        for code_id, code in dimension.codes.items():
            for index, rule in enumerate(code.rules):
                key = ("dimensions", dim_id, "codes", code_id, "rules", index)
                detail = f"rule {rule.id} of {dim_id}:{code_id} is not a term list"
                builder.lost.append(_lost(loaded, key, target, detail, _RULES))
    return builder.build(book.name)


def _terms(
    loaded: LoadedCodebook,
    concept_id: str,
    concept: Concept,
    path: tuple[str, ...],
    language: str,
    builder: Builder,
    target: str,
) -> None:
    base = ("concepts", concept_id, "terms")
    if isinstance(concept.terms, dict):
        for other in sorted(set(concept.terms) - {language}):
            detail = f"concept {concept_id}'s {other} terms (one language per dictionary)"
            advice = f"convert again with --language {other} for those"
            builder.lost.append(_lost(loaded, (*base, other), target, detail, advice))
    for item in terms_for(concept, language, loaded.codebook.language):
        spec = TermSpec(term=item) if isinstance(item, str) else item
        if spec.lemma or spec.case:
            option = "lemma" if spec.lemma else "case"
            detail = f"term {spec.term!r} of {concept_id} matches by {option}"
            advice = f"written as a plain term; the {option} option is lost"
            builder.lost.append(_lost(loaded, base, target, detail, advice))
        line = loaded.location(base).line
        builder.term(path, spec.term, line, spec.weight, lemma=spec.lemma, case=spec.case)


def _lost(
    loaded: LoadedCodebook, key: tuple[str | int, ...], target: str, detail: str, advice: str
) -> Problem:
    return lost(target, loaded.location(key), detail, advice)
