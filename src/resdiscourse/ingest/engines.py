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
from functools import lru_cache
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
    #: Boxes of the page's drawings and images (x0, top, x1, bottom): figures that may stand
    #: between a column's lines; empty when the engine does not report them.
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)


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
#: A word of pdfium's page text: a run between breaks, ending at (and holding) a line-end hyphen.
_RAW_WORD = re.compile(
    "[^{0}{1}]*[{1}]|[^{0}{1}]+".format(
        re.escape("".join(sorted(_BREAKS))), re.escape("".join(sorted(_PDFIUM_HYPHENS)))
    )
)
_FPDF_PAGEOBJ_IMAGE = 3
_FPDF_PAGEOBJ_FORM = 5
_COPY_PERMISSION = 1 << 4  # PDF permission bit 5: copy or extract text and graphics


def _unchecked(function: Any) -> Any:
    """``function`` (one of pypdfium2's raw bindings) without ctypes' argument conversion.

    pypdfium2 declares each function's argument types, and ctypes then checks and converts every
    argument of every call: for the calls made per word and per page object that check costs
    several times the call itself. The same C function called through a prototype that declares
    only its result type takes the arguments as they are, so every argument must already be what
    C expects: a handle or ``ctypes.byref`` object of the right type, or a Python int that fits
    a C int (a character or object index).
    """
    address = ctypes.cast(function, ctypes.c_void_p).value
    if not address:  # not a function of a loaded library: keep the checked one
        return function
    return ctypes.CFUNCTYPE(function.restype)(address)


@lru_cache(maxsize=1)
def _fast_calls() -> dict[str, Any]:
    """The per-word and per-object pdfium functions, unchecked (see :func:`_unchecked`)."""
    import pypdfium2.raw as raw

    names = (
        "FPDFText_GetCharAngle",
        "FPDFText_GetFontWeight",
        "FPDFText_GetLooseCharBox",
        "FPDFPage_GetObject",
        "FPDFPageObj_GetType",
        "FPDFPageObj_GetBounds",
    )
    return {name: _unchecked(getattr(raw, name)) for name in names}


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
            words, frame = _pdfium_words(textpage.raw, width, height)
        finally:
            textpage.close()
        label = _pdfium_label(self._doc, index)
        has_images = not words and _has_images(page.raw)
        boxes = _pdfium_boxes(page.raw, frame) if words else []
        return PageWords(index, frame.width, frame.height, words, label, has_images, boxes)

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


