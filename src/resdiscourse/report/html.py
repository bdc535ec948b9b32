"""The self-contained ``report.html``: one file, nothing fetched when it is opened.

CSS is inline, charts are inline SVG, there are no scripts or fonts to load; a Content Security
Policy forbids any fetch anyway. Document texts and metadata are untrusted: the template
autoescapes everything, and only our own chart SVG is marked safe.

Exemplar quotes: up to :data:`QUOTES_PER_CODE` per code, chosen deterministically: the segments
with the most rules giving the code, then the most evidence spans, then by doc_id and offset; one
per document first, so that the quotes show the code across documents. A quote whose segment has
review=yes (the README's "Review flag") is marked, with the reasons.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from resdiscourse.quotes import QUOTE_LIMIT, citation
from resdiscourse.report.agreement import Agreement, read_agreement
from resdiscourse.report.charts import ChartImage
from resdiscourse.report.tables import NO_CODE, RATE_WORDS, UNKNOWN, field_value, table_rows
from resdiscourse.rundir import CodeRun, needs_review
from resdiscourse.version import package_version

QUOTES_PER_CODE = 3
TABLE_CAPTIONS = {
    "codes_by_document": "Segments per code in each document (a segment counts once per code).",
    "codes_by_year": "Segments per code by year of publication.",
    "codes_by_jurisdiction": "Segments per code by jurisdiction (city, province…).",
    "rates_by_document": (
        "Segments per code per 10,000 words of each document (words: tokens that are "
        "alphabetic or numeric), so that long and short documents compare."
    ),
    "rates_by_year": "Segments per code per 10,000 words of that year's documents.",
    "rates_by_jurisdiction": "Segments per code per 10,000 words of the jurisdiction's documents.",
    "stressors_vs_remedies": (
        "Per document: segments naming a stressor, naming a structural remedy, naming a stressor "
        "with no structural remedy, coded as having no remedy. remedy_absent_document is yes when "
        "none of the document's segments (passages where resilience and immigrants co-occur, "
        "read with {window}) names a structural remedy; a remedy named elsewhere in the document "
        "is not counted. (unknown): the document has no segment."
    ),
}
_NUMBER = re.compile(r"\d+(\.\d+)?")
_XML_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")
_ID_ATTRIBUTE = re.compile(r"""(\sid=")([^"]+)(")""")
_HREF_ATTRIBUTE = re.compile(r"""(\s(?:xlink:)?href="#)([^"]+)(")""")
_URL_REFERENCE = re.compile(r"""(url\(#)([^)"'\s]+)(\))""")


@dataclass(frozen=True)
class Exemplar:
    """A quote of a code: the segment's text in pieces (``True`` = evidence) and its citation
    (:func:`resdiscourse.quotes.citation`, as findings.md cites its quotes)."""

    segment_id: str
    doc_id: str
    pieces: list[tuple[str, bool]]
    citation: str
    #: The segment's review flag and its reasons (``"; "``-joined), as in segments.csv.
    review: bool = False
    review_reasons: str = ""


@dataclass
class _Candidate:
    segment: dict[str, str]
    rules: set[str] = field(default_factory=set)
    spans: set[tuple[int, int]] = field(default_factory=set)

    def rank(self) -> tuple[int, int, str, int]:
        return (
            -len(self.rules),
            -len(self.spans),
            self.segment["doc_id"],
            _int(self.segment, "start"),
        )


