"""The REFI-QDA reader: real exports (qc, NVivo for Mac, ATLAS.ti), and malformed or hostile files
generated here (never shipped as binaries)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resdiscourse import safezip
from resdiscourse.errors import Problem, ResdiscourseError
from resdiscourse.export.refi_model import CODEBOOK_NAMESPACE, PROJECT_NAMESPACE
from resdiscourse.export.refi_read import RefiRead, read_qdc, read_qdpx

REFI = Path(__file__).resolve().parents[1].parent / "shared" / "corpora-real" / "refi-qda"
QC_USER = "39633935-3331-3962-6632-373436373264"


def need(name: str) -> Path:
    path = REFI / name
    if not path.exists():
        pytest.skip(f"needs {path} (the shared data folder beside the project)")
    return path


def codes_of(problems: list[Problem]) -> list[str]:
    return [found.code for found in problems]


def fails(path: Path, code: str, reader: str = "qdpx") -> ResdiscourseError:
    """Read ``path``, expecting a ResdiscourseError with ``code``; return it."""
    with pytest.raises(ResdiscourseError) as caught:
        if reader == "qdpx":
            read_qdpx(path)
        else:
            read_qdc(path)
    assert caught.value.problem.code == code, caught.value.problem.one_line()
    assert "\n" not in caught.value.problem.message
    return caught.value


# --------------------------------------------------------------------------------------------
# Builders


CODES = (
    '<Code guid="C1" name="alpha" isCodable="false"><Description>root</Description>'
    '<Code guid="C2" name="beta" isCodable="true" color="#FF0000"/></Code>'
)
TEXT = "Resilience is a shared task.\nImmigrants adapt."


def project_xml(
    sources: str = "", extra: str = "", namespace: str = PROJECT_NAMESPACE, head: str = ""
) -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{head}'
        f'<Project xmlns="{namespace}" name="t" origin="test">'
        '<Users><User guid="U1" name="ann"/><User guid="U2" name="bob"/></Users>'
        f"<CodeBook><Codes>{CODES}</Codes></CodeBook><Sources>{sources}</Sources>{extra}"
        "</Project>"
    )


def text_source(selections: str = "", text: str = TEXT, guid: str = "S1") -> str:
    return (
        f'<TextSource guid="{guid}" name="doc {guid}" plainTextPath="internal://{guid}.txt">'
        f"{selections}</TextSource>"
    ), text


def selection(guid: str, start: int, end: int, code: str = "C2", user: str = "U1") -> str:
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}" '
        f'creatingUser="{user}"><Coding guid="K{guid}" creatingUser="{user}">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
    )


def make_qdpx(tmp_path: Path, entries: dict[str, bytes | str], name: str = "p.qdpx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries.items():
            # A ZipInfo keeps unsafe names as given (writestr(str) would too, but be explicit).
            info = zipfile.ZipInfo(entry)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def one_source_qdpx(tmp_path: Path, selections: str = "", extra: str = "") -> Path:
    xml, text = text_source(selections)
    return make_qdpx(
        tmp_path, {"project.qde": project_xml(xml, extra), "sources/S1.txt": text.encode()}
    )


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Real exports


def test_qc_export_users_codes_sources_and_selections() -> None:
    read = read_qdpx(need("qc-1.3.2-demo-export.qdpx"))
    project = read.project
    assert read.problems == []
    assert (project.name, project.origin) == ("qc project", "qc 1.3.2")
    assert project.user_names() == {QC_USER: "cp"}
    assert len(project.codebook.all_codes()) == 262
    assert [code.name for code in project.codebook.codes] == [
        "rq1_definition",
        "rq2_curriculum_and_instruction",
        "rq3_process",
    ]
    # qc leaves out the source name: the text file name stands in for it.
    assert [(source.name, len(source.text)) for source in project.sources] == [
        ("board_2017.txt", 52543),
        ("admin-1.txt", 31906),
    ]
    assert project.sources[1].text.startswith(
        "Automation:         This call is now being recorded."
    )
    selections = [found for source in project.sources for found in source.selections]
    assert len(selections) == 158
    codings = [coding for found in selections for coding in found.codings]
    assert len(codings) == 205
    known = project.codebook.by_guid()
    assert all(coding.code_guid in known and coding.user_guid == QC_USER for coding in codings)


def test_qc_export_selection_offsets_slice_the_excerpts() -> None:
    project = read_qdpx(need("qc-1.3.2-demo-export.qdpx")).project
    board = project.sources[0]
    paths = project.codebook.paths()
    by_name = {found.name: found for found in board.selections}
    expected = {
        "line:6": (
            "This district goal is engage every student in joyful, purposeful learning that \n",
            "rq2_curriculum_and_instruction/pedagogy/fun",
        ),
        "line:23": (
            "that all students feel empowered by complex problem solving in computer \n",
            "rq1_definition/practices/computational_thinking",
        ),
        "line:840": (
            "similar equity issues [inaudible 00:54:11] access to that curriculum, which we \n",
            "rq1_definition/rationales/equity",
        ),
    }
    for name, (excerpt, code_path) in expected.items():
        found = by_name[name]
        assert board.text[found.start : found.end] == excerpt
        assert [paths[coding.code_guid] for coding in found.codings] == [code_path]
    assert (by_name["line:6"].start, by_name["line:6"].end) == (320, 400)


def test_nvivo_export_users_nested_codes_and_empty_sources() -> None:
    read = read_qdpx(need("nvivo15-mac-export.qdpx"))
    project = read.project
    assert project.origin == "NVivo for Mac 15.0.0"
    assert project.user_names() == {
        "1b0b1791-be46-4557-9957-7333544cfaf2": "chrisp",
        QC_USER: "cp",
    }
    assert project.creating_user == "1b0b1791-be46-4557-9957-7333544cfaf2"
    assert len(project.codebook.all_codes()) == 262
    paths = set(project.codebook.paths().values())
    assert "rq1_definition/competencies/programming" in paths
    assert "rq2_curriculum_and_instruction/pedagogy/tools/programming_languages/python" in paths
    # The same project as the qc export, so the codebooks agree code for code.
    qc = read_qdpx(need("qc-1.3.2-demo-export.qdpx")).project
    assert project.codebook.paths() == qc.codebook.paths()
    # NVivo wrote a 1-byte .txt and a .docx per source; both docx hold one empty paragraph, so
    # there is no text to take from them: the plain text is kept and each source gets a W404.
    assert len(project.sources) == 2
    assert all(source.text == "\n" and not source.selections for source in project.sources)
    assert codes_of(read.problems) == ["W404", "W404"]
    assert all(".docx has no text either" in found.message for found in read.problems)


def test_atlasti_codebook() -> None:
    codebook, problems = read_qdc(need("atlasti-23.4-codebook.qdc"))
    assert problems == []
    assert codebook.origin == "ATLAS.ti Win 23.4.0"
    (code,) = codebook.codes
    assert (code.guid, code.name, code.description, code.color, code.is_codable) == (
        "1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294",
        "code1",
        "description",
        "#46AA00",
        True,
    )
    (group,) = codebook.sets
    assert (group.name, group.description, group.member_codes) == (
        "code group 1",
        "kategorie 1",
        ("1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294",),
    )


def test_truncated_atlasti_codebook_is_a_clean_e401() -> None:
    error = fails(need("bad/atlasti-23.4-codebook-truncated-wrong-ns.qdc"), "E401", "qdc")
    assert "not well-formed XML" in error.problem.message
    assert "line 17" in error.problem.message
    assert error.problem.location.line == 17


def test_codebook_in_the_wrong_namespace_names_both(tmp_path: Path) -> None:
    path = tmp_path / "old.qdc"
    path.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:0:4"><Codes/></CodeBook>')
    error = fails(path, "E401", "qdc")
    assert "'urn:QDA-XML:codebook:0:4'" in error.problem.message
    assert repr(CODEBOOK_NAMESPACE) in error.problem.message


def test_a_project_given_as_codebook_and_back(tmp_path: Path) -> None:
    qde = tmp_path / "p.qdc"
    qde.write_text(project_xml())
    assert "project" in fails(qde, "E401", "qdc").problem.hint
    qdc = tmp_path / "c.qde"
    qdc.write_text(f'<CodeBook xmlns="{CODEBOOK_NAMESPACE}"><Codes/></CodeBook>')
    assert "codebook" in fails(qdc, "E401").problem.hint


# --------------------------------------------------------------------------------------------
# Malformed and hostile files


def test_missing_file_and_folder(tmp_path: Path) -> None:
    fails(tmp_path / "none.qdpx", "E100")
    fails(tmp_path, "E401")


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "p.qdpx"
    path.write_text("this is not a zip")
    error = fails(path, "E401")
    assert "not a readable zip" in error.problem.message
    assert "a .qdpx project is a zip holding project.qde" in error.problem.hint


def test_zip_without_project_qde(tmp_path: Path) -> None:
    path = make_qdpx(tmp_path, {"sources/a.txt": "x"})
    assert "no project.qde" in fails(path, "E401").problem.message


def test_project_qde_not_well_formed_gives_line_and_column(tmp_path: Path) -> None:
    path = make_qdpx(
        tmp_path, {"project.qde": '<Project xmlns="urn:QDA-XML:project:1.0">\n  <Users'}
    )
    found = fails(path, "E401").problem
    assert "project.qde is not well-formed XML" in found.message
    assert "line 2, column" in found.message
    assert found.location.line == 2


def test_project_in_the_wrong_namespace(tmp_path: Path) -> None:
    path = make_qdpx(tmp_path, {"project.qde": project_xml(namespace="urn:QDA-XML:project:0.9")})
    message = fails(path, "E401").problem.message
    assert "'urn:QDA-XML:project:0.9'" in message and repr(PROJECT_NAMESPACE) in message


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    f'<Project xmlns="{PROJECT_NAMESPACE}" name="&lol3;"/>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<Project xmlns="{PROJECT_NAMESPACE}" name="&xxe;"/>'
)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_entities_and_dtds_are_refused(tmp_path: Path, xml: str) -> None:
    assert "DTD" in fails(make_qdpx(tmp_path, {"project.qde": xml}), "E403").problem.message
    qdc = tmp_path / "c.qdc"
    qdc.write_text(xml)
    fails(qdc, "E403", "qdc")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.txt", "zip slip"),
        ("sources/../../evil.txt", "zip slip"),
        ("/etc/x", "absolute"),
        ("\\windows\\x", "absolute"),
        ("C:/x.txt", "drive letter"),
    ],
)
def test_unsafe_entry_names_refuse_the_archive(tmp_path: Path, name: str, reason: str) -> None:
    path = make_qdpx(tmp_path, {"project.qde": project_xml(), name: "x"})
    assert reason in fails(path, "E402").problem.message


def test_entry_larger_than_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = one_source_qdpx(tmp_path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("sources/big.txt", "x" * 50_000)
    monkeypatch.setattr(safezip, "MAX_ENTRY_BYTES", 10_000)
    read_qdpx(path)  # big.txt is never read: only what the project points to counts
    xml, _ = text_source()
    path = make_qdpx(
        tmp_path, {"project.qde": project_xml(xml), "sources/S1.txt": "y" * 50_000}, "big.qdpx"
    )
    # Refused on the size its headers declare, before anything is inflated.
    assert "declares more than 10000 B" in fails(path, "E402").problem.message


def test_lying_header_cannot_hide_the_real_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit is enforced on decompressed bytes: shrink the size the headers claim."""
    xml, _ = text_source()
    path = make_qdpx(tmp_path, {"project.qde": project_xml(xml), "sources/S1.txt": "z" * 50_000})
    data = bytearray(path.read_bytes())
    real = (50_000).to_bytes(4, "little")
    assert data.count(real) == 2  # local header and central directory
    path.write_bytes(bytes(data).replace(real, (100).to_bytes(4, "little")))
    monkeypatch.setattr(safezip, "MAX_ENTRY_BYTES", 1_000)
    # zipfile stops at the claimed size and then finds a bad CRC: still a coded error.
    error = fails(path, "E401")
    assert "cannot read entry 'sources/S1.txt'" in error.problem.message
    assert error.problem.hint == "the archive is damaged or encrypted: export it again"


