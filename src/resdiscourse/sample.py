"""``resdiscourse sample DIR``: a reproducible validation sample for a second (human) coder.

Two kinds of units are drawn from an output folder of ``resdiscourse code``:

- *retrieved* segments (segments.csv), to check the automatic codes (precision, agreement);
- *candidates*: sentences that hold a term of a retrieval concept but lie outside every retrieved
  segment, to check what retrieval missed (recall).

Retrieved segments can be stratified by a dimension (one stratum per combination of its codes), by
one code (has / has not) or by the review flag (``review=yes`` / ``review=no``), with the draws
spread as equally as possible over the strata so that rare codes are seen; candidates are a
stratum of their own. Each unit carries its stratum's weight (population / sample size), so that
estimates from the sample can be reweighted to the population.

Outputs (same inputs and seed, same bytes): ``sample.csv`` (the blind coding sheet),
``sample-key.csv`` (kind, stratum, weight and the automatic codes), ``sample.qdpx`` (one source per
unit, for QDA software) and ``sample.json`` (the summary).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from resdiscourse.codebook.query import Node, OrNode
from resdiscourse.coding import prepare_text
from resdiscourse.errors import Location, Problem, UsageError
from resdiscourse.export.refi_model import RefiProject, RefiSource
from resdiscourse.export.refi_project import (
    VARIABLES,
    project_of_sources,
    source_guid,
    user_named,
    variable_values,
    variables_named,
)
from resdiscourse.export.refi_write import write_qdpx
from resdiscourse.export.tables import write_table
from resdiscourse.ingest.outputs import write_atomic
from resdiscourse.matching.compile import CompiledCodebook, compile_codebook
from resdiscourse.matching.matcher import positive_atoms
from resdiscourse.retrieve import retrieve
from resdiscourse.rundir import CodeRun, load_run, needs_review
from resdiscourse.runfolder import CONTEXT_CHARS, make_output_folder, out_folder

RETRIEVED, CANDIDATE = "retrieved", "candidate"
#: Stratum names that no code id can be (they are in parentheses).
ALL, NONE, CANDIDATES = "(all)", "(none)", "(candidates)"
#: ``--stratify review``: strata of the segments' review flag (segments.csv ``review``).
REVIEW = "review"
REVIEW_STRATA = ("review=yes", "review=no")
SHEET_FILE, KEY_FILE, QDPX_FILE, SUMMARY_FILE = (
    "sample.csv",
    "sample-key.csv",
    "sample.qdpx",
    "sample.json",
)
SHEET_COLUMNS = [
    "sample_id",
    "unit_id",
    "doc_id",
    "title",
    "year",
    "jurisdiction",
    "page",
    "page_label",
    "start",
    "end",
    "text",
    "context_before",
    "context_after",
]
KEY_COLUMNS = ["sample_id", "unit_id", "kind", "stratum", "weight"]
#: The one user of the .qdpx (it creates the sources; the coder's software adds its own user).
USER = "resdiscourse"

#: The stratum of a retrieved segment from its codes (``dimension:code``) and its segments.csv row.
Classify = Callable[[tuple[str, ...], dict[str, str]], str]


@dataclass(frozen=True)
class Unit:
    """A unit that can be drawn: characters [start, end) of a document's clean text."""

    doc_id: str
    start: int
    end: int
    kind: str  # retrieved | candidate
    stratum: str
    #: The automatic codes (``dimension:code``), in codebook order; none for a candidate.
    codes: tuple[str, ...]
    context_before: str
    context_after: str

    @property
    def unit_id(self) -> str:
        return f"{self.doc_id}:{self.start}-{self.end}"

    @property
    def order(self) -> tuple[str, int, int]:
        return (self.doc_id, self.start, self.end)


@dataclass
class Stratum:
    """A stratum's population and the units drawn from it."""

    name: str
    kind: str
    population: list[Unit]
    drawn: list[Unit] = field(default_factory=list)

    @property
    def weight(self) -> float | None:
        """How many units of the population each drawn unit stands for."""
        return len(self.population) / len(self.drawn) if self.drawn else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "stratum": self.name,
            "kind": self.kind,
            "population": len(self.population),
            "drawn": len(self.drawn),
            "weight": self.weight,
        }


