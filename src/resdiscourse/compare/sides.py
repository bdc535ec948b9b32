"""The sides of a comparison, read into one coordinate system.

A side is an output folder of ``resdiscourse code``, a REFI-QDA ``.qdpx`` project (each user who
coded is a coder) or a CSV of codings (see :mod:`resdiscourse.compare.read_csv`). The first
output folder among the sides is the *reference*: its clean texts are the coordinate system, its
segments the units of the segment level, its codebook the codes compared. Without one, the first
``.qdpx`` gives the texts and the codes are taken as they are named.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from resdiscourse.compare.codes import CodeNames
from resdiscourse.compare.matching import SideContext, source_id
from resdiscourse.compare.read_csv import csv_coders, unreadable
from resdiscourse.compare.read_refi import refi_coders
from resdiscourse.compare.read_run import run_coder
from resdiscourse.compare.units import Coder, Reference, SegmentUnit, side_label
from resdiscourse.errors import Problem, ResdiscourseError, UsageError
from resdiscourse.export.refi_model import RefiProject
from resdiscourse.export.refi_read import read_qdpx
from resdiscourse.rundir import CodeRun, load_run

Loaded = CodeRun | RefiProject | Path


@dataclass
class Sides:
    reference: Reference
    coders: list[Coder]
    problems: list[Problem]
    #: (side, doc_id) -> share of word characters aligned, for texts that differ from ours.
    alignments: dict[tuple[str, str], float]


def read_sides(
    paths: list[Path],
    *,
    mapping: dict[str, str] | None = None,
    coders: list[str] | None = None,
    exclude: list[tuple[str, str]] | None = None,
) -> Sides:
    """Read every side; the first output folder among them is the reference. ``exclude``:
    (side label, coder name) pairs of coders to leave out (E433 when one is no coder there)."""
    read_problems: list[Problem] = []
    loaded = [_load(path, read_problems) for path in paths]
    reference = _reference(paths, loaded, mapping or {})
    context = SideContext(reference, coders or [])
    context.problems += read_problems
    found: list[Coder] = []
    for path, side in zip(paths, loaded, strict=True):
        if isinstance(side, CodeRun):
            found.append(run_coder(context, side_label(path), side, first=not found))
        elif isinstance(side, RefiProject):
            found += refi_coders(context, path, side)
        else:
            found += csv_coders(context, path)
    context.check_wanted({coder.name for coder in found}, [side_label(path) for path in paths])
    for label, name in exclude or []:
        dropped = [coder for coder in found if coder.side == label and coder.name == name]
        if not dropped:
            choices = ", ".join(sorted(c.name for c in found if c.side == label)) or "(none)"
            raise UsageError.of("E433", name=name, path=label, choices=choices)
        found = [coder for coder in found if all(coder is not other for other in dropped)]
    context.finish()
    _unique_names(found)
    return Sides(reference, found, context.problems, context.alignments)


def _unique_names(coders: list[Coder]) -> None:
    """A coder whose name an earlier coder has gets its file's name added (and a number when
    that is taken too), so that the first side keeps its names."""
    taken: Counter[str] = Counter()
    for coder in coders:
        if taken[coder.name]:
            coder.name = f"{coder.name} ({Path(coder.side).name})"
        while taken[coder.name]:
            coder.name = f"{coder.name} #{taken[coder.name] + 1}"
        taken[coder.name] += 1


def _load(path: Path, problems: list[Problem]) -> Loaded:
    """The side's contents; the reader's warnings (what a project held that we cannot
    represent) go to ``problems``."""
    if path.is_dir():
        run = load_run(path)
        problems += run.problems
        return run
    suffix = path.suffix.lower()
    if suffix in (".qdpx", ".qde"):
        try:
            read = read_qdpx(path)
        except ResdiscourseError as error:
            raise UsageError(error.problem) from None
        problems += read.problems
        return read.project
    if suffix == ".csv":
        if not path.is_file():
            raise unreadable(path, "no such file")
        return path
    raise unreadable(path, "not a folder, a .qdpx/.qde project or a .csv file")


def _reference(paths: list[Path], loaded: list[Loaded], mapping: dict[str, str]) -> Reference:
    for path, side in zip(paths, loaded, strict=True):
        if isinstance(side, CodeRun):
            return _run_reference(path, side, mapping)
    for path, side in zip(paths, loaded, strict=True):
        if isinstance(side, RefiProject):
            return _project_reference(path, side, mapping)
    raise UsageError.of(
        "E430",
        detail="no side holds the documents' texts",
        advice="give an output folder of `resdiscourse code` or a .qdpx project as one side",
    )


def _run_reference(path: Path, run: CodeRun, mapping: dict[str, str]) -> Reference:
    documents = run.coded_documents()
    texts = {row["doc_id"]: run.text(row["doc_id"]) for row in documents}
    stems = {row["doc_id"]: Path(row["file"]).stem for row in documents}
    segments = [
        SegmentUnit(row["segment_id"], row["doc_id"], int(row["start"]), int(row["end"]))
        for row in run.segments
    ]
    codes = CodeNames.of_codebook(run.codes(), mapping)
    return Reference(side_label(path), texts, stems, segments, codes, run)


def _project_reference(path: Path, project: RefiProject, mapping: dict[str, str]) -> Reference:
    """A project's sources as the documents; two sources whose names give the same doc_id get
    -2, -3… (their texts tell them apart when they are matched)."""
    texts: dict[str, str] = {}
    for source in project.sources:
        doc_id, number = source_id(source.name), 2
        while doc_id in texts:
            doc_id, number = f"{source_id(source.name)}-{number}", number + 1
        texts[doc_id] = source.text
    stems = {doc_id: doc_id for doc_id in texts}
    return Reference(side_label(path), texts, stems, [], CodeNames.open(mapping))