def test_compression_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    xml, _ = text_source()
    path = make_qdpx(tmp_path, {"project.qde": project_xml(xml), "sources/S1.txt": "\0" * 500_000})
    monkeypatch.setattr(safezip, "RATIO_FLOOR", 100_000)
    assert "expands more than" in fails(path, "E402").problem.message


def test_total_and_entry_count_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = one_source_qdpx(tmp_path)
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(5):
            archive.writestr(f"sources/extra{number}.txt", "x")
    monkeypatch.setattr(safezip, "MAX_ENTRIES", 4)
    assert "entries (limit 4)" in fails(path, "E402").problem.message
    monkeypatch.setattr(safezip, "MAX_ENTRIES", 100)
    # project.qde fits, and the source text read after it overflows the total.
    xml, _ = text_source()
    limit = len(project_xml(xml).encode()) + 10
    monkeypatch.setattr(safezip, "MAX_TOTAL_BYTES", limit)
    assert f"decompresses to more than {limit} B" in fails(path, "E402").problem.message
    monkeypatch.setattr(safezip, "MAX_ARCHIVE_BYTES", 100)
    assert "is larger than 100 bytes" in fails(path, "E402").problem.message


def test_hostile_docx_inside_is_refused(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr(zipfile.ZipInfo("../word/document.xml"), "x")
    source = (
        '<TextSource guid="S1" name="d" plainTextPath="internal://S1.txt" '
        'richTextPath="internal://S1.docx"/>'
    )
    path = make_qdpx(
        tmp_path,
        {"project.qde": project_xml(source), "sources/S1.txt": " ", "sources/S1.docx": b""},
    )
    assert codes_of(read_qdpx(path).problems) == ["W404"]  # an empty docx: only a warning
    path = make_qdpx(
        tmp_path,
        {
            "project.qde": project_xml(source),
            "sources/S1.txt": " ",
            "sources/S1.docx": inner.getvalue(),
        },
        "hostile.qdpx",
    )
    fails(path, "E402")


# --------------------------------------------------------------------------------------------
# Content


def test_selections_outside_the_text_are_dropped_others_kept(tmp_path: Path) -> None:
    selections = (
        selection("A", 0, 10)
        + selection("B", 40, 999)
        + selection("C", -1, 3)
        + selection("D", 8, 5)
        + selection("E", 11, 13, code="NOPE")
        + selection("F", 0, len(TEXT), code="C1")
    )
    read = read_qdpx(one_source_qdpx(tmp_path, selections))
    (source,) = read.project.sources
    assert [found.guid for found in source.selections] == ["A", "E", "F"]
    assert source.text[0:10] == "Resilience"
    assert source.selections[1].codings == ()  # its coding pointed to no code
    assert source.selections[0].codings[0].user_guid == "U1"
    messages = [found.message for found in read.problems if found.code == "W402"]
    assert len(messages) == 3
    assert any("2 selection(s) ignored: outside the text of 46 characters" in m for m in messages)
    assert any("1 selection(s) ignored: it starts after it ends" in m for m in messages)
    assert any("1 coding(s) ignored: its code is not in the codebook" in m for m in messages)


def test_codebook_users_variables_and_values(tmp_path: Path) -> None:
    extra = '<Sets><Set guid="G1" name="group"><MemberCode targetGUID="C2"/></Set></Sets>'
    xml = project_xml(
        '<TextSource guid="S1" name="inline" creatingUser="U2"><Description>about</Description>'
        "<PlainTextContent>Inline text.</PlainTextContent>"
        '<VariableValue><VariableRef targetGUID="V1"/><IntegerValue>2019</IntegerValue>'
        "</VariableValue></TextSource>",
        extra,
    ).replace(
        "<Sources>",
        '<Variables><Variable guid="V1" name="year" typeOfVariable="Integer"/></Variables>'
        "<Sources>",
    )
    read = read_qdpx(make_qdpx(tmp_path, {"project.qde": xml}))
    project = read.project
    assert read.problems == []
    (alpha,) = project.codebook.codes
    assert (alpha.name, alpha.description, alpha.is_codable) == ("alpha", "root", False)
    assert (alpha.children[0].name, alpha.children[0].color) == ("beta", "#FF0000")
    assert project.codebook.sets[0].member_codes == ("C2",)
    assert project.user_names() == {"U1": "ann", "U2": "bob"}
    assert [(v.guid, v.name, v.type) for v in project.variables] == [("V1", "year", "Integer")]
    (source,) = project.sources
    assert (source.text, source.values, source.user_guid, source.description) == (
        "Inline text.",
        (("V1", "2019"),),
        "U2",
        "about",
    )


def test_unread_parts_are_counted_in_w401(tmp_path: Path) -> None:
    sources = (
        '<PDFSource guid="P1" name="a.pdf" path="internal://P1.pdf"/>'
        '<PDFSource guid="P2" name="b.pdf" path="internal://P2.pdf"/>'
        '<PictureSource guid="I1" path="internal://I1.png"/>'
        '<PDFSource guid="P3" name="c.pdf" path="internal://P3.pdf">'
        '<PDFSelection guid="X" page="1" firstX="0" firstY="0" secondX="1" secondY="1"/>'
        '<Representation guid="R3"><PlainTextContent>PDF words</PlainTextContent>'
        f"{selection('Q', 0, 3)}</Representation></PDFSource>"
    )
    extra = (
        '<Notes><Note guid="N1" name="memo"/><Note guid="N2"/></Notes>'
        '<Cases><Case guid="K1"/></Cases>'
    )
    read = read_qdpx(make_qdpx(tmp_path, {"project.qde": project_xml(sources, extra)}))
    (pdf,) = read.project.sources  # the PDF with a text representation is kept as text
    assert (pdf.guid, pdf.name, pdf.text) == ("P3", "c.pdf", "PDF words")
    assert pdf.text[pdf.selections[0].start : pdf.selections[0].end] == "PDF"
    messages = sorted(found.message for found in read.problems if found.code == "W401")
    assert messages == [
        "1 Case(s) not carried over",
        "1 PDFSelection(s) (areas of PDF pages) not carried over",
        "1 PictureSource(s) not carried over",
        "2 Note(s) not carried over",
        "2 PDFSource(s) without a text representation not carried over",
    ]


def test_docx_rich_text_when_the_plain_text_is_empty(tmp_path: Path) -> None:
    source = (
        '<TextSource guid="S1" name="rich" plainTextPath="internal://S1.txt" '
        'richTextPath="internal://S1.docx">' + selection("A", 0, 5) + "</TextSource>"
    )
    path = make_qdpx(
        tmp_path,
        {
            "project.qde": project_xml(source),
            "sources/S1.txt": "\n",
            "sources/S1.docx": docx_bytes("First paragraph.", "Second one."),
        },
    )
    read = read_qdpx(path)
    (found,) = read.project.sources
    assert found.text == "First paragraph.\nSecond one."
    assert found.text[0:5] == "First"
    assert codes_of(read.problems) == ["W403"]


def test_bom_is_dropped_and_bad_utf8_replaced(tmp_path: Path) -> None:
    xml, _ = text_source(selection("A", 0, 4))
    path = make_qdpx(
        tmp_path, {"project.qde": project_xml(xml), "sources/S1.txt": b"\xef\xbb\xbfWord here"}
    )
    read = read_qdpx(path)
    source = read.project.sources[0]
    assert source.text == "Word here" and read.problems == []
    path = make_qdpx(
        tmp_path, {"project.qde": project_xml(xml), "sources/S1.txt": b"caf\xe9 ok"}, "bad.qdpx"
    )
    read = read_qdpx(path)
    assert read.project.sources[0].text == "café ok"  # read as cp1252: offsets survive
    assert codes_of(read.problems) == ["W405"]


def test_text_that_is_not_utf8_keeps_one_character_per_byte(tmp_path: Path) -> None:
    # A UTF-8 "replace" decoding made 25 characters of these 27 bytes (some runs of bad bytes
    # become one U+FFFD), shifting every later offset.
    original = "The café’s résumé… and more"
    data = original.encode("cp1252")
    xml, _ = text_source(selection("A", 23, 27))
    path = make_qdpx(tmp_path, {"project.qde": project_xml(xml), "sources/S1.txt": data})
    read = read_qdpx(path)
    (source,) = read.project.sources
    assert len(source.text) == len(data) == 27
    assert source.text == original
    assert source.text[23:27] == "more" and [s.guid for s in source.selections] == ["A"]
    assert codes_of(read.problems) == ["W405"]
    assert (
        "cp1252" in read.problems[0].message
        and "one character per byte" in read.problems[0].message
    )
    # The 5 bytes cp1252 leaves undefined are one U+FFFD each.
    path = make_qdpx(
        tmp_path,
        {"project.qde": project_xml(xml), "sources/S1.txt": b"\x81\x8d\x8f\x90\x9d ok"},
        "undefined.qdpx",
    )
    assert read_qdpx(path).project.sources[0].text == "\ufffd" * 5 + " ok"


def _inline_source(content: str, selections: str) -> str:
    return (
        f'<TextSource guid="S1" name="inline"><PlainTextContent>{content}</PlainTextContent>'
        f"{selections}</TextSource>"
    )


def test_inline_text_with_normalised_line_breaks_warns_w407(tmp_path: Path) -> None:
    # The exporter counted "Line 2" from 8 (with the CR); XML parsing leaves "\n" only, so it
    # now starts at 7.
    xml = project_xml(_inline_source("Line 1\r\nLine 2", selection("A", 8, 14)))
    path = make_qdpx(tmp_path, {"project.qde": xml.encode()})
    read = read_qdpx(path)
    (source,) = read.project.sources
    assert source.text == "Line 1\nLine 2"
    assert "W407" in codes_of(read.problems)
    (warning,) = [found for found in read.problems if found.code == "W407"]
    assert "1 line break(s)" in warning.message and "counted CR characters" in warning.message
    # No selection: nothing to shift.
    xml = project_xml(_inline_source("Line 1\r\nLine 2", ""))
    path = make_qdpx(tmp_path, {"project.qde": xml.encode()}, "unselected.qdpx")
    assert "W407" not in codes_of(read_qdpx(path).problems)
    # No CR byte in the file: nothing was normalised (a CR written &#13; is kept, offsets too).
    for content in ["Line 1\nLine 2", "Line 1&#13;\nLine 2"]:
        xml = project_xml(_inline_source(content, selection("A", 0, 4)))
        path = make_qdpx(tmp_path, {"project.qde": xml.encode()}, "lf.qdpx")
        read = read_qdpx(path)
        assert "W407" not in codes_of(read.problems), content
    assert read.project.sources[0].text == "Line 1\r\nLine 2"


def test_missing_text_file_and_unknown_user(tmp_path: Path) -> None:
    xml, _ = text_source(selection("A", 0, 0, user="U9"))
    read = read_qdpx(make_qdpx(tmp_path, {"project.qde": project_xml(xml)}))
    assert read.project.sources[0].text == ""
    assert codes_of(read.problems) == ["W404", "W406"]
    assert "sources/S1.txt is not in the archive" in read.problems[0].message
    assert "U9" in read.problems[1].message


def test_bare_qde_with_sources_beside_it(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "S1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    sources = (
        text_source(selection("A", 0, 10))[0]
        + '<TextSource guid="S2" name="rel" plainTextPath="relative://sources/S1.txt"/>'
        + '<TextSource guid="S3" name="esc" plainTextPath="internal://../outside.txt"/>'
    )
    (tmp_path / "p.qde").write_text(project_xml(sources), encoding="utf-8")
    read = read_qdpx(tmp_path / "p.qde")
    texts = [source.text for source in read.project.sources]
    assert texts == [TEXT, TEXT, ""]  # "..": never read outside sources/
    assert codes_of(read.problems) == ["W404"]


def _external_sources(secret: Path) -> str:
    """Sources pointing at ``secret`` (outside the project folder) in every way, and one legit
    relative:// file beside the project."""
    refs = {
        "base": "relative://" + str(secret).lstrip("/"),  # under basePath="/"
        "absolute": f"absolute://{secret}",
        "file": f"file://{secret}",
        "dotdot": "relative://../secret/secret.txt",
        "link": "relative://link.txt",  # a symlink beside the project, to the secret
        "legit": "relative://texts/beside.txt",
    }
    return "".join(
        f'<TextSource guid="{name}" name="{name}" plainTextPath="{ref}">'
        + (selection("A", 0, 6) if name == "legit" else "")
        + "</TextSource>"
        for name, ref in refs.items()
    )


@pytest.mark.parametrize("kind", ["qde", "qdpx"])
def test_files_outside_the_project_folder_are_never_read(tmp_path: Path, kind: str) -> None:
    secret = tmp_path / "secret" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("SECRET", encoding="utf-8")
    folder = tmp_path / "project"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "beside.txt").write_text("Beside the project.", encoding="utf-8")
    (folder / "link.txt").symlink_to(secret)
    xml = project_xml(_external_sources(secret)).replace('name="t"', 'basePath="/" name="t"', 1)
    if kind == "qde":
        path = folder / "p.qde"
        path.write_text(xml, encoding="utf-8")
    else:
        path = make_qdpx(folder, {"project.qde": xml})
    read = read_qdpx(path)
    texts = {source.name: source.text for source in read.project.sources}
    assert texts == {
        "base": "",
        "absolute": "",
        "file": "",
        "dotdot": "",
        "link": "",
        "legit": "Beside the project.",
    }
    assert read.project.sources[-1].selections[0].guid == "A"
    assert codes_of(read.problems) == ["W404"] * 5
    why = {found.message.split("'")[1]: found.message for found in read.problems}
    assert "basePath '/' is ignored for safety" in why["base"]
    for name in ["absolute", "file"]:
        assert "was not read: absolute paths are not followed" in why[name]
        assert "put the text inside the .qdpx" in why[name]
    assert "leads outside" in why["dotdot"] and "leads outside" in why["link"]
    assert all("SECRET" not in found.message for found in read.problems)


