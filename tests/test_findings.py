"""The six findings of Bhuyan & Leung (2021) beside the evidence of a coded run."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from resdiscourse.replication.findings import (
    COPING_RULES,
    FINDINGS_FILE,
    MIN_DOCUMENTS,
    MIN_SEGMENTS,
    QUOTES,
    Finding,
    compute_findings,
    findings_markdown,
    md_text,
    run_info,
    write_findings,
)
from resdiscourse.run import code_corpus
from resdiscourse.rundir import CodeRun, load_run

STRESSORS = {
    "stressor:poverty",
    "stressor:systemic_racism",
    "stressor:precarious_employment",
    "stressor:migration_trauma",
    "stressor:discrimination",
}
REMEDIES = {"remedy:housing", "remedy:childcare", "remedy:decent_work", "remedy:income"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


class Tables:
    """The demo run's CSVs read directly, to count independently of the module under test."""

    def __init__(self, folder: Path) -> None:
        self.segments = _rows(folder / "segments.csv")
        self.documents = _rows(folder / "documents.csv")
        self.codes: dict[str, set[str]] = defaultdict(set)
        self.rules: dict[str, set[str]] = defaultdict(set)
        for row in _rows(folder / "codings.csv"):
            self.codes[row["segment_id"]].add(f"{row['dimension']}:{row['code']}")
            self.rules[row["segment_id"]].add(row["rule"])
        self.doc_of = {row["segment_id"]: row["doc_id"] for row in self.segments}

    def where(self, test: object) -> set[str]:
        assert callable(test)
        return {sid for sid in self.doc_of if test(self.codes[sid], self.rules[sid])}

    def docs(self, segment_ids: set[str]) -> int:
        return len({self.doc_of[sid] for sid in segment_ids})


@pytest.fixture(scope="module")
def run(demo_out: Path) -> CodeRun:
    return load_run(demo_out)


@pytest.fixture(scope="module")
def findings(run: CodeRun) -> list[Finding]:
    return compute_findings(run)


@pytest.fixture(scope="module")
def tables(demo_out: Path) -> Tables:
    return Tables(demo_out)


def _part(finding: Finding, name: str) -> dict[str, object]:
    part = finding.numbers["parts"][name]
    assert isinstance(part, dict)
    return part


def test_every_finding_is_addressed_and_supported_on_the_demo(findings: list[Finding]) -> None:
    # The demo corpus was written to evidence all six findings.
    assert [f.id for f in findings] == [1, 2, 3, 4, 5, 6]
    for finding in findings:
        assert finding.title and finding.claim
        assert finding.verdict == "supported", (finding.id, finding.reasons)
        assert finding.reasons == []
        assert 1 <= len(finding.quotes) <= QUOTES
        assert finding.documents


def _check_part(finding: Finding, name: str, expected: set[str], tables: Tables) -> None:
    part = _part(finding, name)
    assert part["segments"] == len(expected), name
    assert part["documents"] == tables.docs(expected), name
    assert part["share"] == round(len(expected) / len(tables.segments), 4)
    by_jurisdiction = part["by_jurisdiction"]
    assert isinstance(by_jurisdiction, dict)
    assert sum(cell["segments"] for cell in by_jurisdiction.values()) == len(expected)
    assert sum(cell["of"] for cell in by_jurisdiction.values()) == len(tables.segments)


def test_numbers_equal_counts_from_codings_csv(findings: list[Finding], tables: Tables) -> None:
    f1, f2, f3, f4, f5, _ = findings
    assert f1.numbers["retrieved_segments"] == len(tables.segments) == 48
    _check_part(f1, "attribute", tables.where(lambda c, r: "locus:attribute" in c), tables)
    _check_part(f2, "resource", tables.where(lambda c, r: "locus:resource" in c), tables)
    economic = tables.where(lambda c, r: "function:economic_contribution" in c)
    assert f2.numbers["economic_contribution"] == len(economic)
    _check_part(f3, "deficit", tables.where(lambda c, r: "valence:deficit" in c), tables)
    _check_part(f3, "asset", tables.where(lambda c, r: "valence:asset" in c), tables)
    refugee = "migrant_group:refugee"
    admired = tables.where(lambda c, r: refugee in c and "valence:asset" in c)
    cope = tables.where(
        lambda c, r: (
            refugee in c
            and ("valence:deficit" in c or "responsibility:individual" in c or r & COPING_RULES)
        )
    )
    skilled = tables.where(
        lambda c, r: (
            "migrant_group:skilled_economic" in c
            and ("locus:resource" in c or "function:economic_contribution" in c)
        )
    )
    _check_part(f4, "refugee_admired", admired, tables)
    _check_part(f4, "refugee_cope", cope, tables)
    _check_part(f4, "skilled_resource", skilled, tables)
    civic = tables.where(lambda c, r: "locus:civic" in c)
    on_residents = tables.where(
        lambda c, r: (
            "locus:civic" in c
            and bool(c & {"responsibility:collective_civic", "responsibility:individual"})
        )
    )
    _check_part(f5, "civic", civic, tables)
    _check_part(f5, "civic_on_residents", on_residents, tables)


