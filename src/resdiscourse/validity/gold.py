"""Gold files: labelled sentences to score a codebook against (docs/codebook.md).

Two formats, read by :func:`read_gold` into :class:`LabelledItem` objects:

- our YAML: ``items: [{id, text, retrieved, lang?, <dimension>: code, split?, source?, ...}]``, as
  ``shared/gold-dev.yaml`` and ``shared/gold-real-dev.yaml``;
- CSV: ``id,text,retrieved,lang`` then one column per dimension.

A dimension's value is a code, several codes (a YAML list, or codes joined by ``;``), or none
(empty, ``none``). Only the codebook's dimensions present in the file are scored. A YAML item may
carry any other field (source, note, ...); a CSV column must be a dimension of the codebook or one
of :data:`METADATA_FIELDS`, so that a misspelt dimension is an error, not a silently unscored
column. Every problem of a file is collected (E6xx, each with its ``file:line:col``) before
:class:`GoldFileError` is raised.

Scoring is :mod:`resdiscourse.validity.evaluate`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from resdiscourse.codebook.schema import Codebook
from resdiscourse.codebook.yaml_positions import read_yaml
from resdiscourse.errors import Location, Problem, UsageError, problem

#: The codes macro-F1 averages over for locus and valence (those of the Bhuyan–Leung codebook).
GOLD_CODES = {"locus": ("attribute", "resource", "civic"), "valence": ("deficit", "asset")}

#: Fields every item must have.
REQUIRED_FIELDS = ("id", "text", "retrieved")
#: Fields of an item that are not dimensions (kept or ignored, never scored).
METADATA_FIELDS = ("lang", "split", "source", "labelled_by", "note", "year", "publisher")
#: Cell values that mean "no code".
NONE_VALUES = frozenset({"", "none"})
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


# --- items ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledItem:
    """One labelled sentence of a gold file."""

    id: str
    text: str
    retrieved: bool
    #: Scored dimension → its gold codes (empty: none), for every dimension of the file.
    codes: dict[str, tuple[str, ...]]
    lang: str | None = None
    split: str | None = None
    source: str | None = None
    location: Location = field(default_factory=Location)

    def label(self, dimension: str) -> str | None:
        """The gold code of an exclusive dimension (None: no code)."""
        codes = self.codes.get(dimension, ())
        return codes[0] if codes else None


@dataclass(frozen=True)
class GoldFile:
    """The items of a gold file and the dimensions it labels (in codebook order)."""

    path: str
    format: Literal["yaml", "csv"]
    dimensions: tuple[str, ...]
    items: tuple[LabelledItem, ...]

    def splits(self) -> list[str]:
        return sorted({item.split for item in self.items if item.split})


class GoldFileError(UsageError):
    """A gold file that cannot be scored: every problem found (exit code 2)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0])
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(item.one_line() for item in self.problems)


def read_gold(path: str | Path, codebook: Codebook, *, split: str | None = None) -> GoldFile:
    """The items of a YAML or CSV gold file, checked against ``codebook``'s dimensions and codes;
    with ``split``, only the items of that split. Raises :class:`GoldFileError` (E6xx)."""
    name = str(path)
    suffix = Path(name).suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise GoldFileError([problem("E608", Location(file=name), suffix=suffix or "(none)")])
    data = _read_bytes(name)
    reader = _Reader(name, codebook, strict=suffix == ".csv")
    rows = reader.csv_rows(data) if suffix == ".csv" else reader.yaml_rows(data)
    items = [item for row in rows if (item := reader.item(row)) is not None]
    reader.check_ids(items)
    if reader.problems:
        raise GoldFileError(reader.problems)
    if split is not None:
        items = [item for item in items if item.split == split]
    if not items:
        raise GoldFileError([_no_items(name, split, reader.splits)])
    dimensions = tuple(dim for dim in codebook.dimensions if dim in reader.dimensions)
    kind: Literal["yaml", "csv"] = "csv" if suffix == ".csv" else "yaml"
    return GoldFile(name, kind, dimensions, tuple(items))


