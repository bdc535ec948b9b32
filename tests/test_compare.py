"""``resdiscourse compare``: the figures equal the reference implementations on the same data
(scikit-learn's kappa, precision and recall; the krippendorff package's alpha), at character
level per source and pooled, and at segment level; every kind of side is read; outputs are
deterministic."""

from __future__ import annotations

import csv
import json
import random
import shutil
import zipfile
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score, precision_score, recall_score
from typer.testing import CliRunner

from resdiscourse.cli.main import app
from resdiscourse.compare import ComparisonReport, compare
from resdiscourse.errors import UsageError
from resdiscourse.export.refi_model import (
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
)
from resdiscourse.export.refi_project import code_guid, project_of_run
from resdiscourse.export.refi_write import stable_guid, write_qdpx
from resdiscourse.rundir import CodeRun, load_run
from tests.conftest import REAL, need_shared
from tests.review_run import forget_completeness

BOOK = "bhuyan-leung-2021"


@pytest.fixture(scope="module")
def run(demo_out: Path) -> CodeRun:
    return load_run(demo_out)


def auto_spans(run: CodeRun) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(doc_id, dimension:code) -> the segments coded with it (what the automatic side codes)."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for row in run.codings:
        key = (row["doc_id"], f"{row['dimension']}:{row['code']}")
        span = (int(row["segment_start"]), int(row["segment_end"]))
        if span not in spans.setdefault(key, []):
            spans[key].append(span)
    return spans


def vector(length: int, spans: list[tuple[int, int]]) -> np.ndarray:
    values = np.zeros(length, dtype=np.int8)
    for start, end in spans:
        values[start:end] = 1
    return values


