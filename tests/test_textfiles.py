"""Plain-text files (.txt), and the dispatch of .md/.html files, to clean text."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resdiscourse.errors import ResdiscourseError
from resdiscourse.ingest.plaintext import normalise_chars
from resdiscourse.ingest.reader import read_document
from resdiscourse.ingest.textfiles import paged_text, read_plain_text, read_text_file
from resdiscourse.models import PageSpan

TXT = Path("doc.txt")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_paragraphs_lines_and_spaces() -> None:
    data = b"  Refugees have shown   \nremarkable resilience.\n\n\n\n\nNewcomers\tbuild it.  \n\n"
    result = read_plain_text(data, TXT)
    assert result.text == "Refugees have shown remarkable resilience.\n\nNewcomers build it."
    assert (result.engine, result.pages, result.problems) == ("text", 1, [])
    assert result.page_map.spans == (PageSpan(0, len(result.text), 1, "1"),)


def test_bom_and_crlf() -> None:
    data = codecs.BOM_UTF8 + b"First line\r\nsecond line\r\n\r\nSecond paragraph\r\n"
    assert read_plain_text(data, TXT).text == "First line second line\n\nSecond paragraph"


def test_cp1252_fallback_reads_french_accents() -> None:
    data = "Les réfugiés font preuve de résilience \u2013 « civique ».\n".encode("cp1252")
    assert (
        read_plain_text(data, TXT).text
        == "Les réfugiés font preuve de résilience \u2013 « civique »."
    )


def test_form_feeds_split_pages() -> None:
    result = read_plain_text(b"Page one\ntext\n\nmore\fPage two\f\fPage four\n\f\n", TXT)
    assert result.text == "Page one text\n\nmore\n\nPage two\n\nPage four"
    # The trailing form feed (as pdftotext writes) adds no page; the empty third page is kept.
    assert result.pages == 4
    assert result.page_map.spans == (
        PageSpan(0, 19, 1, "1"),
        PageSpan(21, 29, 2, "2"),
        PageSpan(29, 29, 3, "3"),
        PageSpan(31, 40, 4, "4"),
    )
    assert result.page_map.page_at(result.text.index("Page four")) == 4
    assert result.page_map.page_at(result.text.index("Page two")) == 2


def test_paged_text_with_empty_first_page() -> None:
    result = paged_text(["", "Body"], engine="text")
    assert result.text == "Body"
    assert result.page_map.spans == (PageSpan(0, 0, 1, "1"), PageSpan(0, 4, 2, "2"))
    assert result.page_map.page_at(0) == 2


def test_read_text_file_dispatches_on_suffix(tmp_path: Path) -> None:
    md = write(tmp_path / "a.MD", b"# Civic *resiliency*\n")
    html = write(tmp_path / "a.htm", b"<p>Toronto &amp; you</p>")
    txt = write(tmp_path / "a.txt", b"plain")
    assert (read_text_file(md).engine, read_text_file(md).text) == ("markdown", "Civic resiliency")
    assert (read_text_file(html).engine, read_text_file(html).text) == ("html", "Toronto & you")
    assert (read_text_file(txt).engine, read_text_file(txt).text) == ("text", "plain")


def test_empty_file_is_e101(tmp_path: Path) -> None:
    with pytest.raises(ResdiscourseError) as caught:
        read_text_file(write(tmp_path / "empty.txt", b""))
    assert caught.value.problem.code == "E101"


def test_other_suffix_is_e109(tmp_path: Path) -> None:
    with pytest.raises(ResdiscourseError) as caught:
        read_text_file(write(tmp_path / "notes.rst", b"text"))
    assert caught.value.problem.code == "E109"


def test_whitespace_only_file_warns_w109(tmp_path: Path) -> None:
    result = read_text_file(write(tmp_path / "blank.html", b"<html><script>x()</script></html>"))
    assert result.text == ""
    assert [p.code for p in result.problems] == ["W109"]
    assert result.status == "warning"


def test_undecodable_file_through_read_document_is_an_error_row(tmp_path: Path) -> None:
    result = read_document(write(tmp_path / "bad.txt", b"\x81\x8d\x8f\x90\x9d"))
    assert result.status == "error"
    assert [p.code for p in result.problems] == ["E111"]


_AWKWARD = " \t\n\r\f\u00a0\u2009\u202f\u3000\u200b\u00ad\ufeff\u2028\u2029\x85\x0b\x1c"
_TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
        st.sampled_from(_AWKWARD),
    ),
    min_size=1,
)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_any_text_keeps_its_words_in_order(text: str) -> None:
    result = read_plain_text(text.encode("utf-8"), TXT)
    assert "\n\n\n" not in result.text
    assert result.text == result.text.strip()
    # Words are whitespace-separated runs; normalising may only drop invisible characters from them.
    expected = [word for word in map(normalise_chars, text.split()) if word]
    assert result.text.split() == expected
    assert all(0 <= s.start <= s.end <= len(result.text) for s in result.page_map.spans)
    assert len(result.page_map.spans) == result.pages