def _read_bytes(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError as error:
        where = Location(file=name)
        detail = error.strerror or str(error)
        raise GoldFileError([problem("E601", where, path=name, detail=detail)]) from None


def _no_items(name: str, split: str | None, splits: set[str]) -> Problem:
    where = Location(file=name)
    if split is None:
        return problem("E607", where, what="", advice="add labelled items to the file")
    found = ", ".join(sorted(splits)) or "none (no item has a split field)"
    advice = f"the splits of this file are: {found}"
    return problem("E607", where, what=f" in split {split!r}", advice=advice)


@dataclass(frozen=True)
class _Row:
    """One item as read, before checks: field → value, and where each field stands."""

    values: dict[str, Any]
    at: Callable[[str | None], Location]


@dataclass
class _Reader:
    """Turns rows of either format into items, collecting every problem."""

    file: str
    codebook: Codebook
    problems: list[Problem] = field(default_factory=list)
    #: The dimensions some item labels.
    dimensions: set[str] = field(default_factory=set)
    splits: set[str] = field(default_factory=set)
    #: Whether a field that is neither a dimension nor metadata is an error (CSV columns).
    strict: bool = False
    #: Unknown fields already reported: one E604 per field, not one per item.
    unknown: set[str] = field(default_factory=set)

    def report(self, error: str, where: Location, /, **values: Any) -> None:
        self.problems.append(problem(error, where, **values))

    # --- YAML ---

    def yaml_rows(self, data: bytes) -> Iterator[_Row]:
        document = read_yaml(self.file, data)
        for found in document.problems:  # syntax errors and duplicate keys, moved to E6xx
            self.report("E602", found.location, detail=found.message, advice=found.hint)
        if document.problems:
            return
        items = document.data.get("items") if isinstance(document.data, dict) else None
        if not isinstance(items, list):
            advice = "the file is a mapping whose key items holds a list of {id, text, ...}"
            self.report("E602", document.at(()), detail="no list of items", advice=advice)
            return
        for index, raw in enumerate(items):
            path = ("items", index)
            if not isinstance(raw, dict):
                where = document.at(path)
                advice = "write each item as {id: ..., text: ..., retrieved: ...}"
                self.report(
                    "E602", where, detail=f"item {index + 1} is not a mapping", advice=advice
                )
                continue

            def at(key: str | None, path: tuple[str | int, ...] = path) -> Location:
                return document.at(path if key is None else (*path, key))

            yield _Row(raw, at)

    # --- CSV ---

    def csv_rows(self, data: bytes) -> Iterator[_Row]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            where = Location(file=self.file, line=line, col=1)
            self.report("E602", where, detail="not UTF-8 text", advice="save the file as UTF-8")
            return
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [name.strip() for name in next(reader, [])]
        if not self._header_ok(header):
            return
        for row in reader:
            where = Location(file=self.file, line=reader.line_num, col=1)
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            if len(row) != len(header):
                detail = f"{len(row)} cells where the header has {len(header)}"
                advice = "quote cells that contain commas or line breaks"
                self.report("E602", where, detail=detail, advice=advice)
                continue
            yield _Row(dict(zip(header, row, strict=True)), _everywhere(where))

    def _header_ok(self, header: list[str]) -> bool:
        where = Location(file=self.file, line=1, col=1)
        missing = [name for name in REQUIRED_FIELDS if name not in header]
        duplicated = sorted({name for name in header if header.count(name) > 1})
        if missing or duplicated:
            detail = (
                f"the header lacks {', '.join(missing)}"
                if missing
                else f"the header repeats {', '.join(duplicated)}"
            )
            advice = "the first line names the columns: id,text,retrieved,lang, then dimensions"
            self.report("E602", where, detail=detail, advice=advice)
            return False
        return True

    # --- both ---

    def item(self, row: _Row) -> LabelledItem | None:
        """The item of a row, or None after reporting its problems."""
        before = len(self.problems)
        values = row.values
        item_id = _text(values.get("id"))
        name = item_id or "(no id)"
        for key in REQUIRED_FIELDS:
            if _text(values.get(key)) == "":
                advice = f"give every item its {key}"
                self.report("E603", row.at(None), id=name, detail=f"no {key}", advice=advice)
        retrieved = self._retrieved(values.get("retrieved"), name, row)
        codes = {
            key: self._codes(key, value, name, row)
            for key, value in values.items()
            if key not in REQUIRED_FIELDS and self._is_dimension(key, row)
        }
        if len(self.problems) > before or retrieved is None:
            return None
        split = _text(values.get("split")) or None
        if split:
            self.splits.add(split)
        return LabelledItem(
            item_id,
            _text(values.get("text")),
            retrieved,
            codes,
            lang=_text(values.get("lang")) or None,
            split=split,
            source=_text(values.get("source")) or None,
            location=row.at(None),
        )

    def _is_dimension(self, key: str, row: _Row) -> bool:
        if key in self.codebook.dimensions:
            self.dimensions.add(key)
            return True
        if self.strict and key not in METADATA_FIELDS and key not in self.unknown:
            self.unknown.add(key)
            self.report(
                "E604",
                row.at(key),
                name=key,
                codebook=self.codebook.name,
                choices=", ".join(self.codebook.dimensions),
                fields=", ".join((*REQUIRED_FIELDS, *METADATA_FIELDS)),
            )
        return False

    def _retrieved(self, value: Any, name: str, row: _Row) -> bool | None:
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        if text:
            detail = f"retrieved is {text!r}"
            advice = "write true or false"
            self.report("E603", row.at("retrieved"), id=name, detail=detail, advice=advice)
        return None

    def _codes(self, dimension: str, value: Any, name: str, row: _Row) -> tuple[str, ...]:
        spec = self.codebook.dimensions[dimension]
        parts = value if isinstance(value, list) else _text(value).split(";")
        codes = tuple(
            dict.fromkeys(
                code for part in parts if (code := _text(part)).lower() not in NONE_VALUES
            )
        )
        for code in codes:
            if code not in spec.codes:
                self.report(
                    "E605",
                    row.at(dimension),
                    id=name,
                    value=code,
                    dimension=dimension,
                    choices=", ".join(spec.codes),
                )
        if spec.exclusive and len(codes) > 1:
            self.report(
                "E606", row.at(dimension), id=name, dimension=dimension, codes=";".join(codes)
            )
        return codes

    def check_ids(self, items: list[LabelledItem]) -> None:
        first: dict[str, LabelledItem] = {}
        for item in items:
            if item.id in first:
                line = first[item.id].location.line
                detail = f"the id is already used (line {line})"
                advice = "give each item its own id"
                self.report("E603", item.location, id=item.id, detail=detail, advice=advice)
            first.setdefault(item.id, item)


def _everywhere(where: Location) -> Callable[[str | None], Location]:
    """A CSV row's fields all point at its line."""

    def at(_key: str | None) -> Location:
        return where

    return at


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def f1_score(true_positive: int, false_positive: int, false_negative: int) -> float:
    """F1 = 2·TP / (2·TP + FP + FN); 1.0 when the code is neither in the gold nor predicted."""
    denominator = 2 * true_positive + false_positive + false_negative
    return 1.0 if denominator == 0 else 2 * true_positive / denominator
