"""The query language of rules, retrieval and ``resdiscourse search``.

::

    query    := or
    or       := and ("OR" and)*
    and      := not ("AND" not)*
    not      := "NOT" not | near
    near     := primary (("NEAR/k" | "BEFORE/k" | "CNEAR/k" | "CBEFORE/k") primary)*
    primary  := "(" query ")" | "{concept}" | "phrase words*" | lemma:word | case:Word | word*

Operators are upper case. ``*`` in a word stands for any letters (``resilien*``); a quoted phrase
matches its words in sequence. ``A NEAR/k B``: at most k words between A and B, either order;
``A BEFORE/k B``: the same with A first. ``CNEAR/k`` and ``CBEFORE/k`` also need A and B in one
clause: they cannot cross a clause or list boundary (see :mod:`resdiscourse.clauses`).
``NOT`` matches when its operand does not.
Parsing is pure; errors carry a 1-based column. A codebook's retrieval and its variants are
queries too (:func:`retrieval_query`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resdiscourse.codebook.schema import (
    CONCEPT_ID_PATTERN,
    DEFAULT_RETRIEVAL,
    Codebook,
    Retrieval,
    RetrievalVariant,
)
from resdiscourse.errors import UsageError

OPERATORS = ("AND", "OR", "NOT")
#: ASCII digits only: ``\d`` would also take other scripts' digits.
_PROXIMITY = re.compile(r"(C?NEAR|C?BEFORE)/([0-9]+)$")
#: The largest k of NEAR/k and BEFORE/k (also keeps int() clear of huge digit strings).
MAX_DISTANCE = 1000
#: Deeper nesting of ( and NOT is refused with a QuerySyntaxError, not a RecursionError.
MAX_DEPTH = 100


@dataclass(frozen=True)
class TermNode:
    """A word or phrase; each word may contain ``*``."""

    words: tuple[str, ...]
    lemma: bool = False
    case: bool = False

    def __str__(self) -> str:
        text = " ".join(self.words)
        # A one-word phrase such as "AND", "{x}" or "lemma:x" keeps its quotes, so that the text
        # parses back to the same node.
        if len(self.words) > 1 or not (self.lemma or self.case or _is_plain_word(text)):
            text = f'"{text}"'
        return ("lemma:" if self.lemma else "case:" if self.case else "") + text


@dataclass(frozen=True)
class ConceptNode:
    name: str

    def __str__(self) -> str:
        return "{" + self.name + "}"


@dataclass(frozen=True)
class AndNode:
    children: tuple[Node, ...]

    def __str__(self) -> str:
        return "(" + " AND ".join(map(str, self.children)) + ")"


@dataclass(frozen=True)
class OrNode:
    children: tuple[Node, ...]

    def __str__(self) -> str:
        return "(" + " OR ".join(map(str, self.children)) + ")"


@dataclass(frozen=True)
class NotNode:
    child: Node

    def __str__(self) -> str:
        return f"NOT {self.child}"


@dataclass(frozen=True)
class NearNode:
    left: Node
    right: Node
    distance: int
    ordered: bool
    #: Both sides in one clause (CNEAR, CBEFORE).
    clause: bool = False

    def __str__(self) -> str:
        op = ("C" if self.clause else "") + ("BEFORE" if self.ordered else "NEAR")
        return f"({self.left} {op}/{self.distance} {self.right})"


Node = TermNode | ConceptNode | AndNode | OrNode | NotNode | NearNode


class QuerySyntaxError(ValueError):
    """A query that cannot be parsed; ``col`` is 1-based."""

    def __init__(self, message: str, col: int, hint: str) -> None:
        super().__init__(f"{message} (column {col})")
        self.message = message
        self.col = col
        self.hint = hint


@dataclass(frozen=True)
class _Token:
    kind: str  # ( ) OP PROX CONCEPT PHRASE WORD END
    text: str
    col: int


_TOKEN = re.compile(
    r'\s*(?:(?P<paren>[()])|(?P<concept>\{[^}]*\}?)|(?P<phrase>"[^"]*"?)|(?P<word>[^\s(){}"]+))'
)


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while True:
        match = _TOKEN.match(query, pos)
        if match is None or match.end() == pos:
            rest = query[pos:]
            if rest.strip():
                col = pos + len(rest) - len(rest.lstrip()) + 1
                raise QuerySyntaxError(f"unexpected {rest.strip()[0]!r}", col, "remove it")
            tokens.append(_Token("END", "", len(query) + 1))
            return tokens
        col = match.start(match.lastgroup or 0) + 1
        text = match.group(match.lastgroup or 0)
        tokens.append(_Token(_kind(match.lastgroup, text, col), text, col))
        pos = match.end()


def _is_plain_word(text: str) -> bool:
    """Whether ``text`` unquoted is read back as the plain word ``text``."""
    try:
        kind = _kind("word", text, 1)
    except QuerySyntaxError:
        return False
    plain = re.fullmatch(r'[^\s(){}"]+', text) and not text.startswith(("lemma:", "case:"))
    return kind == "WORD" and bool(plain) and text.strip("*") != ""


def _kind(group: str | None, text: str, col: int) -> str:
    if group == "paren":
        return text
    if group == "concept":
        if not text.endswith("}"):
            raise QuerySyntaxError("unclosed '{'", col, "write a concept as {name}")
        return "CONCEPT"
    if group == "phrase":
        if len(text) < 2 or not text.endswith('"'):
            raise QuerySyntaxError("unclosed '\"'", col, 'close the phrase with "')
        return "PHRASE"
    if text in OPERATORS:
        return "OP"
    if match := _PROXIMITY.match(text):
        if len(match.group(2)) > 4 or int(match.group(2)) > MAX_DISTANCE:
            raise QuerySyntaxError(
                f"distance too large in {text!r}", col, f"use k from 0 to {MAX_DISTANCE}"
            )
        return "PROX"
    if text in ("NEAR", "BEFORE", "CNEAR", "CBEFORE"):
        raise QuerySyntaxError(
            f"{text} needs a distance",
            col,
            f'write {text}/k, e.g. {text}/5; quote the word: "{text}"',
        )
    if re.match(r"(?i)(C?NEAR|C?BEFORE|W)/", text):
        raise QuerySyntaxError(
            f"bad proximity operator {text!r}", col, "write NEAR/k or BEFORE/k in capitals"
        )
    return "WORD"


class _Parser:
    def __init__(self, query: str) -> None:
        self.tokens = _tokens(query)
        self.index = 0
        self.depth = 0

    def deeper(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(
                "the query nests too deeply", token.col, "use fewer parentheses and NOTs"
            )

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.current
        return token.kind == kind and (text is None or token.text == text)

    def parse(self) -> Node:
        if self.at("END"):
            raise QuerySyntaxError(
                "empty query", 1, 'write a term such as resilien* or "bounce back"'
            )
        node = self.or_expr()
        if not self.at("END"):
            token = self.current
            if token.kind == ")":
                raise QuerySyntaxError("unmatched ')'", token.col, "remove it or add a '('")
            raise QuerySyntaxError(
                f"expected an operator before {token.text!r}",
                token.col,
                "join terms with AND, OR, NEAR/k or BEFORE/k, or quote a phrase",
            )
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while self.at("OP", "OR"):
            self.advance()
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else OrNode(tuple(children))

    def and_expr(self) -> Node:
        children = [self.not_expr()]
        while self.at("OP", "AND"):
            self.advance()
            children.append(self.not_expr())
        return children[0] if len(children) == 1 else AndNode(tuple(children))

    def not_expr(self) -> Node:
        if self.at("OP", "NOT"):
            self.deeper(self.advance())
            node = NotNode(self.not_expr())
            self.depth -= 1
            return node
        return self.near_expr()

    def near_expr(self) -> Node:
        start = self.current
        node = self.primary()
        while self.at("PROX"):
            token = self.advance()
            match = _PROXIMITY.match(token.text)
            assert match is not None
            right_token = self.current
            right = self.primary()
            for operand, where in ((node, start), (right, right_token)):
                if not is_positional(operand):
                    raise QuerySyntaxError(
                        f"{match.group(1)}/k needs words on both sides, not a NOT",
                        where.col,
                        "put NOT outside: A NEAR/5 B AND NOT C",
                    )
            operator = match.group(1)
            node = NearNode(
                node,
                right,
                int(match.group(2)),
                operator.endswith("BEFORE"),
                operator.startswith("C"),
            )
        return node

    def primary(self) -> Node:
        token = self.advance()
        if token.kind == "(":
            if self.at(")"):
                raise QuerySyntaxError("empty parentheses", token.col, "put a term inside")
            self.deeper(token)
            node = self.or_expr()
            if not self.at(")"):
                raise QuerySyntaxError("unclosed '('", token.col, "add the matching ')'")
            self.advance()
            self.depth -= 1
            return node
        if token.kind == "CONCEPT":
            return _concept(token)
        if token.kind == "PHRASE":
            return _phrase(token)
        if token.kind == "WORD":
            return _word(token)
        if token.kind == "END":
            raise QuerySyntaxError("the query ends too early", token.col, "add a term after it")
        raise QuerySyntaxError(
            f"expected a term, found {token.text!r}",
            token.col,
            'operators go between terms; quote a word that is an operator: "AND"',
        )


def _concept(token: _Token) -> ConceptNode:
    name = token.text[1:-1].strip()
    if not re.fullmatch(CONCEPT_ID_PATTERN[1:-1], name):
        raise QuerySyntaxError(
            f"bad concept name {token.text!r}", token.col, "concept names are like {migrants}"
        )
    return ConceptNode(name)


def _phrase(token: _Token) -> TermNode:
    words = tuple(token.text[1:-1].split())
    if not words:
        raise QuerySyntaxError("empty phrase", token.col, "put words inside the quotes")
    return TermNode(words)


def _word(token: _Token) -> TermNode:
    text = token.text
    for prefix, lemma, case in (("lemma:", True, False), ("case:", False, True)):
        if text.startswith(prefix):
            word = text[len(prefix) :]
            if not word.strip("*") or ("*" in word and lemma):
                advice = "write lemma:word (no *)" if lemma else "write case:Word"
                raise QuerySyntaxError(f"bad {prefix} term {text!r}", token.col, advice)
            return TermNode((word,), lemma=lemma, case=case)
    if text.strip("*") == "":
        raise QuerySyntaxError("a term cannot be only '*'", token.col, "add letters: immigra*")
    return TermNode((text,))


def is_positional(node: Node) -> bool:
    """Whether every match of the node has a place in the text (a NOT has none)."""
    if isinstance(node, NotNode):
        return False
    if isinstance(node, OrNode):
        return all(is_positional(child) for child in node.children)
    if isinstance(node, AndNode):
        return any(is_positional(child) for child in node.children)
    return True


def parse_query(query: str) -> Node:
    """Parse a query; raises :class:`QuerySyntaxError` with a column and a hint."""
    node = _Parser(query).parse()
    if not is_positional(node):
        raise QuerySyntaxError(
            "a query cannot be only NOT", 1, "say what to find: resilien* AND NOT {negation}"
        )
    return node


def concepts_in(node: Node) -> list[str]:
    """The concept names a query refers to, in order of first appearance."""
    if isinstance(node, ConceptNode):
        return [node.name]
    if isinstance(node, TermNode):
        return []
    children = (
        [node.child]
        if isinstance(node, NotNode)
        else [node.left, node.right]
        if isinstance(node, NearNode)
        else list(node.children)
    )
    names: list[str] = []
    for child in children:
        names += [name for name in concepts_in(child) if name not in names]
    return names


def retrieval_names(codebook: Codebook) -> list[str]:
    """``default`` and the names of the codebook's retrieval variants, in codebook order."""
    return [DEFAULT_RETRIEVAL, *codebook.retrieval.variants]


def retrieval_query(codebook: Codebook, name: str | None = None) -> Node:
    """The query of the codebook's retrieval, or of its variant ``name`` (E610 when unknown)."""
    retrieval: Retrieval | RetrievalVariant = codebook.retrieval
    if name not in (None, DEFAULT_RETRIEVAL):
        variants = codebook.retrieval.variants
        if name not in variants:
            choices = ", ".join(
                f"{item} ({variants[item].description})"
                if item in variants and variants[item].description
                else item
                for item in retrieval_names(codebook)
            )
            raise UsageError.of("E610", codebook=codebook.name, name=name, choices=choices)
        retrieval = variants[name]
    if retrieval.query:
        return parse_query(retrieval.query)
    nodes = tuple(ConceptNode(concept) for concept in retrieval.all)
    return nodes[0] if len(nodes) == 1 else AndNode(nodes)
