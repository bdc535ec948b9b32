"""Word frequencies (Zipf scale) from wordfreq's English and French lists, without importing
wordfreq for plain words.

Importing wordfreq (with langcodes, ftfy and its tokenizer's regexes) and building its dict of
320,000 words costs most of a second, which a one-page ``text`` or a worker's first document
would pay for a handful of hyphens. A plain word (lower-case letters of English and French,
which wordfreq's tokenizer leaves whole and its case folding leaves alone) is looked up here
in wordfreq's own data file, by bisection in its sorted frequency bands, and gets the value
``wordfreq.zipf_frequency`` gives, rounded the same way. Any other word, or a data file not in
the expected format, goes to wordfreq itself.
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import re
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

#: The languages of the lists this module reads; any other is looked up in English.
LANGUAGES = ("en", "fr")
#: Words that wordfreq's tokenizer keeps as one token, unchanged by its normalisation (NFC,
#: case folding): lower-case ASCII letters and the accented letters of French.
_PLAIN = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ]+")
#: After this many look-ups in one list, bisecting every band costs more than indexing it.
INDEX_AFTER = 1000


def zipf(word: str, language: str) -> float:
    """``wordfreq.zipf_frequency(word, language)`` for ``language`` in :data:`LANGUAGES` (any
    other reads as English): 0 for an unknown word, about 7 for "the"."""
    language = language if language in LANGUAGES else "en"
    bands = _bands(language) if _PLAIN.fullmatch(word) else None
    if bands is None:
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word, language))
    return _zipf_of_band(bands.band(word))


class _Bands:
    """A cBpack list: band ``i`` holds, sorted, the words of frequency 10 ** (-i / 100)."""

    def __init__(self, bands: list[list[str]]) -> None:
        self.bands = bands
        self.lookups = 0
        self.index: dict[str, int] | None = None

    def band(self, word: str) -> int | None:
        if self.index is not None:
            return self.index.get(word)
        self.lookups += 1
        if self.lookups > INDEX_AFTER:
            self.index = {w: i for i, words in enumerate(self.bands) for w in words}
            return self.index.get(word)
        for number, words in enumerate(self.bands):
            at = bisect_left(words, word)
            if at < len(words) and words[at] == word:
                return number
        return None


@lru_cache(maxsize=4)
def _bands(language: str) -> _Bands | None:
    """The bands of wordfreq's best list for ``language``; None when the file is missing or not
    a sorted cBpack version 1 (then wordfreq itself answers)."""
    import msgpack

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    for name in (f"large_{language}.msgpack.gz", f"small_{language}.msgpack.gz"):
        path = folder / name
        if path.is_file():
            break
    else:
        return None
    try:
        data = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
    except (OSError, ValueError, msgpack.UnpackException):
        return None
    header, bands = (data[0], data[1:]) if isinstance(data, list) and data else (None, [])
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    if not all(isinstance(words, list) and words == sorted(words) for words in bands):
        return None
    return _Bands(bands)


#: wordfreq's floor for ``zipf_frequency(..., minimum=0.0)``: a frequency of one per billion.
_MINIMUM = 10**0.0 / 1e9


@lru_cache(maxsize=2048)
def _zipf_of_band(number: int | None) -> float:
    """The Zipf value of band ``number`` (None: an unknown word), with wordfreq's arithmetic:
    the frequency rounded to 3 significant digits, then the Zipf value to 2 decimals."""
    if number is None:
        return round(math.log(_MINIMUM, 10) + 9, 2)
    frequency = max(10 ** (-number / 100), _MINIMUM)
    leading_zeroes = math.floor(-math.log(frequency, 10))
    return round(math.log(round(frequency, leading_zeroes + 3), 10) + 9, 2)
