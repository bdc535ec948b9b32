"""Markdown files: rendered words without markup, one paragraph per block; front matter."""

from __future__ import annotations

from pathlib import Path

from resdiscourse.ingest.markdown_file import read_markdown, split_front_matter
from resdiscourse.models import PageSpan

MD = Path("doc.md")

DOCUMENT = """\
---
title: Toronto For All
date: 2016-11-15
lang: en-CA
tags: [civic, resiliency]
---
# Civic *resiliency*

Residents are asked to **examine** their [biases](https://www.toronto.ca/)
and to act. ![A poster of *Toronto For All*](poster.png)

- Refugees have shown `remarkable` resilience
- Newcomers build prosperity
  - nested point

1. first step
2. second step

> Resilience is a civic matter &amp; a shared one.

| Group | Framing |
|-------|---------|
| Refugees | *attribute* |
| | empty first cell |

```
code line one
code line two

after a blank line
```

<div>Raw <b>HTML</b> block</div><nav>menu</nav>

Line<br>break and ~~struck~~ text.
"""

EXPECTED = """\
Civic resiliency

Residents are asked to examine their biases and to act. A poster of Toronto For All

• Refugees have shown remarkable resilience

• Newcomers build prosperity

• nested point

1. first step

2. second step

Resilience is a civic matter & a shared one.

Group | Framing

Refugees | attribute

empty first cell

code line one code line two

after a blank line

Raw HTML block

Line break and struck text."""


def test_markdown_blocks_become_paragraphs() -> None:
    result = read_markdown(DOCUMENT.encode("utf-8"), MD)
    assert result.text == EXPECTED
    assert (result.engine, result.pages, result.problems) == ("markdown", 1, [])
    assert result.page_map.spans == (PageSpan(0, len(EXPECTED), 1, "1"),)


def test_front_matter_is_metadata_not_text() -> None:
    result = read_markdown(DOCUMENT.encode("utf-8"), MD)
    assert result.metadata == {
        "title": "Toronto For All",
        "date": "2016-11-15",
        "year": "2016",
        "language": "en",
        "tags": "civic; resiliency",
    }
    assert "Toronto For All" not in result.text.split("\n\n")[0]


def test_first_heading_is_the_title_without_front_matter() -> None:
    result = read_markdown("Intro\n\n# Réfugiés et *résilience*\n\n# Other\n".encode(), MD)
    assert result.metadata == {"title": "Réfugiés et résilience"}
    assert result.text == "Intro\n\nRéfugiés et résilience\n\nOther"


def test_ordered_list_keeps_its_numbers_and_markers() -> None:
    result = read_markdown(b"3) three\n4) four\n", MD)
    assert result.text == "3) three\n\n4) four"


def test_loose_list_item_marks_only_its_first_paragraph() -> None:
    result = read_markdown(b"- first para\n\n  second para\n- next\n", MD)
    assert result.text == "• first para\n\nsecond para\n\n• next"


def test_rules_around_prose_are_not_front_matter() -> None:
    source = "---\nJust a sentence between rules.\n---\nBody\n"
    assert split_front_matter(source) == ({}, source)
    assert read_markdown(source.encode(), MD).text == "Just a sentence between rules.\n\nBody"


def test_empty_front_matter_is_removed() -> None:
    assert split_front_matter("---\n---\nBody\n") == ({}, "Body\n")


def test_invalid_yaml_front_matter_stays_text() -> None:
    source = "---\nkey: [unclosed\n---\nBody\n"
    assert split_front_matter(source) == ({}, source)


def test_front_matter_with_an_unparsable_date_keeps_the_year() -> None:
    metadata, _ = split_front_matter("---\ndate: March 2019\nauthor: [A, B]\n---\n")
    assert metadata == {"date": "March 2019", "year": "2019", "author": "A; B"}
