"""What every reader shares: the file's text and lines, and a builder that collects categories,
terms and what was lost, each with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from resdiscourse.dictionaries.model import Category, Dictionary, DictTerm, lost
from resdiscourse.dictionaries.patterns import Untranslatable, ValueType, translate
from resdiscourse.errors import Location, Problem, UsageError

#: Where the codebook's term syntax is the target of a conversion (for W801 messages).
CODEBOOK = "a codebook term"


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252, as older LIWC and WordStat files are."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def split_lines(text: str) -> list[str]:
    """Lines ended by LF, CRLF or a lone CR (MFD 2.0 is CR-only); no other separator, so a form
    feed or U+2028 inside a line stays in it."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


@dataclass
class Builder:
    """Categories and terms as a reader finds them, in file order."""

    file: str
    format: str
    valuetype: ValueType = "glob"
    _terms: dict[tuple[str, ...], list[DictTerm]] = field(default_factory=dict)
    _descriptions: dict[tuple[str, ...], str] = field(default_factory=dict)
    _seen: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    lost: list[Problem] = field(default_factory=list)

    def where(self, line: int | None, col: int | None = None) -> Location:
        return Location(file=self.file, line=line, col=col)

    def category(self, path: tuple[str, ...], description: str = "") -> None:
        """Add a category (and its parents, first) unless it is there; keep a description."""
        for depth in range(1, len(path) + 1):
            self._terms.setdefault(path[:depth], [])
            self._seen.setdefault(path[:depth], set())
        if description:
            self._descriptions[path] = description

    def has(self, path: tuple[str, ...]) -> bool:
        return path in self._terms

    def term(
        self,
        path: tuple[str, ...],
        value: str,
        line: int | None,
        weight: float | None = None,
        *,
        lemma: bool = False,
        case: bool = False,
    ) -> None:
        """Add a value to a category as a term, or report the line when it cannot be one."""
        self.category(path)
        found = translate(value, self.valuetype)
        if isinstance(found, Untranslatable):
            self.lose(line, found.detail, found.advice)
            return
        key = found.lower()
        if key in self._seen[path]:
            return  # the same value twice in a category counts once, as in quanteda
        self._seen[path].add(key)
        self._terms[path].append(DictTerm(found, weight, lemma, case))

    def lose(self, line: int | None, detail: str, advice: str, target: str = CODEBOOK) -> None:
        self.lost.append(lost(target, self.where(line), detail, advice))

    def malformed(self, line: int | None, detail: str, advice: str) -> UsageError:
        return UsageError.of(
            "E803", self.where(line), format=self.format, detail=detail, advice=advice
        )

    def build(self, name: str) -> Dictionary:
        categories = tuple(
            Category(path, tuple(terms), self._descriptions.get(path, ""))
            for path, terms in self._terms.items()
        )
        return Dictionary(name or Path(self.file).stem, self.format, categories, tuple(self.lost))
