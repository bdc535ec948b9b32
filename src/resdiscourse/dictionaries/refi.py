"""REFI-QDA ``.qdc`` codebooks: nested codes with descriptions, read by the project's REFI reader,
become a coding frame: categories with their descriptions and no terms."""

from __future__ import annotations

from pathlib import Path

from resdiscourse.dictionaries.builder import Builder
from resdiscourse.dictionaries.model import Dictionary
from resdiscourse.errors import ResdiscourseError, UsageError
from resdiscourse.export.refi_model import RefiCode
from resdiscourse.export.refi_read import read_qdc


def read_refi(path: Path, builder: Builder) -> Dictionary:
    try:
        codebook, problems = read_qdc(path)
    except ResdiscourseError as error:  # a damaged .qdc is a bad input: exit code 2
        raise UsageError(error.problem) from None
    builder.lost.extend(problems)
    for code in codebook.codes:
        _code(code, (), builder)
    return builder.build("")


def _code(code: RefiCode, path: tuple[str, ...], builder: Builder) -> None:
    here = (*path, code.name)
    builder.category(here, code.description)
    for child in code.children:
        _code(child, here, builder)
