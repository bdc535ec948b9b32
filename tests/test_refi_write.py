"""The REFI-QDA writer: schema-valid .qdpx and .qdc, byte-identical on a re-run, source texts
stored exactly (offsets are code points into them)."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from resdiscourse.errors import ResdiscourseError
from resdiscourse.export.refi_model import (
    CODEBOOK_NAMESPACE,
    PROJECT_NAMESPACE,
    RefiCode,
    RefiCodebook,
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from resdiscourse.export.refi_write import (
    ZIP_DATE,
    codebook_xml,
    project_xml,
    qdpx_bytes,
    stable_guid,
    validate_codebook_xml,
    validate_project_xml,
    write_qdc,
    write_qdpx,
    xml_safe,
)

REFI = Path(__file__).resolve().parents[1].parent / "shared" / "corpora-real" / "refi-qda"
GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
P = {"q": PROJECT_NAMESPACE}
C = {"q": CODEBOOK_NAMESPACE}

# Non-ASCII, an emoji and a mathematical letter (both astral: one code point, two UTF-16 units),
# Windows and old-Mac line ends: every offset below is a code point into exactly this text.
TEXT_A = "Résilience 😀 des immigrés\r\nLa 𝔯ésilience communautaire\rfin — ok"
TEXT_B = "Second document.\nResilience is framed as\tindividual grit."


def g(*parts: str) -> str:
    return stable_guid("test", *parts)


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def build_codebook() -> RefiCodebook:
    individual = RefiCode(g("code", "individual"), "individual", "grit, self-reliance")
    grit = RefiCode(g("code", "grit"), "grit", color="#1A2B3C")
    collective = RefiCode(
        g("code", "collective"), "collective", "communities", "#00FF00", children=(grit,)
    )
    locus = RefiCode(
        g("code", "locus"),
        "locus",
        "Who is resilient — «personne»",
        is_codable=False,
        children=(individual, collective),
    )
    tone = RefiCode(g("code", "tone"), "tone ✓", is_codable=False)
    sets = (
        RefiSet(g("set", "all"), "all codable", "codes we apply", (individual.guid, grit.guid)),
        RefiSet(g("set", "empty"), "empty set"),
    )
    return RefiCodebook(codes=(locus, tone), sets=sets, origin="resdiscourse tests")


VARIABLES = (
    RefiVariable(g("var", "country"), "country", "Text", "ISO country"),
    RefiVariable(g("var", "official"), "official", "Boolean"),
    RefiVariable(g("var", "year"), "year", "Integer"),
    RefiVariable(g("var", "score"), "score", "Float"),
    RefiVariable(g("var", "date"), "published", "Date"),
    RefiVariable(g("var", "stamp"), "fetched", "DateTime"),
)


def build_project() -> RefiProject:
    users = (
        RefiUser(g("user", "ana"), "Ana"),
        RefiUser(g("user", "bo"), "Bø"),
        RefiUser(g("user", "rules"), "resdiscourse rules"),
    )
    ana, bo, rules = (user.guid for user in users)
    start, end = span(TEXT_A, "Résilience 😀")
    first = RefiSelection(
        g("sel", "a1"),
        start,
        end,
        name="a1",
        user_guid=ana,
        description="two coders agree",
        codings=(
            RefiCoding(g("coding", "a1", "ana"), g("code", "individual"), ana),
            RefiCoding(g("coding", "a1", "bo"), g("code", "individual"), bo),
            RefiCoding(g("coding", "a1", "rules"), g("code", "grit"), rules),
        ),
    )
    start, end = span(TEXT_A, "immigrés\r\nLa 𝔯ésilience")
    second = RefiSelection(
        g("sel", "a2"),
        start,
        end,
        codings=(RefiCoding(g("coding", "a2"), g("code", "collective"), bo),),
    )
    source_a = RefiSource(
        g("source", "a"),
        "doc-a.pdf",
        TEXT_A,
        selections=(first, second),
        values=(
            (g("var", "country"), "FR"),
            (g("var", "official"), "True"),
            (g("var", "year"), "2019"),
            (g("var", "score"), "1e-05"),
            (g("var", "date"), "2019-03-18"),
            (g("var", "stamp"), "2024-09-15T15:36:45Z"),
        ),
        user_guid=rules,
        description="a French strategy",
    )
    start, end = span(TEXT_B, "individual grit")
    source_b = RefiSource(
        g("source", "b"),
        "doc-b.txt",
        TEXT_B,
        selections=(RefiSelection(g("sel", "b1"), start, end),),
        values=((g("var", "country"), ""), (g("var", "year"), "")),
    )
    return RefiProject(
        name="resilience project",
        origin="resdiscourse tests",
        creating_user=rules,
        users=users,
        codebook=build_codebook(),
        variables=VARIABLES,
        sources=(source_a, source_b),
    )


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


# --- stable_guid -------------------------------------------------------------------------------


def test_stable_guid_is_deterministic_upper_case_and_schema_shaped() -> None:
    guid = stable_guid("doc-1", "segment", "3")
    assert guid == stable_guid("doc-1", "segment", "3")
    assert GUID.match(guid)
    assert guid == guid.upper()


def test_stable_guid_separates_parts_unambiguously() -> None:
    assert stable_guid("a", "b") != stable_guid("ab")
    assert stable_guid("a", "b") != stable_guid("a\x1fb")
    assert stable_guid("a", "b") != stable_guid("b", "a")
    assert stable_guid() != stable_guid("")
    assert stable_guid("", "") != stable_guid("")


@settings(max_examples=200)
@given(st.lists(st.text(), max_size=4), st.lists(st.text(), max_size=4))
def test_stable_guid_distinct_for_distinct_parts(left: list[str], right: list[str]) -> None:
    if left == right:
        assert stable_guid(*left) == stable_guid(*right)
    else:
        assert stable_guid(*left) != stable_guid(*right)


# --- the project XML ---------------------------------------------------------------------------


def test_project_validates_against_the_project_schema() -> None:
    data = project_xml(build_project())
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Project ')
    assert validate_project_xml(data) == []


def test_project_elements_in_schema_order() -> None:
    root = parse(project_xml(build_project()))
    children = [etree.QName(child).localname for child in root]
    assert children == ["Users", "CodeBook", "Variables", "Sources", "Sets"]
    assert root.get("name") == "resilience project"
    assert root.get("origin") == "resdiscourse tests"
    assert root.get("creatingUserGUID") == g("user", "rules")
    assert "creationDateTime" not in root.attrib  # no clock in the output


def test_project_users_codes_and_variables() -> None:
    root = parse(project_xml(build_project()))
    assert [u.get("name") for u in root.findall("q:Users/q:User", P)] == [
        "Ana",
        "Bø",
        "resdiscourse rules",
    ]
    locus = root.find("q:CodeBook/q:Codes/q:Code", P)
    assert locus is not None
    assert (locus.get("name"), locus.get("isCodable")) == ("locus", "false")
    assert locus.findtext("q:Description", namespaces=P) == "Who is resilient — «personne»"
    assert [c.get("name") for c in locus.findall("q:Code", P)] == ["individual", "collective"]
    grit = locus.find("q:Code[@name='collective']/q:Code", P)
    assert grit is not None
    assert (grit.get("guid"), grit.get("color"), grit.get("isCodable")) == (
        g("code", "grit"),
        "#1A2B3C",
        "true",
    )
    assert locus.find("q:Code[@name='individual']", P).get("color") is None  # type: ignore[union-attr]
    types = {
        v.get("name"): v.get("typeOfVariable") for v in root.findall("q:Variables/q:Variable", P)
    }
    assert types == {
        "country": "Text",
        "official": "Boolean",
        "year": "Integer",
        "score": "Float",
        "published": "Date",
        "fetched": "DateTime",
    }


def test_project_selections_and_codings() -> None:
    root = parse(project_xml(build_project()))
    source = root.find("q:Sources/q:TextSource", P)
    assert source is not None
    guid = g("source", "a")
    assert source.get("plainTextPath") == f"internal://{guid}.txt"
    assert source.get("creatingUser") == g("user", "rules")
    selections = source.findall("q:PlainTextSelection", P)
    assert [(s.get("startPosition"), s.get("endPosition")) for s in selections] == [
        ("0", "12"),
        ("17", "40"),
    ]
    assert TEXT_A[0:12] == "Résilience 😀"  # 12 code points although 13 UTF-16 units
    codings = selections[0].findall("q:Coding", P)
    assert [(c.get("creatingUser"), c.find("q:CodeRef", P).get("targetGUID")) for c in codings] == [  # type: ignore[union-attr]
        (g("user", "ana"), g("code", "individual")),
        (g("user", "bo"), g("code", "individual")),
        (g("user", "rules"), g("code", "grit")),
    ]
    assert selections[0].findtext("q:Description", namespaces=P) == "two coders agree"
    assert selections[1].get("name") is None  # an empty optional name is left out


def test_project_variable_values_are_typed() -> None:
    root = parse(project_xml(build_project()))
    source_a, source_b = root.findall("q:Sources/q:TextSource", P)
    values = [
        (etree.QName(value[1]).localname, value[1].text)
        for value in source_a.findall("q:VariableValue", P)
    ]
    assert values == [
        ("TextValue", "FR"),
        ("BooleanValue", "true"),
        ("IntegerValue", "2019"),
        ("FloatValue", "0.00001"),
        ("DateValue", "2019-03-18"),
        ("DateTimeValue", "2024-09-15T15:36:45Z"),
    ]
    empty_text, empty_year = source_b.findall("q:VariableValue", P)
    assert [etree.QName(e).localname for e in empty_text] == ["VariableRef", "TextValue"]
    assert [etree.QName(e).localname for e in empty_year] == ["VariableRef"]  # no value


def test_project_sets_use_target_guid_and_codebook_sets_use_guid() -> None:
    project = build_project()
    members = parse(project_xml(project)).findall("q:Sets/q:Set/q:MemberCode", P)
    assert [m.get("targetGUID") for m in members] == [g("code", "individual"), g("code", "grit")]
    members = parse(codebook_xml(project.codebook)).findall("q:Sets/q:Set/q:MemberCode", C)
    assert [m.get("guid") for m in members] == [g("code", "individual"), g("code", "grit")]


def test_control_characters_are_stripped_from_names_not_from_texts(tmp_path: Path) -> None:
    text = "bell\x07 and NUL\x00 stay\x0b in the text"
    source = RefiSource(g("s"), "na\x00me\x1b", text, description="de\x08sc\tok")
    project = RefiProject("pro\x01ject", sources=(source,))
    root = parse(project_xml(project))
    assert root.get("name") == "project"
    element = root.find("q:Sources/q:TextSource", P)
    assert element is not None
    assert element.get("name") == "name"
    assert element.findtext("q:Description", namespaces=P) == "desc\tok"
    with zipfile.ZipFile(write_qdpx(project, tmp_path / "p.qdpx")) as archive:
        assert archive.read(f"sources/{g('s')}.txt").decode("utf-8") == text


def test_xml_safe_keeps_what_xml_can_hold() -> None:
    assert xml_safe("a\tb\nc\rd é 😀 \ue000") == "a\tb\nc\rd é 😀 \ue000"
    assert xml_safe("\x00\x01\x1f\ufffe\uffff\ud800x") == "x"


# --- mistakes in the model are reported as E420 ------------------------------------------------


def test_selection_outside_the_text_is_an_internal_error() -> None:
    source = RefiSource(g("s"), "s", "short", selections=(RefiSelection(g("x"), 2, 6),))
    with pytest.raises(ResdiscourseError) as raised:
        project_xml(RefiProject("p", sources=(source,)))
    assert raised.value.problem.code == "E420"
    assert "[2, 6)" in raised.value.problem.message


def test_value_of_an_unknown_variable_is_an_internal_error() -> None:
    source = RefiSource(g("s"), "s", "t", values=((g("nope"), "1"),))
    with pytest.raises(ResdiscourseError) as raised:
        project_xml(RefiProject("p", sources=(source,)))
    assert raised.value.problem.code == "E420"


def test_value_that_does_not_fit_its_type_fails_validation() -> None:
    variable = RefiVariable(g("v"), "year", "Integer")
    source = RefiSource(g("s"), "s", "t", values=((variable.guid, "about 2019"),))
    with pytest.raises(ResdiscourseError) as raised:
        project_xml(RefiProject("p", variables=(variable,), sources=(source,)))
    assert raised.value.problem.code == "E420"
    assert "IntegerValue" in raised.value.problem.message


def test_bad_guid_fails_validation() -> None:
    with pytest.raises(ResdiscourseError) as raised:
        project_xml(RefiProject("p", users=(RefiUser("not-a-guid", "x"),)))
    assert raised.value.problem.code == "E420"


def test_duplicate_source_guids_are_an_internal_error() -> None:
    source = RefiSource(g("s"), "s", "t")
    with pytest.raises(ResdiscourseError):
        qdpx_bytes(RefiProject("p", sources=(source, source)))


def test_an_empty_codebook_cannot_be_a_qdc() -> None:
    with pytest.raises(ResdiscourseError) as raised:
        codebook_xml(RefiCodebook())
    assert raised.value.problem.code == "E420"


# --- the .qdpx zip -----------------------------------------------------------------------------


def test_qdpx_holds_the_project_and_the_exact_source_texts(tmp_path: Path) -> None:
    project = build_project()
    path = write_qdpx(project, tmp_path / "out" / "project.qdpx")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert set(names) == {
            "project.qde",
            *(f"sources/{source.guid}.txt" for source in project.sources),
        }
        assert validate_project_xml(archive.read("project.qde")) == []
        for source in project.sources:
            data = archive.read(f"sources/{source.guid}.txt")
            assert not data.startswith(b"\xef\xbb\xbf")  # no BOM
            assert data.decode("utf-8") == source.text
        text = archive.read(f"sources/{g('source', 'a')}.txt").decode("utf-8")
        assert b"\r\n" in archive.read(f"sources/{g('source', 'a')}.txt")
        for info in archive.infolist():
            assert info.date_time == ZIP_DATE
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.external_attr >> 16 == 0o100644
    # The selections point at the same characters in the stored text.
    root = parse(project_xml(project))
    selection = root.findall("q:Sources/q:TextSource/q:PlainTextSelection", P)[1]
    start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
    assert text[start:end] == "immigrés\r\nLa 𝔯ésilience"
    assert [p.name for p in path.parent.iterdir()] == ["project.qdpx"]  # no temporary left


def test_writing_twice_gives_identical_bytes(tmp_path: Path) -> None:
    first = write_qdpx(build_project(), tmp_path / "one.qdpx").read_bytes()
    codebook_first = write_qdc(build_codebook(), tmp_path / "one.qdc").read_bytes()
    time.sleep(2)  # zip dates have a 2-second resolution: a clock leak would show
    second = write_qdpx(build_project(), tmp_path / "two.qdpx").read_bytes()
    codebook_second = write_qdc(build_codebook(), tmp_path / "two.qdc").read_bytes()
    assert first == second
    assert codebook_first == codebook_second


# --- the .qdc codebook -------------------------------------------------------------------------


def test_codebook_validates_against_the_codebook_schema(tmp_path: Path) -> None:
    data = write_qdc(build_codebook(), tmp_path / "codebook.qdc").read_bytes()
    assert validate_codebook_xml(data) == []
    root = parse(data)
    assert root.tag == f"{{{CODEBOOK_NAMESPACE}}}CodeBook"
    assert root.get("origin") == "resdiscourse tests"
    names = [code.get("name") for code in root.iter(f"{{{CODEBOOK_NAMESPACE}}}Code")]
    assert names == ["locus", "individual", "collective", "grit", "tone ✓"]
    sets = root.findall("q:Sets/q:Set", C)
    assert [(s.get("name"), s.findtext("q:Description", namespaces=C)) for s in sets] == [
        ("all codable", "codes we apply"),
        ("empty set", None),
    ]


def test_codebook_origin_argument_wins() -> None:
    root = parse(codebook_xml(build_codebook(), origin="someone else"))
    assert root.get("origin") == "someone else"
    assert (
        parse(codebook_xml(RefiCodebook(codes=build_codebook().codes)))
        .get("origin", "")
        .startswith("resdiscourse ")
    )


def test_validators_report_errors() -> None:
    assert validate_project_xml(b"<Project") != []
    missing_name = f'<Project xmlns="{PROJECT_NAMESPACE}"/>'.encode()
    errors = validate_project_xml(missing_name)
    assert len(errors) == 1 and "name" in errors[0]
    # A codebook is not a project, nor the reverse.
    assert validate_project_xml(codebook_xml(build_codebook())) != []
    assert validate_codebook_xml(project_xml(build_project())) != []


# --- real files --------------------------------------------------------------------------------


def real(name: str) -> Path:
    path = REFI / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (the shared corpora are not beside the repository)")
    return path


def test_real_atlas_codebook_validates() -> None:
    assert validate_codebook_xml(real("atlasti-23.4-codebook.qdc").read_bytes()) == []


def test_real_bad_codebook_does_not_validate() -> None:
    errors = validate_codebook_xml(
        real("bad/atlasti-23.4-codebook-truncated-wrong-ns.qdc").read_bytes()
    )
    assert errors and "well-formed" in errors[0]


def test_real_codebook_in_the_old_namespace_does_not_validate() -> None:
    data = real("atlasti-23.4-codebook.qdc").read_bytes()
    old = data.replace(b'xmlns="urn:QDA-XML:codebook:1.0"', b'xmlns="urn:QDA-XML:codebook:0:4"')
    assert old != data
    assert validate_codebook_xml(old) != []


@pytest.mark.parametrize("name", ["nvivo15-mac-export.qdpx", "qc-1.3.2-demo-export.qdpx"])
def test_real_project_exports_validate(name: str) -> None:
    with zipfile.ZipFile(real(name)) as archive:
        assert validate_project_xml(archive.read("project.qde")) == []


# --- any text ---------------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
# Every code point, control characters and lone surrogates included, except in source texts:
# a lone surrogate cannot be stored as UTF-8, and our texts never hold one.
SOURCE_TEXT = st.text(st.characters(codec="utf-8"), max_size=60)


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(ANY_TEXT, min_size=6, max_size=6),
    descriptions=st.lists(ANY_TEXT, min_size=4, max_size=4),
    text=SOURCE_TEXT,
    value=ANY_TEXT,
    data=st.data(),
)
def test_any_names_and_texts_give_schema_valid_xml(
    names: list[str], descriptions: list[str], text: str, value: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    child = RefiCode(g("child"), names[1], descriptions[1])
    code = RefiCode(g("code"), names[0], descriptions[0], children=(child,))
    codebook = RefiCodebook((code,), (RefiSet(g("set"), names[2], descriptions[2], (child.guid,)),))
    variable = RefiVariable(g("var"), names[3], "Text", descriptions[3])
    selection = RefiSelection(
        g("sel"), start, end, names[4], codings=(RefiCoding(g("coding"), child.guid),)
    )
    source = RefiSource(
        g("src"), names[5], text, (selection,), ((variable.guid, value),), description=value
    )
    project = RefiProject(
        names[0],
        users=(RefiUser(g("u"), names[1]),),
        codebook=codebook,
        variables=(variable,),
        sources=(source,),
    )
    assert validate_project_xml(project_xml(project)) == []
    assert validate_codebook_xml(codebook_xml(codebook, origin=names[2])) == []
    root = parse(project_xml(project))
    assert root.get("name") == xml_safe(names[0])
    stored = root.find("q:Sources/q:TextSource/q:VariableValue/q:TextValue", P)
    assert stored is not None and (stored.text or "") == xml_safe(value)
    with zipfile.ZipFile(io.BytesIO(qdpx_bytes(project))) as archive:
        assert archive.read(f"sources/{g('src')}.txt").decode("utf-8") == text


def test_a_project_is_written_to_disk_one_source_at_a_time(tmp_path: Path) -> None:
    """Writing holds one source's encoded text at a time, not the texts and the zip."""
    import tracemalloc

    texts = [f"Source {n}: " + "resilience of newcomers " * 40_000 for n in range(20)]  # ~1 MB
    project = RefiProject(
        "big",
        sources=tuple(
            RefiSource(stable_guid("source", str(n)), f"doc{n}", text)
            for n, text in enumerate(texts)
        ),
    )
    tracemalloc.start()
    try:
        path = write_qdpx(project, tmp_path / "big.qdpx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * len(texts[0])  # the texts together are 20 times that
    assert path.read_bytes() == qdpx_bytes(project)
    with zipfile.ZipFile(path) as archive:
        assert archive.read(f"sources/{project.sources[3].guid}.txt") == texts[3].encode()
    assert [p.name for p in tmp_path.iterdir()] == ["big.qdpx"]  # no temporary file left
