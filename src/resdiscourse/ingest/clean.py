"""Character clean-up and the line-end hyphenation decision."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache

from resdiscourse.ingest.frequencies import zipf

#: Presentation forms PDFs draw as one glyph; NFKC alone would also fold ², ½ or … (kept as they
#: are). Œ and œ are French letters, not ligatures to undo.
_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\u0132": "IJ",
    "\u0133": "ij",
}
_ODD_SPACES = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
#: Bullets drawn from the Symbol and Wingdings fonts come out in the private-use area when the
#: font has no Unicode map (U+F0B7 is Symbol's bullet, U+F0A7 Wingdings' square, ...).
PRIVATE_USE_BULLETS = "\uf0b7\uf0a7\uf06c\uf06e\uf076\uf0d8\uf0fc\uf0a8"
BULLET = "\u2022"
_TRANSLATION = str.maketrans(
    {
        **_LIGATURES,
        **dict.fromkeys(_ODD_SPACES, " "),
        **dict.fromkeys(_INVISIBLE, None),
        **dict.fromkeys(PRIVATE_USE_BULLETS, BULLET),
        "\u2010": "-",  # Unicode hyphen → ASCII hyphen-minus
        "\u2011": "-",  # non-breaking hyphen
    }
)
#: Characters that mark a hyphenation point at a line end.
LINE_END_HYPHENS = frozenset("-\u00ad\u2010")

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
#: A French elided article or pronoun at a word's start: l’, d’, qu’, jusqu’, lorsqu’…
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]")


def normalize_chars(text: str) -> str:
    """Undo ligatures, turn odd spaces into plain spaces, drop invisible characters, private-use
    bullets become "•"; NFC."""
    return unicodedata.normalize("NFC", text.translate(_TRANSLATION))


class Hyphenation:
    """Decides whether ``resil-`` + ``ience`` is one word or ``decision-`` + ``making`` keeps its
    hyphen.

    Evidence first comes from the document itself (the joined or hyphenated form used elsewhere),
    then from word frequencies (wordfreq) in the document's language.
    """

    def __init__(self, texts: Iterable[str], language: str = "en") -> None:
        self.vocabulary: set[str] = set()
        #: Words that stand in the document whole, not only broken off at a line end ("comp-").
        self.free: set[str] = set()
        for text in texts:
            words = [word.lower() for word in _WORD.findall(text)]
            for word in words:
                # "l’intégration" also counts as "intégration": the article is elided onto it.
                self.vocabulary.update((word, _ELISION.sub("", word)))
            self.free.update(words[:-1] if text[-1:] in LINE_END_HYPHENS else words)
        self.language = language
        self._sorted: list[str] | None = None

    def keep_hyphen(self, head: str, tail: str) -> bool:
        """True when ``head`` (a word ending in "-" at a line end) and ``tail`` form a hyphenated
        word.

        False means the hyphen only marks a line break and the two parts are one word.
        """
        stem = head[:-1]
        if _capitals(stem.rsplit("-", 1)[-1]) and _capitals(tail):
            head, tail, stem = head.lower(), tail.lower(), stem.lower()  # a line set in capitals
        if not tail[:1].islower():
            return True  # "Canada-" + "U.S.", "COVID-" + "19"
        first = _ELISION.sub("", stem.rsplit("-", 1)[-1].lower())  # "c’est" -> "est"
        match = re.match(r"[^\W\d_]+(-)?", tail)
        rest = match.group().lower() if match else ""
        if "-" in stem or "-" in rest or not first or not rest:
            # already a compound ("well-being-", "c’est-" + "à-dire"), or no letters to judge by
            return True
        if f"{first}-{rest}" in self.vocabulary:
            return True
        if first + rest in self.vocabulary:
            return False
        hyphenated = self._stem_used(f"{first}-", rest)
        if hyphenated != self._stem_used(first, rest):
            return hyphenated  # "co-operation" elsewhere: "co-" + "operate" keeps its hyphen
        if self.language == "en":
            if not hyphenated and _doubled_vowel(first, rest, self.language):
                return True  # "co-" + "operating", "re-" + "enter", no other form: style's hyphen
            if _fragment(first, self.free, self.language) and is_known_word(
                first + rest, self.language
            ):
                return False  # "comp-" + "acts": a piece of "compacts", no word of the document
        if rest in _SUFFIXES and _zipf(first + rest, self.language) >= 1.5:
            return False  # "remit-" + "ted": an ending is no word of a compound
        if self.language == "en" and rest in _INFLECTIONS and is_known_word(first, self.language):
            return False  # "hazard-" + "ing", "widespread-" + "ing": a word and its ending
        return _keep_by_frequency(first, rest, self.language)

    def _stem_used(self, head: str, rest: str) -> bool:
        """Whether the document uses elsewhere a word that starts with ``head`` and goes on as
        ``rest`` does for STEM_LETTERS letters (or all of the shorter): the same stem, another
        ending."""
        if self._sorted is None:
            self._sorted = sorted(self.vocabulary)
        length = min(STEM_LETTERS, len(rest))
        prefix = head + rest[:length]
        index = bisect_left(self._sorted, prefix)
        while index < len(self._sorted) and self._sorted[index].startswith(prefix):
            word = self._sorted[index]
            ending = word[len(prefix) :]
            if _WORD_END.fullmatch(ending) and (len(rest) > length or len(ending) > 0):
                return True
            index += 1
        return False


#: Letters of a stem that two forms of a word share ("co-opera" in "co-operate" and
#: "co-operation").
STEM_LETTERS = 5
#: What may follow a shared stem: letters, no second compound part.
_WORD_END = re.compile(r"[^\W\d_]*")
#: Endings that a word broken at a line end may leave for the next line, and that are no word
#: of a compound ("remit-" + "ted", "consider-" + "ation").
_SUFFIXES = frozenset(
    {
        *("ed", "ted", "ing", "ting", "ly", "ally", "est", "ers", "ies"),
        *("tion", "tions", "sion", "sions", "ation", "ations", "ment", "ments"),
        *("ness", "ity", "ities", "ous", "ive", "ance", "ence", "able", "ible"),
    }
)

#: English inflectional endings that a word broken at a line end leaves for the next line after
#: the whole word ("hazard-" + "ing"): no second part of a compound, so the parts join even where
#: the joined form is too rare for the word list ("hazarding", "widespreading").
_INFLECTIONS = frozenset({"ed", "ing", "ly", "ness", "est"})


#: English prefixes that style guides set with a hyphen before a word ("co-operate",
#: "non-compliance", "self-employed", "e-mail"); a line-end hyphen after one of them is no
#: evidence of a broken word even where the prefix never stands alone.
_PREFIXES = frozenset(
    {
        *("anti", "co", "counter", "cross", "de", "e", "ex", "half", "mid", "multi"),
        *("neo", "non", "post", "pre", "pro", "quasi", "re", "self", "semi", "ultra", "vice"),
    }
)
#: A prefix of at most this many letters before a word that starts with the prefix's last
#: vowel keeps its hyphen when nothing in the document says otherwise.
_DOUBLED_VOWEL_PREFIX = 5


#: A word part more frequent than this (Zipf) is a word of its own even where the document
#: uses it only in a compound ("decision-making", "short-lived").
_COMMON_WORD_ZIPF = 4.5


def _fragment(first: str, free: set[str], language: str) -> bool:
    """Whether ``first``, before a line-end hyphen, is only a piece of a word: it stands nowhere
    else in the document, is no prefix that takes a hyphen and no common word ("comp", "dis",
    "sup": what a break at a line end leaves of "compacts", "distresses", "supposes")."""
    return (
        first not in free and first not in _PREFIXES and _zipf(first, language) < _COMMON_WORD_ZIPF
    )


def _doubled_vowel(first: str, rest: str, language: str) -> bool:
    """Whether ``first`` + ``rest`` is a short prefix that ends in the vowel the word after it
    starts with ("co-" + "operate", "re-" + "enter", "pre-" + "eminence", "anti-" +
    "inflammatory"): Canadian and British style (The Canadian Style, Oxford) keep the hyphen
    there, and both parts are words ("vacu-" + "um" and "agre-" + "eable" are not)."""
    return (
        len(first) <= _DOUBLED_VOWEL_PREFIX
        and first[-1] in "aeiou"
        and rest[0] == first[-1]
        and _zipf(first, language) >= 3.0
        and _zipf(rest, language) >= 3.0
    )


def _capitals(text: str) -> bool:
    """Whether the text starts with a word part set in capitals ("INJU", "RIES OF"; not
    "Canada", "U.S.", "19")."""
    match = re.match(r"[^\W\d_]{2,}", text)
    return match is not None and match.group().isupper()


def _keep_by_frequency(first: str, rest: str, language: str) -> bool:
    joined = _zipf(first + rest, language)
    if joined >= 3.0:
        return False
    return _zipf(first, language) >= 2.5 and _zipf(rest, language) >= 2.5 and joined < 2.5


@lru_cache(maxsize=65536)
def _zipf(word: str, language: str) -> float:
    return zipf(word, language)


def word_frequency(word: str, language: str) -> float:
    """The Zipf frequency of a word (lower-cased) in the language: 0 for unknown, 7 for "the"."""
    return _zipf(word.lower(), language)


def is_known_word(word: str, language: str) -> bool:
    return _zipf(word, language) >= 1.5


def guess_language(text: str) -> str:
    """'en' or 'fr' (the languages of the word-frequency lists), by the language detector; 'en'
    when there is nothing to judge."""
    from resdiscourse.ingest.language import judge

    return judge(text[:20000])[0] or "en"
