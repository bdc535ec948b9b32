"""Metadata values (dates, years, languages) and a document's metadata fallbacks."""

from __future__ import annotations

import datetime as dt

import pytest

from resdiscourse.ingest.metadata import (
    document_metadata,
    iso_date,
    language_code,
    scalar_text,
    year_in,
)


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("2016-11-15", "2016-11-15"),
        ("2016-11-15T10:00:00-05:00", "2016-11-15"),
        ("2016-02-30", ""),
        ("15/11/2016", ""),
        ("", ""),
    ],
)
def test_iso_date(value: str, date: str) -> None:
    assert iso_date(value) == date


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("toronto-newcomer-strategy-2013", "2013"),
        ("report_1850_2008", "2008"),
        ("bylaw-12345", ""),
        ("2101 and 1899", ""),
        ("March 2019", "2019"),
    ],
)
def test_year_in(text: str, year: str) -> None:
    assert year_in(text) == year


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en-CA", "en"), ("FR_ca", "fr"), ("eng", "en"), ("fra", "fr"), ("fil", ""), ("x", "")],
)
def test_language_code(tag: str, code: str) -> None:
    assert language_code(tag) == code


def test_scalar_text() -> None:
    assert scalar_text(dt.date(2019, 3, 1)) == "2019-03-01"
    assert scalar_text(["a", None, 2]) == "a; 2"
    assert (scalar_text(None), scalar_text({"a": 1}), scalar_text(True)) == ("", "", "true")
    assert scalar_text("  two\n lines ") == "two lines"


def test_manifest_fields_win() -> None:
    manifest = {"doc_id": "x", "file": "a.pdf", "title": "Manifest title", "year": "2010", "n": ""}
    found = {"title": "PDF title", "year": "2019", "language": "fr"}
    assert document_metadata(manifest, found, "a-2008.pdf") == {
        "title": "Manifest title",
        "year": "2010",
        "language": "fr",
    }


def test_file_metadata_then_file_name() -> None:
    found = {"title": "Newcomer Strategy", "date": "2013-06-01", "year": "2013"}
    assert document_metadata({}, found, "sub/strategy-2011.pdf") == {
        "title": "Newcomer Strategy",
        "date": "2013-06-01",
        "year": "2013",
    }
    assert document_metadata({}, {}, "sub/strategy-2011.pdf") == {
        "title": "strategy-2011",
        "year": "2011",
    }


def test_year_from_the_manifest_date_before_the_file() -> None:
    metadata = document_metadata({"date": "Spring 2009"}, {"year": "2019"}, "a.pdf")
    assert metadata["year"] == "2009"


@pytest.mark.parametrize(
    "title", ["Microsoft Word - staff report.docx", "report_final.pdf", "Untitled-1"]
)
def test_producer_titles_are_not_titles(title: str) -> None:
    assert document_metadata({}, {"title": title}, "report.pdf")["title"] == "report"