@dataclass
class SampleSummary:
    """What ``sample_run`` drew and wrote; ``to_dict()`` is the CLI's ``--json`` output and,
    without the two folders, the content of sample.json."""

    folder: str
    out: str
    seed: int
    stratify: str | None
    n: int
    candidates: int
    corpus: str
    codebook: dict[str, Any]
    strata: list[Stratum] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: Warnings about the run folder (W220); not in sample.json.
    problems: list[Problem] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0  # any failure stops with a usage error (exit code 2)

    def drawn(self, kind: str) -> int:
        return sum(len(s.drawn) for s in self.strata if s.kind == kind)

    def record(self) -> dict[str, Any]:
        """The summary without where it was read or written (sample.json: byte-identical
        wherever the sample is written)."""
        return {
            "corpus": self.corpus,
            "codebook": self.codebook,
            "seed": self.seed,
            "rng": f"numpy {np.__version__} default_rng (PCG64)",
            "stratify": self.stratify,
            "n": {"asked": self.n, "drawn": self.drawn(RETRIEVED)},
            "candidates": {"asked": self.candidates, "drawn": self.drawn(CANDIDATE)},
            "units": sum(len(s.drawn) for s in self.strata),
            "strata": [stratum.to_dict() for stratum in self.strata],
            "files": self.files,
        }

    def to_dict(self) -> dict[str, Any]:
        problems = [item.to_dict() for item in self.problems]
        return {"folder": self.folder, "out": self.out, **self.record(), "problems": problems}


def sample_run(
    folder: str | Path,
    *,
    n: int = 200,
    seed: int = 0,
    stratify: str | None = None,
    candidates: int | None = None,
    out: str | Path | None = None,
    excel: bool = False,
) -> SampleSummary:
    """Draw ``n`` retrieved segments and ``candidates`` (default ``n // 4``) candidate sentences
    from the output folder ``folder`` and write the sample files into ``out`` (default
    ``folder/sample-<seed>/``).

    ``stratify``: a dimension id, a ``dimension:code`` key or ``review`` (the review flag; a
    dimension of that name comes first); ``excel`` starts the CSVs with a
    byte-order mark, so that Excel shows accents right when the coder opens the sheet.

    Raises :class:`UsageError`: E217 (not an output folder), E460 (unknown stratification), E461
    (a bad number), E218 (cannot write).
    """
    wanted = n // 4 if candidates is None else candidates
    _check_numbers(n, seed, wanted)
    run = load_run(folder)
    classify = _stratifier(run, stratify)  # before the slow part: a typo fails at once
    strata = _retrieved_strata(run, classify)
    if wanted > 0:
        strata.append(Stratum(CANDIDATES, CANDIDATE, _candidate_units(run)))
    _draw(strata, n, wanted, seed)
    target = out_folder(out, Path(folder) / f"sample-{seed}")
    summary = SampleSummary(
        str(folder),
        str(target),
        seed,
        stratify,
        n,
        wanted,
        run.name,
        _codebook_record(run),
        strata,
        problems=list(run.problems),
    )
    _write(run, summary, target, excel)
    return summary


def _check_numbers(n: int, seed: int, candidates: int) -> None:
    for option, value in (("n", n), ("seed", seed), ("candidates", candidates)):
        if value < 0:
            advice = "give 0 or a positive whole number"
            raise UsageError.of("E461", option=option, rule="0 or more", value=value, advice=advice)


def _codebook_record(run: CodeRun) -> dict[str, Any]:
    recorded = run.run.get("codebook", {})
    return {key: recorded.get(key) for key in ("name", "version", "sha256", "unit")}


# --- strata -----------------------------------------------------------------------------------


def _stratifier(run: CodeRun, stratify: str | None) -> Classify:
    """The stratum of a retrieved segment: by a dimension, by one code or by the review flag."""
    if stratify is None:
        return lambda codes, row: ALL
    codes = run.codes()
    if stratify in {code.dimension for code in codes}:
        keys = [code.key for code in codes if code.dimension == stratify]
        return lambda found, row: "; ".join(k.split(":", 1)[1] for k in keys if k in found) or NONE
    if stratify in {code.key for code in codes}:
        return lambda found, row: stratify if stratify in found else f"not {stratify}"
    if stratify == REVIEW:
        yes, no = REVIEW_STRATA
        return lambda found, row: yes if needs_review(row) else no
    choices = [
        *dict.fromkeys(code.dimension for code in codes),
        *(code.key for code in codes),
        REVIEW,
    ]
    raise UsageError.of(
        "E460", value=stratify, codebook=run.codebook.codebook.name, choices=", ".join(choices)
    )


def _retrieved_strata(run: CodeRun, classify: Classify) -> list[Stratum]:
    """The retrieved segments grouped by stratum, strata by name."""
    found = run.segment_codes()
    order = [code.key for code in run.codes()]
    strata: dict[str, Stratum] = {}
    for row in run.segments:
        keys = found.get(row["segment_id"], [])
        codes = tuple(key for key in order if key in keys)  # codebook order, not rule order
        name = classify(codes, row)
        unit = Unit(
            row["doc_id"],
            int(row["start"]),
            int(row["end"]),
            RETRIEVED,
            name,
            codes,
            row["context_before"],
            row["context_after"],
        )
        strata.setdefault(name, Stratum(name, RETRIEVED, [])).population.append(unit)
    return [strata[name] for name in sorted(strata)]


