"""A dataset NVivo imports, whose autocoding recreates our codes (docs/nvivo.md).

One row per retrieved segment. NVivo asks at import whether each column is *classifying*
(metadata) or *codable* (text to code); :class:`NvivoDataset` says which. Besides ``text`` and its
context, every code has a codable column holding the segment's text where the segment has the
code and nothing elsewhere, so Autocode > "code to codes for selected columns" makes one NVivo
code per column with exactly our segments.

What NVivo's documentation says, and what follows from it here (we could not run NVivo):

- "The maximum amount of data that can be imported into a single dataset is 256 fields (columns)
  and 1,048,576 records (rows)"; the analysis type (codable or classifying) cannot be changed
  after import; spreadsheets (.xlsx) and comma- or tab-delimited text files are imported, and for
  text files NVivo "tries to detect the file encoding" (hence the BOM of our CSV).
  https://help-nv9-en.qsrinternational.com/procedures/import_datasets.htm
- Autocoding by column creates a code per selected codable column, named after the column:
  https://help-nv.qsrinternational.com/20/win/Content/coding/automatic-coding-datasets.htm
- Reserved characters ``\\ / : * ? " < > |`` in a name that becomes a node name are replaced by
  ``~``: https://help-nv9-en.qsrinternational.com/procedures/automatic_coding_in_document_sources.htm
  So code columns are named ``dimension - label`` (not ``dimension:code``) with those characters
  replaced by ``-``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from resdiscourse.errors import UsageError
from resdiscourse.export.forms import segment_sort_key
from resdiscourse.export.tables import write_table
from resdiscourse.rundir import CodeLabel, CodeRun

#: NVivo imports at most this many columns (fields) into one dataset.
NVIVO_MAX_COLUMNS = 256
#: Code columns in one dataset file at most: a codebook with more is written as several files
#: (``nvivo-1.xlsx``, ``nvivo-2.xlsx``…) with the same rows and classifying columns.
NVIVO_MAX_CODE_COLUMNS = 240
#: The formats NVivo's dataset import reads that we write.
NVIVO_FORMATS = ("xlsx", "csv")
#: Metadata columns, set as Classifying at import; one column per dimension (its code labels,
#: joined ``"; "``) follows them. ``review`` is segments.csv's flag (``yes`` | ``no``): a weak
#: rule or a close tie-break decided the segment's code (docs/codebook.md).
CLASSIFYING_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "doc_id",
    "title",
    "year",
    "jurisdiction",
    "level",
    "doc_type",
    "page",
    "page_label",
    "start",
    "end",
    "review",
)
#: Text columns, set as Codable at import; one codable column per code follows them.
CODABLE_COLUMNS: tuple[str, ...] = ("text", "context_before", "context_after")
#: Between the dimension and the code label in a code column's name, and between labels.
NAME_SEPARATOR = " - "
LABEL_SEPARATOR = "; "
#: Characters NVivo does not keep in a node name (see the module docstring).
_RESERVED = re.compile(r'[\\/:*?"<>|]')
#: Our cap, so that a long label still gives a readable node name.
_NAME_LIMIT = 120

AnalysisType = Literal["Classifying", "Codable"]


@dataclass(frozen=True)
class NvivoDataset:
    """The table to import and, per column, the analysis type to pick in NVivo's import dialog."""

    columns: tuple[str, ...]
    rows: list[dict[str, str]]
    classifying: tuple[str, ...]
    codable: tuple[str, ...]
    #: ``dimension:code`` -> the name of its codable column (and of the NVivo code autocoding
    #: makes from it).
    code_columns: dict[str, str]

    def analysis_type(self, column: str) -> AnalysisType:
        return "Classifying" if column in self.classifying else "Codable"


@dataclass(frozen=True)
class NvivoFile:
    """One file written: its path and the dataset in it."""

    path: Path
    dataset: NvivoDataset


def nvivo_dataset(run: CodeRun, dimensions: list[str] | None = None) -> NvivoDataset:
    """The dataset of ``run``: :data:`CLASSIFYING_COLUMNS` and one column per dimension
    (classifying), then :data:`CODABLE_COLUMNS` and one column per code (codable), codes in
    codebook order. ``dimensions`` keeps only those dimensions (None: all).

    Raises :class:`UsageError` (E450) for an unknown dimension, or when the dataset would have
    more than :data:`NVIVO_MAX_COLUMNS` columns (:func:`nvivo_datasets` splits it instead).
    """
    parts = nvivo_datasets(run, dimensions, per_file=NVIVO_MAX_COLUMNS)
    if len(parts) > 1:
        codes = sum(len(part.code_columns) for part in parts)
        _check_size(run, len(parts[0].classifying) + len(CODABLE_COLUMNS) + codes)
    return parts[0]


