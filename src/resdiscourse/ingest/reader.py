"""Read one file of any supported type into clean text (the dispatcher behind
`resdiscourse text`).
"""

from __future__ import annotations

from pathlib import Path

from resdiscourse.errors import Location, ResdiscourseError, problem
from resdiscourse.ingest.pdf import check_options, read_pdf
from resdiscourse.models import ExtractedText, PageMap

PDF_SUFFIXES = frozenset({".pdf"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
SUPPORTED_SUFFIXES = PDF_SUFFIXES | TEXT_SUFFIXES


def failed(path: Path, code: str, **values: object) -> ExtractedText:
    """An empty result that carries one error: a bad file is data, never an exception."""
    return ExtractedText(
        text="",
        page_map=PageMap(()),
        engine="",
        pages=0,
        problems=[problem(code, Location(file=str(path)), **values)],
    )


#: What :func:`sniff` finds that is no text at all, and how to name it.
BINARY_KINDS = {
    "zip": "zip archive (a .docx, .xlsx, .odt or .zip file?)",
    "ole": "Microsoft Office 97-2003 file (.doc, .xls)",
    "png": "PNG image",
    "jpeg": "JPEG image",
    "gif": "GIF image",
    "tiff": "TIFF image",
    "rtf": "RTF document",
}
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"{\\rtf", "rtf"),
)
_HTML_STARTS = (b"<!doctype html", b"<html")
_KIND_OF_SUFFIX = {".html": "html", ".htm": "html"}
#: How far into a file its type is looked for (a PDF header may follow some junk bytes).
_SNIFF_BYTES = 1024


def sniff(path: Path) -> str | None:
    """The type of a file from its first bytes: ``pdf``, ``html``, a key of
    :data:`BINARY_KINDS`, or None (text, or nothing known). Raises OSError."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"%PDF-" in head:
        return "pdf"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return "html" if text.startswith(_HTML_STARTS) else None


def _read_as(
    path: Path, kind: str, *, engine: str, password: str | None, ocr: bool, pages: str | None
) -> ExtractedText:
    """A file whose bytes say it is ``kind`` (pdf or html), whatever its name says."""
    if kind == "pdf":
        return read_pdf(path, engine=engine, password=password, ocr=ocr, pages=pages)
    from resdiscourse.ingest.textfiles import read_text_file

    return read_text_file(path, as_suffix=".html")


def read_document(
    path: str | Path,
    *,
    engine: str = "auto",
    password: str | None = None,
    ocr: bool = False,
    pages: str | None = None,
) -> ExtractedText:
    """Clean text of one document. Bad files give a result with an error problem, never a traceback.

    A .txt, .md or .html file is read as what its bytes are: a PDF as a PDF, an HTML page as
    HTML, each with W110 about the name; an archive, an image or an office file is E114.

    Raises :class:`~resdiscourse.errors.UsageError` for bad options (page range, engine name).
    """
    check_options(engine, pages)
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        return failed(path, "E100", file=str(path))
    try:
        if suffix in PDF_SUFFIXES:
            return read_pdf(path, engine=engine, password=password, ocr=ocr, pages=pages)
        if suffix in TEXT_SUFFIXES:
            kind = sniff(path)
            if kind in BINARY_KINDS:
                return failed(path, "E114", kind=BINARY_KINDS[kind], suffix=suffix)
            if kind is not None and kind != _KIND_OF_SUFFIX.get(suffix):
                found = _read_as(path, kind, engine=engine, password=password, ocr=ocr, pages=pages)
                where = Location(file=str(path))
                found.problems.insert(0, problem("W110", where, kind=kind, suffix=suffix))
                return found
            from resdiscourse.ingest.textfiles import read_text_file

            return read_text_file(path)
    except ResdiscourseError as error:
        if error.problem.code.startswith("E2"):
            raise
        return ExtractedText("", PageMap(()), "", 0, [error.problem])
    except OSError as error:
        return failed(path, "E112", detail=error.strerror or str(error))
    return failed(path, "E109", suffix=suffix or path.name)
