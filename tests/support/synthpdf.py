"""Synthetic policy PDFs typeset from our own text, with the exact text a perfect extractor returns.

Dev-only: needs reportlab (the ``dev`` extra), imported inside the functions that draw.

Layout model
------------
A :class:`DocSpec` is a list of :class:`PageSpec`. Each ``PageSpec`` starts a new physical page
and lays its :class:`Band` s out top to bottom; a band whose text does not fit continues at the top
of the next physical page with the same number of columns, so one ``PageSpec`` may fill several
pages. The text of a 2- or 3-column band flows column by column; the band height is the smallest
one that holds the text (columns balanced, the last may be shorter), or the rest of the page when
it does not fit. Lines are broken greedily (ragged right) with ``pdfmetrics.stringWidth`` and each
line is drawn with one ``canvas.drawString`` call, so every drawn line is known
(:attr:`SyntheticPdf.lines`).

Truth format (the contract the ingest engine implements)
--------------------------------------------------------
* Blocks (headings, paragraphs, bullets) are joined by ``"\\n\\n"``; inside a block the words are
  joined by one space: line breaks become a space, line-end hyphenation of a plain word is undone
  (``resil-`` + ``ience`` -> ``resilience``), a word broken at its own hyphen keeps it
  (``decision-`` + ``making`` -> ``decision-making``).
* A bullet block starts with ``"• "`` (U+2022 and a space).
* Running headers, footers and page numbers are not part of the truth.
* A block that continues in the next column or on the next page is still one block.
* ``page_texts[i]`` holds the blocks or block parts on physical page ``i`` (same format). A word
  hyphenated across a page break belongs, whole, to the page where it starts. Concatenating the
  words of all ``page_texts`` gives exactly the words of ``truth_text``.
* No leading or trailing whitespace anywhere.
"""

from __future__ import annotations

import io
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

__all__ = [
    "BULLET",
    "DEJAVU_SANS",
    "LETTER",
    "Band",
    "Block",
    "BlockKind",
    "DocSpec",
    "DrawnLine",
    "PageSpec",
    "SyntheticPdf",
    "build_pdf",
    "dejavu_available",
    "layout_suite",
    "page_count",
    "to_roman",
]

LETTER: tuple[float, float] = (612.0, 792.0)
DEJAVU_SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

BlockKind = Literal["heading", "paragraph", "bullet"]
LineRole = Literal["body", "heading", "header", "footer"]

BULLET = "\u2022 "

# Geometry, in points or in body leadings (LEADING x font size).
MARGIN_X = 60.0
MARGIN_TOP = 72.0
MARGIN_BOTTOM = 66.0
GUTTER = 20.0
HEADER_FROM_TOP = 42.0
FOOTER_Y = 36.0
LEADING = 1.2
PARA_GAP = 0.8
BULLET_GAP = 0.6
HEADING_BEFORE = 1.2
HEADING_AFTER = 0.6
BAND_GAP = 1.5
HEADING_EXTRA = 3.0
BULLET_INDENT = 10.0

_GLUE_NEXT = frozenset({"\u00ab"})  # « stays with the word after it
_GLUE_PREV = frozenset({"\u00bb", ":", ";", "!", "?"})  # » and French spaced punctuation

_STANDARD_BOLD = {
    "Helvetica": "Helvetica-Bold",
    "Times-Roman": "Times-Bold",
    "Courier": "Courier-Bold",
}


# --------------------------------------------------------------------------------------- API types


@dataclass
class Block:
    """One paragraph, heading or bullet item; ``text`` is words separated by single spaces."""

    text: str
    kind: BlockKind = "paragraph"


@dataclass
class Band:
    """A horizontal strip of the page with 1, 2 or 3 columns."""

    columns: int
    blocks: list[Block]


@dataclass
class PageSpec:
    """Bands top to bottom; starts a new physical page, overflow continues on the next ones."""

    bands: list[Band]


@dataclass
class DocSpec:
    pages: list[PageSpec]
    header: str | None = None
    footer: str | None = "Page {n} of {total}"
    header_skip_first: bool = False
    shuffle_draw_order: bool = False
    hyphenate: bool = True
    font: str = "Helvetica"
    font_size: float = 10
    seed: int = 0
    page_size: tuple[float, float] = LETTER
    first_page_number: int = 1
    font_path: str | None = None
    """A TTF registered as ``font`` (e.g. DejaVuSans); its ``-Bold`` sibling is used if present."""
    bold_font_path: str | None = None
    title: str | None = None
    """PDF metadata title (not drawn)."""


@dataclass(frozen=True)
class DrawnLine:
    """One ``drawString`` call: baseline-left position, font and role."""

    text: str
    x: float
    y: float
    font: str
    size: float
    role: LineRole


@dataclass
class SyntheticPdf:
    pdf: bytes
    truth_text: str
    page_texts: list[str]
    page_labels: list[str]
    header_lines: list[str]
    footer_lines: list[str]
    lines: list[list[DrawnLine]] = field(default_factory=list)
    """Per page: header, body lines in reading order, footer (draw order may differ)."""