def nvivo_datasets(
    run: CodeRun, dimensions: list[str] | None = None, *, per_file: int = NVIVO_MAX_CODE_COLUMNS
) -> list[NvivoDataset]:
    """The dataset of ``run`` in as many parts as NVivo's column limit needs: each has every
    segment, the classifying and text columns, and at most ``per_file`` of the code columns
    (fewer when the other columns leave less room), codes in codebook order.

    Raises :class:`UsageError` (E450) for an unknown dimension, or when the columns every part
    repeats leave no room for a code column.
    """
    codes = _kept_codes(run.codes(), dimensions)
    kept = list(dict.fromkeys(code.dimension for code in codes))
    dimension_names, code_names = _extra_names(kept, codes)
    classifying = (*CLASSIFYING_COLUMNS, *dimension_names)
    room = min(per_file, NVIVO_MAX_COLUMNS - len(classifying) - len(CODABLE_COLUMNS))
    if room < 1:  # every dimension is a classifying column: too many of them for one file
        _check_size(run, NVIVO_MAX_COLUMNS + 1 - room)
    dimension_columns = dict(zip(kept, dimension_names, strict=True))
    segment_codes = run.segment_codes()
    segments = sorted(run.segments, key=segment_sort_key)
    base = [
        _row(segment, segment_codes.get(segment["segment_id"], []), codes, dimension_columns)
        for segment in segments
    ]
    named = list(zip(codes, code_names, strict=True))
    parts = []
    for first in range(0, max(len(named), 1), room):
        code_columns = {code.key: name for code, name in named[first : first + room]}
        codable = (*CODABLE_COLUMNS, *code_columns.values())
        rows = [
            row | _code_cells(segment, segment_codes, code_columns)
            for row, segment in zip(base, segments, strict=True)
        ]
        parts.append(
            NvivoDataset((*classifying, *codable), rows, classifying, codable, code_columns)
        )
    return parts


def write_nvivo_dataset(
    run: CodeRun, path: str | Path, *, dimensions: list[str] | None = None
) -> list[NvivoFile]:
    """Write the dataset of ``run`` to ``path``: .xlsx (recommended) or .csv (UTF-8 with a BOM,
    from which NVivo's text import detects the encoding). A codebook with more code columns than
    one file takes (:func:`nvivo_datasets`) is written as ``<stem>-1<suffix>``,
    ``<stem>-2<suffix>``… beside ``path`` instead. Raises :class:`UsageError`: E216 for another
    suffix, E450 as :func:`nvivo_datasets` does."""
    target = Path(path)
    suffix = target.suffix.lstrip(".")
    if suffix not in NVIVO_FORMATS:
        raise UsageError.of("E216", format=suffix, choices=", ".join(NVIVO_FORMATS))
    parts = nvivo_datasets(run, dimensions)
    files = [NvivoFile(target, parts[0])]
    if len(parts) > 1:
        files = [
            NvivoFile(target.with_name(f"{target.stem}-{number}{target.suffix}"), dataset)
            for number, dataset in enumerate(parts, start=1)
        ]
    for file in files:
        write_table(file.path, file.dataset.columns, file.dataset.rows, excel=True)
    return files


def _kept_codes(codes: list[CodeLabel], dimensions: list[str] | None) -> list[CodeLabel]:
    if dimensions is None:
        return codes
    known = list(dict.fromkeys(code.dimension for code in codes))
    unknown = [name for name in dimensions if name not in known]
    if unknown:
        raise UsageError.of(
            "E450",
            detail=f"unknown dimension {unknown[0]!r}",
            advice=f"give dimensions of the run's codebook: {', '.join(known)}",
        )
    return [code for code in codes if code.dimension in dimensions]


def _check_size(run: CodeRun, count: int) -> None:
    if count <= NVIVO_MAX_COLUMNS:
        return
    dimensions = list(dict.fromkeys(code.dimension for code in run.codes()))
    example = " ".join(f"--dimension {name}" for name in dimensions[:2])
    raise UsageError.of(
        "E450",
        detail=f"it would have {count} columns and NVivo imports at most {NVIVO_MAX_COLUMNS}",
        advice=(
            f"keep fewer dimensions with --dimension, once per dimension to keep (e.g. "
            f"{example}; the codebook's dimensions: {', '.join(dimensions)})"
        ),
    )


def _extra_names(dimensions: list[str], codes: list[CodeLabel]) -> tuple[list[str], list[str]]:
    """The headers of the dimension and code columns, unique beside the fixed columns (which keep
    their names: a dimension called ``text`` becomes ``text 2``)."""
    fixed = [*CLASSIFYING_COLUMNS, *CODABLE_COLUMNS]
    names = _unique_names([*fixed, *dimensions, *map(_code_name, codes)])[len(fixed) :]
    return names[: len(dimensions)], names[len(dimensions) :]


def _code_name(code: CodeLabel) -> str:
    """``dimension - label``: readable as an NVivo code name, free of its reserved characters."""
    name = _RESERVED.sub("-", f"{code.dimension}{NAME_SEPARATOR}{code.label}")
    return " ".join(name.split())[:_NAME_LIMIT].rstrip()


def _unique_names(names: list[str]) -> list[str]:
    """The names, a later duplicate (NVivo compares them case-blind) getting `` 2``, `` 3``…"""
    seen: set[str] = set()
    unique = []
    for name in names:
        candidate, number = name, 1
        while candidate.casefold() in seen:
            number += 1
            candidate = f"{name} {number}"
        seen.add(candidate.casefold())
        unique.append(candidate)
    return unique


def _row(
    segment: dict[str, str],
    keys: list[str],
    codes: list[CodeLabel],
    dimension_columns: dict[str, str],
) -> dict[str, str]:
    row = {column: segment.get(column, "") for column in (*CLASSIFYING_COLUMNS, *CODABLE_COLUMNS)}
    for dimension, column in dimension_columns.items():
        labels = [code.label for code in codes if code.dimension == dimension and code.key in keys]
        row[column] = LABEL_SEPARATOR.join(labels)
    return row


def _code_cells(
    segment: dict[str, str], segment_codes: dict[str, list[str]], code_columns: dict[str, str]
) -> dict[str, str]:
    keys = segment_codes.get(segment["segment_id"], [])
    return {column: segment["text"] if key in keys else "" for key, column in code_columns.items()}
