"""Matching the codes of another tool to ours: by name, or by a mapping file.

A code of the reference codebook answers to its key (``locus:attribute``), its path as our REFI
export nests it (``locus/attribute``), its id and its label when no other code shares them, and
``dimension - label`` / ``dimension: label`` (as the NVivo dataset names its columns). Names are
compared case-folded with runs of punctuation and spaces made one space. A mapping file says the
rest: ``from,to`` rows of their name and our key.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from resdiscourse.errors import Location, UsageError
from resdiscourse.rundir import CodeLabel


def normal(name: str) -> str:
    return re.sub(r"[\W_]+", " ", name.casefold()).strip()


@dataclass
class CodeNames:
    """The codes compared, in order, and every name that reaches each of them."""

    keys: list[str]
    labels: dict[str, str]
    aliases: dict[str, str]
    mapping: dict[str, str]
    #: Without a codebook, every name is a code of its own (in the order first seen).
    open_ended: bool = False
    dimensions: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of_codebook(cls, codes: list[CodeLabel], mapping: dict[str, str]) -> CodeNames:
        keys = [code.key for code in codes]
        names: list[tuple[str, str]] = []
        for code in codes:
            names += [
                (code.key, code.key),
                (f"{code.dimension}/{code.code}", code.key),
                (f"{code.dimension} - {code.label}", code.key),
                (f"{code.dimension}: {code.label}", code.key),
            ]
        shared = Counter(normal(n) for c in codes for n in {c.code, c.label})
        for code in codes:
            names += [(n, code.key) for n in {code.code, code.label} if shared[normal(n)] == 1]
        aliases = {normal(name): key for name, key in names}
        labels = {code.key: code.label for code in codes}
        dimensions = {code.key: code.dimension for code in codes}
        return cls(keys, labels, aliases, _normal_mapping(mapping, aliases), False, dimensions)

    @classmethod
    def open(cls, mapping: dict[str, str]) -> CodeNames:
        return cls([], {}, {}, {normal(k): v for k, v in mapping.items()}, True)

    def match(self, *names: str) -> str | None:
        """Our code for the first of ``names`` that reaches one, else None."""
        for name in names:
            key = normal(name)
            if not key:
                continue
            if key in self.mapping:
                return self._known(self.mapping[key])
            if key in self.aliases:
                return self.aliases[key]
        if self.open_ended and names and names[0]:
            return self._known(names[0])
        return None

    def _known(self, key: str) -> str:
        if self.open_ended and key not in self.keys:
            self.keys.append(key)
            self.labels[key] = key
        return key

    def dimension_ids(self) -> list[str]:
        return list(dict.fromkeys(self.dimensions.values()))

    def dimension(self, key: str) -> str:
        return self.dimensions.get(key, key.split(":", 1)[0] if ":" in key else "")


def _normal_mapping(mapping: dict[str, str], aliases: dict[str, str]) -> dict[str, str]:
    """Their name -> our key, whichever of our names the mapping used for the target."""
    resolved = {}
    for theirs, ours in mapping.items():
        resolved[normal(theirs)] = aliases.get(normal(ours), ours)
    return resolved


def read_mapping(path: str | Path) -> dict[str, str]:
    """A code mapping: a CSV with ``from,to`` columns, or a YAML mapping ``their: ours``."""
    file = Path(path)
    try:
        if file.suffix.lower() in (".yml", ".yaml"):
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("the YAML is not a mapping of their code to ours")
            return {str(k): str(v) for k, v in data.items()}
        with file.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        if not rows or not {"from", "to"} <= set(rows[0]):
            raise ValueError("the CSV needs the columns from,to")
        return {row["from"]: row["to"] for row in rows if row["from"] and row["to"]}
    except (OSError, ValueError, yaml.YAMLError, csv.Error) as error:
        raise UsageError.of(
            "E432", Location(file=str(file)), path=file, detail=str(error)
        ) from None
