"""``count``: hand-computed counts per unit, nesting levels, codebook concepts, outputs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resdiscourse.cli.main import app
from resdiscourse.dictionaries.count import count_corpus
from resdiscourse.errors import ResdiscourseError

TEXT = (
    "New York is big. The new yorker met New York City officials in York.\n\n"
    "Refugees' resilience: 25 refugees, 3.5 percent.\n"
)
DICTIONARY = 'place: ["new york", "new york city", "york"]\npeople: ["refugee*", officials]\n'


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "d.yml").write_text(DICTIONARY, encoding="utf-8")
    return folder


def run(corpus: Path, dictionary: Path | str, **options: object) -> list[dict[str, str]]:
    result = count_corpus(corpus, dictionary, work=corpus.parent / "work", **options)  # type: ignore[arg-type]
    assert not result.problems
    return result.rows


def test_document_counts_match_a_hand_count(corpus: Path) -> None:
    # Words (alphabetic or numeric tokens): 4 + 10 + 6 = 20. place: "New York"; "New York City"
    # (longest first: its York is not counted again); "York" -- "yorker" is no match without *.
    # people: officials, Refugees, refugees. Matched words: 2 + 3 + 1 + 1 + 1 + 1 = 9.
    [row] = run(corpus, corpus.parent / "d.yml")
    assert (row["words"], row["place"], row["people"]) == ("20", "3", "3")
    assert (row["place_per_1000"], row["people_per_1000"]) == ("150", "150")
    assert (row["matched_words"], row["matched_share"]) == ("9", "0.45")


def test_sentence_and_paragraph_units(corpus: Path) -> None:
    sentences = run(corpus, corpus.parent / "d.yml", by="sentence")
    assert [(r["words"], r["place"], r["people"]) for r in sentences] == [
        ("4", "1", "0"),
        ("10", "2", "1"),
        ("6", "0", "2"),
    ]
    assert sentences[1]["unit_id"] == f"doc:{TEXT.index('The')}-{TEXT.index('York.') + 5}"
    paragraphs = run(corpus, corpus.parent / "d.yml", by="paragraph")
    assert [(r["words"], r["place"]) for r in paragraphs] == [("14", "3"), ("6", "0")]


def test_level_merges_nested_categories_and_a_token_counts_once(
    corpus: Path, tmp_path: Path
) -> None:
    (corpus / "doc.txt").write_text("Alpha gamma betas.\n", encoding="utf-8")
    nested = tmp_path / "n.yml"
    nested.write_text("A:\n  X: [alpha, beta]\n  Y: [alpha gamma, beta*]\n", encoding="utf-8")
    [row] = run(corpus, nested)
    assert (row["a.x"], row["a.y"]) == ("1", "2")
    [row] = run(corpus, nested, level=1)
    assert row["a"] == "2"  # "alpha gamma" once (its alpha not again), "betas" once
    assert "a.x" not in row


def test_weights_are_summed(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "w.tsv").write_text("big\t2\nofficials\t-1\nrefugees\t1\n", encoding="utf-8")
    [row] = run(corpus, tmp_path / "w.tsv")
    # big (2), Refugees (1), refugees (1): case is ignored.
    assert (row["positive"], row["positive_weight"]) == ("3", "4")
    assert (row["negative"], row["negative_weight"]) == ("1", "-1")


def test_a_codebooks_concepts_count_and_segments_need_a_codebook(corpus: Path) -> None:
    (corpus / "doc.txt").write_text(
        "Refugees show remarkable resilience. The weather was fine.\n", encoding="utf-8"
    )
    [row] = run(corpus, "bhuyan-leung-2021")
    assert (row["resilience"], row["migrants"]) == ("1", "1")
    segments = run(corpus, "bhuyan-leung-2021", by="segment", codebook="bhuyan-leung-2021")
    assert len(segments) == 1 and segments[0]["words"] == "4"
    with pytest.raises(ResdiscourseError) as error:
        count_corpus(corpus, "bhuyan-leung-2021", by="segment", work=corpus.parent / "w")
    assert error.value.problem.code == "E806"


def test_cli_writes_counts_in_every_format(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the ingest work folder goes under the current folder
    out = tmp_path / "out"
    args = ["count", str(corpus), "--dictionary", str(tmp_path / "d.yml"), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--format", "parquet"])
    assert result.exit_code == 0, result.output
    with (out / "counts.csv").open(encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["place"] == "3"
    assert (out / "counts.parquet").stat().st_size > 0
    first = (out / "counts.csv").read_bytes()
    CliRunner().invoke(app, args)
    assert (out / "counts.csv").read_bytes() == first
    bad = CliRunner().invoke(app, [*args, "--level", "0"])
    assert bad.exit_code == 2 and "E806" in bad.output


@pytest.mark.parametrize("include", ["", "toc,table"])
def test_segments_are_the_segments_code_retrieves(tmp_path: Path, include: str) -> None:
    """A PDF's layout blocks are units of their own, and retrieval skips its table of contents
    and tables unless ``include_blocks`` names them, as in ``code``."""
    pytest.importorskip("reportlab")
    from resdiscourse.run import code_corpus
    from tests.support.blockspdf import contents_pdf

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    contents_pdf(corpus / "plan.pdf")
    book = "bhuyan-leung-2021"
    code_corpus(corpus, out=tmp_path / "run", include_blocks=include, use_cache=False)
    with (tmp_path / "run" / "segments.csv").open(encoding="utf-8", newline="") as handle:
        coded = [(row["start"], row["end"]) for row in csv.DictReader(handle)]
    counted = count_corpus(
        corpus, book, by="segment", codebook=book, work=tmp_path / "w", include_blocks=include
    )
    assert [(row["start"], row["end"]) for row in counted.rows] == coded
    assert len(coded) == (5 if include else 1)


def test_sentences_end_where_layout_blocks_end(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    from tests.support.blockspdf import PROSE, contents_pdf

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    contents_pdf(corpus / "plan.pdf")
    result = count_corpus(corpus, "bhuyan-leung-2021", by="sentence", work=tmp_path / "w")
    text = (tmp_path / "w" / "texts" / "plan.txt").read_text(encoding="utf-8")
    sentences = [text[int(row["start"]) : int(row["end"])] for row in result.rows]
    assert "Refugee resilience | 0.82" in sentences and PROSE in sentences


def test_an_unknown_block_kind_is_a_usage_error(corpus: Path) -> None:
    with pytest.raises(ResdiscourseError) as caught:
        count_corpus(corpus, corpus.parent / "d.yml", work=corpus.parent / "w", include_blocks="x")
    assert caught.value.problem.code == "E226"
