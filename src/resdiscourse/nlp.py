"""The spaCy pipeline: tokens, sentences and lemmas.

The default works offline out of the box: ``spacy.blank(lang)`` + the rule-based sentencizer + our
sentence fixes, with lemmas looked up in spacy-lookups-data's tables. ``--model`` loads an installed
pipeline (a package name or a folder saved with ``nlp.to_disk``) instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language

from resdiscourse.errors import Location, UsageError

# The lemma look-ups need no spaCy: they live in lemmas.py (the matching engine uses them); here
# for the callers that know them as the pipeline's.
from resdiscourse.lemmas import forms_of, lemma_forms, lemma_lookup
from resdiscourse.sentences import SENTENCE_FIXES


@dataclass(frozen=True)
class Pipeline:
    """A spaCy pipeline and how to get lemmas from it."""

    nlp: Language
    language: str
    #: What ran, for run.json: "blank:en+sentencizer+lookups" or "<model name> <version>".
    description: str
    #: True when the pipeline has its own lemmatizer (then ``token.lemma_`` is used).
    own_lemmas: bool


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
def word_test(nlp: Language) -> Callable[[str], bool]:
    """Whether a token's text is a word for ``nlp``'s language: alphabetic or numeric (spaCy's
    ``is_alpha or like_num``). The one definition behind documents.csv ``words``, the report's
    rates and ``count``'s."""
    cache: dict[str, bool] = {}
    vocab = nlp.vocab

    def is_word(text: str) -> bool:
        found = cache.get(text)
        if found is None:
            lexeme = vocab[text]
            found = cache[text] = bool(lexeme.is_alpha or lexeme.like_num)
        return found

    return is_word


__all__ = [
    "Pipeline",
    "build_pipeline",
    "forms_of",
    "lemma_forms",
    "lemma_lookup",
    "word_test",
]