# ------------------------------------------------------------------------------------ small helpers


def to_roman(n: int) -> str:
    """Lower-case roman numeral (1 -> "i")."""
    if n <= 0:
        raise ValueError(f"no roman numeral for {n}")
    out = []
    for value, sym in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def dejavu_available() -> bool:
    return os.path.isfile(DEJAVU_SANS)


def _fill_template(template: str, n: int, total: int) -> str:
    return (
        template.replace("{n}", str(n))
        .replace("{total}", str(total))
        .replace("{roman}", to_roman(n))
    )


def _folio(template: str | None, n: int) -> str:
    if template is None:
        return ""
    if "{roman}" in template:
        return to_roman(n)
    if "{n}" in template:
        return str(n)
    return ""


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str


def _register_ttf(name: str, path: str) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, path))


def _resolve_fonts(spec: DocSpec) -> _Fonts:
    import reportlab
    from reportlab.pdfbase import pdfmetrics

    if spec.font_path is not None:
        _register_ttf(spec.font, spec.font_path)
        bold_path = spec.bold_font_path
        if bold_path is None:
            stem, ext = os.path.splitext(spec.font_path)
            candidate = f"{stem}-Bold{ext}"
            bold_path = candidate if os.path.isfile(candidate) else None
        if bold_path is None:
            return _Fonts(spec.font, spec.font)
        _register_ttf(f"{spec.font}-Bold", bold_path)
        return _Fonts(spec.font, f"{spec.font}-Bold")
    if spec.font == "Vera":
        fonts_dir = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
        _register_ttf("Vera", os.path.join(fonts_dir, "Vera.ttf"))
        _register_ttf("Vera-Bold", os.path.join(fonts_dir, "VeraBd.ttf"))
        return _Fonts("Vera", "Vera-Bold")
    if spec.font in _STANDARD_BOLD:
        return _Fonts(spec.font, _STANDARD_BOLD[spec.font])
    if spec.font in pdfmetrics.getRegisteredFontNames() or spec.font in pdfmetrics.standardFonts:
        return _Fonts(spec.font, spec.font)
    raise ValueError(f"unknown font {spec.font!r}: give font_path for a TTF")


class _Measure:
    """Cached ``stringWidth``."""

    def __init__(self) -> None:
        from reportlab.pdfbase import pdfmetrics

        self._string_width: Callable[[str, str, float], float] = pdfmetrics.stringWidth
        self._cache: dict[tuple[str, str, float], float] = {}

    def __call__(self, text: str, font: str, size: float) -> float:
        key = (text, font, size)
        width = self._cache.get(key)
        if width is None:
            width = float(self._string_width(text, font, size))
            self._cache[key] = width
        return width


# ------------------------------------------------------------------------------------ line breaking


def _check_text(text: str) -> None:
    if (
        not text
        or text.strip(" ") != text
        or "  " in text
        or any(ch in text for ch in "\n\r\t\u00a0")
    ):
        raise ValueError(f"block text must be words separated by single spaces: {text[:60]!r}")


def _units(text: str) -> list[str]:
    """Words, with guillemets and French spaced punctuation glued to their neighbour."""
    units: list[str] = []
    glue = False
    for token in text.split(" "):
        if units and (glue or token in _GLUE_PREV):
            units[-1] += " " + token
        else:
            units.append(token)
        glue = token in _GLUE_NEXT
    return units


def _is_compound(unit: str) -> bool:
    return " " not in unit and "-" in unit[1:-1]


def _split_points(unit: str) -> list[int]:
    """Indexes where ``unit`` may be broken at a line end (prefix = ``unit[:i]``)."""
    if " " in unit:
        return []
    if _is_compound(unit):
        return [i + 1 for i in range(1, len(unit) - 1) if unit[i] == "-"]
    letters = sum(ch.isalpha() for ch in unit)
    if letters < 8:
        return []
    points = []
    before = 0
    for i in range(1, len(unit)):
        before += unit[i - 1].isalpha()
        if unit[i - 1].isalpha() and unit[i].isalpha() and before >= 3 and letters - before >= 3:
            points.append(i)
    return points


@dataclass
class _Piece:
    unit: int
    drawn: str
    starts_unit: bool