def human_rows(run: CodeRun, coder: str, seed: int, skip: str = "") -> list[dict[str, str]]:
    """A made-up human coder: most automatic codings, shifted a little, some left out, and some
    spans of their own."""
    rng = random.Random(seed)
    rows = []
    for (doc_id, code), spans in sorted(auto_spans(run).items()):
        if doc_id == skip:
            continue
        length = len(run.text(doc_id))
        for start, end in spans:
            if rng.random() < 0.2:
                continue
            start = max(0, start + rng.randint(-15, 15))
            end = min(length, max(start + 1, end + rng.randint(-15, 15)))
            rows.append({"doc": doc_id, "start": str(start), "end": str(end), "code": code})
        if rng.random() < 0.3:
            start = rng.randrange(0, length - 50)
            rows.append({"doc": doc_id, "start": str(start), "end": str(start + 40), "code": code})
    for row in rows:
        row["coder"] = coder
    return rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def human_spans(rows: list[dict[str, str]]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for row in rows:
        spans.setdefault((row["doc"], row["code"]), []).append((int(row["start"]), int(row["end"])))
    return spans


@pytest.fixture(scope="module")
def two_humans(run: CodeRun, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list, list]:
    folder = tmp_path_factory.mktemp("humans")
    ann = human_rows(run, "ann", seed=1)
    # bob did not code one document: his values there are missing, not "not coded".
    bob = human_rows(run, "bob", seed=2, skip="toronto-newcomer-youth-2010")
    return write_csv(folder / "humans.csv", ann + bob), ann, bob


@pytest.fixture(scope="module")
def report(
    demo_out: Path, two_humans: tuple[Path, list, list], tmp_path_factory: pytest.TempPathFactory
) -> ComparisonReport:
    return compare(demo_out, [two_humans[0]], out=tmp_path_factory.mktemp("cmp"), resamples=200)


def find(report: ComparisonReport, **wanted: str) -> dict:
    rows = [r for r in report.rows if all(r[k] == v for k, v in wanted.items())]
    assert len(rows) == 1, (wanted, len(rows))
    return rows[0]


def test_character_kappa_per_code_and_source_equals_scikit_learn(
    report: ComparisonReport, run: CodeRun, two_humans: tuple[Path, list, list]
) -> None:
    auto, ann = auto_spans(run), human_spans(two_humans[1])
    checked = 0
    for doc in run.coded_documents():
        doc_id, length = doc["doc_id"], len(run.text(doc["doc_id"]))
        for code in ("locus:attribute", "valence:deficit", "remedy:remedy_absent"):
            first = vector(length, auto.get((doc_id, code), []))
            second = vector(length, ann.get((doc_id, code), []))
            row = find(
                report,
                unit="character",
                scope="code_document",
                code=code,
                doc_id=doc_id,
                coders="resdiscourse | ann",
            )
            assert row["units"] == length
            assert row["both"] == int(((first == 1) & (second == 1)).sum())
            if len(set(first) | set(second)) == 1:
                assert row["kappa"] == 1.0 and row["kappa_degenerate"] is True
                continue
            assert row["kappa"] == pytest.approx(cohen_kappa_score(first, second), abs=1e-6)
            assert row["percent_agreement"] == pytest.approx(
                100 * (first == second).mean(), abs=1e-4
            )
            checked += 1
    assert checked >= 10


def test_pooled_character_kappa_is_over_every_code_source_and_character(
    report: ComparisonReport, run: CodeRun, two_humans: tuple[Path, list, list]
) -> None:
    auto, ann = auto_spans(run), human_spans(two_humans[1])
    firsts, seconds = [], []
    for doc in run.coded_documents():
        length = len(run.text(doc["doc_id"]))
        for code in report.codes:
            firsts.append(vector(length, auto.get((doc["doc_id"], code), [])))
            seconds.append(vector(length, ann.get((doc["doc_id"], code), [])))
    first, second = np.concatenate(firsts), np.concatenate(seconds)
    row = find(report, unit="character", scope="overall", coders="resdiscourse | ann")
    assert row["units"] == first.size
    assert row["kappa"] == pytest.approx(cohen_kappa_score(first, second), abs=1e-6)
    assert row["precision"] == pytest.approx(precision_score(second, first), abs=1e-6)
    assert row["recall"] == pytest.approx(recall_score(second, first), abs=1e-6)
    assert row["kappa_low"] <= row["kappa"] <= row["kappa_high"]


def test_alpha_of_three_coders_with_a_missing_document_equals_the_krippendorff_package(
    report: ComparisonReport, run: CodeRun, two_humans: tuple[Path, list, list]
) -> None:
    auto, ann, bob = auto_spans(run), human_spans(two_humans[1]), human_spans(two_humans[2])
    code = "locus:attribute"
    matrix = []
    for doc in run.coded_documents():
        doc_id, length = doc["doc_id"], len(run.text(doc["doc_id"]))
        column = [
            vector(length, auto.get((doc_id, code), [])).astype(float),
            vector(length, ann.get((doc_id, code), [])).astype(float),
            vector(length, bob.get((doc_id, code), [])).astype(float),
        ]
        if doc_id == "toronto-newcomer-youth-2010":
            column[2][:] = np.nan
        matrix.append(np.vstack(column))
    data = np.hstack(matrix)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    row = find(report, unit="character", scope="code", code=code, coders="all")
    assert row["alpha"] == pytest.approx(expected, abs=1e-6)
    # bob's pair leaves out the document he did not code
    pair = find(report, unit="character", scope="code", code=code, coders="resdiscourse | bob")
    assert pair["units"] == data.shape[1] - len(run.text("toronto-newcomer-youth-2010"))


def test_segment_level_from_a_segment_csv_equals_scikit_learn(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    rng = random.Random(5)
    keys = run.segment_codes()
    judged = sorted(keys)[::2]  # the coder judged every other segment only
    rows = []
    for segment_id in judged:
        codes = [k for k in keys[segment_id] if rng.random() > 0.25]
        codes += ["valence:deficit"] if rng.random() < 0.2 else []
        rows += [{"segment_id": segment_id, "code": c} for c in codes] or [
            {"segment_id": segment_id, "code": ""}
        ]
    sheet = write_csv(tmp_path / "segments.csv", rows)
    result = compare(demo_out, [sheet], out=tmp_path / "cmp", resamples=0)
    assert not result.overall("character")  # a segment-only coder has no character units
    human: dict[str, set[str]] = {}
    for row in rows:
        human.setdefault(row["segment_id"], set()).update([row["code"]] if row["code"] else [])
    for code in ("locus:attribute", "valence:deficit", "valence:asset"):
        first = [int(code in keys[s]) for s in judged]
        second = [int(code in human[s]) for s in judged]
        row = find(result, unit="segment", scope="code", code=code)
        assert row["units"] == len(judged)
        assert row["kappa"] == pytest.approx(cohen_kappa_score(first, second), abs=1e-6)


def test_an_exported_project_agrees_perfectly_with_its_run(demo_out: Path, tmp_path: Path) -> None:
    qdpx = write_qdpx(project_of_run(load_run(demo_out), coder="me"), tmp_path / "me.qdpx")
    result = compare(demo_out, [qdpx], out=tmp_path / "cmp", resamples=50)
    for unit in ("character", "segment"):
        (row,) = result.overall(unit)
        assert row["kappa"] == 1.0 and row["percent_agreement"] == 100.0
        assert row["f1"] == 1.0
    assert result.disagreements == 0
    assert result.exit_code == 0


def test_a_different_extraction_is_aligned_onto_our_text(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    """The human's tool holds another text (a header added, line breaks as spaces): their
    offsets are mapped by aligning the texts, and the share aligned is reported."""
    project = project_of_run(run, coder="ann")
    sources = []
    for source in project.sources:
        header = "CITY REPORT — DRAFT\n\n"
        theirs = header + source.text.replace("\n", " ")
        shift = len(header)  # the replacement keeps lengths, so offsets only shift
        selections = tuple(
            RefiSelection(s.guid, s.start + shift, s.end + shift, s.name, s.user_guid, s.codings)
            for s in source.selections
        )
        sources.append(
            RefiSource(
                source.guid, source.name, theirs, selections, source.values, source.user_guid
            )
        )
    qdpx = write_qdpx(_with_sources(project, sources), tmp_path / "theirs.qdpx")
    result = compare(demo_out, [qdpx], out=tmp_path / "cmp", resamples=0)
    aligned = [p for p in result.problems if p.code == "W432"]
    assert len(aligned) == len(sources)
    (row,) = result.overall("segment")
    assert row["kappa"] == 1.0
    (row,) = result.overall("character")
    assert row["kappa"] == 1.0  # words and the punctuation between them map exactly


def _with_sources(project: RefiProject, sources: list[RefiSource]) -> RefiProject:
    return RefiProject(
        project.name,
        project.origin,
        project.creating_user,
        project.users,
        project.codebook,
        project.variables,
        tuple(sources),
    )


def test_excerpt_sources_compare_only_the_excerpts(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    """Sources named doc_id:start-end holding that slice (as `sample` writes them): only those
    characters and units are compared."""
    project = project_of_run(run, coder="ann")
    keys = run.segment_codes()
    chosen = [row for row in run.segments if keys[row["segment_id"]]][:5]
    sources = []
    for row in chosen:
        start, end = int(row["start"]), int(row["end"])
        codings = tuple(
            RefiCoding(
                stable_guid("c", row["segment_id"], k),
                code_guid(BOOK, *k.split(":")),
                project.users[0].guid,
            )
            for k in keys[row["segment_id"]]
        )
        selection = RefiSelection(
            stable_guid("s", row["segment_id"]), 0, end - start, codings=codings
        )
        sources.append(
            RefiSource(
                stable_guid("t", row["segment_id"]), row["segment_id"], row["text"], (selection,)
            )
        )
    qdpx = write_qdpx(_with_sources(project, sources), tmp_path / "excerpts.qdpx")
    result = compare(demo_out, [qdpx], out=tmp_path / "cmp", resamples=0)
    (row,) = result.overall("character")
    lengths = sum(int(r["end"]) - int(r["start"]) for r in chosen)
    assert row["units"] == lengths * len(result.codes)
    assert row["kappa"] == 1.0
    (row,) = result.overall("segment")
    assert row["units"] == len(chosen) * len(result.codes)


def test_a_filled_in_coding_sheet_is_read(demo_out: Path, run: CodeRun, tmp_path: Path) -> None:
    keys = run.segment_codes()
    rows = []
    for segment_id in sorted(keys)[:10]:
        locus = [k.split(":")[1] for k in keys[segment_id] if k.startswith("locus:")]
        rows.append({"unit_id": segment_id, "locus": "; ".join(locus), "valence": "", "notes": ""})
    sheet = write_csv(tmp_path / "sheet.csv", rows)
    result = compare(demo_out, [sheet], out=tmp_path / "cmp", resamples=0)
    assert find(result, unit="segment", scope="code", code="locus:attribute")["kappa"] == 1.0
    valence = find(result, unit="segment", scope="code", code="valence:asset")
    assert valence["second_only"] == 0 and valence["units"] == 10


def test_codes_match_by_label_and_by_mapping_and_unknown_codes_are_reported(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    rows = [
        {"doc": r["doc_id"], "start": r["segment_start"], "end": r["segment_end"], "code": name}
        for r in run.codings
        for name in [
            {"attribute": "locus - Attribute of newcomers", "asset": "Strength"}.get(r["code"], "")
        ]
        if name
    ]
    rows.append({**rows[0], "code": "Unrelated theme"})
    human = write_csv(tmp_path / "named.csv", rows)
    mapping = write_csv(tmp_path / "map.csv", [{"from": "Strength", "to": "valence:asset"}])
    result = compare(demo_out, [human], mapping=mapping, out=tmp_path / "cmp", resamples=0)
    assert find(result, unit="character", scope="code", code="locus:attribute")["kappa"] == 1.0
    assert find(result, unit="character", scope="code", code="valence:asset")["kappa"] == 1.0
    (unknown,) = [p for p in result.problems if p.code == "W430"]
    assert "Unrelated theme" in unknown.message


def test_an_empty_code_is_degenerate_and_alpha_says_why(report: ComparisonReport) -> None:
    empty = [
        row
        for row in report.rows
        if row["scope"] == "code"
        and row["coders"] == "resdiscourse | ann"
        and row["both"] == 0
        and row["first_only"] == 0
        and row["second_only"] == 0
    ]
    for row in empty:
        assert row["percent_agreement"] == 100.0 and row["kappa"] == 1.0
        assert row["kappa_degenerate"] is True
        assert row["alpha"] is None and "same value" in row["alpha_note"]


def test_disagreements_hold_the_text_and_both_codings(
    report: ComparisonReport, run: CodeRun, demo_out: Path, two_humans: tuple, tmp_path: Path
) -> None:
    with (Path(report.out) / "disagreements.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == report.disagreements > 0
    for row in rows:
        text = run.text(row["doc_id"])
        assert row["text"].lstrip("'") == text[int(row["start"]) : int(row["end"])].lstrip("'")
        values = {row[f"coder:{n}"] for n in ("resdiscourse", "ann", "bob")} - {""}
        assert values == {"0", "1"}
        if row["unit"] == "character":
            assert int(row["end"]) - int(row["start"]) >= 20  # the default --min-chars
    order = [(r["doc_id"], int(r["start"])) for r in rows]
    assert order == sorted(order)
    every = compare(demo_out, [two_humans[0]], out=tmp_path / "all", resamples=0, min_chars=1)
    assert report.short_disagreements > 0
    assert every.disagreements == report.disagreements + report.short_disagreements
    assert every.rows == [
        {**row, **{k: None for k in row if k.endswith(("_low", "_high"))}} for row in report.rows
    ]


def test_outputs_are_byte_identical_on_a_rerun(
    demo_out: Path, two_humans: tuple[Path, list, list], report: ComparisonReport, tmp_path: Path
) -> None:
    compare(demo_out, [two_humans[0]], out=tmp_path / "again", resamples=200)
    for name in ("agreement.csv", "confusion.csv", "disagreements.csv"):
        assert (Path(report.out) / name).read_bytes() == (tmp_path / "again" / name).read_bytes()
    first = (Path(report.out) / "compare.json").read_bytes()
    assert first == (tmp_path / "again" / "compare.json").read_bytes()
    # no absolute paths in the data: sides are named by their file or folder name
    assert str(demo_out).encode() not in first and str(tmp_path).encode() not in first
    assert json.loads(first)["sides"] == [demo_out.name, two_humans[0].name]


def test_the_bootstrap_seed_changes_the_interval_not_the_estimate(
    demo_out: Path, two_humans: tuple[Path, list, list], report: ComparisonReport, tmp_path: Path
) -> None:
    other = compare(demo_out, [two_humans[0]], out=tmp_path / "seed", resamples=200, seed=9)
    a = find(report, unit="segment", scope="overall", coders="resdiscourse | ann")
    b = find(other, unit="segment", scope="overall", coders="resdiscourse | ann")
    assert a["kappa"] == b["kappa"]
    assert (a["kappa_low"], a["kappa_high"]) != (b["kappa_low"], b["kappa_high"])


def test_confusion_counts_every_judged_segment_once_per_dimension(
    report: ComparisonReport, run: CodeRun
) -> None:
    pairs = [
        r
        for r in report.confusion
        if r["dimension"] == "locus"
        and (r["first_coder"], r["second_coder"]) == ("resdiscourse", "ann")
    ]
    assert sum(r["segments"] for r in pairs) == len(run.segments)


def test_coder_choice_and_errors(
    demo_out: Path, two_humans: tuple[Path, list, list], tmp_path: Path
) -> None:
    only = compare(demo_out, [two_humans[0]], coders=["bob"], out=tmp_path / "bob", resamples=0)
    assert [c["name"] for c in only.coders] == ["resdiscourse", "bob"]
    with pytest.raises(UsageError) as unknown:
        compare(demo_out, [two_humans[0]], coders=["carol"], out=tmp_path / "x")
    assert unknown.value.problem.code == "E433" and "ann, bob" in unknown.value.problem.hint
    odd = tmp_path / "codes.txt"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError) as bad:
        compare(demo_out, [odd], out=tmp_path / "x")
    assert bad.value.problem.code == "E431"
    elsewhere = write_csv(
        tmp_path / "else.csv", [{"doc": "other", "start": "0", "end": "4", "code": "x"}]
    )
    with pytest.raises(UsageError) as nothing:
        compare(demo_out, [elsewhere], out=tmp_path / "x")
    assert nothing.value.problem.code == "E434"  # every coding left out, and why


def test_cli_json_is_the_library_result_and_an_unmatched_document_exits_1(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    rows = human_rows(run, "ann", seed=3)
    rows.append(
        {
            "doc": "not-in-the-corpus",
            "start": "0",
            "end": "5",
            "code": "locus:civic",
            "coder": "ann",
        }
    )
    human = write_csv(tmp_path / "h.csv", rows)
    result = CliRunner().invoke(
        app,
        [
            "compare",
            str(demo_out),
            str(human),
            "--out",
            str(tmp_path / "c"),
            "--json",
            "--resamples",
            "20",
        ],
    )
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    library = compare(demo_out, [human], out=tmp_path / "c", resamples=20).to_dict()
    assert data == json.loads(json.dumps(library))
    assert any(p["code"] == "W431" for p in data["problems"])


def test_a_copy_of_the_run_is_a_second_automatic_coder(demo_out: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(demo_out, tmp_path / "copy")
    result = compare(demo_out, [copy], out=tmp_path / "cmp", resamples=0)
    assert [c["name"] for c in result.coders] == ["resdiscourse", "resdiscourse:copy"]
    assert result.overall("segment")[0]["kappa"] == 1.0


def two_user_project(run: CodeRun, path: Path) -> tuple[Path, int]:
    """A project of the run coded by ann (as the run) and bea (one selection per source, with
    ann's first code); returns its path and the number of sources."""
    project = project_of_run(run, coder="ann")
    bea = RefiUser(stable_guid("user", "bea"), "bea")
    sources = []
    for source in project.sources:
        extra = tuple(
            RefiSelection(
                stable_guid("bea", s.guid),
                s.start,
                s.end,
                user_guid=bea.guid,
                codings=(
                    RefiCoding(stable_guid("bea-c", s.guid), s.codings[0].code_guid, bea.guid),
                ),
            )
            for s in source.selections[:1]
        )
        sources.append(RefiSource(source.guid, source.name, source.text, source.selections + extra))
    two = RefiProject(
        project.name,
        project.origin,
        project.creating_user,
        (*project.users, bea),
        project.codebook,
        project.variables,
        tuple(sources),
    )
    return write_qdpx(two, path), len(sources)


def test_each_user_of_a_project_is_a_coder(demo_out: Path, run: CodeRun, tmp_path: Path) -> None:
    """A two-user project: both users are coders, --coder picks one; users who coded nothing in
    a source they had still count as coders of it."""
    qdpx, sources = two_user_project(run, tmp_path / "two.qdpx")
    both = compare(demo_out, [qdpx], out=tmp_path / "both", resamples=0)
    assert [c["name"] for c in both.coders] == ["resdiscourse", "ann", "bea"]
    assert find(both, unit="segment", scope="overall", coders="resdiscourse | ann")["kappa"] == 1.0
    bea_row = find(both, unit="segment", scope="overall", coders="resdiscourse | bea")
    assert bea_row["kappa"] < 1.0 and bea_row["both"] == sources
    assert find(both, unit="segment", scope="overall", coders="all")["alpha"] is not None
    only = compare(demo_out, [qdpx], coders=["bea"], out=tmp_path / "bea", resamples=0)
    assert [c["name"] for c in only.coders] == ["resdiscourse", "bea"]


def test_two_real_qc_exports_compare_with_their_own_codes(tmp_path: Path) -> None:
    """Without an output folder, the first project's texts are the reference and codes are taken
    by name: the same export twice agrees perfectly on every code it uses."""
    qc = need_shared(REAL / "refi-qda" / "qc-1.3.2-demo-export.qdpx")
    result = compare(qc, [qc], out=tmp_path / "qc", resamples=0)
    assert [c["name"] for c in result.coders] == ["cp", "cp (qc-1.3.2-demo-export.qdpx)"]
    (row,) = result.overall("character")
    assert row["kappa"] == 1.0 and row["both"] > 0
    assert not result.overall("segment")
    assert len(result.codes) > 10 and result.disagreements == 0


def test_the_validation_workflow_sample_code_compare(demo_out: Path, tmp_path: Path) -> None:
    """sample → a second coder fills in the blind sheet (here: as the key says, plus one code on
    a candidate sentence the tool did not retrieve) → compare: perfect on the retrieved units,
    and the missed candidate lowers recall."""
    from resdiscourse.sample import sample_run

    sample_run(demo_out, n=12, seed=4, candidates=4, out=tmp_path / "s")
    key = {
        row["sample_id"]: row for row in csv.DictReader((tmp_path / "s" / "sample-key.csv").open())
    }
    with (tmp_path / "s" / "sample.csv").open(encoding="utf-8") as handle:
        sheet = list(csv.DictReader(handle))
    dimensions = [
        "locus",
        "valence",
        "migrant_group",
        "stressor",
        "responsibility",
        "remedy",
        "function",
    ]
    missed = ""
    for row in sheet:
        answer = key[row["sample_id"]]
        for dimension in dimensions:
            row[dimension] = answer[dimension]
        if answer["kind"] == "candidate" and not missed:
            row["locus"], missed = "attribute", row["unit_id"]
    filled = write_csv(tmp_path / "filled.csv", sheet)
    result = compare(demo_out, [filled], out=tmp_path / "cmp", resamples=0)
    row = find(result, unit="segment", scope="code", code="locus:attribute")
    assert row["units"] == len(sheet)
    assert row["second_only"] == 1 and row["first_only"] == 0
    assert row["recall"] < 1.0 and row["precision"] == 1.0
    assert find(result, unit="segment", scope="code", code="valence:asset")["kappa"] == 1.0
    with (tmp_path / "cmp" / "disagreements.csv").open(encoding="utf-8") as handle:
        (disagreement,) = list(csv.DictReader(handle))
    assert f"{disagreement['doc_id']}:{disagreement['start']}-{disagreement['end']}" == missed


def test_the_shipped_demo_coder_is_what_its_script_writes(demo_out: Path, tmp_path: Path) -> None:
    """corpora/demo-coding/ann.csv (the README's compare example) is reproducible, and compares
    cleanly with the demo run."""
    from tests.support.make_coding import coding_rows, write

    folder = Path(__file__).resolve().parents[1] / "corpora" / "demo-coding"
    write(coding_rows(demo_out), tmp_path / "ann.csv")
    assert (tmp_path / "ann.csv").read_bytes() == (folder / "ann.csv").read_bytes()
    result = compare(demo_out, [folder / "ann.csv"], out=tmp_path / "cmp", resamples=100)
    assert result.problems == [] and result.exit_code == 0
    (row,) = result.overall("character")
    assert 0.6 < row["kappa"] < 0.95


def test_tables_in_another_format_and_for_excel(demo_out: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    human = Path(__file__).resolve().parents[1] / "corpora" / "demo-coding" / "ann.csv"
    result = compare(
        demo_out, [human], out=tmp_path / "x", resamples=0, format="parquet", excel=True
    )
    table = pq.read_table(tmp_path / "x" / "agreement.parquet")
    assert table.num_rows == len(result.rows)
    assert table.column_names[:5] == ["unit", "scope", "code", "doc_id", "coders"]
    assert (tmp_path / "x" / "disagreements.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(UsageError) as bad:
        compare(demo_out, [human], out=tmp_path / "y", format="ods")
    assert bad.value.problem.code == "E216"


# --- edge cases a reviewer found ------------------------------------------------------------------


def _project_with(project: RefiProject, **changes: object) -> RefiProject:
    fields = {
        "name": project.name,
        "origin": project.origin,
        "creating_user": project.creating_user,
        "users": project.users,
        "codebook": project.codebook,
        "variables": project.variables,
        "sources": project.sources,
    }
    fields.update(changes)
    return RefiProject(**fields)  # type: ignore[arg-type]


def test_two_sources_with_one_name_are_placed_by_their_texts(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    """Two sources named like one document, holding two different documents: identical text
    wins over the name, and each selection maps with its own source's text."""
    project = project_of_run(run, coder="ann")
    renamed = tuple(
        RefiSource(s.guid, "same name", s.text, s.selections, s.values, s.user_guid)
        for s in project.sources[:2]
    )
    qdpx = write_qdpx(_project_with(project, sources=renamed), tmp_path / "dup.qdpx")
    result = compare(demo_out, [qdpx], out=tmp_path / "cmp", resamples=0)
    compared = [d["doc_id"] for d in result.documents if len(d["coders"]) == 2]
    assert compared == sorted(s.name for s in project.sources[:2])
    assert result.overall("segment")[0]["kappa"] == 1.0


def test_a_dot_in_a_source_name_is_not_an_extension() -> None:
    from resdiscourse.compare.matching import source_id

    assert source_id("Report v1.5") == "report-v1-5"
    assert source_id("Report v1.6.docx") == "report-v1-6"
    assert source_id("toronto-2013.txt") == "toronto-2013"


def test_codings_without_a_user_belong_to_the_only_user_and_idle_users_are_no_coders(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    project = project_of_run(run, coder="ann")
    anonymous = tuple(
        RefiSource(
            s.guid,
            s.name,
            s.text,
            tuple(
                RefiSelection(
                    x.guid,
                    x.start,
                    x.end,
                    x.name,
                    "",
                    tuple(RefiCoding(c.guid, c.code_guid, "") for c in x.codings),
                )
                for x in s.selections
            ),
        )
        for s in project.sources
    )
    qdpx = write_qdpx(
        _project_with(project, sources=anonymous, creating_user=""), tmp_path / "a.qdpx"
    )
    result = compare(demo_out, [qdpx], out=tmp_path / "a", resamples=0)
    assert [c["name"] for c in result.coders] == ["resdiscourse", "ann"]
    assert result.overall("segment")[0]["kappa"] == 1.0
    idle = RefiUser(stable_guid("user", "idle"), "idle")
    with_idle = write_qdpx(
        _project_with(project, users=(*project.users, idle)), tmp_path / "b.qdpx"
    )
    result = compare(demo_out, [with_idle], out=tmp_path / "b", resamples=0)
    assert [c["name"] for c in result.coders] == ["resdiscourse", "ann"]
    (note,) = [p for p in result.problems if p.code == "W435"]
    assert "idle" in note.message
    asked = compare(demo_out, [with_idle], coders=["idle"], out=tmp_path / "c", resamples=0)
    assert [c["name"] for c in asked.coders] == ["resdiscourse", "idle"]


def test_coder_names_apply_to_the_sides_that_have_them(
    demo_out: Path, run: CodeRun, two_humans: tuple[Path, list, list], tmp_path: Path
) -> None:
    qdpx = write_qdpx(project_of_run(run, coder="zoe"), tmp_path / "zoe.qdpx")
    result = compare(
        demo_out, [two_humans[0], qdpx], coders=["bob", "zoe"], out=tmp_path / "x", resamples=0
    )
    assert [c["name"] for c in result.coders] == ["resdiscourse", "bob", "zoe"]
    with pytest.raises(UsageError) as missing:
        compare(demo_out, [two_humans[0]], coders=["bob", "bobb"], out=tmp_path / "y")
    assert missing.value.problem.code == "E433" and "'bobb'" in missing.value.problem.message


def test_another_segmentation_adds_no_segment_units(demo_out: Path, tmp_path: Path) -> None:
    """A run whose segments differ (here: shifted by editing its segments.csv) is compared at
    segment level on the reference's segments only."""
    copy = Path(shutil.copytree(demo_out, tmp_path / "other"))
    for name in ("segments.csv", "codings.csv"):
        text = (copy / name).read_text(encoding="utf-8")
        (copy / name).write_text(text.replace(":1274-1367", ":1274-1300"), encoding="utf-8")
    forget_completeness(copy)  # edited tables: read as a folder that cannot be checked
    result = compare(demo_out, [copy], out=tmp_path / "cmp", resamples=0)
    (row,) = result.overall("segment")
    reference = load_run(demo_out)
    assert row["units"] == len(reference.segments) * len(result.codes)


def test_unknown_documents_are_reported_once_and_unread_ones_named(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    rows = [r for r in human_rows(run, "ann", seed=1) if r["doc"] != "toronto-newcomer-youth-2010"]
    rows += [{"doc": "nope", "start": "0", "end": "3", "code": "locus:civic", "coder": "ann"}] * 3
    result = compare(
        demo_out, [write_csv(tmp_path / "h.csv", rows)], out=tmp_path / "c", resamples=0
    )
    (unknown,) = [p for p in result.problems if p.code == "W431"]
    assert "3 time(s)" in unknown.message
    (unread,) = [p for p in result.problems if p.code == "W436"]
    assert "toronto-newcomer-youth-2010" in unread.message


def test_an_excerpt_whose_spacing_a_tool_changed_still_counts(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    """A QDA tool may rewrite an excerpt's spaces or line ends: the excerpt is aligned with the
    slice it names (W432) and its selections map onto ours; a text that is another one is not
    taken for the excerpt."""
    project = project_of_run(run, coder="ann")
    keys = run.segment_codes()
    chosen = [row for row in run.segments if keys[row["segment_id"]]][:3]
    sources = []
    for row in chosen:
        theirs = row["text"].replace(" ", "  ")
        codings = tuple(
            RefiCoding(
                stable_guid("c", row["segment_id"], k),
                code_guid(BOOK, *k.split(":")),
                project.users[0].guid,
            )
            for k in keys[row["segment_id"]]
        )
        selection = RefiSelection(
            stable_guid("s", row["segment_id"]), 0, len(theirs), codings=codings
        )
        sources.append(
            RefiSource(stable_guid("t", row["segment_id"]), row["segment_id"], theirs, (selection,))
        )
    other = RefiSource(
        stable_guid("t", "other"),
        chosen[0]["segment_id"].replace(":", ":9"),
        "Unrelated text entirely.",
    )
    qdpx = write_qdpx(_project_with(project, sources=(*sources, other)), tmp_path / "spaced.qdpx")
    result = compare(demo_out, [qdpx], out=tmp_path / "cmp", resamples=0)
    assert len([p for p in result.problems if p.code == "W432"]) == len(chosen)
    (row,) = result.overall("character")
    assert row["kappa"] == 1.0
    assert row["units"] == sum(int(r["end"]) - int(r["start"]) for r in chosen) * len(result.codes)
    assert any(p.code == "W431" for p in result.problems)  # the unrelated one is no excerpt


# --- a side whose codings were all left out ---------------------------------------------------


def test_a_coder_whose_codings_were_all_rejected_is_E434_with_the_reasons(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    rows = [{**row, "code": "their:own-code"} for row in human_rows(run, "ann", seed=1)]
    human = write_csv(tmp_path / "h.csv", rows)
    with pytest.raises(UsageError) as caught:
        compare(demo_out, [human], out=tmp_path / "c", resamples=0)
    assert caught.value.problem.code == "E434"
    reasons = [item.code for item in caught.value.problems]  # type: ignore[attr-defined]
    assert reasons[0] == "E434" and "W430" in reasons
    result = CliRunner().invoke(
        app, ["compare", str(demo_out), str(human), "--out", str(tmp_path / "c2")]
    )
    assert result.exit_code == 2
    assert "E434" in result.output and "W430" in result.output and "kappa" not in result.output


def test_e430_shows_the_warnings_that_explain_it(demo_out: Path, tmp_path: Path) -> None:
    rows = [{"doc": "nope", "start": "0", "end": "3", "code": "locus:civic", "coder": "ann"}]
    human = write_csv(tmp_path / "h.csv", rows)
    result = CliRunner().invoke(
        app, ["compare", str(demo_out), str(human), "--out", str(tmp_path / "c")]
    )
    assert result.exit_code == 2
    assert "E43" in result.output and "W431" in result.output
    assert "nope" in result.output


# --- a source without its text; leaving coders out --------------------------------------------


def without_member(qdpx: Path, member: str, path: Path) -> Path:
    """A copy of the project ``qdpx`` without the zip member ``member``."""
    with zipfile.ZipFile(qdpx) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info.filename))
    return path


def test_a_source_whose_file_is_missing_is_left_out_and_exits_1(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    project = project_of_run(run, coder="me")
    qdpx = write_qdpx(project, tmp_path / "me.qdpx")
    lost = next(source for source in project.sources if source.selections)
    broken = without_member(qdpx, f"sources/{lost.guid}.txt", tmp_path / "broken.qdpx")
    result = compare(demo_out, [broken], out=tmp_path / "cmp", resamples=0)
    codes = [item.code for item in result.problems]
    assert "W404" in codes and "W437" in codes
    assert result.exit_code == 1
    compared = {entry["doc_id"]: entry["compared"] for entry in result.documents}
    assert compared.pop(lost.name) is False and all(compared.values())
    # The other documents agree perfectly: the lost one is not counted as coded with nothing.
    for unit in ("character", "segment"):
        (row,) = result.overall(unit)
        assert row["kappa"] == 1.0 and row["percent_agreement"] == 100.0
    cli = CliRunner().invoke(
        app, ["compare", str(demo_out), str(broken), "--out", str(tmp_path / "c2")]
    )
    assert cli.exit_code == 1 and "W437" in cli.output and lost.name in cli.output


def test_exclude_coder_leaves_out_a_user_of_any_side(
    demo_out: Path, run: CodeRun, tmp_path: Path
) -> None:
    qdpx, _ = two_user_project(run, tmp_path / "two.qdpx")
    result = compare(demo_out, [qdpx], exclude_coders=["two.qdpx=bea"], out=tmp_path / "a")
    assert [c["name"] for c in result.coders] == ["resdiscourse", "ann"]
    assert result.overall("segment")[0]["kappa"] == 1.0
    # The automatic side too: then the project's two users are compared with each other.
    humans = compare(
        demo_out,
        [qdpx],
        exclude_coders=[f"{demo_out.name}=resdiscourse"],
        out=tmp_path / "b",
        resamples=0,
    )
    assert [c["name"] for c in humans.coders] == ["ann", "bea"]
    assert humans.overall("segment")[0]["coders"] == "ann | bea"
    with pytest.raises(UsageError) as unknown:
        compare(demo_out, [qdpx], exclude_coders=["two.qdpx=zed"], out=tmp_path / "c")
    assert unknown.value.problem.code == "E433" and "ann, bea" in unknown.value.problem.hint
    for bad in ("bea", "other.qdpx=bea", "two.qdpx="):
        with pytest.raises(UsageError) as caught:
            compare(demo_out, [qdpx], exclude_coders=[bad], out=tmp_path / "d")
        assert caught.value.problem.code == "E430", bad
    cli = CliRunner().invoke(
        app,
        [
            "compare",
            str(demo_out),
            str(qdpx),
            "--exclude-coder",
            "two.qdpx=bea",
            "--json",
            "--resamples",
            "0",
            "--out",
            str(tmp_path / "e"),
        ],
    )
    assert cli.exit_code == 0
    assert [c["name"] for c in json.loads(cli.stdout)["coders"]] == ["resdiscourse", "ann"]
