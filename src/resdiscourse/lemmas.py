"""The lemma tables shipped beside the codebooks (``codebooks/lemmas/<language>.yml``): French
nouns and adjectives that spacy-lookups-data reads as verbs, and the like. :mod:`resdiscourse.nlp`
puts them over the lookup tables; the coding cache keys on their digest.

Plain files and YAML only, no spaCy, so that the cache key is computed without loading it.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from importlib.resources.abc import Traversable

import yaml


def _folder() -> Traversable:
    """The folder of the tables (a function, so that tests can point it elsewhere)."""
    return resources.files("resdiscourse") / "codebooks" / "lemmas"


def lemma_tables() -> dict[str, Traversable]:
    """The tables by language code (the file name without ``.yml``), sorted."""
    folder = _folder()
    if not folder.is_dir():
        return {}
    found = {
        item.name[: -len(".yml")]: item
        for item in folder.iterdir()
        if item.name.endswith(".yml") and item.is_file()
    }
    return dict(sorted(found.items()))


def lemma_overrides(language: str) -> dict[str, str]:
    """Form -> lemma from the table of ``language`` (``lemma: [forms]``); empty when none."""
    path = lemma_tables().get(language)
    if path is None:
        return {}
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(form).lower(): str(lemma).lower()
        for lemma, forms in entries.items()
        for form in [lemma, *forms]
    }


def lemma_tables_digest() -> str:
    """The sha256 of every table, names and bytes: a new or edited table changes it."""
    digest = hashlib.sha256()
    for language, table in lemma_tables().items():
        data = table.read_bytes()
        digest.update(f"{language}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()
