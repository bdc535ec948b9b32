"""``resdiscourse codebook test``: every example and counterexample of a codebook, run as a test.

Each text is coded as a one-sentence document. An example passes when it is retrieved and gets its
code; a counterexample passes when it does not get its code. A failure says why, from the trace.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from resdiscourse.codebook.load import LoadedCodebook
from resdiscourse.codebook.schema import Example, ExampleItem
from resdiscourse.coding import CodedSegment, code_text
from resdiscourse.errors import Location
from resdiscourse.matching.compile import CompiledCodebook, compile_codebook

Kind = Literal["example", "counterexample"]


@dataclass(frozen=True)
class CaseResult:
    dimension: str
    code: str
    kind: Kind
    index: int
    text: str
    passed: bool
    retrieved: bool
    #: The codes of this dimension the text got.
    got: tuple[str, ...]
    #: Why it failed (empty when it passed).
    detail: str
    location: Location

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["got"] = list(self.got)
        data["location"] = str(self.location)
        return data


@dataclass
class CodebookTestReport:
    codebook: str
    version: str
    results: list[CaseResult] = field(default_factory=list)

    @property
    def failed(self) -> list[CaseResult]:
        return [result for result in self.results if not result.passed]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def per_code(self) -> list[dict[str, Any]]:
        """Per code: examples and counterexamples run and passed, in codebook order."""
        counts: dict[tuple[str, str], Counter[str]] = {}
        for result in self.results:
            counter = counts.setdefault((result.dimension, result.code), Counter())
            counter[result.kind] += 1
            counter[f"{result.kind}_passed"] += result.passed
        return [
            {
                "dimension": dimension,
                "code": code,
                "examples": counter["example"],
                "examples_passed": counter["example_passed"],
                "counterexamples": counter["counterexample"],
                "counterexamples_passed": counter["counterexample_passed"],
            }
            for (dimension, code), counter in counts.items()
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "codebook": self.codebook,
            "version": self.version,
            "total": len(self.results),
            "passed": len(self.results) - len(self.failed),
            "failed": len(self.failed),
            "per_code": self.per_code(),
            "failures": [result.to_dict() for result in self.failed],
            "exit_code": self.exit_code,
        }


def run_codebook_tests(loaded: LoadedCodebook, *, model: str | None = None) -> CodebookTestReport:
    """Run every example and counterexample of a loaded codebook."""
    book = loaded.codebook
    compiled = compile_codebook(book)
    report = CodebookTestReport(book.name, book.version)
    for case in _cases(loaded):
        report.results.append(_run_case(compiled, case, model))
    return report


@dataclass(frozen=True)
class _Case:
    dimension: str
    code: str
    kind: Kind
    index: int
    example: Example
    location: Location


def _cases(loaded: LoadedCodebook) -> list[_Case]:
    cases = []
    for dimension_id, dimension in loaded.codebook.dimensions.items():
        for code_id, code in dimension.codes.items():
            kinds: tuple[tuple[Kind, list[ExampleItem]], ...] = (
                ("example", code.examples),
                ("counterexample", code.counterexamples),
            )
            for kind, items in kinds:
                for index, item in enumerate(items):
                    key = ("dimensions", dimension_id, "codes", code_id, f"{kind}s", index)
                    example = item if isinstance(item, Example) else Example(text=item)
                    location = loaded.location(key)
                    cases.append(_Case(dimension_id, code_id, kind, index, example, location))
    return cases


def _run_case(compiled: CompiledCodebook, case: _Case, model: str | None) -> CaseResult:
    example = case.example
    segments = code_text(
        example.text, compiled, language=example.language or None, model=model, explain=True
    )
    got = tuple(dict.fromkeys(c for s in segments for c in s.codes(case.dimension)))
    passed = (case.code in got) if case.kind == "example" else (case.code not in got)
    detail = "" if passed else _why(segments, case.dimension, case.code, case.kind, got)
    return CaseResult(
        case.dimension,
        case.code,
        case.kind,
        case.index,
        example.text,
        passed,
        bool(segments),
        got,
        detail,
        case.location,
    )


def _why(
    segments: list[CodedSegment], dimension: str, code: str, kind: Kind, got: tuple[str, ...]
) -> str:
    if not segments:
        return "not retrieved (the retrieval concepts do not all occur in one unit)"
    entries = [
        entry
        for segment in segments
        for entry in segment.trace
        if entry.dimension == dimension and (entry.code == code or entry.outcome == "fired")
    ]
    if kind == "counterexample":
        fired = [e for e in entries if e.code == code and e.outcome in ("fired", "absent")]
        return "; ".join(
            f"rule {e.rule_id} fired on {', '.join(repr(x.text) for x in e.evidence) or e.detail}"
            for e in fired
        )
    reasons = [f"rule {e.rule_id}: {e.outcome} ({e.detail})" for e in entries if e.code == code]
    others = f"; got {', '.join(got)}" if got else ""
    return ("; ".join(reasons) or "no rule of this code matched any of its words") + others
