"""Lines → paragraphs: address joins at line ends, contents entries, bullet glyphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from resdiscourse.ingest.engines import ENGINES
from resdiscourse.ingest.layout import Line, Region, Word
from resdiscourse.ingest.paragraphs import _address_continues, _mailbox_continues, assemble
from resdiscourse.ingest.reader import read_document


def _line(text: str, top: float, x0: float = 60.0, size: float = 10.0) -> Line:
    words, x = [], x0
    for token in text.split():
        words.append(Word(token, x, x + 5 * len(token), top, top + size, size))
        x += 5 * len(token) + 3
    return Line(words)


def _text(*texts: str) -> str:
    lines = [_line(t, 100 + 12 * i) for i, t in enumerate(texts)]
    return assemble([[Region(lines, 60, 60 + 5 * 60, new_band=True)]]).text


@pytest.mark.parametrize(
    ("last", "first", "joined"),
    [
        ("https://doi.org/10.1093/bjs", "w/bcab057", True),
        ("https://doi.org/", "10.1093/bjsw/bcab057", True),
        ("newcomer-services@ontari", "o.ca", True),
        ("policy.office@", "ontario.ca", True),
        ("https://www.toronto.ca/city-", "government", True),
        ("https://www.toronto.ca/report.html", "for", False),
        ("https://www.toronto.ca/report.", "The", False),
        ("Toronto.", "The", False),
        ("resilience", "w/bcab057", False),
        ("http", "s://example.org/docs", True),  # broken inside the scheme
        ("the", "https://example.org/docs", False),
        ("oronto.ca/city-", "government/fr/plan.html", True),  # the second line of an address
        ("and/or", "e.g.", False),
        ("www", ".toronto.ca/data", True),  # broken inside the address's start
        ("j.smith", "@example.gc.ca", True),
        ("to", "policy.office@ontario.ca", False),
        ("office", "@ the clerk", False),
    ],
)
def test_address_broken_at_a_line_end(last: str, first: str, joined: bool) -> None:
    assert _address_continues(last, first) is joined


def test_url_joined_without_a_space_and_compound_keeps_its_hyphen() -> None:
    text = _text(
        "the way the city shares its decision-",
        "making with newcomers is set out at https://doi.org/10.1093/bjs",
        "w/bcab057 and in the annual report of the newcomer office of the city",
    )
    assert "decision-making" in text
    assert "https://doi.org/10.1093/bjsw/bcab057 and" in text


def test_address_over_three_lines_keeps_the_hyphen_of_its_middle_line() -> None:
    # The middle line holds nothing but a piece of the address, with no scheme of its own: the
    # hyphen at its end is the address's, not a word broken at the line end.
    text = _text(
        "the full text is at https://www.ontario.ca/data/city-go",
        "vernment/en/consideration-",
        "which.html for anyone who asks about the plan and its budget for this year",
    )
    assert "https://www.ontario.ca/data/city-government/en/consideration-which.html for" in text


def test_each_contents_entry_is_its_own_paragraph() -> None:
    text = _text(
        "What this chapter is about ............................ 3",
        "Definitions ........................................... 4",
        "Procedure ............................................. 12",
    )
    assert text.split("\n\n") == [
        "What this chapter is about ............................ 3",
        "Definitions ........................................... 4",
        "Procedure ............................................. 12",
    ]


@pytest.mark.parametrize("glyph", ["\uf0b7", "(cid:127)", "\u2022", "\uf0a7"])
def test_bullet_glyphs_become_a_bullet_that_opens_a_list_item(glyph: str) -> None:
    text = _text(
        "Services for newcomers include the following ones.",
        f"{glyph} language training",
        f"{glyph} settlement help",
    )
    assert text.split("\n\n") == [
        "Services for newcomers include the following ones.",
        "\u2022 language training",
        "\u2022 settlement help",
    ]


def _blocks(lines: list[Line], table_rows: list[Line] | None = None) -> dict[str, list[str]]:
    regions = [Region(lines, 60, 60 + 5 * 60, new_band=True)]
    if table_rows:
        regions.append(Region(table_rows, 60, 360, new_band=True, table=True))
    page = assemble([regions])
    found: dict[str, list[str]] = {}
    for start, end, kind in page.blocks:
        found.setdefault(kind, []).append(page.text[start:end])
    return found


def test_blocks_from_type_size_bullets_and_leaders() -> None:
    body = "Newcomers to the city found housing with the help of settlement agencies."
    lines = [
        _line("Contents", 80, size=14.0),
        _line("Introduction .......... 3", 100),
        _line("Housing and work .......... 7", 112),
        _line("1 Housing", 140, size=14.0),
        _line(body, 160),
        _line("The agencies listed:", 172),
        _line("• rent supplements for two years;", 184),
        _line("• a worker who speaks the family's", 196),
        _line("language.", 208),
        _line("Then the text goes on.", 224),
    ]
    found = _blocks(lines)
    assert found["heading"] == ["Contents", "1 Housing"]
    assert found["toc"] == ["Introduction .......... 3\n\nHousing and work .......... 7"]
    assert found["list_item"] == [
        "• rent supplements for two years;",
        "• a worker who speaks the family's language.",
    ]
    assert set(found) == {"heading", "toc", "list_item"}


def test_an_index_and_a_table_are_blocks() -> None:
    entries = ["asylum seekers, 4, 18", "housing, 7–9", "refugees, 3, 12, 40", "resilience, 22"]
    lines = [_line("The index follows.", 80)] + [
        _line(entry, 100 + 12 * i) for i, entry in enumerate(entries)
    ]
    rows = [_line("Year | Arrivals", 200), _line("2019 | 341,000", 212)]
    found = _blocks(lines, rows)
    assert found["index"] == [" ".join(entries)]
    assert found["table"] == ["Year | Arrivals\n2019 | 341,000"]


def test_running_text_has_no_blocks() -> None:
    lines = [
        _line("The council met in May, and the motion to fund the", 100),
        _line("shelter passed on a vote of 12, with one against.", 112),
    ]
    assert _blocks(lines) == {}


def test_a_short_line_ends_its_paragraph_without_a_full_stop() -> None:
    # The region is 300 pt wide, a character 5 pt: a line of 60 characters fills it.
    full = "The council heard from residents and settlement agencies on"
    assert _text("They were obliged to submit to it for", "Because the treaties") == (
        "They were obliged to submit to it for\n\nBecause the treaties"
    )
    assert _text(full, "Tuesday and Wednesday.") == f"{full} Tuesday and Wednesday."


@pytest.mark.parametrize(
    ("last", "first", "joined"),
    [
        ("poli", "cy.office@toronto.ca", True),
        ("policy.offic", "e@example.gc.ca", True),
        ("newcomer-service", "s@example.gc.ca", True),
        ("newcomer-s", "ervices@example.gc.ca", True),  # fuzzed seed 782: "s" is a piece here
        ("plan-b", "j.smith@example.gc.ca", False),
        ("to", "j.smith@example.gc.ca", False),
        ("contact", "info@city.ca", False),
    ],
)
def test_mailbox_broken_at_a_line_end(last: str, first: str, joined: bool) -> None:
    assert _mailbox_continues(last, first, "en") is joined


def test_an_address_over_three_lines_keeps_its_hyphens() -> None:
    text = _text(
        "the data are at https://www.toronto.ca/",
        "data/reports/city-",
        "government/it-becomes-useful for anyone who asks the office of the clerk",
    )
    assert "https://www.toronto.ca/data/reports/city-government/it-becomes-useful for" in text


def test_a_word_broken_above_a_gap_goes_on_below_it() -> None:
    lines = [
        _line("the people of the several states were promised an exempt-", 100),
        _line("ion from the imperfections of the old system of government", 150),
    ]
    text = assemble([[Region(lines, 60, 60 + 5 * 60, new_band=True)]]).text
    assert text == (
        "the people of the several states were promised an exemption from the imperfections"
        " of the old system of government"
    )


def test_a_capitalised_line_after_a_gap_still_opens_a_paragraph() -> None:
    lines = [
        _line("the people of the several states were promised an exempt-", 100),
        _line("Ion Street is where the office of the clerk stands today", 150),
    ]
    text = assemble([[Region(lines, 60, 60 + 5 * 60, new_band=True)]]).text
    assert "\n\n" in text


def _bold_line(text: str, top: float) -> Line:
    line = _line(text, top)
    for word in line.words:
        word.bold = True
    return line


def test_a_short_bold_paragraph_in_body_type_is_a_heading() -> None:
    lines = [
        _bold_line("Helpful links and resources", 80),
        _line("All of the source code for the portal is available from the", 100),
        _line("registry, with its documentation and the licence it is under.", 112),
        _bold_line("2.1 Scope", 132),
        _line("The guide applies to every department named in the schedule.", 152),
    ]
    assert _blocks(lines) == {"heading": ["Helpful links and resources", "2.1 Scope"]}


@pytest.mark.parametrize(
    "text",
    [
        "Officers must not detain a minor child unless no other way is open to them.",
        "1.",  # a section number set apart from its title
        "funding for Open",  # a bold piece of a diagram
    ],
)
def test_bold_text_that_does_not_read_as_a_heading_is_not_one(text: str) -> None:
    lines = [
        _line("The council heard from residents and settlement agencies on", 80),
        _line("Tuesday.", 92),
        _bold_line(text, 112),
        _line("Then the text goes on with its account of the meeting.", 132),
    ]
    assert "heading" not in _blocks(lines)


def test_bold_marks_no_heading_where_the_body_is_bold() -> None:
    lines = [
        _bold_line("Helpful links and resources", 80),
        _bold_line("All of the source code for the portal is available from the", 100),
        _bold_line("registry, with its documentation and the licence it is under.", 112),
    ]
    assert _blocks(lines) == {}


def _headings_pdf(path: Path) -> Path:
    """A bold heading in body type, a larger one, and a sentence set in bold for emphasis."""
    from reportlab.pdfgen import canvas

    body = [
        (14, "Helvetica", 11, "Newcomers to the city found housing with the help of settlement"),
        (14, "Helvetica", 11, "agencies, which also offered language classes and advice on work."),
    ]
    rows = [
        (24, "Helvetica-Bold", 11, "Housing and settlement"),
        *body,
        (30, "Helvetica", 14, "Services for newcomers"),
        *body,
        (24, "Helvetica-Bold", 11, "Officers must not detain a minor child unless no other way"),
        (14, "Helvetica-Bold", 11, "is open to them."),
        (24, "Helvetica", 11, "The agencies reported on the year in the spring."),
    ]
    page = canvas.Canvas(str(path))
    y = 750.0
    for gap, font, size, text in rows:
        y -= gap
        page.setFont(font, size)
        page.drawString(72, y, text)
    page.save()
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_bold_and_larger_headings_in_a_typeset_pdf(tmp_path: Path, engine: str) -> None:
    pytest.importorskip("reportlab")
    result = read_document(_headings_pdf(tmp_path / "headings.pdf"), engine=engine)
    headings = [result.text[b.start : b.end] for b in result.blocks if b.kind == "heading"]
    assert headings == ["Housing and settlement", "Services for newcomers"]
    assert "Officers must not detain a minor child unless no other way is open to them." in (
        result.text.split("\n\n")
    )


def test_each_footnote_is_a_paragraph_with_its_hanging_indent() -> None:
    body = [
        _line(f"The council heard the residents on the motion before it, line {i}.", 40 + 12 * i)
        for i in range(8)
    ]
    notes = [
        _line("1 The circumstances of the dispute admonish us not to be", 200, 60, 8.0),
        _line("sanguine in expecting an easy accommodation of such differences.", 210, 70, 8.0),
        _line("2 Is it not well known that their determinations are often", 220, 60, 8.0),
        _line("governed by a few individuals?", 230, 70, 8.0),
    ]
    regions = [Region(body, 60, 400, new_band=True), Region(notes, 60, 400, new_band=True)]
    paragraphs = assemble([regions]).text.split("\n\n")
    assert paragraphs[-2:] == [
        "1 The circumstances of the dispute admonish us not to be sanguine in expecting an easy"
        " accommodation of such differences.",
        "2 Is it not well known that their determinations are often governed by a few individuals?",
    ]
