"""Load a codebook: YAML with positions, the schema, then the cross-checks (docs/codebook.md).

Every problem is collected, not only the first, and each points at the ``file:line:col`` of the
value at fault. The YAML is composed into nodes (PyYAML keeps each node's start mark) and turned
into plain data by hand, which records where every value stands and catches duplicate keys that
PyYAML would silently drop.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, TypeGuard, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from resdiscourse.codebook.query import QuerySyntaxError, concepts_in, parse_query
from resdiscourse.codebook.schema import Codebook, Concept, TermSpec, check_term_text
from resdiscourse.errors import Location, Problem, UsageError, problem

#: A key path into the codebook: mapping keys and list indexes, from the top.
KeyPath = tuple[str | int, ...]
Position = tuple[int, int]

_MERGE_TAG = "tag:yaml.org,2002:merge"
_LANGUAGE = re.compile(r"[a-z]{2}")


@dataclass(frozen=True)
class LoadedCodebook:
    """A valid codebook, its file, and where each of its values stands in that file."""

    codebook: Codebook
    #: The path as given, or the shipped codebook's name.
    source: str
    path: Path
    sha256: str
    #: Key path -> 1-based (line, col) of the value.
    positions: dict[KeyPath, Position]

    def location(self, path: KeyPath) -> Location:
        """The location of the value at ``path``, else of its nearest parent that has one."""
        return _nearest(self.source, self.positions, path)


class CodebookError(UsageError):
    """An invalid codebook: every problem found (exit code 2, like other configuration errors)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0])
        self.problems = problems

    def one_line(self) -> str:
        return "\n".join(item.one_line() for item in self.problems)

    def __str__(self) -> str:
        return self.one_line()


def load_codebook(source: str | Path) -> LoadedCodebook:
    """Load, check and return a codebook; raises :class:`CodebookError` with all its problems."""
    loaded, problems = _load(source)
    if problems or loaded is None:
        raise CodebookError(problems)
    return loaded


def validate_codebook(source: str | Path) -> list[Problem]:
    """Every problem of a codebook (an empty list: it is valid)."""
    return _load(source)[1]


# --- finding the file -----------------------------------------------------------------------------


def _shipped_folder() -> Traversable:
    """The folder of shipped codebooks (a function, so that tests can point it elsewhere)."""
    return resources.files("resdiscourse") / "codebooks"


def shipped_codebooks() -> dict[str, Traversable]:
    """The shipped codebooks by name (the file name without ``.yml``), sorted."""
    folder = _shipped_folder()
    if not folder.is_dir():
        return {}
    found = {item.name[: -len(".yml")]: item for item in folder.iterdir() if _is_yml(item)}
    return dict(sorted(found.items()))


def _is_yml(item: Traversable) -> bool:
    return item.name.endswith(".yml") and item.is_file()


@dataclass(frozen=True)
class _Source:
    name: str
    path: Path
    data: bytes


def _open(source: str | Path) -> _Source:
    """The file's bytes; raises :class:`CodebookError` (E308) when there is no such codebook."""
    name = str(source)
    shipped = shipped_codebooks()
    path_like = isinstance(source, Path) or name.endswith((".yml", ".yaml")) or "/" in name
    if not path_like and name in shipped:
        item = shipped[name]
        return _Source(name, Path(str(item)), item.read_bytes())
    path = Path(source)
    try:
        return _Source(name, path, path.read_bytes())
    except OSError:
        names = ", ".join(shipped) or "none is installed"
        where = Location(file=name)
        raise CodebookError([problem("E308", where, source=name, names=names)]) from None


# --- YAML with positions --------------------------------------------------------------------------


@dataclass
class _Document:
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


def _position(mark: yaml.Mark) -> Position:
    return mark.line + 1, mark.column + 1


def _mark_location(file: str, mark: yaml.Mark) -> Location:
    line, col = _position(mark)
    return Location(file=file, line=line, col=col)


def _nearest(file: str, positions: dict[KeyPath, Position], path: KeyPath) -> Location:
    for end in range(len(path), -1, -1):
        if path[:end] in positions:
            line, col = positions[path[:end]]
            return Location(file=file, line=line, col=col)
    return Location(file=file)


