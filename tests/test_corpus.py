"""Ingesting a corpus folder: outputs, manifest metadata, cache, determinism, failures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from resdiscourse.errors import UsageError
from resdiscourse.ingest.corpus import ingest_corpus
from resdiscourse.ingest.reader import read_document
from resdiscourse.models import DOCUMENT_COLUMNS, ExtractedText

CAMPAIGN = (
    '<html lang="en-CA"><head><title>Toronto For All</title>'
    '<meta property="article:published_time" content="2016-11-15T09:00:00-05:00"></head>'
    "<body><nav>Menu</nav><main><h1>Civic resiliency</h1>"
    "<p>Residents&nbsp;examine their biases.</p></main></body></html>"
)
STRATEGY = (
    "---\ntitle: Newcomer Strategy\nlanguage: en\n---\n# Strategy\n\n- Skilled *immigrants*\n"
)
REFUGEES = "Refugees have shown\nremarkable resilience.\f\nPage two.\n"
FRENCH = "Les réfugiés font preuve de résilience.\n".encode("cp1252")

TEXTS = {
    "toronto-for-all-2016": "Civic resiliency\n\nResidents examine their biases.",
    "newcomer-strategy": "Strategy\n\n• Skilled immigrants",
    "refugees-2013": "Refugees have shown remarkable resilience.\n\nPage two.",
    "refugees-2013-2": "Les réfugiés font preuve de résilience.",
}


def make_corpus(root: Path) -> Path:
    folder = root / "policies"
    (folder / "sub").mkdir(parents=True)
    (folder / "toronto-for-all-2016.html").write_text(CAMPAIGN, encoding="utf-8")
    (folder / "Newcomer Strategy.md").write_text(STRATEGY, encoding="utf-8")
    (folder / "Refugees_2013.txt").write_text(REFUGEES, encoding="utf-8")
    (folder / "sub" / "Refugees 2013.txt").write_bytes(FRENCH)
    (folder / "broken.pdf").write_bytes(b"")  # the PDF engine reports E101
    (folder / "notes.docx").write_bytes(b"PK")
    (folder / "README.md").write_text("About this corpus", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0")
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return make_corpus(tmp_path)


def read_rows(out: Path) -> tuple[list[str], dict[str, dict[str, str]]]:
    with (out / "documents.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert [row["doc_id"] for row in rows] == sorted(row["doc_id"] for row in rows)
    return list(reader.fieldnames or []), {row["doc_id"]: row for row in rows}


def tree(out: Path) -> dict[str, bytes]:
    """Every output file but the cache, by relative path."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and ".cache" not in path.parts
    }