def _break_lines(
    units: list[str],
    width_first: float,
    width_rest: float,
    prefix: str,
    font: str,
    size: float,
    measure: _Measure,
    hyphenate: bool,
) -> list[list[_Piece]]:
    lines: list[list[_Piece]] = []
    cur: list[_Piece] = []
    cur_w = measure(prefix, font, size) if prefix else 0.0
    space = measure(" ", font, size)
    for ui, unit in enumerate(units):
        compound = _is_compound(unit)
        points = _split_points(unit) if hyphenate else []
        offset = 0
        while True:
            avail = width_first if not lines else width_rest
            rest = unit[offset:]
            sep = space if cur else 0.0
            w = measure(rest, font, size)
            if cur_w + sep + w <= avail + 1e-6:
                cur.append(_Piece(ui, rest, offset == 0))
                cur_w += sep + w
                break
            room = avail - cur_w - sep
            best: int | None = None
            for point in points:
                if point <= offset:
                    continue
                if not compound and sum(ch.isalpha() for ch in unit[offset:point]) < 3:
                    continue
                drawn = unit[offset:point] if compound else unit[offset:point] + "-"
                if measure(drawn, font, size) <= room + 1e-6:
                    best = point
            if best is not None:
                drawn = unit[offset:best] if compound else unit[offset:best] + "-"
                cur.append(_Piece(ui, drawn, offset == 0))
                lines.append(cur)
                cur, cur_w = [], 0.0
                offset = best
                continue
            if cur:
                lines.append(cur)
                cur, cur_w = [], 0.0
                continue
            # A word wider than the whole line: let it overflow rather than loop.
            cur.append(_Piece(ui, rest, offset == 0))
            cur_w = w
            break
    if cur:
        lines.append(cur)
    return lines


# ------------------------------------------------------------------------------------------- layout


@dataclass
class _Line:
    block: int
    pieces: list[_Piece]
    prefix: str
    indent: float
    font: str
    size: float
    leading: float
    gap: float  # space above the line unless it opens a column
    keep: int  # lines after this one that must share its column (heading keep-with-next)
    role: LineRole

    @property
    def text(self) -> str:
        return self.prefix + " ".join(p.drawn for p in self.pieces)


@dataclass
class _BlockTruth:
    prefix: str
    units: list[str]

    @property
    def text(self) -> str:
        return self.prefix + " ".join(self.units)


@dataclass
class _Placed:
    line: _Line
    x: float
    top: float


def _band_lines(
    band: Band,
    first_block_id: int,
    col_width: float,
    fonts: _Fonts,
    spec: DocSpec,
    measure: _Measure,
    truths: list[_BlockTruth],
) -> list[_Line]:
    body_lead = spec.font_size * LEADING
    lines: list[_Line] = []
    prev_kind: BlockKind | None = None
    for k, block in enumerate(band.blocks):
        text = block.text
        if block.kind == "bullet" and text.startswith(BULLET):
            text = text[len(BULLET) :]
        _check_text(text)
        units = _units(text)
        heading = block.kind == "heading"
        bullet = block.kind == "bullet"
        font = fonts.bold if heading else fonts.regular
        size = spec.font_size + HEADING_EXTRA if heading else spec.font_size
        if prev_kind is None:
            gap = 0.0
        elif heading:
            gap = HEADING_BEFORE * body_lead
        elif prev_kind == "heading":
            gap = HEADING_AFTER * body_lead
        elif bullet and prev_kind == "bullet":
            gap = BULLET_GAP * body_lead
        else:
            gap = PARA_GAP * body_lead
        prefix = BULLET if bullet else ""
        indent_first = BULLET_INDENT if bullet else 0.0
        indent_rest = BULLET_INDENT + measure(BULLET, font, size) if bullet else 0.0
        broken = _break_lines(
            units,
            col_width - indent_first,
            col_width - indent_rest,
            prefix,
            font,
            size,
            measure,
            spec.hyphenate and not heading,
        )
        truths.append(_BlockTruth(prefix, units))
        more_blocks = k + 1 < len(band.blocks)
        for j, pieces in enumerate(broken):
            keep = 0
            if heading and j == 0:
                keep = len(broken) - 1 + (1 if more_blocks else 0)
            lines.append(
                _Line(
                    block=first_block_id + k,
                    pieces=pieces,
                    prefix=prefix if j == 0 else "",
                    indent=indent_first if j == 0 else indent_rest,
                    font=font,
                    size=size,
                    leading=size * LEADING,
                    gap=gap if j == 0 else 0.0,
                    keep=keep,
                    role="heading" if heading else "body",
                )
            )
        prev_kind = block.kind
    return lines


def _fill_column(lines: list[_Line], start: int, height: float) -> list[tuple[int, float]]:
    """Greedy fill of one column: (line index, offset of the line's top below the column top)."""
    placed: list[tuple[int, float]] = []
    used = 0.0
    i = start
    while i < len(lines):
        line = lines[i]
        gap = line.gap if placed else 0.0
        need = gap + line.leading
        if used + need > height + 1e-6:
            break
        if placed and line.keep:
            group_end = min(len(lines), i + 1 + line.keep)
            group = need + sum(lines[j].gap + lines[j].leading for j in range(i + 1, group_end))
            if used + group > height + 1e-6:
                break
        placed.append((i, used + gap))
        used += need
        i += 1
    return placed


def _fill_columns(
    lines: list[_Line], start: int, height: float, ncols: int
) -> tuple[list[list[tuple[int, float]]], int]:
    columns = []
    i = start
    for _ in range(ncols):
        col = _fill_column(lines, i, height)
        columns.append(col)
        if col:
            i = col[-1][0] + 1
    return columns, i


