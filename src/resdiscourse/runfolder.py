"""The folders the tool writes: marked, written whole, checked on read (docs/architecture.md).

- Every folder a command creates holds the marker file ``.resdiscourse-run`` (JSON: tool,
  version), written before anything else, so that the corpus walk never reads a run's outputs
  as documents (:func:`is_tool_folder`). A run folder of an older version has no marker but has
  a resdiscourse ``run.json``, which the walk recognises too.
- ``resdiscourse code`` writes into a hidden sibling folder (:func:`staged_run`) and swaps it in
  when everything is written, so an interrupted run never leaves new files beside old ones.
- run.json records ``complete`` and the sha256 of every output (:func:`outputs_record`); readers
  refuse an incomplete or mixed folder and read a folder from before that record with a warning
  (:func:`check_run_record`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from resdiscourse.errors import Location, Problem, UsageError, problem
from resdiscourse.models import BLOCK_KINDS, Block, PageMap
from resdiscourse.version import package_version

MARKER = ".resdiscourse-run"
RUN_JSON = "run.json"
#: The run's codebook, copied byte for byte into the output folder (its sha256 is in run.json).
CODEBOOK_FILE = "codebook.yml"
#: segments.csv ``review``: whether a person should check the segment's coding
#: (docs/codebook.md); ``review_reasons`` says why, reasons joined by ``"; "``.
REVIEW_YES, REVIEW_NO = "yes", "no"
#: segments.csv ``context_before``/``context_after``: at most this many characters of the text
#: on either side of the segment (``sample`` cuts its context the same way).
CONTEXT_CHARS = 300
#: Entries of a run folder that are not outputs: the marker, the cache that folders written
#: before the shared cache folder held (cache.py) and timings.json (its bytes change on every
#: run, so run.json does not hold them).
NOT_OUTPUTS = frozenset({MARKER, RUN_JSON, ".cache", "timings.json"})
#: The entries a ``code`` run owns: on a re-run they come from the new run only. Anything else
#: in the folder (a report, the user's own files) is kept.
RUN_TABLES = ("segments", "codings", "documents")
_TABLE_SUFFIXES = ("csv", "xlsx", "parquet", "jsonl")
RUN_ENTRIES = frozenset(
    {
        MARKER,
        RUN_JSON,
        "timings.json",
        "trace.jsonl",
        CODEBOOK_FILE,
        "texts",
        "pages",
        ".cache",
        *(f"{name}.{suffix}" for name in RUN_TABLES for suffix in _TABLE_SUFFIXES),
    }
)
_STAGING, _OLD = ".resdiscourse-partial", ".resdiscourse-old"


# --- pages/<doc_id>.json ----------------------------------------------------------------------


def page_record(
    doc_id: str,
    pages: int,
    page_map: PageMap,
    blocks: list[Block] | None,
    languages: Sequence[tuple[int, int, str]] = (),
) -> dict[str, Any]:
    """The content of ``pages/<doc_id>.json``: ``doc_id``, ``pages``, ``page_map``; for a
    document whose reader saw its layout (a PDF), ``blocks``: ``[start, end, kind]`` in text
    order, kind one of :data:`~resdiscourse.models.BLOCK_KINDS` (a document without the key has
    no layout record and its segmentation falls back to the text; an empty list means the
    layout holds no block); and, for a bilingual text only, ``languages``: the parts
    ``[start, end, language]`` in another language than the document's."""
    record: dict[str, Any] = {"doc_id": doc_id, "pages": pages, "page_map": page_map.to_list()}
    if blocks is not None:
        record["blocks"] = [[block.start, block.end, block.kind] for block in blocks]
    if languages:
        record["languages"] = [list(part) for part in languages]
    return record


def record_blocks(record: dict[str, Any]) -> list[Block] | None:
    """The blocks of a ``pages/<doc_id>.json`` record (None when it has none); a kind this
    version does not know is left out, so a newer folder still reads."""
    rows = record.get("blocks")
    if rows is None:
        return None
    return [Block(int(s), int(e), str(k)) for s, e, k in rows if k in BLOCK_KINDS]


# --- the marker -------------------------------------------------------------------------------


def marker_bytes() -> bytes:
    """The marker's content: the same bytes for every folder of one version."""
    data = {"tool": "resdiscourse", "version": package_version()}
    return (json.dumps(data, indent=2) + "\n").encode("utf-8")


def out_folder(out: str | Path | None, default: Path) -> Path:
    """The output folder a command was given, else ``default``; raises E224 for ``--out ""``,
    which would otherwise write into the current folder."""
    if out is None:
        return default
    if isinstance(out, str) and not out.strip():
        raise UsageError.of("E224")
    return Path(out)


def mark_folder(folder: Path) -> None:
    """Write the marker into ``folder`` (which exists) unless it is there."""
    marker = folder / MARKER
    if not marker.is_file():
        marker.write_bytes(marker_bytes())


def make_folder(folder: Path) -> Path:
    """Create ``folder`` and its missing parents, each marked before anything else is written
    into it; raises OSError. A folder that exists is left as it is."""
    missing = [folder, *folder.parents]
    created = [path for path in missing if not path.exists()]
    for path in reversed(created):
        path.mkdir(exist_ok=True)
        mark_folder(path)
    return folder


