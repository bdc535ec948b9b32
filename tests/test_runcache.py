"""Incremental re-runs (issue 12): ``code_corpus`` takes texts and codings from the shared cache.

An unchanged re-run into another folder writes the same bytes (timings.json aside) without
reading a document or loading spaCy; a codebook edit codes again without reading the PDFs; a
damaged entry is rebuilt; an interrupted run's finished entries are reused.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from resdiscourse import run as run_module
from resdiscourse import runcache
from resdiscourse.cache import cache_info, read_blob, write_blob
from resdiscourse.models import ExtractedText
from resdiscourse.run import code_corpus
from resdiscourse.runcache import (
    CODING_KIND,
    SEGMENTATION_KIND,
    pipeline_fingerprint,
    segmentation_key,
)
from resdiscourse.runfolder import RunInterrupted
from tests.test_run import snapshot

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpora" / "demo"
SHIPPED = ROOT / "src" / "resdiscourse" / "codebooks" / "bhuyan-leung-2021.yml"

#: A re-run in a fresh interpreter; prints the summary's cache counts and whether spaCy was
#: imported.
_RERUN = """
import json, sys
from resdiscourse.run import code_corpus
summary = code_corpus(sys.argv[1], out=sys.argv[2], cache_dir=sys.argv[3], explain=True)
loaded = sorted({name.partition(".")[0] for name in sys.modules} & {"spacy", "thinc"})
print(json.dumps({"coded": summary.coded_from_cache, "read": summary.ingest.cached,
                  "heavy": loaded, "exit": summary.exit_code}))
"""


@pytest.fixture(scope="module")
def demo_cold(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo coded once with explain, into a run folder and a cache folder of its own."""
    base = tmp_path_factory.mktemp("cold")
    out, cache = base / "out", base / "cache"
    summary = code_corpus(DEMO, out=out, cache_dir=cache, explain=True)
    assert summary.exit_code == 0 and summary.coded_from_cache == 0
    return out, cache


def copied_cache(cache: Path, tmp_path: Path) -> Path:
    """A copy of the module's cache, so that a test can change it."""
    return Path(shutil.copytree(cache, tmp_path / "cache"))


