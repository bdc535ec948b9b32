"""A PDF → clean text with a page map: engine choice and fallback, bad-input checks, layout
passes.
"""

from __future__ import annotations

import re
import shutil
from itertools import islice
from pathlib import Path

from resdiscourse.errors import Location, Problem, ResdiscourseError, UsageError, problem
from resdiscourse.ingest.clean import guess_language, is_known_word
from resdiscourse.ingest.engines import (
    ENGINES,
    OpenedPdf,
    OpenFailure,
    PageWords,
    PdfiumEngine,
    make_engine,
)
from resdiscourse.ingest.furniture import PageLines, find_furniture
from resdiscourse.ingest.layout import Word, figure_lines, group_lines, reading_order
from resdiscourse.ingest.paragraphs import assemble
from resdiscourse.models import ExtractedText, PageMap, PageSpan

DEFAULT_ENGINE = "pdfium"
#: Fewer letters per page than this (on average) is "almost no text" (digits and symbols only).
SPARSE_LETTERS_PER_PAGE = 5
_PAGE_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def parse_page_range(spec: str | None, n_pages: int) -> list[int]:
    """0-based page indices for "3", "2-5" or "1,3,7-9" (1-based, inclusive); all pages for None."""
    if spec is None or not spec.strip():
        return list(range(n_pages))
    chosen: set[int] = set()
    for part in spec.split(","):
        match = _PAGE_RANGE.match(part)
        if not match:
            raise UsageError.of("E201", spec=spec)
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < 1 or last < first:
            raise UsageError.of("E201", spec=spec)
        chosen.update(range(first - 1, min(last, n_pages)))
    return sorted(chosen)


def check_options(engine: str, pages: str | None) -> None:
    """Validate the engine name and page range before any file is read: a usage error must not
    wait for a file, nor depend on the file's type."""
    if engine not in ("auto", *ENGINES):
        raise UsageError.of("E204", engine=engine, choices=", ".join(("auto", *ENGINES)))
    parse_page_range(pages, 0)


def read_pdf(
    path: Path,
    *,
    engine: str = "auto",
    password: str | None = None,
    ocr: bool = False,
    pages: str | None = None,
) -> ExtractedText:
    """Clean text of a PDF.

    Bad files come back with an error problem (status error or needs_ocr).
    """
    check_options(engine, pages)
    where = Location(file=str(path))
    sniffed = sniff(path)
    if sniffed is not None:
        return ExtractedText("", PageMap(()), "", 0, [sniffed])
    first = DEFAULT_ENGINE if engine == "auto" else engine
    order = [first, *(e for e in ENGINES if e != first)]
    failures: list[tuple[str, OpenFailure]] = []
    textless: ExtractedText | None = None
    for name in order:
        try:
            result = _read_with(name, path, password, pages, where)
        except OpenFailure as open_failure:
            if open_failure.kind == "password":
                code = "E106" if password else "E105"
                return ExtractedText("", PageMap(()), name, 0, [problem(code, where)])
            failures.append((name, open_failure))
            continue
        if not result.text:
            # Opened but no text (scanned, or a page tree this engine misreads): ask the next
            # engine, and keep the result that saw the most pages if none reads more.
            if textless is None or result.pages > textless.pages:
                textless = result
            continue
        if failures:
            failed, first_failure = failures[0]
            result.problems.insert(
                0, problem("W101", where, failed=failed, detail=first_failure.detail, used=name)
            )
        return _maybe_ocr(result, path, ocr, password, pages, where)
    if textless is not None:
        return _maybe_ocr(textless, path, ocr, password, pages, where)
    detail = "; ".join(f"{name}: {failure.detail}" for name, failure in failures)
    return ExtractedText("", PageMap(()), "", 0, [problem("E104", where, detail=detail[:300])])


def sniff(path: Path) -> Problem | None:
    """Catch empty files and non-PDFs saved with a .pdf name before any engine sees them."""
    where = Location(file=str(path))
    with path.open("rb") as handle:
        head = handle.read(2048)
    if not head:
        return problem("E101", where)
    if b"%PDF" in head[:1024]:
        return None
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<html" in lowered:
        return problem("E102", where)
    try:
        preview = head[:60].decode("utf-8").strip()
    except UnicodeDecodeError:
        return None  # binary: let the engines try (they may still recover it)
    return problem("E103", where, preview=repr(" ".join(preview.split())[:40]))


def _read_with(
    name: str, path: Path, password: str | None, pages: str | None, where: Location
) -> ExtractedText:
    engine = make_engine(name)
    try:
        opened = engine.open(path, password)
        indices = parse_page_range(pages, opened.n_pages)
        if pages and not indices and opened.n_pages:  # not "needs OCR: 0 of 0 pages"
            raise UsageError.of("E225", where, spec=pages, pages=opened.n_pages)
        page_words = list(engine.pages(indices))
    except (OpenFailure, ResdiscourseError):
        raise
    except Exception as error:  # a page the engine cannot parse: let the other engine try
        raise OpenFailure("corrupt", f"{type(error).__name__}: {error}"[:200]) from error
    finally:
        engine.close()
    return text_from_pages(name, opened, page_words, where)