def _read_yaml(source: _Source) -> _Document:
    document = _Document(source.name)
    try:
        text = source.data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = source.data[: error.start].count(b"\n") + 1
        where = Location(file=source.name, line=line, col=1)
        advice = "save the file as UTF-8"
        document.problems.append(problem("E301", where, detail="not UTF-8 text", advice=advice))
        return document
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        document.problems.append(_syntax_problem(source.name, text, error))
        return document
    if root is not None:
        document.data = _Builder(document).build(root, ())
    return document


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

    def __init__(self, document: _Document) -> None:
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
                        path=_dotted(path),
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


def _dotted(path: KeyPath) -> str:
    """``dimensions.locus.codes.attribute.rules[0].negation``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


# --- the schema -----------------------------------------------------------------------------------


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


def _schema_problems(error: ValidationError, document: _Document) -> list[Problem]:
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


def _union_problem(path: KeyPath, tags: list[str], document: _Document) -> Problem:
    expected = " or ".join(dict.fromkeys(_tag_description(tag) for tag in tags))
    value = _value_at(document.data, path)
    detail = f"expected {expected}, found {_found(value)}"
    return problem(
        "E303", document.at(path), path=_dotted(path), detail=detail, advice=_write(path)
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


def _schema_problem(issue: _Issue, document: _Document) -> Problem:
    error, path = issue.error, issue.path
    kind = error["type"]
    where = document.key_at(path) if kind == "extra_forbidden" or issue.key_error else None
    if kind == "missing":
        where = document.at(path[:-1])
    detail, advice = _explain(issue, document)
    return problem(
        "E303", where or document.at(path), path=_dotted(path), detail=detail, advice=advice
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


def _explain(issue: _Issue, document: _Document) -> tuple[str, str]:
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


def _type_advice(expected: str, value: Any, path: KeyPath, document: _Document) -> str:
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


# --- the cross-checks -----------------------------------------------------------------------------


@dataclass
class _Checker:
    """Checks that need the whole codebook: queries, references, ids, absences, terms."""

    codebook: Codebook
    document: _Document
    problems: list[Problem] = field(default_factory=list)

    def report(self, code: str, where: Location, path: KeyPath, **values: Any) -> None:
        self.problems.append(problem(code, where, path=_dotted(path), **values))

    def run(self) -> list[Problem]:
        for check in self.checks():
            check()
        return self.problems

    def checks(self) -> list[Callable[[], None]]:
        return [
            self.queries,
            self.retrieval,
            self.window,
            self.rule_ids,
            self.absences,
            self.negation,
            self.language,
            self.example_languages,
            self.terms,
        ]

    # queries and the concepts they name

    def queries(self) -> None:
        query = self.codebook.retrieval.query
        if query:
            self.query(("retrieval", "query"), query)
        for path, rule in self.rules():
            self.query((*path, "match"), rule.match)
            for index, text in enumerate(rule.unless):
                self.query((*path, "unless", index), text)

    def query(self, path: KeyPath, text: str) -> None:
        try:
            node = parse_query(text)
        except QuerySyntaxError as error:
            where = self.in_scalar(path, error.col - 1)
            self.report("E304", where, path, detail=error.message, advice=error.hint)
            return
        for name in concepts_in(node):
            if name not in self.codebook.concepts:
                found = re.search(r"\{\s*" + re.escape(name) + r"\s*\}", text)
                where = self.in_scalar(path, found.start() if found else 0)
                self.unknown_concept(where, path, name)

    def unknown_concept(self, where: Location, path: KeyPath, name: str) -> None:
        names = list(self.codebook.concepts)
        close = difflib.get_close_matches(name, names, n=1)
        advice = f"did you mean {close[0]!r}?" if close else f"define `{name}:` under `concepts:`"
        self.report("E305", where, path, concept=name, advice=advice)

    def in_scalar(self, path: KeyPath, offset: int) -> Location:
        """The location of character ``offset`` of the text at ``path``, when the text is written
        on one line without escapes; else the location of the text."""
        node = self.document.nodes.get(path)
        where = self.document.at(path)
        if not isinstance(node, yaml.ScalarNode) or where.col is None:
            return where
        start, end = node.start_mark, node.end_mark
        quoted = node.style in ("'", '"')
        raw = str(start.buffer)[start.index : end.index] if start.buffer else ""
        inner = raw[1:-1] if quoted else raw
        if start.line != end.line or inner != node.value:
            return where
        return Location(file=where.file, line=where.line, col=where.col + offset + int(quoted))

    # retrieval and the unit

    def retrieval(self) -> None:
        retrieval = self.codebook.retrieval
        if bool(retrieval.all) == bool(retrieval.query):
            state = "both `all` and" if retrieval.all else "neither `all` nor"
            self.report(
                "E309",
                self.document.at(("retrieval",)),
                ("retrieval",),
                detail=f"has {state} `query`",
                advice='give exactly one: all: [concept, ...] or query: "{concept} AND ..."',
            )
        for index, name in enumerate(retrieval.all):
            if name not in self.codebook.concepts:
                path: KeyPath = ("retrieval", "all", index)
                self.unknown_concept(self.document.at(path), path, name)

    def window(self) -> None:
        unit, window = self.codebook.unit, self.codebook.window
        if unit == "window" and window < 1:
            path: KeyPath = ("window",) if ("window",) in self.document.nodes else ("unit",)
            detail = "`unit: window` needs a window of at least 1 sentence"
            advice = "add `window: 1` (or more): the sentences either side of the segment"
            self.report("E309", self.document.at(path), path, detail=detail, advice=advice)
        elif unit != "window" and window != 0:
            detail = f"`window: {window}` is set but the unit is {unit!r}"
            advice = "write `unit: window`, or remove `window:`"
            self.report(
                "E309", self.document.at(("window",)), ("window",), detail=detail, advice=advice
            )

    # rules and codes

    def rules(self) -> Iterator[tuple[KeyPath, Any]]:
        for dim_name, dimension in self.codebook.dimensions.items():
            for code_name, code in dimension.codes.items():
                for index, rule in enumerate(code.rules):
                    yield ("dimensions", dim_name, "codes", code_name, "rules", index), rule

    def rule_ids(self) -> None:
        first: dict[str, KeyPath] = {}
        for path, rule in self.rules():
            id_path = (*path, "id")
            if rule.id in first:
                first_line = self.document.at(first[rule.id]).line
                where = self.document.at(id_path)
                self.report("E306", where, id_path, rule_id=rule.id, first_line=first_line)
            else:
                first[rule.id] = id_path

    def absences(self) -> None:
        for dim_name, dimension in self.codebook.dimensions.items():
            absence_codes = {name for name, code in dimension.codes.items() if code.absent}
            for code_name, code in dimension.codes.items():
                path: KeyPath = ("dimensions", dim_name, "codes", code_name)
                if bool(code.rules) == (code.absent is not None):
                    self.rules_or_absent(path, both=bool(code.rules))
                if code.absent is not None:
                    for index, name in enumerate(code.absent.of):
                        self.absent_of((*path, "absent", "of", index), name, dimension.codes)
                        if name in absence_codes:
                            self.report(
                                "E307",
                                self.document.at((*path, "absent", "of", index)),
                                (*path, "absent", "of", index),
                                detail=f"{name!r} is itself an absence code",
                                advice="name the codes whose absence this code records",
                            )
                    known = all(name in dimension.codes for name in code.absent.of)
                    if dimension.exclusive and known:
                        self.exclusive_absence(path, code.absent.of, dimension.codes)

    def exclusive_absence(self, path: KeyPath, listed: list[str], codes: dict[str, Any]) -> None:
        """In an exclusive dimension an absence code must list every other code: otherwise a
        segment could get it beside the code that won."""
        missing = [name for name, code in codes.items() if not code.absent and name not in listed]
        if missing:
            where = self.document.at((*path, "absent", "of"))
            detail = f"the dimension is exclusive, but `absent.of` leaves out {', '.join(missing)}"
            advice = f"add {', '.join(missing)} to `of:`, or make the dimension `exclusive: false`"
            self.report("E307", where, (*path, "absent", "of"), detail=detail, advice=advice)

    def rules_or_absent(self, path: KeyPath, both: bool) -> None:
        if both:
            where = self.document.key_at((*path, "absent"))
            detail = "a code has `rules` or `absent`, not both"
            advice = "move the rules to another code, or remove `absent:`"
        else:
            where = self.document.at(path)
            detail = "the code has neither `rules` nor `absent`"
            advice = "add `rules:` (when the code is given) or `absent: {of: [...]}`"
        self.report("E307", where, path, detail=detail, advice=advice)

    def absent_of(self, path: KeyPath, name: str, codes: dict[str, Any]) -> None:
        if name in codes:
            return
        close = difflib.get_close_matches(name, list(codes), n=1)
        advice = (
            f"did you mean {close[0]!r}?"
            if close
            else f"name codes of this dimension: {', '.join(codes)}"
        )
        detail = f"{name!r} is not a code of this dimension"
        self.report("E307", self.document.at(path), path, detail=detail, advice=advice)

    def negation(self) -> None:
        name = self.codebook.negation
        if name in self.codebook.concepts:
            return
        for path, rule in self.rules():
            if rule.negation is not None:
                self.report(
                    "E309",
                    self.document.at((*path, "negation")),
                    (*path, "negation"),
                    detail=f"negation needs the concept {name!r}, which is not defined",
                    advice=f"define `{name}:` under `concepts:` with cue terms such as not, "
                    "never, no (or name another concept in the top-level `negation:`)",
                )

    # language and terms

    def language(self) -> None:
        self.language_code(("language",), self.codebook.language)

    def example_languages(self) -> None:
        for dim_name, dimension in self.codebook.dimensions.items():
            for code_name, code in dimension.codes.items():
                for key in ("examples", "counterexamples"):
                    for index, item in enumerate(getattr(code, key)):
                        path = ("dimensions", dim_name, "codes", code_name, key, index, "language")
                        if not isinstance(item, str) and item.language:
                            self.language_code(path, item.language)

    def language_code(self, path: KeyPath, language: str, where: Location | None = None) -> None:
        if not _LANGUAGE.fullmatch(language):
            self.report(
                "E309",
                where or self.document.at(path),
                path,
                detail=f"bad language code {language!r}",
                advice="use a 2-letter lower case code (ISO 639-1): en, fr, de",
            )

    def terms(self) -> None:
        for name, concept in self.codebook.concepts.items():
            self.concept_terms(("concepts", name, "terms"), concept)

    def concept_terms(self, path: KeyPath, concept: Concept) -> None:
        if isinstance(concept.terms, list):
            self.term_list(path, concept.terms)
            return
        if not concept.terms:
            self.no_terms(path)
            return
        for language, terms in concept.terms.items():
            key = (*path, language)
            self.language_code(key, language, self.document.key_at(key))
            self.term_list((*path, language), terms)
        if self.codebook.language not in concept.terms:
            self.report(
                "E309",
                self.document.at(path),
                path,
                detail=f"no terms for the codebook's language {self.codebook.language!r}",
                advice=f"add `{self.codebook.language}: [...]`: documents in other languages "
                "fall back to it",
            )

    def term_list(self, path: KeyPath, terms: list[str | TermSpec]) -> None:
        if not terms:
            self.no_terms(path)
        for index, term in enumerate(terms):
            if isinstance(term, TermSpec):
                self.term_spec((*path, index), term)
                continue
            try:
                check_term_text(term)
            except ValueError as error:
                where = self.document.at((*path, index))
                detail = f"bad term {term!r}"
                self.report("E303", where, (*path, index), detail=detail, advice=str(error))

    def term_spec(self, path: KeyPath, term: TermSpec) -> None:
        if term.lemma and "*" in term.term:
            self.report(
                "E309",
                self.document.at((*path, "term")),
                (*path, "term"),
                detail=f"a lemma term cannot have * ({term.term!r})",
                advice="remove the * (a lemma already covers the word's forms) or `lemma: true`",
            )

    def no_terms(self, path: KeyPath) -> None:
        self.report(
            "E309",
            self.document.at(path),
            path,
            detail="no terms",
            advice="add at least one term",
        )


# --- putting it together --------------------------------------------------------------------------


def _load(source: str | Path) -> tuple[LoadedCodebook | None, list[Problem]]:
    try:
        opened = _open(source)
    except CodebookError as error:
        return None, error.problems
    document = _read_yaml(opened)
    if any(item.code == "E301" for item in document.problems):
        return None, _sorted(document.problems)
    problems = list(document.problems)
    try:
        codebook = Codebook.model_validate(document.data)
    except ValidationError as error:
        return None, _sorted(problems + _schema_problems(error, document))
    problems += _Checker(codebook, document).run()
    if problems:
        return None, _sorted(problems)
    digest = hashlib.sha256(opened.data).hexdigest()
    loaded = LoadedCodebook(codebook, opened.name, opened.path, digest, document.positions())
    return loaded, []


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda item: (item.location.line or 0, item.location.col or 0))
