"""The language of a text, and of each paragraph of a text that mixes languages.

Detection uses lingua (statistical n-gram models made for short and mixed-language text),
restricted to the languages asked for (a codebook's, or English and French by default), so that a
sentence is only ever told apart from the languages that matter. A paragraph too short to judge
on its own takes the language of the paragraph it introduces (a heading), else of the one before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from lingua import LanguageDetector

#: The languages detected when nothing narrower is asked for: those of Canadian policy.
DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "fr")
#: A paragraph needs this many words, and a top confidence this high, to be judged on its own.
MIN_WORDS = 4
MIN_CONFIDENCE = 0.9
#: ... and a paragraph not in the text's main language must have this share of its words in its own.
MIN_SHARE = 0.6
#: Only this many characters of a paragraph are read (the opening sentences are enough).
SAMPLE_CHARS = 2000

_WORD = re.compile(r"[^\W\d_]{2,}")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class LanguagePart(NamedTuple):
    """A run of text [start, end) in one language (code-point offsets into the text)."""

    start: int
    end: int
    language: str


def known_languages(languages: Iterable[str]) -> tuple[str, ...]:
    """The two-letter codes among ``languages`` that the detector knows, sorted, duplicates gone."""
    return _known(tuple(languages))


@lru_cache(maxsize=64)
def _known(languages: tuple[str, ...]) -> tuple[str, ...]:
    from lingua import IsoCode639_1, Language

    found = set()
    for code in languages:
        try:
            Language.from_iso_code_639_1(getattr(IsoCode639_1, code.strip().upper()))
        except (AttributeError, ValueError):
            continue
        found.add(code.strip().lower())
    return tuple(sorted(found))


@lru_cache(maxsize=8)
def _detector(languages: tuple[str, ...]) -> LanguageDetector:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in languages]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def judge(text: str, languages: Sequence[str] = DEFAULT_LANGUAGES) -> tuple[str, float]:
    """The likeliest of ``languages`` for ``text`` and its confidence (0-1); ``("", 0.0)`` when
    the text has no words or none of the languages is known to the detector."""
    return _best(confidences(text, languages))


def confidences(text: str, languages: Sequence[str] = DEFAULT_LANGUAGES) -> dict[str, float]:
    """The detector's confidence (0-1, summing to 1) for each of ``languages`` it knows; empty
    when the text has no words or none of the languages is known."""
    known = known_languages(languages)
    sample = text[:SAMPLE_CHARS]
    if not known or not _WORD.search(sample):
        return {}
    if len(known) == 1:
        return {known[0]: 1.0}
    values = _detector(known).compute_language_confidence_values(sample)
    return {value.language.iso_code_639_1.name.lower(): float(value.value) for value in values}


def detect_language(text: str, languages: Sequence[str] = DEFAULT_LANGUAGES) -> str:
    """The language of a whole text: the one most of its letters are in, judged paragraph by
    paragraph; ``""`` when there is nothing to judge."""
    parts = language_parts(text, languages)
    return majority(parts)


def majority(parts: Iterable[LanguagePart]) -> str:
    """The language holding the most characters (ties: the first in alphabetical order)."""
    sizes: dict[str, int] = {}
    for part in parts:
        sizes[part.language] = sizes.get(part.language, 0) + part.end - part.start
    if not sizes:
        return ""
    return min(sizes, key=lambda code: (-sizes[code], code))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The [start, end) of each paragraph: blocks between blank lines, without outer spaces."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        block = text[position:end]
        if block.strip():
            start = position + len(block) - len(block.lstrip())
            spans.append((start, start + len(block.strip())))
        position = match.end() if match else len(text)
    return spans


class TextLanguage(NamedTuple):
    """A text's language, the detector's confidence in it, and the text's parts by language."""

    language: str
    #: The detector's confidence that the text is in ``language``: its confidence for each
    #: paragraph, weighted by the paragraph's length; None when it could judge no paragraph.
    confidence: float | None
    parts: list[LanguagePart]


def text_language(
    text: str, languages: Sequence[str] = DEFAULT_LANGUAGES, *, given: str = ""
) -> TextLanguage:
    """The language of ``text`` (``given`` when not empty, else the one most of its letters are
    in), the detector's confidence in that language, and :func:`language_parts`."""
    spans = paragraph_spans(text)
    scores = _scores(text, spans, languages)
    parts = _parts(text, spans, scores, languages)
    language = given or majority(parts)
    judged = [(end - start, score) for (start, end), score in zip(spans, scores, strict=True)]
    total = sum(size for size, score in judged if score)
    if not language or not total or language not in known_languages(languages):
        return TextLanguage(language, None, parts)
    mean = sum(size * score.get(language, 0.0) for size, score in judged if score) / total
    return TextLanguage(language, round(mean, 3), parts)


