"""A ``resdiscourse code`` output folder as a REFI-QDA project or codebook.

- the tool is one user (the coder of every coding);
- the codebook nests each dimension's codes under a code named after the dimension (not codable
  itself); names are our ids, so that ``compare`` finds the codes again, and the description
  holds the label, definition and include/exclude guidance;
- each coded document is a TextSource named by its doc_id whose text is exactly our clean text,
  with the document's metadata as variable values;
- each retrieved segment with codes is a PlainTextSelection over the whole segment, with one
  Coding per code (the automatic side codes the whole segment span).

GUIDs are uuid5 of stable content (codebook name, ids, doc_id and text hash, segment ids), so the
same run gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from resdiscourse.codebook.schema import Code, Dimension
from resdiscourse.export.refi_model import (
    RefiCode,
    RefiCodebook,
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from resdiscourse.export.refi_write import stable_guid
from resdiscourse.rundir import CodeRun
from resdiscourse.version import package_version

#: Document metadata written as Text variables, in this order.
VARIABLES = ("title", "year", "date", "jurisdiction", "level", "publisher", "doc_type", "language")
#: Okabe–Ito colours (safe for colour-blind readers), one per dimension in turn.
COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")


def origin() -> str:
    return f"resdiscourse {package_version()}"


def codebook_of_run(run: CodeRun) -> RefiCodebook:
    """The run's codebook as nested REFI codes (dimension -> codes)."""
    book = run.codebook.codebook
    codes = tuple(
        _dimension_code(book.name, dimension_id, dimension, COLOURS[index % len(COLOURS)])
        for index, (dimension_id, dimension) in enumerate(book.dimensions.items())
    )
    return RefiCodebook(codes=codes, origin=origin())


def _dimension_code(book: str, dimension_id: str, dimension: Dimension, colour: str) -> RefiCode:
    children = tuple(
        RefiCode(
            guid=code_guid(book, dimension_id, code_id),
            name=code_id,
            description=_describe(code),
            color=colour,
        )
        for code_id, code in dimension.codes.items()
    )
    description = " ".join(part for part in (dimension.label, dimension.description) if part)
    return RefiCode(
        guid=stable_guid("dimension", book, dimension_id),
        name=dimension_id,
        description=description,
        color=colour,
        is_codable=False,
        children=children,
    )


def code_guid(book: str, dimension_id: str, code_id: str) -> str:
    return stable_guid("code", book, dimension_id, code_id)


def _describe(code: Code) -> str:
    parts = [code.label, code.definition]
    parts += [f"Include: {code.include}"] if code.include else []
    parts += [f"Exclude: {code.exclude}"] if code.exclude else []
    return "\n".join(part.strip() for part in parts if part and part.strip())


def project_of_run(run: CodeRun, *, coder: str = "resdiscourse") -> RefiProject:
    """The whole run as a REFI project: codebook, the documents' texts, the coded segments."""
    book = run.codebook.codebook.name
    user = user_named(coder)
    variables = variables_named(VARIABLES)
    keys = run.segment_codes()
    by_document: dict[str, list[dict[str, str]]] = {}
    for row in run.segments:
        by_document.setdefault(row["doc_id"], []).append(row)
    sources = []
    for document in run.coded_documents():
        doc_id = document["doc_id"]
        text = run.text(doc_id)
        selections = tuple(
            _selection(book, row, keys.get(row["segment_id"], []), user.guid)
            for row in by_document.get(doc_id, [])
            if keys.get(row["segment_id"])
        )
        sources.append(
            RefiSource(
                guid=source_guid(doc_id, text),
                name=doc_id,
                text=text,
                selections=selections,
                values=variable_values(variables, document),
                user_guid=user.guid,
                description=document.get("title", ""),
            )
        )
    return project_of_sources(run, f"{book} on {run.name}", user, variables, sources)


def user_named(name: str) -> RefiUser:
    return RefiUser(stable_guid("user", name), name)


def variables_named(names: Sequence[str]) -> tuple[RefiVariable, ...]:
    """Text variables with stable GUIDs, in the order given."""
    return tuple(RefiVariable(stable_guid("variable", name), name) for name in names)


def variable_values(
    variables: Sequence[RefiVariable], metadata: Mapping[str, str]
) -> tuple[tuple[str, str], ...]:
    """A source's (variable GUID, value) pairs from its metadata; empty values are left out."""
    return tuple(
        (variable.guid, metadata[variable.name])
        for variable in variables
        if metadata.get(variable.name, "")
    )


def project_of_sources(
    run: CodeRun,
    name: str,
    user: RefiUser,
    variables: tuple[RefiVariable, ...],
    sources: Sequence[RefiSource],
) -> RefiProject:
    """A project of ``sources`` with the run's codebook, ``user`` as its only (creating) user."""
    return RefiProject(
        name=name,
        origin=origin(),
        creating_user=user.guid,
        users=(user,),
        codebook=codebook_of_run(run),
        variables=variables,
        sources=tuple(sources),
    )


def source_guid(doc_id: str, text: str) -> str:
    return stable_guid("source", doc_id, hashlib.sha256(text.encode("utf-8")).hexdigest())


def _selection(book: str, row: dict[str, str], keys: list[str], user: str) -> RefiSelection:
    segment_id = row["segment_id"]
    codings = tuple(
        RefiCoding(
            guid=stable_guid("coding", segment_id, key),
            code_guid=code_guid(book, *key.split(":", 1)),
            user_guid=user,
        )
        for key in keys
    )
    return RefiSelection(
        guid=stable_guid("selection", segment_id),
        start=int(row["start"]),
        end=int(row["end"]),
        name=segment_id,
        user_guid=user,
        codings=codings,
    )
