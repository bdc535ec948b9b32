"""``code_corpus``: the run folder's outputs, byte-identical re-runs, offsets, failures as rows."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from resdiscourse import run as run_module
from resdiscourse.codebook.load import CodebookError, load_codebook
from resdiscourse.errors import UsageError
from resdiscourse.run import code_corpus
from tests.review_run import (
    BOOK,
    REASONS,
    TIE,
    WEAK_ONLY,
    code_review_run,
    forget_completeness,
    write_review_corpus,
)
from tests.support.blockspdf import contents_pdf
from tests.test_tables import read_back

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
OUTPUTS = ("segments.csv", "codings.csv", "documents.csv", "run.json", "timings.json")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def snapshot(out: Path) -> dict[str, bytes]:
    """Every output file but timings.json, by relative path."""
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and ".cache" not in path.parts and path.name != "timings.json"
    }


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-out")
    summary = code_corpus(DEMO, out=out, explain=True)
    assert summary.exit_code == 0
    return out


def test_code_writes_every_output(demo_out: Path) -> None:
    for name in OUTPUTS:
        assert (demo_out / name).is_file(), name
    assert len(list((demo_out / "texts").glob("*.txt"))) == 11
    assert len(list((demo_out / "pages").glob("*.json"))) == 11
    segments = rows(demo_out / "segments.csv")
    assert segments, "the demo corpus has retrieved segments"
    for column in ("segment_id", "page", "text", "locus", "valence", "remedy", "matched_terms"):
        assert column in segments[0]
    run = json.loads((demo_out / "run.json").read_text(encoding="utf-8"))
    assert run["codebook"]["name"] == "bhuyan-leung-2021"
    assert len(run["codebook"]["sha256"]) == 64
    assert run["corpus"] == "demo"
    assert {d["status"] for d in run["documents"]} == {"ok"}
    assert str(demo_out) not in (demo_out / "run.json").read_text(encoding="utf-8")


def test_segments_and_evidence_are_exact_slices_of_the_texts(demo_out: Path) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (demo_out / "texts").glob("*.txt")}
    for row in rows(demo_out / "segments.csv"):
        text = texts[row["doc_id"]]
        start, end = int(row["start"]), int(row["end"])
        assert row["segment_id"] == f"{row['doc_id']}:{start}-{end}"
        assert text[start:end] == row["text"]
    codings = rows(demo_out / "codings.csv")
    assert codings
    for row in codings:
        text = texts[row["doc_id"]]
        spans = [s.split("-") for s in row["evidence"].split(";")] if row["evidence"] else []
        pieces = [text[int(a) : int(b)] for a, b in spans]
        assert " | ".join(pieces) == row["evidence_text"]


def test_segments_sorted_by_document_then_offset(demo_out: Path) -> None:
    keys = [(r["doc_id"], int(r["start"])) for r in rows(demo_out / "segments.csv")]
    assert keys == sorted(keys)


def test_documents_csv_counts_segments_codes_and_absences(demo_out: Path) -> None:
    documents = {r["doc_id"]: r for r in rows(demo_out / "documents.csv")}
    segments = rows(demo_out / "segments.csv")
    for doc_id, row in documents.items():
        mine = [s for s in segments if s["doc_id"] == doc_id]
        assert int(row["segments"]) == len(mine)
        attribute = sum("attribute" in s["locus"].split("; ") for s in mine)
        assert int(row["locus:attribute"]) == attribute
        absent = sum("remedy_absent" in s["remedy"].split("; ") for s in mine)
        assert int(row["remedy:remedy_absent"]) == absent
        with_remedy = any(s["remedy"] and s["remedy"] != "remedy_absent" for s in mine)
        expected = "" if not mine else "no" if with_remedy else "yes"
        assert row["remedy:remedy_absent:document"] == expected


def test_documents_csv_has_the_words_of_each_document(demo_out: Path) -> None:
    from resdiscourse.nlp import build_pipeline

    for row in rows(demo_out / "documents.csv"):
        nlp = build_pipeline(row["language"] or "en").nlp
        text = (demo_out / "texts" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
        # spaCy tokenises paragraph by paragraph here; whitespace tokens are never words.
        expected = sum(1 for t in nlp.make_doc(text) if t.is_alpha or t.like_num)
        assert int(row["words"]) == expected > 300
    header = (demo_out / "documents.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header.index("words") == header.index("segments") - 1


def test_explain_writes_a_trace_of_every_segment(demo_out: Path) -> None:
    lines = (demo_out / "trace.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(rows(demo_out / "segments.csv"))
    entries = [entry for line in lines for entry in json.loads(line)["trace"]]
    outcomes = {entry["outcome"] for entry in entries}
    assert {"fired", "absent"} <= outcomes
    assert outcomes <= {"fired", "lost", "negated", "excluded", "no match", "absent", "skipped"}


def test_rerun_and_jobs_give_the_same_bytes(demo_out: Path, tmp_path: Path) -> None:
    expected = snapshot(demo_out)
    again = tmp_path / "again"
    code_corpus(DEMO, out=again, explain=True, jobs=2)
    assert snapshot(again) == expected
    code_corpus(DEMO, out=again, explain=True)  # a re-run on the same folder, from the cache
    assert snapshot(again) == expected
    timings = json.loads((again / "timings.json").read_text(encoding="utf-8"))
    assert set(timings["documents"]) == {p.stem for p in (again / "texts").glob("*.txt")}


def test_without_explain_an_old_trace_is_removed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees have shown remarkable resilience.", encoding="utf-8")
    out = tmp_path / "out"
    code_corpus(corpus, out=out, explain=True)
    assert (out / "trace.jsonl").is_file()
    code_corpus(corpus, out=out)
    assert not (out / "trace.jsonl").exists()


def test_a_broken_document_is_a_row_and_the_run_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(DEMO, corpus)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage, no objects")
    summary = code_corpus(corpus, out=tmp_path / "out")
    assert summary.exit_code == 1
    documents = {r["doc_id"]: r for r in rows(tmp_path / "out" / "documents.csv")}
    assert documents["broken"]["status"] == "error"
    assert documents["broken"]["code"] == "E104"
    assert documents["broken"]["segments"] == ""
    assert all(int(r["segments"]) >= 0 for k, r in documents.items() if k != "broken")
    assert summary.segments > 0


def test_a_crash_while_coding_is_an_E211_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees have shown remarkable resilience.", encoding="utf-8")
    (corpus / "b.txt").write_text("Newcomers show resilience.", encoding="utf-8")
    real = run_module._code

    def crash_on_a(task: run_module.CodingTask) -> run_module.DocumentCoding:
        if task.doc_id == "a":
            raise RuntimeError("boom")
        return real(task)

    monkeypatch.setattr(run_module, "_code", crash_on_a)
    summary = code_corpus(corpus, out=tmp_path / "out")
    assert summary.exit_code == 1
    documents = {r["doc_id"]: r for r in rows(tmp_path / "out" / "documents.csv")}
    assert documents["a"]["status"] == "error"
    assert documents["a"]["code"] == "E211"
    assert "boom" in documents["a"]["message"]
    assert documents["b"]["segments"] == "1"


def test_an_invalid_codebook_stops_before_any_work(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("name: Bad Name\n", encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        code_corpus(DEMO, codebook=bad, out=tmp_path / "out")
    assert caught.value.problems
    assert not (tmp_path / "out").exists()


def test_a_model_that_does_not_load_is_E210(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        code_corpus(DEMO, model=str(tmp_path / "no-such-model"), out=tmp_path / "out")
    assert caught.value.problem.code == "E210"


def test_french_documents_use_french_terms(demo_out: Path) -> None:
    french = [r for r in rows(demo_out / "segments.csv") if r["language"] == "fr"]
    assert french
    assert any("résilien" in r["matched_terms"].lower() for r in french)


def test_the_bilingual_demo_document_is_detected_and_coded_part_by_part(demo_out: Path) -> None:
    """The demo's English/French bulletin has no language in the manifest: its language is
    detected (the French half has more letters), with a confidence near one half, and each half is
    matched with its own language's terms; every other demo document's language is given."""
    documents = {row["doc_id"]: row for row in rows(demo_out / "documents.csv")}
    doc_id = "ontario-community-resilience-2018"
    bilingual = documents.pop(doc_id)
    assert (bilingual["language"], bilingual["language_source"]) == ("fr", "detected")
    assert 0.4 < float(bilingual["language_confidence"]) < 0.7
    assert {row["language_source"] for row in documents.values()} == {"manifest"}
    assert all(float(row["language_confidence"]) > 0.95 for row in documents.values())
    text = (demo_out / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8")
    pages = json.loads((demo_out / "pages" / f"{doc_id}.json").read_text(encoding="utf-8"))
    ((start, french_from, language),) = pages["languages"]  # the part not in the doc's language
    assert (start, language) == (0, "en")
    assert text[french_from:].startswith("La résilience communautaire")
    segments = [row for row in rows(demo_out / "segments.csv") if row["doc_id"] == doc_id]
    english = [row for row in segments if int(row["start"]) < french_from]
    french = [row for row in segments if int(row["start"]) >= french_from]
    assert len(english) == len(french) == 4
    assert all("resilien" in row["matched_terms"].lower() for row in english)
    assert all("résilien" in row["matched_terms"] for row in french)


def test_run_json_names_the_codebook_file_without_its_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees show resilience.", encoding="utf-8")
    shipped = load_codebook("social-resilience").path
    own = tmp_path / "books" / "mine.yml"
    own.parent.mkdir()
    own.write_bytes(shipped.read_bytes())
    code_corpus(corpus, codebook=own.resolve(), out=tmp_path / "out")
    text = (tmp_path / "out" / "run.json").read_text(encoding="utf-8")
    assert json.loads(text)["codebook"]["source"] == "mine.yml"
    assert str(tmp_path) not in text


def test_summary_lists_every_document_failed_ones_included(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees show resilience.", encoding="utf-8")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    summary = code_corpus(corpus, out=tmp_path / "out")
    entries = {d["doc_id"]: d for d in summary.to_dict()["documents"]}
    assert entries["broken"]["status"] == "error"
    assert entries["a"]["segments"] == 1
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["documents"] == summary.documents


def test_run_json_and_documents_csv_say_whether_the_language_was_given_or_detected(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugee families show great resilience.", encoding="utf-8")
    french = "Les familles réfugiées font preuve d’une grande résilience."
    (corpus / "b.txt").write_text(french, encoding="utf-8")
    (corpus / "c.txt").write_text("Wakimbizi wana ustahimilivu mkubwa.", encoding="utf-8")
    (corpus / "manifest.csv").write_text(
        "doc_id,file,language\nb,b.txt,fr\nc,c.txt,sw\n", encoding="utf-8"
    )
    summary = code_corpus(corpus, out=tmp_path / "out")
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["documents"] == summary.documents
    entries = {d["doc_id"]: d for d in run["documents"]}
    said = {k: (d["language"], d["language_source"]) for k, d in entries.items()}
    assert said == {"a": ("en", "detected"), "b": ("fr", "manifest"), "c": ("sw", "manifest")}
    assert entries["a"]["language_confidence"] > 0.9
    assert entries["b"]["language_confidence"] > 0.9
    assert entries["c"]["language_confidence"] is None  # not a language the detector is asked
    table = {row["doc_id"]: row for row in rows(tmp_path / "out" / "documents.csv")}
    assert table["a"]["language_source"] == "detected"
    assert float(table["b"]["language_confidence"]) == entries["b"]["language_confidence"]
    assert table["c"]["language_confidence"] == ""
    assert entries["b"]["segments"] == 1  # coded with the French terms


def test_a_document_in_a_language_spacy_lacks_uses_its_own_terms(tmp_path: Path) -> None:
    book = tmp_path / "sw.yml"
    book.write_text(
        "name: sw\nversion: '1'\nretrieval: {all: [r]}\n"
        "concepts:\n  r: {terms: {en: [resilien*], sw: [ustahimilivu]}}\n"
        "dimensions:\n  d:\n    codes:\n      c: {definition: c, rules: [{id: x, match: '{r}'}]}\n",
        encoding="utf-8",
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Wakimbizi wana ustahimilivu mkubwa.", encoding="utf-8")
    (corpus / "manifest.csv").write_text("doc_id,file,language\na,a.txt,sw\n", encoding="utf-8")
    summary = code_corpus(corpus, codebook=book, out=tmp_path / "out")
    assert summary.segments == 1


# --- the review flag -------------------------------------------------------------------------


def test_segments_say_which_need_review_and_codings_the_strength(tmp_path: Path) -> None:
    out = code_review_run(tmp_path)
    segments = {row["segment_id"]: row for row in rows(out / "segments.csv")}
    assert list(segments) == ["a:0-36", WEAK_ONLY, TIE, "b:42-68"]
    assert {key: row["review"] for key, row in segments.items()} == {
        "a:0-36": "no",  # a strong rule gave attribute; asset's weak rule: valence has no review
        WEAK_ONLY: "yes",  # the weak fallback alone gave attribute
        TIE: "yes",  # attribute won over resource on equal priorities
        "b:42-68": "no",
    }
    assert {key: row["review_reasons"] for key, row in segments.items()} == {
        "a:0-36": "",
        "b:42-68": "",
        **REASONS,
    }
    columns = list(segments["a:0-36"])
    assert columns[-3:] == ["matched_terms", "review", "review_reasons"]
    strengths = [
        (row["segment_id"], row["code"], row["rule"], row["strength"])
        for row in rows(out / "codings.csv")
    ]
    assert strengths[:4] == [
        ("a:0-36", "attribute", "shown", "strong"),
        ("a:0-36", "attribute", "any-migrant", "weak"),
        ("a:0-36", "asset", "remarkable", "weak"),
        (WEAK_ONLY, "attribute", "any-migrant", "weak"),
    ]
    header = (out / "codings.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[header.index("rule") + 1] == "strength"


def test_the_summary_and_run_json_count_the_segments_that_need_review(tmp_path: Path) -> None:
    corpus, book = write_review_corpus(tmp_path)
    summary = code_corpus(corpus, codebook=book, out=tmp_path / "out")
    assert (summary.segments, summary.review) == (4, 2)
    assert summary.to_dict()["review"] == 2
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert {d["doc_id"]: d["review"] for d in run["documents"]} == {"a": 1, "b": 1}
    assert run["documents"] == summary.documents


@pytest.mark.parametrize("format", ["xlsx", "parquet", "jsonl"])
def test_the_other_formats_carry_review_and_strength(tmp_path: Path, format: str) -> None:
    out = code_review_run(tmp_path, format=format)

    def columns(name: str, keys: tuple[str, ...]) -> list[tuple[str, ...]]:
        return [tuple(str(row[k]) for k in keys) for row in read_back(out / name)]

    review = ("segment_id", "review", "review_reasons")
    assert columns(f"segments.{format}", review) == columns("segments.csv", review)
    assert [row[1] for row in columns("segments.csv", review)] == ["no", "yes", "yes", "no"]
    strength = ("segment_id", "rule", "strength")
    assert columns(f"codings.{format}", strength) == columns("codings.csv", strength)


def test_a_dimension_without_review_flags_nothing(tmp_path: Path) -> None:
    corpus, book = write_review_corpus(tmp_path)
    book.write_text(BOOK.replace("    review: true\n", ""), encoding="utf-8")
    summary = code_corpus(corpus, codebook=book, out=tmp_path / "out")
    assert summary.review == 0
    segments = rows(tmp_path / "out" / "segments.csv")
    assert {(row["review"], row["review_reasons"]) for row in segments} == {("no", "")}
    # The strengths are still recorded.
    assert "weak" in {row["strength"] for row in rows(tmp_path / "out" / "codings.csv")}


# --- codebook versions and retrieval variants -------------------------------------------------

VARIANTS_BOOK = """\
name: tiny
version: "1"
retrieval:
  all: [resilience, migrants]
  variants:
    wide:
      description: migration as a process
      all: [resilience, migrants_or_migration]
