"""Character normalisation, paragraph splitting and decoding shared by the text readers."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from resdiscourse.errors import ResdiscourseError
from resdiscourse.ingest.plaintext import (
    clean_paragraph,
    decode_bytes,
    join_paragraphs,
    normalise_chars,
    single_page,
    split_blocks,
)
from resdiscourse.models import PageSpan

HERE = Path("doc.txt")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Toronto\u00a0For\u2009All\u202fnow", "Toronto For All now"),  # NBSP, thin, narrow NBSP
        ("resil\u00adience", "resilience"),  # soft hyphen
        ("new\u200bcomers\u200d\ufeff", "newcomers"),  # zero-width characters
        ("re\u200e\u200fsilient", "resilient"),  # bidi marks
        ("Re\u0301fugie\u0301s", "R\u00e9fugi\u00e9s"),  # combining accents composed (NFC)
        ("e\u200b\u0301", "\u00e9"),  # composes once the zero-width space is gone
        ("o\ufb03ce", "office"),  # ligature, as the PDF side does
        ("bell\x07 and\x1fseparator", "bell and separator"),  # controls: dropped, or a space
    ],
)
def test_clean_paragraph_normalises_characters(raw: str, clean: str) -> None:
    assert clean_paragraph(raw) == clean


def test_normalise_chars_keeps_newlines_and_makes_separators_newlines() -> None:
    assert normalise_chars("a\nb\u2028c\u2029d") == "a\nb\nc\n\nd"


def test_clean_paragraph_collapses_whitespace_and_trims() -> None:
    assert clean_paragraph("  one\n two\t\tthree  \r\n") == "one two three"


def test_split_blocks_on_blank_lines_only() -> None:
    assert split_blocks("a\nb\n \t\nc\r\n\r\nd") == ["a\nb", "c", "d"]


def test_join_paragraphs_drops_empty_ones() -> None:
    assert join_paragraphs(["one\ntwo", " \u200b ", "three"]) == "one two\n\nthree"


def test_single_page_spans_the_whole_text() -> None:
    assert single_page("abc").spans == (PageSpan(0, 3, 1, "1"),)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (codecs.BOM_UTF8 + "Réfugiés".encode(), "Réfugiés"),
        ("Réfugiés".encode(), "Réfugiés"),
        ("Réfugiés \u2013 “civic”".encode("cp1252"), "Réfugiés \u2013 “civic”"),
        (codecs.BOM_UTF16_LE + "Réfugiés".encode("utf-16-le"), "Réfugiés"),
        (codecs.BOM_UTF16_BE + "Réfugiés".encode("utf-16-be"), "Réfugiés"),
    ],
)
def test_decode_bytes(data: bytes, text: str) -> None:
    assert decode_bytes(data, HERE) == text


def test_decode_bytes_prefers_the_declared_encoding() -> None:
    assert decode_bytes("é".encode("latin-1"), HERE, ["latin-1"]) == "é"


@pytest.mark.parametrize("data", [b"\x81\x8d\x8f\x90\x9d", b"binary\x00data"])
def test_undecodable_bytes_are_e111(data: bytes) -> None:
    with pytest.raises(ResdiscourseError) as caught:
        decode_bytes(data, HERE)
    assert caught.value.problem.code == "E111"
    assert caught.value.problem.location.file == "doc.txt"
