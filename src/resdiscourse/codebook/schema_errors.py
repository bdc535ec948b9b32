"""Turn pydantic's ValidationError on a codebook into problems (E303) a person can act on.

Each error is placed at the value (or key) at fault, gets a plain detail and advice ("did you
mean ...?", "put it in quotes", the keys allowed here), and of a union only the member that fits
the kind of value written speaks, so that one mistake gives one problem.
"""

from __future__ import annotations

import difflib
import types
from dataclasses import dataclass
from typing import Annotated, Any, TypeGuard, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from resdiscourse.codebook.schema import Codebook
from resdiscourse.codebook.yaml_positions import KeyPath, YamlDocument, dotted_path
from resdiscourse.errors import Problem, problem


@dataclass(frozen=True)
class _Issue:
    """A pydantic error with its loc split into the data path and the union members tried."""

    error: ErrorDetails
    path: KeyPath
    #: (path of the union, member tag) for each union the loc passed through.
    tags: tuple[tuple[KeyPath, str], ...]
    key_error: bool


def _issue(error: ErrorDetails, data: Any) -> _Issue:
    path: list[str | int] = []
    tags: list[tuple[KeyPath, str]] = []
    current, key_error, loc = data, False, error["loc"]
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if last and part == "[key]":
            key_error = True
        elif _has(current, part):
            current = current[part]
            path.append(part)
        elif last and error["type"] == "missing":
            path.append(part)
        else:
            # Not in the data: the name of a union member, such as 'str' or 'TermSpec'.
            tags.append((tuple(path), str(part)))
    return _Issue(error, tuple(path), tuple(tags), key_error)


def _has(data: Any, part: str | int) -> bool:
    if isinstance(data, dict):
        return part in data
    return isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)


def _value_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    return "list" if isinstance(value, list) else "scalar"


def _tag_kind(tag: str) -> str:
    if tag.startswith("list["):
        return "list"
    if tag.startswith("dict[") or tag[:1].isupper():  # a dict or a model such as 'TermSpec'
        return "mapping"
    return "scalar"


def schema_problems(error: ValidationError, document: YamlDocument) -> list[Problem]:
    """One problem per place: of a union, only the member that fits the value's kind speaks."""
    issues = [_issue(item, document.data) for item in error.errors()]
    kept: list[_Issue] = []
    misfits: dict[KeyPath, list[str]] = {}
    for issue in issues:
        misfit = next(
            (
                (where, tag)
                for where, tag in issue.tags
                if _tag_kind(tag) != _kind(_value_at(document.data, where))
            ),
            None,
        )
        if misfit is None:
            kept.append(issue)
        else:
            misfits.setdefault(misfit[0], []).append(misfit[1])
    kept = _without_misspelt(kept)
    problems = [_schema_problem(issue, document) for issue in _unique(kept)]
    for where, tags in misfits.items():
        if not any(where in dict(issue.tags) for issue in kept):
            problems.append(_union_problem(where, tags, document))
    return problems


def _without_misspelt(issues: list[_Issue]) -> list[_Issue]:
    """Drop "missing key" where an unknown sibling key is that key misspelt (one mistake, one
    problem: the unknown key's hint says "did you mean ...")."""
    unknown: dict[KeyPath, list[str]] = {}
    for issue in issues:
        if issue.error["type"] == "extra_forbidden":
            unknown.setdefault(issue.path[:-1], []).append(str(issue.path[-1]))
    return [
        issue
        for issue in issues
        if issue.error["type"] != "missing"
        or not difflib.get_close_matches(str(issue.path[-1]), unknown.get(issue.path[:-1], []))
    ]


def _unique(issues: list[_Issue]) -> list[_Issue]:
    seen: set[tuple[KeyPath, str]] = set()
    unique = []
    for issue in issues:
        if (issue.path, issue.error["type"]) not in seen:
            seen.add((issue.path, issue.error["type"]))
            unique.append(issue)
    return unique


def _union_problem(path: KeyPath, tags: list[str], document: YamlDocument) -> Problem:
    expected = " or ".join(dict.fromkeys(_tag_description(tag) for tag in tags))
    value = _value_at(document.data, path)
    detail = f"expected {expected}, found {_found(value)}"
    return problem(
        "E303", document.at(path), path=dotted_path(path), detail=detail, advice=_write(path)
    )


def _tag_description(tag: str) -> str:
    if tag.startswith("list["):
        return "a list"
    if tag.startswith("dict["):
        return "a mapping"
    model = _MODELS.get(tag)
    if model is not None:
        return f"a mapping ({', '.join(model.model_fields)})"
    return "a text"


def _write(path: KeyPath) -> str:
    key = next((part for part in reversed(path) if isinstance(part, str)), "")
    if key == "terms":
        return 'write a list, terms: ["resilien*"], or one list per language, terms: {en: [...]}'
    if key in ("examples", "counterexamples"):
        return 'write a text, or a mapping: {text: "...", note: "..."}'
    return "see docs/codebook.md for what this key takes"


