"""A codebook as plain data for people: what ``codebook show`` prints."""

from __future__ import annotations

from typing import Any

from resdiscourse.codebook.compile import retrieval_query
from resdiscourse.codebook.load import LoadedCodebook


def describe_codebook(loaded: LoadedCodebook) -> dict[str, Any]:
    """Name, citation, retrieval and, per dimension, each code's definition and guidance."""
    book = loaded.codebook
    retrieval = str(retrieval_query(book))
    unit = f"sentence ±{book.window}" if book.unit == "window" else book.unit
    return {
        "name": book.name,
        "version": book.version,
        "title": book.title or book.name,
        "cite": book.cite,
        "unit": unit,
        "retrieval": retrieval,
        "concepts": {name: concept.description for name, concept in book.concepts.items()},
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
                    }
                    for code_id, code in dimension.codes.items()
                ],
            }
            for dimension_id, dimension in book.dimensions.items()
        ],
    }
