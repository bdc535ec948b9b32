"""Normalising the metadata values files carry: dates, years, language codes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import PurePosixPath

from resdiscourse.ingest.plaintext import clean_paragraph

YEAR_MIN, YEAR_MAX = 1900, 2100

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?=$|[-_])")
#: Titles PDF producers fill in by themselves: a file name, or a placeholder.
_PRODUCER_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint) - .*|.*\.(?:docx?|pdf|indd|qxd|rtf|odt|pptx?)|untitled.*)$",
    re.IGNORECASE,
)
#: ISO 639-2 codes that Canadian government pages put in dcterms.language.
_THREE_LETTER = {"eng": "en", "fra": "fr", "fre": "fr"}


def iso_date(value: str) -> str:
    """``YYYY-MM-DD`` from an ISO date or timestamp (``2016-11-15T10:00:00-05:00``), else ``""``."""
    match = _ISO_DATE.match(value)
    if not match:
        return ""
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return ""


def year_in(text: str) -> str:
    """The first plausible publication year (1900 to 2100) standing alone in ``text``, or ``""``."""
    for match in _YEAR.finditer(text):
        if YEAR_MIN <= int(match.group(1)) <= YEAR_MAX:
            return match.group(1)
    return ""


def language_code(value: str) -> str:
    """The two-letter language of a tag such as ``en-CA``, ``fr_CA`` or ``eng``, else ``""``."""
    match = _LANGUAGE.match(value.strip())
    if not match:
        return ""
    code = match.group(0).lower()
    return _THREE_LETTER.get(code, code if len(code) == 2 else "")


def date_fields(value: str) -> dict[str, str]:
    """``date`` and ``year`` entries for a date value; empty when it is not a date."""
    date = iso_date(value)
    return {"date": date, "year": date[:4]} if date else {}


def scalar_text(value: object) -> str:
    """A YAML value as metadata text: ISO dates, lists joined with "; ", mappings ignored."""
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dt.date):  # YAML reads 2019-03-01 as a date (a datetime is a date too)
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(filter(None, (scalar_text(item) for item in value)))
    return clean_paragraph(str(value))


def document_metadata(
    manifest: Mapping[str, str], found: Mapping[str, str], file: str
) -> dict[str, str]:
    """A document's metadata: the manifest's fields, then for title, date, year and language what
    the file itself says (PDF info, HTML meta tags, front matter), then its name.
    """
    metadata = {
        key: value for key, value in manifest.items() if value and key not in ("doc_id", "file")
    }
    stem = PurePosixPath(file).stem
    title = found.get("title", "").strip()
    fallbacks = {
        "title": "" if _PRODUCER_TITLE.match(title) else title,
        "date": iso_date(found.get("date", "")),
        "language": language_code(found.get("language", "")),
    }
    for key, value in fallbacks.items():
        if value and not metadata.get(key):
            metadata[key] = value
    metadata.setdefault("title", stem)
    if not metadata.get("year"):
        sources = (metadata.get("date", ""), found.get("year", ""), found.get("date", ""), stem)
        year = next((year_in(text) for text in sources if year_in(text)), "")
        if year:
            metadata["year"] = year
    return metadata


def language_source(manifest: Mapping[str, str], found: Mapping[str, str]) -> str:
    """Where :func:`document_metadata` took the language from: ``manifest``, ``file`` (PDF info,
    HTML ``lang``, front matter) or ``""`` when neither gives one (ingest then detects it)."""
    if manifest.get("language"):
        return "manifest"
    return "file" if language_code(found.get("language", "")) else ""