def test_deeply_nested_codes_are_refused(tmp_path: Path) -> None:
    codes = '<Code guid="x" name="x" isCodable="true">' * 150 + "</Code>" * 150
    path = tmp_path / "deep.qdc"
    path.write_text(f'<CodeBook xmlns="{CODEBOOK_NAMESPACE}"><Codes>{codes}</Codes></CodeBook>')
    assert "nested more than" in fails(path, "E401", "qdc").problem.message


# --------------------------------------------------------------------------------------------
# Fuzzing: nothing but ResdiscourseError, and never the internal-error code


def _read_any(path: Path, reader: str) -> RefiRead | None:
    try:
        if reader == "qdc":
            read_qdc(path)
            return None
        return read_qdpx(path)
    except ResdiscourseError as error:
        assert error.problem.code != "E113", error.problem.one_line()
        return None


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=3000).map(lambda tail: b"PK\x03\x04" + tail),
        st.binary(max_size=3000).map(lambda tail: b'<?xml version="1.0"?>' + tail),
    ),
    suffix=st.sampled_from([".qdpx", ".qdc", ".qde"]),
)
def test_random_bytes_only_raise_coded_errors(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    _read_any(path, "qdc" if suffix == ".qdc" else "qdpx")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8))
def test_damaged_archives_only_raise_coded_errors(
    tmp_path: Path, changes: list[tuple[int, int]]
) -> None:
    xml, text = text_source(selection("A", 0, 10))
    path = make_qdpx(tmp_path, {"project.qde": project_xml(xml), "sources/S1.txt": text})
    data = bytearray(path.read_bytes())
    for index, value in changes:
        data[index % len(data)] = value
    path.write_bytes(bytes(data))
    _read_any(path, "qdpx")