def _schema_problem(issue: _Issue, document: YamlDocument) -> Problem:
    error, path = issue.error, issue.path
    kind = error["type"]
    where = document.key_at(path) if kind == "extra_forbidden" or issue.key_error else None
    if kind == "missing":
        where = document.at(path[:-1])
    detail, advice = _explain(issue, document)
    return problem(
        "E303", where or document.at(path), path=dotted_path(path), detail=detail, advice=advice
    )


_ID_ADVICE = "ids are lower case letters, digits, _ and -, starting with a letter"

_EXPECTED = {
    "string_type": "a text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
}


def _explain(issue: _Issue, document: YamlDocument) -> tuple[str, str]:
    """(detail, advice) of a schema error."""
    error, path = issue.error, issue.path
    kind, value = error["type"], error.get("input")
    ctx = error.get("ctx") or {}
    key = str(path[-1]) if path else ""
    if issue.key_error:
        return f"bad name {key!r}", _ID_ADVICE
    if kind == "extra_forbidden":
        return "unknown key", _unknown_key_advice(path)
    if kind == "missing":
        return "missing", f"add `{key}:` {_under(path[:-1])}"
    if kind == "string_pattern_mismatch":
        return f"bad id {value!r}", _ID_ADVICE
    if kind == "string_too_short":
        return "is empty", f"write a text after `{key}:`"
    if kind == "too_short":
        return "is empty", f"write at least one item under `{key}:`"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = f"at least {ctx['ge']}" if "ge" in ctx else f"at most {ctx['le']}"
        return f"{value!r} is out of range", f"use a whole number {bound}"
    if kind == "literal_error":
        return f"{value!r} is not allowed", f"write one of {ctx['expected']}"
    if kind in ("model_type", "model_attributes_type"):
        model = _MODELS.get(str(ctx.get("class_name", "")))
        fields = f" with keys such as {', '.join(model.model_fields)}" if model else ""
        return _type_detail("a mapping", value), f"write a mapping{fields}"
    if kind in _EXPECTED:
        expected = _EXPECTED[kind]
        return _type_detail(expected, value), _type_advice(expected, value, path, document)
    if kind == "value_error":
        return f"bad value {value!r}", str(error["msg"]).removeprefix("Value error, ")
    return str(error["msg"]), "see docs/codebook.md for what this key takes"


def _under(parent: KeyPath) -> str:
    if not parent:
        return "at the top level"
    if isinstance(parent[-1], int):
        return "to this list item"
    return f"under `{parent[-1]}:`"


def _type_detail(expected: str, value: Any) -> str:
    if value is None:
        return f"no value (expected {expected})"
    return f"expected {expected}, found {_found(value)}"


def _found(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a text ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} ({value})"


def _type_advice(expected: str, value: Any, path: KeyPath, document: YamlDocument) -> str:
    key = next((part for part in reversed(path) if isinstance(part, str)), "")
    node = document.nodes.get(path)
    raw = node.value if isinstance(node, yaml.ScalarNode) else str(value)
    if value is None:
        return f"write {expected} after `{key}:`"
    if expected == "a text" and not isinstance(value, list | dict):
        return f'put it in quotes: "{raw}"'
    if expected == "a list" and not isinstance(value, dict):
        item = f'"{raw}"' if isinstance(value, str) else raw
        return f"write a list: [{item}], or one `- item` line per item"
    if expected == "a whole number":
        return f"write a whole number without quotes, e.g. `{key}: 3`"
    return f"write {expected} here"


def _unknown_key_advice(path: KeyPath) -> str:
    model = _model_at(path[:-1])
    if model is None:
        return "remove it"
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(str(path[-1]), allowed, n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"the keys allowed here are {', '.join(allowed)}"


def _members(annotation: Any) -> list[Any]:
    """The types of an annotation, with Annotated, unions and Optional unwrapped."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [member for arg in get_args(annotation) for member in _members(arg)]
    return [annotation]


def _model_at(path: KeyPath) -> type[BaseModel] | None:
    """The model of the mapping at ``path`` (following the schema's annotations)."""
    candidates: list[Any] = [Codebook]
    for part in path:
        candidates = [nxt for candidate in candidates for nxt in _step(candidate, part)]
    members = [member for candidate in candidates for member in _members(candidate)]
    return next((member for member in members if _is_model(member)), None)


def _step(annotation: Any, part: str | int) -> list[Any]:
    found: list[Any] = []
    for member in _members(annotation):
        if _is_model(member):
            if isinstance(part, str) and part in member.model_fields:
                found.append(member.model_fields[part].annotation)
        elif get_origin(member) is list and isinstance(part, int):
            found.append(get_args(member)[0])
        elif get_origin(member) is dict and isinstance(part, str):
            found.append(get_args(member)[1])
    return found


def _is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _all_models() -> dict[str, type[BaseModel]]:
    models: dict[str, type[BaseModel]] = {}
    pending: list[Any] = [Codebook]
    while pending:
        for member in _members(pending.pop()):
            if get_origin(member) in (list, dict):
                pending += get_args(member)
            elif _is_model(member) and member.__name__ not in models:
                models[member.__name__] = member
                pending += [info.annotation for info in member.model_fields.values()]
    return models


_MODELS = _all_models()
