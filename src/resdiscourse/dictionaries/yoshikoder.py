"""Yoshikoder ``.ykd``: XML; ``<cnode>`` elements are categories (the outermost one is the
dictionary itself) and ``<pnode name=…>`` elements are patterns. The ``patternengine`` attribute
says how patterns read: ``substring`` (words with ``*`` wildcards, translated as globs) or
``regexp`` (regular expressions, translated where they are literal words and runs of letters).

The XML is parsed without DTDs, entities or network access."""

from __future__ import annotations

from lxml import etree

from resdiscourse.dictionaries.builder import Builder
from resdiscourse.dictionaries.model import Dictionary

ENGINES = {"substring": "glob", "regexp": "regex", "regex": "regex"}


def parse_xml(data: bytes, builder: Builder) -> etree._Element:
    """A safely parsed XML root; a DTD or entity declaration is refused (E803)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else None
        raise builder.malformed(
            line, f"not well-formed XML: {error.msg}", "the file is damaged: export it again"
        ) from None
    if getattr(tree.docinfo, "doctype", "") or tree.docinfo.internalDTD is not None:
        raise builder.malformed(
            1, "the XML has a DOCTYPE", "remove the <!DOCTYPE …> declaration: it is not read"
        )
    return tree.getroot()


def read_ykd(data: bytes, builder: Builder) -> Dictionary:
    root = parse_xml(data, builder)
    if root.tag != "dictionary":
        raise builder.malformed(
            _line(root), f"the root element is <{root.tag}>", "a .ykd has <dictionary>"
        )
    engine = root.get("patternengine", "substring")
    if engine not in ENGINES:
        raise builder.malformed(
            _line(root),
            f"unknown patternengine {engine!r}",
            "Yoshikoder's engines are substring and regexp",
        )
    builder.valuetype = "glob" if ENGINES[engine] == "glob" else "regex"
    tops = [child for child in root if child.tag == "cnode"]
    if len(tops) != 1:
        raise builder.malformed(
            _line(root),
            f"{len(tops)} top <cnode> elements",
            "a .ykd holds one <cnode>, the dictionary, which holds the categories",
        )
    _node(tops[0], (), builder)
    return builder.build(tops[0].get("name", ""))


def _node(node: etree._Element, path: tuple[str, ...], builder: Builder) -> None:
    for child in node:
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction
        name = child.get("name")
        if child.tag not in ("cnode", "pnode") or name is None:
            raise builder.malformed(
                _line(child),
                f"<{child.tag}> without a name" if name is None else f"unknown <{child.tag}>",
                "categories are <cnode name=…> and patterns <pnode name=…>",
            )
        if child.tag == "cnode":
            here = (*path, name)
            builder.category(here, child.get("desc", ""))
            _node(child, here, builder)
        elif not path:
            builder.lose(
                _line(child),
                f"pattern {name!r} is outside every category",
                "move it into a <cnode>",
            )
        else:
            builder.term(path, name, _line(child))


def _line(element: etree._Element) -> int | None:
    """The element's line in the file (lxml's stubs do not type ``sourceline``)."""
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else None