def _place_band(
    lines: list[_Line], start: int, ncols: int, avail: float
) -> tuple[list[list[tuple[int, float]]], int, float]:
    """Columns of (line index, top offset), the next line index and the height used."""
    columns, nxt = _fill_columns(lines, start, avail, ncols)
    if ncols > 1 and nxt == len(lines):
        natural = sum(ln.gap + ln.leading for ln in lines[start:]) - lines[start].gap
        height = max(natural / ncols, max(ln.leading for ln in lines[start:]))
        while height < avail:
            trial, trial_next = _fill_columns(lines, start, height, ncols)
            if trial_next == len(lines):
                columns, nxt = trial, trial_next
                break
            height += 1.0
    used = 0.0
    for col in columns:
        if col:
            last, top = col[-1]
            used = max(used, top + lines[last].leading)
    return columns, nxt, used


def _layout(
    spec: DocSpec, fonts: _Fonts, measure: _Measure
) -> tuple[list[list[_Placed]], list[_BlockTruth]]:
    page_w, page_h = spec.page_size
    top_y = page_h - MARGIN_TOP
    bottom_y = MARGIN_BOTTOM
    body_lead = spec.font_size * LEADING
    pages: list[list[_Placed]] = []
    truths: list[_BlockTruth] = []
    if not spec.pages:
        raise ValueError("a DocSpec needs at least one page")
    for page_spec in spec.pages:
        page: list[_Placed] = []
        pages.append(page)
        y = top_y
        fresh = True
        for band in page_spec.bands:
            if band.columns not in (1, 2, 3):
                raise ValueError(f"a band has 1, 2 or 3 columns, not {band.columns}")
            ncols = band.columns
            col_w = (page_w - 2 * MARGIN_X - (ncols - 1) * GUTTER) / ncols
            lines = _band_lines(band, len(truths), col_w, fonts, spec, measure, truths)
            start = 0
            while start < len(lines):
                if not fresh:
                    y -= BAND_GAP * body_lead
                avail = y - bottom_y
                if not fresh and avail < 2 * max(body_lead, lines[start].leading):
                    page = []
                    pages.append(page)
                    y, fresh = top_y, True
                    continue
                columns, nxt, used = _place_band(lines, start, ncols, avail)
                if nxt == start:
                    if fresh:
                        raise ValueError("a line is taller than the page body")
                    page = []
                    pages.append(page)
                    y, fresh = top_y, True
                    continue
                for c, col in enumerate(columns):
                    x0 = MARGIN_X + c * (col_w + GUTTER)
                    for i, offset in col:
                        page.append(_Placed(lines[i], x0 + lines[i].indent, y - offset))
                y -= used
                fresh = False
                start = nxt
                if start < len(lines):
                    page = []
                    pages.append(page)
                    y, fresh = top_y, True
    return pages, truths


def page_count(spec: DocSpec) -> int:
    """Number of physical pages ``build_pdf(spec)`` would produce (layout only, no drawing)."""
    pages, _ = _layout(spec, _resolve_fonts(spec), _Measure())
    return len(pages)


# ------------------------------------------------------------------------------------------ drawing


def _page_text(page: list[_Placed], truths: list[_BlockTruth]) -> str:
    parts: dict[int, list[str]] = {}
    prefixes: dict[int, str] = {}
    for placed in page:
        line = placed.line
        for piece in line.pieces:
            if not piece.starts_unit:
                continue
            truth = truths[line.block]
            parts.setdefault(line.block, []).append(truth.units[piece.unit])
            if piece.unit == 0:
                prefixes[line.block] = truth.prefix
    return "\n\n".join(prefixes.get(b, "") + " ".join(words) for b, words in parts.items())