def allocate(populations: dict[str, int], n: int) -> dict[str, int]:
    """``n`` draws spread as equally as possible over strata of these sizes: a stratum smaller
    than its share gives all its units and the rest goes to the others; the draws that do not
    divide evenly go to the largest strata (then by name)."""
    if n >= sum(populations.values()):
        return dict(populations)
    level = _level(list(populations.values()), n)
    sizes = {name: min(size, level) for name, size in populations.items()}
    open_strata = sorted(
        (name for name, size in populations.items() if size > level),
        key=lambda name: (-populations[name], name),
    )
    for name in open_strata[: n - sum(sizes.values())]:
        sizes[name] += 1
    return sizes


def _level(sizes: list[int], n: int) -> int:
    """The largest per-stratum cap whose draws (each stratum capped at its size) fit in ``n``."""
    low, high = 0, max(sizes)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(size, middle) for size in sizes) <= n:
            low = middle
        else:
            high = middle - 1
    return low


def _draw(strata: list[Stratum], n: int, candidates: int, seed: int) -> None:
    """Simple random samples without replacement in each stratum. Candidates use their own
    stream, so that ``--candidates`` never changes which retrieved segments are drawn."""
    retrieved = [s for s in strata if s.kind == RETRIEVED]
    sizes = allocate({s.name: len(s.population) for s in retrieved}, n)
    streams = {RETRIEVED: np.random.default_rng(seed), CANDIDATE: np.random.default_rng([seed, 1])}
    for stratum in strata:
        size = sizes.get(stratum.name, 0) if stratum.kind == RETRIEVED else candidates
        population = sorted(stratum.population, key=lambda unit: unit.order)
        stratum.population = population
        if size >= len(population):
            stratum.drawn = list(population)
            continue
        picked = streams[stratum.kind].choice(len(population), size=size, replace=False)
        stratum.drawn = [population[int(index)] for index in sorted(picked)]


# --- candidates -------------------------------------------------------------------------------


def _concepts_query(compiled: CompiledCodebook) -> Node:
    """Any term of any retrieval concept (or term) of the codebook's retrieval query."""
    return OrNode(positive_atoms(compiled.retrieval))


def _candidate_units(run: CodeRun) -> list[Unit]:
    """Every sentence that holds a retrieval concept's term and overlaps no retrieved segment,
    found with the run's own segmentation (its codebook, model and document languages)."""
    # The run's own retrieval (a variant when it was coded with --retrieval).
    compiled = compile_codebook(run.codebook.codebook, run.run.get("retrieval", {}).get("name"))
    query = _concepts_query(compiled)
    model = run.run.get("options", {}).get("model")
    retrieved: dict[str, list[tuple[int, int]]] = {}
    for row in run.segments:
        retrieved.setdefault(row["doc_id"], []).append((int(row["start"]), int(row["end"])))
    units: list[Unit] = []
    for document in run.coded_documents():
        doc_id = document["doc_id"]
        spans = retrieved.get(doc_id, [])
        found = _document_candidates(run, doc_id, document.get("language"), compiled, query, model)
        units += [unit for unit in found if not _overlaps(unit, spans)]
    return units


def _document_candidates(
    run: CodeRun,
    doc_id: str,
    language: str | None,
    compiled: CompiledCodebook,
    query: Node,
    model: str | None,
) -> list[Unit]:
    """The sentences of one document with a hit of ``query`` (one segmentation per document)."""
    text = run.text(doc_id)
    # The run's own segments: its layout blocks and the block kinds it retrieved from.
    matcher = prepare_text(
        text,
        compiled,
        language=language,
        model=model,
        blocks=run.blocks(doc_id),
        include_blocks=run.include_blocks,
    ).matcher
    sentences = matcher.seg.sentences
    units = []
    for segment in retrieve(matcher, query, "sentence"):
        index = segment.sentence_first
        before = sentences[index - 1] if index > 0 else None
        after = sentences[index + 1] if index + 1 < len(sentences) else None
        units.append(
            Unit(
                doc_id,
                segment.start,
                segment.end,
                CANDIDATE,
                CANDIDATES,
                (),
                text[before.start : before.end][-CONTEXT_CHARS:] if before else "",
                text[after.start : after.end][:CONTEXT_CHARS] if after else "",
            )
        )
    return units


