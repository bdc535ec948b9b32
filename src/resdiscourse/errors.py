"""The error catalogue: every failure the tool reports has a code, a message, a hint and a
location.

Errors are data (a :class:`Problem`), so that a batch can collect them and go on. Code that must
stop raises :class:`ResdiscourseError`, which carries the same :class:`Problem`.

Code ranges: ``E1xx``/``W1xx`` ingest, ``E2xx`` usage and configuration, ``E3xx`` codebooks
(a bad codebook is a configuration error too: exit code 2).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    severity: Severity
    message: str
    hint: str
    #: The document status this problem gives a document
    #: (DESIGN §12: ok | warning | needs_ocr | error).
    status: Literal["warning", "needs_ocr", "error"]


def _e(
    code: str, message: str, hint: str, status: Literal["needs_ocr", "error"] = "error"
) -> CatalogueEntry:
    return CatalogueEntry(code, "error", message, hint, status)


def _w(code: str, message: str, hint: str) -> CatalogueEntry:
    return CatalogueEntry(code, "warning", message, hint, "warning")


CATALOGUE: dict[str, CatalogueEntry] = {
    entry.code: entry
    for entry in [
        _e(
            "E100", "file not found: {file}", "check the path; it is relative to the current folder"
        ),
        _e("E101", "empty file (0 bytes)", "the download or copy failed; fetch the file again"),
        _e(
            "E102",
            "not a PDF: the file looks like an HTML page",
            "a web page was saved with a .pdf name; download the PDF itself, or rename it .html",
        ),
        _e(
            "E103",
            "not a PDF: the file is plain text ({preview})",
            "the download failed (an error page was saved); fetch the PDF again",
        ),
        _e(
            "E104",
            "corrupt PDF: no engine could read it ({detail})",
            "open it in a PDF viewer and save a new copy, or repair it with `qpdf in.pdf out.pdf`",
        ),
        _e(
            "E105",
            "password required to open this PDF",
            "pass the document's open password with --password",
        ),
        _e("E106", "wrong password for this PDF", "check the password given with --password"),
        _e("E107", "the PDF has zero pages", "the file is damaged or empty; fetch it again"),
        _e(
            "E108",
            "needs OCR: no usable text layer on {pages} of {total} pages",
            "run again with --ocr (needs tesseract), or OCR it with `ocrmypdf in.pdf out.pdf`",
            status="needs_ocr",
        ),
        _e(
            "E109",
            "unsupported file type {suffix!r}",
            "resdiscourse reads .pdf, .txt, .md and .html files",
        ),
        _e(
            "E110",
            "OCR is not available: {detail}",
            "install tesseract (Debian: `apt-get install tesseract-ocr`) and "
            "`pip install 'resdiscourse[ocr]'`",
            status="needs_ocr",
        ),
        _e("E111", "cannot decode the text file as {encoding}", "save the file as UTF-8"),
        _e(
            "E112",
            "could not read the file: {detail}",
            "check file permissions and that it is complete",
        ),
        _w(
            "W101",
            "engine {failed} could not read the file ({detail}); used {used} instead",
            "nothing to do; the text comes from the fallback engine",
        ),
        _w(
            "W102",
            "owner-password copy protection noted; text extracted for analysis",
            "the publisher restricts copying: quote within fair-dealing limits",
        ),
        _w(
            "W103",
            "almost no text: {chars} characters on {pages} pages",
            "check the PDF; it may be mostly images (try --ocr)",
        ),
        _w(
            "W104",
            "the text layer looks like noise (only {share:.0%} of words are dictionary words)",
            "the PDF carries a bad OCR layer: run again with --ocr",
        ),
        _w(
            "W105",
            "{pages} of {total} pages have no text layer (pages {page_list})",
            "those pages may be scanned annexes: run again with --ocr to read them",
        ),
        _w(
            "W106",
            "manifest row {doc_id!r} names file {file!r}, which is not in the corpus folder",
            "fix the file name in the manifest or add the file",
        ),
        _w(
            "W107",
            "manifest field {field!r} has an invalid value {value!r}",
            "{detail}",
        ),
        _w("W108", "OCR was used on {pages} pages", "OCR text can contain recognition errors"),
        _e("E201", "invalid page range {spec!r}", "use forms like 3, 2-5 or 1,3,7-9 (1-based)"),
        _e("E202", "not a folder: {path}", "give the corpus folder that holds the documents"),
        _e("E203", "cannot read the manifest: {detail}", "fix the manifest at the location shown"),
        _e("E204", "unknown engine {engine!r}", "choose one of: {choices}"),
        _e("E205", "no documents found in {path}", "put .pdf, .txt, .md or .html files there"),
        _e(
            "E206", "duplicate doc_id {doc_id!r} in the corpus", "give each document its own doc_id"
        ),
        _w("W109", "no text found in this {kind} file", "{advice}"),
        _e(
            "E113",
            "internal error while reading: {detail}",
            "this is a bug in resdiscourse: please report it with the file (or a copy of it)",
        ),
        _e(
            "E207",
            "cannot use the output folder {path}: {detail}",
            "choose another --out folder",
        ),
        _e(
            "E210",
            "cannot load the spaCy pipeline {model!r}: {detail}",
            "give an installed pipeline package or a folder saved with nlp.to_disk(); "
            "leave out --model for the offline default",
        ),
        _e(
            "E211",
            "internal error while coding: {detail}",
            "this is a bug in resdiscourse: please report it with the document and codebook",
        ),
        _e(
            "E212",
            "cannot parse the query: {detail}",
            "{advice}",
        ),
        _e(
            "E214",
            "internal error while searching: {detail}",
            "this is a bug in resdiscourse: please report it with the document and query",
        ),
        _e("E215", "unknown unit {unit!r}", "use one of: {choices}"),
        _e("E216", "unknown table format {format!r}", "use one of: {choices}"),
        _e(
            "E213",
            "unknown concept {{{name}}} in the query",
            "concepts of codebook {codebook}: {choices}",
        ),
        # Codebooks (codebook/load.py, checks.py): {path} is the dotted key path at fault.
        _e("E301", "invalid YAML: {detail}", "{advice}"),
        _e(
            "E302",
            "duplicate key {key!r} in {path}",
            "a key may appear once in a mapping (the first is on line {first_line}): "
            "merge the two or rename one",
        ),
        _e("E303", "{path}: {detail}", "{advice}"),
        _e("E304", "{path}: query syntax error: {detail}", "{advice}"),
        _e("E305", "{path}: unknown concept {concept!r}", "{advice}"),
        _e(
            "E306",
            "{path}: duplicate rule id {rule_id!r}",
            "rule ids are unique in the whole codebook (the first is on line {first_line}): "
            "rename one",
        ),
        _e("E307", "{path}: {detail}", "{advice}"),
        _e(
            "E308",
            "codebook not found: {source}",
            "give the path of a .yml file or the name of a shipped codebook ({names})",
        ),
        _e("E309", "{path}: {detail}", "{advice}"),
    ]
}


@dataclass(frozen=True)
class Location:
    file: str | None = None
    page: int | None = None
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        text = self.file or "-"
        if self.line is not None:
            text += f":{self.line}:{self.col or 1}"
        if self.page is not None:
            text += f" (page {self.page})"
        return text


@dataclass(frozen=True)
class Problem:
    """One reported error or warning, as data."""

    code: str
    severity: Severity
    message: str
    hint: str
    location: Location = field(default_factory=Location)

    @property
    def status(self) -> str:
        return CATALOGUE[self.code].status

    def one_line(self) -> str:
        return f"{self.location}: {self.code} {self.message} (hint: {self.hint})"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["location"] = {k: v for k, v in data["location"].items() if v is not None}
        return data


def problem(code: str, location: Location | None = None, **values: Any) -> Problem:
    """Build a :class:`Problem` from the catalogue, filling the message and hint templates."""
    entry = CATALOGUE[code]
    return Problem(
        code=code,
        severity=entry.severity,
        message=entry.message.format(**values),
        hint=entry.hint.format(**values),
        location=location or Location(),
    )


class ResdiscourseError(Exception):
    """An error that stops the current unit of work; it carries its :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.one_line())
        self.problem = problem

    @classmethod
    def of(cls, code: str, location: Location | None = None, **values: Any) -> ResdiscourseError:
        return cls(problem(code, location, **values))


class UsageError(ResdiscourseError):
    """A usage or configuration error: the command exits with code 2."""