def build_pdf(spec: DocSpec) -> SyntheticPdf:
    """Typeset ``spec``; byte-identical output for an equal spec."""
    from reportlab.pdfgen import canvas

    fonts = _resolve_fonts(spec)
    measure = _Measure()
    pages, truths = _layout(spec, fonts, measure)
    page_w, page_h = spec.page_size
    last_folio = spec.first_page_number + len(pages) - 1
    small = max(spec.font_size - 1, 6.0)

    buf = io.BytesIO()
    cv = canvas.Canvas(buf, pagesize=spec.page_size, invariant=1, pageCompression=1)
    # The module's name when the shipped demo PDFs were made; kept so that they stay byte-identical.
    cv.setCreator("resdiscourse.testing.synthpdf")
    cv.setAuthor("resdiscourse team (synthetic)")
    if spec.title is not None:
        cv.setTitle(spec.title)

    page_texts: list[str] = []
    page_labels: list[str] = []
    header_lines: list[str] = []
    footer_lines: list[str] = []
    all_lines: list[list[DrawnLine]] = []
    for index, page in enumerate(pages):
        folio = spec.first_page_number + index
        header = ""
        if spec.header is not None and not (index == 0 and spec.header_skip_first):
            header = _fill_template(spec.header, folio, last_folio)
        footer = _fill_template(spec.footer, folio, last_folio) if spec.footer is not None else ""
        label = _folio(spec.footer, folio) or (_folio(spec.header, folio) if header else "")

        drawn: list[DrawnLine] = []
        if header:
            drawn.append(
                DrawnLine(
                    header, MARGIN_X, page_h - HEADER_FROM_TOP, fonts.regular, small, "header"
                )
            )
        for placed in page:
            line = placed.line
            drawn.append(
                DrawnLine(
                    line.text, placed.x, placed.top - line.size, line.font, line.size, line.role
                )
            )
        if footer:
            fx = (page_w - measure(footer, fonts.regular, small)) / 2
            drawn.append(DrawnLine(footer, fx, FOOTER_Y, fonts.regular, small, "footer"))

        order = list(drawn)
        if spec.shuffle_draw_order:
            random.Random(spec.seed * 100_003 + index).shuffle(order)
        if header:
            cv.setLineWidth(0.5)
            rule_y = page_h - HEADER_FROM_TOP - 5
            cv.line(MARGIN_X, rule_y, page_w - MARGIN_X, rule_y)
        for dl in order:
            cv.setFont(dl.font, dl.size)
            cv.drawString(dl.x, dl.y, dl.text)
        cv.showPage()

        page_texts.append(_page_text(page, truths))
        page_labels.append(label)
        header_lines.append(header)
        footer_lines.append(footer)
        all_lines.append(drawn)
    cv.save()
    return SyntheticPdf(
        pdf=buf.getvalue(),
        truth_text="\n\n".join(t.text for t in truths),
        page_texts=page_texts,
        page_labels=page_labels,
        header_lines=header_lines,
        footer_lines=footer_lines,
        lines=all_lines,
    )


# -------------------------------------------------------------------------------------------- prose

EN_SENTENCES: tuple[str, ...] = (
    "The City of Toronto welcomes tens of thousands of newcomers every year, and many of them "
    "settle first in neighbourhoods where rental housing is still affordable.",
    "Settlement agencies report that waiting lists for language instruction have grown steadily "
    "since the last review.",
    "Access to stable employment remains the priority most frequently cited by recently arrived "
    "permanent residents.",
    "Internationally trained professionals continue to face barriers to licensure in regulated "
    "occupations such as engineering, nursing and accounting.",
    "The strategy commits municipal divisions to coordinate their services through a single, "
    "community-based point of contact.",
    "Rental vacancy rates below two per cent have made it increasingly difficult for large "
    "families to find suitable accommodation.",
    "Community resilience depends on the strength of local networks, including faith groups, "
    "tenant associations and neighbourhood centres.",
    "Refugee claimants arriving without housing arrangements are often referred to the shelter "
    "system, which is already operating near capacity.",
    "Employers participating in the mentorship program reported improved retention and a better "
    "understanding of international credentials.",
    "Long-term planning requires reliable information on where newcomers live, work and access "
    "services.",
    "The provincial government has allocated additional funding for bridging programs delivered "
    "by colleges and universities.",
    "Children and youth benefit from after-school programming that supports both academic "
    "achievement and social connection.",
    "Many residents described the importance of welcoming public spaces where they could meet "
    "neighbours and build trust.",
    "Precarious employment, including temporary agency work and involuntary part-time hours, is "
    "more common among recent immigrants.",
    "Decision-making bodies should reflect the diversity of the population they serve, including "
    "newcomers and racialized residents.",
    "Affordable childcare is a prerequisite for the labour market participation of many newcomer "
    "women.",
    "The resilience of the regional economy is closely tied to its ability to attract and retain "
    "skilled workers from around the world.",
    "Partnerships with school boards, public health units and libraries extend the reach of "
    "settlement services into every ward.",
    "Newcomers with limited English or French proficiency may have difficulty navigating "
    "municipal services without interpretation.",
    "Transit affordability affects the ability of low-income residents to reach employment "
    "opportunities in suburban industrial areas.",
    "An evaluation framework will measure outcomes for participants at six months, twelve months "
    "and three years after program completion.",
    "Consultations were held in eleven languages, and more than two thousand residents "
    "contributed their experiences and recommendations.",
    "Social assistance caseloads among refugees decline substantially within the first five "
    "years after arrival.",
    "Mental health supports that are culturally appropriate and available in first languages "
    "remain scarce across the province.",
    "The city will work with landlords to reduce discrimination against tenants who lack a "
    "Canadian credit history.",
    "Entrepreneurship programs help immigrants establish small businesses that create jobs and "
    "revitalize commercial main streets.",
    "Volunteer opportunities offer newcomers Canadian work experience and connections to "
    "professional networks.",
    "Emergency preparedness planning must consider residents who do not receive official "
    "communications in their first language.",
    "Well-being indicators, including sense of belonging and self-reported health, are tracked "
    "through the annual neighbourhood survey.",
    "The working group recommended that municipal hiring practices recognize international "
    "experience and qualifications.",
    "Overcrowding, unaffordable rents and poor maintenance were the housing problems most often "
    "reported by respondents.",
    "Short-term funding cycles make it difficult for community organizations to retain "
    "experienced staff and plan ahead.",
    "Language training linked to specific occupations has produced stronger employment outcomes "
    "than general instruction.",
    "Neighbourhood improvement areas have received targeted investment in recreation, employment "
    "services and community infrastructure.",
    "Refugee families displayed considerable resilience, yet many still require sustained "
    "support to recover from displacement and trauma.",
    "Municipal leadership can foster an inclusive civic culture by promoting intercultural "
    "dialogue and challenging systemic racism.",
    "The availability of interpretation services in hospitals and clinics varies considerably "
    "between regions.",
    "A coordinated intake process would reduce duplication and help newcomers find appropriate "
    "services more quickly.",
    "Evidence-based policy development depends on disaggregated information by immigration "
    "status, age, gender and country of origin.",
    "Employment outcomes for university-educated immigrants have lagged behind those of "
    "Canadian-born graduates for more than two decades.",
    "The implementation plan assigns responsibilities, timelines and performance measures to "
    "each participating division.",
    "Partnerships between settlement agencies and employers strengthen the economic resilience "
    "of communities across Ontario.",
)

