"""PDF engines: each turns a PDF into pages of words with boxes (top-left origin, points).

``pdfium`` reads characters and boxes through pypdfium2 (fast); ``pdfplumber`` uses pdfminer's
layout analysis (slow, but reads some files pdfium rejects, and the reverse). Both feed the same
layout pass.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from resdiscourse.ingest.layout import Word

ENGINES = ("pdfium", "pdfplumber")


@dataclass
class PageWords:
    index: int  # 0-based physical page
    width: float
    height: float
    words: list[Word]
    label: str | None  # the PDF's own page label (/PageLabels), if any
    has_images: bool  # only computed for pages without text


@dataclass
class OpenedPdf:
    """A PDF opened by one engine: its page count, metadata and security facts."""

    engine: str
    n_pages: int
    metadata: dict[str, str] = field(default_factory=dict)
    copy_restricted: bool = False  # encrypted, and the owner forbids copying text


class OpenFailure(Exception):
    """An engine could not open the file; ``kind`` is password | corrupt."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class Engine(Protocol):
    name: str

    def open(self, path: Path, password: str | None) -> OpenedPdf: ...

    def pages(self, indices: list[int]) -> Iterator[PageWords]: ...

    def close(self) -> None: ...


#: A font weight from this value up is bold (400 is regular, 700 bold).
BOLD_WEIGHT = 600
#: A font named like this is a bold face when the file gives no weight ("Arial-BoldMT",
#: "ABCDEF+Frutiger-Black", "Calibri,Bold", "MinionPro-Semibold").
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)

_BREAKS = frozenset(" \t\r\n\x00\uffff")
_PDFIUM_HYPHENS = frozenset("\ufffe\x02")
_HYPHEN_TO_ASCII = str.maketrans(dict.fromkeys(_PDFIUM_HYPHENS, "-"))
_FPDF_PAGEOBJ_IMAGE = 3
_FPDF_PAGEOBJ_FORM = 5
_COPY_PERMISSION = 1 << 4  # PDF permission bit 5: copy or extract text and graphics


class PdfiumEngine:
    name = "pdfium"

    def __init__(self) -> None:
        self._doc: Any = None

    def open(self, path: Path, password: str | None) -> OpenedPdf:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        try:
            self._doc = pdfium.PdfDocument(str(path), password=password)
        except pdfium.PdfiumError as error:
            kind = "password" if error.err_code == raw.FPDF_ERR_PASSWORD else "corrupt"
            raise OpenFailure(kind, str(error).replace("Failed to load document ", "")) from error
        revision = raw.FPDF_GetSecurityHandlerRevision(self._doc)
        permissions = raw.FPDF_GetDocPermissions(self._doc)
        return OpenedPdf(
            engine=self.name,
            n_pages=len(self._doc),
            metadata=_metadata(self._doc.get_metadata_dict(skip_empty=True)),
            copy_restricted=revision != -1 and not permissions & _COPY_PERMISSION,
        )

    def pages(self, indices: list[int]) -> Iterator[PageWords]:
        for index in indices:
            page = self._doc[index]
            try:
                yield self._read_page(page, index)
            finally:
                page.close()

    def _read_page(self, page: Any, index: int) -> PageWords:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            words, width, height = _pdfium_words(textpage.raw, width, height)
        finally:
            textpage.close()
        label = _pdfium_label(self._doc, index)
        has_images = not words and _has_images(page.raw)
        return PageWords(index, width, height, words, label, has_images)

    def render(self, index: int, scale: float) -> Any:
        """The page as a PIL image (for OCR)."""
        page = self._doc[index]
        try:
            return page.render(scale=scale).to_pil()
        finally:
            page.close()

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None


def _pdfium_label(doc: Any, index: int) -> str | None:
    import pypdfium2.raw as raw

    n_bytes = raw.FPDF_GetPageLabel(doc, index, None, 0)
    if n_bytes <= 2:  # no /PageLabels entry (just the terminator, or nothing)
        return None
    buffer = ctypes.create_string_buffer(n_bytes)
    raw.FPDF_GetPageLabel(doc, index, buffer, n_bytes)
    return buffer.raw[: n_bytes - 2].decode("utf-16-le", errors="replace").strip() or None


def _pdfium_text(raw_textpage: Any, count: int) -> str:
    import pypdfium2.raw as raw

    buffer = ctypes.create_string_buffer(2 * (count + 1))
    raw.FPDFText_GetText(
        raw_textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort))
    )
    text = buffer.raw[: 2 * count].decode("utf-16-le", errors="surrogatepass")
    if len(text) != count or any("\ud800" <= ch <= "\udfff" for ch in text):
        # Characters outside the BMP take two UTF-16 units: read them one by one instead.
        text = "".join(chr(raw.FPDFText_GetUnicode(raw_textpage, i) or 32) for i in range(count))
    return text


