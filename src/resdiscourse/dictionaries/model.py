"""A dictionary as plain data: categories (a tree) holding terms in the codebook's term syntax."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from resdiscourse.errors import Location, Problem, problem


@dataclass(frozen=True)
class DictTerm:
    """A term as a codebook writes it (words, ``*`` for any run of letters), with its weight."""

    text: str
    weight: float | None = None
    #: A codebook term's options (other formats have neither): kept so that ``count`` counts a
    #: codebook's concepts the way its rules match them.
    lemma: bool = False
    case: bool = False


@dataclass(frozen=True)
class Category:
    """A category and its place in the tree: ``path`` holds the names from the root."""

    path: tuple[str, ...]
    terms: tuple[DictTerm, ...] = ()
    description: str = ""

    @property
    def name(self) -> str:
        return self.path[-1]


@dataclass(frozen=True)
class Dictionary:
    """Categories in file order (a parent before its children), and what could not be carried
    over from the file (W801 problems, one per line of the file)."""

    name: str
    format: str
    categories: tuple[Category, ...]
    lost: tuple[Problem, ...] = field(default=(), compare=False)

    def ids(self) -> dict[tuple[str, ...], str]:
        """Category path -> concept id: the path's names made ids, joined by ``.``; an id two
        names share gets ``_2``, ``_3``… in file order ("A-B" and "A B")."""
        found: dict[tuple[str, ...], str] = {}
        taken: set[str] = set()
        for category in self.categories:
            parent = found.get(category.path[:-1])
            base = concept_id(category.path[-1:])
            base = f"{parent}.{slug(category.name)}" if parent else base
            unique, number = base, 1
            while unique in taken:
                number += 1
                unique = f"{base}_{number}"
            taken.add(unique)
            found[category.path] = unique
        return found

    def leaves(self) -> list[Category]:
        """The categories no other category nests in."""
        parents = {category.path[:-1] for category in self.categories}
        return [category for category in self.categories if category.path not in parents]


def slug(name: str) -> str:
    """A category name as an id: ASCII lower case, other runs of characters as ``_``
    ("A CATEGORY" -> ``a_category``, "Réfugiés" -> ``refugies``)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")
    return text or "category"


def concept_id(path: tuple[str, ...]) -> str:
    """The concept id of a category path: ``("AFRICA", "EAST", "BI")`` -> ``africa.east.bi``.
    An id starts with a letter, so a first name that does not gets a ``c`` ("2020" -> ``c2020``)."""
    parts = [slug(name) for name in path]
    if not parts[0][0].isalpha():
        parts[0] = "c" + parts[0]
    return ".".join(parts)


def lost(target: str, where: Location, detail: str, advice: str) -> Problem:
    """A W801: something of the file that ``target`` cannot hold, and where it was."""
    return problem("W801", where, target=target, detail=detail, advice=advice)