def make_output_folder(folder: Path) -> Path:
    """Create ``folder`` (marked) and mark it too when it exists: a command's output folder
    (ingest, report, sample) holds the tool's outputs, so the corpus walk must not enter it."""
    make_folder(folder)
    mark_folder(folder)
    return folder


def is_tool_folder(folder: Path) -> bool:
    """Whether ``folder`` holds the marker or a resdiscourse run.json (a run folder made before
    the marker existed)."""
    if (folder / MARKER).is_file():
        return True
    run = folder / RUN_JSON
    if not run.is_file():
        return False
    try:
        data = json.loads(run.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "resdiscourse" in data


# --- writing a run whole ----------------------------------------------------------------------


def staging_folder(out: Path) -> Path:
    """The hidden sibling a run of ``out`` is written into."""
    return out.parent / f".{out.name}{_STAGING}"


@contextmanager
def staged_run(out: Path) -> Iterator[Path]:
    """Yield the folder to write the run of ``out`` into, and swap it in as ``out`` when the block
    ends normally. Raises OSError when the folders cannot be made or moved.

    The staging folder holds the marker and an incomplete run.json from the start. When the block
    fails, ``out`` is left as it was and the staging folder is removed (what the run read and
    coded stays in the shared cache, cache.py). Ctrl-C becomes :class:`RunInterrupted` (E223).
    """
    staging = staging_folder(out)
    make_folder(out.parent)
    _clear_staging(staging)
    mark_folder(staging)
    write_run_json(staging, {"resdiscourse": package_version(), "complete": False})
    try:
        yield staging
    except BaseException as error:
        kept = _abandon(staging, out)
        if isinstance(error, KeyboardInterrupt):
            raise RunInterrupted.of("E223", Location(file=str(out)), out=out, kept=kept) from None
        raise
    swap_in(staging, out)


@contextmanager
def writing_run(out: Path) -> Iterator[Path]:
    """:func:`staged_run` for a command: a folder that cannot be made or moved is E207."""
    try:
        with staged_run(out) as staging:
            yield staging
    except OSError as error:
        detail = error.strerror or str(error)
        raise UsageError.of("E207", Location(file=str(out)), path=out, detail=detail) from None


def completed_record(folder: Path) -> dict[str, Any]:
    """The entries of run.json that say the run in ``folder`` is complete (written last)."""
    return {"complete": True, "outputs": outputs_record(folder)}


class RunInterrupted(UsageError):
    """The run was interrupted (Ctrl-C); its message says what was kept."""


def _clear_staging(staging: Path) -> None:
    """An empty staging folder (an earlier run's leftovers removed)."""
    if staging.exists():
        _remove(staging)
    staging.mkdir()


def _abandon(staging: Path, out: Path) -> str:
    """Undo a failed run: what stays, in words (for the E223 message)."""
    shutil.rmtree(staging, ignore_errors=True)
    if out.is_dir():
        return f"{out} is as it was before this run"
    return f"nothing was written to {out}"


def swap_in(staging: Path, out: Path) -> None:
    """Move ``staging`` into place as ``out``; the entries of an earlier ``out`` that a run does
    not own (a report, the user's own files) move into the new folder."""
    if not out.exists():
        os.rename(staging, out)
        return
    old = out.parent / f".{out.name}{_OLD}"
    if old.exists():
        _remove(old)
    os.rename(out, old)
    os.rename(staging, out)
    for entry in sorted(old.iterdir()):
        if entry.name not in RUN_ENTRIES and not (out / entry.name).exists():
            os.rename(entry, out / entry.name)
    shutil.rmtree(old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


# --- writing files -----------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place, so that an
    interrupted run never leaves a half-written file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# --- run.json -----------------------------------------------------------------------------------


def write_run_json(folder: Path, run: dict[str, Any]) -> None:
    text = json.dumps(run, ensure_ascii=False, indent=2) + "\n"
    write_atomic(folder / RUN_JSON, text.encode("utf-8"))


def outputs_record(folder: Path) -> dict[str, str]:
    """relative path -> sha256 of every output file in ``folder`` (not run.json, the marker, the
    cache or timings.json), sorted by path."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] in NOT_OUTPUTS or not path.is_file():
            continue
        found[relative.as_posix()] = file_sha256(path)
    return found


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_run_record(folder: Path, run: dict[str, Any], files: list[str]) -> list[Problem]:
    """Whether the run folder ``folder`` (its run.json read as ``run``) is complete, and its
    ``files`` (relative paths a reader is about to read) are the run's own.

    Raises :class:`UsageError` E221 for an incomplete folder, E222 for a file that is missing or
    differs from what run.json recorded. Returns W220 for a folder from before the record.
    """
    where = Location(file=str(folder / RUN_JSON))
    if "complete" not in run:
        return [problem("W220", where, path=folder)]
    if run["complete"] is not True:
        raise UsageError.of("E221", where, path=folder)
    outputs = run.get("outputs")
    recorded = outputs if isinstance(outputs, dict) else {}
    for name in files:
        path = folder / name
        expected = recorded.get(name)
        if expected is None or not path.is_file():
            continue  # not an output of this run (an optional file): its reader says so
        if file_sha256(path) != expected:
            raise UsageError.of("E222", Location(file=str(path)), path=path)
    for name in recorded:
        if not (folder / name).is_file():
            raise UsageError.of("E222", Location(file=str(folder / name)), path=folder / name)
    return []
