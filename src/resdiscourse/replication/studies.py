"""The studies that ship with resdiscourse: a manifest of candidate documents each, and for the
demo the bundled corpus itself.

A study's files are package data (``resdiscourse/corpora/<name>/``); they are read in place when
the package is a folder (editable installs, wheels) and extracted once per process otherwise.
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from resdiscourse.errors import Location, UsageError
from resdiscourse.ingest.manifest import MANIFEST_NAMES, read_manifest


@dataclass(frozen=True)
class _Entry:
    title: str
    manifest: str
    bundled: bool  # the documents ship in the study's folder (the demo's are synthetic, CC0)


_STUDIES: dict[str, _Entry] = {
    "demo": _Entry(
        "Synthetic demonstration corpus: 11 team-made Toronto/Ontario-style documents (CC0)",
        "manifest.csv",
        bundled=True,
    ),
    "ontario-2008-2018": _Entry(
        "Bhuyan & Leung (2021): City of Toronto and Province of Ontario documents, 2008-2018 "
        "(reconstructed candidate list, NOT verified: see each document's confidence)",
        "manifest.yaml",
        bundled=False,
    ),
}

#: Keeps files extracted from a zipped package alive until the process ends.
_EXTRACTED = ExitStack()
atexit.register(_EXTRACTED.close)


@dataclass(frozen=True)
class Study:
    """A study: its manifest (a real file) and the documents it lists, one dict per row."""

    name: str
    title: str
    manifest: Path
    documents: list[dict[str, str]] = field(default_factory=list)
    #: The folder the documents ship in (the demo), or None when the user fetches them.
    corpus: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "manifest": str(self.manifest),
            "corpus": str(self.corpus) if self.corpus else None,
            "documents": self.documents,
        }


def study_names() -> list[str]:
    return sorted(_STUDIES)


def load_study(name: str) -> Study:
    """The shipped study ``name``; an unknown name is a usage error (E510)."""
    entry = _STUDIES.get(name)
    if entry is None:
        raise UsageError.of("E510", name=name, choices=", ".join(study_names()))
    folder = _real_path(files("resdiscourse") / "corpora" / name)
    manifest = folder / entry.manifest
    return Study(
        name=name,
        title=entry.title,
        manifest=manifest,
        documents=manifest_documents(manifest),
        corpus=folder if entry.bundled else None,
    )


def study_from_manifest(path: Path) -> Study:
    """A study made from any manifest file, fetched like a shipped study.

    A corpus manifest (``manifest.csv``/``.yaml``) makes its folder the corpus: documents already
    there are copied rather than downloaded.
    """
    in_corpus = path.name in MANIFEST_NAMES
    return Study(
        name=path.parent.name if in_corpus else path.stem,
        title=f"manifest {path}",
        manifest=path,
        documents=manifest_documents(path),
        corpus=path.parent if in_corpus else None,
    )


#: A study's confidence flags (the shipped manifests' headers define H, M and L); the words are
#: read too, and letter case and spaces are ignored.
CONFIDENCE = {"h": "H", "m": "M", "l": "L", "high": "H", "medium": "M", "low": "L"}


def manifest_documents(path: Path) -> list[dict[str, str]]:
    """The manifest's rows as plain dicts of text (read and checked by the ingest reader).

    ``confidence`` is normalised to H, M or L (``h`` and ``high`` are H); any other value is a
    usage error (E514) naming the document and the line.
    """
    documents = []
    for row in read_manifest(path).rows:
        fields = dict(row.fields)
        if "confidence" in fields:
            flag = CONFIDENCE.get(fields["confidence"].strip().lower())
            if flag is None:
                location = Location(file=path.name, line=row.lines.get("confidence", row.line))
                raise UsageError.of(
                    "E514",
                    location,
                    doc_id=row.doc_id or Path(row.file).stem,
                    manifest=path.name,
                    value=fields["confidence"],
                )
            fields["confidence"] = flag
        documents.append(fields)
    return documents


def _real_path(resource: Traversable) -> Path:
    """A filesystem path for a package resource (folder installs need no copy)."""
    if isinstance(resource, Path):
        return resource
    return _EXTRACTED.enter_context(as_file(resource))
