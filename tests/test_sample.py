"""`resdiscourse sample`: a reproducible, stratified validation sample of a demo corpus run."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resdiscourse.cli.main import app
from resdiscourse.coding import prepare_text
from resdiscourse.errors import UsageError
from resdiscourse.export.refi_read import read_qdpx
from resdiscourse.matching.compile import compile_codebook
from resdiscourse.matching.matcher import positive_atoms
from resdiscourse.run import code_corpus
from resdiscourse.rundir import CodeRun, load_run
from resdiscourse.sample import (
    KEY_FILE,
    QDPX_FILE,
    SHEET_COLUMNS,
    SHEET_FILE,
    SUMMARY_FILE,
    SampleSummary,
    allocate,
    sample_run,
)
from tests.review_run import STRONG, TIE, WEAK_ONLY, code_review_run
from tests.support.blockspdf import PROSE, contents_pdf

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
FILES = (SHEET_FILE, KEY_FILE, QDPX_FILE, SUMMARY_FILE)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-run")
    code_corpus(DEMO, out=out)
    return out


@pytest.fixture(scope="module")
def run(run_dir: Path) -> CodeRun:
    return load_run(run_dir)


@pytest.fixture(scope="module")
def everything(run_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> SampleSummary:
    """Every retrieved segment and every candidate sentence."""
    out = tmp_path_factory.mktemp("everything")
    return sample_run(run_dir, n=10_000, candidates=10_000, seed=3, out=out)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def unit_ids(folder: Path) -> list[str]:
    return [row["unit_id"] for row in rows(folder / SHEET_FILE)]


def test_the_same_seed_gives_the_same_bytes(run_dir: Path, tmp_path: Path) -> None:
    first = sample_run(run_dir, n=12, seed=7, stratify="locus", out=tmp_path / "a")
    second = sample_run(run_dir, n=12, seed=7, stratify="locus", out=tmp_path / "b")
    assert first.record() == second.record()
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_another_seed_draws_another_sample(run_dir: Path, tmp_path: Path) -> None:
    sample_run(run_dir, n=12, seed=1, out=tmp_path / "one")
    sample_run(run_dir, n=12, seed=2, out=tmp_path / "two")
    assert unit_ids(tmp_path / "one") != unit_ids(tmp_path / "two")


def test_the_sample_is_sorted_and_numbered(run_dir: Path, tmp_path: Path) -> None:
    sample_run(run_dir, n=12, seed=1, out=tmp_path)
    sheet = rows(tmp_path / SHEET_FILE)
    assert [row["sample_id"] for row in sheet] == [f"S{i:03d}" for i in range(1, len(sheet) + 1)]
    order = [(row["doc_id"], int(row["start"]), int(row["end"])) for row in sheet]
    assert order == sorted(order)
    assert [row["unit_id"] for row in sheet] == [f"{d}:{s}-{e}" for d, s, e in order]


def test_n_larger_than_the_population_draws_all(everything: SampleSummary, run: CodeRun) -> None:
    assert everything.record()["n"] == {"asked": 10_000, "drawn": len(run.segments)}
    key = rows(Path(everything.out) / KEY_FILE)
    retrieved = {row["unit_id"] for row in key if row["kind"] == "retrieved"}
    assert retrieved == {row["segment_id"] for row in run.segments}
    assert all(row["weight"] == "1.0" for row in key)


def test_candidates_default_to_a_quarter_of_n(run_dir: Path, tmp_path: Path) -> None:
    summary = sample_run(run_dir, n=20, seed=1, out=tmp_path)
    assert summary.record()["candidates"] == {"asked": 5, "drawn": 5}
    kinds = Counter(row["kind"] for row in rows(tmp_path / KEY_FILE))
    assert kinds == {"retrieved": 20, "candidate": 5}


def test_candidates_never_change_the_retrieved_draw(run_dir: Path, tmp_path: Path) -> None:
    def retrieved(out: Path) -> set[str]:
        return {row["unit_id"] for row in rows(out / KEY_FILE) if row["kind"] == "retrieved"}

    sample_run(run_dir, n=12, seed=4, candidates=0, out=tmp_path / "none")
    sample_run(run_dir, n=12, seed=4, candidates=9, out=tmp_path / "nine")
    assert retrieved(tmp_path / "none") == retrieved(tmp_path / "nine")


def one_at_a_time(populations: dict[str, int], n: int) -> dict[str, int]:
    """A reference allocation: each draw goes to the stratum with the fewest draws that still
    has units (ties: the largest stratum, then by name)."""
    sizes = dict.fromkeys(populations, 0)
    for _ in range(min(n, sum(populations.values()))):
        open_strata = [name for name in sizes if sizes[name] < populations[name]]
        best = min(open_strata, key=lambda name: (sizes[name], -populations[name], name))
        sizes[best] += 1
    return sizes


@pytest.mark.parametrize(
    ("populations", "n"),
    [
        ({"a": 3, "b": 24, "c": 10, "d": 11}, 20),
        ({"a": 1, "b": 1, "c": 100}, 10),
        ({"a": 5, "b": 5}, 7),
        ({"a": 5, "b": 5}, 0),
        ({"a": 2, "b": 3}, 99),
        ({"only": 9}, 4),
    ],
)
def test_allocation_is_as_equal_as_possible(populations: dict[str, int], n: int) -> None:
    sizes = allocate(populations, n)
    assert sizes == one_at_a_time(populations, n)
    assert sum(sizes.values()) == min(n, sum(populations.values()))


def test_stratified_by_a_dimension(run_dir: Path, run: CodeRun, tmp_path: Path) -> None:
    summary = sample_run(run_dir, n=20, seed=5, stratify="locus", candidates=0, out=tmp_path)
    codes = run.segment_codes()
    population = Counter(
        "; ".join(k.split(":")[1] for k in codes[row["segment_id"]] if k.startswith("locus:"))
        or "(none)"
        for row in run.segments
    )
    # The demo run: every locus code and segments with none.
    assert set(population) >= {"attribute", "resource", "civic", "(none)"}
    drawn = Counter(row["stratum"] for row in rows(tmp_path / KEY_FILE))
    assert set(drawn) == set(population)  # every stratum is represented
    assert drawn == one_at_a_time(dict(population), 20)
    # Strata not drawn whole differ by one draw at most; a stratum drawn whole got no more.
    open_sizes = [drawn[name] for name in drawn if drawn[name] < population[name]]
    assert max(open_sizes) - min(open_sizes) <= 1
    assert max(drawn.values()) == max(open_sizes)
    table = {s["stratum"]: s for s in summary.record()["strata"]}
    assert {name: table[name]["population"] for name in population} == population


def test_stratified_by_one_code(run_dir: Path, run: CodeRun, tmp_path: Path) -> None:
    sample_run(run_dir, n=10, seed=5, stratify="valence:deficit", candidates=0, out=tmp_path)
    strata = Counter(row["stratum"] for row in rows(tmp_path / KEY_FILE))
    assert set(strata) == {"valence:deficit", "not valence:deficit"}
    deficit = sum("valence:deficit" in keys for keys in run.segment_codes().values())
    assert strata["valence:deficit"] == min(5, deficit)


@pytest.mark.parametrize("stratify", [None, "locus", "valence:deficit"])
def test_weights_sum_to_each_stratum_population(
    run_dir: Path, tmp_path: Path, stratify: str | None
) -> None:
    summary = sample_run(run_dir, n=15, seed=9, stratify=stratify, out=tmp_path)
    totals: Counter[str] = Counter()
    for row in rows(tmp_path / KEY_FILE):
        totals[row["stratum"]] += float(row["weight"])
    for stratum in summary.record()["strata"]:
        assert totals[stratum["stratum"]] == pytest.approx(stratum["population"])


def test_candidates_hold_a_retrieval_term_outside_retrieved_segments(
    everything: SampleSummary, run: CodeRun
) -> None:
    compiled = compile_codebook(run.codebook.codebook)
    atoms = positive_atoms(compiled.retrieval)
    languages = {row["doc_id"]: row["language"] for row in run.documents}
    retrieved: dict[str, list[tuple[int, int]]] = {}
    for row in run.segments:
        retrieved.setdefault(row["doc_id"], []).append((int(row["start"]), int(row["end"])))
    sheet = {row["unit_id"]: row for row in rows(Path(everything.out) / SHEET_FILE)}
    key = rows(Path(everything.out) / KEY_FILE)
    candidates = [sheet[row["unit_id"]] for row in key if row["kind"] == "candidate"]
    assert candidates
    for row in candidates:
        doc_id, start, end = row["doc_id"], int(row["start"]), int(row["end"])
        text = run.text(doc_id)[start:end]
        matcher = prepare_text(text, compiled, language=languages[doc_id]).matcher
        found = [bool(matcher.prefetch(atom)) for atom in atoms]
        assert any(found), row["unit_id"]
        # The run's unit is the sentence: a sentence with both concepts was retrieved.
        assert not all(found), row["unit_id"]
        assert not any(s < end and start < e for s, e in retrieved.get(doc_id, [])), row
    assert len({row["unit_id"] for row in candidates}) == len(candidates)


def test_the_sheet_is_blind_and_the_key_has_the_codes(
    everything: SampleSummary, run: CodeRun
) -> None:
    out = Path(everything.out)
    dimensions = list(run.codebook.codebook.dimensions)
    sheet = rows(out / SHEET_FILE)
    assert list(sheet[0]) == [*SHEET_COLUMNS, *dimensions, "notes"]
    assert all(row[column] == "" for row in sheet for column in [*dimensions, "notes"])
    codes = run.segment_codes()
    for row in rows(out / KEY_FILE):
        got = {f"{d}:{c}" for d in dimensions for c in row[d].split("; ") if c}
        if row["kind"] == "retrieved":
            assert got == set(codes[row["unit_id"]]), row["unit_id"]
        else:
            assert got == set()
    for row in sheet:
        assert row["text"] == run.text(row["doc_id"])[int(row["start"]) : int(row["end"])]


def test_the_qdpx_has_one_blind_source_per_unit(everything: SampleSummary, run: CodeRun) -> None:
    out = Path(everything.out)
    read = read_qdpx(out / QDPX_FILE)
    assert read.problems == []
    project = read.project
    sheet = rows(out / SHEET_FILE)
    assert [source.name for source in project.sources] == [row["unit_id"] for row in sheet]
    for source, row in zip(project.sources, sheet, strict=True):
        assert source.text == run.text(row["doc_id"])[int(row["start"]) : int(row["end"])]
        assert source.selections == ()
    names = {variable.guid: variable.name for variable in project.variables}
    assert "kind" not in names.values()
    first = dict(project.sources[0].values)
    assert {names[guid]: value for guid, value in first.items()}["sample_id"] == "S001"
    assert {code.name for code in project.codebook.all_codes()} >= {"locus", "attribute"}


def test_the_summary_file_is_the_record(everything: SampleSummary) -> None:
    data = json.loads((Path(everything.out) / SUMMARY_FILE).read_text(encoding="utf-8"))
    assert data == everything.record()
    assert data["files"] == list(FILES)
    assert "out" not in data and "folder" not in data  # the same bytes wherever it is written


def test_default_out_is_beside_the_run(run_dir: Path) -> None:
    summary = sample_run(run_dir, n=3, seed=11)
    assert Path(summary.out) == run_dir / "sample-11"
    assert all((run_dir / "sample-11" / name).is_file() for name in FILES)


def test_unknown_stratification_is_a_coded_error(run_dir: Path, tmp_path: Path) -> None:
    for value in ("loc", "locus:nothing", "nowhere:attribute"):
        with pytest.raises(UsageError) as caught:
            sample_run(run_dir, stratify=value, out=tmp_path)
        assert caught.value.problem.code == "E460"
        assert "locus:attribute" in caught.value.problem.hint
    with pytest.raises(UsageError) as caught:
        sample_run(run_dir, n=-1, out=tmp_path)
    assert caught.value.problem.code == "E461"


def test_cli_json_equals_the_library(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    args = ["sample", str(run_dir), "--n", "9", "--seed", "4", "--stratify", "locus"]
    result = CliRunner().invoke(app, [*args, "--candidates", "2", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = sample_run(run_dir, n=9, seed=4, stratify="locus", candidates=2, out=out)
    assert json.loads(result.stdout) == summary.to_dict()


def test_cli_unknown_stratification_exits_2(run_dir: Path) -> None:
    result = CliRunner().invoke(app, ["sample", str(run_dir), "--stratify", "loc"])
    assert result.exit_code == 2
    assert "E460" in result.output


def test_excel_starts_the_sheets_with_a_byte_order_mark(demo_out: Path, tmp_path: Path) -> None:
    sample_run(demo_out, n=5, seed=1, candidates=0, out=tmp_path / "plain")
    sample_run(demo_out, n=5, seed=1, candidates=0, out=tmp_path / "excel", excel=True)
    for name in ("sample.csv", "sample-key.csv"):
        plain = (tmp_path / "plain" / name).read_bytes()
        assert not plain.startswith(b"\xef\xbb\xbf")
        assert (tmp_path / "excel" / name).read_bytes() == b"\xef\xbb\xbf" + plain


def test_stratified_by_the_review_flag(tmp_path: Path) -> None:
    out = code_review_run(tmp_path)
    summary = sample_run(out, n=2, seed=1, stratify="review", candidates=0, out=tmp_path / "s")
    table = {s["stratum"]: (s["population"], s["drawn"]) for s in summary.record()["strata"]}
    assert table == {"review=no": (2, 1), "review=yes": (2, 1)}
    key = {row["unit_id"]: row["stratum"] for row in rows(tmp_path / "s" / KEY_FILE)}
    assert sorted(key.values()) == ["review=no", "review=yes"]  # one from each stratum
    for unit_id, stratum in key.items():
        assert unit_id in ((WEAK_ONLY, TIE) if stratum == "review=yes" else STRONG)
    assert summary.record()["stratify"] == "review"


def test_review_is_offered_when_the_stratification_is_unknown(run_dir: Path) -> None:
    with pytest.raises(UsageError) as caught:
        sample_run(run_dir, stratify="reviews")
    assert caught.value.problem.hint.endswith(", review")


def test_cli_help_names_review() -> None:
    result = CliRunner().invoke(app, ["sample", "--help"], env={"COLUMNS": "200"})
    assert "review=yes / review=no" in result.stdout


def test_the_readme_documents_every_field_of_sample_json(everything: SampleSummary) -> None:
    readme = (DEMO.parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("`sample.json` records how the sample was drawn")
    paragraph = readme[start : readme.index("\n\n", start)]
    record = json.loads((Path(everything.out) / "sample.json").read_text(encoding="utf-8"))
    for key, value in record.items():
        assert f"`{key}`" in paragraph, key
        if isinstance(value, list) and value and isinstance(value[0], dict) and key == "strata":
            for field in value[0]:
                assert f"`{field}`" in paragraph, field
    for field in record["candidates"]:
        assert f"`{field}`" in paragraph, field


def test_candidates_come_from_the_runs_own_segments(tmp_path: Path) -> None:
    """A table of contents and a table that name both concepts are layout blocks that ``code``
    does not retrieve from: their lines are no candidates either, unless the run included them
    (then their lines with both concepts are retrieved, and one with a single concept, "Newcomers
    and housing", is a candidate)."""
    pytest.importorskip("reportlab")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    contents_pdf(corpus / "plan.pdf")
    for include in ((), ("table", "toc")):
        out = tmp_path / f"run-{len(include)}"
        code_corpus(corpus, out=out, include_blocks=include, use_cache=False)
        run = load_run(out)
        assert run.include_blocks == include
        blocks = run.blocks("plan") or []
        unprose = [(b.start, b.end) for b in blocks if b.kind in ("table", "toc")]
        assert unprose
        summary = sample_run(out, n=100, candidates=100, seed=1, out=tmp_path / f"s-{len(include)}")
        key = rows(Path(summary.out) / KEY_FILE)
        sheet = {row["unit_id"]: row for row in rows(Path(summary.out) / SHEET_FILE)}
        inside = []
        for row in key:
            unit = sheet[row["unit_id"]]
            start, end = int(unit["start"]), int(unit["end"])
            if row["kind"] == "candidate" and any(s <= start and end <= e for s, e in unprose):
                inside.append(unit["text"])
        assert [text.split(" .")[0] for text in inside] == (
            ["Newcomers and housing"] if include else []
        )
        retrieved = [sheet[row["unit_id"]]["text"] for row in key if row["kind"] == "retrieved"]
        assert (PROSE in retrieved) and (len(retrieved) > 1) == bool(include)
