"""Read a dictionary of any supported format, told from the file's content (the extension only
breaks a tie), or a resdiscourse codebook (a path or a shipped codebook's name)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml

from resdiscourse.codebook.load import load_codebook, shipped_codebooks
from resdiscourse.dictionaries.builder import Builder, decode, split_lines
from resdiscourse.dictionaries.from_codebook import codebook_dictionary
from resdiscourse.dictionaries.lexicoder import read_lc3
from resdiscourse.dictionaries.liwc import read_dic, read_dicx
from resdiscourse.dictionaries.model import Dictionary
from resdiscourse.dictionaries.patterns import ValueType
from resdiscourse.dictionaries.quanteda import read_yaml
from resdiscourse.dictionaries.refi import read_refi
from resdiscourse.dictionaries.weighted import LINE as WEIGHTED_LINE
from resdiscourse.dictionaries.weighted import read_weighted
from resdiscourse.dictionaries.wordstat import TERM as WORDSTAT_TERM
from resdiscourse.dictionaries.wordstat import read_cat
from resdiscourse.dictionaries.yoshikoder import read_ykd
from resdiscourse.errors import Location, UsageError

#: Format names, as ``convert --from`` takes them and reports show them.
FORMATS = (
    "codebook",
    "quanteda",
    "liwc",
    "liwc22",
    "lexicoder",
    "wordstat",
    "yoshikoder",
    "weighted",
    "refi",
)

_FORMAT_ADVICE = (
    "give a quanteda YAML, LIWC .dic/.dicx, Lexicoder .lc3, WordStat .cat, Yoshikoder .ykd, "
    "term<TAB>weight list, REFI-QDA .qdc or a resdiscourse codebook"
)


def read_dictionary(
    source: str | Path,
    *,
    valuetype: ValueType = "glob",
    language: str = "",
    target: str = "a codebook",
) -> Dictionary:
    """Read ``source`` (a file, or a shipped codebook's name) as a :class:`Dictionary`."""
    path = Path(source)
    if not path.exists() and str(source) in shipped_codebooks():
        return codebook_dictionary(load_codebook(source), target, language)
    data = _read_bytes(path)
    kind = detect_format(data, path)
    if kind == "codebook":
        return codebook_dictionary(load_codebook(path), target, language)
    builder = Builder(str(source), kind, valuetype)
    if kind == "yoshikoder":
        return read_ykd(data, builder)
    if kind == "refi":
        return read_refi(path, builder)
    return _TEXT_READERS[kind](decode(data), builder)


_TEXT_READERS: dict[str, Callable[[str, Builder], Dictionary]] = {
    "quanteda": read_yaml,
    "liwc": read_dic,
    "liwc22": read_dicx,
    "lexicoder": read_lc3,
    "wordstat": read_cat,
    "weighted": read_weighted,
}


def _read_bytes(path: Path) -> bytes:
    where = Location(file=str(path))
    if not path.is_file():
        detail = "no such file" if not path.exists() else "not a file"
        raise UsageError.of(
            "E804",
            where,
            path=str(path),
            detail=detail,
            advice="check the path, or give a shipped codebook's name",
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise UsageError.of(
            "E804",
            where,
            path=str(path),
            detail=error.strerror or str(error),
            advice="check the file's permissions",
        ) from None


def detect_format(data: bytes, path: Path) -> str:
    """The format of a dictionary file, from what it holds (E802 when none fits)."""
    text = decode(data)
    lines = [line for line in split_lines(text) if line.strip()]
    if not lines:
        raise _unknown(path, "the file is empty")
    head = lines[0].strip()
    if head.startswith("<"):
        return _xml_kind(text, path)
    if head == "%":
        return "liwc"
    if re.match(r'^\ufeff?"?DicTerm"?\s*,', head):
        return "liwc22"
    if head.startswith("+"):
        return "lexicoder"
    if all(WEIGHTED_LINE.match(line) for line in lines):
        return "weighted"
    if any(WORDSTAT_TERM.match(line.strip()) for line in lines) and not _is_yaml_mapping(text):
        return "wordstat"
    return _yaml_kind(text, path)


def _xml_kind(text: str, path: Path) -> str:
    found = re.search(r"<(?!\?|!)([\w:.-]+)", text)
    tag = found.group(1).split(":")[-1] if found else ""
    if tag == "dictionary":
        return "yoshikoder"
    if tag == "CodeBook":
        return "refi"
    raise _unknown(path, f"XML whose root is <{tag}>, neither Yoshikoder nor REFI-QDA")


def _is_yaml_mapping(text: str) -> bool:
    try:
        return isinstance(yaml.safe_load(text), dict)
    except yaml.YAMLError:
        return False


def _yaml_kind(text: str, path: Path) -> str:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        # The content settles nothing: the extension decides, and that format's reader says
        # which line is wrong.
        by_suffix = _SUFFIXES.get(path.suffix.lower())
        if by_suffix is None:
            raise _unknown(path, "no known layout fits its first lines")
        return by_suffix
    if "concepts" in data and "name" in data:
        return "codebook"
    return "quanteda"


_SUFFIXES = {
    ".yml": "quanteda",
    ".yaml": "quanteda",
    ".dic": "liwc",
    ".lc3": "lexicoder",
    ".cat": "wordstat",
    ".ykd": "yoshikoder",
    ".qdc": "refi",
}


def _unknown(path: Path, detail: str) -> UsageError:
    return UsageError.of(
        "E802", Location(file=str(path)), path=str(path), detail=detail, advice=_FORMAT_ADVICE
    )