# --------------------------------------------------------------------------------------------
# Bounded memory


def big_project_qdpx(path: Path, sources: int, selections: int) -> Path:
    """A project of ``sources`` sources with ``selections`` coded selections each, its XML
    streamed into the archive (nothing big is built in memory here)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("project.qde", "w") as xml:
            head, tail = project_xml("@").split("@")
            xml.write(head.encode())
            for number in range(sources):
                source, _ = text_source(guid=f"S{number}")
                opening, closing = source.split("</TextSource>")[0], "</TextSource>"
                xml.write(opening.encode())
                for k in range(selections):
                    xml.write(selection(f"{number}-{k}", k % 40, k % 40 + 5).encode())
                xml.write(closing.encode())
            xml.write(tail.encode())
        for number in range(sources):
            archive.writestr(f"sources/S{number}.txt", TEXT)
    return path


def test_project_xml_is_parsed_as_it_streams(tmp_path: Path) -> None:
    """What reading needs beyond the project it returns is a small part of the XML's size: the
    XML is never held whole, as bytes or as a tree (it was: 4x its size beside the project)."""
    import tracemalloc

    path = big_project_qdpx(tmp_path / "big.qdpx", sources=60, selections=300)
    xml_size = zipfile.ZipFile(path).getinfo("project.qde").file_size
    assert xml_size > 3_000_000 > 10 * path.stat().st_size
    tracemalloc.start()
    try:
        read = read_qdpx(path)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(read.project.sources) == 60
    assert sum(len(s.selections) for s in read.project.sources) == 60 * 300
    assert peak - kept < xml_size // 4, (peak, kept, xml_size)


def test_a_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    import tracemalloc

    xml, _ = text_source()
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml(xml))
        with archive.open("sources/S1.txt", "w") as member:
            zeros = b"\0" * (1 << 20)
            for _ in range(48):  # 48 MiB under the per-entry limit, about 1000:1
                member.write(zeros)
    assert path.stat().st_size < 100_000
    tracemalloc.start()
    try:
        error = fails(path, "E402")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "expands more than" in error.problem.message
    assert peak < 2_000_000  # nothing near the 48 MiB was produced
