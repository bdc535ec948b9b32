"""Lemmas by look-up: spacy-lookups-data's tables, and the tables shipped beside the codebooks
(``codebooks/lemmas/<language>.yml``: French nouns and adjectives that spacy-lookups-data reads as
verbs, and the like) put over them; the coding cache keys on their digest.

Plain files, JSON and YAML only, no spaCy: the cache key is computed without loading it, and the
matching engine looks up a term's forms without it (a re-run whose segmentations are cached never
loads spaCy).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

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


@lru_cache(maxsize=8)
def lemma_lookup(language: str) -> dict[str, str]:
    """spacy-lookups-data's lemma table with lower-case keys and values; empty when there is none.

    Keys are lower-cased because lookups are case-sensitive ("Newcomers" is not in the table,
    "newcomers" is); an entry whose key was lower case already wins over a capitalised twin.
    """
    data = {key: _first(value).lower() for key, value in _lookup_json(language).items()}
    table = {key: value for key, value in data.items() if key == key.lower()}
    for key, value in data.items():
        table.setdefault(key.lower(), value)
    table.update(lemma_overrides(language))  # our tables (resdiscourse.lemmas) win
    return table


def _first(value: str | list[str]) -> str:
    """Some tables (French) list several lemmas for an ambiguous form; the first is the usual."""
    return value if isinstance(value, str) else value[0]


def _lookup_json(language: str) -> dict[str, Any]:
    try:
        path = resources.files("spacy_lookups_data") / "data" / f"{language}_lemma_lookup.json.gz"
        raw = path.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    data: dict[str, Any] = json.loads(gzip.decompress(raw))
    return data


@lru_cache(maxsize=8)
def lemma_forms(language: str) -> dict[str, frozenset[str]]:
    """Lemma → every lower-case form whose looked-up lemma it is (the form itself included when
    the form is not a key of the table: an unknown word is its own lemma)."""
    table = lemma_lookup(language)
    forms: dict[str, set[str]] = {}
    for form, lemma in table.items():
        forms.setdefault(lemma, set()).add(form)
    for lemma, found in forms.items():
        if lemma not in table:
            found.add(lemma)
    return {lemma: frozenset(found) for lemma, found in forms.items()}


def forms_of(language: str, lemma: str) -> frozenset[str]:
    """The lower-case surface forms that have ``lemma`` as their lemma in ``language``."""
    lemma = lemma.lower()
    found = lemma_forms(language).get(lemma)
    if found is not None:
        return found
    table = lemma_lookup(language)
    return frozenset() if lemma in table else frozenset({lemma})
