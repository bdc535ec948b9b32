"""The six findings of Bhuyan & Leung (2021) beside the evidence of a coded run."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from resdiscourse.quotes import QUOTE_LIMIT, clip_quote
from resdiscourse.replication.findings import (
    FINDINGS_FILE,
    findings_markdown,
    md_text,
    write_findings,
)
from resdiscourse.replication.verdicts import (
    CUE_RULES,
    EXPECTATION_CUES,
    MIN_DOCUMENTS,
    MIN_SEGMENTS,
    QUOTES,
    VERDICTS,
    Coverage,
    Finding,
    Quote,
    RunInfo,
    _groups_told_apart,
    compute_findings,
    run_info,
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
        #: segment_id -> rules that express an expectation to cope (finding 4), read directly.
        self.expects: dict[str, bool] = defaultdict(bool)
        for row in _rows(folder / "codings.csv"):
            self.codes[row["segment_id"]].add(f"{row['dimension']}:{row['code']}")
            self.rules[row["segment_id"]].add(row["rule"])
            words = row["evidence_text"].lower().split(" | ")
            obligation = row["code"] == "individual" and row["rule"] not in CUE_RULES
            cue = row["rule"] in CUE_RULES and any(w in EXPECTATION_CUES for w in words)
            if obligation or cue:
                self.expects[row["segment_id"]] = True
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


def test_every_finding_is_addressed_on_the_demo(findings: list[Finding]) -> None:
    # The demo corpus was written to evidence the six findings; its refugee passages admire
    # refugees or say they need support, but none says they are expected to cope alone.
    assert [f.id for f in findings] == [1, 2, 3, 4, 5, 6]
    assert [f.verdict for f in findings] == ["supported"] * 3 + ["weak"] + ["supported"] * 2
    for finding in findings:
        assert finding.title and finding.claim
        assert finding.verdict in VERDICTS
        assert (finding.reasons == []) == (finding.verdict == "supported")
        assert 1 <= len(finding.quotes) <= QUOTES
        assert finding.documents


def test_refugees_needing_support_are_not_expected_to_cope(findings: list[Finding]) -> None:
    f4 = findings[3]
    assert _part(f4, "refugee_cope")["segments"] == 0
    # bhuyan-leung-2021 2.0.0 codes four refugee passages deficit (1.0.0: three): refugees who lack
    # the resilience to manage without counselling (2008), refugee youth and refugee claimants who
    # need counselling (2010, 2018), and, new in 2.0.0 (resilience others strengthen is deficit),
    # the City's "Pour renforcer la résilience des familles nouvellement arrivées" (2017).
    # The French and bilingual documents (2011, 2014, 2016, 2018) add eight.
    assert f4.numbers["refugee_deficit_segments"] == 12
    assert f4.numbers["refugee_deficit_without_coping_segments"] == 12
    assert f4.numbers["admired_and_cope_same_document"] is False
    assert f4.numbers["documents_admired_and_cope"] == []
    assert any(
        "no passage about refugees says they are expected to cope" in reason
        and "12 refugee passages coded deficit say refugees need support" in reason
        for reason in f4.reasons
    )


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
    assert f1.numbers["retrieved_segments"] == len(tables.segments) == 72
    _check_part(f1, "attribute", tables.where(lambda c, r: "locus:attribute" in c), tables)
    _check_part(f2, "resource", tables.where(lambda c, r: "locus:resource" in c), tables)
    economic = tables.where(lambda c, r: "function:economic_contribution" in c)
    assert f2.numbers["economic_contribution"] == len(economic)
    _check_part(f3, "deficit", tables.where(lambda c, r: "valence:deficit" in c), tables)
    _check_part(f3, "asset", tables.where(lambda c, r: "valence:asset" in c), tables)
    refugee = "migrant_group:refugee"
    admired = tables.where(lambda c, r: refugee in c and "valence:asset" in c)
    cope = {sid for sid in tables.where(lambda c, r: refugee in c) if tables.expects[sid]}
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
        "ontario-francophone-immigration-2011-fr",
        "ontario-immigration-progress-2015",
        "ontario-immigration-strategy-2012",
        "ontario-regional-immigration-2016-fr",
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
        "ontario-community-resilience-2018",
        "ontario-regional-immigration-2016-fr",
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
    # The segments with the most rules behind their code lead: "show remarkable resilience" and
    # its French twin ("montrent une grande résilience") both qualify.
    assert any("remarkable resilience" in quote.text for quote in findings[0].quotes)


def test_quotes_carry_their_parts_codes(findings: list[Finding], tables: Tables) -> None:
    f4 = findings[3]
    notes = [quote.note for quote in f4.quotes]
    assert len(set(notes)) == 2  # admired and skilled illustrated (no refugee expected to cope)
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
    assert "72 retrieved segments" in text and "11 documents" in text
    assert "\n> Staff and community partners consistently describe refugees" in text
    assert "p. 1" in text
    assert "years 2008–2018" in text
    assert "Manifest confidence (H/M/L) of the documents: H 11" in text
    assert "The verdicts are about the 11 documents read in this run" in text
    # Bhuyan-Leung codebook: no codebook warning; no coverage given: no coverage section.
    assert "## Codebook check" not in text and "## Corpus coverage" not in text
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


def test_expected_to_cope_is_coping_language_not_needing_support(tmp_path: Path) -> None:
    corpus = _text_corpus(
        tmp_path / "cope",
        {
            "a": (
                "2015",
                "City of Toronto",
                "Refugees have shown remarkable resilience in rebuilding their lives.\n\n"
                "Refugee claimants are expected to cope on their own, and the strategy praises "
                "their resilience.\n\n"
                "Refugees need help to cope with trauma before their resilience can grow.\n",
            ),
            "b": (
                "2015",
                "Province of Ontario",
                "Refugee families show great resilience and strength.\n\n"
                "Refugees must cope alone with long waits, relying on their resilience.\n\n"
                "Refugee youth need counselling and support to develop resilience.\n",
            ),
        },
    )
    code_corpus(corpus, out=tmp_path / "out")
    f4 = compute_findings(load_run(tmp_path / "out"))[3]
    cope = {quote.text for quote in f4.quotes if "cope" in quote.note}
    assert _part(f4, "refugee_cope")["segments"] == 2  # "expected to cope", "must cope alone"
    assert not any("need help" in text for text in cope)
    assert f4.numbers["refugee_deficit_segments"] == 4
    assert f4.numbers["refugee_deficit_without_coping_segments"] == 2
    # The "yet": admired and expected to cope in the same documents.
    assert f4.numbers["admired_and_cope_same_document"] is True
    assert f4.numbers["documents_admired_and_cope"] == ["a", "b"]


def _stressor_corpus(folder: Path) -> Path:
    """Ten passages naming a stressor: nine beside a government housing, childcare or income
    remedy (the codebook's rem-* rules: a government actor NEAR/20 a remedy verb NEAR/8 a
    remedy), one with none."""
    city = [
        "Poverty tests the resilience of refugee families, so the City will build 500 new "
        "supportive housing units.",
        "Precarious work erodes the resilience of immigrant parents, and the City will fund 300 "
        "subsidized child care spaces.",
        "Systemic racism strains the resilience of newcomers, so the City will expand rent "
        "supplements for them.",
        "Low income tests the resilience of refugee claimants, and the City will build "
        "affordable housing for them.",
        "Discrimination wears down the resilience of immigrant youth, and the City will fund "
        "after-school programs for them.",
    ]
    province = [
        "Poverty tests the resilience of newcomer seniors, so the Province will increase social "
        "assistance rates.",
        "Precarious employment strains the resilience of immigrant workers, so the Province will "
        "raise the minimum wage.",
        "Poverty erodes the resilience of refugee families, and the Province will expand the "
        "Ontario Child Benefit.",
        "Systemic racism tests the resilience of newcomers, so the Province will build "
        "affordable housing.",
    ]
    return _text_corpus(
        folder,
        {
            "city": ("2012", "City of Toronto", "\n\n".join(city) + "\n"),
            "province": ("2014", "Province of Ontario", "\n\n".join(province) + "\n"),
            "silent": ("2016", "City of Toronto", "Poverty tests the resilience of refugees.\n"),
        },
    )


def test_stressors_beside_remedies_do_not_support_the_omission(tmp_path: Path) -> None:
    code_corpus(_stressor_corpus(tmp_path / "remedies"), out=tmp_path / "out")
    f6 = compute_findings(load_run(tmp_path / "out"))[5]
    assert f6.numbers["stressor_segments"] == 10
    assert _part(f6, "stressor_no_remedy")["segments"] == 1
    assert f6.verdict == "not supported"
    assert "only 10.0 % of the 10 passages that name a stressor" in f6.reasons[0]
    assert [ref.doc_id for ref in f6.absences] == ["silent"]


def test_groups_with_equal_deficit_shares_do_not_support_finding_3() -> None:
    table = {
        "refugee": {"segments": 4, "deficit": 2, "asset": 2},
        "skilled_economic": {"segments": 4, "deficit": 2, "asset": 2},
        "generic_newcomer": {"segments": 9, "deficit": 9, "asset": 0},
    }
    weak, contrary, notes = _groups_told_apart(table)
    assert weak == [] and contrary and "do not tell groups apart" in contrary[0]
    assert "gap 0.0 %" in notes[0]
    # Too few groups to tell: weak, not contrary.
    weak, contrary, _ = _groups_told_apart({"refugee": {"segments": 4, "deficit": 2, "asset": 2}})
    assert weak and contrary == []


def test_another_codebook_makes_every_finding_not_assessable(tmp_path: Path) -> None:
    code_corpus(
        _stressor_corpus(tmp_path / "corpus"), out=tmp_path / "out", codebook="social-resilience"
    )
    run = load_run(tmp_path / "out")
    found = write_findings(run, tmp_path / "out")
    assert [f.verdict for f in found] == ["not assessable"] * 6
    for finding in found:
        assert finding.absences == [] and finding.documents == [] and finding.quotes == []
        assert "lacks the codes this finding needs" in finding.reasons[0]
        assert finding.numbers["missing_codes"]
    text = (tmp_path / "out" / FINDINGS_FILE).read_text(encoding="utf-8")
    assert text.index("## Codebook check") < text.index("## Verdicts")
    assert "The run was coded with `social-resilience`, not `bhuyan-leung-2021`" in text
    assert "Finding 6 is not assessable" in text
    # No absence is listed: the codebook has no remedy codes to be absent.
    assert "never name a structural remedy" not in text and "Absent from" not in text


def test_only_broken_files_is_not_assessable(tmp_path: Path) -> None:
    corpus = tmp_path / "broken"
    corpus.mkdir()
    (corpus / "empty.pdf").write_bytes(b"")
    (corpus / "html.pdf").write_bytes(b"<html><body>not a pdf</body></html>")
    code_corpus(corpus, out=tmp_path / "out")
    found = write_findings(load_run(tmp_path / "out"), tmp_path / "out")
    assert [f.verdict for f in found] == ["not assessable"] * 6
    assert all("no document of the run could be read" in f.reasons[0] for f in found)
    text = (tmp_path / "out" / FINDINGS_FILE).read_text(encoding="utf-8")
    assert "2 documents, 0 read" in text and "Absent from" not in text


def _info(**changes: object) -> RunInfo:
    fields: dict[str, object] = {
        "corpus": "c",
        "codebook": "bhuyan-leung-2021",
        "codebook_version": "1",
        "codebook_sha256": "abc",
        "documents": 6,
        "documents_read": 6,
        "documents_with_segments": 6,
        "segments": 10,
        "jurisdictions": ("City of Toronto",),
        "years": ("2015",),
        "confidence": {},
    }
    fields.update(changes)
    return RunInfo(**fields)  # type: ignore[arg-type]


def test_coverage_opens_findings_md(run: CodeRun) -> None:
    coverage = Coverage(
        listed=17,
        present=["ontario-immigration-strategy-2012", "toronto-newcomer-youth-2010"],
        missing=[("a-2009", "A plan", "h"), ("b-2011", "B report", "L"), ("c-2016", "", "")],
        reserves_present=["reserve-2014"],
        not_listed=["stray.pdf"],
        rule_disagreements=[("toronto-newcomer-youth-2010", True, False, ["no resilien* term"])],
        lock_mismatches=["ontario-immigration-strategy-2012"],
    )
    assert coverage.to_dict()["missing"][0] == {
        "doc_id": "a-2009",
        "title": "A plan",
        "confidence": "h",
    }
    json.dumps(coverage.to_dict())
    text = findings_markdown(
        compute_findings(run), corpus_title="t", info=run_info(run), coverage=coverage
    )
    heading_end = text.index("\n\n")
    assert text.index("## Corpus coverage") < text.index("## Verdicts") < text.index("## 1. ")
    assert "## Corpus coverage" in text[heading_end : text.index("## Verdicts")]
    assert "- 2 of 17 listed documents present (reserve candidates not counted); 3 missing." in text
    assert "Manifest confidence of the missing documents: (unknown) 1, H 1, L 1." in text
    assert "reserve-2014" in text and "stray.pdf" in text
    assert "toronto-newcomer-youth-2010 (listed, but fails the rule): no resilien\\* term" in text
    assert "lock file" in text
    assert "The verdicts are about the 2 documents present" in text
    assert "of the 17 the study lists, not about the study's whole corpus" in text


def test_header_cosmetics(tmp_path: Path) -> None:
    one_year = findings_markdown([], corpus_title="x", info=_info())
    assert "year 2015." in one_year and "years 2015–2015" not in one_year
    no_year = findings_markdown([], corpus_title="x", info=_info(years=("(unknown)",)))
    assert "no years known" in no_year and "no years." not in no_year
    none = findings_markdown([], corpus_title="x", info=_info(jurisdictions=()))
    assert "Jurisdictions: (unknown);" in none
    study = "Bhuyan & Leung (2021): City of Toronto and Province of Ontario documents, 2008-2018"
    title = findings_markdown([], corpus_title=study, info=_info()).splitlines()[0]
    assert title.count("Bhuyan") == 1, title
    assert title.endswith("— City of Toronto and Province of Ontario documents, 2008-2018")
    demo = "Synthetic demonstration corpus: 11 team-made Toronto/Ontario-style documents (CC0)"
    title = findings_markdown([], corpus_title=demo, info=_info()).splitlines()[0]
    assert "11" not in title and "team-made Toronto/Ontario-style documents" in title
    # Confidence as the manifest wrote it ("h", blank) normalised.
    corpus = _text_corpus(tmp_path / "conf", {"a": ("2015", "City of Toronto", "Text.\n")})
    manifest = corpus / "manifest.csv"
    rows = manifest.read_text(encoding="utf-8").splitlines()
    (corpus / "b.txt").write_text("Text.\n", encoding="utf-8")
    rows = [rows[0] + ",confidence", rows[1] + ",h", "b,b.txt,B,2015,City of Toronto,en,"]
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code_corpus(corpus, out=tmp_path / "out")
    info = run_info(load_run(tmp_path / "out"))
    assert info.confidence == {"(unknown)": 1, "H": 1}


def test_long_quotes_are_cut_and_pages_cited() -> None:
    words = "resilience " * 800  # 8,800 characters
    text, cut = clip_quote(words)
    assert cut and len(text) <= QUOTE_LIMIT and text.endswith("resilience")
    assert clip_quote("short  text\n") == ("short text", False)
    quote = Quote(words, "d", "T", "2015", "14", "12", "d:0-1", "note", "15", "13")
    assert quote.pages == "pp. 12–13 (PDF pp. 14–15)"
    assert Quote("x", "d", "T", "", "3", "3", "d:0-1", "n").cite == "T ((unknown)), p. 3"
    assert Quote("x", "d", "T", "2015", "5", "iv", "d:0-1", "n").pages == "p. iv (PDF p. 5)"
    assert Quote("x", "d", "T", "2015", "5", "5", "d:0-1", "n", "6", "6").pages == "pp. 5–6"
    finding = Finding(1, "F", "C", "weak", ["r"], {"parts": {}}, [quote], [], [])
    markdown = findings_markdown([finding], corpus_title="x", info=_info())
    line = next(line for line in markdown.splitlines() if line.startswith("> resilience"))
    assert line.endswith(" \\[…\\]") and len(line) < QUOTE_LIMIT + 20
    assert "pp. 12–13 (PDF pp. 14–15)" in markdown
