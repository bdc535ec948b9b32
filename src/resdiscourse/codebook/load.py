"""Load a codebook: YAML with positions, the schema, then the cross-checks (docs/codebook.md).

Every problem is collected, not only the first, and each points at the ``file:line:col`` of the
value at fault. The steps live in their own modules: :mod:`~resdiscourse.codebook.yaml_positions`
reads the YAML, :mod:`~resdiscourse.codebook.schema_errors` explains schema errors and
:mod:`~resdiscourse.codebook.checks` runs the checks that need the whole codebook.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from resdiscourse.codebook.yaml_positions import KeyPath, Position, nearest_location, read_yaml
from resdiscourse.errors import Location, Problem, UsageError, problem

if TYPE_CHECKING:
    from resdiscourse.codebook.schema import Codebook

__all__ = [
    "CodebookError",
    "KeyPath",
    "LoadedCodebook",
    "Position",
    "archived_versions",
    "load_codebook",
    "shipped_codebooks",
    "shipped_versions",
    "validate_codebook",
]


@dataclass(frozen=True)
class LoadedCodebook:
    """A valid codebook, its file, and where each of its values stands in that file."""

    codebook: Codebook
    #: The path as given, or the shipped codebook's name.
    source: str
    path: Path
    sha256: str
    #: Key path -> 1-based (line, col) of the value.
    positions: dict[KeyPath, Position]
    #: The file's bytes as loaded (what ``sha256`` is the digest of).
    data: bytes = b""

    def location(self, path: KeyPath) -> Location:
        """The location of the value at ``path``, else of its nearest parent that has one."""
        return nearest_location(self.source, self.positions, path)


class CodebookError(UsageError):
    """An invalid codebook: every problem found (exit code 2, like other configuration errors)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0])
        self.problems = problems

    def one_line(self) -> str:
        return "\n".join(item.one_line() for item in self.problems)

    def __str__(self) -> str:
        return self.one_line()


def load_codebook(source: str | Path) -> LoadedCodebook:
    """Load, check and return a codebook; raises :class:`CodebookError` with all its problems."""
    loaded, problems = _load(source)
    if problems or loaded is None:
        raise CodebookError(problems)
    return loaded


def validate_codebook(source: str | Path) -> list[Problem]:
    """Every problem of a codebook (an empty list: it is valid)."""
    return _load(source)[1]


# --- finding the file -----------------------------------------------------------------------------


def _shipped_folder() -> Traversable:
    """The folder of shipped codebooks (a function, so that tests can point it elsewhere)."""
    return resources.files("resdiscourse") / "codebooks"


def shipped_codebooks() -> dict[str, Traversable]:
    """The shipped codebooks by name (the file name without ``.yml``), sorted."""
    folder = _shipped_folder()
    if not folder.is_dir():
        return {}
    found = {item.name[: -len(".yml")]: item for item in folder.iterdir() if _is_yml(item)}
    return dict(sorted(found.items()))


def _is_yml(item: Traversable) -> bool:
    return item.name.endswith(".yml") and item.is_file()


#: Earlier versions of shipped codebooks, as ``versions/<name>@<version>.yml``: a subfolder, so
#: that :func:`shipped_codebooks` does not list them as codebooks of their own.
VERSIONS_FOLDER = "versions"


def archived_versions(name: str) -> dict[str, Traversable]:
    """The earlier versions of shipped codebook ``name`` kept in ``versions/``, oldest first."""
    folder = _shipped_folder() / VERSIONS_FOLDER
    if not folder.is_dir():
        return {}
    prefix = f"{name}@"
    found = {
        item.name[len(prefix) : -len(".yml")]: item
        for item in folder.iterdir()
        if _is_yml(item) and item.name.startswith(prefix)
    }
    return dict(sorted(found.items(), key=lambda pair: version_key(pair[0])))