def _overlaps(unit: Unit, spans: list[tuple[int, int]]) -> bool:
    return any(start < unit.end and unit.start < end for start, end in spans)


# --- outputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Drawn:
    sample_id: str
    unit: Unit
    weight: float


def _numbered(strata: list[Stratum]) -> list[_Drawn]:
    """The drawn units by doc_id then offset, numbered S001, S002, ... in that order."""
    drawn = [(unit, stratum.weight or 0.0) for stratum in strata for unit in stratum.drawn]
    drawn.sort(key=lambda item: item[0].order)
    width = max(3, len(str(len(drawn))))
    return [
        _Drawn(f"S{index:0{width}d}", unit, weight)
        for index, (unit, weight) in enumerate(drawn, start=1)
    ]


def _write(run: CodeRun, summary: SampleSummary, target: Path, excel: bool) -> None:
    drawn = _numbered(summary.strata)
    dimensions = list(run.codebook.codebook.dimensions)
    try:
        make_output_folder(target)
        sheet_columns = [*SHEET_COLUMNS, *dimensions, "notes"]
        write_table(target / SHEET_FILE, sheet_columns, _sheet(run, drawn), excel=excel)
        write_table(
            target / KEY_FILE, [*KEY_COLUMNS, *dimensions], _key(drawn, dimensions), excel=excel
        )
        write_qdpx(_project(run, drawn, summary.seed), target / QDPX_FILE)
        summary.files = [SHEET_FILE, KEY_FILE, QDPX_FILE, SUMMARY_FILE]
        data = _json(summary.record())
        write_atomic(target / SUMMARY_FILE, data)
    except OSError as error:
        detail = error.strerror or str(error)
        raise UsageError.of(
            "E218", Location(file=str(target)), path=target, detail=detail
        ) from None


def _json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _sheet(run: CodeRun, drawn: list[_Drawn]) -> list[dict[str, str]]:
    """The coder's rows: text, context and metadata; the dimension columns stay empty."""
    documents = {row["doc_id"]: row for row in run.documents}
    rows = []
    for item in drawn:
        unit = item.unit
        document = documents.get(unit.doc_id, {})
        pages = run.page_map(unit.doc_id)
        page = pages.page_at(unit.start)
        rows.append(
            {
                "sample_id": item.sample_id,
                "unit_id": unit.unit_id,
                "doc_id": unit.doc_id,
                "title": document.get("title", ""),
                "year": document.get("year", ""),
                "jurisdiction": document.get("jurisdiction", ""),
                "page": "" if page is None else str(page),
                "page_label": pages.label_at(unit.start) or "",
                "start": str(unit.start),
                "end": str(unit.end),
                "text": run.text(unit.doc_id)[unit.start : unit.end],
                "context_before": unit.context_before,
                "context_after": unit.context_after,
            }
        )
    return rows


def _key(drawn: list[_Drawn], dimensions: list[str]) -> list[dict[str, str]]:
    """What the coder must not see: kind, stratum, weight and the automatic codes."""
    rows = []
    for item in drawn:
        unit = item.unit
        row = {
            "sample_id": item.sample_id,
            "unit_id": unit.unit_id,
            "kind": unit.kind,
            "stratum": unit.stratum,
            "weight": repr(item.weight),
        }
        for dimension in dimensions:
            prefix = f"{dimension}:"
            row[dimension] = "; ".join(
                key.removeprefix(prefix) for key in unit.codes if key.startswith(prefix)
            )
        rows.append(row)
    return rows


def _project(run: CodeRun, drawn: list[_Drawn], seed: int) -> RefiProject:
    """The units as a REFI project for QDA software: one source per unit, named by its unit_id,
    whose text is exactly the unit's clean text; no codings and no kind (blind)."""
    user = user_named(USER)
    variables = variables_named([*VARIABLES, "sample_id"])
    documents = {row["doc_id"]: row for row in run.documents}
    sources = []
    for item in drawn:
        unit = item.unit
        text = run.text(unit.doc_id)[unit.start : unit.end]
        metadata = {**documents.get(unit.doc_id, {}), "sample_id": item.sample_id}
        sources.append(
            RefiSource(
                guid=source_guid(unit.unit_id, text),
                name=unit.unit_id,
                text=text,
                values=variable_values(variables, metadata),
                user_guid=user.guid,
                description=_context(item),
            )
        )
    name = f"{run.codebook.codebook.name} validation sample (seed {seed}) of {run.name}"
    return project_of_sources(run, name, user, variables, sources)


def _context(item: _Drawn) -> str:
    unit = item.unit
    return (
        f"{item.sample_id}\nContext before: {unit.context_before or '-'}\n"
        f"Context after: {unit.context_after or '-'}"
    )
