"""Write a :class:`Dictionary` as a resdiscourse codebook (``.yml``), a LIWC ``.dic``, a WordStat
``.cat`` or a REFI-QDA ``.qdc``; each writer returns the text or bytes and what its format cannot
hold (W801)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from resdiscourse.dictionaries.model import Category, Dictionary, lost, slug
from resdiscourse.dictionaries.wordstat import TERM
from resdiscourse.errors import Location, Problem, UsageError
from resdiscourse.export.refi_model import RefiCode, RefiCodebook
from resdiscourse.export.refi_write import codebook_xml, stable_guid

#: Output suffix -> format name.
SUFFIXES = {
    ".yml": "codebook",
    ".yaml": "codebook",
    ".dic": "liwc",
    ".cat": "wordstat",
    ".qdc": "refi",
}


def output_format(path: Path) -> str:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UsageError.of("E805", Location(file=str(path)), suffix=path.suffix)
    return kind


def render(dictionary: Dictionary, kind: str, language: str = "en") -> tuple[bytes, list[Problem]]:
    """The file's bytes for format ``kind`` and what it could not hold."""
    if kind == "codebook":
        return codebook_yaml(dictionary, language).encode("utf-8"), []
    if kind == "liwc":
        text, problems = liwc_dic(dictionary)
        return text.encode("utf-8"), problems
    if kind == "wordstat":
        text, problems = wordstat_cat(dictionary)
        return text.encode("utf-8"), problems
    return refi_qdc(dictionary)


class _Dumper(yaml.SafeDumper):
    """Block mappings, flow lists of terms, unicode kept."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, str | int | float) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def codebook_yaml(dictionary: Dictionary, language: str = "en") -> str:
    """A codebook of concepts only: one concept per category, id its path joined by ``.``, its
    parent's id in ``parent``, weights kept as term data."""
    ids = dictionary.ids()
    concepts: dict[str, Any] = {}
    for category in dictionary.categories:
        concept: dict[str, Any] = {}
        if category.name != ids[category.path].split(".")[-1]:
            concept["label"] = category.name
        if len(category.path) > 1:
            concept["parent"] = ids[category.path[:-1]]
        if category.description:
            concept["description"] = category.description
        concept["terms"] = [_term(term.text, term.weight) for term in category.terms]
        concepts[ids[category.path]] = concept
    book = {
        "name": _book_name(dictionary.name),
        "version": "1.0.0",
        "title": dictionary.name,
        "description": f"Converted by resdiscourse from a {dictionary.format} dictionary.",
        "language": language,
        "concepts": concepts,
    }
    return yaml.dump(book, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _term(text: str, weight: float | None) -> str | dict[str, Any]:
    if weight is None:
        return text
    return {"term": text, "weight": int(weight) if weight.is_integer() else weight}


def _book_name(name: str) -> str:
    text = slug(name).replace("_", "-")
    return text if text[0].isalpha() else f"d-{text}"


def category_name(dictionary: Dictionary, category: Category) -> str:
    """A flat format's name for a category: its path's names joined by ``.``."""
    return ".".join(category.path)


def liwc_dic(dictionary: Dictionary) -> tuple[str, list[Problem]]:
    """LIWC 2015 layout: ``%``, ``id<TAB>name`` lines, ``%``, then ``term<TAB>id…`` in the order
    terms first appear. Weights and empty categories cannot be written: reported."""
    problems: list[Problem] = []
    numbers: dict[tuple[str, ...], int] = {}
    lines = ["%"]
    entries: dict[str, list[int]] = {}
    for category in dictionary.categories:
        number = numbers[category.path] = len(numbers) + 1
        lines.append(f"{number}\t{category_name(dictionary, category)}")
        weighted = [term for term in category.terms if term.weight is not None]
        if weighted:
            detail = f"{len(weighted)} weights of category {'.'.join(category.path)}"
            problems.append(_lost_in("a LIWC .dic", detail, "a .dic has no weights"))
        for term in category.terms:
            ids = entries.setdefault(term.text, [])
            if number not in ids:
                ids.append(number)
    lines.append("%")
    lines += [f"{text}\t" + "\t".join(str(n) for n in ids) for text, ids in entries.items()]
    return "\n".join(lines) + "\n", problems


def wordstat_cat(dictionary: Dictionary) -> tuple[str, list[Problem]]:
    """WordStat layout: a category line per category, indented one tab per level of nesting, its
    terms one level deeper as ``term (weight)`` (1 when the term has none). Descriptions, and
    names or terms that would read back as something else, cannot be written: reported."""
    problems: list[Problem] = []
    lines: list[str] = []
    for category in dictionary.categories:
        where = ".".join(category.path)
        name = category.name.strip()
        if TERM.match(name) or name != category.name or "\n" in name:
            problems.append(
                _lost_in(
                    "a WordStat .cat",
                    f"category name {category.name!r}",
                    "a .cat reads a name ending in '(n)' as a term, and trims spaces",
                )
            )
        if category.description:
            detail = f"the description of category {where}"
            problems.append(_lost_in("a WordStat .cat", detail, "a .cat has no descriptions"))
        depth = len(category.path) - 1
        lines.append("\t" * depth + name)
        for term in category.terms:
            if term.text != term.text.strip() or "_" in term.text:
                detail = f"term {term.text!r} of category {where}"
                advice = "a .cat trims spaces and reads '_' between letters as a space"
                problems.append(_lost_in("a WordStat .cat", detail, advice))
            lines.append("\t" * (depth + 1) + f"{term.text.strip()} ({_weight(term.weight)})")
    return "\n".join(lines) + "\n", problems


def _weight(weight: float | None) -> str:
    if weight is None:
        return "1"
    return str(int(weight)) if weight.is_integer() else repr(weight)


def refi_qdc(dictionary: Dictionary) -> tuple[bytes, list[Problem]]:
    """Codes nested like the categories; a code's terms go into its description as text (a
    REFI codebook has no terms), which is reported once."""
    children: dict[tuple[str, ...], list[Category]] = {}
    for category in dictionary.categories:
        children.setdefault(category.path[:-1], []).append(category)

    def code(category: Category) -> RefiCode:
        description = category.description
        if category.terms:
            terms = "Terms: " + ", ".join(term.text for term in category.terms)
            description = f"{description}\n{terms}" if description else terms
        return RefiCode(
            guid=stable_guid("dictionary", dictionary.name, *category.path),
            name=category.name,
            description=description,
            children=tuple(code(child) for child in children.get(category.path, [])),
        )

    codes = tuple(code(category) for category in children.get((), []))
    problems = []
    if any(category.terms for category in dictionary.categories):
        problems.append(
            _lost_in(
                "a REFI-QDA .qdc",
                "terms (a .qdc holds codes, not terms)",
                "each code's terms are written into its description as text",
            )
        )
    return codebook_xml(RefiCodebook(codes=codes), origin="resdiscourse"), problems


def _lost_in(target: str, detail: str, advice: str) -> Problem:
    return lost(target, Location(), detail, advice)