def shipped_versions(name: str) -> list[str]:
    """Every version of shipped codebook ``name`` that ``name@version`` loads, oldest first; the
    current file's version is among them (empty when no codebook of that name is shipped)."""
    current = shipped_codebooks().get(name)
    if current is None:
        return []
    versions = list(archived_versions(name))
    found = _version_of(current.read_bytes())
    if found and found not in versions:
        versions.append(found)
    return sorted(versions, key=version_key)


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of a version: numeric parts as numbers ("1.10.0" after "1.9.0")."""
    parts = re.split(r"[.+-]", version)
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts)


def _version_of(data: bytes) -> str | None:
    """The ``version:`` of a codebook file (None when it cannot be read)."""
    try:
        document = yaml.safe_load(data)
    except (yaml.YAMLError, UnicodeDecodeError):
        return None
    version = document.get("version") if isinstance(document, dict) else None
    return None if version is None else str(version)


@dataclass(frozen=True)
class _Source:
    name: str
    path: Path
    data: bytes


def _open(source: str | Path) -> _Source:
    """The file's bytes; raises :class:`CodebookError` (E308) when there is no such codebook, E609
    for ``name@version`` when the shipped codebook ``name`` has no such version."""
    name = str(source)
    shipped = shipped_codebooks()
    path_like = isinstance(source, Path) or name.endswith((".yml", ".yaml")) or "/" in name
    if not path_like and name in shipped:
        item = shipped[name]
        return _Source(name, Path(str(item)), item.read_bytes())
    if not path_like and name.partition("@")[0] in shipped:
        return _open_version(name, shipped[name.partition("@")[0]])
    path = Path(source)
    try:
        return _Source(name, path, path.read_bytes())
    except OSError:
        names = ", ".join(shipped) or "none is installed"
        where = Location(file=name)
        raise CodebookError([problem("E308", where, source=name, names=names)]) from None


def _open_version(source: str, current: Traversable) -> _Source:
    """``name@version``: the archived file of that version, else the current file when it is that
    version (an archived copy wins: it is the version as released)."""
    name, _, version = source.partition("@")
    archived = archived_versions(name)
    if version in archived:
        item = archived[version]
        return _Source(source, Path(str(item)), item.read_bytes())
    data = current.read_bytes()
    current_version = _version_of(data)
    if current_version is not None and version == current_version:
        return _Source(source, Path(str(current)), data)
    versions = sorted({*archived, *([current_version] if current_version else [])}, key=version_key)
    listed = ", ".join(
        f"{item} (current)" if item == current_version else item for item in versions
    )
    where = Location(file=source)
    raise CodebookError(
        [problem("E609", where, name=name, version=version or "(empty)", versions=listed or "none")]
    )


# --- putting it together --------------------------------------------------------------------------


def _load(source: str | Path) -> tuple[LoadedCodebook | None, list[Problem]]:
    try:
        opened = _open(source)
    except CodebookError as error:
        return None, error.problems
    document = read_yaml(opened.name, opened.data)
    if any(item.code == "E301" for item in document.problems):
        return None, _sorted(document.problems)
    problems = list(document.problems)
    # The schema (pydantic) and the checks are imported here, not at the top: listing the shipped
    # codebooks, as every command's --help does, must stay cheap (tests/test_startup.py).
    from pydantic import ValidationError

    from resdiscourse.codebook.checks import cross_check
    from resdiscourse.codebook.schema import Codebook
    from resdiscourse.codebook.schema_errors import schema_problems

    try:
        codebook = Codebook.model_validate(document.data)
    except ValidationError as error:
        return None, _sorted(problems + schema_problems(error, document))
    problems += cross_check(codebook, document)
    if problems:
        return None, _sorted(problems)
    digest = hashlib.sha256(opened.data).hexdigest()
    loaded = LoadedCodebook(
        codebook, opened.name, opened.path, digest, document.positions(), opened.data
    )
    return loaded, []


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda item: (item.location.line or 0, item.location.col or 0))