def _pdfium_words(
    raw_textpage: Any, width: float, height: float
) -> tuple[list[Word], float, float]:
    """Words of a page, and the page's width and height as the text reads (after rotation)."""
    import pypdfium2.raw as raw

    count = raw.FPDFText_CountChars(raw_textpage)
    if count <= 0:
        return [], width, height
    text = _pdfium_text(raw_textpage, count)
    plain = text.translate(_HYPHEN_TO_ASCII)
    turns = _dominant_quarter_turns(raw_textpage, text)
    frame = _Frame(turns, width, height)
    rect = raw.FS_RECTF()
    boxes: dict[int, tuple[float, float, float, float]] = {}

    def box(i: int) -> tuple[float, float, float, float]:
        if i not in boxes:
            raw.FPDFText_GetLooseCharBox(raw_textpage, i, rect)
            boxes[i] = frame.box(rect.left, rect.bottom, rect.right, rect.top)
        return boxes[i]

    font_name = ctypes.create_string_buffer(128)

    def bold(i: int) -> bool:
        # One call per word where the file gives the font's weight (most do); standard fonts
        # ("Helvetica-Bold") have none, and the name tells.
        weight = int(raw.FPDFText_GetFontWeight(raw_textpage, i))
        if weight > 0:
            return weight >= BOLD_WEIGHT
        if not raw.FPDFText_GetFontInfo(raw_textpage, i, font_name, len(font_name), None):
            return False
        return bool(_BOLD_NAME.search(font_name.value.decode("latin-1")))

    words: list[Word] = []
    start = None
    for i in range(count + 1):
        # pdfium marks a hyphen at a line end with U+FFFE (or 0x02) and drops the line break after
        # it: end the word there, with a plain hyphen, and let the paragraph pass decide.
        hyphen = i < count and text[i] in _PDFIUM_HYPHENS
        if i < count and text[i] not in _BREAKS:
            if start is None:
                start = i
            if not hyphen:
                continue
        if start is not None:
            end = i + 1 if hyphen else i
            if _quarter_turns(raw.FPDFText_GetCharAngle(raw_textpage, start)) == turns:
                words.extend(_word_or_split(plain, start, end, box, bold(start)))
            start = None
    return words, frame.width, frame.height


def _quarter_turns(angle: float) -> int | None:
    """0-3 for text at a right angle (counter-clockwise quarter turns), None for slanted text.

    pdfium measures the angle clockwise, in radians.
    """
    if angle < 0:
        return 0  # pdfium could not tell: treat as upright
    turns = angle / (math.pi / 2)
    nearest = round(turns)
    return (4 - nearest) % 4 if abs(turns - nearest) < 0.07 else None


