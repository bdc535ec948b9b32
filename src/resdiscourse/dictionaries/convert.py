"""``resdiscourse codebook convert IN --to OUT``: read a dictionary of any supported format (or a
codebook) and write it as a codebook, a LIWC ``.dic``, a WordStat ``.cat`` or a REFI-QDA
``.qdc``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resdiscourse.codebook.load import load_codebook
from resdiscourse.dictionaries.model import Dictionary
from resdiscourse.dictionaries.patterns import ValueType
from resdiscourse.dictionaries.read import read_dictionary
from resdiscourse.dictionaries.write import output_format, render
from resdiscourse.errors import Location, Problem, ResdiscourseError

_TARGETS = {
    "codebook": "a codebook",
    "liwc": "a LIWC .dic",
    "wordstat": "a WordStat .cat",
    "refi": "a REFI-QDA .qdc",
}


@dataclass(frozen=True)
class Conversion:
    """What ``convert`` read and wrote, and every line it could not carry over."""

    source: str
    source_format: str
    output: str
    output_format: str
    categories: int
    terms: int
    lost: tuple[Problem, ...]

    @property
    def complete(self) -> bool:
        """Nothing was lost: the exit code is 0, else 1."""
        return not any(item.code == "W801" for item in self.lost)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "source_format": self.source_format,
            "output": self.output,
            "output_format": self.output_format,
            "categories": self.categories,
            "terms": self.terms,
            "complete": self.complete,
            "lost": [item.to_dict() for item in self.lost],
        }


def convert_dictionary(
    source: str | Path,
    to: str | Path,
    *,
    valuetype: ValueType = "glob",
    language: str = "",
) -> Conversion:
    """Convert ``source`` into the format of ``to``'s suffix (.yml, .dic, .cat or .qdc) and write
    it. ``language`` is the written codebook's language, or the language whose terms a codebook
    gives when it is the source."""
    out = Path(to)
    kind = output_format(out)
    dictionary = read_dictionary(
        source, valuetype=valuetype, language=language, target=_TARGETS[kind]
    )
    data, problems = render(dictionary, kind, language or "en")
    _write(out, data)
    if kind == "codebook":
        load_codebook(out)  # what we write must load: a failure here is a bug, reported as such
    return Conversion(
        source=str(source),
        source_format=dictionary.format,
        output=str(out),
        output_format=kind,
        categories=len(dictionary.categories),
        terms=sum(len(category.terms) for category in dictionary.categories),
        lost=(*dictionary.lost, *problems),
    )


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as error:
        raise ResdiscourseError.of(
            "E218", Location(file=str(path)), path=str(path), detail=error.strerror or str(error)
        ) from None


def equivalent(left: Dictionary, right: Dictionary) -> bool:
    """Same categories (names compared case-insensitively, nesting kept) with the same terms
    (case-insensitively, order ignored)."""
    return _shape(left) == _shape(right)


def _shape(dictionary: Dictionary) -> dict[tuple[str, ...], frozenset[str]]:
    return {
        tuple(name.casefold() for name in category.path): frozenset(
            term.text.casefold() for term in category.terms
        )
        for category in dictionary.categories
    }
