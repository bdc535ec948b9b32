"""``search_corpus``: exact KWIC lines, written as CSV; query errors are E212 and E213."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from resdiscourse import search as search_module
from resdiscourse.errors import UsageError
from resdiscourse.search import KWIC_COLUMNS, search_corpus

TEXT = (
    "Refugees have shown remarkable resilience.\n\n"
    "The city budget was resilient. Newcomers arrived later in the year.\n\n"
    "Resilience of immigrant families is tested by poverty."
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    return folder


def test_kwic_lines_are_exact_and_written(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "kwic.csv"
    result = search_corpus(
        corpus, "resilien* NEAR/5 (immigrant* OR refugee*)", out=out, work=tmp_path / "w"
    )
    clean = (tmp_path / "w" / "texts" / "doc.txt").read_text(encoding="utf-8")
    assert [line.hit for line in result.lines] == [
        "Refugees have shown remarkable resilience",
        "Resilience of immigrant",
    ]
    for line in result.lines:
        assert clean[line.start : line.end] == line.hit
        assert clean[: line.start].replace("\n\n", " ").endswith(line.left)
        assert line.page == 1
    with out.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert list(written[0]) == KWIC_COLUMNS
    assert [row["hit"] for row in written] == [line.hit for line in result.lines]


def test_sentence_unit_does_not_join_sentences_but_window_does(
    corpus: Path, tmp_path: Path
) -> None:
    query = "{resilience} AND {migrants}"
    by_sentence = search_corpus(corpus, query, work=tmp_path / "w")
    assert by_sentence.segments == 2
    by_window = search_corpus(corpus, query, unit="window", window=1, work=tmp_path / "w")
    # "budget was resilient" and "Newcomers arrived" co-occur within ±1 sentence; the overlapping
    # windows of all four sentences merge into one segment.
    assert by_window.segments == 1
    # An AND gives one line per word it found.
    assert {line.segment_id for line in by_window.lines} == {f"doc:0-{len(TEXT)}"}
    hits = [line.hit for line in by_window.lines]
    assert hits == ["Refugees", "resilience", "resilient", "Newcomers", "Resilience", "immigrant"]


def test_a_failing_document_is_a_problem_and_the_others_are_searched(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (corpus / "other.txt").write_text("Newcomers show resilience.", encoding="utf-8")
    real = search_module._search_document

    def fail_on_doc(work: Path, row: dict[str, str], *args: object) -> object:
        if row["doc_id"] == "doc":
            raise RuntimeError("boom")
        return real(work, row, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(search_module, "_search_document", fail_on_doc)
    result = search_corpus(corpus, "resilien*", work=tmp_path / "w")
    assert [line.doc_id for line in result.lines] == ["other"]
    assert [(p.code, p.location.file) for p in result.problems] == [("E214", "doc.txt")]
    assert result.exit_code == 1


def test_an_unwritable_out_file_is_E207(corpus: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        search_corpus(corpus, "resilien*", out=blocker / "kwic.csv", work=tmp_path / "w")
    assert caught.value.problem.code == "E207"


def test_an_unknown_unit_is_E215(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        search_corpus(corpus, "resilien*", unit="page", work=tmp_path / "w")  # type: ignore[arg-type]
    assert caught.value.problem.code == "E215"


def test_a_syntax_error_is_E212_with_the_column(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        search_corpus(corpus, "resilien* immigra*", work=tmp_path / "w")
    assert caught.value.problem.code == "E212"
    assert "column 11" in caught.value.problem.message


def test_an_unknown_concept_is_E213_and_lists_the_known_ones(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        search_corpus(corpus, "{resilence} AND {migrants}", work=tmp_path / "w")
    assert caught.value.problem.code == "E213"
    assert "{resilience}" in caught.value.problem.hint


def test_a_query_may_name_the_codebooks_patterns(corpus: Path, tmp_path: Path) -> None:
    book = tmp_path / "book.yml"
    book.write_text(
        "name: patterned\nversion: '1'\nretrieval: {all: [resilience, migrants]}\n"
        "concepts:\n  resilience: {terms: ['resilien*']}\n"
        "  migrants: {terms: ['refugee*', 'immigrant*', 'newcomer*']}\n"
        "patterns:\n  owned: '{resilience} BEFORE/2 {migrants}'\n",
        encoding="utf-8",
    )
    result = search_corpus(corpus, "{owned}", codebook=str(book), work=tmp_path / "w")
    assert [line.hit for line in result.lines] == ["Resilience of immigrant"]
    with pytest.raises(UsageError) as caught:
        search_corpus(corpus, "{ownd}", codebook=str(book), work=tmp_path / "w")
    assert "{owned}" in caught.value.problem.hint
