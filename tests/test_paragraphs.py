"""Lines → paragraphs: address joins at line ends, contents entries, bullet glyphs."""

from __future__ import annotations

import pytest

from resdiscourse.ingest.layout import Line, Region, Word
from resdiscourse.ingest.paragraphs import _address_continues, assemble


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
