"""Running headers, footers and page numbers: found at the page edges, never inside the body."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from resdiscourse.ingest.furniture import PageLines, find_furniture, page_number_of
from resdiscourse.ingest.layout import Line, Word


def _line(text: str, top: float, size: float = 10.0, x0: float = 72.0) -> Line:
    words, x = [], x0
    for token in text.split():
        words.append(Word(token, x, x + 5 * len(token), top, top + size, size))
        x += 5 * len(token) + 3
    return Line(words)


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=9999))
def test_page_x_of_y_gives_x(n: int, total: int) -> None:
    assert page_number_of(f"Page {n} of {total}") == str(n)
    assert page_number_of(f"- {n} -") == str(n)
    assert page_number_of(f"{n}") == str(n)


def test_page_number_styles() -> None:
    assert page_number_of("iv") == "iv"
    assert page_number_of("Page 3 de 12") == "3"
    assert page_number_of("p. 7") == "7"
    assert page_number_of("Chapter 3") is None
    assert page_number_of("civic") is None
    assert page_number_of("Page 3 of 12 and more") is None


def _pages(n: int, header: str | None, body: list[str]) -> list[PageLines]:
    pages = []
    for i in range(n):
        lines = [_line(text, 100 + 14 * k) for k, text in enumerate(body)]
        if header:
            lines.append(_line(header.format(n=i + 1), 30, size=8))
        lines.append(_line(f"- {i + 1} -", 760, size=8))
        pages.append(PageLines(lines, 792))
    return pages


def test_running_header_and_folio_removed_body_kept() -> None:
    body = ["Newcomers showed resilience.", "Housing remains unaffordable."]
    found = find_furniture(_pages(4, "Toronto Newcomer Strategy {n}", body))
    assert all([ln.text for ln in page] == body for page in found.body)
    assert found.folios == ["1", "2", "3", "4"]
    assert found.removed[0] == ["Toronto Newcomer Strategy 1", "- 1 -"]


def test_a_year_in_the_header_is_no_folio() -> None:
    pages = _pages(3, "Annual Report 2013", ["Body text here."])
    for page in pages:  # drop the footer folio so only the header's number is left
        page.lines.pop()
    found = find_furniture(pages)
    assert found.folios == [None, None, None]
    assert all(not any("2013" in ln.text for ln in page) for page in found.body)


def test_repeated_line_in_the_middle_of_a_page_is_body() -> None:
    pages = [
        PageLines([_line("Intro.", 100), _line("Recommendations", 300), _line("End.", 320)], 792)
        for _ in range(3)
    ]
    found = find_furniture(pages)
    assert all(len(page) == 3 for page in found.body)


def test_larger_repeated_heading_at_the_top_stays() -> None:
    """A section heading that recurs at the top of some pages is larger than body text."""
    pages = []
    for i in range(5):
        top = "Governance and Accountability" if i % 2 else f"Section {i} opening words"
        pages.append(
            PageLines(
                [_line(top, 60, size=14), *(_line("Body.", 100 + 14 * k) for k in range(3))], 792
            )
        )
    found = find_furniture(pages)
    assert all(page[0].text.startswith(("Governance", "Section")) for page in found.body)


def test_a_section_heading_whose_number_changes_is_no_running_header() -> None:
    """A short document with "Section N" in large type atop every page: headings, not furniture;
    a body-size header with a changing number stays a running header."""
    pages = [
        PageLines(
            [
                _line(f"Section {n}", 60, size=13),
                *(_line(f"Body text {k}.", 100 + 14 * k) for k in range(4)),
                _line(f"Council Minutes {n}", 770, size=8),
            ],
            792,
        )
        for n in (1, 2, 3)
    ]
    found = find_furniture(pages)
    assert [page[0].text for page in found.body] == ["Section 1", "Section 2", "Section 3"]
    assert all(not any("Council" in ln.text for ln in page) for page in found.body)


def test_a_caption_alone_at_a_page_top_stays_in_a_longer_document() -> None:
    """A figure's caption in small type at the top of one page, its (blank) figure below it: no
    running header, since the document's other pages show none."""
    pages = _pages(4, None, [f"Body text line {k}." for k in range(5)])
    pages[3].lines.append(_line("Figure 7. Popular as royal wars.", 40, size=8))
    found = find_furniture(pages)
    assert found.body[3][-1].text == "Figure 7. Popular as royal wars."
    assert found.removed[3] == ["- 4 -"]


def test_a_lone_small_header_after_a_title_page_is_removed() -> None:
    pages = _pages(2, None, [f"Body text line {k}." for k in range(5)])
    pages[1].lines.append(_line("Toronto Newcomer Strategy", 40, size=8))
    found = find_furniture(pages)
    assert found.removed[1] == ["Toronto Newcomer Strategy", "- 2 -"]


def test_a_lone_small_line_right_above_a_figure_is_its_caption() -> None:
    """In a two-page document a small line at a page's top, set apart from the text, is a
    running header; right above a drawn box (a figure) it is the figure's caption."""
    for box_top, removed in (
        (52.0, ["- 2 -"]),
        (None, ["Figure 7. Abounds with instances.", "- 2 -"]),
    ):
        pages = _pages(2, None, [f"Body text line {k}." for k in range(5)])
        pages[1].lines.append(_line("Figure 7. Abounds with instances.", 40, size=8))
        boxes = [] if box_top is None else [(72.0, box_top, 400.0, 95.0)]
        pages[1] = PageLines(pages[1].lines, 792, boxes)
        found = find_furniture(pages)
        assert found.removed[1] == removed
