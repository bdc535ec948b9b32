"""The shipped studies: the ontario-2008-2018 candidate manifest and the demo corpus."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from resdiscourse.errors import UsageError
from resdiscourse.ingest.manifest import read_manifest
from resdiscourse.replication.studies import (
    load_study,
    manifest_documents,
    study_from_manifest,
    study_names,
)
from tests.conftest import SHARED, need_shared

OLD_ITEM_PAGE = "https://app.toronto.ca/tmmis/viewAgendaItemHistory.do?item="
NEW_ITEM_PAGE = "https://secure.toronto.ca/council/agenda-item.do?item="
BODIES = {"City of Toronto": "municipal", "Province of Ontario": "provincial"}


@pytest.fixture(scope="module")
def ontario() -> list[dict[str, str]]:
    return load_study("ontario-2008-2018").documents


def test_study_names() -> None:
    assert study_names() == ["demo", "ontario-2008-2018"]


def test_unknown_study_is_a_usage_error_naming_the_studies() -> None:
    with pytest.raises(UsageError) as caught:
        load_study("ontario-2019")
    assert caught.value.problem.code == "E510"
    assert "demo, ontario-2008-2018" in caught.value.problem.hint


def test_ontario_manifest_reads_cleanly_with_the_ingest_reader() -> None:
    study = load_study("ontario-2008-2018")
    assert study.manifest.is_file() and study.manifest.name == "manifest.yaml"
    assert study.corpus is None  # the PDFs are not shipped
    manifest = read_manifest(study.manifest)
    assert [problem for row in manifest.rows for problem in row.problems] == []
    assert [dict(row.fields) for row in manifest.rows] == study.documents
    assert "NOT verified" in study.title
    assert "NOT VERIFIED" in study.manifest.read_text(encoding="utf-8")


def test_ontario_has_every_slot_and_reserve_of_the_reconstruction(
    ontario: list[dict[str, str]],
) -> None:
    slots = Counter(int(doc["slot"]) for doc in ontario if "slot" in doc)
    assert set(slots) == set(range(1, 15))
    # Row 4 names a staff report and a program report; row 13 three progress reports.
    assert slots[4] == 2 and slots[13] == 3
    assert all(count == 1 for slot, count in slots.items() if slot not in (4, 13))
    reserves = [doc for doc in ontario if doc.get("reserve") == "true"]
    assert len(reserves) == 8
    assert all("slot" not in doc for doc in reserves)
    assert len(ontario) == sum(slots.values()) + len(reserves) == 25


def test_ontario_matches_the_source_table() -> None:
    """Where ../shared is present: as many slots as table rows, as many reserves as bullets."""
    text = need_shared(SHARED / "ontario-2008-2018.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (City|Ontario) \|", text, flags=re.M)
    reserve_section = text.split("Reserve candidates", 1)[1].split("\n\n", 1)[0]
    reserves = [line for line in reserve_section.splitlines() if line.startswith("- ")]
    documents = load_study("ontario-2008-2018").documents
    assert sorted({int(doc["slot"]) for doc in documents if "slot" in doc}) == sorted(
        int(number) for number, _ in rows
    )
    assert sum(doc.get("reserve") == "true" for doc in documents) == len(reserves)
    for number, body in rows:
        slot = [doc for doc in documents if doc.get("slot") == number]
        expected = "City of Toronto" if body == "City" else "Province of Ontario"
        assert {doc["jurisdiction"] for doc in slot} == {expected}, number


def test_ontario_entries_are_complete(ontario: list[dict[str, str]]) -> None:
    ids = [doc["doc_id"] for doc in ontario]
    assert len(set(ids)) == len(ids)
    for doc in ontario:
        name = doc["doc_id"]
        assert doc["file"] == f"{name}.pdf", name
        assert BODIES[doc["jurisdiction"]] == doc["level"], name
        assert 2008 <= int(doc["year"]) <= 2018, name
        assert doc["confidence"] in {"H", "M", "L"}, name
        assert doc["language"] == "en", name
        assert doc["title"] and doc["publisher"] and doc["doc_type"] and doc["evidence"], name
        if doc.get("council_item"):  # the item page at both its addresses (shared md, section 4)
            item = doc["council_item"]
            assert re.fullmatch(r"20(0[89]|1\d)\.[A-Z]{2}\d+\.\d+", item), name
            assert doc["item_page"] == OLD_ITEM_PAGE + item, name
            assert doc["item_page_new"] == NEW_ITEM_PAGE + item, name
        else:
            assert "item_page" not in doc and "item_page_new" not in doc, name
        if doc.get("url"):
            assert doc["url"].startswith("https://"), name
        else:  # the notes say why there is no address, and where to look
            assert re.search(r"no url recorded", doc["notes"], flags=re.I), name


def test_ontario_confidence_flags(ontario: list[dict[str, str]]) -> None:
    by_slot = {doc["doc_id"]: doc for doc in ontario}
    assert Counter(doc["confidence"] for doc in ontario) == {"H": 2, "M": 9, "L": 14}
    assert by_slot["toronto-for-all-civic-resiliency-2017"]["confidence"] == "H"
    assert by_slot["toronto-for-all-civic-resiliency-2017"]["council_item"] == "2017.EX27.9"
    # "M/L" and "L/M" rows take the lower flag and say so.
    for doc in ontario:
        if doc.get("slot") in {"4", "8", "9"}:
            assert doc["confidence"] == "L" and "lower flag" in doc["notes"], doc["doc_id"]
    assert all(doc["confidence"] == "L" for doc in ontario if doc.get("reserve") == "true")


def test_demo_study_points_at_the_bundled_corpus() -> None:
    study = load_study("demo")
    assert study.corpus is not None and study.manifest == study.corpus / "manifest.csv"
    pdfs = sorted(path.name for path in study.corpus.glob("*.pdf"))
    assert len(pdfs) == 11
    assert sorted(doc["file"] for doc in study.documents) == pdfs
    assert study.to_dict()["corpus"] == str(study.corpus)


def test_study_from_a_manifest_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("- {doc_id: a, file: a.pdf, url: 'https://example.org/a.pdf'}\n")
    study = study_from_manifest(path)
    assert (study.name, study.corpus) == ("mine", None)
    assert study.documents == [{"doc_id": "a", "file": "a.pdf", "url": "https://example.org/a.pdf"}]


def test_ontario_council_items(ontario: list[dict[str, str]]) -> None:
    by_id = {doc["doc_id"]: doc for doc in ontario}
    access = by_id["access-city-services-undocumented-torontonians-2013"]
    assert access["council_item"] == "2014.CD29.11"
    assert "2015.CD8.4" in access["related_items"] and "2015.CD8.4" in access["notes"]
    items = {doc["doc_id"]: doc.get("council_item") for doc in ontario if doc.get("council_item")}
    assert items == {
        "toronto-for-all-civic-resiliency-2017": "2017.EX27.9",
        "toronto-newcomer-strategy-2013": "2013.CD18.7",
        "toronto-newcomer-strategy-staff-report-2013": "2013.CD18.7",
        "toronto-newcomer-initiative-program-report-2012": "2013.CD18.7",
        "toronto-newcomer-strategy-implementation-2014": "2014.CD29.10",
        "syrian-refugee-resettlement-options-2015": "2015.EX8.39",
        "toronto-newcomer-strategy-progress-2016": "2016.CD15.5",
        "refugees-claimants-undocumented-torontonians-2017": "2017.CD19.9",
        "toronto-youth-equity-strategy-2014": "2014.CD26.2",
        "toronto-strong-neighbourhoods-strategy-2020-2014": "2014.CD27.5",
        "access-city-services-undocumented-torontonians-2013": "2014.CD29.11",
        "canada-ontario-toronto-mou-immigration-2018": "2018.CD27.3",
    }


def test_ontario_council_items_match_the_source() -> None:
    """Where ../shared is present: each council_item's number and year are on one line of the
    md (its table rows and section 4 write them as 2014.CD29.10, or CD27.5 ... 2014)."""
    text = need_shared(SHARED / "ontario-2008-2018.md").read_text(encoding="utf-8")
    for doc in load_study("ontario-2008-2018").documents:
        if doc.get("council_item"):
            year, number = doc["council_item"].split(".", 1)
            lines = [
                line for line in text.splitlines() if re.search(rf"\b{re.escape(number)}\b", line)
            ]
            assert any(year in line for line in lines), doc["doc_id"]


def test_confidence_is_normalised_by_the_study_loader(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    rows = [
        {"doc_id": "a", "file": "a.pdf", "confidence": "h"},
        {"doc_id": "b", "file": "b.pdf", "confidence": " m "},
        {"doc_id": "c", "file": "c.pdf", "confidence": "Low"},
        {"doc_id": "d", "file": "d.pdf"},
    ]
    import yaml

    path.write_text(yaml.safe_dump(rows), encoding="utf-8")
    flags = [doc.get("confidence") for doc in study_from_manifest(path).documents]
    assert flags == ["H", "M", "L", None]
    assert read_manifest(path).rows[0].fields["confidence"] == "h"  # the generic reader keeps it


def test_an_unknown_confidence_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("- {doc_id: a, file: a.pdf}\n- {file: b.pdf, confidence: M/L}\n")
    with pytest.raises(UsageError) as caught:
        manifest_documents(path)
    problem = caught.value.problem
    assert problem.code == "E514"
    assert problem.message == "document 'b' of mine.yaml: confidence 'M/L' is not H, M or L"
    assert problem.location.line == 2
