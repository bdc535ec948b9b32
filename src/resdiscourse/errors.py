"""The error catalogue: every failure the tool reports has a code, a message, a hint and a
location.

Errors are data (a :class:`Problem`), so that a batch can collect them and go on. Code that must
stop raises :class:`ResdiscourseError`, which carries the same :class:`Problem`.

A code is ``E`` (error) or ``W`` (warning) and three digits; the first digit is the area
(``tests/test_errors.py`` checks this list against the catalogue):

- ``E1xx``/``W1xx``: ingest: files, PDFs, OCR, manifest values; they set a document's status.
- ``E2xx``/``W2xx``: usage and configuration: corpus, manifest, options, output and run folders,
  pipeline, queries and retrieval, tables, export targets, an interrupted run (E223); also
  internal errors while coding (E211) or searching (E214). An E2xx raised while reading one
  document stops the batch, since it would be the same for every document.
- ``E3xx``: codebooks (a bad codebook is a configuration error too: exit code 2).
- ``E4xx``/``W4xx``: exchange with other tools and coders: the REFI-QDA reader (E40x/W40x) and
  writer (E420), compare (E43x/W43x), the NVivo dataset (E450), sample (E460, E461).
- ``E5xx``: replication: the studies and fetch (E510-E514), replicate (E530).
- ``E6xx``: validity: gold files and ``codebook eval`` (E601-E608). E609 (no such codebook
  version) and E610 (no such retrieval) are codebook errors numbered here.
- ``E7xx``: scale: the cache folder, executors.
- ``E8xx``/``W8xx``: dictionaries from other tools, ``codebook convert`` and ``count``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Self

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    severity: Severity
    message: str
    hint: str
    #: The document status this problem gives a document
    #: (documents.csv ``status``: ok | warning | needs_ocr | error).
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
        _w(
            "W110",
            "the file is a {kind} file named {suffix}: read as {kind}",
            "rename it to .{kind} so that other tools open it right",
        ),
        _e(
            "E114",
            "not a text file: the bytes are a {kind}, named {suffix}",
            "save it as PDF, plain text (UTF-8), Markdown or HTML; resdiscourse reads those",
        ),
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
            "E217",
            "not an output folder of `resdiscourse code`: {path} ({detail})",
            "give the --out folder of a `resdiscourse code` run (it holds run.json, "
            "segments.csv, codings.csv, codebook.yml and texts/)",
        ),
        _e("E218", "cannot write {path}: {detail}", "check the folder exists and is writable"),
        _e(
            "E219",
            "nothing to export",
            "give one or more of --qdpx FILE, --qdc FILE, --nvivo FILE, --tidy FILE, --wide FILE",
        ),
        # Run folders (runfolder.py): marked, written whole, checked on read.
        _e(
            "E220",
            "{path} is an output folder of resdiscourse, not a corpus",
            "give the folder that holds the documents; to code a run's clean texts, give its "
            "texts/ folder",
        ),
        _e(
            "E221",
            "the run folder {path} is incomplete (the run that wrote it did not finish)",
            "run `resdiscourse code` again; it resumes from the cache",
        ),
        _e(
            "E222",
            "{path} is not the file its run wrote (changed or missing since; run.json holds "
            "the sha256 of every output)",
            "run `resdiscourse code` again, and copy a table before editing it",
        ),
        _e(
            "E223",
            "interrupted: {kept}",
            "run the same command again: documents already read come from the cache",
        ),
        _e(
            "E224",
            "the output folder is an empty path",
            "give --out a folder name, or leave --out out for the default folder",
        ),
        _e(
            "E225",
            "the page range {spec!r} is outside the document: it has {pages} page(s)",
            "give pages between 1 and {pages}",
        ),
        _e(
            "E226",
            "unknown block kind {kind!r} in --include-blocks",
            "name one or more of: {choices}, joined by commas",
        ),
        _w(
            "W220",
            "the run folder {path} was written before run.json recorded completeness: it cannot "
            "be checked",
            "run `resdiscourse code` again to get a checked folder",
        ),
        _w(
            "W222",
            "no segment was retrieved with {query}: {detail}",
            "a concept no document contains has terms that match nothing: try them with "
            "`resdiscourse search CORPUS '{{concept}}'`, and check `resdiscourse codebook "
            "validate` (terms are words with * wildcards, not regular expressions)",
        ),
        _w(
            "W221",
            "skipped {count} output folder(s) of resdiscourse inside the corpus: {names}",
            "nothing to do: a run's outputs are never read as documents",
        ),
        # compare (compare/): E43x stop the comparison, W43x leave something out and say so.
        _e("E430", "cannot compare: {detail}", "{advice}"),
        _e(
            "E431",
            "cannot read the codings in {path}: {detail}",
            "give an output folder of `resdiscourse code`, a .qdpx project, or a CSV with the "
            "columns doc,start,end,code or segment_id,code (and optionally coder)",
        ),
        _e(
            "E432",
            "cannot read the code mapping {path}: {detail}",
            "give a CSV with the columns from,to (their code, our dimension:code) or a YAML "
            "mapping of one to the other",
        ),
        _e("E433", "unknown coder {name!r} in {path}", "the coders there are: {choices}"),
        _e(
            "E434",
            "every coding of coder {coder!r} in {side} was left out ({count} reason(s) below)",
            "fix what the lines below name (map codes with --mapping, name documents like the "
            "doc_id or the file), then compare again",
        ),
        _w(
            "W430",
            "{count} code(s) of {side} match no code of the codebook and are left out: {names}",
            "map them with --mapping FILE (columns from,to), or ignore this if they are "
            "unrelated codes",
        ),
        _w(
            "W431",
            "document {name!r} of {side} matches no document of {reference}; left out (named "
            "{count} time(s))",
            "name the source like the doc_id or the file, or use a text with the same sha256",
        ),
        _w(
            "W432",
            "the text of {doc_id!r} in {side} differs from ours; {share} of its word characters "
            "were aligned",
            "their offsets were mapped onto our text by aligning the two; check the "
            "disagreements near passages that did not align",
        ),
        _w("W433", "{count} coding(s) of {side} were left out: {detail}", "{advice}"),
        _w(
            "W434",
            "{count} sources of {side} are the document {doc_id!r}; each is mapped with its own "
            "text",
            "give each document one source, or check the sources' names",
        ),
        _w(
            "W435",
            "{count} user(s) of {side} coded nothing and are not compared: {names}",
            "name one with --coder to compare it anyway",
        ),
        _w(
            "W437",
            "source {source!r} of {side} has no text (W404 says why), so its document is left "
            "out of the comparison instead of counting as coded with nothing",
            "export the project again with its sources (in NVivo: Export Project, REFI-QDA, "
            "with the source files)",
        ),
        _w(
            "W436",
            "{side}: coder {coder!r} has no rows for {count} document(s), left out for this "
            "coder: {names}",
            "add a row with an empty code for a document the coder read and found nothing in",
        ),
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
        _e(
            "E310",
            "{path}: the term {term!r} looks like a regular expression ({found!r}); it would "
            "match nothing",
            "terms are words, not regular expressions: `*` inside a word stands for any "
            "letters (`immigr*`, `newcomer*`), each alternative is its own term in the list, "
            "and words are whole by default (no \\b)",
        ),
        _e(
            "E311",
            "{path}: named patterns refer to each other in a cycle: {cycle}",
            "a pattern may use other patterns, but none may end up using itself: write the "
            "shared part once as its own pattern",
        ),
        _e(
            "E609",
            "codebook {name} has no version {version}",
            "the versions shipped are {versions}; write {name} alone for the current one",
        ),
        _e(
            "E610",
            "codebook {codebook} has no retrieval {name!r}",
            "the retrievals are: {choices}",
        ),
        # REFI-QDA reader (export/refi_read.py): E40x stop reading the file, W40x say what was
        # left out or changed.
        _e("E401", "cannot read the REFI-QDA file: {detail}", "{advice}"),
        _e(
            "E402",
            "refused as unsafe: {detail}",
            "the file may be hostile or damaged: do not unpack it; ask for a fresh export "
            "(the limits are constants of resdiscourse.safezip)",
        ),
        _e(
            "E403",
            "forbidden XML construct in {part}: {detail}",
            "REFI-QDA files never need a DTD or entities; the file may be hostile: ask for a "
            "fresh export",
        ),
        _w(
            "W401",
            "{count} {what} not carried over",
            "resdiscourse keeps text sources with their selections and codings, codes, sets, "
            "users and variables: use the QDA software for the rest",
        ),
        _w("W402", "source {source!r}: {count} {what} ignored: {detail}", "{advice}"),
        _w(
            "W403",
            "source {source!r}: text taken from the rich text {path} because the plain text "
            "is empty",
            "selection offsets were made against the plain text: check that coded excerpts line up",
        ),
        _w(
            "W404",
            "source {source!r} has no text: {detail}",
            "check the source in the QDA software and export the project again with its "
            "sources embedded",
        ),
        _w(
            "W405",
            "source {source!r}: the plain text is not valid UTF-8 (first bad byte at {offset}); "
            "it was read as Windows-1252 (cp1252), one character per byte",
            "REFI-QDA plain text must be UTF-8: offsets are right if the exporting tool also "
            "counted one character per byte; check that coded excerpts line up, or export the "
            "project again with UTF-8 text",
        ),
        _w(
            "W406",
            "{count} selection(s) or coding(s) name a user who is not in the project's users "
            "({users}); they are kept",
            "coders are compared by user: add the user in the QDA software, or ignore this if "
            "there is one coder",
        ),
        _w(
            "W407",
            "source {source!r}: its inline PlainTextContent has {count} line break(s), which XML "
            "parsing reads as LF even where the file had CR LF; selection offsets may be off by "
            "one per earlier line break if the exporting tool counted CR characters",
            "check that coded excerpts line up; an export with the text in a sources/ .txt file "
            "(plainTextPath) keeps every character",
        ),
        _e(
            "E420",
            "internal error while writing REFI-QDA {kind}: {detail}",
            "this is a bug in resdiscourse: please report it with the command that wrote the file",
        ),
        _e("E450", "cannot build the NVivo dataset: {detail}", "{advice}"),
        _w(
            "W450",
            "the NVivo dataset has {codes} code columns, more than one file takes ({limit}): "
            "written as {count} files with the same rows and classifying columns: {names}",
            "import each file as a dataset in NVivo and autocode each file's code columns; "
            "or keep fewer dimensions with --dimension for a single file",
        ),
        # sample (sample.py): a validation sample for a second coder.
        _e(
            "E460",
            "unknown stratification {value!r} for the codebook {codebook}",
            "give a dimension id, a dimension:code key or review; the choices are: {choices}",
        ),
        _e("E461", "--{option} must be {rule}, not {value}", "{advice}"),
        # replication (replication/): studies and their fetch.
        _e(
            "E530",
            "none of the {count} documents of study {study!r} is in {folder}",
            "get them with `resdiscourse fetch {study} --corpus-dir {folder}` (it says where to "
            "get each one by hand when it cannot), then run replicate again",
        ),
        _e("E510", "unknown study {name!r}", "the studies are: {choices}"),
        _e(
            "E511",
            "cannot use the PDF folder {path}: {detail}",
            "choose another --corpus-dir folder, or check that it is writable",
        ),
        _e(
            "E512",
            "cannot read the lock file {path}: {detail}",
            "fix it, or delete it: fetch records the sha256 of the PDFs present again",
        ),
        _e(
            "E513",
            "the manifest {manifest} has {count} document(s) fetch cannot save: {detail}",
            "give each document a plain file name ending in .pdf (no folder), named by no other "
            "document and not the lock file's name ({lock}), and a sha256 of 64 hexadecimal digits "
            "or none",
        ),
        _e(
            "E514",
            "document {doc_id!r} of {manifest}: confidence {value!r} is not H, M or L",
            "write the flag as H, M or L (high, medium and low are read too); for a range such as "
            "M/L use the lower flag, as the shipped manifests do",
        ),
        # validity (validity/gold.py, validity/evaluate.py): gold files for `codebook eval`.
        _e("E601", "cannot read the gold file {path}: {detail}", "check the path"),
        _e("E602", "invalid gold file: {detail}", "{advice}"),
        _e("E603", "item {id}: {detail}", "{advice}"),
        _e(
            "E604",
            "unknown dimension {name!r}: codebook {codebook} has no such dimension",
            "its dimensions are: {choices}; the other fields a gold file may have are: {fields}",
        ),
        _e(
            "E605",
            "item {id}: unknown code {value!r} for dimension {dimension}",
            "the codes of {dimension} are: {choices}; write none (or leave it empty) for no code",
        ),
        _e(
            "E606",
            "item {id}: {dimension} takes one code, not {codes}",
            "the codebook's {dimension} is exclusive: keep the one code the sentence should get",
        ),
        _e("E607", "no items to score{what}", "{advice}"),
        _e("E608", "unsupported gold file type {suffix!r}", "give a .yaml, .yml or .csv file"),
        # Scale (cache.py, executors): E7xx.
        _e(
            "E701",
            "cannot use the cache folder {path}: {detail}",
            "check its permissions, or give another folder with --cache-dir",
        ),
        _e("E702", "unknown cache kind {kind!r}", "use one of: {choices}"),
        _e(
            "E703",
            "cannot run tasks that way: {detail}",
            "use --executor processes (the default, with --jobs N) or --executor dask "
            "[--scheduler tcp://HOST:PORT]",
        ),
        _e(
            "E704",
            "--executor dask needs Dask distributed, which is not installed ({detail})",
            "pip install 'resdiscourse[dask]', or run with --jobs N instead",
        ),
        _e(
            "E705",
            "cannot reach the Dask scheduler at {address}: {detail}",
            "start it (`dask scheduler`) and its workers (`dask worker ADDRESS`), check the "
            "address, or leave out --scheduler to start a local cluster",
        ),
        # Dictionaries from other tools and `count` (dictionaries/): E80x stop, W80x report what a
        # conversion could not carry over, line by line.
        _e(
            "E801",
            "codebook {name} is a dictionary (concepts only): it has no retrieval to code with",
            "count with it (`resdiscourse count CORPUS --dictionary {name}`), or add retrieval: "
            "and dimensions: to code with it",
        ),
        _e("E802", "cannot tell the dictionary format of {path}: {detail}", "{advice}"),
        _e("E803", "malformed {format} dictionary: {detail}", "{advice}"),
        _e("E804", "cannot read the dictionary {path}: {detail}", "{advice}"),
        _e(
            "E805",
            "cannot write a dictionary as {suffix!r}",
            "write .yml (a resdiscourse codebook), .dic (LIWC), .cat (WordStat) or .qdc (REFI-QDA)",
        ),
        _e("E806", "--{option} {detail}", "{advice}"),
        _w("W801", "not representable in {target}: {detail}", "{advice}"),
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
    def of(cls, code: str, location: Location | None = None, **values: Any) -> Self:
        return cls(problem(code, location, **values))


class UsageError(ResdiscourseError):
    """A usage or configuration error: the command exits with code 2."""


def exit_code_of(problems: Iterable[Problem]) -> int:
    """1 when one of the problems is an error, else 0 (warnings do not fail a run)."""
    return 1 if any(item.severity == "error" for item in problems) else 0
