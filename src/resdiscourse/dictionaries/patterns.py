"""Dictionary values → terms of the codebook's syntax, or the reason they cannot be one.

A codebook term is words separated by single spaces; ``*`` inside a word stands for any run of
letters or digits, at either end or inside (docs/codebook.md). Tools write values as globs
(``*`` and ``?``: quanteda's default ``valuetype = "glob"``, LIWC, Lexicoder, WordStat,
Yoshikoder's substring engine), as regular expressions (quanteda ``valuetype = "regex"``,
Yoshikoder's regexp engine) or as fixed strings. What the term syntax cannot say exactly is never
approximated: the value is reported instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ValueType = Literal["glob", "regex", "fixed"]
VALUE_TYPES: tuple[ValueType, ...] = ("glob", "regex", "fixed")

#: Characters a term cannot hold (they belong to queries).
_FORBIDDEN = set('(){}"')


@dataclass(frozen=True)
class Untranslatable:
    """Why a value has no term: what to tell the user."""

    detail: str
    advice: str


def translate(value: str, valuetype: ValueType = "glob") -> str | Untranslatable:
    """The term for a dictionary value, or why there is none."""
    text = " ".join(value.split())
    if not text:
        return Untranslatable("an empty value", "remove the line")
    if valuetype == "regex":
        return _from_regex(text)
    if valuetype == "fixed" and "*" in text:
        return Untranslatable(
            f"{value!r} is a fixed value with a literal *",
            "a term's * is a wildcard: there is no literal * in the term syntax",
        )
    if valuetype == "glob" and "?" in text:
        return Untranslatable(
            f"{value!r}: ? (exactly one character) has no equivalent",
            "write the forms out, or use * (any run of letters) if a wider match is right",
        )
    return _checked(value, text)


def _checked(value: str, text: str) -> str | Untranslatable:
    bad = sorted(set(text) & _FORBIDDEN)
    if bad:
        return Untranslatable(
            f"{value!r} holds {' '.join(bad)}",
            "a term cannot contain ( ) { } or quotes: a LIWC contextual rule or an emoticon",
        )
    if any(word.strip("*") == "" for word in text.split(" ")):
        return Untranslatable(
            f"{value!r} has a word that is only *", "a term's words need a letter or digit"
        )
    return re.sub(r"\*{2,}", "*", text)


#: Regex pieces that mean "any run of word characters", the only wildcard a term has.
_RUN = re.compile(r"\.\*|\\w\*|\.\+|\\w\+|\[a-z\]\*|\[a-z\]\+|\[\[:alpha:\]\]\*")
_LITERAL = re.compile(r"(?:\\.|[\w' -])*")


def _from_regex(text: str) -> str | Untranslatable:
    """A regex as quanteda reads it (``regex`` valuetype: a match anywhere in the token, so
    ``^`` and ``$`` anchor it) → a term when it is literal words and runs of letters."""
    body = text
    anchored_start = body.startswith("^")
    anchored_end = body.endswith("$") and not body.endswith("\\$")
    body = body[1 if anchored_start else 0 : -1 if anchored_end else None]
    body = _RUN.sub("*", body)
    literal = re.sub(r"\\(.)", r"\1", body)
    if not _LITERAL.fullmatch(body.replace("*", "")) or re.search(r"\\[a-zA-Z]", body):
        return Untranslatable(
            f"regex {text!r} is not literal words with runs of letters (.*)",
            "write it as terms with * (any run of letters), one per form",
        )
    term = ("" if anchored_start else "*") + literal + ("" if anchored_end else "*")
    return _checked(text, " ".join(term.split()))
