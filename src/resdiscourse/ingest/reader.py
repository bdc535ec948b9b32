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


def read_document(
    path: str | Path,
    *,
    engine: str = "auto",
    password: str | None = None,
    ocr: bool = False,
    pages: str | None = None,
) -> ExtractedText:
    """Clean text of one document. Bad files give a result with an error problem, never a traceback.

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
            from resdiscourse.ingest.textfiles import read_text_file

            return read_text_file(path)
    except ResdiscourseError as error:
        if error.problem.code.startswith("E2"):
            raise
        return ExtractedText("", PageMap(()), "", 0, [error.problem])
    except OSError as error:
        return failed(path, "E112", detail=error.strerror or str(error))
    return failed(path, "E109", suffix=suffix or path.name)