def language_parts(text: str, languages: Sequence[str] = DEFAULT_LANGUAGES) -> list[LanguagePart]:
    """Consecutive paragraphs of one language joined into parts covering every paragraph; the
    gaps between paragraphs belong to the part before them."""
    spans = paragraph_spans(text)
    return _parts(text, spans, _scores(text, spans, languages), languages)


def _scores(
    text: str, spans: list[tuple[int, int]], languages: Sequence[str]
) -> list[dict[str, float]]:
    """:func:`confidences` of each paragraph; a paragraph read before (a repeated heading,
    caption or table cell) is not judged again: the detector gives the same answer."""
    seen: dict[str, dict[str, float]] = {}
    scores: list[dict[str, float]] = []
    for start, end in spans:
        sample = text[start : min(end, start + SAMPLE_CHARS)]
        found = seen.get(sample)
        if found is None:
            found = seen[sample] = confidences(sample, languages)
        scores.append(found)
    return scores


def _parts(
    text: str,
    spans: list[tuple[int, int]],
    scores: list[dict[str, float]],
    languages: Sequence[str],
) -> list[LanguagePart]:
    judged = [_best(score) for score in scores]
    own = [
        code if conf >= MIN_CONFIDENCE and _words(text[start:end]) >= MIN_WORDS else ""
        for (code, conf), (start, end) in zip(judged, spans, strict=True)
    ]
    main = majority(
        LanguagePart(s, e, code) for (s, e), code in zip(spans, own, strict=True) if code
    )
    for index, code in enumerate(own):
        # A paragraph that leaves the main language must be mostly in its own: an English
        # sentence naming a French programme stays with its neighbours.
        if code and code != main:
            start, end = spans[index]
            if _share(text[start:end], code, languages) < MIN_SHARE:
                own[index] = ""
    decided = _fill(own) or _fill([code for code, _ in judged])
    if not decided:
        return []
    parts: list[LanguagePart] = []
    for (start, end), code in zip(spans, decided, strict=True):
        if parts and parts[-1].language == code:
            parts[-1] = parts[-1]._replace(end=end)
        else:
            if parts:
                parts[-1] = parts[-1]._replace(end=start)
            parts.append(LanguagePart(start, end, code))
    parts[0] = parts[0]._replace(start=0)
    parts[-1] = parts[-1]._replace(end=len(text))
    return parts


def mixed_parts(text: str, languages: Sequence[str] = DEFAULT_LANGUAGES) -> list[LanguagePart]:
    """The parts of a text whose paragraphs are in more than one language; [] for a text in one
    language (then the document's language, given or detected, holds throughout)."""
    if len(known_languages(languages)) < 2:
        return []
    parts = language_parts(text, languages)
    return parts if len({part.language for part in parts}) > 1 else []


def _share(text: str, code: str, languages: Sequence[str]) -> float:
    """The share of the words of ``text`` that the detector places in language ``code``."""
    sample = text[:SAMPLE_CHARS]
    runs = _detector(known_languages(languages)).detect_multiple_languages_of(sample)
    total = sum(run.word_count for run in runs)
    mine = sum(run.word_count for run in runs if run.language.iso_code_639_1.name.lower() == code)
    return mine / total if total else 0.0


def _best(scores: dict[str, float]) -> tuple[str, float]:
    if not scores:
        return "", 0.0
    best = min(scores, key=lambda code: (-scores[code], code))
    return (best, scores[best]) if scores[best] > 0.0 else ("", 0.0)


def _words(text: str) -> int:
    return len(_WORD.findall(text[:SAMPLE_CHARS]))


def _fill(codes: list[str]) -> list[str]:
    """Undecided entries take the next decided one, else the previous; [] when none is decided."""
    if not any(codes):
        return []
    filled = list(codes)
    following = ""
    for index in range(len(filled) - 1, -1, -1):
        if filled[index]:
            following = filled[index]
        else:
            filled[index] = following
    previous = ""
    for index, code in enumerate(filled):
        if code:
            previous = code
        else:
            filled[index] = previous
    return filled
