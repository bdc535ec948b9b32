"""Read a codebook's YAML into plain data, recording where each value stands in the file.

The YAML is composed into nodes (PyYAML keeps each node's start mark) and turned into plain data
by hand, which records the node of every value by key path and catches duplicate keys that PyYAML
would silently drop. Syntax errors, duplicate keys and unreadable values become problems (E301,
E302); reading goes on past each one so that they are all reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from resdiscourse.errors import Location, Problem, problem

#: A key path into the codebook: mapping keys and list indexes, from the top.
KeyPath = tuple[str | int, ...]
#: A 1-based (line, col) in the file.
Position = tuple[int, int]

_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class YamlDocument:
    """Plain data from the YAML, with the node of every value and of every mapping key."""

    file: str
    data: Any = None
    nodes: dict[KeyPath, yaml.Node] = field(default_factory=dict)
    key_nodes: dict[KeyPath, yaml.Node] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def at(self, path: KeyPath) -> Location:
        """Where the value at ``path`` (or its nearest parent) starts; an empty file: 1:1."""
        for end in range(len(path), -1, -1):
            node = self.nodes.get(path[:end])
            if node is not None:
                return _mark_location(self.file, node.start_mark)
        return Location(file=self.file, line=1, col=1)

    def key_at(self, path: KeyPath) -> Location:
        node = self.key_nodes.get(path)
        return self.at(path) if node is None else _mark_location(self.file, node.start_mark)

    def positions(self) -> dict[KeyPath, Position]:
        return {path: _position(node.start_mark) for path, node in self.nodes.items()}


def nearest_location(file: str, positions: dict[KeyPath, Position], path: KeyPath) -> Location:
    """The location of the value at ``path``, else of its nearest parent that has one."""
    for end in range(len(path), -1, -1):
        if path[:end] in positions:
            line, col = positions[path[:end]]
            return Location(file=file, line=line, col=col)
    return Location(file=file)


def dotted_path(path: KeyPath) -> str:
    """``dimensions.locus.codes.attribute.rules[0].negation``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


def _position(mark: yaml.Mark) -> Position:
    return mark.line + 1, mark.column + 1


def _mark_location(file: str, mark: yaml.Mark) -> Location:
    line, col = _position(mark)
    return Location(file=file, line=line, col=col)


def read_yaml(file: str, data: bytes) -> YamlDocument:
    """The YAML in ``data`` (read from ``file``) with positions and its problems."""
    document = YamlDocument(file)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        where = Location(file=file, line=line, col=1)
        advice = "save the file as UTF-8"
        document.problems.append(problem("E301", where, detail="not UTF-8 text", advice=advice))
        return document
    try:
        root = _compose(text)
    except yaml.YAMLError as error:
        document.problems.append(_syntax_problem(file, text, error))
        return document
    if root is not None:
        document.data = _Builder(document).build(root, ())
    return document


#: libyaml's parser when PyYAML has it: the same nodes and marks, 15 times faster on the shipped
#: codebook (0.05 s instead of 0.77 s), which every run loads.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``. A file that libyaml rejects is parsed again by PyYAML's own
    parser, whose messages and marks the syntax hints are written for."""
    try:
        root = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    if _FAST_LOADER is not yaml.SafeLoader and root is not None:
        _give_marks_the_text(root, text)
    return root


def _give_marks_the_text(root: yaml.Node, text: str) -> None:
    """libyaml's marks have the same (character) index, line and column as PyYAML's but no
    ``buffer``; the checks read a scalar's source text from it (``checks.in_scalar``)."""
    stack = [root]
    while stack:
        node = stack.pop()
        node.start_mark = _with_text(node.start_mark, text)
        node.end_mark = _with_text(node.end_mark, text)
        if isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _with_text(mark: yaml.Mark, text: str) -> yaml.Mark:
    return yaml.Mark(mark.name, mark.index, mark.line, mark.column, text, mark.index)


def _syntax_problem(file: str, text: str, error: yaml.YAMLError) -> Problem:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        where = _mark_location(file, error.problem_mark)
        detail = error.problem or str(error)
    elif isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        col = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        where = Location(file=file, line=line, col=col)
        detail = f"character {chr(error.character)!r} is not allowed"
    else:
        where, detail = Location(file=file), str(error)
    return problem("E301", where, detail=detail, advice=_syntax_advice(detail))


def _syntax_advice(detail: str) -> str:
    if "mapping values are not allowed" in detail:
        return 'a text that contains ": " must be in quotes'
    if "'\\t'" in detail:
        return "indent with spaces, not tabs"
    if "expected ':'" in detail or "could not find expected" in detail:
        return "check the indentation and the quotes on this line and the one before"
    if "not allowed" in detail:
        return "remove the character"
    return "check the indentation and the quotes here; quote texts that start with { [ * & ! or %"


class _Builder:
    """Turns composed nodes into plain data, recording nodes and duplicate keys."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.constructor = yaml.constructor.SafeConstructor()
        self.active: set[int] = set()  # nodes being built: an alias to one of them recurses

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.document.nodes[path] = node
        if id(node) in self.active:
            self._problem(node, "an alias refers to the value that contains it", "remove the alias")
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return [self.build(child, (*path, index)) for index, child in enumerate(node.value)]
            return self._scalar(node)
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as error:
            detail = getattr(error, "problem", None) or str(error)
            self._problem(node, f"cannot read the value: {detail}", "put the value in quotes")
            return None

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for merged in self._merges(node):
            result.update(self.build(merged, path) or {})
        self.document.nodes[path] = node  # the merged mappings took its place
        first: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self._key(key_node)
            if key is None:
                continue
            if key in first:
                where = _mark_location(self.document.file, key_node.start_mark)
                self.document.problems.append(
                    problem(
                        "E302",
                        where,
                        key=key,
                        path=dotted_path(path),
                        first_line=first[key].start_mark.line + 1,
                    )
                )
            first[key] = key_node
            self.document.key_nodes[(*path, key)] = key_node
            result[key] = self.build(value_node, (*path, key))
        return result

    def _merges(self, node: yaml.MappingNode) -> Iterator[yaml.MappingNode]:
        """The mappings merged in with ``<<:``, the first with the highest precedence last."""
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE_TAG:
                continue
            sources = (
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
            for source in reversed(sources):
                if isinstance(source, yaml.MappingNode):
                    yield source
                else:
                    self._problem(source, "<< merges only mappings", "merge a mapping: <<: *name")

    def _key(self, node: yaml.Node) -> str | None:
        # Keys are names, taken as written: `no:` is Norwegian, not false; `1:` is the id "1".
        if isinstance(node, yaml.ScalarNode):
            return str(node.value)
        self._problem(node, "a key must be a plain name", "write the key as a plain name")
        return None

    def _problem(self, node: yaml.Node, detail: str, advice: str) -> None:
        where = _mark_location(self.document.file, node.start_mark)
        self.document.problems.append(problem("E301", where, detail=detail, advice=advice))