def _pdfium_words(raw_textpage: Any, width: float, height: float) -> tuple[list[Word], _Frame]:
    """Words of a page, and the frame the text reads in (its width and height after
    rotation)."""
    import pypdfium2.raw as raw

    count = raw.FPDFText_CountChars(raw_textpage)
    if count <= 0:
        return [], _Frame(0, width, height)
    text = _pdfium_text(raw_textpage, count)
    plain = text.translate(_HYPHEN_TO_ASCII)
    turns = _dominant_quarter_turns(raw_textpage, text)
    frame = _Frame(turns, width, height)
    # The loop below runs once per word (tens of thousands a document): pdfium's functions are
    # called unchecked and bound to locals, an angle's quarter turns are computed once, and an
    # upright page's boxes are mapped inline. Four calls into pdfium per word: the angle, the
    # weight and the boxes of the first and last characters.
    fast = _fast_calls()
    get_angle = fast["FPDFText_GetCharAngle"]
    get_weight = fast["FPDFText_GetFontWeight"]
    get_box = fast["FPDFText_GetLooseCharBox"]
    rect = raw.FS_RECTF()
    ref = ctypes.byref(rect)
    to_frame = frame.box
    upright, page_height = turns == 0, frame.page_height
    turns_of: dict[float, int | None] = {}
    font_name = ctypes.create_string_buffer(128)

    def box(i: int) -> tuple[float, float, float, float]:
        get_box(raw_textpage, i, ref)
        return to_frame(rect.left, rect.bottom, rect.right, rect.top)

    words: list[Word] = []
    append = words.append
    # pdfium marks a hyphen at a line end with U+FFFE (or 0x02) and drops the line break after it:
    # the word ends there, with a plain hyphen, and the paragraph pass decides.
    for match in _RAW_WORD.finditer(text):
        start, end = match.span()
        angle = get_angle(raw_textpage, start)
        turned = turns_of.get(angle, -1)
        if turned == -1:
            turned = turns_of[angle] = _quarter_turns(angle)
        if turned != turns:
            continue
        # Bold: one call per word where the file gives the font's weight (most do); standard
        # fonts ("Helvetica-Bold") have none, and the name tells.
        weight = int(get_weight(raw_textpage, start))
        if weight > 0:
            bold = weight >= BOLD_WEIGHT
        elif raw.FPDFText_GetFontInfo(raw_textpage, start, font_name, len(font_name), None):
            bold = bool(_BOLD_NAME.search(font_name.value.decode("latin-1")))
        else:
            bold = False
        get_box(raw_textpage, start, ref)
        if upright:
            x0, top, x1, bottom = (
                rect.left,
                page_height - rect.top,
                rect.right,
                page_height - rect.bottom,
            )
        else:
            x0, top, x1, bottom = to_frame(rect.left, rect.bottom, rect.right, rect.top)
        # The loose box spans the font's ascent to descent, so its height tracks the rendered
        # size (FPDFText_GetFontSize ignores the text matrix and is 1 in many files).
        size = max(bottom - top, 1.0)
        if end - start == 1:
            append(Word(plain[start:end], x0, x1, top, bottom, size, bold))
            continue
        get_box(raw_textpage, end - 1, ref)
        if upright:
            top_, x1_, bottom_ = page_height - rect.top, rect.right, page_height - rect.bottom
        else:
            _, top_, x1_, bottom_ = to_frame(rect.left, rect.bottom, rect.right, rect.top)
        # Most words: their first and last boxes are on one line, the last to the right (as
        # _continues tests); the others are split where their boxes do not line up.
        if (
            abs(top - top_) < 0.5 * size
            and abs(bottom - bottom_) < 0.5 * size
            and x1_ >= x0 - 0.1 * size
        ):
            append(
                Word(
                    plain[start:end],
                    x0,
                    x1_,
                    top_ if top_ < top else top,  # min() and max(), as _word_or_split
                    bottom_ if bottom_ > bottom else bottom,
                    size,
                    bold,
                )
            )
        else:
            words.extend(_word_or_split(plain, start, end, box, bold))
    return words, frame


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
    get_angle = _fast_calls()["FPDFText_GetCharAngle"]
    step = max(1, len(text) // 64)
    votes = Counter(
        _quarter_turns(get_angle(raw_textpage, i))
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

    last = box(end - 1)
    if _continues(first, last, size):  # most words: their two boxes are at hand
        a, b = first, last
        return [Word(text[start:end], a[0], b[2], min(a[1], b[1]), max(a[3], b[3]), size, bold)]
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


#: A drawing or image narrower or lower than this (points) is a rule, an icon or a mark.
FIGURE_MIN_WIDTH, FIGURE_MIN_HEIGHT = 72.0, 36.0
_FPDF_PAGEOBJ_PATH = 2


def _pdfium_boxes(raw_page: Any, frame: _Frame) -> list[tuple[float, float, float, float]]:
    """Boxes of the page's top-level paths and images at least FIGURE_MIN_WIDTH wide and
    FIGURE_MIN_HEIGHT high."""
    import pypdfium2.raw as raw

    fast = _fast_calls()
    get_object, get_type, get_bounds = (
        fast["FPDFPage_GetObject"],
        fast["FPDFPageObj_GetType"],
        fast["FPDFPageObj_GetBounds"],
    )
    kinds = (_FPDF_PAGEOBJ_PATH, _FPDF_PAGEOBJ_IMAGE)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    refs = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    boxes: list[tuple[float, float, float, float]] = []
    for i in range(raw.FPDFPage_CountObjects(raw_page)):
        obj = get_object(raw_page, i)
        if get_type(obj) not in kinds or not get_bounds(obj, *refs):
            continue
        if right.value - left.value >= FIGURE_MIN_WIDTH and (
            top.value - bottom.value >= FIGURE_MIN_HEIGHT
        ):
            boxes.append(frame.box(left.value, bottom.value, right.value, top.value))
    return boxes


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
        boxes = [
            (float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"]))
            for o in [*page.rects, *page.images]
            if o["x1"] - o["x0"] >= FIGURE_MIN_WIDTH and o["bottom"] - o["top"] >= FIGURE_MIN_HEIGHT
        ]
        return PageWords(
            index, float(page.width), float(page.height), words, label, has_images, boxes
        )

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