def test_valence_by_group_table(findings: list[Finding], tables: Tables) -> None:
    table = findings[2].numbers["valence_by_group"]
    for group in ("refugee", "skilled_economic", "undocumented", "youth", "generic_newcomer"):
        key = f"migrant_group:{group}"
        for valence in ("deficit", "asset"):
            found = tables.where(lambda c, r, k=key, v=valence: k in c and f"valence:{v}" in c)
            assert table[group][valence] == len(found)
    # Skilled migrants are only ever assets in the demo; refugees are both.
    assert table["skilled_economic"]["deficit"] == 0 < table["skilled_economic"]["asset"]
    assert table["refugee"]["deficit"] > 0 < table["refugee"]["asset"]


def test_absence_finding_per_passage_and_per_document(
    findings: list[Finding], tables: Tables
) -> None:
    f6 = findings[5]
    stressed = tables.where(lambda c, r: bool(c & STRESSORS))
    silent = tables.where(lambda c, r: bool(c & STRESSORS) and "remedy:remedy_absent" in c)
    _check_part(f6, "stressor_no_remedy", silent, tables)
    assert f6.numbers["stressor_segments"] == len(stressed)
    assert f6.numbers["remedy_segments"] == len(tables.where(lambda c, r: bool(c & REMEDIES)))
    government = tables.where(lambda c, r: "responsibility:government" in c)
    assert f6.numbers["government_responsibility_segments"] == len(government)
    # The per-document absence equals documents.csv's remedy:remedy_absent:document column.
    expected = sorted(
        row["doc_id"] for row in tables.documents if row["remedy:remedy_absent:document"] == "yes"
    )
    assert sorted(f6.numbers["documents_without_remedy"]) == expected
    assert sorted(ref.doc_id for ref in f6.absences) == expected
    assert expected == [
        "ontario-immigration-progress-2015",
        "ontario-immigration-strategy-2012",
        "toronto-newcomer-youth-2010",
        "toronto-undocumented-residents-2018",
    ]


def test_documents_and_absences_partition_the_documents_with_passages(
    findings: list[Finding], tables: Tables
) -> None:
    with_passages = {row["doc_id"] for row in tables.segments}
    for finding in findings[:5]:
        found = {ref.doc_id for ref in finding.documents}
        absent = {ref.doc_id for ref in finding.absences}
        assert found | absent == with_passages and not found & absent
    civic_docs = {ref.doc_id for ref in findings[4].documents}
    assert civic_docs == {
        "toronto-civic-resiliency-2017-fr",
        "toronto-newcomer-update-2013",
        "toronto-undocumented-residents-2018",
    }


