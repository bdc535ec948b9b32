"""safezip: zip archives read without trusting them. Hostile archives are generated here (never
shipped as binaries); tests/test_refi_read.py checks that the REFI-QDA reader turns what this
module raises into E402 and E401."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resdiscourse import safezip
from resdiscourse.safezip import Refused, SafeZip, Unreadable


def make_zip(path: Path, entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)  # keeps an unsafe name as given
            info.compress_type = method
            archive.writestr(info, data)
    return path


def refused(source: Path | io.BytesIO, label: str = "a.zip") -> str:
    """Open ``source`` and read every member, expecting :class:`Refused`; its detail."""
    with pytest.raises(Refused) as caught, SafeZip(source, label) as archive:
        archive.check_all()
    return caught.value.detail


def test_members_are_read_by_name_and_a_missing_one_is_none(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "a.zip", {"dir/": b"", "dir/x.txt": b"hello", "y.bin": b"\0\1"})
    with SafeZip(path, "a.zip") as archive:
        assert archive.read("dir/x.txt") == b"hello"
        assert archive.read("y.bin") == b"\0\1"
        assert archive.read("dir/") is None  # a folder entry holds no data
        assert archive.read("nothing.txt") is None
        assert archive.total == 7
    # An archive in memory reads the same way.
    with SafeZip(io.BytesIO(path.read_bytes()), "in memory") as archive:
        assert archive.read("dir/x.txt") == b"hello"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.txt", "a '..' component (zip slip)"),
        ("ok/../../evil.txt", "a '..' component (zip slip)"),
        ("ok\\..\\evil.txt", "a '..' component (zip slip)"),
        ("/etc/passwd", "an absolute path"),
        ("\\windows\\x", "an absolute path"),
        ("C:/x.txt", "a drive letter"),
        ("c:x.txt", "a drive letter"),
    ],
)
def test_an_unsafe_name_refuses_the_whole_archive(tmp_path: Path, name: str, reason: str) -> None:
    assert safezip.unsafe_name(name) == reason
    path = make_zip(tmp_path / "a.zip", {"fine.txt": b"x", name: b"x"})
    detail = refused(path)
    assert detail == f"entry {name!r} of a.zip has {reason}"


@pytest.mark.parametrize("name", ["a.txt", "sources/a..b.txt", "..a/b", "dir/", "x/y/z.txt"])
def test_safe_names(name: str) -> None:
    assert safezip.unsafe_name(name) is None


def test_a_nul_in_a_name_is_unsafe() -> None:
    # zipfile cuts a stored name at its NUL, so the check is on the name alone.
    assert safezip.unsafe_name("a\x00.txt") == "a NUL character"


def test_a_name_listed_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    with (
        pytest.warns(UserWarning, match="Duplicate name"),
        zipfile.ZipFile(path, "w") as archive,
    ):
        archive.writestr("a.txt", b"first")
        archive.writestr("a.txt", b"second")
    assert refused(path) == "entry 'a.txt' appears twice in a.zip"


def test_declared_size_is_refused_before_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_zip(tmp_path / "a.zip", {"small.txt": b"x", "big.txt": b"y" * 5_000})
    monkeypatch.setattr(safezip, "MAX_ENTRY_BYTES", 1_000)
    with SafeZip(path, "a.zip") as archive:
        assert archive.read("small.txt") == b"x"  # only the members read count
        with pytest.raises(Refused, match=r"entry 'big.txt' declares more than 1000 B"):
            archive.read("big.txt")
        assert archive.total == 1  # nothing of big.txt was inflated


def test_a_lying_header_is_caught_on_the_bytes_produced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shrink the size the headers claim: the stream is still counted as it inflates, and the
    zip library's own checks end in Unreadable, never in more bytes than the limit."""
    path = make_zip(tmp_path / "a.zip", {"a.txt": b"z" * 50_000})
    data = path.read_bytes()
    real = (50_000).to_bytes(4, "little")
    assert data.count(real) == 2  # local header and central directory
    path.write_bytes(data.replace(real, (100).to_bytes(4, "little")))
    monkeypatch.setattr(safezip, "MAX_ENTRY_BYTES", 1_000)
    with pytest.raises(Unreadable) as caught, SafeZip(path, "a.zip") as archive:
        archive.check_all()
    assert caught.value.member == "a.txt"
    assert caught.value.detail.startswith("cannot read entry 'a.txt' of a.zip (BadZipFile")


