"""``resdiscourse report``: table contents, charts, report.html, byte-identical re-runs."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from markupsafe import escape
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from typer.testing import CliRunner

from resdiscourse.cli.main import app
from resdiscourse.codebook.load import load_codebook
from resdiscourse.quotes import citation
from resdiscourse.report import build_report, summary_tables
from resdiscourse.report.charts import NO_REMEDY_NOTE, _by_year, render_charts, series_look
from resdiscourse.report.html import exemplars, prefix_svg_ids
from resdiscourse.report.tables import ALL_SEGMENTS, NO_CODE, UNKNOWN, choose_layout, table_rows
from resdiscourse.run import code_corpus
from resdiscourse.rundir import load_run
from tests.review_run import REASONS, TIE, code_review_run

DEMO = Path(__file__).resolve().parents[1] / "corpora" / "demo"
BHUYAN_TABLES = [
    "codes_by_document",
    "codes_by_year",
    "codes_by_jurisdiction",
    "rates_by_document",
    "rates_by_year",
    "rates_by_jurisdiction",
    "locus_by_valence",
    "migrant_group_by_valence",
    "stressors_vs_remedies",
]
BHUYAN_CHARTS = [
    "locus_by_year",
    "locus_valence_by_jurisdiction",
    "migrant_group_by_valence",
    "stressors_vs_remedies",
    "responsibility_by_year",
    "function_by_year",
]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def independent_counts(folder: Path) -> dict[str, dict[str, set[str]]]:
    """doc_id -> ``dimension:code`` -> segment ids, straight from codings.csv."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for coding in rows(folder / "codings.csv"):
        key = f"{coding['dimension']}:{coding['code']}"
        found[coding["doc_id"]][key].add(coding["segment_id"])
    return found


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def demo_tables(demo_out: Path) -> dict[str, object]:
    return summary_tables(load_run(demo_out))


