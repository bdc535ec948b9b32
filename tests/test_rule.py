"""The paper's corpus rule: resilien* AND a migrant term, Toronto or Ontario, 2008-2018."""

from __future__ import annotations

from pathlib import Path

import pytest

from resdiscourse.replication.rule import RuleCheck, corpus_rule, disagreements, paper_matches
from resdiscourse.run import code_corpus
from resdiscourse.rundir import CodeRun, load_run

DEMO_IDS = {
    "ontario-community-resilience-2018",
    "ontario-francophone-immigration-2011-fr",
    "ontario-regional-immigration-2016-fr",
    "toronto-francophone-newcomers-2014-fr",
    "ontario-immigration-progress-2015",
    "ontario-immigration-strategy-2012",
    "ontario-settlement-framework-2008",
    "toronto-civic-resiliency-2017-fr",
    "toronto-newcomer-update-2013",
    "toronto-newcomer-youth-2010",
    "toronto-undocumented-residents-2018",
}


@pytest.fixture(scope="module")
def demo(demo_out: Path) -> CodeRun:
    return load_run(demo_out)


def test_every_demo_document_passes(demo: CodeRun) -> None:
    checks = corpus_rule(demo)
    assert {check.doc_id for check in checks} == DEMO_IDS
    for check in checks:
        assert check.passes and check.reasons == [], check
        assert check.in_manifest and check.confidence == "H"
        assert check.resilience_hits and check.migrant_hits
        # The codebook's concept is wider than the paper's four words.
        assert check.codebook_migrant_hits is not None
        assert check.codebook_migrant_hits >= check.migrant_hits
    assert disagreements(checks) == []


def test_counts_match_the_words_found(demo: CodeRun) -> None:
    by_id = {check.doc_id: check for check in corpus_rule(demo)}
    french = by_id["toronto-civic-resiliency-2017-fr"]
    assert "résilience" in french.matched["resilience"]
    assert "réfugiés" in french.matched["migrants"]
    english = by_id["toronto-newcomer-youth-2010"]
    text = demo.text("toronto-newcomer-youth-2010").lower()
    assert english.resilience_hits == text.count("resilien")
    assert {word.lower() for word in english.matched["resilience"]} <= {
        "resilience",
        "resilient",
        "resiliency",
    }


def test_a_document_missing_from_the_manifest_disagrees(demo: CodeRun) -> None:
    listed = DEMO_IDS - {"toronto-newcomer-youth-2010"}
    checks = corpus_rule(demo, listed | {"not-downloaded"})
    found = disagreements(checks)
    assert [check.doc_id for check in found] == ["toronto-newcomer-youth-2010"]
    assert found[0].passes and not found[0].in_manifest and found[0].disagrees


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    docs = {
        # Both concepts, in different sentences: the rule asks for "anywhere".
        "apart": ("2012", "City of Toronto", "en", "Resilience matters.\n\nNewcomers arrive."),
        "early": ("2005", "Province of Ontario", "en", "Newcomers show resilience."),
        "ottawa": ("2014", "City of Ottawa", "en", "Refugees show great resilience."),
        "roads": ("2016", "Province of Ontario", "en", "Roads need resilient bridges."),
        "french": ("2017", "Toronto", "fr", "Les réfugiés font preuve de résilience."),
        "noyear": ("", "City of Toronto", "en", "Immigrants are resilient."),
        # The codebook's migrants concept (undocumented, immigration) is not the paper's rule.
        "undoc": (
            "2018",
            "City of Toronto",
            "en",
            "Undocumented residents show resilience.\n\nImmigration rose in 2018.",
        ),
        "arrivants": ("2016", "City of Toronto", "fr", "Les nouveaux arrivants sont résilients."),
    }
    lines = ["doc_id,file,title,year,jurisdiction,language,confidence"]
    for doc_id, (year, jurisdiction, language, text) in docs.items():
        (folder / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
        lines.append(f"{doc_id},{doc_id}.txt,T {doc_id},{year},{jurisdiction},{language},M")
    (folder / "broken.pdf").write_bytes(b"")
    lines.append("broken,broken.pdf,T broken,2010,City of Toronto,en,L")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def checks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, RuleCheck]:
    root = tmp_path_factory.mktemp("rule")
    code_corpus(_corpus(root / "corpus"), out=root / "out")
    listed = {"apart", "early", "ottawa", "roads", "broken", "undoc", "arrivants"}
    return {check.doc_id: check for check in corpus_rule(load_run(root / "out"), listed)}


def test_the_rule_on_documents_that_fail_one_condition(checks: dict[str, RuleCheck]) -> None:
    assert checks["apart"].passes  # no retrieved segment, yet in by the rule
    assert (checks["apart"].resilience_hits, checks["apart"].migrant_hits) == (1, 1)
    assert checks["french"].passes  # "Toronto" names the City; French terms count
    assert checks["early"].reasons == ["year 2005 is outside 2008-2018"]
    assert checks["ottawa"].reasons == [
        "jurisdiction 'City of Ottawa' is neither the City of Toronto nor the Province of Ontario"
    ]
    roads = checks["roads"]
    assert roads.migrant_hits == 0 and roads.resilience_hits == 1
    assert roads.reasons == [
        "no migrant term (migrant*, immigrant*, newcomer*, refugee* or French) in the text"
    ]
    assert checks["noyear"].reasons == ["no year (neither a year nor a date in the manifest)"]


def test_the_rule_is_the_papers_not_the_codebooks_concept(checks: dict[str, RuleCheck]) -> None:
    undoc = checks["undoc"]
    assert not undoc.passes and undoc.migrant_hits == 0 and undoc.resilience_hits == 1
    assert undoc.reasons == [
        "no migrant term (migrant*, immigrant*, newcomer*, refugee* or French) in the text"
    ]
    # The wider net of the codebook (retrieval's) is kept visible beside the rule.
    assert undoc.codebook_migrant_hits is not None and undoc.codebook_migrant_hits >= 2
    assert {"Undocumented", "Immigration"} <= set(undoc.matched["codebook_migrants"])
    assert undoc.matched["migrants"] == []
    arrivants = checks["arrivants"]
    assert arrivants.passes and arrivants.matched["migrants"] == ["nouveaux arrivants"]


def test_paper_terms_are_case_insensitive_whole_word_prefixes() -> None:
    text = "RÉFUGIÉS, Newcomers, immigrant-serving; immigration, nonrefugee, Migrants, emigrants"
    assert paper_matches(text, "migrants") == [
        "RÉFUGIÉS",
        "Newcomers",
        "immigrant",
        "Migrants",
    ]
    assert paper_matches("Resiliency, RÉSILIENCE, nonresilient", "resilience") == [
        "Resiliency",
        "RÉSILIENCE",
    ]
    assert paper_matches("une nouvelle\narrivante", "migrants") == ["nouvelle\narrivante"]


def test_a_document_that_could_not_be_read_fails_with_its_error(
    checks: dict[str, RuleCheck],
) -> None:
    broken = checks["broken"]
    assert not broken.passes and broken.resilience_hits is None
    assert broken.confidence == "L"
    assert "could not be read (E101)" in broken.reasons[0]


def test_disagreements_listed_out_first(checks: dict[str, RuleCheck]) -> None:
    found = [check.doc_id for check in disagreements(sorted(checks.values(), key=_id))]
    # Listed but out by the rule, then in by the rule but not listed.
    assert found == ["broken", "early", "ottawa", "roads", "undoc", "french"]
    assert checks["french"].to_dict()["in_manifest"] is False


def _id(check: RuleCheck) -> str:
    return check.doc_id
