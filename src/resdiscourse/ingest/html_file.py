"""Clean text of an HTML page saved from a browser (e.g. a city's campaign page).

Only the page's own content is kept: scripts, navigation, site header/footer, asides, forms and
hidden elements go; ``<main>`` (or the articles) is preferred over the whole body.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from resdiscourse.ingest.metadata import date_fields, language_code
from resdiscourse.ingest.plaintext import (
    clean_paragraph,
    decode_bytes,
    join_paragraphs,
    single_page,
    split_blocks,
)
from resdiscourse.models import ExtractedText

_DROPPED_TAGS = frozenset(
    {
        "head", "script", "style", "noscript", "template", "svg", "nav", "aside", "iframe",
        "object", "embed", "canvas", "select", "textarea", "datalist", "wbr",
    }
)  # fmt: skip
#: ARIA roles of site chrome, the same things as nav/header/footer/aside/search forms.
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements that start and end a paragraph of their own.
_BLOCKS = _HEADINGS | frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
#: A table cell holding any of these is page layout, not data: its content is read as blocks.
_LAYOUT_CONTENT = _HEADINGS | frozenset(
    {"p", "div", "ul", "ol", "dl", "table", "blockquote", "pre", "section", "article"}
)
_DATE_KEYS = ("article:published_time", "dcterms.issued", "dcterms.date")
_DECLARED_CHARSET = re.compile(
    rb"""(?:<meta[^>]+charset|<\?xml[^>]+encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I
)
#: WHATWG: these labels mean windows-1252; a declared UTF-16 in a byte-oriented page means UTF-8.
_LABEL_ALIASES = {
    **dict.fromkeys(("iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"),
                    "cp1252"),
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be"), "utf-8"),
}  # fmt: skip
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def read_html(data: bytes, path: Path) -> ExtractedText:
    """Clean text and metadata (title, language, date, author, description, dcterms.*) of a page."""
    source = decode_bytes(data, path, _declared_charset(data))
    # lxml refuses str input that still carries an XML encoding declaration (saved XHTML).
    root = parse_html(_XML_DECLARATION.sub("", source, count=1))
    if root is None:
        return ExtractedText("", single_page(""), "html", 1)
    metadata = page_metadata(root)
    text = join_paragraphs(html_paragraphs(root))
    return ExtractedText(text, single_page(text), "html", 1, metadata=metadata)


def parse_html(source: str) -> HtmlElement | None:
    """The document element, or None for a page with nothing in it."""
    if not source.strip():
        return None
    try:
        return lxml.html.document_fromstring(source)
    except etree.ParserError:  # "Document is empty": only comments or whitespace
        return None


def html_fragment_paragraphs(fragment: str) -> list[str]:
    """Paragraphs of an HTML snippet (raw HTML blocks inside Markdown)."""
    root = parse_html(fragment)
    return html_paragraphs(root) if root is not None else []


def html_paragraphs(root: HtmlElement) -> list[str]:
    """The content paragraphs of a parsed page; the tree is modified (chrome removed)."""
    _remove_chrome(root)
    for candidate in _content_roots(root):
        flow = _Flow()
        for element in candidate:
            flow.walk(element, tail=False)  # text after </main> is not part of it
        flow.flush()
        if flow.paragraphs:
            return flow.paragraphs
    return []


def page_metadata(root: HtmlElement) -> dict[str, str]:
    """Title, language, date/year and descriptive meta tags of a page."""
    meta = _meta_tags(root)
    titles = root.xpath("//head/title") or root.xpath("//title[not(ancestor::svg)]")
    title = clean_paragraph(titles[0].text_content()) if titles else ""
    found = {
        "title": title or meta.get("dcterms.title", "") or meta.get("og:title", ""),
        "language": _language(root, meta),
        "author": meta.get("author", ""),
        "description": meta.get("description", ""),
        "url": _canonical_url(root),
    }
    dated = _first_date(meta)
    dcterms = {key: value for key, value in meta.items() if key.startswith("dcterms.")}
    return {key: value for key, value in {**dcterms, **found, **dated}.items() if value}


