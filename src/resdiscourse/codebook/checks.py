"""The checks that need the whole codebook, after the schema has passed (docs/codebook.md).

Queries parse and name defined concepts, ``retrieval`` gives ``all`` or ``query``, the window
fits the unit, rule ids are unique, codes have ``rules`` or ``absent`` (and absence codes list
real codes), negation has its concept, language codes and terms are well formed. Each problem
points at the value at fault, inside a query when it can.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from resdiscourse.codebook.query import QuerySyntaxError, concepts_in, parse_query
from resdiscourse.codebook.schema import (
    DEFAULT_RETRIEVAL,
    Codebook,
    Concept,
    Retrieval,
    RetrievalVariant,
    TermSpec,
    check_term_text,
)
from resdiscourse.codebook.yaml_positions import KeyPath, YamlDocument, dotted_path
from resdiscourse.errors import Location, Problem, problem

_LANGUAGE = re.compile(r"[a-z]{2}")
#: What only a regular expression has: a class, an escape, alternation, anchors, ``?``, and a
#: ``.`` before a repeat (``.*``, ``.+``). A lone ``.`` (U.S.) or ``+`` (2SLGBTQ+) is text.
_REGEX_SYNTAX = re.compile(r"[\[\]\\|^$?]|\.[*+]")


def regex_syntax(term: str) -> tuple[int, int] | None:
    """Where ``term`` has regular-expression syntax (start, end), or None."""
    found = _REGEX_SYNTAX.search(term)
    return (found.start(), found.end()) if found else None


def cross_check(codebook: Codebook, document: YamlDocument) -> list[Problem]:
    """Every cross-check problem of a codebook that passed the schema."""
    return _Checker(codebook, document).run()


@dataclass
class _Checker:
    """Checks that need the whole codebook: queries, references, ids, absences, terms."""

    codebook: Codebook
    document: YamlDocument
    problems: list[Problem] = field(default_factory=list)

    def report(self, code: str, where: Location, path: KeyPath, **values: Any) -> None:
        self.problems.append(problem(code, where, path=dotted_path(path), **values))

    def run(self) -> list[Problem]:
        for check in self.checks():
            check()
        return self.problems

    def checks(self) -> list[Callable[[], None]]:
        return [
            self.queries,
            self.patterns,
            self.retrieval,
            self.window,
            self.rule_ids,
            self.absences,
            self.negation,
            self.clause_concepts,
            self.requirements,
            self.language,
            self.example_languages,
            self.terms,
        ]

    # queries and the concepts they name

    def queries(self) -> None:
        for name, text in self.codebook.patterns.items():
            self.query(("patterns", name), text)
        for path, retrieval in self.retrievals():
            if retrieval.query:
                self.query((*path, "query"), retrieval.query)
        for dim_name, dimension in self.codebook.dimensions.items():
            if dimension.when:
                self.query(("dimensions", dim_name, "when"), dimension.when)
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
            if name not in self.codebook.concepts and name not in self.codebook.patterns:
                found = re.search(r"\{\s*" + re.escape(name) + r"\s*\}", text)
                where = self.in_scalar(path, found.start() if found else 0)
                self.unknown_concept(where, path, name)

    def patterns(self) -> None:
        """A pattern's name is not a concept's, and no pattern ends up using itself."""
        for name in self.codebook.patterns:
            path: KeyPath = ("patterns", name)
            if name in self.codebook.concepts:
                detail = f"{name!r} names both a concept and a pattern"
                advice = "rename the pattern: {" + name + "} must mean one thing"
                self.report("E309", self.document.at(path), path, detail=detail, advice=advice)
            cycle = self.pattern_cycle(name, [])
            if cycle:
                self.report("E311", self.document.at(path), path, cycle=" -> ".join(cycle))

    def pattern_cycle(self, name: str, stack: list[str]) -> list[str]:
        if name in stack:
            return [*stack, name] if stack[0] == name else []
        try:
            used = concepts_in(parse_query(self.codebook.patterns[name]))
        except QuerySyntaxError:
            return []  # reported as E304 by queries()
        for other in used:
            if other in self.codebook.patterns:
                cycle = self.pattern_cycle(other, [*stack, name])
                if cycle:
                    return cycle
        return []

    def unknown_concept(self, where: Location, path: KeyPath, name: str) -> None:
        names = [*self.codebook.concepts, *self.codebook.patterns]
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

    def retrievals(self) -> Iterator[tuple[KeyPath, RetrievalVariant | Retrieval]]:
        """The default retrieval and each named variant, with their key paths."""
        retrieval = self.codebook.retrieval
        yield ("retrieval",), retrieval
        for name, variant in retrieval.variants.items():
            yield ("retrieval", "variants", name), variant

    def retrieval(self) -> None:
        if self.codebook.is_dictionary:
            return
        for path, retrieval in self.retrievals():
            if bool(retrieval.all) == bool(retrieval.query):
                state = "both `all` and" if retrieval.all else "neither `all` nor"
                self.report(
                    "E309",
                    self.document.at(path),
                    path,
                    detail=f"has {state} `query`",
                    advice='give exactly one: all: [concept, ...] or query: "{concept} AND ..."',
                )
            for index, name in enumerate(retrieval.all):
                if name not in self.codebook.concepts:
                    where: KeyPath = (*path, "all", index)
                    self.unknown_concept(self.document.at(where), where, name)
        if DEFAULT_RETRIEVAL in self.codebook.retrieval.variants:
            path = ("retrieval", "variants", DEFAULT_RETRIEVAL)
            self.report(
                "E309",
                self.document.key_at(path),
                path,
                detail=f"{DEFAULT_RETRIEVAL!r} names the codebook's own retrieval",
                advice="give the variant another name",
            )

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

    def clause_concepts(self) -> None:
        for key in ("openers", "relatives", "coordinators"):
            name = getattr(self.codebook.clauses, key)
            if name is not None and name not in self.codebook.concepts:
                path = ("clauses", key)
                self.unknown_concept(self.document.at(path), path, name)
        exceptions = self.codebook.negation_exceptions
        if exceptions is not None and exceptions not in self.codebook.concepts:
            where: KeyPath = ("negation_exceptions",)
            self.unknown_concept(self.document.at(where), where, exceptions)

    def requirements(self) -> None:
        """``requires:`` names ``dimension:code`` keys of dimensions coded earlier."""
        earlier: dict[str, Any] = {}
        for dim_name, dimension in self.codebook.dimensions.items():
            base: KeyPath = ("dimensions", dim_name)
            self.required_keys((*base, "requires"), dimension.requires, earlier)
            for code_name, code in dimension.codes.items():
                for index, rule in enumerate(code.rules):
                    path = (*base, "codes", code_name, "rules", index, "requires")
                    self.required_keys(path, rule.requires, earlier)
            earlier[dim_name] = dimension

    def required_keys(self, path: KeyPath, keys: list[str], earlier: dict[str, Any]) -> None:
        for index, key in enumerate(keys):
            dimension, _, code = key.partition(":")
            if dimension in earlier and code in earlier[dimension].codes:
                continue
            known = [f"{d}:{c}" for d, dim in earlier.items() for c in dim.codes]
            close = difflib.get_close_matches(key, known, n=1)
            advice = (
                f"did you mean {close[0]!r}?"
                if close
                else "name a dimension:code of a dimension listed before this one"
            )
            detail = f"{key!r} is not a code of a dimension coded before this one"
            where = self.document.at((*path, index))
            self.report("E307", where, (*path, index), detail=detail, advice=advice)

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
        # A dictionary's category may be a coding frame's code, described but without terms yet.
        if not terms and not self.codebook.is_dictionary:
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
                continue
            self.regex_like((*path, index), term)

    def regex_like(self, path: KeyPath, term: str) -> None:
        """A term written as a regular expression matches nothing: it is matched word by word,
        with ``*`` as the only wildcard."""
        found = regex_syntax(term)
        if found is None:
            return
        where = self.in_scalar(path, found[0])
        self.report("E310", where, path, term=term, found=term[found[0] : found[1]])

    def term_spec(self, path: KeyPath, term: TermSpec) -> None:
        self.regex_like((*path, "term"), term.term)
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
