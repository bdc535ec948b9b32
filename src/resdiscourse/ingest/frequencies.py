"""Word frequencies (Zipf scale) from wordfreq's English and French lists, without importing
wordfreq for plain words.

Importing wordfreq (with langcodes, ftfy and its tokenizer's regexes) and building its dict of
320,000 words costs most of a second, which a one-page ``text`` or a worker's first document
would pay for a handful of hyphens. A plain word (lower-case letters of English and French,
which wordfreq's tokenizer leaves whole and its case folding leaves alone) is looked up here
in wordfreq's own data file, by bisection in its sorted frequency bands, and gets the value
``wordfreq.zipf_frequency`` gives, rounded the same way. The first few words of a list are
looked up without unpacking all of it: only the bands whose bytes hold the word are unpacked.
Any other word, or a data file not in the expected format, goes to wordfreq itself.
"""

from __future__ import annotations

import gzip
import importlib.util
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

#: The languages of the lists this module reads; any other is looked up in English.
LANGUAGES = ("en", "fr")
#: Words that wordfreq's tokenizer keeps as one token, unchanged by its normalisation (NFC,
#: case folding): lower-case ASCII letters and the accented letters of French.
_PLAIN = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ]+")
#: The first look-ups in a list search its packed bytes for the word and unpack only the bands
#: it occurs in, up to the first that holds it (a document asks a few dozen words; unpacking
#: every band costs as much as about fifty searches); after this many, every band is unpacked
#: and bisected.
PACKED_LOOKUPS = 64
#: After this many look-ups in one list, bisecting every band costs more than indexing it.
INDEX_AFTER = 1000
#: The first byte of a msgpack array: fixarray, array 16, array 32.
_ARRAY_TYPES = frozenset(range(0x90, 0xA0)) | {0xDC, 0xDD}


def zipf(word: str, language: str) -> float:
    """``wordfreq.zipf_frequency(word, language)`` for ``language`` in :data:`LANGUAGES` (any
    other reads as English): 0 for an unknown word, about 7 for "the"."""
    language = language if language in LANGUAGES else "en"
    bands = _bands(language) if _PLAIN.fullmatch(word) else None
    if bands is not None and bands.trusted:
        try:
            return _zipf_of_band(bands.band(word))
        except _Untrusted:
            bands.trusted = False  # this word and every later one go to wordfreq
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, language))


class _Untrusted(Exception):
    """A band that is not a sorted list: the file is not the format this module reads."""


class _Bands:
    """A cBpack list: band ``i`` holds, sorted, the words of frequency 10 ** (-i / 100).

    ``packed`` is the list's msgpack bytes and ``spans`` the bytes of each band; a band is
    unpacked (and checked) when a look-up needs it. Every way of looking a word up gives its
    first band."""

    def __init__(self, packed: bytes, spans: list[tuple[int, int]]) -> None:
        self.packed = packed
        self.spans = spans
        self.starts = [start for start, _ in spans]
        self.loaded: dict[int, list[str]] = {}
        self.lookups = 0
        self.index: dict[str, int] | None = None
        #: False once a band was found not sorted (then wordfreq answers).
        self.trusted = True

    @property
    def bands(self) -> list[list[str]]:
        """Every band, unpacked."""
        return [self.words(number) for number in range(len(self.spans))]

    def words(self, number: int) -> list[str]:
        found = self.loaded.get(number)
        if found is None:
            import msgpack

            start, end = self.spans[number]
            found = msgpack.unpackb(self.packed[start:end], raw=False)
            if not isinstance(found, list) or found != sorted(found):
                raise _Untrusted(number)
            self.loaded[number] = found
        return found

    def band(self, word: str) -> int | None:
        if self.index is not None:
            return self.index.get(word)
        self.lookups += 1
        if self.lookups > INDEX_AFTER:
            self.index = {w: i for i, words in enumerate(self.bands) for w in words}
            return self.index.get(word)
        numbers: Iterable[int] = (
            self._packed_in(word) if self.lookups <= PACKED_LOOKUPS else range(len(self.spans))
        )
        for number in numbers:
            words = self.words(number)
            at = bisect_left(words, word)
            if at < len(words) and words[at] == word:
                return number
        return None

    def _packed_in(self, word: str) -> Iterator[int]:
        """The bands whose bytes hold the word's packed form, in order: the only ones that can
        hold the word (the bytes may also occur inside a longer word). Lazily: the search stops
        at the first band that holds the word, and a common word's band comes early."""
        import msgpack

        if not self.starts:
            return
        needle = msgpack.packb(word)
        at = self.packed.find(needle, self.starts[0])
        while at >= 0:
            number = bisect_right(self.starts, at) - 1
            yield number
            at = self.packed.find(needle, max(self.spans[number][1], at + 1))


@lru_cache(maxsize=4)
def _bands(language: str) -> _Bands | None:
    """The bands of wordfreq's best list for ``language``; None when the file is missing or not
    a cBpack version 1 list of bands (then wordfreq itself answers)."""
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
    import msgpack

    try:
        packed = gzip.decompress(path.read_bytes())
        unpacker = msgpack.Unpacker(raw=False, max_buffer_size=len(packed))
        unpacker.feed(packed)
        size = unpacker.read_array_header()
        header = unpacker.unpack() if size else None
        spans = []
        for _ in range(size - 1):
            start = unpacker.tell()
            if packed[start] not in _ARRAY_TYPES:
                return None
            unpacker.skip()
            spans.append((start, unpacker.tell()))
    except (OSError, ValueError, IndexError, msgpack.UnpackException):
        return None
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        return None
    return _Bands(packed, spans)


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