def _meta_tags(root: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents by lowercased name, property or http-equiv; the first one wins."""
    tags: dict[str, str] = {}
    for element in root.iter("meta"):
        name = element.get("name") or element.get("property") or element.get("http-equiv") or ""
        content = element.get("content")
        if name.strip() and content is not None:
            tags.setdefault(name.strip().lower(), clean_paragraph(content))
    return tags


def _language(root: HtmlElement, meta: dict[str, str]) -> str:
    for value in (root.get("lang"), root.get("xml:lang"), meta.get("dcterms.language")):
        if value and language_code(value):
            return language_code(value)
    return language_code(meta.get("content-language", ""))


def _first_date(meta: dict[str, str]) -> dict[str, str]:
    for key in _DATE_KEYS:
        dated = date_fields(meta.get(key, ""))
        if dated:
            return dated
    return {}


def _canonical_url(root: HtmlElement) -> str:
    hrefs = root.xpath("//link[@rel='canonical']/@href")
    return str(hrefs[0]).strip() if hrefs else ""


def _declared_charset(data: bytes) -> list[str]:
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return []
    label = match.group(1).decode("ascii").lower()
    return [_LABEL_ALIASES.get(label, label)]


def _remove_chrome(root: HtmlElement) -> None:
    """Drop everything that is not the page's own text; ``<br>`` becomes a space."""
    for element in list(root.iterdescendants()):
        if not isinstance(element.tag, str) or _is_chrome(element):
            element.drop_tree()  # keeps the tail text, which belongs to the parent
        elif element.tag == "br":
            element.tail = " " + (element.tail or "")
            element.drop_tree()


def _is_chrome(element: HtmlElement) -> bool:
    tag = element.tag
    if tag in _DROPPED_TAGS or _is_hidden(element):
        return True
    if element.get("role", "").strip().lower() in _CHROME_ROLES:
        return True
    if tag in ("header", "footer"):
        # A header inside an article or <main> holds the title and byline; the site's does not.
        return not any(a.tag in ("article", "main") for a in element.iterancestors())
    if tag == "form":
        # ASP.NET pages wrap the whole page in one <form>; a real form has no headings or <main>.
        return not element.xpath(".//main | .//article | .//h1")
    return False


def _is_hidden(element: HtmlElement) -> bool:
    hidden = element.get("hidden")
    # hidden="until-found" is collapsed content meant to be found by search: it is text.
    if hidden is not None and hidden.strip().lower() != "until-found":
        return True
    if element.tag == "dialog" and element.get("open") is None:
        return True
    return str(element.get("aria-hidden", "")).strip().lower() == "true"


def _content_roots(root: HtmlElement) -> list[list[HtmlElement]]:
    """Where to read, best first: ``<main>``, else the outermost articles, else the body."""
    candidates: list[list[HtmlElement]] = []
    mains = root.xpath("//main | //*[@role='main']")
    if mains:
        candidates.append([mains[0]])
    articles = root.xpath("//article[not(ancestor::article)]")
    if articles:
        candidates.append(articles)
    candidates.append([root.body if root.find("body") is not None else root])
    return candidates


class _Flow:
    """Accumulates inline text into paragraphs while walking the tree in document order."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []
        self._prefix = ""  # list marker waiting for the item's first paragraph

    def flush(self) -> None:
        text = clean_paragraph("".join(self._buffer))
        self._buffer.clear()
        if text:
            self.paragraphs.append(self._prefix + text)
            self._prefix = ""

    def paragraph(self, text: str) -> None:
        self.flush()
        self._buffer.append(text)
        self.flush()

    def walk(self, element: HtmlElement, *, tail: bool = True) -> None:
        tag = element.tag
        block = tag in _BLOCKS
        if block:
            self.flush()
        if tag == "li":
            self._prefix = _list_marker(element)
        self._content(element)
        if block:
            self.flush()
        if tag == "li":
            self._prefix = ""
        if tail:
            self._buffer.append(element.tail or "")

    def _content(self, element: HtmlElement) -> None:
        if element.tag == "pre":
            for block in split_blocks(element.text_content()):
                self.paragraph(block)
        elif element.tag == "tr" and _is_data_row(element):
            cells = (clean_paragraph(cell.text_content()) for cell in _cells(element))
            self.paragraph(" | ".join(cell for cell in cells if cell))
        else:
            self._buffer.append(element.text or "")
            for child in element:
                self.walk(child)


def _cells(row: HtmlElement) -> list[HtmlElement]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def _is_data_row(row: HtmlElement) -> bool:
    return not any(
        descendant.tag in _LAYOUT_CONTENT
        for cell in _cells(row)
        for descendant in cell.iterdescendants()
    )


def _list_marker(item: HtmlElement) -> str:
    parent = item.getparent()
    if parent is None or parent.tag != "ol":
        return "• "
    start = parent.get("start", "1").strip()
    first = int(start) if start.lstrip("-").isdigit() else 1
    siblings = [child for child in parent if child.tag == "li"]
    return f"{first + siblings.index(item)}. "