def test_a_stream_over_the_limit_is_refused_while_it_inflates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_zip(tmp_path / "a.zip", {"a.txt": b"q" * 300_000}, zipfile.ZIP_STORED)
    with SafeZip(path, "a.zip") as archive, archive.open("a.txt") as stream:
        assert stream.read(10) == b"q" * 10
        # Tightened after the declared size passed: the bytes produced are checked too.
        monkeypatch.setattr(safezip, "MAX_ENTRY_BYTES", 100_000)
        with pytest.raises(Refused, match=r"'a\.txt' decompresses to more than 100000 B"):
            while stream.read(safezip.CHUNK_BYTES):
                pass


def test_compression_ratio_past_the_floor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_zip(tmp_path / "a.zip", {"zeros.bin": b"\0" * 500_000})
    monkeypatch.setattr(safezip, "RATIO_FLOOR", 100_000)
    assert refused(path) == "entry 'zeros.bin' expands more than 200 times (a zip bomb?)"
    # Under the floor the ratio is not held against a member: small texts compress well too.
    monkeypatch.setattr(safezip, "RATIO_FLOOR", 1_000_000)
    with SafeZip(path, "a.zip") as archive:
        assert archive.read("zeros.bin") == b"\0" * 500_000


def test_total_entry_count_and_archive_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_zip(tmp_path / "a.zip", {f"m{n}.txt": b"x" * 100 for n in range(5)})
    monkeypatch.setattr(safezip, "MAX_ENTRIES", 4)
    assert refused(path) == "a.zip lists 5 entries (limit 4)"
    monkeypatch.setattr(safezip, "MAX_ENTRIES", 5)
    monkeypatch.setattr(safezip, "MAX_TOTAL_BYTES", 450)
    assert refused(path) == "a.zip decompresses to more than 450 B"
    monkeypatch.setattr(safezip, "MAX_ARCHIVE_BYTES", 100)
    assert refused(path) == "a.zip is larger than 100 bytes"
    assert refused(io.BytesIO(path.read_bytes()), "in memory") == (
        "in memory is larger than 100 bytes"
    )


def test_not_a_zip_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    path.write_bytes(b"this is not a zip")
    with pytest.raises(Unreadable) as caught:
        SafeZip(path, "a.zip")
    assert caught.value.member is None
    assert caught.value.detail == (
        "a.zip is not a readable zip archive (BadZipFile: File is not a zip file)"
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8))
def test_damaged_archives_raise_only_refused_or_unreadable(
    tmp_path: Path, changes: list[tuple[int, int]]
) -> None:
    path = make_zip(tmp_path / "a.zip", {"a.txt": b"resilience " * 200, "b/c.txt": b"abc"})
    data = bytearray(path.read_bytes())
    for index, value in changes:
        data[index % len(data)] = value
    path.write_bytes(bytes(data))
    try:
        with SafeZip(path, "a.zip") as archive:
            archive.check_all()
    except (Refused, Unreadable) as error:
        assert error.detail and "\n" not in error.detail


def test_a_member_is_checked_in_chunks_without_being_kept(tmp_path: Path) -> None:
    """A docx's members are inflated to check the limits and dropped chunk by chunk."""
    import tracemalloc

    path = make_zip(
        tmp_path / "inner.zip", {"word/big.bin": bytes(range(256)) * 40_000}, zipfile.ZIP_STORED
    )  # 10 MB, stored
    with SafeZip(path, "inner.zip") as archive:
        tracemalloc.start()
        try:
            archive.check_all()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert archive.total == 10_240_000
    assert peak < 1_000_000


def test_limited_stream_counts_bytes_and_notices_a_cr() -> None:
    seen: list[int] = []
    stream = safezip.LimitedStream(io.BytesIO(b"a\r\nb" * 40_000), seen.append)
    buffer = bytearray(1_000_000)
    assert stream.readinto(buffer) == safezip.CHUNK_BYTES  # never more than a chunk at a time
    assert stream.read() == (b"a\r\nb" * 40_000)[safezip.CHUNK_BYTES :]
    assert stream.size == 160_000 and stream.has_cr
    # Each chunk is checked with the size so far.
    assert seen[0] == safezip.CHUNK_BYTES and seen[-1] == 160_000
    assert seen == sorted(seen)
    plain = safezip.LimitedStream(io.BytesIO(b"a\nb"), seen.append)
    assert plain.read() == b"a\nb" and not plain.has_cr