EN_HEADINGS: tuple[str, ...] = (
    "Introduction",
    "Settlement Services and Access",
    "Housing Affordability",
    "Employment and Skills",
    "Community Resilience",
    "Health and Well-being",
    "Children, Youth and Families",
    "Governance and Accountability",
    "Measuring Progress",
    "Civic Participation",
    "Implementation Plan",
    "Recommendations",
)

EN_BULLETS: tuple[str, ...] = (
    "Expand language training linked to specific occupations in partnership with local employers.",
    "Develop a municipal newcomer portal with information in at least ten languages.",
    "Increase the supply of affordable family-sized rental units near transit.",
    "Fund mentorship placements for internationally trained professionals in municipal divisions.",
    "Report annually to council on settlement outcomes by ward.",
    "Provide interpretation at all public consultations on request.",
    "Work with school boards to expand after-school and summer programming.",
    "Support community organizations with multi-year funding agreements.",
    "Review hiring practices to recognize international experience.",
    "Coordinate emergency shelter referrals for refugee claimants with federal partners.",
    "Publish disaggregated service information on the open data portal.",
    "Promote intercultural dialogue through libraries and community centres.",
)


def _curly(texts: tuple[str, ...]) -> tuple[str, ...]:
    """French pools are written with ' and typeset with the typographic apostrophe (U+2019)."""
    return tuple(t.replace("'", "\u2019") for t in texts)


FR_SENTENCES: tuple[str, ...] = _curly(
    (
        "La Ville accueille chaque année des milliers de nouveaux arrivants, dont beaucoup "
        "s'installent d'abord dans des quartiers où les loyers sont encore abordables.",
        "Les organismes d'établissement signalent que les listes d'attente pour les cours de "
        "langue ne cessent de s'allonger.",
        "L'accès à un emploi stable demeure la priorité la plus souvent citée par les résidents "
        "permanents récemment arrivés.",
        "Les professionnels formés à l'étranger se heurtent encore à des obstacles pour obtenir la "
        "reconnaissance de leurs titres de compétences.",
        "La « résilience civique » repose sur la solidité des réseaux locaux, notamment les "
        "groupes confessionnels, les associations de locataires et les centres communautaires.",
        "Les réfugiés qui arrivent sans logement sont souvent dirigés vers les refuges, qui "
        "fonctionnent déjà presque à pleine capacité.",
        "Le gouvernement provincial a accordé un financement supplémentaire aux programmes de "
        "formation relais offerts par les collèges.",
        "Les enfants et les jeunes profitent d'activités parascolaires qui favorisent à la fois la "
        "réussite scolaire et les liens sociaux.",
        "Les instances de décision devraient refléter la diversité de la population qu'elles "
        "servent, y compris les nouveaux arrivants.",
        "Des services de garde abordables sont une condition essentielle de la participation des "
        "femmes nouvellement arrivées au marché du travail.",
        "La Ville collaborera avec les propriétaires afin de réduire la discrimination envers les "
        "locataires qui n'ont pas d'antécédents de crédit au Canada.",
        "Les consultations se sont déroulées en onze langues, et plus de deux mille résidents y "
        "ont fait part de leur expérience.",
        "Les soutiens en santé mentale adaptés à la culture et offerts dans la langue maternelle "
        "demeurent rares dans la province.",
        "Le bénévolat permet aux nouveaux arrivants d'acquérir une expérience de travail "
        "canadienne et d'élargir leurs réseaux professionnels.",
        "La planification des mesures d'urgence doit tenir compte des résidents qui ne reçoivent "
        "pas les communications officielles dans leur langue.",
        "Le surpeuplement, les loyers inabordables et le mauvais entretien sont les problèmes de "
        "logement le plus souvent mentionnés.",
        "Les cycles de financement à court terme empêchent les organismes communautaires de "
        "conserver un personnel expérimenté.",
        "Les familles réfugiées ont fait preuve d'une résilience remarquable, mais beaucoup ont "
        "encore besoin d'un soutien durable pour surmonter le traumatisme du déplacement.",
        "Le leadership municipal peut favoriser une culture civique inclusive en encourageant le "
        "dialogue interculturel et en combattant le racisme systémique.",
        "Un processus d'accueil coordonné réduirait les chevauchements et aiderait les nouveaux "
        "arrivants à trouver plus rapidement les services appropriés.",
        "L'élaboration de politiques fondées sur des données probantes exige des données ventilées "
        "selon le statut d'immigration, l'âge et le genre.",
        "Les partenariats entre les organismes d'établissement et les employeurs renforcent la "
        "résilience économique des collectivités de l'Ontario.",
        "Les francophones nouvellement arrivés, notamment ceux qui viennent d'Afrique et d'Haïti, "
        "cherchent des services en français près de chez eux.",
        "Le cœur de la stratégie consiste à mettre en œuvre des mesures concrètes, c'est-à-dire "
        "des engagements assortis d'échéances précises.",
        "Les résidents ont souligné l'importance d'espaces publics accueillants où ils peuvent "
        "rencontrer leurs voisins et bâtir la confiance.",
        "Le coût du transport en commun limite la capacité des ménages à faible revenu d'atteindre "
        "les zones d'emploi situées en périphérie.",
        "Selon les participants, « l'intégration est une responsabilité partagée » entre la Ville, "
        "la province et les communautés.",
        "Les indicateurs de bien-être, y compris le sentiment d'appartenance et l'état de santé "
        "déclaré, sont suivis chaque année.",
        "Les entrepreneurs immigrants créent des emplois et contribuent à la revitalisation des "
        "artères commerciales.",
        "La reconnaissance de l'expérience acquise à l'étranger demeure un enjeu majeur pour "
        "l'équité en matière d'emploi.",
        "Les élèves allophones reçoivent un appui particulier grâce au programme d'actualisation "
        "linguistique en français.",
        "Ce rapport présente les progrès réalisés depuis l'adoption de la stratégie et les "
        "priorités pour les trois prochaines années.",
        "Une question demeure : comment soutenir les ménages qui consacrent plus de la moitié de "
        "leur revenu au loyer ?",
        "Le Conseil a demandé un bilan annuel ; ce bilan est publié en français et en anglais.",
    )
)