@pytest.fixture(scope="module")
def demo_report(demo_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    build_report(demo_out, out=out)
    return out


# --- tables ---------------------------------------------------------------------------------


def test_tables_have_stable_names_and_columns(demo_out: Path, demo_tables: dict) -> None:
    assert list(demo_tables) == BHUYAN_TABLES
    keys = [code.key for code in load_run(demo_out).codes()]
    assert list(demo_tables["codes_by_document"].columns) == [
        "doc_id",
        "title",
        "year",
        "jurisdiction",
        "level",
        "status",
        "words",
        "segments",
        *keys,
    ]
    assert list(demo_tables["codes_by_year"].columns) == [
        "year",
        "documents",
        "words",
        "segments",
        *keys,
    ]
    assert list(demo_tables["codes_by_jurisdiction"].columns)[:5] == [
        "jurisdiction",
        "level",
        "documents",
        "words",
        "segments",
    ]
    assert list(demo_tables["rates_by_year"].columns) == [
        "year",
        "documents",
        "words",
        "segments",
        *keys,
    ]
    assert list(demo_tables["locus_by_valence"].columns) == [
        "locus",
        "label",
        "valence:deficit",
        "valence:asset",
        f"valence:{NO_CODE}",
        "segments",
    ]
    assert list(demo_tables["stressors_vs_remedies"].columns) == [
        "doc_id",
        "title",
        "year",
        "jurisdiction",
        "segments",
        "stressor_named",
        "structural_remedy_named",
        "stressor_without_remedy",
        "remedy_absent",
        "remedy_absent_document",
    ]


def test_codes_by_document_counts_segments_once_per_code(demo_out: Path, demo_tables: dict) -> None:
    expected = independent_counts(demo_out)
    segments = defaultdict(set)
    for segment in rows(demo_out / "segments.csv"):
        segments[segment["doc_id"]].add(segment["segment_id"])
    table = demo_tables["codes_by_document"].set_index("doc_id")
    keys = [c for c in table.columns if ":" in c]
    for doc_id, row in table.iterrows():
        assert row["segments"] == len(segments[doc_id])
        for key in keys:
            assert row[key] == len(expected[doc_id][key]), (doc_id, key)
    # documents.csv's own counts agree.
    for document in rows(demo_out / "documents.csv"):
        for key in keys:
            assert int(document[key]) == table.loc[document["doc_id"], key], key


def test_hand_checked_demo_counts(demo_tables: dict) -> None:
    # The demo coded with bhuyan-leung-2021 2.2.0, counted by hand from the run's segments.csv
    # (the French and bilingual documents of 2011, 2014, 2016 and 2018 add 24 segments: 16
    # attribute, 3 resource, 3 civic, 2 without a locus).
    # Against 2.1.0: "Newcomer youth and refugee families bring energy and resilience to
    # Toronto's neighbourhoods" is a resource (resilience migrants bring to a place), not an
    # attribute.
    # Against 1.0.0: the heading "Refugees and Resilience" has no locus (its only resilience word
    # is capitalised); resilience the City strengthens in newcomer families, or programs help
    # young newcomers build, is deficit (4 more); "Economic immigrants ... are a key source of
    # resilience for Ontario's labour market" stays asset (migrants as "a key source of" it).
    totals = demo_tables["codes_by_document"].sum(numeric_only=True)
    assert totals["segments"] == 72
    assert (totals["locus:attribute"], totals["locus:resource"], totals["locus:civic"]) == (
        38,
        15,
        13,
    )
    assert (totals["valence:deficit"], totals["valence:asset"]) == (22, 29)
    # 62: the French half of the bilingual bulletin commits "la province" to housing (2.4.0).
    assert totals["remedy:remedy_absent"] == 62

    crosstab = demo_tables["locus_by_valence"].set_index("locus")
    assert crosstab.loc["attribute", ["valence:deficit", "valence:asset"]].tolist() == [22, 14]
    assert crosstab.loc["resource", ["valence:deficit", "valence:asset"]].tolist() == [0, 15]
    assert crosstab.loc["civic", f"valence:{NO_CODE}"] == 13
    assert crosstab.loc[NO_CODE, "segments"] == 6
    everything = crosstab.loc[ALL_SEGMENTS]
    assert everything[["valence:deficit", "valence:asset", "segments"]].tolist() == [22, 29, 72]
    # locus is exclusive: its rows add up to every segment.
    assert crosstab.drop(ALL_SEGMENTS)["segments"].sum() == 72

    groups = demo_tables["migrant_group_by_valence"].set_index("migrant_group")
    assert groups.loc["refugee", ["valence:deficit", "valence:asset", "segments"]].tolist() == [
        12,
        9,
        28,
    ]
    assert groups.loc["skilled_economic", "valence:asset"] == 8


def test_codes_by_year_and_jurisdiction(demo_out: Path, demo_tables: dict) -> None:
    documents = {d["doc_id"]: d for d in rows(demo_out / "documents.csv")}
    expected = independent_counts(demo_out)
    for field, table_name in (("year", "codes_by_year"), ("jurisdiction", "codes_by_jurisdiction")):
        table = demo_tables[table_name].set_index(field)
        for value, row in table.iterrows():
            members = [d for d in documents if documents[d][field] == value]
            assert row["documents"] == len(members)
            for key in ("locus:attribute", "valence:asset", "stressor:poverty"):
                assert row[key] == sum(len(expected[d][key]) for d in members)
    assert demo_tables["codes_by_year"]["year"].tolist() == [
        "2008",
        "2010",
        "2011",
        "2012",
        "2013",
        "2014",
        "2015",
        "2016",
        "2017",
        "2018",
    ]
    places = demo_tables["codes_by_jurisdiction"].set_index("jurisdiction")
    assert places.loc["City of Toronto", ["level", "documents", "segments"]].tolist() == [
        "municipal",
        5,
        35,
    ]
    # The Province's civic passages are the French and bilingual ones (2016, 2018).
    assert places.loc["Province of Ontario", "locus:civic"] == 3
    assert places.loc["City of Toronto", "locus:civic"] == 10


def test_stressors_vs_remedies(demo_out: Path, demo_tables: dict) -> None:
    table = demo_tables["stressors_vs_remedies"].set_index("doc_id")
    expected = independent_counts(demo_out)
    documents = {d["doc_id"]: d for d in rows(demo_out / "documents.csv")}
    remedies = ["remedy:housing", "remedy:childcare", "remedy:decent_work", "remedy:income"]
    for doc_id, row in table.iterrows():
        codes = expected[doc_id]
        stressed = set().union(*(v for k, v in codes.items() if k.startswith("stressor:")))
        remedied = set().union(*(codes[k] for k in remedies))
        assert row["stressor_named"] == len(stressed)
        assert row["structural_remedy_named"] == len(remedied)
        assert row["stressor_without_remedy"] == len(stressed - remedied)
        assert row["remedy_absent"] == len(codes["remedy:remedy_absent"])
        assert row["remedy_absent_document"] == documents[doc_id]["remedy:remedy_absent:document"]
    undocumented = table.loc["toronto-undocumented-residents-2018"]
    assert undocumented[["stressor_named", "structural_remedy_named"]].tolist() == [4, 0]
    assert undocumented["remedy_absent_document"] == "yes"
    assert table.loc["ontario-settlement-framework-2008", "remedy_absent_document"] == "no"


def test_layout_rule_for_other_codebooks() -> None:
    bhuyan = choose_layout(load_codebook("bhuyan-leung-2021").codebook)
    assert (bhuyan.framing, bhuyan.valence, bhuyan.group, bhuyan.stressors) == (
        "locus",
        "valence",
        "migrant_group",
        True,
    )
    social = choose_layout(load_codebook("social-resilience").codebook)
    # level is its one exclusive dimension; then the codebook's order.
    assert (social.framing, social.valence, social.group, social.stressors) == (
        "level",
        "trajectory",
        "collective_action",
        False,
    )


# --- charts ---------------------------------------------------------------------------------


def test_charts_are_drawn_and_deterministic(demo_out: Path, demo_tables: dict) -> None:
    run = load_run(demo_out)
    first = render_charts(run, demo_tables)
    second = render_charts(run, summary_tables(run))
    assert [chart.name for chart in first] == BHUYAN_CHARTS
    for one, two in zip(first, second, strict=True):
        assert one.svg == two.svg
        assert one.png == two.png
        assert "Date" not in one.svg and "<dc:date>" not in one.svg
        assert one.title in one.alt


def test_chart_files_are_not_blank(demo_report: Path) -> None:
    from matplotlib.image import imread

    for name in BHUYAN_CHARTS:
        pixels = imread(demo_report / "charts" / f"{name}.png")
        assert pixels.shape[0] > 300 and pixels.shape[1] > 600
        assert pixels[..., :3].std() > 0.05, name  # drawn, not one flat colour
        svg = (demo_report / "charts" / f"{name}.svg").read_text(encoding="utf-8")
        assert svg.count("<path") > 10 and "<text" in svg, name


def test_alt_text_gives_the_numbers(demo_out: Path, demo_tables: dict) -> None:
    charts = {c.name: c for c in render_charts(load_run(demo_out), demo_tables)}
    assert "2018: Attribute of newcomers 9, Resource for the city or province 0, " in (
        charts["locus_by_year"].alt
    )
    by_place = charts["locus_valence_by_jurisdiction"].alt
    # bhuyan-leung-2021 2.2.0: the Toronto heading "Refugees and Resilience" has no locus, and
    # the resilience newcomer youth "bring to Toronto's neighbourhoods" is a resource.
    assert "City of Toronto: Attribute of newcomers 18, Resource for the city or province 3, " in (
        by_place
    )
    assert "Civic resilience 10, (no code) 4;" in by_place


# --- build and report.html ------------------------------------------------------------------


def test_build_writes_every_file_byte_identically(demo_out: Path, tmp_path: Path) -> None:
    summary = build_report(demo_out, out=tmp_path / "one")
    build_report(demo_out, out=tmp_path / "two")
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert sorted(one) == sorted(
        [
            "report.html",
            *(f"tables/{name}.csv" for name in BHUYAN_TABLES),
            *(f"charts/{name}.{ext}" for name in BHUYAN_CHARTS for ext in ("png", "svg")),
            "report-files.json",
            ".resdiscourse-run",
        ]
    )
    assert one == two
    index = json.loads(one["report-files.json"])
    assert index["files"] == sorted(set(one) - {"report-files.json", ".resdiscourse-run"})
    assert summary.exit_code == 0
    assert [f["kind"] for f in summary.to_dict()["files"]].count("table") == len(BHUYAN_TABLES)
    assert str(tmp_path) not in one["report.html"].decode("utf-8")  # no absolute paths


def test_table_csvs_are_the_tables(demo_report: Path, demo_tables: dict) -> None:
    for name, frame in demo_tables.items():
        columns, expected = table_rows(frame)
        with (demo_report / "tables" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            assert reader.fieldnames == columns
            assert list(reader) == expected


def test_default_out_is_inside_the_run(demo_out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    shutil.copytree(demo_out, folder)
    summary = build_report(folder)
    assert Path(summary.out) == folder / "report"
    assert (folder / "report" / "report.html").is_file()


def test_report_html_has_definitions_quotes_and_documents(
    demo_out: Path, demo_report: Path
) -> None:
    page = (demo_report / "report.html").read_text(encoding="utf-8")
    run = load_run(demo_out)
    assert "<title>Resilience discourse report: demo</title>" in page
    assert run.run["codebook"]["sha256"] in page
    codebook = run.codebook.codebook
    for dimension in codebook.dimensions.values():
        for code in dimension.codes.values():
            assert str(escape(code.definition)) in page
            if code.include:
                assert str(escape(code.include)) in page
    for name in BHUYAN_TABLES:
        assert f'data-table="{name}"' in page
    for name in BHUYAN_CHARTS:
        assert f'id="chart-{name}"' in page
        assert f'aria-labelledby="{name}-title {name}-desc"' in page
    # Quotes cite title, year and page, and link to their document's row.
    citations = re.findall(r'<footer>— <a href="#(doc-[^"]+)">([^<]+)</a></footer>', page)
    assert len(citations) > 30
    for anchor, text in citations:
        assert f'<tr id="{anchor}">' in page
        assert re.search(r" \(\d{4}\), p\. \S+$", html.unescape(text)), text
    assert "Toronto Newcomer Strategy: Progress Update 2013 (2013), p. 2" in page
    # Self-contained: nothing to fetch, nothing to run.
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and not re.search(r"url\((?!#)", page)  # only url(#local)


def test_exemplars_are_few_ranked_and_spread(demo_out: Path) -> None:
    run = load_run(demo_out)
    quotes = exemplars(run)
    assert set(quotes) == {code.key for code in run.codes()}
    assert all(len(found) <= 3 for found in quotes.values())
    assert exemplars(run) == quotes  # deterministic
    attribute = quotes["locus:attribute"]
    assert len(attribute) == 3
    assert len({quote.doc_id for quote in attribute}) == 3  # one per document first
    for quote in attribute:
        segment = next(s for s in run.segments if s["segment_id"] == quote.segment_id)
        assert "".join(piece for piece, _ in quote.pieces) == segment["text"]
        assert any(evidence for _, evidence in quote.pieces)


def test_citation_gives_the_physical_page_when_the_printed_one_differs(demo_out: Path) -> None:
    run = load_run(demo_out)
    segment = {"doc_id": "d", "title": "A report", "year": "2014", "page": "6", "page_end": "6"}
    assert citation(run, {**segment, "page_label": "iv"}) == "A report (2014), p. iv (PDF p. 6)"
    assert citation(run, {**segment, "page_label": "6"}) == "A report (2014), p. 6"
    assert citation(run, {**segment, "title": "", "year": "", "page_label": ""}) == "d, p. 6"


def test_report_for_the_social_resilience_codebook(tmp_path: Path) -> None:
    out = tmp_path / "social"
    code_corpus(DEMO, codebook="social-resilience", out=out)
    summary = build_report(out)
    names = [Path(f["path"]).name for f in summary.files]
    assert "level_by_trajectory.csv" in names
    assert "collective_action_by_trajectory.csv" in names
    assert "level_by_year.png" in names and "level_trajectory_by_jurisdiction.svg" in names
    assert "stressors_vs_remedies.csv" not in names
    page = (out / "report" / "report.html").read_text(encoding="utf-8")
    codebook = load_codebook("social-resilience").codebook
    for dimension in codebook.dimensions.values():
        for code in dimension.codes.values():
            assert str(escape(code.definition)) in page
    crosstab = rows(out / "report" / "tables" / "level_by_trajectory.csv")
    assert crosstab[-1]["level"] == ALL_SEGMENTS
    assert int(crosstab[-1]["segments"]) == len(rows(out / "segments.csv"))


def test_a_report_left_by_another_codebook_is_replaced(demo_out: Path, tmp_path: Path) -> None:
    report = tmp_path / "report"
    build_report(demo_out, out=report)
    social = tmp_path / "social"
    code_corpus(DEMO, codebook="social-resilience", out=social)
    build_report(social, out=report)
    assert not (report / "tables" / "stressors_vs_remedies.csv").exists()
    assert not (report / "charts" / "locus_by_year.svg").exists()
    assert (report / "charts" / "level_by_year.svg").exists()


def test_files_of_the_user_in_out_are_kept(demo_out: Path, tmp_path: Path) -> None:
    report = tmp_path / "report"
    mine = {
        "tables/my-hand-counts.csv": b"doc,count\nx,3\n",
        "charts/figure1-for-paper.png": b"\x89PNG not really",
        "notes.txt": b"mine",
    }
    for name, data in mine.items():
        (report / name).parent.mkdir(parents=True, exist_ok=True)
        (report / name).write_bytes(data)
    build_report(demo_out, out=report)
    build_report(demo_out, out=report)  # a second run reads the first one's index
    social = tmp_path / "social"
    code_corpus(DEMO, codebook="social-resilience", out=social)
    build_report(social, out=report)  # removes the demo's own tables and charts only
    for name, data in mine.items():
        assert (report / name).read_bytes() == data, name
    assert not (report / "tables" / "stressors_vs_remedies.csv").exists()
    index = json.loads((report / "report-files.json").read_text(encoding="utf-8"))
    assert index["files"] == sorted(index["files"])
    assert not set(mine) & set(index["files"])
    assert "tables/level_by_trajectory.csv" in index["files"]


def test_an_index_never_removes_files_outside_the_report(demo_out: Path, tmp_path: Path) -> None:
    report = tmp_path / "report"
    build_report(demo_out, out=report)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (report / "charts" / "mine.svg").write_text("<svg/>", encoding="utf-8")
    (report / "report-files.json").write_text(
        json.dumps({"files": ["../victim.txt", str(victim), "charts", "charts/mine.svg"]}),
        encoding="utf-8",
    )
    build_report(demo_out, out=report)
    assert victim.read_text(encoding="utf-8") == "keep"
    assert (report / "charts").is_dir()
    assert not (report / "charts" / "mine.svg").exists()  # listed: the report's to remove


def test_inlined_svg_ids_are_unique_in_the_page(demo_report: Path) -> None:
    page = (demo_report / "report.html").read_text(encoding="utf-8")
    ids = re.findall(r"""\sid=["']([^"']+)["']""", page)
    repeated = sorted({name for name in ids if ids.count(name) > 1})
    assert repeated == []
    assert len(ids) > 400  # the charts' ids are there, not dropped
    # Every reference points at an id of the page (clip paths, hatches, links).
    references = re.findall(r"url\(#([^)]+)\)", page) + re.findall(r'href="#([^"]+)"', page)
    assert references and set(references) <= set(ids)
    # The chart files themselves are matplotlib's SVG as it was written.
    svg = (demo_report / "charts" / "locus_by_year.svg").read_text(encoding="utf-8")
    assert '<g id="figure_1">' in svg
    assert '<g id="chart-locus_by_year-figure_1">' in page


def test_prefix_svg_ids_rewrites_tags_only() -> None:
    svg = (
        '<defs><pattern id="h1"/><clipPath id="p1"/></defs><g id="figure_1">'
        '<path clip-path="url(#p1)" style="fill: url(#h1)"/><use xlink:href="#m1"/>'
        "<text>id=&quot;h1&quot; url(#h1)</text></g>"
    )
    assert prefix_svg_ids(svg, "c-") == (
        '<defs><pattern id="c-h1"/><clipPath id="c-p1"/></defs><g id="c-figure_1">'
        '<path clip-path="url(#c-p1)" style="fill: url(#c-h1)"/><use xlink:href="#m1"/>'
        "<text>id=&quot;h1&quot; url(#h1)</text></g>"
    )


def test_series_never_share_both_colour_and_hatch() -> None:
    # A chart of 12 codes (one dimension): 12 bar series, no two alike.
    keys = [f"theme:c{i}" for i in range(12)]
    run = SimpleNamespace(
        codes=lambda: [SimpleNamespace(key=k, dimension="theme", label=k) for k in keys],
        codebook=SimpleNamespace(
            codebook=SimpleNamespace(dimensions={"theme": SimpleNamespace(label="Theme")})
        ),
    )
    layout = SimpleNamespace(framing="theme")
    table = pd.DataFrame(
        {"year": ["2015", "2016"], "segments": [24, 36], **{k: [2, 3] for k in keys}}
    )
    _, draw, _ = _by_year(run, layout, table)  # type: ignore[arg-type]
    figure = Figure()
    FigureCanvasAgg(figure)
    draw(figure)
    containers = figure.axes[0].containers
    bars = [c for c in containers if hasattr(c, "patches")]
    assert len(bars) == 12
    seen = {(tuple(c.patches[0].get_facecolor()), c.patches[0].get_hatch()) for c in bars}
    assert len(seen) == 12
    looks = [series_look(i) for i in range(56)]
    assert len(set(looks)) == 56  # coprime periods: the pair repeats only after 56


def test_the_stressors_chart_says_what_the_absence_flag_counts(
    demo_out: Path, demo_report: Path
) -> None:
    svg = (demo_report / "charts" / "stressors_vs_remedies.svg").read_text(encoding="utf-8")
    page = (demo_report / "report.html").read_text(encoding="utf-8")
    documents = {d["doc_id"]: d for d in rows(demo_out / "documents.csv")}
    flagged = [d for d in documents.values() if d["remedy:remedy_absent:document"] == "yes"]
    assert flagged  # toronto-undocumented-residents-2018
    assert svg.count(NO_REMEDY_NOTE) == len(flagged)
    assert NO_REMEDY_NOTE == "no structural remedy near any resilience passage"
    for text in (svg, page):
        assert "whole document" not in text
    caption = re.search(r"<caption>Per document: segments naming a stressor.*?</caption>", page)
    assert caption is not None
    assert "read with the 2 sentences either side" in caption.group(0)
    assert "elsewhere in the document is not counted" in caption.group(0)


def test_missing_values_are_unknown_everywhere(tmp_path: Path) -> None:
    corpus = write_corpus(
        tmp_path / "bare",
        "Newcomer Services\n\nImmigrants show great resilience in their new city.\n\n"
        "Refugees have shown remarkable resilience when they face poverty.\n",
        title="",  # ingest gives the doc_id (or the file's own title): never missing
        year="",
        jurisdiction="",
        level="",
    )
    out = tmp_path / "out"
    code_corpus(corpus, out=out)
    assert len(rows(out / "segments.csv")) == 2
    build_report(out)
    tables = out / "report" / "tables"
    for name in ("codes_by_document", "stressors_vs_remedies"):
        (row,) = rows(tables / f"{name}.csv")
        for field in ("year", "jurisdiction"):
            assert row[field] == UNKNOWN, (name, field)
    assert rows(tables / "codes_by_document.csv")[0]["level"] == UNKNOWN
    assert rows(tables / "codes_by_year.csv")[0]["year"] == UNKNOWN
    place = rows(tables / "codes_by_jurisdiction.csv")[0]
    assert (place["jurisdiction"], place["level"]) == (UNKNOWN, UNKNOWN)
    page = (out / "report" / "report.html").read_text(encoding="utf-8")
    document = re.search(r'<tr id="doc-doc">(.*?)</tr>', page, re.DOTALL)
    assert document is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", document.group(1), re.DOTALL)
    assert cells[2:5] == [escape(UNKNOWN)] * 3  # year, jurisdiction, level
    assert "<td></td>" not in page
    charts = out / "report" / "charts"
    assert f"doc, year {UNKNOWN}" in (charts / "stressors_vs_remedies.svg").read_text("utf-8")
    assert UNKNOWN in (charts / "locus_by_year.svg").read_text(encoding="utf-8")


def write_corpus(
    folder: Path,
    text: str,
    title: str = "A title",
    *,
    year: str = "2016",
    jurisdiction: str = "City of <i>Toronto</i>",
    level: str = "municipal",
) -> Path:
    folder.mkdir()
    (folder / "doc.txt").write_text(text, encoding="utf-8")
    with (folder / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc_id", "file", "title", "year", "jurisdiction", "level"])
        writer.writerow(["doc", "doc.txt", title, year, jurisdiction, level])
    return folder


def test_html_from_documents_is_escaped(tmp_path: Path) -> None:
    corpus = write_corpus(
        tmp_path / "evil",
        "Newcomer Services\n\nImmigrants show great resilience <script>alert('x')</script> "
        "in their new city.\n\nRefugees have shown remarkable resilience <b>bold</b> when they "
        "face poverty.\n",
        title='<img src=x onerror="alert(1)"> Title & co',
    )
    out = tmp_path / "out"
    code_corpus(corpus, out=out)
    assert len(rows(out / "segments.csv")) == 2
    build_report(out)
    page = (out / "report" / "report.html").read_text(encoding="utf-8")
    lowered = page.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<b>" not in lowered
    assert "<i>toronto" not in lowered
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; Title &amp; co (2016), p. 1" in page
    for svg in (out / "report" / "charts").glob("*.svg"):
        assert "<img" not in svg.read_text(encoding="utf-8")


def test_a_run_without_segments_says_why_instead_of_empty_charts(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "quiet", "The city budget for roads and parks.\n")
    out = tmp_path / "out"
    code_corpus(corpus, out=out)
    summary = build_report(out)
    assert summary.exit_code == 0
    assert not (out / "report" / "charts").exists()
    page = (out / "report" / "report.html").read_text(encoding="utf-8")
    assert "0 of 1 documents contain {resilience}" in page
    crosstab = rows(out / "report" / "tables" / "locus_by_valence.csv")
    assert crosstab[-1]["segments"] == "0"


# --- the command ----------------------------------------------------------------------------


def test_cli_report_json(demo_out: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(demo_out), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["out"] == str(tmp_path)
    assert {Path(f["path"]).name for f in data["files"]} >= {"report.html", "codes_by_year.csv"}
    assert (tmp_path / "report.html").is_file()


def test_cli_report_of_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "E217" in result.output


def test_the_report_counts_and_marks_the_segments_that_need_review(tmp_path: Path) -> None:
    out = code_review_run(tmp_path)
    run = load_run(out)
    quotes = {quote.segment_id: quote for quote in exemplars(run)["locus:attribute"]}
    # The best of each document, then the next best: the tie-break segment is among them.
    assert list(quotes) == ["a:0-36", TIE, "b:42-68"]
    assert {key: (q.review, q.review_reasons) for key, q in quotes.items()} == {
        "a:0-36": (False, ""),
        TIE: (True, REASONS[TIE]),
        "b:42-68": (False, ""),
    }
    build_report(out, out=tmp_path / "report")
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "<dt>Review</dt><dd>2 of 4 segments (50.0 %) need review" in page
    # Per document: 1 of a's 2 segments, 1 of b's 2.
    for doc_id in ("a", "b"):
        row = re.search(rf'<tr id="doc-{doc_id}">(.*?)</tr>', page, re.DOTALL)
        assert row is not None
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
        assert cells[-2:] == ["2", "1"]  # segments, review
    assert '<th scope="col">segments</th><th scope="col">review</th>' in page
    marked = re.findall(
        r'<blockquote data-segment="([^"]+)" class="review" data-review="yes">', page
    )
    assert marked == [TIE]
    note = '<p class="review-note"><span class="review-flag">Needs review</span>: '
    assert note + str(escape(REASONS[TIE])) + "</p>" in page
    assert page.count('class="review-note"') == 1


# --- rates, labels, palettes, agreement, limitations ----------------------------------------


def test_rates_are_segments_per_10000_words_of_the_documents_counted(
    demo_out: Path, demo_tables: dict
) -> None:
    documents = {d["doc_id"]: d for d in rows(demo_out / "documents.csv")}
    expected = independent_counts(demo_out)
    for field, name in (("year", "rates_by_year"), ("jurisdiction", "rates_by_jurisdiction")):
        table = demo_tables[name].set_index(field)
        for value, row in table.iterrows():
            members = [d for d in documents if documents[d][field] == value]
            words = sum(int(documents[d]["words"]) for d in members)
            assert row["words"] == words
            for key in ("locus:attribute", "valence:asset", "responsibility:government"):
                count = sum(len(expected[d][key]) for d in members)
                assert row[key] == round(10_000 * count / words, 2), (value, key)
    by_document = demo_tables["rates_by_document"].set_index("doc_id")
    for doc_id, document in documents.items():
        segments = int(document["segments"])
        assert by_document.loc[doc_id, "segments"] == round(
            10_000 * segments / int(document["words"]), 2
        )
    # By hand: the 2008 framework has 7 segments in 492 words, 5 of them attribute.
    assert demo_tables["rates_by_year"].set_index("year").loc[
        "2008", ["words", "segments", "locus:attribute"]
    ].tolist() == [492, 142.28, 101.63]


def test_rate_csvs_have_two_decimals(demo_report: Path) -> None:
    row = rows(demo_report / "tables" / "rates_by_year.csv")[0]
    assert (row["year"], row["words"], row["segments"], row["locus:civic"]) == (
        "2008",
        "492",
        "142.28",
        "0.00",
    )


def test_a_run_without_words_has_empty_rates_and_says_why(demo_out: Path, tmp_path: Path) -> None:
    from tests.review_run import drop_columns, forget_completeness

    old = tmp_path / "old"
    shutil.copytree(demo_out, old)
    drop_columns(old / "documents.csv", {"words"})
    forget_completeness(old)
    build_report(old)
    rates = rows(old / "report" / "tables" / "rates_by_year.csv")
    assert rates and all(r["words"] == r["segments"] == r["locus:attribute"] == "" for r in rates)
    assert rows(old / "report" / "tables" / "codes_by_year.csv")[0]["segments"] == "7"
    page = (old / "report" / "report.html").read_text(encoding="utf-8")
    assert "has no <code>words</code>" in page


def test_table_headers_show_labels_with_the_id_as_title(demo_report: Path) -> None:
    page = (demo_report / "report.html").read_text(encoding="utf-8")
    head = page[page.index('data-table="codes_by_year"') :]
    head = head[: head.index("</thead>")]
    assert '<th scope="col" title="locus:attribute">Attribute of newcomers</th>' in head
    assert '<th scope="col" colspan="3" title="locus">Locus of resilience</th>' in head
    assert '<th scope="col" title="function:diversity_management">Diversity management</th>' in head
    assert ">attribute<" not in head and ">diversity_management<" not in head
    # The CSV keeps the ids.
    header = (demo_report / "tables" / "codes_by_year.csv").read_text(encoding="utf-8")
    assert header.splitlines()[0].startswith("year,documents,words,segments,locus:attribute,")


def test_every_figure_has_one_legend_and_a_colour_means_one_code(
    demo_out: Path, demo_tables: dict
) -> None:
    for chart in render_charts(load_run(demo_out), demo_tables):
        assert chart.legends == 1, chart.name
        labels = [label for label, _, _ in chart.legend]
        assert len(labels) == len(set(labels)), chart.name
        colours = [colour for _, colour, _ in chart.legend]
        assert len(colours) == len(set(colours)), (chart.name, chart.legend)
    by_place = {c.name: c for c in render_charts(load_run(demo_out), demo_tables)}[
        "locus_valence_by_jurisdiction"
    ]
    # Locus and valence share the figure: five codes, five colours, plus the grey "no code".
    assert [label for label, _, _ in by_place.legend] == [
        "Attribute of newcomers",
        "Resource for the city or province",
        "Civic resilience",
        NO_CODE,
        "Deficit",
        "Asset",
    ]


def test_responsibility_and_function_have_charts(demo_out: Path, demo_tables: dict) -> None:
    charts = {c.name: c for c in render_charts(load_run(demo_out), demo_tables)}
    years = demo_tables["codes_by_year"].set_index("year")
    for dimension in ("responsibility", "function"):
        chart = charts[f"{dimension}_by_year"]
        codes = [c for c in load_run(demo_out).codes() if c.dimension == dimension]
        assert [label for label, _, _ in chart.legend] == [c.label for c in codes]
        for year, row in years.iterrows():
            counts = ", ".join(f"{c.label} {row[c.key]}" for c in codes)
            assert f"{year}: {counts}" in chart.alt
    # By hand (segments.csv): 2013 has one individual, four community, one government.
    assert (
        "2013: Individual (migrants themselves) 1, Residents and community 4, Government 1"
        in charts["responsibility_by_year"].alt
    )


def test_agreement_section_shows_a_comparison_of_this_run_only(
    demo_out: Path, tmp_path: Path
) -> None:
    from resdiscourse.compare.core import compare

    folder = tmp_path / "run"
    shutil.copytree(demo_out, folder)
    build_report(folder)
    page = (folder / "report" / "report.html").read_text(encoding="utf-8")
    assert "No comparison with a human coder is in this run" in page
    assert "how well the codes fit this corpus is unmeasured" in page

    compare(folder, [DEMO.parent / "demo-coding" / "ann.csv"], resamples=50)
    build_report(folder)
    page = (folder / "report" / "report.html").read_text(encoding="utf-8")
    agreement = rows(folder / "compare" / "agreement.csv")
    overall = next(r for r in agreement if r["scope"] == "overall" and r["unit"] == "character")
    kappa = f"{float(overall['kappa']):.3f}"
    section = page[page.index('<section id="agreement">') : page.index('<section id="limitations"')]
    assert f'<td class="n">{kappa}</td>' in section
    assert f"{float(overall['percent_agreement']):.1f}" in section
    attribute = next(
        r for r in agreement if r["code"] == "locus:attribute" and r["unit"] == "segment"
    )
    assert '<td title="locus:attribute">Attribute of newcomers</td><td>segment</td>' in section
    assert f"{float(attribute['f1']):.3f}" in section
    assert f"pooled kappa is {kappa}" in page

    # The folder coded again (another retrieval): the comparison is of the earlier run.
    code_corpus(DEMO, out=folder, retrieval="wide")
    build_report(folder)
    page = (folder / "report" / "report.html").read_text(encoding="utf-8")
    assert "made with an earlier run of this folder" in page
    assert kappa not in page[page.index('<section id="agreement">') :]


def test_limitations_give_the_share_of_segments_to_review(tmp_path: Path) -> None:
    out = code_review_run(tmp_path)
    build_report(out)
    segments = rows(out / "segments.csv")
    review = sum(s["review"] == "yes" for s in segments)
    assert 0 < review < len(segments)
    page = (out / "report" / "report.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="limitations">') : page.index('<section id="documents"')]
    share = f"{100 * review / len(segments):.1f} %"
    assert f"{review} of {len(segments)} segments ({share}) were decided by a weak rule" in section
    assert "Passages in other words" in section and "Meaning beyond the cues" in section
