"""HTML pages saved from a browser: the page's own text, paragraphs per block, metadata."""

from __future__ import annotations

from pathlib import Path

from resdiscourse.ingest.html_file import html_fragment_paragraphs, read_html

HTML = Path("page.html")

#: A campaign page as a browser saves it: site chrome around a <main>.
CAMPAIGN_PAGE = """\
<!DOCTYPE html>
<!-- saved from url=(0055)https://www.toronto.ca/community-people/toronto-for-all/ -->
<html lang="en-CA"><head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>Toronto For All &ndash; City of Toronto</title>
<meta name="description" content="A campaign about civic resiliency.">
<meta name="author" content="City of Toronto">
<meta name="dcterms.issued" content="2016-11-15">
<meta name="dcterms.subject" content="Equity">
<link rel="canonical" href="https://www.toronto.ca/toronto-for-all/">
<script>var banner = "<p>not text</p>";</script>
<style>p { color: red }</style>
</head>
<body>
<header class="site"><a href="/">City of Toronto</a><nav><ul><li>Services</li></ul></nav></header>
<div role="navigation">Breadcrumb &gt; Community</div>
<main id="main">
  <header><h1>Toronto&nbsp;For&nbsp;All</h1></header>
  <p>Civic   resiliency
     is a <em>collective</em> matter.<br>Residents examine their biases &amp; act.</p>
  <div>Les réfugiés font preuve de résilience.<p>Inner paragraph.</p>Tail text.</div>
  <ul><li>Refugees</li><li><p>Newcomers</p></li><li>Residents<ul><li>nested</li></ul></li></ul>
  <ol start="3"><li>third</li><li>fourth</li></ol>
  <table><caption>Framing by group</caption>
    <tr><th>Group</th><th>Framing</th></tr>
    <tr><td>Refugees</td><td></td><td><b>attribute</b> of newcomers</td></tr>
  </table>
  <p hidden>Hidden draft.</p>
  <p aria-hidden="true">Decorative.</p>
  <details><summary>Why it matters</summary><p hidden="until-found">Found by search.</p></details>
  <aside>Related links</aside>
  <form role="search"><label>Search</label><input name="q"><button>Go</button></form>
  <noscript>Enable JavaScript</noscript>
  <svg><title>icon</title><text>svg text</text></svg>
  <template><p>template</p></template>
  <pre>line one
line two

after blank</pre>
  <dl><dt>Term</dt><dd>Definition</dd></dl>
  <figure><img src="p.png" alt="poster"><figcaption>The campaign poster.</figcaption></figure>
  <blockquote>Quoted &ldquo;resilience&rdquo;.</blockquote>
</main>
<footer>Copyright City of Toronto</footer>
</body></html>
"""

CAMPAIGN_TEXT = """\
Toronto For All

Civic resiliency is a collective matter. Residents examine their biases & act.

Les réfugiés font preuve de résilience.

Inner paragraph.

Tail text.

• Refugees

• Newcomers

• Residents

• nested

3. third

4. fourth

Framing by group

Group | Framing

Refugees | attribute of newcomers

Why it matters

Found by search.

line one line two

after blank

Term

Definition

The campaign poster.

Quoted “resilience”."""


def test_campaign_page_text() -> None:
    result = read_html(CAMPAIGN_PAGE.encode("utf-8"), HTML)
    assert result.text == CAMPAIGN_TEXT
    assert (result.engine, result.pages, result.problems) == ("html", 1, [])


def test_campaign_page_metadata() -> None:
    result = read_html(CAMPAIGN_PAGE.encode("utf-8"), HTML)
    assert result.metadata == {
        "title": "Toronto For All \u2013 City of Toronto",
        "language": "en",
        "author": "City of Toronto",
        "description": "A campaign about civic resiliency.",
        "url": "https://www.toronto.ca/toronto-for-all/",
        "date": "2016-11-15",
        "year": "2016",
        "dcterms.issued": "2016-11-15",
        "dcterms.subject": "Equity",
    }


def test_without_main_the_body_is_read_minus_site_chrome() -> None:
    page = (
        "<body><header>Site header</header><nav>Menu</nav>"
        "<h2>Newcomer strategy</h2><p>Body text.</p><footer>Footer</footer></body>"
    )
    assert read_html(page.encode(), HTML).text == "Newcomer strategy\n\nBody text."


def test_articles_are_read_when_there_is_no_main() -> None:
    page = (
        "<body><div class='sidebar'>Sidebar words</div>"
        "<article><header><h1>First</h1></header><p>One.</p><footer>By the City</footer></article>"
        "<article><p>Two.</p></article></body>"
    )
    assert read_html(page.encode(), HTML).text == "First\n\nOne.\n\nBy the City\n\nTwo."


def test_an_empty_main_falls_back_to_the_body() -> None:
    page = "<body><main><p hidden>draft</p></main><p>Real text.</p></body>"
    assert read_html(page.encode(), HTML).text == "Real text."


def test_a_form_wrapping_the_whole_page_is_kept() -> None:
    page = (
        "<body><form id='aspnetForm'><h1>Settlement services</h1><p>Text.</p>"
        "<select><option>English</option></select></form></body>"
    )
    assert read_html(page.encode(), HTML).text == "Settlement services\n\nText."


def test_layout_table_cells_are_read_as_blocks() -> None:
    page = (
        "<body><table><tr><td><p>Left column.</p><p>More.</p></td>"
        "<td><h2>Right</h2></td></tr></table></body>"
    )
    assert read_html(page.encode(), HTML).text == "Left column.\n\nMore.\n\nRight"


def test_windows_1252_declared_as_latin_1() -> None:
    page = '<meta charset="iso-8859-1"><p>Réfugiés \u2013 “civic”</p>'.encode("cp1252")
    assert read_html(page, HTML).text == "Réfugiés \u2013 “civic”"


def test_xhtml_with_an_xml_declaration() -> None:
    page = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr"><body><p>Résilience</p>'
        "</body></html>"
    )
    result = read_html(page.encode("utf-8"), HTML)
    assert (result.text, result.metadata) == ("Résilience", {"language": "fr"})


def test_dcterms_language_in_iso_639_2() -> None:
    page = '<head><meta name="dcterms.language" content="fra"></head><p>Texte</p>'
    assert read_html(page.encode(), HTML).metadata == {"dcterms.language": "fra", "language": "fr"}


def test_page_with_only_comments_is_empty() -> None:
    result = read_html(b"<!-- nothing here -->", HTML)
    assert (result.text, result.pages) == ("", 1)


def test_fragment_paragraphs() -> None:
    assert html_fragment_paragraphs("<p>One</p><p aria-hidden='true'>x</p>Two") == ["One", "Two"]
    assert html_fragment_paragraphs("<!-- only a comment -->") == []