FR_HEADINGS: tuple[str, ...] = _curly(
    (
        "Introduction",
        "Accès aux services d'établissement",
        "Logement abordable",
        "Emploi et compétences",
        "Résilience civique",
        "Santé et bien-être",
        "Enfants, jeunes et familles",
        "Gouvernance et reddition de comptes",
        "Participation citoyenne",
        "Recommandations",
    )
)

FR_BULLETS: tuple[str, ...] = _curly(
    (
        "Élargir la formation linguistique axée sur l'emploi en partenariat avec les employeurs.",
        "Créer un portail municipal pour les nouveaux arrivants offert en dix langues.",
        "Accroître l'offre de logements locatifs abordables pour les familles.",
        "Offrir l'interprétation lors des consultations publiques, sur demande.",
        "Présenter chaque année au Conseil un rapport sur les résultats de l'établissement.",
        "Soutenir les organismes communautaires au moyen d'ententes de financement pluriannuelles.",
        "Promouvoir le dialogue interculturel dans les bibliothèques et les maisons de quartier.",
        "Coordonner l'hébergement d'urgence des demandeurs d'asile avec le gouvernement fédéral.",
    )
)


class _Prose:
    """Deterministic stream of sentences, headings and bullets drawn from fixed pools."""

    def __init__(
        self,
        seed: int,
        sentences: tuple[str, ...] = EN_SENTENCES,
        headings: tuple[str, ...] = EN_HEADINGS,
        bullets: tuple[str, ...] = EN_BULLETS,
    ) -> None:
        self._rng = random.Random(seed)
        self._pools = {"s": sentences, "h": headings, "b": bullets}
        self._queues: dict[str, list[str]] = {"s": [], "h": [], "b": []}

    def _next(self, pool: str) -> str:
        queue = self._queues[pool]
        if not queue:
            queue.extend(self._pools[pool])
            self._rng.shuffle(queue)
        return queue.pop()

    def sentence(self) -> str:
        return self._next("s")

    def heading(self) -> str:
        return self._next("h")

    def paragraph(self, lo: int = 3, hi: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self._rng.randint(lo, hi)))

    def bullets(self, n: int) -> list[Block]:
        return [Block(self._next("b"), "bullet") for _ in range(n)]

    def section(self, paragraphs: int, with_bullets: bool = True) -> list[Block]:
        blocks = [Block(self.heading(), "heading")]
        for k in range(paragraphs):
            blocks.append(Block(self.paragraph()))
            if with_bullets and k == 1:
                blocks.extend(self.bullets(self._rng.randint(3, 4)))
        return blocks

    def sections(self, n: int, paragraphs: int = 4) -> list[Block]:
        blocks: list[Block] = []
        for _ in range(n):
            blocks.extend(self.section(paragraphs, with_bullets=self._rng.random() < 0.5))
        return blocks


