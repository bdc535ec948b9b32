"""The corpus manifest (`manifest.csv` or `manifest.yaml`): one row of metadata per document.

Structural faults (unreadable file, a row without `file`, a duplicate doc_id) are usage errors that
point at the row; a bad value in a field is a warning (W107) and the value is left out.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from resdiscourse.errors import Location, Problem, ResdiscourseError, UsageError, problem
from resdiscourse.ingest.metadata import YEAR_MAX, YEAR_MIN, scalar_text
from resdiscourse.ingest.plaintext import decode_bytes
from resdiscourse.models import DOCUMENT_COLUMNS, MANIFEST_FIELDS

MANIFEST_NAMES = ("manifest.csv", "manifest.yaml", "manifest.yml")
LEVELS = ("municipal", "provincial", "federal")
#: doc_ids name output files (texts/<doc_id>.txt), so no separators or leading dots.
_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_YEAR = re.compile(r"^\d{4}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True)
class ManifestRow:
    """One document's manifest entry; ``lines`` gives the line of each field (for messages)."""

    fields: dict[str, str]
    line: int
    lines: dict[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    @property
    def file(self) -> str:
        return self.fields["file"]

    @property
    def doc_id(self) -> str:
        return self.fields.get("doc_id", "")


@dataclass(frozen=True)
class Manifest:
    name: str  # file name inside the corpus folder, used in locations
    rows: tuple[ManifestRow, ...]

    @property
    def extra_columns(self) -> list[str]:
        """Columns that documents.csv does not have already, sorted by name."""
        names = {key for row in self.rows for key in row.fields}
        return sorted(names - set(DOCUMENT_COLUMNS))


def find_manifest(corpus: Path) -> Path | None:
    found = [corpus / name for name in MANIFEST_NAMES if (corpus / name).is_file()]
    if len(found) > 1:
        raise UsageError.of(
            "E203",
            Location(file=found[1].name),
            detail=f"found both {found[0].name} and {found[1].name}; keep one",
        )
    return found[0] if found else None


def load_manifest(corpus: Path) -> Manifest | None:
    """The corpus's manifest, validated, or None when there is none."""
    path = find_manifest(corpus)
    return read_manifest(path) if path else None


def read_manifest(path: Path) -> Manifest:
    name = path.name
    try:
        text = decode_bytes(path.read_bytes(), path)
    except (OSError, ResdiscourseError) as error:
        raise UsageError.of("E203", Location(file=name), detail=_reason(error)) from None
    raw = _csv_rows(text, name) if path.suffix.lower() == ".csv" else _yaml_rows(text, name)
    rows = tuple(_checked(row, name) for row in raw)
    _check_unique(rows, name)
    return Manifest(name, rows)


def _reason(error: Exception) -> str:
    if isinstance(error, ResdiscourseError):
        return error.problem.message
    return getattr(error, "strerror", None) or str(error)


def field_name(name: str) -> str:
    """Known fields match whatever their case or surrounding spaces; others are kept as written."""
    name = name.strip()
    return name.lower() if name.lower() in MANIFEST_FIELDS else name


def _csv_rows(text: str, name: str) -> list[ManifestRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = [field_name(cell) for cell in next(reader, [])]
        _check_header(header, name)
        rows: list[ManifestRow] = []
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(_csv_row(header, cells, name, start))
            start = reader.line_num + 1
    except csv.Error as error:
        raise UsageError.of(
            "E203", Location(file=name, line=reader.line_num), detail=str(error)
        ) from None
    return rows


def _delimiter(text: str) -> str:
    """Comma, or the semicolon/tab that spreadsheets in some locales write instead."""
    header = text.split("\n", 1)[0]
    for candidate in (",", ";", "\t"):
        if candidate in header:
            return candidate
    return ","


def _check_header(header: list[str], name: str) -> None:
    named = [column for column in header if column]
    duplicates = sorted({column for column in named if named.count(column) > 1})
    if duplicates:
        detail = f"column {duplicates[0]!r} appears twice in the header"
        raise UsageError.of("E203", Location(file=name, line=1), detail=detail)
    if "file" not in named:
        detail = "the header has no 'file' column"
        raise UsageError.of("E203", Location(file=name, line=1), detail=detail)


def _csv_row(header: list[str], cells: list[str], name: str, line: int) -> ManifestRow:
    if any(cell.strip() for cell in cells[len(header) :]):
        detail = f"the row has {len(cells)} cells but the header has {len(header)}"
        raise UsageError.of("E203", Location(file=name, line=line), detail=detail)
    fields = {column: cell.strip() for column, cell in zip(header, cells, strict=False) if column}
    return ManifestRow(fields, line, dict.fromkeys(fields, line))


def _yaml_rows(text: str, name: str) -> list[ManifestRow]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise UsageError.of(
            "E203", _yaml_location(error, name), detail=_yaml_reason(error)
        ) from None
    items, item_nodes = _yaml_items(data, node, name)
    return [
        _yaml_row(item, item_node, name) for item, item_node in zip(items, item_nodes, strict=True)
    ]


def _yaml_location(error: yaml.YAMLError, name: str) -> Location:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is None:
        return Location(file=name)
    return Location(file=name, line=mark.line + 1, col=mark.column + 1)


def _yaml_reason(error: yaml.YAMLError) -> str:
    parts = [getattr(error, "context", None), getattr(error, "problem", None)]
    return ", ".join(str(part) for part in parts if part) or str(error).splitlines()[0]


def _yaml_items(data: Any, node: yaml.Node | None, name: str) -> tuple[list[Any], list[yaml.Node]]:
    """The row values and their nodes: a top-level list, or the list under ``documents:``."""
    if data is None or node is None:
        return [], []
    if isinstance(data, dict) and isinstance(node, yaml.MappingNode) and "documents" in data:
        node = next(value for key, value in node.value if key.value == "documents")
        data = data["documents"]
        if data is None:
            return [], []
    if isinstance(data, list) and isinstance(node, yaml.SequenceNode):
        return data, list(node.value)
    detail = "expected a list of documents, or a mapping with a 'documents' list"
    raise UsageError.of("E203", Location(file=name, line=node.start_mark.line + 1), detail=detail)


def _yaml_row(item: Any, node: yaml.Node, name: str) -> ManifestRow:
    line = node.start_mark.line + 1
    if not isinstance(item, dict) or not isinstance(node, yaml.MappingNode):
        detail = "each document must be a mapping of fields (file: ..., title: ...)"
        raise UsageError.of("E203", Location(file=name, line=line), detail=detail)
    lines = {field_name(str(key.value)): value.start_mark.line + 1 for key, value in node.value}
    fields = {field_name(str(key)): scalar_text(value) for key, value in item.items()}
    return ManifestRow({k: v for k, v in fields.items() if v}, line, lines)


def _checked(row: ManifestRow, name: str) -> ManifestRow:
    """The row with `file` normalised and invalid field values replaced by warnings."""
    file = _relative_file(row.fields.get("file", ""))
    if not file:
        raise UsageError.of(
            "E203", Location(file=name, line=row.line), detail="the row has no 'file'"
        )
    doc_id = row.fields.get("doc_id", "")
    if doc_id and not _DOC_ID.match(doc_id):
        detail = f"doc_id {doc_id!r} may only use letters, digits, '.', '_' and '-'"
        raise UsageError.of(
            "E203", Location(file=name, line=row.lines.get("doc_id", row.line)), detail=detail
        )
    fields = {**row.fields, "file": file}
    problems: list[Problem] = []
    for key, check in _CHECKS.items():
        if fields.get(key):
            value, detail = check(fields[key])
            if detail:
                location = Location(file=name, line=row.lines.get(key, row.line))
                problems.append(
                    problem("W107", location, field=key, value=fields[key], detail=detail)
                )
            fields[key] = value
    return ManifestRow(fields, row.line, row.lines, tuple(problems))


def _relative_file(value: str) -> str:
    """Forward slashes, no ``./`` (manifests written on Windows use backslashes)."""
    value = value.strip().replace("\\", "/")
    return posixpath.normpath(value) if value else ""


def _check_year(value: str) -> tuple[str, str]:
    year = value.strip()
    if _YEAR.match(year) and YEAR_MIN <= int(year) <= YEAR_MAX:
        return year, ""
    return "", f"year must be a whole number from {YEAR_MIN} to {YEAR_MAX}"


def _check_level(value: str) -> tuple[str, str]:
    level = value.strip().lower()
    return (level, "") if level in LEVELS else ("", "level must be one of: " + ", ".join(LEVELS))


def _check_language(value: str) -> tuple[str, str]:
    code = value.strip().lower()
    if _LANGUAGE.match(code):
        return code, ""
    return "", "language must be a two-letter ISO 639-1 code such as en or fr"


_CHECKS = {"year": _check_year, "level": _check_level, "language": _check_language}


def _check_unique(rows: tuple[ManifestRow, ...], name: str) -> None:
    """doc_ids (ignoring case: they become file names) and files must each appear once."""
    seen_ids: dict[str, int] = {}
    seen_files: dict[str, int] = {}
    for row in rows:
        if row.doc_id:
            first = seen_ids.setdefault(row.doc_id.lower(), row.line)
            if first != row.line:
                location = Location(file=name, line=row.lines.get("doc_id", row.line))
                raise UsageError.of("E206", location, doc_id=row.doc_id)
        first = seen_files.setdefault(row.file, row.line)
        if first != row.line:
            detail = f"file {row.file!r} is listed twice (first on line {first})"
            raise UsageError.of("E203", Location(file=name, line=row.line), detail=detail)