def text_from_pages(
    name: str, opened: OpenedPdf, page_words: list[PageWords], where: Location
) -> ExtractedText:
    lines = [group_lines(_visible(p)) for p in page_words]
    furniture = find_furniture(
        [PageLines(ls, p.height, p.boxes) for ls, p in zip(lines, page_words, strict=True)]
    )
    # Lines that are all "furniture" (one repeated line per page) are the document's only text.
    bodies = furniture.body if any(furniture.body) else lines
    regions = [
        reading_order(body + figure_lines(page.boxes, body))
        for body, page in zip(bodies, page_words, strict=True)
    ]
    assembled = assemble(regions)
    spans = tuple(
        PageSpan(start, end, p.index + 1, p.label or folio or str(p.index + 1))
        for (start, end), p, folio in zip(
            assembled.page_spans, page_words, furniture.folios, strict=True
        )
    )
    result = ExtractedText(
        assembled.text, PageMap(spans), name, opened.n_pages, [], opened.metadata, assembled.blocks
    )
    result.problems.extend(_quality_problems(result, opened, page_words, where))
    return result


def _visible(page: PageWords) -> list[Word]:
    """Words on the page: printers' marks and proof notes drawn outside it are no one's text."""
    return [
        w
        for w in page.words
        if w.bottom > 0 and w.top < page.height and w.x1 > 0 and w.x0 < page.width
    ]


def _quality_problems(
    result: ExtractedText, opened: OpenedPdf, page_words: list[PageWords], where: Location
) -> list[Problem]:
    found: list[Problem] = []
    if opened.n_pages == 0:
        return [problem("E107", where)]
    if opened.copy_restricted:
        found.append(problem("W102", where))
    empty = [p.index + 1 for p in page_words if not p.words]
    scanned = [p.index + 1 for p in page_words if not p.words and p.has_images]
    if not result.text or result.text.isspace():
        found.append(problem("E108", where, pages=len(empty), total=len(page_words)))
        return found
    if scanned:
        found.append(
            problem(
                "W105", where, pages=len(scanned), total=len(page_words), page_list=_ranges(scanned)
            )
        )
    # Counted only up to the threshold: a page of text passes it in its first line.
    needed = SPARSE_LETTERS_PER_PAGE * len(page_words)
    if sum(1 for _ in islice(filter(str.isalpha, result.text), needed)) < needed:
        chars = len(result.text) - sum(map(str.isspace, result.text))
        found.append(problem("W103", where, chars=chars, pages=len(page_words)))
    share = _noise_dictionary_share(result.text)
    if share is not None:
        found.append(problem("W104", where, share=share))
    return found


def _ranges(pages: list[int]) -> str:
    """1,2,3,7 → "1-3, 7"."""
    parts: list[str] = []
    start = previous = pages[0]
    for page in [*pages[1:], None]:
        if page is not None and page == previous + 1:
            previous = page
            continue
        parts.append(f"{start}-{previous}" if previous > start else str(start))
        if page is not None:
            start = previous = page
    return ", ".join(parts)


_ODD_TOKEN = re.compile(r"^(?=.*[^\W\d_])(?!.*\d)(?!.*[./:@_])(?=.*[^\w'’-]).+$")
#: Bad OCR layers: more than this share of tokens mixing letters with stray symbols ("s*r;tiiR»")...
ODD_TOKEN_SHARE = 0.03
#: ... or more than this share of words unknown to a word-frequency list.
UNKNOWN_WORD_SHARE = 0.12


def _noise_dictionary_share(text: str) -> float | None:
    """The share of dictionary words when the text layer looks like OCR noise, else None.

    A cheap symbol test runs first; the word-frequency lists load only for texts that look odd.
    """
    tokens = [t.strip(".,;:!?()[]{}\"'«»“”‘’") for t in text[:20000].split()]
    tokens = [t for t in tokens if t]
    if len(tokens) < 30:
        return None
    odd = sum(1 for t in tokens if _ODD_TOKEN.match(t)) / len(tokens)
    if odd < ODD_TOKEN_SHARE / 3:
        return None
    language = guess_language(text)
    words = [t for t in tokens if len(t) >= 3 and t.isalpha()]
    known = sum(1 for w in words if is_known_word(w.lower(), language)) / max(len(words), 1)
    return known if odd >= ODD_TOKEN_SHARE or 1 - known >= UNKNOWN_WORD_SHARE else None


def _maybe_ocr(
    result: ExtractedText,
    path: Path,
    ocr: bool,
    password: str | None,
    pages: str | None,
    where: Location,
) -> ExtractedText:
    if not ocr or not any(p.code in ("E108", "W105", "W104") for p in result.problems):
        return result
    return _ocr_pdf(path, result, password, pages, where)


def _ocr_pdf(
    path: Path, layer: ExtractedText, password: str | None, pages: str | None, where: Location
) -> ExtractedText:
    """Re-read ``path`` with OCR on the pages whose text layer is missing (or all, if it is
    noise)."""
    from resdiscourse.ingest import ocr

    languages = [lang for lang in ("eng", "fra") if lang in ocr.tesseract_languages()]
    if not languages:
        detail = (
            "tesseract is not installed"
            if shutil.which("tesseract") is None
            else ("tesseract has neither the eng nor the fra language data")
        )
        layer.problems.append(problem("E110", where, detail=detail))
        return layer
    noisy = any(p.code == "W104" for p in layer.problems)
    engine = PdfiumEngine()
    opened = engine.open(path, password)
    try:
        indices = parse_page_range(pages, opened.n_pages)
        page_words = []
        ocr_count = 0
        for page in engine.pages(indices):
            if noisy or not page.words:
                page = ocr.ocr_page(engine, page, "+".join(languages))
                ocr_count += 1
            page_words.append(page)
    finally:
        engine.close()
    result = text_from_pages("pdfium+tesseract", opened, page_words, where)
    result.problems = [p for p in result.problems if p.code != "W104"]
    result.problems.append(problem("W108", where, pages=ocr_count))
    return result
