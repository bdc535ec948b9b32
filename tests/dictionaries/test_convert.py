"""``codebook convert``: written codebooks load, round trips, export of a codebook, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resdiscourse.cli.main import app
from resdiscourse.codebook.load import load_codebook
from resdiscourse.dictionaries.convert import convert_dictionary, equivalent
from resdiscourse.dictionaries.read import read_dictionary
from resdiscourse.errors import ResdiscourseError
from resdiscourse.export.refi_read import read_qdc
from tests.dictionaries.test_read import shared


@pytest.mark.parametrize(
    "name",
    [
        "quanteda-fixture-mary.dic",
        "quanteda-fixture-mary.ykd",
        "newsmap-english.yml",
        "quanteda-fixture-issue-459.cat",
        "afinn-111.tsv",
    ],
)
def test_converted_codebooks_load_and_read_back_equivalent(name: str, tmp_path: Path) -> None:
    source = shared(name)
    result = convert_dictionary(source, tmp_path / "out.yml")
    assert result.complete
    book = load_codebook(tmp_path / "out.yml").codebook
    assert book.is_dictionary
    again = read_dictionary(tmp_path / "out.yml")
    assert equivalent(again, read_dictionary(source))


def test_nested_ids_join_the_path_and_keep_the_tree(tmp_path: Path) -> None:
    convert_dictionary(shared("newsmap-french.yml"), tmp_path / "fr.yml", language="fr")
    book = load_codebook(tmp_path / "fr.yml").codebook
    concept = book.concepts["africa.east.bi"]
    assert (concept.label, concept.parent) == ("BI", "africa.east")
    assert book.concepts["africa.east"].parent == "africa"
    assert book.language == "fr"


def test_afinn_weights_survive_the_codebook(tmp_path: Path) -> None:
    convert_dictionary(shared("afinn-111.tsv"), tmp_path / "afinn.yml")
    again = read_dictionary(tmp_path / "afinn.yml")
    weights = {t.text: t.weight for c in again.categories for t in c.terms}
    assert weights["outstanding"] == 5 and weights["bastard"] == -5


def test_dic_round_trip_keeps_names(tmp_path: Path) -> None:
    convert_dictionary(shared("quanteda-fixture-mary.lc3"), tmp_path / "m.yml")
    result = convert_dictionary(tmp_path / "m.yml", tmp_path / "m.dic")
    assert result.complete
    text = (tmp_path / "m.dic").read_text(encoding="utf-8")
    assert text.startswith("%\n1\tA category\n2\tAnother category\n%\n")
    assert equivalent(
        read_dictionary(tmp_path / "m.dic"), read_dictionary(shared("quanteda-fixture-mary.lc3"))
    )


def test_weights_cannot_go_into_a_dic_and_are_listed(tmp_path: Path) -> None:
    result = convert_dictionary(shared("afinn-111.tsv"), tmp_path / "a.dic")
    assert not result.complete
    assert {p.code for p in result.lost} == {"W801"}
    assert any("weights of category negative" in p.message for p in result.lost)


def test_cat_export_of_mary_reads_back_as_the_dic(tmp_path: Path) -> None:
    result = convert_dictionary(shared("quanteda-fixture-mary.dic"), tmp_path / "m.cat")
    assert result.complete and result.output_format == "wordstat"
    text = (tmp_path / "m.cat").read_text(encoding="utf-8")
    assert text.startswith("A category\n\tmore (1)\n\tlamb (1)\n")
    again = read_dictionary(tmp_path / "m.cat")
    assert again.format == "wordstat"
    assert equivalent(again, read_dictionary(shared("quanteda-fixture-mary.dic")))


def test_cat_round_trip_keeps_nesting_and_weights(tmp_path: Path) -> None:
    convert_dictionary(shared("afinn-111.tsv"), tmp_path / "a.cat")
    afinn = read_dictionary(tmp_path / "a.cat")
    weights = {t.text: t.weight for c in afinn.categories for t in c.terms}
    assert weights["outstanding"] == 5 and weights["bastard"] == -5
    assert convert_dictionary(shared("quanteda-fixture-issue-459.cat"), tmp_path / "s.cat").complete
    assert (tmp_path / "s.cat").read_text(encoding="utf-8").splitlines()[:3] == [
        "SOUTH",
        "\tBW",
        "\t\tBotswana (1)",
    ]
    newsmap = read_dictionary(shared("quanteda-fixture-issue-459.cat"))
    assert equivalent(read_dictionary(tmp_path / "s.cat"), newsmap)


def test_cat_export_lists_descriptions_and_ambiguous_names(tmp_path: Path) -> None:
    source = tmp_path / "frame.qdc"
    convert_dictionary(shared("quanteda-fixture-mary.dic"), source)  # terms become descriptions
    result = convert_dictionary(source, tmp_path / "frame.cat")
    assert not result.complete
    assert any("the description of category A category" in p.message for p in result.lost)
    odd = tmp_path / "odd.dic"
    odd.write_text("%\n1\tscore (2)\n%\nword\t1\n", encoding="utf-8")
    lost = convert_dictionary(odd, tmp_path / "odd.cat").lost
    assert any("category name 'score (2)'" in p.message for p in lost)


def test_qdc_export_nests_codes_and_reads_back_as_a_frame(tmp_path: Path) -> None:
    result = convert_dictionary(shared("quanteda-fixture-issue-459.cat"), tmp_path / "s.qdc")
    codebook, problems = read_qdc(tmp_path / "s.qdc")
    assert not problems
    assert [c.name for c in codebook.codes] == ["SOUTH"]
    assert [c.name for c in codebook.codes[0].children] == ["BW", "LS", "NA", "ZA", "SZ"]
    assert "Botswana" in codebook.codes[0].children[0].description
    assert not result.complete  # terms only as description text: reported
    frame = read_dictionary(tmp_path / "s.qdc")
    assert frame.format == "refi" and [c.path for c in frame.categories][1] == ("SOUTH", "BW")


def test_real_atlas_codebook_becomes_a_coding_frame(tmp_path: Path) -> None:
    from tests.conftest import REAL, need_shared

    qdc = need_shared(REAL / "refi-qda" / "atlasti-23.4-codebook.qdc")
    result = convert_dictionary(qdc, tmp_path / "frame.yml")
    book = load_codebook(tmp_path / "frame.yml").codebook
    assert book.concepts["code1"].description == "description"
    assert result.source_format == "refi"


def test_exporting_a_codebook_lists_its_rules_as_not_representable(tmp_path: Path) -> None:
    result = convert_dictionary("social-resilience", tmp_path / "s.dic")
    assert not result.complete
    rules = [p for p in result.lost if "is not a term list" in p.message]
    assert rules and all(p.location.line for p in rules)


def test_unknown_output_suffix_is_e805(tmp_path: Path) -> None:
    with pytest.raises(ResdiscourseError) as error:
        convert_dictionary(shared("afinn-111.tsv"), tmp_path / "x.csv")
    assert error.value.problem.code == "E805"


def test_cli_convert_exit_codes_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(
        app,
        [
            "codebook",
            "convert",
            str(shared("quanteda-fixture-mary.dic")),
            "--to",
            str(tmp_path / "m.yml"),
            "--json",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["categories"] == 2
    lossy = runner.invoke(
        app, ["codebook", "convert", str(shared("afinn-111.tsv")), "--to", str(tmp_path / "a.dic")]
    )
    assert lossy.exit_code == 1
    bad = tmp_path / "bad.lc3"
    bad.write_text("orphan\n", encoding="utf-8")
    broken = runner.invoke(app, ["codebook", "convert", str(bad), "--to", str(tmp_path / "b.yml")])
    assert broken.exit_code == 2
    assert "E803" in broken.output


def test_a_dictionary_codebook_cannot_code(tmp_path: Path) -> None:
    from resdiscourse.matching.compile import compile_codebook

    convert_dictionary(shared("quanteda-fixture-mary.dic"), tmp_path / "m.yml")
    with pytest.raises(ResdiscourseError) as error:
        compile_codebook(load_codebook(tmp_path / "m.yml").codebook)
    assert error.value.problem.code == "E801"
