"""Word frequencies without importing wordfreq (ingest/frequencies.py): every value is the one
``wordfreq.zipf_frequency`` gives, by bisection and by index, and wordfreq answers whatever the
plain-word lookup cannot."""

from __future__ import annotations

import gzip
import random
from pathlib import Path
from types import SimpleNamespace

import msgpack
import pytest
from wordfreq import iter_wordlist, zipf_frequency

from resdiscourse.ingest import frequencies
from resdiscourse.ingest.frequencies import zipf


def sample_words(language: str) -> list[str]:
    """Every 97th plain word of the list, plain words that are not in it, and words that are
    not plain (capitals, ß, digits, apostrophes, other scripts)."""
    listed = [word for word in iter_wordlist(language) if frequencies._PLAIN.fullmatch(word)]
    rng = random.Random(language)
    made_up = [
        "".join(rng.choice("abcdeéèfghijklmnopqrstuvwxyzçœ") for _ in range(rng.randint(2, 11)))
        for _ in range(300)
    ]
    odd = ["Resilience", "straße", "covid19", "l'état", "aujourd'hui", "ναι", "naïveté", "ǆ"]
    return [*listed[::97], *[word + "s" for word in listed[::389]], *made_up, *odd]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_value_is_wordfreqs(language: str) -> None:
    words = sample_words(language)
    assert len(words) > 3000
    ours = [zipf(word, language) for word in words]
    assert ours == [zipf_frequency(word, language) for word in words]
    assert 0.0 in ours and max(ours) > 7  # unknown words and the commonest ones


def test_another_language_reads_english() -> None:
    assert zipf("resilience", "de") == zipf_frequency("resilience", "en") > 3


def test_the_index_built_after_many_lookups_gives_the_same_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bands = frequencies._bands("en")
    assert bands is not None
    words = sample_words("en")[:400]
    monkeypatch.setattr(frequencies, "PACKED_LOOKUPS", 0)
    fresh = frequencies._Bands(bands.packed, bands.spans)
    bisected = [fresh.band(word) for word in words]
    monkeypatch.setattr(frequencies, "INDEX_AFTER", 0)
    indexed = frequencies._Bands(bands.packed, bands.spans)
    assert [indexed.band(word) for word in words] == bisected
    assert indexed.index is not None and fresh.index is None


@pytest.mark.parametrize("language", ["en", "fr"])
def test_searching_the_packed_list_finds_the_bands_bisection_finds(
    monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """The first look-ups unpack only the bands whose bytes hold the word."""
    bands = frequencies._bands(language)
    assert bands is not None
    common = {"en": "the", "fr": "les"}[language]
    words = [common, *[w for w in sample_words(language) if frequencies._PLAIN.fullmatch(w)][::7]]
    monkeypatch.setattr(frequencies, "PACKED_LOOKUPS", 0)
    bisecting = frequencies._Bands(bands.packed, bands.spans)
    monkeypatch.setattr(frequencies, "PACKED_LOOKUPS", len(words))
    searching = frequencies._Bands(bands.packed, bands.spans)
    found = [searching.band(word) for word in words]
    assert found == [bisecting.band(word) for word in words]
    assert None in found and found[0] == bisecting.band(common) < 200  # unknown and common words
    assert len(searching.loaded) < len(bands.spans) / 2  # most bands were never unpacked


def fake_wordfreq(tmp_path: Path, header: object) -> SimpleNamespace:
    data = tmp_path / "wordfreq" / "data"
    data.mkdir(parents=True)
    pack = [header, [], ["the"], ["resilience", "hello"]]  # the last band is not sorted
    (data / "large_en.msgpack.gz").write_bytes(gzip.compress(msgpack.packb(pack)))
    return SimpleNamespace(submodule_search_locations=[str(data.parent)])


def test_a_list_of_another_format_is_left_to_wordfreq(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = fake_wordfreq(tmp_path, {"format": "cB", "version": 2})
    monkeypatch.setattr(frequencies.importlib.util, "find_spec", lambda name: spec)
    frequencies._bands.cache_clear()
    try:
        assert frequencies._bands("en") is None
        assert zipf("hello", "en") == zipf_frequency("hello", "en") > 4
    finally:
        frequencies._bands.cache_clear()


def test_a_list_with_an_unsorted_band_is_left_to_wordfreq(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The band is found unsorted when a look-up unpacks it: that word and every later one go
    to wordfreq."""
    spec = fake_wordfreq(tmp_path, {"format": "cB", "version": 1})
    monkeypatch.setattr(frequencies.importlib.util, "find_spec", lambda name: spec)
    frequencies._bands.cache_clear()
    try:
        bands = frequencies._bands("en")
        assert bands is not None and bands.trusted
        assert zipf("hello", "en") == zipf_frequency("hello", "en") > 4
        assert not bands.trusted
        assert zipf("the", "en") == zipf_frequency("the", "en") > 7
    finally:
        frequencies._bands.cache_clear()


def test_a_word_packed_inside_a_longer_word_of_an_earlier_band_is_found_in_its_own() -> None:
    """The packed bytes of "at" (0xA2 "at") occur inside "xâat" (â is 0xC3 0xA2 in UTF-8) and
    inside "baat": the search goes on past bands that only hold them."""
    import msgpack

    lists = [["baat", "xâat"], ["other"], ["xâat2"], ["at", "zz"], ["at"]]
    packed = b"".join(msgpack.packb(band) for band in lists)
    spans, start = [], 0
    for band in lists:
        size = len(msgpack.packb(band))
        spans.append((start, start + size))
        start += size
    bands = frequencies._Bands(packed, spans)
    assert [bands.band(word) for word in ["at", "other", "zz", "xâat", "ba", "a"]] == [
        3,
        1,
        3,
        0,
        None,
        None,
    ]
    assert sorted(bands.loaded) == [0, 1, 2, 3]  # never band 4: the search stopped at band 3