def test_an_unchanged_rerun_is_byte_identical_and_never_loads_spacy(
    demo_cold: tuple[Path, Path], tmp_path: Path
) -> None:
    out, cache = demo_cold
    again = tmp_path / "again"
    done = subprocess.run(
        [sys.executable, "-c", _RERUN, str(DEMO), str(again), str(copied_cache(cache, tmp_path))],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(done.stdout)
    assert report == {"coded": 11, "read": 11, "heavy": [], "exit": 0}
    assert snapshot(again) == snapshot(out)
    timings = json.loads((again / "timings.json").read_text(encoding="utf-8"))
    assert timings["cache"] == {"ingest": 11, "coding": 11, "segmentation": 0}


def test_a_codebook_edit_codes_again_without_reading_a_document(
    demo_cold: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, cache = demo_cold
    edited = tmp_path / "edited.yml"
    text = SHIPPED.read_text(encoding="utf-8")
    edited.write_text(text.replace("label: Attribute", "label: Attribute (edited)", 1), "utf-8")
    assert edited.read_text(encoding="utf-8") != text

    def no_reading(*args: object, **kwargs: object) -> ExtractedText:
        raise AssertionError("a document was read again")

    monkeypatch.setattr("resdiscourse.ingest.corpus.read_document", no_reading)
    out = tmp_path / "out"
    summary = code_corpus(DEMO, out=out, codebook=edited, cache_dir=copied_cache(cache, tmp_path))
    assert summary.exit_code == 0
    assert (summary.ingest.cached, summary.coded_from_cache) == (11, 0)
    assert "Attribute (edited)" in (out / "codings.csv").read_text(encoding="utf-8")


#: A codebook-edit re-run in a fresh interpreter; prints what came from the cache and whether
#: spaCy was imported.
_EDITED_RERUN = """
import json, sys
from resdiscourse.run import code_corpus
out, cache, book = sys.argv[2:5]
summary = code_corpus(sys.argv[1], out=out, cache_dir=cache, codebook=book, explain=True)
loaded = sorted({name.partition(".")[0] for name in sys.modules} & {"spacy", "thinc"})
timings = json.load(open(out + "/timings.json", encoding="utf-8"))
print(json.dumps({"cache": timings["cache"], "heavy": loaded, "exit": summary.exit_code}))
"""


def edited_codebook(folder: Path, mark: str = "edited") -> Path:
    """The shipped codebook with one code label changed (a new sha256: every coding entry
    misses; the segmentations do not depend on the codebook's rules)."""
    path = folder / f"{mark}.yml"
    text = SHIPPED.read_text(encoding="utf-8")
    path.write_text(text.replace("label: Attribute", f"label: Attribute ({mark})", 1), "utf-8")
    assert path.read_text(encoding="utf-8") != text
    return path


@pytest.fixture(scope="module")
def edited_cold(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The edited codebook, and the demo coded with it with explain and without the cache."""
    base = tmp_path_factory.mktemp("edited")
    book, out = edited_codebook(base), base / "out"
    summary = code_corpus(DEMO, out=out, codebook=book, explain=True, use_cache=False)
    assert summary.exit_code == 0
    return book, out


def segmentation_entries(cache: Path) -> list[Path]:
    return sorted((cache / "v2" / SEGMENTATION_KIND).rglob("*.bin"))


def test_a_codebook_edit_segments_nothing_again_and_writes_the_bytes_of_a_cold_run(
    demo_cold: tuple[Path, Path], edited_cold: tuple[Path, Path], tmp_path: Path
) -> None:
    """The segmentations the first run stored serve the re-run after an edit: it matches and
    codes, never runs spaCy (not even imports it), and writes what a run without any cache
    writes with the edited codebook."""
    _, cache = demo_cold
    book, cold = edited_cold
    assert len(segmentation_entries(cache)) == 11
    out = tmp_path / "out"
    args = [str(DEMO), str(out), str(copied_cache(cache, tmp_path)), str(book)]
    done = subprocess.run(
        [sys.executable, "-c", _EDITED_RERUN, *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(done.stdout)
    assert report == {
        "cache": {"ingest": 11, "coding": 0, "segmentation": 11},
        "heavy": [],
        "exit": 0,
    }
    assert snapshot(out) == snapshot(cold)


def test_a_damaged_segmentation_entry_is_rebuilt(
    demo_cold: tuple[Path, Path], edited_cold: tuple[Path, Path], tmp_path: Path
) -> None:
    _, cache = demo_cold
    book, cold = edited_cold
    cache = copied_cache(cache, tmp_path)
    entries = segmentation_entries(cache)
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # as if cut short
    entries[1].write_bytes(b"")
    data = bytearray(entries[2].read_bytes())
    data[-20] ^= 0x01  # a flipped bit in the arrays
    entries[2].write_bytes(bytes(data))
    # A well-formed entry (its checksum holds) whose payload is no segmentation.
    write_blob(cache, SEGMENTATION_KIND, entries[3].stem, b"not an npz file")
    out = tmp_path / "out"
    summary = code_corpus(DEMO, out=out, codebook=book, cache_dir=cache, explain=True)
    assert summary.exit_code == 0
    timings = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    assert timings["cache"] == {"ingest": 11, "coding": 0, "segmentation": 7}
    assert snapshot(out) == snapshot(cold)
    assert cache_info(cache).kinds[SEGMENTATION_KIND].entries == 11
    again = tmp_path / "again"
    code_corpus(DEMO, out=again, codebook=edited_codebook(tmp_path, "again"), cache_dir=cache)
    timings = json.loads((again / "timings.json").read_text(encoding="utf-8"))
    assert timings["cache"]["segmentation"] == 11  # every entry was written again, whole


def test_a_codebook_edit_with_two_jobs_reads_the_same_segmentations(
    demo_cold: tuple[Path, Path], edited_cold: tuple[Path, Path], tmp_path: Path
) -> None:
    _, cache = demo_cold
    book, cold = edited_cold
    out = tmp_path / "out"
    code_corpus(
        DEMO, out=out, codebook=book, cache_dir=copied_cache(cache, tmp_path), explain=True, jobs=2
    )
    timings = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    assert (timings["jobs"], timings["cache"]["segmentation"]) == (2, 11)
    assert snapshot(out) == snapshot(cold)


def test_a_model_with_its_own_lemmatizer_codes_an_edit_from_its_segmentations(
    tmp_path: Path,
) -> None:
    """A ``--model`` pipeline's lemmas are kept with the segmentation: a codebook edit re-run
    reads them and writes what a run without the cache writes."""
    import spacy

    folder = tmp_path / "model"
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the table from spacy-lookups-data
    nlp.to_disk(folder)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Newcomers coped with the crisis and showed resilience.\n\n"
        "Refugees were coping: they built resilient networks.",
        encoding="utf-8",
    )
    cache, book = tmp_path / "cache", edited_codebook(tmp_path)
    code_corpus(corpus, out=tmp_path / "first", cache_dir=cache, model=str(folder))
    [entry] = segmentation_entries(cache)
    data = read_blob(cache, SEGMENTATION_KIND, entry.stem)
    assert data is not None
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        assert "lemmas" in stored.files  # the model's own: kept with the tokens
    out = tmp_path / "edit"
    summary = code_corpus(corpus, out=out, codebook=book, cache_dir=cache, model=str(folder))
    timings = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    assert timings["cache"] == {"ingest": 1, "coding": 0, "segmentation": 1}
    cold = tmp_path / "cold"
    code_corpus(corpus, out=cold, codebook=book, use_cache=False, model=str(folder))
    assert snapshot(out) == snapshot(cold)
    assert summary.segments > 0
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["pipelines"] != [
        "blank:en+sentencizer+lookups"
    ]


def test_a_codebook_edited_in_place_is_compiled_again_in_the_same_process(tmp_path: Path) -> None:
    """The coding tasks compile the codebook the run loaded (not the file read again), keyed by
    its sha256: the same path with new contents is a new codebook."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees have shown remarkable resilience.", "utf-8")
    book = Path(shutil.copy(SHIPPED, tmp_path / "book.yml"))
    code_corpus(corpus, out=tmp_path / "o1", codebook=book, use_cache=False)
    assert "Attribute (edited)" not in (tmp_path / "o1" / "codings.csv").read_text("utf-8")
    text = book.read_text(encoding="utf-8")
    edited = text.replace("label: Attribute", "label: Attribute (edited)")
    book.write_text(edited, encoding="utf-8")
    code_corpus(corpus, out=tmp_path / "o2", codebook=book, use_cache=False)
    assert "Attribute (edited)" in (tmp_path / "o2" / "codings.csv").read_text("utf-8")


def test_the_segmentation_key_holds_what_segmenting_depends_on() -> None:
    from resdiscourse.ingest.language import LanguagePart
    from resdiscourse.models import Block

    text = "Refugees show resilience.\n\nLes réfugiés aussi."
    pipeline = pipeline_fingerprint("en", None)
    base = {"text": text, "language": "en", "pipeline": pipeline}
    key = segmentation_key(**base)
    assert key == segmentation_key(**base)  # nothing else: not the doc_id, the codebook, the run
    assert key == segmentation_key(**base, parts=(), blocks=None)
    others = [
        segmentation_key(**{**base, "text": text + " "}),
        segmentation_key(**{**base, "language": "fr"}),
        segmentation_key(**{**base, "pipeline": pipeline + " model folder"}),
        segmentation_key(**base, parts=[LanguagePart(27, len(text), "fr")]),
        segmentation_key(**base, blocks=[]),  # a PDF without blocks is not a text file
        segmentation_key(**base, blocks=[Block(0, 25, "heading")]),
    ]
    assert len({key, *others}) == len(others) + 1


def test_a_damaged_coding_entry_is_rebuilt(demo_cold: tuple[Path, Path], tmp_path: Path) -> None:
    out, cache = demo_cold
    cache = copied_cache(cache, tmp_path)
    entries = sorted((cache / "v2" / CODING_KIND).rglob("*.json"))
    assert len(entries) == 11
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # as if cut short
    entries[1].write_bytes(b"")
    summary = code_corpus(DEMO, out=tmp_path / "out", cache_dir=cache, explain=True)
    assert summary.coded_from_cache == 9
    assert snapshot(tmp_path / "out") == snapshot(out)
    assert cache_info(cache).kinds[CODING_KIND].entries == 11
    again = code_corpus(DEMO, out=tmp_path / "o2", cache_dir=cache, explain=True)
    assert again.coded_from_cache == 11


def test_an_interrupted_run_keeps_its_finished_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in "abcd":
        (corpus / f"{name}.txt").write_text(f"Refugees in {name} show resilience.", "utf-8")
    real = run_module._code

    def interrupted_at_c(task: run_module.CodingTask) -> run_module.DocumentCoding:
        if task.doc_id == "c":
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(run_module, "_code", interrupted_at_c)
    with pytest.raises(RunInterrupted):  # Ctrl-C: E223, nothing written to out
        code_corpus(corpus, out=tmp_path / "out", cache_dir=tmp_path / "cache")
    assert not (tmp_path / "out").exists()
    assert cache_info(tmp_path / "cache").kinds[CODING_KIND].entries == 2  # a and b
    monkeypatch.setattr(run_module, "_code", real)
    summary = code_corpus(corpus, out=tmp_path / "out", cache_dir=tmp_path / "cache")
    assert (summary.coded_from_cache, summary.segments) == (2, 4)


def test_a_failed_coding_is_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees show resilience.", encoding="utf-8")

    def crash(task: run_module.CodingTask) -> run_module.DocumentCoding:
        raise RuntimeError("boom")

    monkeypatch.setattr(run_module, "_code", crash)
    assert code_corpus(corpus, out=tmp_path / "out", cache_dir=tmp_path / "c").exit_code == 1
    assert cache_info(tmp_path / "c").kinds[CODING_KIND].entries == 0


def test_options_that_change_the_rows_are_in_the_key(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees show resilience.", encoding="utf-8")
    cache = tmp_path / "cache"
    assert code_corpus(corpus, out=tmp_path / "o1", cache_dir=cache).coded_from_cache == 0
    assert code_corpus(corpus, out=tmp_path / "o2", cache_dir=cache).coded_from_cache == 1
    explained = code_corpus(corpus, out=tmp_path / "o3", cache_dir=cache, explain=True)
    assert explained.coded_from_cache == 0 and (tmp_path / "o3" / "trace.jsonl").stat().st_size
    wide = code_corpus(corpus, out=tmp_path / "o4", cache_dir=cache, retrieval="wide")
    assert wide.coded_from_cache == 0
    (corpus / "manifest.csv").write_text("file,title\na.txt,A new title\n", encoding="utf-8")
    titled = code_corpus(corpus, out=tmp_path / "o5", cache_dir=cache)
    assert titled.coded_from_cache == 0  # segments.csv carries the title
    assert "A new title" in (tmp_path / "o5" / "segments.csv").read_text(encoding="utf-8")


def test_without_the_cache_nothing_is_stored(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees show resilience.", encoding="utf-8")
    summary = code_corpus(corpus, out=tmp_path / "o", cache_dir=tmp_path / "c", use_cache=False)
    assert summary.coded_from_cache == 0
    assert not (tmp_path / "c").exists()


def test_the_default_cache_folder_is_used(tmp_path: Path) -> None:
    """(conftest points XDG_CACHE_HOME at a folder of the test's own.)"""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Refugees show resilience.", encoding="utf-8")
    code_corpus(corpus, out=tmp_path / "o1")
    assert code_corpus(corpus, out=tmp_path / "o2").coded_from_cache == 1
    assert cache_info().kinds[CODING_KIND].entries == 1


def test_a_model_folder_is_keyed_by_its_config(tmp_path: Path) -> None:
    import spacy

    folder = tmp_path / "model"
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(folder)
    first = pipeline_fingerprint("en", str(folder))
    assert first != pipeline_fingerprint("en", None)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta["version"] = "0.0.2"
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    run_module_pipeline_cache_clear()
    assert pipeline_fingerprint("en", str(folder)) != first


def test_the_pipeline_key_changes_with_lingua(monkeypatch: pytest.MonkeyPatch) -> None:
    """lingua splits a bilingual text into parts coded each in its language: a new release may
    split it elsewhere, so its version is in the coding entries' key, as spaCy's is."""
    from importlib.metadata import version

    before = pipeline_fingerprint("en", None)
    assert f"lingua-language-detector={version('lingua-language-detector')}" in before
    real = runcache._version
    monkeypatch.setattr(
        runcache,
        "_version",
        lambda name: "99.0" if name == "lingua-language-detector" else real(name),
    )
    assert pipeline_fingerprint("en", None) != before


def test_a_changed_lemma_table_codes_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lemma tables are YAML beside the codebooks, outside the codebook's sha256 and the
    tool's source digest: editing one must still re-code every document."""
    from resdiscourse import lemmas, nlp

    tables = Path(shutil.copytree(SHIPPED.parent / "lemmas", tmp_path / "lemmas"))
    monkeypatch.setattr(lemmas, "_folder", lambda: tables)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Les réfugiés syriens ont fait preuve d'une résilience remarquable.", encoding="utf-8"
    )
    cache = tmp_path / "cache"

    def from_cache(name: str) -> int:
        return code_corpus(corpus, out=tmp_path / name, cache_dir=cache).coded_from_cache

    assert (from_cache("o1"), from_cache("o2")) == (0, 1)
    table = tables / "fr.yml"
    table.write_text(table.read_text("utf-8") + "capacité: [capacité, capacités]\n", "utf-8")
    nlp.lemma_lookup.cache_clear()
    nlp.lemma_forms.cache_clear()
    assert (from_cache("o3"), from_cache("o4")) == (0, 1)
    (tables / "de.yml").write_text("flüchtling: [flüchtlinge]\n", encoding="utf-8")
    assert from_cache("o5") == 0  # a new table counts too


def run_module_pipeline_cache_clear() -> None:
    """build_pipeline caches loaded pipelines by name; a changed folder must be loaded again."""
    from resdiscourse import nlp

    nlp._build.cache_clear()


def test_the_key_ignores_where_the_corpus_and_the_run_folder_are(
    demo_cold: tuple[Path, Path], tmp_path: Path
) -> None:
    _, cache = demo_cold
    moved = Path(shutil.copytree(DEMO, tmp_path / "elsewhere" / "demo"))
    summary = code_corpus(
        moved, out=tmp_path / "o", cache_dir=copied_cache(cache, tmp_path), explain=True
    )
    assert (summary.ingest.cached, summary.coded_from_cache) == (11, 11)
