"""quotes: the page citations and quote clipping that report.html and findings.md share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pytest

from resdiscourse.models import PageMap, PageSpan
from resdiscourse.quotes import (
    QUOTE_LIMIT,
    citation,
    cited_pages,
    clip_quote,
    end_label,
    segment_pages,
)
from resdiscourse.rundir import CodeRun


@dataclass
class _Run:
    """What the citations read of a run: the page map of each document."""

    pages: PageMap

    def page_map(self, doc_id: str) -> PageMap:
        return self.pages


# Physical pages 5-7 print as iv, 1, 2; offsets 0-99 are on page 5, 100-199 on 6, 200-299 on 7.
RUN = cast(
    CodeRun,
    _Run(
        PageMap((PageSpan(0, 100, 5, "iv"), PageSpan(100, 200, 6, "1"), PageSpan(200, 300, 7, "")))
    ),
)


def segment(**fields: str) -> dict[str, str]:
    row = {"doc_id": "d", "title": "A report", "year": "2014", "start": "120", "end": "150"}
    return {**row, "page": "6", "page_label": "1", **fields}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("6", "6"), "p. 6"),
        (("6", "1"), "p. 1 (PDF p. 6)"),
        (("6", ""), "p. 6"),  # no printed folio: the physical page
        (("6", "1", "7", "2"), "pp. 1–2 (PDF pp. 6–7)"),
        (("6", "6", "7", "7"), "pp. 6–7"),
        (("6", "1", "7"), "pp. 1–7 (PDF pp. 6–7)"),  # the end has no label: its physical page
        (("6", "1", "6", "1"), "p. 1 (PDF p. 6)"),  # ends on the page it starts on
        (("", "xii"), "p. xii"),  # a label without a physical page
    ],
)
def test_cited_pages(args: tuple[str, ...], expected: str) -> None:
    assert cited_pages(*args) == expected


def test_a_passage_without_pages() -> None:
    assert cited_pages("", "") == "p. "  # report.html, as it always wrote it
    assert cited_pages("", "", unknown="p. (unknown)") == "p. (unknown)"  # findings.md
    assert cited_pages("3", "", unknown="p. (unknown)") == "p. 3"


def test_the_end_label_comes_from_the_page_map() -> None:
    assert end_label(RUN, segment()) == ""  # one page
    assert end_label(RUN, segment(page_end="6")) == ""
    spanning = segment(page="5", page_label="iv", page_end="6", start="90", end="120")
    assert end_label(RUN, spanning) == "1"
    # The last character (end - 1) decides: a segment ending at offset 200 ends on page 6.
    assert end_label(RUN, {**spanning, "page_end": "7", "end": "200"}) == "1"
    # A page without a printed label: the physical page.
    assert end_label(RUN, {**spanning, "page_end": "7", "end": "250"}) == "7"
    assert segment_pages(RUN, spanning) == "pp. iv–1 (PDF pp. 5–6)"


def test_citation_names_title_year_and_pages() -> None:
    assert citation(RUN, segment()) == "A report (2014), p. 1 (PDF p. 6)"
    assert citation(RUN, segment(title="", year="")) == "d, p. 1 (PDF p. 6)"
    spanning = segment(page="5", page_label="iv", page_end="6", start="90", end="120")
    assert citation(RUN, spanning) == "A report (2014), pp. iv–1 (PDF pp. 5–6)"


def test_clip_quote_cuts_on_a_word_boundary() -> None:
    words = "resilience " * 800
    text, cut = clip_quote(words)
    assert cut and len(text) <= QUOTE_LIMIT and text.endswith("resilience")
    assert clip_quote("short  text\n") == ("short text", False)
    assert clip_quote("x" * 20, limit=10) == ("x" * 10, True)  # one long word: cut inside it
    assert clip_quote("ab cd ef", limit=5) == ("ab cd", True)