def render_html(run: CodeRun, tables: dict[str, Any], charts: list[ChartImage]) -> str:
    """The report page for ``run``, its summary ``tables`` and rendered ``charts``."""
    environment = Environment(
        loader=PackageLoader("resdiscourse.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("report.html.j2")
    return template.render(**report_context(run, tables, charts))


def report_context(
    run: CodeRun, tables: dict[str, Any], charts: list[ChartImage]
) -> dict[str, Any]:
    """What the template shows, as plain data (escaping is the template's job)."""
    segments_per_doc: dict[str, int] = {}
    review_per_doc: dict[str, int] = {}
    for row in run.segments:
        segments_per_doc[row["doc_id"]] = segments_per_doc.get(row["doc_id"], 0) + 1
        if needs_review(row):
            review_per_doc[row["doc_id"]] = review_per_doc.get(row["doc_id"], 0) + 1
    review = sum(review_per_doc.values())
    codebook = run.run.get("codebook", {})
    labels = header_labels(run)
    agreement = read_agreement(run)
    return {
        "corpus": run.name,
        "codebook": {
            "name": codebook.get("name", ""),
            "version": codebook.get("version", ""),
            "sha256": codebook.get("sha256", ""),
            "unit": codebook.get("unit", ""),
            "title": run.codebook.codebook.title,
            "cite": run.codebook.codebook.cite,
        },
        "version": run.run.get("resdiscourse") or package_version(),
        "counts": {
            "documents": len(run.documents),
            "coded": len(run.coded_documents()),
            "segments": len(run.segments),
            "codings": len(run.codings),
            "review": review,
            "review_share": share(review, len(run.segments)),
        },
        "tables": [
            _table(name, frame, _remedy_window(run), labels) for name, frame in tables.items()
        ],
        "charts": [_chart(chart) for chart in charts],
        "nothing_retrieved": nothing_retrieved(run),
        "dimensions": _dimensions(run, exemplars(run)),
        "documents": [_document(row, segments_per_doc, review_per_doc) for row in run.documents],
        "agreement": asdict(agreement),
        "limitations": limitations(run, review, agreement),
    }


def limitations(run: CodeRun, review: int, agreement: Agreement) -> dict[str, Any]:
    """The figures the limitations section cites: what the run could not read, how many of
    its codes a person should check, and whether a human coder's agreement is known."""
    statuses = [row.get("status", "") for row in run.documents]
    unread = [row for row in run.documents if row.get("status") in ("needs_ocr", "error")]
    return {
        "unit": run.run.get("codebook", {}).get("unit", "") or "segment",
        "review": review,
        "segments": len(run.segments),
        "review_share": share(review, len(run.segments)),
        "needs_ocr": statuses.count("needs_ocr"),
        "error": statuses.count("error"),
        "unread": [row["doc_id"] for row in unread],
        "words_known": all(row.get("words", "").isdigit() for row in run.coded_documents()),
        "kappa": agreement.kappa if agreement.state == "shown" else "",
        "rate_words": f"{RATE_WORDS:,}",
    }


def header_labels(run: CodeRun) -> dict[str, str]:
    """What a table header shows for a column id: a code's label for ``dimension:code``, a
    dimension's label for ``dimension``; the id stays in the cell's title."""
    labels: dict[str, str] = {}
    for dimension_id, dimension in run.codebook.codebook.dimensions.items():
        labels[dimension_id] = dimension.label or dimension_id
        labels[f"{dimension_id}:{NO_CODE}"] = NO_CODE
        for code_id, code in dimension.codes.items():
            labels[f"{dimension_id}:{code_id}"] = code.label or code_id
    return labels


def nothing_retrieved(run: CodeRun) -> str:
    """Why a run without segments found none (run.json ``retrieval.documents_with``), or ""."""
    if run.segments:
        return ""
    retrieval = run.run.get("retrieval") or {}
    holding = retrieval.get("documents_with") or {}
    coded = len(run.coded_documents())
    counts = "; ".join(
        f"{count} of {coded} documents contain {atom}" for atom, count in holding.items()
    )
    query = retrieval.get("query", "")
    why = f" {counts}." if counts else ""
    return f"No passage was retrieved with {query}.{why}"


# --- exemplars -----------------------------------------------------------------------------


def exemplars(run: CodeRun, per_code: int = QUOTES_PER_CODE) -> dict[str, list[Exemplar]]:
    """``dimension:code`` -> its exemplar quotes (module docstring's rule)."""
    segments = {row["segment_id"]: row for row in run.segments}
    candidates: dict[str, dict[str, _Candidate]] = {}
    for coding in run.codings:
        segment = segments.get(coding["segment_id"])
        if segment is None:
            continue
        key = f"{coding['dimension']}:{coding['code']}"
        found = candidates.setdefault(key, {}).setdefault(coding["segment_id"], _Candidate(segment))
        found.rules.add(coding.get("rule", ""))
        found.spans.update(_spans(coding.get("evidence", "")))
    return {
        code.key: [_quote(run, c) for c in _choose(candidates.get(code.key, {}), per_code)]
        for code in run.codes()
    }


def _choose(candidates: dict[str, _Candidate], count: int) -> list[_Candidate]:
    ranked = sorted(candidates.values(), key=_Candidate.rank)
    chosen: list[_Candidate] = []
    seen: set[str] = set()
    for candidate in ranked:  # the best of each document first
        if len(chosen) < count and candidate.segment["doc_id"] not in seen:
            chosen.append(candidate)
            seen.add(candidate.segment["doc_id"])
    chosen += [c for c in ranked if c not in chosen][: count - len(chosen)]
    return chosen


def _spans(evidence: str) -> Iterable[tuple[int, int]]:
    for part in evidence.split(";"):
        start, _, end = part.strip().partition("-")
        if start.isdigit() and end.isdigit():
            yield int(start), int(end)


def _quote(run: CodeRun, candidate: _Candidate) -> Exemplar:
    segment = candidate.segment
    start, end = _int(segment, "start"), _int(segment, "end")
    text = segment["text"]
    limit = min(len(text), QUOTE_LIMIT)
    marks = sorted((max(a, start) - start, min(b, end) - start) for a, b in candidate.spans)
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for mark_start, mark_end in marks:
        mark_start, mark_end = max(mark_start, cursor), min(mark_end, limit)
        if mark_start >= mark_end:
            continue  # outside the segment (a dimension's window), overlapping, or cut off
        pieces += [(text[cursor:mark_start], False), (text[mark_start:mark_end], True)]
        cursor = mark_end
    pieces.append((text[cursor:limit] + ("…" if limit < len(text) else ""), False))
    pieces = [(piece, evidence) for piece, evidence in pieces if piece]
    return Exemplar(
        segment["segment_id"],
        segment["doc_id"],
        pieces,
        citation(run, segment),
        needs_review(segment),
        segment.get("review_reasons", ""),
    )


def share(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a percentage with one decimal (``25.0 %``); ``–`` for none."""
    return f"{100 * part / whole:.1f} %" if whole else "–"


def _int(row: dict[str, str], name: str) -> int:
    value = row.get(name, "")
    return int(value) if value.isdigit() else 0


# --- what the template shows ---------------------------------------------------------------


def _remedy_window(run: CodeRun) -> str:
    """How far the remedy codes read around a segment, for the stressors table's caption."""
    dimension = run.codebook.codebook.dimensions.get("remedy")
    window = dimension.window if dimension is not None else 0
    if not window:
        return "no sentence either side"
    return f"the {window} sentence{'' if window == 1 else 's'} either side"


def _table(
    name: str, frame: Any, remedy_window: str = "", labels: dict[str, str] | None = None
) -> dict[str, Any]:
    columns, rows = table_rows(frame)
    numeric = {
        c for c in columns if rows and all(_NUMBER.fullmatch(row[c]) or not row[c] for row in rows)
    }
    caption = TABLE_CAPTIONS.get(name, _crosstab_caption(name)).replace("{window}", remedy_window)
    return {
        "name": name,
        "caption": caption,
        "header": _header(columns, labels or {}),
        "columns": columns,
        "rows": [
            [
                {
                    "text": row[c],
                    "numeric": c in numeric,
                    "zero": c in numeric and row[c] == "0",
                    "wide": c == "title",
                    "anchor": _anchor(row[c]) if c == "doc_id" else "",
                }
                for c in columns
            ]
            for row in rows
        ],
    }


def _crosstab_caption(name: str) -> str:
    rows, _, columns = name.partition("_by_")
    return (
        f"Segments by {rows} code (rows) and {columns} code (columns). A segment with several "
        f"{rows} codes counts in each of their rows; the last row counts each segment once."
    )


def _header(columns: list[str], labels: dict[str, str]) -> list[list[dict[str, Any]]]:
    """Two header rows: a dimension's label over the labels of its codes' columns; other
    columns span both. Each cell's title is the column's id (the CSV's header)."""
    top: list[dict[str, Any]] = []
    bottom: list[dict[str, Any]] = []
    for column in columns:
        group, _, code = column.partition(":")
        if not code:
            text = labels.get(column, column)
            top.append({"text": text, "colspan": 1, "rowspan": 2, "title": column})
            continue
        if top and top[-1]["title"] == group and top[-1]["rowspan"] == 1:
            top[-1]["colspan"] += 1
        else:
            text = labels.get(group, group)
            top.append({"text": text, "colspan": 1, "rowspan": 1, "title": group})
        text = labels.get(column, code)
        bottom.append({"text": text, "colspan": 1, "rowspan": 1, "title": column})
    return [top, bottom]


def _chart(chart: ChartImage) -> dict[str, Any]:
    return {
        "name": chart.name,
        "title": chart.title,
        "alt": chart.alt,
        "svg": inline_svg(chart),
        "png": f"charts/{chart.name}.png",
        "svg_file": f"charts/{chart.name}.svg",
    }


def inline_svg(chart: ChartImage) -> Markup:
    """The chart's SVG for an HTML page: no XML prologue, labelled for screen readers, and its
    element ids made unique in the page (:func:`prefix_svg_ids`)."""
    svg = _XML_PROLOGUE.sub("", chart.svg, count=1)
    title_id, desc_id = f"{chart.name}-title", f"{chart.name}-desc"
    opening = _SVG_OPEN.search(svg)
    assert opening is not None  # matplotlib always writes one
    tag = opening.group(0)[:-1] + f' role="img" aria-labelledby="{title_id} {desc_id}">'
    labels = (
        f'<title id="{title_id}">{escape(chart.title)}</title>'
        f'<desc id="{desc_id}">{escape(chart.alt)}</desc>'
    )
    body = prefix_svg_ids(svg[opening.end() :], f"chart-{chart.name}-")
    # Our own drawing: matplotlib escapes the text it writes, and the labels are escaped here.
    return Markup(svg[: opening.start()] + tag + labels + body)


def prefix_svg_ids(svg: str, prefix: str) -> str:
    """``svg`` with ``prefix`` before every element id and every reference to one
    (``url(#id)``, ``href="#id"``, ``xlink:href="#id"``), so that several charts inlined in one
    page do not repeat ids (each of matplotlib's SVGs has ``figure_1``, ``axes_1``, ``patch_1``…).

    Only tags are rewritten, never text between them: matplotlib escapes ``<`` and ``>`` in the
    text and attributes it writes, so a tag ends at the first ``>``. A reference to an id the
    SVG does not define is left alone. Deterministic: the same SVG gives the same result."""
    tags = list(_TAG.finditer(svg))
    defined = {m.group(2) for tag in tags for m in _ID_ATTRIBUTE.finditer(tag.group(0))}

    def renamed(match: re.Match[str]) -> str:
        name = match.group(2)
        return match.group(1) + (prefix + name if name in defined else name) + match.group(3)

    def retag(tag: re.Match[str]) -> str:
        text = _ID_ATTRIBUTE.sub(renamed, tag.group(0))
        text = _HREF_ATTRIBUTE.sub(renamed, text)
        return _URL_REFERENCE.sub(renamed, text)

    return _TAG.sub(retag, svg)


def _dimensions(run: CodeRun, quotes: dict[str, list[Exemplar]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for keys in run.segment_codes().values():
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return [
        {
            "id": dimension_id,
            "label": dimension.label or dimension_id,
            "description": dimension.description,
            "exclusive": dimension.exclusive,
            "codes": [
                {
                    "id": code_id,
                    "key": f"{dimension_id}:{code_id}",
                    "label": code.label or code_id,
                    "definition": code.definition,
                    "include": code.include,
                    "exclude": code.exclude,
                    "absence_of": list(code.absent.of) if code.absent else [],
                    "count": counts.get(f"{dimension_id}:{code_id}", 0),
                    "quotes": quotes.get(f"{dimension_id}:{code_id}", []),
                }
                for code_id, code in dimension.codes.items()
            ],
        }
        for dimension_id, dimension in run.codebook.codebook.dimensions.items()
    ]


def _document(
    row: dict[str, str], segments: dict[str, int], review: dict[str, int]
) -> dict[str, str]:
    fields = ("doc_id", "title", "year", "jurisdiction", "level", "file", "pages", "status")
    document = {name: field_value(row, name) for name in fields}
    document["pages"] = document["pages"] or UNKNOWN  # a document that could not be read
    document["anchor"] = _anchor(row["doc_id"])
    document["segments"] = str(segments.get(row["doc_id"], 0))
    document["review"] = str(review.get(row["doc_id"], 0))
    document["problem"] = row.get("message", "")
    return document


def _anchor(doc_id: str) -> str:
    """The id of a document's row in the Documents section."""
    return f"doc-{doc_id}"