def test_texts_pages_and_documents_csv(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = ingest_corpus(corpus, out=out)
    columns, rows = read_rows(out)
    assert columns == list(DOCUMENT_COLUMNS)
    assert set(rows) == {*TEXTS, "broken"}
    for doc_id, text in TEXTS.items():
        assert (out / "texts" / f"{doc_id}.txt").read_bytes() == text.encode("utf-8")
        assert (rows[doc_id]["status"], rows[doc_id]["chars"]) == ("ok", str(len(text)))
    assert rows["refugees-2013"]["file"] == "Refugees_2013.txt"
    assert rows["refugees-2013-2"]["file"] == "sub/Refugees 2013.txt"
    assert (rows["broken"]["status"], rows["broken"]["code"]) == ("error", "E101")
    assert rows["broken"]["sha256"] == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    pages = json.loads((out / "pages" / "refugees-2013.json").read_text(encoding="utf-8"))
    assert pages == {
        "doc_id": "refugees-2013",
        "pages": 2,
        "page_map": [
            {"start": 0, "end": 42, "page": 1, "page_label": "1"},
            {"start": 44, "end": 53, "page": 2, "page_label": "2"},
        ],
    }
    assert (out / "texts" / "broken.txt").read_bytes() == b""
    assert (summary.documents[0].doc_id, len(summary.documents)) == ("broken", 5)
    assert (summary.ok, summary.warning, summary.needs_ocr, summary.error) == (4, 0, 0, 1)
    assert summary.skipped == ["notes.docx"]
    assert [(p.code, p.location.file) for p in summary.problems] == [("E101", "broken.pdf")]
    assert summary.exit_code == 1


def test_metadata_falls_back_to_the_file_then_its_name(corpus: Path, tmp_path: Path) -> None:
    ingest_corpus(corpus, out=tmp_path / "out")
    _, rows = read_rows(tmp_path / "out")
    page = rows["toronto-for-all-2016"]
    assert (page["title"], page["date"], page["year"], page["language"], page["engine"]) == (
        "Toronto For All",
        "2016-11-15",
        "2016",
        "en",
        "html",
    )
    strategy = rows["newcomer-strategy"]
    assert (strategy["title"], strategy["year"], strategy["language"]) == (
        "Newcomer Strategy",
        "",
        "en",
    )
    assert (rows["refugees-2013"]["title"], rows["refugees-2013"]["year"]) == (
        "Refugees_2013",
        "2013",
    )


def test_manifest_csv(corpus: Path, tmp_path: Path) -> None:
    (corpus / "manifest.csv").write_text(
        "doc_id,file,title,year,level,language,council_item,Coder\n"
        "tfa,toronto-for-all-2016.html,Toronto For All campaign,2017,Municipal,en,EX1.2,RB\n"
        "strategy,Newcomer Strategy.md,,20x8,provincial,EN,,KL\n"
        "gone,missing.pdf,Gone,2010,,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    summary = ingest_corpus(corpus, out=out)
    columns, rows = read_rows(out)
    assert columns == [*DOCUMENT_COLUMNS, "Coder", "council_item"]
    assert set(rows) == {"tfa", "strategy", "gone", "refugees-2013", "refugees-2013-2", "broken"}
    tfa = rows["tfa"]
    assert (tfa["title"], tfa["year"], tfa["level"], tfa["council_item"], tfa["Coder"]) == (
        "Toronto For All campaign",
        "2017",
        "municipal",
        "EX1.2",
        "RB",
    )
    strategy = rows["strategy"]
    assert (strategy["status"], strategy["code"], strategy["year"]) == ("warning", "W107", "")
    assert strategy["message"] == "W107 manifest field 'year' has an invalid value '20x8'"
    gone = rows["gone"]
    assert (gone["status"], gone["code"], gone["title"], gone["sha256"]) == (
        "error",
        "E100",
        "Gone",
        "",
    )
    codes = [(p.code, p.location.file, p.location.line) for p in summary.problems]
    assert ("W106", "manifest.csv", 4) in codes
    assert ("W107", "manifest.csv", 3) in codes


def test_where_each_language_came_from_and_the_detectors_confidence(
    corpus: Path, tmp_path: Path
) -> None:
    """documents.csv says whether a language was given (manifest, the file's own metadata) or
    detected, with the detector's confidence that the text is in it; a manifest's column of the
    same name cannot overwrite them."""
    (corpus / "manifest.csv").write_text(
        "doc_id,file,language,language_source,language_confidence\n"
        "refugees-2013,Refugees_2013.txt,fr,me,1\n"
        "gone,missing.pdf,en,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    ingest_corpus(corpus, out=out)
    columns, rows = read_rows(out)
    assert columns == list(DOCUMENT_COLUMNS)  # the manifest's two columns are ours, not extras
    assert columns[-2:] == ["language_source", "language_confidence"]
    given = rows["refugees-2013"]  # English text, French by the manifest: the detector disagrees
    assert (given["language"], given["language_source"]) == ("fr", "manifest")
    assert float(given["language_confidence"]) < 0.2
    french = rows["refugees-2013-2"]  # a .txt with nothing said: detected
    assert (french["language"], french["language_source"]) == ("fr", "detected")
    assert float(french["language_confidence"]) > 0.9
    page = rows["toronto-for-all-2016"]  # <html lang="en-CA">
    assert (page["language"], page["language_source"]) == ("en", "file")
    assert float(page["language_confidence"]) > 0.5
    strategy = rows["newcomer-strategy"]  # front matter
    assert (strategy["language"], strategy["language_source"]) == ("en", "file")
    gone = rows["gone"]
    assert (gone["language_source"], gone["language_confidence"]) == ("manifest", "")
    broken = rows["broken"]  # no text, nothing given: nothing to say
    assert (broken["language"], broken["language_source"], broken["language_confidence"]) == (
        "",
        "",
        "",
    )


def test_manifest_yaml(corpus: Path, tmp_path: Path) -> None:
    (corpus / "manifest.yaml").write_text(
        "documents:\n"
        "  - file: Refugees_2013.txt\n"
        "    doc_id: refugees-on\n"
        "    year: 2013\n"
        "    jurisdiction: Province of Ontario\n"
        "    confidence: H\n"
        "    coded_by: [RB, KL]\n"
        "  - file: sub/missing.md\n"
        "    year: 13\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    summary = ingest_corpus(corpus, out=out)
    columns, rows = read_rows(out)
    assert columns[len(DOCUMENT_COLUMNS) :] == ["coded_by", "confidence"]
    row = rows["refugees-on"]
    assert (row["jurisdiction"], row["confidence"], row["coded_by"], row["status"]) == (
        "Province of Ontario",
        "H",
        "RB; KL",
        "ok",
    )
    assert (rows["missing"]["status"], rows["missing"]["code"]) == ("error", "E100")
    assert rows["missing"]["message"].split("; ")[1:] == [
        "W107 manifest field 'year' has an invalid value '13'",
        "W106 manifest row 'missing' names file 'sub/missing.md', "
        "which is not in the corpus folder",
    ]
    lines = {p.code: p.location.line for p in summary.problems if p.location.file}
    assert (lines["W107"], lines["W106"]) == (9, 8)


def test_malformed_manifest_yaml_is_a_usage_error_at_its_line(corpus: Path, tmp_path: Path) -> None:
    (corpus / "manifest.yaml").write_text(
        "- file: Refugees_2013.txt\n  title: Fine\n- file: broken.pdf\n  title: Broken: yes\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as caught:
        ingest_corpus(corpus, out=tmp_path / "out")
    location = caught.value.problem.location
    assert (caught.value.problem.code, location.file, location.line) == ("E203", "manifest.yaml", 4)


def test_second_run_reads_from_the_cache_and_writes_the_same_bytes(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = ingest_corpus(corpus, out=out)
    before = tree(out)
    second = ingest_corpus(corpus, out=out)
    assert (first.cached, second.cached) == (0, 4)  # the broken PDF is read again
    assert [d.cached for d in second.documents] == [False, True, True, True, True]
    assert tree(out) == before
    assert second.to_dict()["documents"] == [
        {**d, "cached": d["doc_id"] != "broken"} for d in first.to_dict()["documents"]
    ]


def test_changed_file_is_read_again(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest_corpus(corpus, out=out)
    (corpus / "Refugees_2013.txt").write_text("Changed text.", encoding="utf-8")
    summary = ingest_corpus(corpus, out=out)
    assert summary.cached == 3
    assert (out / "texts" / "refugees-2013.txt").read_text(encoding="utf-8") == "Changed text."


def test_without_cache(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest_corpus(corpus, out=out, use_cache=False)
    assert ingest_corpus(corpus, out=out, use_cache=False, cache_dir=tmp_path / "c").cached == 0
    assert not (out / ".cache").exists()
    assert not (tmp_path / "c").exists()


def test_jobs_do_not_change_the_outputs(corpus: Path, tmp_path: Path) -> None:
    (corpus / "manifest.csv").write_text("file,notes\nbroken.pdf,re-download\n", encoding="utf-8")
    # Each its own cache: both read every document.
    serial = ingest_corpus(corpus, out=tmp_path / "one", jobs=1, cache_dir=tmp_path / "c1")
    parallel = ingest_corpus(corpus, out=tmp_path / "two", jobs=2, cache_dir=tmp_path / "c2")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert serial.to_dict() | {"out": ""} == parallel.to_dict() | {"out": ""}


def test_progress_is_reported_per_document(corpus: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    ingest_corpus(corpus, out=tmp_path / "out", progress=lambda *call: calls.append(call))
    assert [(done, total) for done, total, _ in calls] == [(n, 5) for n in range(1, 6)]
    assert sorted(doc_id for _, _, doc_id in calls) == sorted([*TEXTS, "broken"])


def test_an_unexpected_exception_becomes_an_error_row(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def flaky(path: str | Path, **options: object) -> ExtractedText:
        if Path(path).name == "Newcomer Strategy.md":
            raise RuntimeError("boom")
        return read_document(path, **options)  # type: ignore[arg-type]

    monkeypatch.setattr("resdiscourse.ingest.corpus.read_document", flaky)
    out = tmp_path / "out"
    summary = ingest_corpus(corpus, out=out, jobs=1)
    _, rows = read_rows(out)
    row = rows["newcomer-strategy"]
    assert (row["status"], row["code"]) == ("error", "E113")
    assert row["message"] == "E113 internal error while reading: RuntimeError: boom"
    assert row["sha256"] and row["title"] == "Newcomer Strategy"
    assert rows["refugees-2013"]["status"] == "ok"
    assert (summary.error, summary.ok) == (2, 3)


def test_an_unreadable_file_is_e112(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(path: Path) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("resdiscourse.ingest.corpus.file_sha256", denied)
    summary = ingest_corpus(corpus, out=tmp_path / "out")
    assert {(d.status, d.code) for d in summary.documents} == {("error", "E112")}
    assert summary.problems[0].message == "could not read the file: Permission denied"


def test_a_usage_error_while_reading_stops_the_run(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bad_engine(path: str | Path, **options: object) -> ExtractedText:
        raise UsageError.of("E204", engine="nope", choices="auto")

    monkeypatch.setattr("resdiscourse.ingest.corpus.read_document", bad_engine)
    with pytest.raises(UsageError) as caught:
        ingest_corpus(corpus, out=tmp_path / "out")
    assert caught.value.problem.code == "E204"


def test_output_folder_inside_the_corpus_is_not_ingested(corpus: Path) -> None:
    out = corpus / "out"
    ingest_corpus(corpus, out=out)
    summary = ingest_corpus(corpus, out=out)
    assert len(summary.documents) == 5
    assert summary.skipped == ["notes.docx"]


def test_outputs_of_removed_documents_are_removed(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest_corpus(corpus, out=out)
    (corpus / "broken.pdf").unlink()
    summary = ingest_corpus(corpus, out=out)
    assert summary.exit_code == 0
    assert not (out / "texts" / "broken.txt").exists()
    assert not (out / "pages" / "broken.json").exists()
    assert "broken" not in read_rows(out)[1]


def test_summary_to_dict_is_json(corpus: Path, tmp_path: Path) -> None:
    data = ingest_corpus(corpus, out=tmp_path / "out").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert (data["exit_code"], data["error"], data["skipped"]) == (1, 1, ["notes.docx"])
    assert data["problems"][0]["location"] == {"file": "broken.pdf"}
    assert data["documents"][0] == {
        "doc_id": "broken",
        "file": "broken.pdf",
        "status": "error",
        "code": "E101",
        "cached": False,
    }


def test_corpus_that_is_not_a_folder(tmp_path: Path) -> None:
    file = tmp_path / "a.txt"
    file.write_text("x", encoding="utf-8")
    for path in (tmp_path / "nowhere", file):
        with pytest.raises(UsageError) as caught:
            ingest_corpus(path, out=tmp_path / "out")
        assert caught.value.problem.code == "E202"


def test_folder_without_documents(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "README.md").write_text("nothing", encoding="utf-8")
    (folder / "data.xlsx").write_bytes(b"PK")
    with pytest.raises(UsageError) as caught:
        ingest_corpus(folder, out=tmp_path / "out")
    assert caught.value.problem.code == "E205"


def test_output_folder_that_cannot_be_used(corpus: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for out in (corpus, blocker):
        with pytest.raises(UsageError) as caught:
            ingest_corpus(corpus, out=out)
        assert caught.value.problem.code == "E207"


def test_unknown_engine_stops_before_anything_is_written(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Newcomers showed resilience.", encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        ingest_corpus(corpus, out=tmp_path / "out", engine="acrobat")
    assert raised.value.problem.code == "E204"
    assert not (tmp_path / "out").exists()