concepts:
  resilience: {terms: ["resilien*"]}
  migrants: {terms: ["refugee*", "newcomer*"]}
  migrants_or_migration: {terms: ["refugee*", "newcomer*", "migration"]}
dimensions:
  locus:
    codes:
      attribute:
        definition: Resilience is something migrants show.
        rules: [{id: show, match: "{migrants_or_migration} NEAR/8 {resilience}"}]
"""


def write_variants_corpus(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Refugees have shown remarkable resilience. Migration makes the city resilient.",
        encoding="utf-8",
    )
    (corpus / "b.txt").write_text(
        "Migration builds resilient regions. The resilience of migration corridors matters. "
        "Newcomers are resilient.",
        encoding="utf-8",
    )
    book = tmp_path / "tiny.yml"
    book.write_text(VARIANTS_BOOK, encoding="utf-8")
    return corpus, book


def test_the_default_run_counts_what_a_variant_would_add(tmp_path: Path) -> None:
    corpus, book = write_variants_corpus(tmp_path)
    summary = code_corpus(corpus, codebook=book, out=tmp_path / "out")
    assert summary.segments == 2
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["options"]["retrieval"] == "default"
    assert run["retrieval"] == {
        "name": "default",
        "description": "",
        "query": "({resilience} AND {migrants})",
        "beside": {
            "wide": {
                "description": "migration as a process",
                "query": "({resilience} AND {migrants_or_migration})",
                "segments": 5,
                "added": 3,
                "left_out": 0,
            }
        },
        "documents_with": {"{resilience}": 2, "{migrants}": 2},
    }
    assert summary.to_dict()["retrieval"] == run["retrieval"]
    # Counted, not coded: the outputs hold the default's segments only.
    assert len(rows(tmp_path / "out" / "segments.csv")) == 2


def test_a_variant_changes_what_is_retrieved_and_run_json_records_it(tmp_path: Path) -> None:
    corpus, book = write_variants_corpus(tmp_path)
    summary = code_corpus(corpus, codebook=book, out=tmp_path / "out", retrieval="wide")
    segments = rows(tmp_path / "out" / "segments.csv")
    assert summary.segments == len(segments) == 5
    assert "Migration makes the city resilient." in {row["text"] for row in segments}
    assert {row["locus"] for row in segments} == {"attribute"}
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["options"]["retrieval"] == "wide"
    assert run["retrieval"]["name"] == "wide"
    assert run["retrieval"]["description"] == "migration as a process"
    beside = run["retrieval"]["beside"]
    assert list(beside) == ["default"]
    assert (beside["default"]["added"], beside["default"]["left_out"]) == (0, 3)


def test_a_run_with_a_variant_is_byte_identical_with_jobs(tmp_path: Path) -> None:
    corpus, book = write_variants_corpus(tmp_path)
    code_corpus(corpus, codebook=book, out=tmp_path / "one", retrieval="wide")
    code_corpus(corpus, codebook=book, out=tmp_path / "two", retrieval="wide", jobs=2)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_an_unknown_retrieval_stops_before_any_work(tmp_path: Path) -> None:
    corpus, book = write_variants_corpus(tmp_path)
    with pytest.raises(UsageError) as caught:
        code_corpus(corpus, codebook=book, out=tmp_path / "out", retrieval="wdie")
    assert caught.value.problem.code == "E610"
    assert caught.value.problem.hint == "the retrievals are: default, wide (migration as a process)"
    assert not (tmp_path / "out").exists()


def test_a_codebook_without_variants_has_nothing_beside(tmp_path: Path) -> None:
    corpus, book = write_variants_corpus(tmp_path)
    text = VARIANTS_BOOK.split("  variants:")[0] + "concepts:" + VARIANTS_BOOK.split("concepts:")[1]
    book.write_text(text, encoding="utf-8")
    summary = code_corpus(corpus, codebook=book, out=tmp_path / "out")
    assert summary.retrieval["beside"] == {}


def test_an_earlier_shipped_version_is_recorded_with_its_sha256(tmp_path: Path) -> None:
    corpus, _ = write_variants_corpus(tmp_path)
    archived = load_codebook("bhuyan-leung-2021@1.0.0")
    summary = code_corpus(corpus, codebook="bhuyan-leung-2021@1.0.0", out=tmp_path / "out")
    assert (summary.codebook_version, summary.codebook_sha256) == ("1.0.0", archived.sha256)
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["codebook"]["version"] == "1.0.0"
    assert run["codebook"]["sha256"] == archived.sha256
    assert run["codebook"]["source"] == "bhuyan-leung-2021@1.0.0"
    assert (tmp_path / "out" / "codebook.yml").read_bytes() == archived.path.read_bytes()
    assert archived.sha256 != load_codebook("bhuyan-leung-2021").sha256


def test_readers_of_a_variant_run_use_its_retrieval_and_version(tmp_path: Path) -> None:
    from resdiscourse.rundir import load_run
    from resdiscourse.sample import KEY_FILE, SHEET_FILE, sample_run

    corpus, book = write_variants_corpus(tmp_path)
    (corpus / "c.txt").write_text("Migration is old. Rivers are long.", encoding="utf-8")

    def candidates(retrieval: str) -> set[str]:
        out = tmp_path / retrieval
        code_corpus(corpus, codebook=book, out=out, retrieval=retrieval)
        drawn = sample_run(out, n=100, candidates=100, out=out / "sample")
        sheet = {row["unit_id"]: row for row in rows(out / "sample" / SHEET_FILE)}
        key = rows(out / "sample" / KEY_FILE)
        assert Path(drawn.out) == out / "sample"
        return {sheet[row["unit_id"]]["text"] for row in key if row["kind"] == "candidate"}

    # Recall candidates hold a term of the run's own retrieval concepts.
    assert "Migration is old." in candidates("wide")
    assert "Migration is old." not in candidates("default")
    # A folder without its codebook copy finds the shipped codebook by name@version.
    out = tmp_path / "old"
    code_corpus(corpus, codebook="bhuyan-leung-2021@1.0.0", out=out)
    (out / "codebook.yml").unlink()
    forget_completeness(out)  # a folder from before the copy is from before that record too
    assert load_run(out).codebook.codebook.version == "1.0.0"


def test_tables_and_contents_are_not_retrieved_unless_included(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pytest.importorskip("reportlab")
    contents_pdf(corpus / "plan.pdf")
    pages = json.loads((_coded(corpus, tmp_path / "a", ()) / "pages" / "plan.json").read_text())
    assert {kind for _, _, kind in pages["blocks"]} >= {"heading", "toc", "table"}
    texts = [row["text"] for row in rows(tmp_path / "a" / "segments.csv")]
    assert texts == ["Refugees in the city showed resilience after the flood."]
    _coded(corpus, tmp_path / "b", "toc,table")
    texts = [row["text"] for row in rows(tmp_path / "b" / "segments.csv")]
    assert "Resilience of refugees " + "." * 40 + " 3" in texts
    assert "Refugee resilience | 0.82" in texts and len(texts) == 5
    run = json.loads((tmp_path / "b" / "run.json").read_text())
    assert run["options"]["include_blocks"] == ["table", "toc"]


def _coded(corpus: Path, out: Path, include: str | tuple[str, ...]) -> Path:
    code_corpus(corpus, out=out, include_blocks=include, use_cache=False)
    return out
