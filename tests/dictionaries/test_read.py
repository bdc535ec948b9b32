"""Reading dictionaries of every format: the shared fixtures, equivalences, malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from resdiscourse.dictionaries.convert import equivalent
from resdiscourse.dictionaries.model import Dictionary
from resdiscourse.dictionaries.read import detect_format, read_dictionary
from resdiscourse.errors import ResdiscourseError
from tests.conftest import REAL, need_shared

DICTS = REAL / "dictionaries"


def shared(name: str) -> Path:
    return need_shared(DICTS / name)


def shape(dictionary: Dictionary) -> dict[str, list[str]]:
    return {".".join(c.path).casefold(): [t.text for t in c.terms] for c in dictionary.categories}


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("quanteda-fixture-mary.dic", "liwc"),
        ("quanteda-fixture-mary.lc3", "lexicoder"),
        ("quanteda-fixture-mary.ykd", "yoshikoder"),
        ("quanteda-fixture-mary.yml", "quanteda"),
        ("quanteda-fixture-issue-459.cat", "wordstat"),
        ("newsmap-english.yml", "quanteda"),
        ("afinn-111.tsv", "weighted"),
    ],
)
def test_the_format_is_told_from_the_content_not_the_name(
    name: str, kind: str, tmp_path: Path
) -> None:
    disguised = write(tmp_path, "dictionary.txt", shared(name).read_bytes())
    assert detect_format(disguised.read_bytes(), disguised) == kind
    assert read_dictionary(disguised).format == kind


def test_mary_dic_lc3_and_ykd_are_the_same_dictionary() -> None:
    dic, lc3, ykd = (
        read_dictionary(shared(f"quanteda-fixture-mary.{suffix}"))
        for suffix in ("dic", "lc3", "ykd")
    )
    assert equivalent(dic, lc3) and equivalent(dic, ykd)
    assert shape(dic) == {
        "a category": ["more", "lamb", "little"],
        "another category": ["had", "mary"],
    }
    assert ykd.name == "New dictionary"  # the outer <cnode> is the dictionary, not a category


def test_mary_yml_differs_only_as_quanteda_reads_it() -> None:
    yml = read_dictionary(shared("quanteda-fixture-mary.yml"))
    dic = read_dictionary(shared("quanteda-fixture-mary.dic"))
    assert not equivalent(yml, dic)
    assert shape(yml) == {
        "a category": ["more", "lamb", "little"],
        "another": ["category", "had", "mary"],
    }


def test_wordstat_cat_of_mary_equals_the_dic(tmp_path: Path) -> None:
    cat = write(
        tmp_path,
        "mary.cat",
        "A CATEGORY\n   \tMORE (1)\n   \tLAMB (1)\n\tLITTLE (1)\nANOTHER CATEGORY\r\n"
        "    HAD (1)\n    MARY (1)\n",
    )
    assert equivalent(read_dictionary(cat), read_dictionary(shared("quanteda-fixture-mary.dic")))


def test_newsmap_excerpt_cat_nests_and_keeps_weights() -> None:
    found = read_dictionary(shared("quanteda-fixture-issue-459.cat"))
    paths = [c.path for c in found.categories]
    assert paths == [("SOUTH",), *[("SOUTH", code) for code in ("BW", "LS", "NA", "ZA", "SZ")]]
    za = found.categories[4]
    assert [t.text for t in za.terms][:3] == ["South Africa", "S African", "SA"]
    assert {t.weight for c in found.categories for t in c.terms} == {1.0}
    assert found.ids()[("SOUTH", "ZA")] == "south.za"


@pytest.mark.parametrize("name", ["newsmap-english.yml", "newsmap-french.yml"])
def test_newsmap_has_three_levels_and_keeps_accents(name: str) -> None:
    found = read_dictionary(shared(name))
    assert max(len(c.path) for c in found.categories) == 3
    assert found.ids()[("AFRICA", "EAST", "BI")] == "africa.east.bi"
    assert not found.lost
    if "french" in name:
        terms = {t.text for c in found.categories for t in c.terms}
        assert "Québec" in terms and "Canadien*" in terms


def test_afinn_keeps_weights_and_splits_by_sign() -> None:
    found = read_dictionary(shared("afinn-111.tsv"))
    by_name = {c.name: c for c in found.categories}
    assert sum(len(c.terms) for c in found.categories) == 2477
    assert {t.weight for t in by_name["positive"].terms} <= {1, 2, 3, 4, 5}
    assert all(t.weight is not None and t.weight < 0 for t in by_name["negative"].terms)
    assert ("can't stand", -3.0) in {(t.text, t.weight) for t in by_name["negative"].terms}


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_liwc_reads_every_line_end_and_numeric_ids(end: str, tmp_path: Path) -> None:
    text = (
        end.join(["%", "1\tposemo", "02\tnegemo", "%", "happ*\t1", "sad\t2\t1", "hate\t02"]) + end
    )
    found = read_dictionary(write(tmp_path, "x.dic", text))
    assert shape(found) == {"posemo": ["happ*", "sad"], "negemo": ["sad", "hate"]}


def test_liwc22_dicx_csv(tmp_path: Path) -> None:
    text = "DicTerm,posemo,negemo\nhapp*,X,\nsad,,X\nbittersweet,X,X\n"
    found = read_dictionary(write(tmp_path, "x.dicx", text))
    assert found.format == "liwc22"
    assert shape(found) == {"posemo": ["happ*", "bittersweet"], "negemo": ["sad", "bittersweet"]}


def test_liwc_contextual_entries_are_reported_by_line(tmp_path: Path) -> None:
    text = "%\n1\tfunct\n2\tverb\n%\nthe\t1\nlike\t02 134)02/125/464\t(53)02/126\n"
    found = read_dictionary(write(tmp_path, "x.dic", text))
    assert [(p.code, p.location.line) for p in found.lost] == [("W801", 6)]
    assert shape(found) == {"funct": ["the"], "verb": []}


def test_question_marks_and_forbidden_characters_are_reported_not_dropped(tmp_path: Path) -> None:
    text = "+Cat\nwom?n\n:)\nwoman\n"
    found = read_dictionary(write(tmp_path, "x.lc3", text))
    assert [p.location.line for p in found.lost] == [2, 3]
    assert shape(found) == {"cat": ["woman"]}


def test_quanteda_block_lists_nesting_and_regex_valuetype(tmp_path: Path) -> None:
    text = "economy:\n  - tax*\n  - budget\nsociety:\n  family:\n    - famil*\n"
    found = read_dictionary(write(tmp_path, "d.yml", text))
    assert shape(found) == {
        "economy": ["tax*", "budget"],
        "society": [],
        "society.family": ["famil*"],
    }
    regex = write(tmp_path, "r.yml", "a: ['^tax', 'budget$', '^famil.*$', 'x[0-9]']\n")
    found = read_dictionary(regex, valuetype="regex")
    assert shape(found) == {"a": ["tax*", "*budget", "famil*"]}
    assert [p.location.line for p in found.lost] == [1]


def test_yoshikoder_regexp_engine(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0"?>\n<dictionary patternengine="regexp">\n<cnode name="d">\n'
        '<cnode name="c">\n<pnode name="^tax.*$"/>\n<pnode name="(a|b)"/>\n</cnode>\n'
        "</cnode>\n</dictionary>\n"
    )
    found = read_dictionary(write(tmp_path, "d.ykd", xml))
    assert shape(found) == {"c": ["tax*"]}
    assert [p.location.line for p in found.lost] == [6]


def test_xml_with_a_doctype_is_refused(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        '<dictionary><cnode name="d"><cnode name="c"><pnode name="&e;"/></cnode></cnode>'
        "</dictionary>\n"
    )
    with pytest.raises(ResdiscourseError) as error:
        read_dictionary(write(tmp_path, "d.ykd", xml))
    assert error.value.problem.code == "E803"


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("x.dic", "%\n1\tfunct\nthe\t1\n", 1),  # no closing %
        ("x.dic", "%\n1\tfunct\n%\nthe\t7\n", 4),  # an id the header does not list
        ("x.dic", "%\nfunct\n%\n", 2),  # a header line without an id
        ("x.lc3", "+A\nok\n+\n", 3),
        ("x.cat", "  TERM (1)\n", 1),
        ("x.yml", "a: [b, c\nd: e\n", 2),
        ("x.ykd", "<dictionary><cnode name='d'><bad/></cnode></dictionary>", 1),
        ("x.tsv", "good\t1\nbad 2\n", None),
    ],
)
def test_malformed_files_get_coded_errors_with_lines(
    name: str, text: str, line: int | None, tmp_path: Path
) -> None:
    with pytest.raises(ResdiscourseError) as error:
        read_dictionary(write(tmp_path, name, text))
    assert error.value.problem.code in {"E802", "E803"}
    if line is not None:
        assert error.value.problem.location.line == line


def test_an_unknown_layout_is_e802_and_a_missing_file_e804(tmp_path: Path) -> None:
    with pytest.raises(ResdiscourseError) as error:
        read_dictionary(write(tmp_path, "x.bin", "just some words\n"))
    assert error.value.problem.code == "E802"
    with pytest.raises(ResdiscourseError) as error:
        read_dictionary(tmp_path / "missing.dic")
    assert error.value.problem.code == "E804"


def test_a_shipped_codebook_reads_as_its_concepts_and_reports_its_rules() -> None:
    found = read_dictionary("bhuyan-leung-2021")
    names = {c.name for c in found.categories}
    assert {"resilience", "migrants"} <= names
    assert any("is not a term list" in p.message for p in found.lost)
