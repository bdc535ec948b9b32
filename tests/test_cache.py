"""The content-hash cache of extracted texts (kind ``ingest`` of the cache folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from resdiscourse.cache import entry_path, write_entry
from resdiscourse.errors import Location, problem
from resdiscourse.ingest.cache import (
    ReadOptions,
    cache_key,
    cached_mixed_parts,
    cached_text_language,
    file_sha256,
    language_key,
    load_cached,
    store_cached,
)
from resdiscourse.ingest.language import mixed_parts, text_language
from resdiscourse.models import ExtractedText, PageMap, PageSpan

SHA = "ab" * 32
VALUES = {"pages": 1, "total": 2, "page_list": "2", "detail": "xref broken"}


def extracted(*codes: str) -> ExtractedText:
    return ExtractedText(
        text="Réfugiés\n\nresilience",
        page_map=PageMap((PageSpan(0, 8, 1, "i"), PageSpan(10, 20, 2, "ii"))),
        engine="pdfium",
        pages=2,
        problems=[problem(code, Location(file="/abs/a.pdf", page=2), **VALUES) for code in codes],
        metadata={"title": "T", "year": "2016"},
    )


def test_file_sha256(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    assert file_sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_key_depends_on_content_suffix_and_options_but_not_the_password() -> None:
    base = cache_key(SHA, ".pdf", ReadOptions())
    assert base.startswith(SHA + "-")
    others = [
        cache_key("cd" * 32, ".pdf", ReadOptions()),
        cache_key(SHA, ".txt", ReadOptions()),
        cache_key(SHA, ".pdf", ReadOptions(engine="pdfplumber")),
        cache_key(SHA, ".pdf", ReadOptions(ocr=True)),
        cache_key(SHA, ".pdf", ReadOptions(password="secret")),
    ]
    assert len({base, *others}) == 6
    assert cache_key(SHA, ".PDF", ReadOptions()) == base
    with_password = cache_key(SHA, ".pdf", ReadOptions(password="secret"))
    assert with_password == cache_key(SHA, ".pdf", ReadOptions(password="other"))
    assert "secret" not in with_password


def test_round_trip_without_file_locations(tmp_path: Path) -> None:
    key = cache_key(SHA, ".pdf", ReadOptions())
    store_cached(tmp_path, key, extracted("W105"))
    loaded = load_cached(tmp_path, key)
    assert loaded is not None
    original = extracted("W105")
    assert (loaded.text, loaded.page_map, loaded.engine, loaded.pages, loaded.metadata) == (
        original.text,
        original.page_map,
        original.engine,
        original.pages,
        original.metadata,
    )
    assert [(p.code, p.message, p.location) for p in loaded.problems] == [
        ("W105", original.problems[0].message, Location(page=2))
    ]
    assert "/abs/" not in entry_path(tmp_path, "ingest", key).read_text(encoding="utf-8")


def test_failed_reads_are_not_cached(tmp_path: Path) -> None:
    store_cached(tmp_path, "k", extracted("E104"))
    assert list(tmp_path.iterdir()) == []


def test_missing_or_corrupt_entries_are_misses(tmp_path: Path) -> None:
    assert load_cached(tmp_path, "absent") is None
    bad = entry_path(tmp_path, "ingest", "bad")
    bad.parent.mkdir(parents=True)
    bad.write_text("{not json", encoding="utf-8")
    assert load_cached(tmp_path, "bad") is None
    assert not bad.exists(), "a damaged entry is removed, to be written again"
    store_cached(tmp_path, "old", extracted())
    entry = entry_path(tmp_path, "ingest", "old")
    entry.write_bytes(entry.read_bytes().replace(b"pdfium", b"pdfiun"))
    assert load_cached(tmp_path, "old") is None


TWO_LANGUAGES = (
    "Refugees have shown great resilience this year.\n\nLes réfugiés ont fait preuve de résilience."
)


def test_a_texts_language_is_kept_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cached_text_language(tmp_path, TWO_LANGUAGES, "")
    assert first == text_language(TWO_LANGUAGES)
    assert {part.language for part in first.parts} == {"en", "fr"}

    def fails(*args: object, **kwargs: object) -> None:
        raise AssertionError("the detector ran again")

    monkeypatch.setattr("resdiscourse.ingest.cache.text_language", fails)
    assert cached_text_language(tmp_path, TWO_LANGUAGES, "") == first
    # Another given language or another text is another entry.
    with pytest.raises(AssertionError, match="ran again"):
        cached_text_language(tmp_path, TWO_LANGUAGES, "fr")
    assert language_key(TWO_LANGUAGES, "") != language_key(TWO_LANGUAGES + " ", "")


def test_a_damaged_language_entry_is_judged_again(tmp_path: Path) -> None:
    key = language_key(TWO_LANGUAGES, "en")
    first = cached_text_language(tmp_path, TWO_LANGUAGES, "en")
    assert first.language == "en"
    assert write_entry(tmp_path, "ingest", key, {"language": "en", "parts": "not a list"})
    assert cached_text_language(tmp_path, TWO_LANGUAGES, "en") == first
    assert cached_text_language(None, TWO_LANGUAGES, "en") == first  # no cache: detected


def test_mixed_parts_come_from_the_cache_for_the_ingest_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    detect = cached_mixed_parts(tmp_path)
    parts = detect(TWO_LANGUAGES, ("en", "fr"))
    assert parts == mixed_parts(TWO_LANGUAGES, ("en", "fr"))
    assert [part.language for part in parts] == ["en", "fr"]
    assert detect("Refugees show resilience.", ("en", "fr")) == []  # one language: no parts

    def fails(*args: object, **kwargs: object) -> None:
        raise AssertionError("the detector ran again")

    monkeypatch.setattr("resdiscourse.ingest.cache.text_language", fails)
    assert detect(TWO_LANGUAGES, ("fr", "en")) == parts
    # Other languages than ingest's are detected as asked, not read from the cache.
    monkeypatch.setattr("resdiscourse.ingest.cache.mixed_parts", lambda text, languages: [])
    assert detect(TWO_LANGUAGES, ("en", "de")) == []
