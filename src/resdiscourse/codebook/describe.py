"""A codebook as plain data for people: what ``codebook show`` prints."""

from __future__ import annotations

from typing import Any

from resdiscourse.codebook.load import LoadedCodebook, shipped_codebooks, shipped_versions
from resdiscourse.codebook.query import retrieval_query
from resdiscourse.codebook.schema import Example, ExampleItem


def describe_codebook(loaded: LoadedCodebook) -> dict[str, Any]:
    """Name, citation, retrieval (and its variants), the shipped versions and, per dimension,
    each code's definition, guidance and examples with their sources."""
    book = loaded.codebook
    retrieval = str(retrieval_query(book))
    unit = f"sentence ±{book.window}" if book.unit == "window" else book.unit
    shipped = shipped_codebooks().get(book.name)
    return {
        "name": book.name,
        "version": book.version,
        # ``name@version`` loads each of these (shipped codebooks only).
        "versions": shipped_versions(book.name) if shipped is not None else [],
        "title": book.title or book.name,
        "cite": book.cite,
        "unit": unit,
        "retrieval": retrieval,
        "retrieval_variants": {
            name: {"description": variant.description, "query": str(retrieval_query(book, name))}
            for name, variant in book.retrieval.variants.items()
        },
        "concepts": {name: concept.description for name, concept in book.concepts.items()},
        "patterns": dict(book.patterns),
        "dimensions": [
            {
                "id": dimension_id,
                "label": dimension.label or dimension_id,
                "exclusive": dimension.exclusive,
                "window": dimension.window,
                "codes": [
                    {
                        "id": code_id,
                        "label": code.label or code_id,
                        "definition": code.definition,
                        "include": code.include,
                        "exclude": code.exclude,
                        "rules": len(code.rules),
                        "absent_of": list(code.absent.of) if code.absent else [],
                        "examples": len(code.examples),
                        "counterexamples": len(code.counterexamples),
                        # Examples and counterexamples that name where they come from.
                        "sourced": sum(
                            bool(_example(item).source)
                            for item in [*code.examples, *code.counterexamples]
                        ),
                        "example_texts": [
                            _example_entry(kind, item)
                            for kind, items in (
                                ("example", code.examples),
                                ("counterexample", code.counterexamples),
                            )
                            for item in items
                        ],
                    }
                    for code_id, code in dimension.codes.items()
                ],
            }
            for dimension_id, dimension in book.dimensions.items()
        ],
    }


def _example(item: ExampleItem) -> Example:
    return item if isinstance(item, Example) else Example(text=item)


def _example_entry(kind: str, item: ExampleItem) -> dict[str, Any]:
    example = _example(item)
    return {
        "kind": kind,
        "text": example.text,
        "language": example.language,
        "source": example.source,
        "year": example.year,
        "publisher": example.publisher,
    }


def example_citation(entry: dict[str, Any]) -> str:
    """``publisher, year: source`` of an example entry; empty when it names none of them."""
    who = ", ".join(str(part) for part in (entry["publisher"], entry["year"]) if part)
    return ": ".join(part for part in (who, entry["source"]) if part)