def test_quotes_are_exact_segment_texts_with_pages(
    findings: list[Finding], tables: Tables, demo_out: Path
) -> None:
    by_id = {row["segment_id"]: row for row in tables.segments}
    for finding in findings:
        for quote in finding.quotes:
            row = by_id[quote.segment_id]
            text = (demo_out / "texts" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
            assert quote.text == text[int(row["start"]) : int(row["end"])]
            assert (quote.page, quote.page_label) == (row["page"], row["page_label"])
            assert (quote.doc_id, quote.title, quote.year) == (
                row["doc_id"],
                row["title"],
                row["year"],
            )
            assert quote.cite.endswith(f"p. {row['page_label']}")
    # Exemplars come from distinct documents where they can.
    assert len({q.doc_id for q in findings[0].quotes}) == len(findings[0].quotes)
    assert "remarkable resilience" in findings[0].quotes[0].text


def test_quotes_carry_their_parts_codes(findings: list[Finding], tables: Tables) -> None:
    f4 = findings[3]
    notes = [quote.note for quote in f4.quotes]
    assert len(set(notes)) == 3  # admired, cope and skilled each illustrated
    for quote in findings[5].quotes:
        codes = tables.codes[quote.segment_id]
        assert codes & STRESSORS and "remedy:remedy_absent" in codes


def test_markdown_is_deterministic_and_complete(run: CodeRun, tmp_path: Path) -> None:
    first = write_findings(run, tmp_path / "a")
    second = write_findings(run, tmp_path / "b" / "other.md")
    one = (tmp_path / "a" / FINDINGS_FILE).read_bytes()
    assert one == (tmp_path / "b" / "other.md").read_bytes()
    assert [f.to_dict() for f in first] == [f.to_dict() for f in second]
    text = one.decode("utf-8")
    for number in range(1, 7):
        assert f"\n## {number}. " in text
    assert "## What this does not show" in text
    assert run.run["codebook"]["sha256"] in text
    assert "48 retrieved segments" in text and "7 documents" in text
    assert "\n> Staff and community partners consistently describe refugees" in text
    assert "p. 1" in text
    json.dumps([f.to_dict() for f in first])  # JSON-ready


def test_markdown_escapes_document_text() -> None:
    hostile = "<script>alert(1)</script> *bold* [link](http://x) `code` & #tag |a|\nnext"
    safe = md_text(hostile, line_start=True)
    assert "\n" not in safe
    # Every syntax character is backslash-escaped.
    assert not re.search(r"(?<!\\)[<>*\[\]`&|#]", safe), safe
    assert md_text("1. First", line_start=True) == "1\\. First"
    assert md_text("- item", line_start=True) == "\\- item"
    assert md_text("- item") == "- item"


def _text_corpus(folder: Path, docs: dict[str, tuple[str, str, str]]) -> Path:
    """A corpus of .txt files: doc_id -> (year, jurisdiction, text)."""
    folder.mkdir()
    lines = ["doc_id,file,title,year,jurisdiction,language"]
    for doc_id, (year, jurisdiction, text) in docs.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        lines.append(f"{doc_id},{doc_id}.txt,Title of {doc_id},{year},{jurisdiction},en")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_corpus_without_the_concepts_has_no_evidence(tmp_path: Path) -> None:
    corpus = _text_corpus(
        tmp_path / "roads",
        {
            "roads": ("2012", "City of Toronto", "The City will repair roads and bridges.\n"),
            "budget": ("2014", "Province of Ontario", "The budget was tabled in March.\n"),
        },
    )
    (corpus / "broken.pdf").write_bytes(b"")  # a failed document is listed, not a crash
    code_corpus(corpus, out=tmp_path / "out")
    run = load_run(tmp_path / "out")
    found = write_findings(run, tmp_path / "out")
    assert [f.verdict for f in found] == ["no evidence"] * 6
    for finding in found:
        assert finding.quotes == [] and finding.documents == [] and finding.absences == []
        assert finding.reasons
    text = (tmp_path / "out" / FINDINGS_FILE).read_text(encoding="utf-8")
    assert text.count("no evidence") >= 6 and "0 retrieved segments" in text
    assert "3 documents, 2 read" in text and "Not read (see documents.csv): broken" in text


def test_one_passage_in_one_document_is_weak(tmp_path: Path) -> None:
    corpus = _text_corpus(
        tmp_path / "one",
        {
            "praise": (
                "2015",
                "City of Toronto",
                "Refugees have shown remarkable resilience in rebuilding their lives.\n",
            ),
        },
    )
    code_corpus(corpus, out=tmp_path / "out")
    run = load_run(tmp_path / "out")
    first = compute_findings(run)[0]
    assert first.verdict == "weak"
    assert any(f"fewer than {MIN_SEGMENTS}" in reason for reason in first.reasons)
    assert any(f"fewer than {MIN_DOCUMENTS}" in reason for reason in first.reasons)
    markdown = findings_markdown([first], corpus_title="one", info=run_info(run))
    assert "**Verdict: weak.**" in markdown and "Why:" in markdown
