"""Which documents a corpus folder holds: the files found, the manifest rows, and their doc_ids."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from resdiscourse.ingest.manifest import Manifest, ManifestRow
from resdiscourse.ingest.reader import SUPPORTED_SUFFIXES
from resdiscourse.runfolder import is_tool_folder


@dataclass(frozen=True)
class PlannedDocument:
    """One document to ingest: a file (perhaps missing) and its manifest row (perhaps none)."""

    doc_id: str
    file: str  # relative to the corpus folder, forward slashes
    exists: bool
    row: ManifestRow | None = None


@dataclass(frozen=True)
class CorpusPlan:
    documents: tuple[PlannedDocument, ...]  # sorted by file
    #: Files not ingested: of unsupported types and not named by the manifest, or (listed_only)
    #: any file the manifest does not name.
    skipped: tuple[str, ...]
    #: Folders not entered: outputs of resdiscourse (runfolder.is_tool_folder), relative paths.
    tool_folders: tuple[str, ...] = ()


def plan_corpus(
    corpus: Path,
    manifest: Manifest | None,
    exclude: Path | None = None,
    *,
    listed_only: bool = False,
) -> CorpusPlan:
    """Match the files under ``corpus`` (but not ``exclude``, an output folder) to the manifest;
    with ``listed_only``, files the manifest does not list are skipped rather than ingested."""
    tool_folders: list[str] = []
    found, skipped = walk_corpus(corpus, exclude, tool_folders=tool_folders)
    rows = {row.file: row for row in manifest.rows} if manifest else {}
    matched = _match_rows(corpus, rows, found)
    files = sorted(matched) if listed_only else sorted({*found, *matched})
    documents = _with_doc_ids([(file, matched.get(file)) for file in files], corpus)
    unlisted = [file for file in found if file not in matched] if listed_only else []
    unclaimed = tuple(sorted(file for file in [*skipped, *unlisted] if file not in matched))
    return CorpusPlan(documents, unclaimed, tuple(tool_folders))


def walk_corpus(
    corpus: Path, exclude: Path | None = None, *, tool_folders: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """Supported and unsupported files under ``corpus``, sorted.

    Hidden files and folders, README files and the corpus's own manifest are not documents. A
    folder the tool wrote (a run's outputs: :func:`~resdiscourse.runfolder.is_tool_folder`) is
    not entered, so a run never reads an earlier run's texts as documents; its path relative to
    ``corpus`` is added to ``tool_folders``.
    """
    excluded = exclude.resolve() if exclude else None
    found: list[str] = []
    skipped: list[str] = []
    for folder, subfolders, names in os.walk(corpus):
        here = Path(folder)
        visible = [
            name
            for name in sorted(subfolders)
            if not name.startswith(".") and (here / name).resolve() != excluded
        ]
        subfolders[:] = [name for name in visible if not is_tool_folder(here / name)]
        if tool_folders is not None:
            tool_folders += [
                (here / name).relative_to(corpus).as_posix()
                for name in visible
                if name not in subfolders
            ]
        for name in names:
            lower = name.lower()
            if name.startswith(".") or lower.startswith("readme"):
                continue
            relative = (here / name).relative_to(corpus).as_posix()
            if lower.startswith("manifest."):
                if here != corpus:  # only the corpus's own manifest counts: say this one is ignored
                    skipped.append(relative)
                continue
            supported = Path(name).suffix.lower() in SUPPORTED_SUFFIXES
            (found if supported else skipped).append(relative)
    return sorted(found), sorted(skipped)


def _match_rows(
    corpus: Path, rows: dict[str, ManifestRow], found: list[str]
) -> dict[str, ManifestRow]:
    """Manifest rows by the file they name; a name differing only in case is matched when unique.

    A row may name a file the walk does not pick up (a hidden file, another type): it is still read,
    and gets a clear error if unreadable, so nothing the manifest lists goes missing silently.
    """
    found_set = set(found)
    by_lower: dict[str, list[str]] = {}
    for file in found:
        by_lower.setdefault(file.lower(), []).append(file)
    matched: dict[str, ManifestRow] = {}
    for file, row in rows.items():
        candidates = by_lower.get(file.lower(), [])
        if file not in found_set and len(candidates) == 1 and candidates[0] not in rows:
            file = candidates[0]
        matched[file] = row
    return matched


def _with_doc_ids(
    entries: list[tuple[str, ManifestRow | None]], corpus: Path
) -> tuple[PlannedDocument, ...]:
    """The manifest's doc_ids, else slugs of the file stems; clashes get -2, -3 in path order.

    Compared without case, since doc_ids become file names on case-insensitive file systems.
    """
    used = {row.doc_id.lower() for _, row in entries if row and row.doc_id}
    documents: list[PlannedDocument] = []
    for file, row in entries:
        doc_id = row.doc_id if row and row.doc_id else _unused(slugify(Path(file).stem), used)
        used.add(doc_id.lower())
        documents.append(PlannedDocument(doc_id, file, _is_corpus_file(corpus, file), row))
    return tuple(documents)


def _is_corpus_file(corpus: Path, file: str) -> bool:
    """A manifest's ``../elsewhere.pdf`` is not part of the corpus: it counts as missing."""
    inside = not (file == ".." or file.startswith(("../", "/")))  # lexically: symlinks are fine
    return inside and (corpus / file).is_file()


def slugify(text: str) -> str:
    """``Toronto For All (2016)`` → ``toronto-for-all-2016``: ASCII lowercase, digits, dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "document"


def _unused(base: str, used: set[str]) -> str:
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