def _fit_page(make: Callable[[int], PageSpec], base: DocSpec, start: int = 1) -> PageSpec:
    """The fullest ``make(k)`` that still fits on one physical page."""
    k = start
    while True:
        candidate = make(k + 1)
        trial = DocSpec(**{**base.__dict__, "pages": [candidate]})
        if page_count(trial) > 1:
            return make(k)
        k += 1


def _mixed_page(seed: int, k: int, prose_args: tuple[tuple[str, ...], ...] = ()) -> PageSpec:
    """Heading + intro (full width), 2-column band, full-width paragraph, 3-column band.

    The 3-column band holds ``k`` sentences, so ``_fit_page`` can fill the page.
    """
    prose = _Prose(seed, *prose_args)
    heading = Block(prose.heading(), "heading")
    intro = Block(prose.paragraph(3, 3))
    two = [Block(prose.paragraph(4, 4)), Block(prose.paragraph(3, 3))]
    middle = Block(prose.paragraph(2, 2))
    three_sentences = [prose.sentence() for _ in range(k)]
    three = [Block(" ".join(three_sentences[i : i + 4])) for i in range(0, len(three_sentences), 4)]
    return PageSpec([Band(1, [heading, intro]), Band(2, two), Band(1, [middle]), Band(3, three)])


def layout_suite() -> dict[str, DocSpec]:
    """Named specs for the ingest tests and the fidelity benchmark (each has 2+ pages)."""
    suite: dict[str, DocSpec] = {}

    prose = _Prose(101)
    suite["one-column"] = DocSpec(
        pages=[PageSpec([Band(1, prose.sections(3, 4))])],
        header="City of Toronto | Newcomer Strategy",
        footer="Page {n} of {total}",
        seed=101,
        title="Newcomer Strategy (synthetic)",
    )

    prose = _Prose(202)
    suite["two-column"] = DocSpec(
        pages=[
            PageSpec(
                [
                    Band(1, [Block("Settlement Services Review 2016", "heading")]),
                    Band(2, prose.sections(4, 4)),
                ]
            )
        ],
        header="Region of Peel | Settlement Services Review",
        footer="- {n} -",
        seed=202,
    )

    prose = _Prose(303)
    suite["three-column"] = DocSpec(
        pages=[
            PageSpec(
                [
                    Band(1, [Block("Housing and Newcomers: Annual Report", "heading")]),
                    Band(3, prose.sections(6, 4)),
                ]
            )
        ],
        header="City of Ottawa | Housing and Newcomers",
        footer="{n}",
        font_size=8.5,
        first_page_number=7,
        seed=303,
    )

    prose = _Prose(404)
    suite["shuffled-two-column"] = DocSpec(
        pages=[
            PageSpec(
                [
                    Band(1, [Block("Employment Pathways for Newcomers", "heading")]),
                    Band(2, prose.sections(4, 4)),
                ]
            )
        ],
        header="Province of Ontario | Employment Pathways",
        footer="Page {n} of {total}",
        shuffle_draw_order=True,
        seed=404,
    )

    mixed_base = DocSpec(
        pages=[],
        header="City of Hamilton | Immigration Partnership Council",
        footer="{n}",
        seed=505,
    )
    mixed_pages = [_fit_page(partial(_mixed_page, 505 + i), mixed_base) for i in range(3)]
    suite["mixed-layout"] = DocSpec(**{**mixed_base.__dict__, "pages": mixed_pages})

    prose = _Prose(606, FR_SENTENCES, FR_HEADINGS, FR_BULLETS)
    suite["french-two-column"] = DocSpec(
        pages=[
            PageSpec(
                [
                    Band(1, [Block("Stratégie pour les nouveaux arrivants", "heading")]),
                    Band(2, prose.sections(4, 4)),
                ]
            )
        ],
        header="Ville de Toronto | Stratégie pour les nouveaux arrivants",
        footer="{n}",
        font="Vera",
        seed=606,
    )

    prose = _Prose(707)
    suite["roman-folios"] = DocSpec(
        pages=[
            PageSpec(
                [
                    Band(
                        1, [Block("Report of the Advisory Panel on Newcomer Inclusion", "heading")]
                    ),
                    Band(1, prose.sections(3, 4)),
                ]
            )
        ],
        header="Newcomer Inclusion | Final Report of the Panel",
        footer="{roman}",
        header_skip_first=True,
        seed=707,
    )

    prose = _Prose(808)
    chapters = []
    for chapter in range(6):
        ncols = 1 if chapter % 2 == 0 else 2
        chapters.append(
            PageSpec(
                [
                    Band(1, [Block(f"Part {chapter + 1}: {prose.heading()}", "heading")]),
                    Band(1, [Block(prose.paragraph(4, 5))]),
                    Band(ncols, prose.sections(3 if ncols == 1 else 4, 4)),
                ]
            )
        )
    suite["long-report"] = DocSpec(
        pages=chapters,
        header="Ontario Immigration Progress Report",
        footer="Page {n} of {total}",
        seed=808,
        title="Ontario Immigration Progress Report (synthetic)",
    )
    return suite
