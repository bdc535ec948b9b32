"""quanteda YAML: a mapping of keys to value lists (flow ``[a, b]`` or block ``- a``) or to
nested mappings; a single string is a list of one. Values are globs unless ``--valuetype`` says
regex or fixed (quanteda's ``valuetype`` is an argument of the lookup, not part of the file)."""

from __future__ import annotations

import yaml

from resdiscourse.dictionaries.builder import Builder
from resdiscourse.dictionaries.model import Dictionary


def compose(text: str, builder: Builder) -> yaml.Node | None:
    """The YAML node tree (with line numbers), or E803 at the line of a syntax error."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise builder.malformed(
            mark.line + 1 if mark else None,
            f"invalid YAML: {error.problem}",
            "fix the YAML at that line",
        ) from None
    except yaml.YAMLError as error:
        raise builder.malformed(None, f"invalid YAML: {error}", "fix the YAML") from None


def read_yaml(text: str, builder: Builder) -> Dictionary:
    root = compose(text, builder)
    if not isinstance(root, yaml.MappingNode) or not root.value:
        line = root.start_mark.line + 1 if root is not None else 1
        raise builder.malformed(
            line, "the file is not a mapping of keys", "write `KEY: [value, value]` lines"
        )
    _mapping(root, (), builder)
    return builder.build("")


def _mapping(node: yaml.MappingNode, path: tuple[str, ...], builder: Builder) -> None:
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or not str(key_node.value).strip():
            raise builder.malformed(
                key_node.start_mark.line + 1, "a key is empty or not text", "name every key"
            )
        here = (*path, str(key_node.value).strip())
        if builder.has(here):
            raise builder.malformed(
                key_node.start_mark.line + 1,
                f"key {'.'.join(here)!r} appears twice",
                "merge the two keys' values",
            )
        builder.category(here)
        _values(value_node, here, builder)


def _values(node: yaml.Node, path: tuple[str, ...], builder: Builder) -> None:
    if isinstance(node, yaml.MappingNode):
        _mapping(node, path, builder)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.MappingNode):
                _mapping(item, path, builder)  # a list item that nests keys, as quanteda allows
            elif isinstance(item, yaml.ScalarNode):
                builder.term(path, str(item.value), item.start_mark.line + 1)
            else:
                raise builder.malformed(
                    item.start_mark.line + 1, "a list inside a list", "flatten the values"
                )
    elif isinstance(node, yaml.ScalarNode) and str(node.value).strip():
        builder.term(path, str(node.value), node.start_mark.line + 1)
