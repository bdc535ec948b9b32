"""The shared cache folder (resdiscourse/cache.py): where it is, checked entries, info and clear."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resdiscourse.cache import (
    BLOB_SUFFIX,
    CACHE_FORMAT,
    CACHEDIR_TAG,
    cache_info,
    clear_cache,
    default_cache_dir,
    entry_path,
    read_blob,
    read_entry,
    tool_fingerprint,
    write_blob,
    write_entry,
)
from resdiscourse.errors import UsageError

PAYLOAD = {"text": "Réfugiés", "rows": [{"a": "1"}], "n": 3}
#: A binary payload: bytes that are not UTF-8, a newline, NUL bytes.
BLOB = bytes(range(256)) * 3 + b"\n\x00tail"


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "resdiscourse"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec says: ignore it
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "resdiscourse"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "resdiscourse"


def test_the_tests_never_use_the_real_home_cache() -> None:
    assert not default_cache_dir().is_relative_to(Path.home() / ".cache")


def test_an_entry_round_trips_and_tags_the_folder(tmp_path: Path) -> None:
    assert write_entry(tmp_path, "coding", "ab" * 32, PAYLOAD)
    assert read_entry(tmp_path, "coding", "ab" * 32) == PAYLOAD
    path = entry_path(tmp_path, "coding", "ab" * 32)
    assert path == tmp_path / f"v{CACHE_FORMAT}" / "coding" / "ab" / f"{'ab' * 32}.json"
    assert (tmp_path / CACHEDIR_TAG).read_text().startswith("Signature: 8a477f597d28d172789f")
    assert read_entry(tmp_path, "coding", "cd" * 32) is None
    assert read_entry(tmp_path, "ingest", "ab" * 32) is None  # kinds do not mix
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no temporary file is left"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # a write cut short
        lambda data: b"",
        lambda data: data.replace(b"Re", b"Ra", 1) if b"Re" in data else data[:-1] + b"x",
        lambda data: data.split(b"\n", 1)[1],  # no header
        lambda data: b"\x00" * len(data),  # a crash before the data reached the disk
    ],
    ids=["truncated", "empty", "changed", "headerless", "zeroed"],
)
def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path: Path, damage: object) -> None:
    write_entry(tmp_path, "ingest", "key", PAYLOAD)
    path = entry_path(tmp_path, "ingest", "key")
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert read_entry(tmp_path, "ingest", "key") is None
    assert not path.exists()
    assert write_entry(tmp_path, "ingest", "key", PAYLOAD)  # rebuilt
    assert read_entry(tmp_path, "ingest", "key") == PAYLOAD


def test_a_binary_entry_round_trips_beside_a_json_one(tmp_path: Path) -> None:
    assert write_blob(tmp_path, "segmentation", "ab" * 32, BLOB)
    path = entry_path(tmp_path, "segmentation", "ab" * 32, BLOB_SUFFIX)
    assert path.name.endswith(".bin") and path.is_file()
    assert read_blob(tmp_path, "segmentation", "ab" * 32) == BLOB
    assert read_entry(tmp_path, "segmentation", "ab" * 32) is None  # a JSON entry is another file
    assert read_blob(tmp_path, "coding", "ab" * 32) is None  # kinds do not mix
    assert read_blob(tmp_path, "segmentation", "cd" * 32) is None
    assert path.exists()
    info = cache_info(tmp_path).kinds["segmentation"]
    assert (info.entries, info.bytes) == (1, path.stat().st_size)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: b"",
        lambda data: data[:-1] + bytes([data[-1] ^ 0x01]),
        lambda data: data.split(b"\n", 1)[1],
        lambda data: b"\x00" * len(data),
    ],
    ids=["truncated", "empty", "changed", "headerless", "zeroed"],
)
def test_a_damaged_binary_entry_is_a_miss_and_is_removed(tmp_path: Path, damage: object) -> None:
    write_blob(tmp_path, "segmentation", "key", BLOB)
    path = entry_path(tmp_path, "segmentation", "key", BLOB_SUFFIX)
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert read_blob(tmp_path, "segmentation", "key") is None
    assert not path.exists()
    assert write_blob(tmp_path, "segmentation", "key", BLOB)  # rebuilt
    assert read_blob(tmp_path, "segmentation", "key") == BLOB


def test_an_entry_under_another_key_is_not_taken(tmp_path: Path) -> None:
    write_entry(tmp_path, "ingest", "one", PAYLOAD)
    other = entry_path(tmp_path, "ingest", "two")
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_bytes(entry_path(tmp_path, "ingest", "one").read_bytes())
    assert read_entry(tmp_path, "ingest", "two") is None


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=400), flip=st.integers(min_value=0, max_value=400))
def test_no_damage_ever_gives_a_wrong_payload(
    tmp_path_factory: object, cut: int, flip: int
) -> None:
    root = tmp_path_factory.mktemp("c")  # type: ignore[attr-defined]
    write_entry(root, "coding", "k", PAYLOAD)
    path = entry_path(root, "coding", "k")
    data = bytearray(path.read_bytes())
    if flip < len(data):
        data[flip] ^= 0x01
    path.write_bytes(bytes(data[: max(len(data) - cut, 0)]) if cut else bytes(data))
    assert read_entry(root, "coding", "k") in (None, PAYLOAD)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_folder_is_no_error(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        assert not write_entry(tmp_path / "cache", "ingest", "k", PAYLOAD)
    finally:
        tmp_path.chmod(0o700)


def test_a_file_in_place_of_the_folder_is_no_error(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("not a folder", encoding="utf-8")
    assert not write_entry(tmp_path / "cache", "ingest", "k", PAYLOAD)
    assert read_entry(tmp_path / "cache", "ingest", "k") is None


def fill(root: Path) -> None:
    write_entry(root, "ingest", "i1", PAYLOAD)
    write_entry(root, "ingest", "i2", PAYLOAD)
    write_entry(root, "coding", "c1", PAYLOAD)
    write_blob(root, "segmentation", "s1", BLOB)
    old = root / "v1" / "abc.json"  # an entry of an earlier format
    old.parent.mkdir(parents=True)
    old.write_text("{}", encoding="utf-8")
    partial = entry_path(root, "coding", "c1").parent / ".tmp-123"  # an interrupted write
    partial.write_text("{", encoding="utf-8")
    (root / "notes.txt").write_text("the user's own file", encoding="utf-8")


def test_info_counts_entries_per_kind_and_stale_and_partial_files(tmp_path: Path) -> None:
    fill(tmp_path)
    info = cache_info(tmp_path).to_dict()
    assert info["exists"] and info["format"] == CACHE_FORMAT
    kinds = info["kinds"]
    assert list(kinds) == ["ingest", "segmentation", "coding", "codebook"]
    assert {name: kind["entries"] for name, kind in kinds.items()} == {
        "ingest": 2,
        "segmentation": 1,
        "coding": 1,
        "codebook": 0,
    }
    assert kinds["ingest"]["bytes"] == entry_path(tmp_path, "ingest", "i1").stat().st_size * 2
    blob = entry_path(tmp_path, "segmentation", "s1", BLOB_SUFFIX)
    assert kinds["segmentation"]["bytes"] == blob.stat().st_size
    assert info["stale"] == {"entries": 1, "bytes": 2}
    assert info["partial"] == {"entries": 1, "bytes": 1}
    assert info["entries"] == 4
    assert cache_info(tmp_path / "absent").to_dict()["exists"] is False


def test_clear_one_kind_then_everything_but_never_other_files(tmp_path: Path) -> None:
    fill(tmp_path)
    summary = clear_cache(tmp_path, ["ingest"])
    assert summary.removed == 2
    assert read_entry(tmp_path, "coding", "c1") == PAYLOAD
    assert clear_cache(tmp_path, ["segmentation"]).removed == 1
    assert read_blob(tmp_path, "segmentation", "s1") is None
    assert read_entry(tmp_path, "coding", "c1") == PAYLOAD
    summary = clear_cache(tmp_path)
    assert summary.removed == 3  # the coding entry, the stale and the partial file
    assert cache_info(tmp_path).entries == 0
    assert (tmp_path / "notes.txt").exists()
    assert (tmp_path / CACHEDIR_TAG).exists()
    assert not list(tmp_path.glob("v*"))


def test_clear_an_unknown_kind_is_E702(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        clear_cache(tmp_path, ["texts"])
    assert caught.value.problem.code == "E702"


def test_the_tool_fingerprint_names_the_version_and_the_code() -> None:
    version, _, digest = tool_fingerprint().partition("+")
    assert version and len(digest) == 16
