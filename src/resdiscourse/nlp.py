"""The spaCy pipeline: tokens, sentences and lemmas.

The default works offline out of the box: ``spacy.blank(lang)`` + the rule-based sentencizer + our
sentence fixes, with lemmas looked up in spacy-lookups-data's tables. ``--model`` loads an installed
pipeline (a package name or a folder saved with ``nlp.to_disk``) instead.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import spacy
from spacy.attrs import IS_LOWER, IS_SPACE, LIKE_NUM, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from resdiscourse.errors import Location, UsageError

#: Tokens that end in "." without ending a sentence when what follows is a number or a name.
ABBREVIATIONS = frozenset(
    {"approx", "art", "ave", "blvd", "ca", "cf", "ch", "col", "dept", "dr", "e.g", "etc", "ex"}
    | {"fig", "govt", "hon", "i.e", "inc", "incl", "jr", "ltd", "mme", "mr", "mrs", "ms", "no"}
    | {"nos", "p", "pp", "prof", "rd", "rev", "sec", "sr", "st", "vol", "vs"}
)
_LIST_LETTERS = frozenset({"i", "ii", "iii", "iv", "v", "a", "b", "c"})
SENTENCE_FIXES = "resdiscourse_sentence_fixes"
#: Opening brackets and quotes that belong to the sentence after them.
_OPENERS = ("(", "[", "{", "“", "«")


@Language.component(SENTENCE_FIXES)
def fix_sentences(doc: Doc) -> Doc:
    """Undo the sentencizer's breaks after list markers ("1.") and abbreviations ("approx. 5"),
    and before a lower-case word ("p. ex. les réfugiés") unless it opens a list item ("b) jobs");
    start a sentence after every blank line ("…\n\n2. Background": a paragraph); move a break
    before the opening brackets that follow a full stop ("scarce. (Jobs are few.)").

    Works on attribute arrays and writes the boundaries back in one call: building Token objects,
    or setting ``token.is_sent_start`` (which scans the whole document each time), would cost more
    than the tokenizer on long documents.
    """
    array = doc.to_array([SENT_START, ORTH, IS_LOWER, LIKE_NUM, IS_SPACE])
    sent_start = array[:, 0].astype(np.int64)  # -1 (not a start) arrives as 2**64 - 1
    orth, lower, number = array[:, 1].tolist(), array[:, 2].tolist(), array[:, 3].tolist()
    space = array[:, 4].tolist()
    strings = doc.vocab.strings
    full_stop, close = strings.add("."), strings.add(")")
    openers = {strings.add(text) for text in _OPENERS}
    size = len(orth)
    paragraphs = set()
    for index in np.flatnonzero(array[:, 4]).tolist():
        if 0 < index < size - 1 and doc[index].text.count("\n") >= 2:  # a blank line
            sent_start[index], sent_start[index + 1] = -1, 1
            paragraphs.add(index + 1)
    changed = bool(paragraphs)
    first = 0  # the first token of the current sentence
    for start in np.flatnonzero(sent_start == 1).tolist():
        if start == 0 or start in paragraphs:
            first = start
            continue
        token = start  # the first token after the break that is not whitespace
        while space[token] and token + 1 < size:
            token += 1
        item = token + 1 < size and orth[token + 1] == close and doc[token].lower_ in _LIST_LETTERS
        if (lower[token] and not item) or (
            orth[start - 1] == full_stop
            and (
                (start - first <= 2 and _is_list_marker(doc[first].text))
                or (number[token] and start >= 2 and doc[start - 2].lower_ in ABBREVIATIONS)
            )
        ):
            sent_start[start] = -1
            changed = True
            continue
        first = token
        if first == start:  # the break follows the full stop directly: "scarce. (Jobs"
            while first > 1 and orth[first - 1] in openers and sent_start[first - 1] != 1:
                sent_start[first], sent_start[first - 1] = -1, 1
                first -= 1
                changed = True
    if changed:
        doc.from_array([SENT_START], sent_start.astype(np.uint64).reshape(-1, 1))  # type: ignore[arg-type]
    return doc


def _is_list_marker(text: str) -> bool:
    return (text.isdigit() and len(text) <= 3) or text.lower() in _LIST_LETTERS


@dataclass(frozen=True)
class Pipeline:
    """A spaCy pipeline and how to get lemmas from it."""

    nlp: Language
    language: str
    #: What ran, for run.json: "blank:en+sentencizer+lookups" or "<model name> <version>".
    description: str
    #: True when the pipeline has its own lemmatizer (then ``token.lemma_`` is used).
    own_lemmas: bool

    def lemma_table(self) -> dict[str, str]:
        """The lookup table (lower-case form → lower-case lemma) of this pipeline's language."""
        return lemma_lookup(self.language)


def build_pipeline(language: str = "en", model: str | None = None) -> Pipeline:
    """The pipeline for a document language; cached, so building it twice costs nothing."""
    return _build(language.lower() or "en", model)


@lru_cache(maxsize=16)
def _build(language: str, model: str | None) -> Pipeline:
    if model is None:
        nlp = _blank(language)
        return Pipeline(nlp, str(nlp.lang), f"blank:{nlp.lang}+sentencizer+lookups", False)
    nlp = _load_model(model)
    if not _has_sentences(nlp):
        nlp.add_pipe("sentencizer")
        nlp.add_pipe(SENTENCE_FIXES)
    meta = nlp.meta
    own = "lemmatizer" in nlp.pipe_names
    return Pipeline(nlp, str(nlp.lang), f"{meta.get('name', model)} {meta.get('version', '')}", own)


def _blank(language: str) -> Language:
    try:
        nlp = spacy.blank(language)
    except (ImportError, KeyError):  # a language spaCy does not know: multi-language rules
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(SENTENCE_FIXES)
    return nlp


def _load_model(model: str) -> Language:
    try:
        return spacy.load(model)
    except (OSError, ImportError, ValueError) as error:
        raise UsageError.of(
            "E210", Location(file=model), model=model, detail=str(error).splitlines()[0][:200]
        ) from None


def _has_sentences(nlp: Language) -> bool:
    return any(name in nlp.pipe_names for name in ("parser", "senter", "sentencizer"))


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