def _dominant_quarter_turns(raw_textpage: Any, text: str) -> int:
    """The direction most of the page's text runs in (a page rotated by /Rotate, or a landscape
    table set sideways); margin stamps in another direction are dropped later."""
    import pypdfium2.raw as raw

    step = max(1, len(text) // 64)
    votes = Counter(
        _quarter_turns(raw.FPDFText_GetCharAngle(raw_textpage, i))
        for i in range(0, len(text), step)
        if not text[i].isspace()
    )
    votes.pop(None, None)
    return next((turns for turns, _ in votes.most_common(1) if turns is not None), 0)


class _Frame:
    """Maps PDF user-space boxes (origin bottom-left) to the text's reading frame (origin
    top-left).
    """

    def __init__(self, turns: int, width: float, height: float) -> None:
        self.turns = turns
        self.page_width, self.page_height = width, height
        self.width, self.height = (height, width) if turns % 2 else (width, height)

    def box(
        self, left: float, bottom: float, right: float, top: float
    ) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) in the reading frame."""
        w, h = self.page_width, self.page_height
        if self.turns == 0:
            return (left, h - top, right, h - bottom)
        if self.turns == 1:  # text runs upwards: reading x follows PDF y
            return (bottom, left, top, right)
        if self.turns == 2:
            return (w - right, bottom, w - left, top)
        return (h - top, w - right, h - bottom, w - left)


def _word_or_split(text: str, start: int, end: int, box: Any, bold: bool = False) -> list[Word]:
    """A word from the boxes of its first and last characters, split where they do not line up."""
    first = box(start)
    # The loose box spans the font's ascent to descent, so its height tracks the rendered size
    # (FPDFText_GetFontSize ignores the text matrix and is 1 in many files).
    size = max(first[3] - first[1], 1.0)

    def word(i: int, j: int) -> Word:
        a, b = box(i), box(j - 1)
        return Word(text[i:j], a[0], b[2], min(a[1], b[1]), max(a[3], b[3]), size, bold)

    if _continues(first, box(end - 1), size):
        return [word(start, end)]
    words: list[Word] = []
    run_start = start
    for i in range(start + 1, end + 1):
        if i == end or not _continues(box(i - 1), box(i), size, adjacent=True):
            words.append(word(run_start, i))
            run_start = i
    return words


def _continues(
    a: tuple[float, ...], b: tuple[float, ...], size: float, adjacent: bool = False
) -> bool:
    """Are boxes ``a`` and ``b`` on one line, ``b`` to the right (and, if adjacent, close)?"""
    same_line = abs(a[1] - b[1]) < 0.5 * size and abs(a[3] - b[3]) < 0.5 * size
    rightward = b[2] >= a[0] - 0.1 * size
    close = not adjacent or b[0] - a[2] < 0.9 * size
    return same_line and rightward and close


def _has_images(raw_page: Any) -> bool:
    import pypdfium2.raw as raw

    for i in range(raw.FPDFPage_CountObjects(raw_page)):
        kind = raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(raw_page, i))
        if kind in (_FPDF_PAGEOBJ_IMAGE, _FPDF_PAGEOBJ_FORM):
            return True
    return False


class PdfplumberEngine:
    name = "pdfplumber"

    def __init__(self) -> None:
        self._pdf: Any = None

    def open(self, path: Path, password: str | None) -> OpenedPdf:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect

        try:
            self._pdf = pdfplumber.open(str(path), password=password or "")
            n_pages = len(self._pdf.pages)
        except PDFPasswordIncorrect as error:
            raise OpenFailure("password", "password required") from error
        except Exception as error:  # pdfminer raises many unrelated types on broken files
            raise OpenFailure("corrupt", f"{type(error).__name__}: {error}"[:200]) from error
        return OpenedPdf(self.name, n_pages, _metadata(_plumber_metadata(self._pdf)))

    def pages(self, indices: list[int]) -> Iterator[PageWords]:
        labels = _plumber_labels(self._pdf)
        for index in indices:
            page = self._pdf.pages[index]
            try:
                yield self._read_page(page, index, labels)
            finally:
                page.close()

    def _read_page(self, page: Any, index: int, labels: list[str]) -> PageWords:
        raw_words = page.extract_words(
            keep_blank_chars=False, use_text_flow=False, return_chars=True
        )
        words = [
            Word(
                w["text"],
                w["x0"],
                w["x1"],
                w["top"],
                w["bottom"],
                max(w["bottom"] - w["top"], 1.0),
                _plumber_bold(w["chars"]),
            )
            for w in raw_words
        ]
        label = labels[index] if index < len(labels) else None
        has_images = not words and bool(page.images)
        return PageWords(index, float(page.width), float(page.height), words, label, has_images)

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


def _plumber_bold(chars: list[dict[str, Any]]) -> bool:
    """A word is bold when its first character's font is a bold face (pdfminer gives the font's
    name, not its weight)."""
    return bool(chars) and bool(_BOLD_NAME.search(str(chars[0].get("fontname", ""))))


def _plumber_metadata(pdf: Any) -> dict[str, str]:
    return {str(k): _as_text(v) for k, v in (pdf.metadata or {}).items()}


def _as_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _plumber_labels(pdf: Any) -> list[str]:
    try:
        # pdfminer's label generator never ends: take one label per page.
        return [str(label) for label in islice(pdf.doc.get_page_labels(), len(pdf.pages))]
    except Exception:  # pdfminer raises PDFNoPageLabels, or breaks on a malformed tree
        return []


def _metadata(info: dict[str, Any]) -> dict[str, str]:
    """title / author / date (YYYY-MM-DD) / year from a PDF's document information dictionary."""
    found: dict[str, str] = {}
    title = str(info.get("Title", "")).strip()
    if title:
        found["title"] = title
    author = str(info.get("Author", "")).strip()
    if author:
        found["author"] = author
    created = str(info.get("CreationDate", "")).strip()
    digits = created[2:] if created.startswith("D:") else created
    if len(digits) >= 8 and digits[:8].isdigit():
        found["date"] = f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"
        found["year"] = digits[:4]
    elif len(digits) >= 4 and digits[:4].isdigit():
        found["year"] = digits[:4]
    return found


def make_engine(name: str) -> Engine:
    return PdfiumEngine() if name == "pdfium" else PdfplumberEngine()
