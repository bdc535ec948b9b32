"""Shared text hygiene for the non-PDF readers: decoding, character normalisation, paragraphs.

The clean-text contract (same as the PDF engine): paragraphs joined by ``"\\n\\n"``, the lines of a
paragraph joined by one space, no leading or trailing whitespace.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from resdiscourse.errors import Location, ResdiscourseError
from resdiscourse.ingest.clean import normalize_chars
from resdiscourse.models import PageMap, PageSpan

PARAGRAPH_SEPARATOR = "\n\n"

#: Beyond what the PDF side's `normalize_chars` handles: more invisible characters (bidi marks,
#: grapheme joiners) and control characters, which text files carry and PDFs do not.
_INVISIBLE = "\u034f\u180e\u200e\u200f\u2061\u2062\u2063\u2064"
#: Control characters that Python's str.split() treats as whitespace: spaces, so words stay apart.
_CONTROL_SPACES = "\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\u1680"
_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0)]
_OTHER_CONTROLS = "".join(chr(c) for c in _CONTROLS if chr(c) not in _CONTROL_SPACES + "\n\r")

_TRANSLATION = str.maketrans(
    {
        **dict.fromkeys(_CONTROL_SPACES, " "),
        **dict.fromkeys(_INVISIBLE + _OTHER_CONTROLS, None),
        "\u2028": "\n",  # line separator
        "\u2029": "\n\n",  # paragraph separator
    }
)
_WHITESPACE = re.compile(r"\s+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def normalise_chars(text: str) -> str:
    """The PDF side's character clean-up (ligatures, odd spaces, zero-width, soft hyphens, NFC)
    plus control characters and rarer invisibles. Newlines are kept: callers split on them.
    """
    return normalize_chars(text.translate(_TRANSLATION))


def clean_paragraph(text: str) -> str:
    """One paragraph as one line: normalised characters, whitespace runs collapsed, trimmed."""
    return _WHITESPACE.sub(" ", normalise_chars(text)).strip()


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """The clean text of a sequence of raw paragraphs; empty ones are dropped."""
    return PARAGRAPH_SEPARATOR.join(p for p in map(clean_paragraph, paragraphs) if p)


def split_blocks(text: str) -> list[str]:
    """Blocks of lines separated by blank lines (plain text, code blocks, ``<pre>``)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BLANK_LINE.split(normalise_chars(text))


def single_page(text: str) -> PageMap:
    """The page map of a text that has no pages of its own (Markdown, HTML)."""
    return PageMap((PageSpan(0, len(text), 1, "1"),))


def decode_bytes(data: bytes, path: Path, preferred: Sequence[str] = ()) -> str:
    """Decode a text file: a BOM wins, then ``preferred`` encodings, then UTF-8, then cp1252.

    cp1252 is the usual encoding of text saved by Windows tools; it decodes almost any bytes, so a
    NUL character afterwards means the file is binary (or UTF-16 without a BOM), not text.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_strict(data, "utf-16", path)
    for encoding in [*preferred, "utf-8-sig", "cp1252"]:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if "\x00" in text:
            break
        return text.removeprefix("\ufeff")
    raise ResdiscourseError.of("E111", Location(file=str(path)), encoding="UTF-8")


def _decode_strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ResdiscourseError.of(
            "E111", Location(file=str(path)), encoding=encoding.upper()
        ) from None
