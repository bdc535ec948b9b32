"""The report's charts: matplotlib figures drawn from the summary tables.

Colour-blind safe: the Okabe–Ito palette, a hatch per series and counts written on the bars, so
that a series can be told apart without colour. Series ``i`` gets colour ``i mod 7`` and hatch
``i mod 8`` (:func:`series_look`): the periods are coprime, so no two of the first 56 series of a
chart share both. One figure, one palette and one legend: a figure of several panels numbers its
series across the panels, so that a colour never means two codes in one figure.

Charts: the framing dimension by year, framing and valence shares by jurisdiction, group ×
valence, stressors vs remedies, and every other dimension of the codebook by year (for
bhuyan-leung-2021: responsibility and function).

Deterministic: no pyplot (no global state), a fixed style, ``svg.hashsalt`` per chart (its
hatch and clip ids are stable) and no dates or versions in the metadata; the report page
prefixes every id of the SVG it inlines (:func:`resdiscourse.report.html.inline_svg`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from resdiscourse.report.tables import (
    ALL_SEGMENTS,
    NO_CODE,
    STRESSORS_VS_REMEDIES,
    UNKNOWN,
    Layout,
    choose_layout,
    uncoded_segments,
)
from resdiscourse.rundir import CodeRun

#: Okabe & Ito (2008), "Color Universal Design", without black (kept for text).
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
#: One more hatch than colours: coprime periods (see :func:`series_look`).
HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "--", "++")
NO_CODE_COLOUR = "#DDDDDD"
DPI = 120
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same glyphs everywhere
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.color": "#333333",
    "hatch.linewidth": 0.6,
    "svg.fonttype": "none",  # text stays text: searchable, readable by screen readers, small
    "text.parse_math": False,  # a "$" in a document title is not LaTeX
    "text.usetex": False,
    "path.simplify": True,
}
PNG_METADATA: dict[str, str | None] = {"Software": None}
SVG_METADATA: dict[str, str | None] = {"Date": None, "Creator": "resdiscourse"}
_LABEL_WIDTH = 42


@dataclass(frozen=True)
class ChartImage:
    """One chart: its file name (without suffix), title, alt text and both renderings."""

    name: str
    title: str
    alt: str
    png: bytes
    svg: str
    #: What the figure's legends show: (label, colour, hatch) per entry, as drawn.
    legend: tuple[tuple[str, str, str], ...] = ()
    #: How many legends the figure has (one per figure).
    legends: int = 0


@dataclass(frozen=True)
class _Series:
    """Bars of one code (or "no code") across the categories of a chart."""

    label: str
    values: list[int]
    colour: str
    hatch: str


def render_charts(run: CodeRun, tables: dict[str, Any]) -> list[ChartImage]:
    """Every chart the tables support, in the report's order; none when the run retrieved no
    segment (the report says why instead of showing empty charts)."""
    if not run.segments:
        return []
    layout = choose_layout(run.codebook.codebook)
    makers: list[tuple[str, Callable[[Figure], str], str]] = [
        _by_year(run, layout, tables["codes_by_year"]),
        _by_jurisdiction(run, layout, tables["codes_by_jurisdiction"]),
    ]
    if layout.group_table and layout.group_table in tables:
        makers.append(_group_by_valence(run, layout, tables[layout.group_table]))
    if STRESSORS_VS_REMEDIES in tables:
        makers.append(_stressors(tables[STRESSORS_VS_REMEDIES]))
    for dimension in uncharted(run, layout, tables):
        makers.append(_dimension_by_year(run, dimension, tables["codes_by_year"]))
    return [_render(name, draw, title) for name, draw, title in makers]


def uncharted(run: CodeRun, layout: Layout, tables: dict[str, Any]) -> list[str]:
    """The codebook's dimensions that no other chart draws, in the codebook's order."""
    drawn = {layout.framing, layout.valence}
    if layout.group_table and layout.group_table in tables:
        drawn.add(layout.group)
    if STRESSORS_VS_REMEDIES in tables:
        drawn.update(("stressor", "remedy"))
    return [name for name in run.codebook.codebook.dimensions if name not in drawn]


# --- the four charts -----------------------------------------------------------------------


def _by_year(run: CodeRun, layout: Layout, table: Any) -> tuple[str, Callable[[Figure], str], str]:
    return _dimension_by_year(run, layout.framing, table)


def _dimension_by_year(
    run: CodeRun, dimension: str, table: Any
) -> tuple[str, Callable[[Figure], str], str]:
    title = f"{_dimension_label(run, dimension)} by year of publication"
    years = [_category(v) for v in table["year"]]
    series = _code_series(run, dimension, table)
    totals = [int(v) for v in table["segments"]]

    def draw(figure: Figure) -> str:
        if not sum(totals):
            return _empty(figure, title)
        axes = figure.subplots()
        ticks = [f"{year}\n({n} seg.)" for year, n in zip(years, totals, strict=True)]
        _stacked_bars(axes, ticks, series)
        figure.suptitle(title, fontsize=12)
        axes.set_xlabel("Year of publication (segments retrieved that year)")
        axes.set_ylabel("Segments with the code")
        _figure_legend(figure, len(series))
        return _alt_by_category(title, years, series)

    return f"{dimension}_by_year", draw, title


def _by_jurisdiction(
    run: CodeRun, layout: Layout, table: Any
) -> tuple[str, Callable[[Figure], str], str]:
    dimensions = [d for d in (layout.framing, layout.valence) if d]
    labels = " and ".join(_dimension_label(run, d).lower() for d in dimensions)
    title = f"Shares of {labels} by jurisdiction"
    places = [_category(v) for v in table["jurisdiction"]]
    totals = [int(v) for v in table["segments"]]

    def draw(figure: Figure) -> str:
        if not sum(totals):
            return _empty(figure, title)
        figure.set_figheight(2.2 + 1.6 * len(dimensions) * max(1, len(places)) ** 0.5)
        alts = []
        first = 0  # series are numbered across the panels: one palette for the figure
        for axes, dimension in zip(
            figure.subplots(len(dimensions), 1, squeeze=False)[:, 0], dimensions, strict=True
        ):
            uncoded = uncoded_segments(run, dimension, "jurisdiction")
            rest = [uncoded.get(place, 0) for place in table["jurisdiction"]]
            series = _code_series(run, dimension, table, no_code=rest, first=first)
            first += len(series) - 1
            ticks = [f"{place}\n(n = {n})" for place, n in zip(places, totals, strict=True)]
            _share_bars(axes, ticks, series)
            axes.set_title(_dimension_label(run, dimension), loc="left", fontsize=11)
            alts.append(_alt_by_category(_dimension_label(run, dimension), places, series))
        _panels_legend(figure)
        figure.suptitle(title, fontsize=12)
        # On the last panel, not the figure: the figure's bottom holds the legend.
        figure.axes[-1].set_xlabel(
            "Share of the jurisdiction's segments (%); n = segments\n"
            "(a segment with several codes of a dimension counts in each)",
            fontsize=10,
        )
        return f"{title}. " + " ".join(alts)

    return f"{'_'.join(dimensions)}_by_jurisdiction", draw, title


def _group_by_valence(
    run: CodeRun, layout: Layout, table: Any
) -> tuple[str, Callable[[Figure], str], str]:
    group, valence = layout.group, layout.valence
    assert group is not None and valence is not None
    title = f"{_dimension_label(run, group)} × {_dimension_label(run, valence).lower()}"
    body = table[~table[group].isin([NO_CODE, ALL_SEGMENTS])]
    categories = [_wrap(str(v), 18) for v in body["label"]]
    columns = [c for c in table.columns if c.startswith(f"{valence}:")]
    labels = {code.key: code.label for code in run.codes()}
    series = [
        _Series(
            labels.get(column, NO_CODE),
            [int(v) for v in body[column]],
            NO_CODE_COLOUR if column.endswith(NO_CODE) else series_look(i)[0],
            series_look(i)[1],
        )
        for i, column in enumerate(columns)
    ]

    def draw(figure: Figure) -> str:
        if not sum(sum(s.values) for s in series):
            return _empty(figure, title)
        axes = figure.subplots()
        _grouped_bars(axes, categories, series)
        figure.suptitle(title, fontsize=12)
        axes.set_xlabel(_dimension_label(run, group))
        axes.set_ylabel("Segments")
        _figure_legend(figure, len(series), title=_dimension_label(run, valence))
        return _alt_by_category(title, [str(v) for v in body["label"]], series)

    return f"{group}_by_{valence}", draw, title


#: Under a document of the stressors chart whose remedy_absent_document is "yes". The flag
#: comes from the segments (passages where resilience and immigrants co-occur, read with the
#: remedy dimension's window of sentences), not from the whole text of the document.
NO_REMEDY_NOTE = "no structural remedy near any resilience passage"


def _stressors(table: Any) -> tuple[str, Callable[[Figure], str], str]:
    title = "Stressors named vs structural remedies named, per document"
    ordered = table.assign(_year=table["year"].replace(UNKNOWN, "9999")).sort_values(
        ["_year", "doc_id"], kind="stable"
    )
    names = [
        _shorten(str(row.doc_id if row.title in ("", UNKNOWN) else row.title), _LABEL_WIDTH)
        + (f", year {UNKNOWN}" if row.year in ("", UNKNOWN) else f" ({row.year})")
        + (f"\n{NO_REMEDY_NOTE}" if row.remedy_absent_document == "yes" else "")
        for row in ordered.itertuples()
    ]
    series = [
        _Series(
            "Segments naming a stressor",
            [int(v) for v in ordered["stressor_named"]],
            PALETTE[4],
            HATCHES[1],
        ),
        _Series(
            "Segments naming a structural remedy",
            [int(v) for v in ordered["structural_remedy_named"]],
            PALETTE[3],
            HATCHES[2],
        ),
    ]

    def draw(figure: Figure) -> str:
        if not len(ordered) or not int(ordered["segments"].sum()):
            return _empty(figure, title)
        figure.set_figheight(1.6 + 0.75 * len(names))
        axes = figure.subplots()
        _grouped_barh(axes, names, series)
        figure.suptitle(title, fontsize=12)
        axes.set_xlabel("Segments (resilience + immigrants) in the document")
        _figure_legend(figure, len(series))
        return _alt_by_category(title, [n.replace("\n", "; ") for n in names], series)

    return STRESSORS_VS_REMEDIES, draw, title


# --- drawing helpers -----------------------------------------------------------------------


def _stacked_bars(axes: Axes, ticks: Sequence[str], series: Sequence[_Series]) -> None:
    positions = list(range(len(ticks)))
    bottoms = [0] * len(ticks)
    for item in series:
        bars = axes.bar(
            positions,
            item.values,
            bottom=bottoms,
            color=item.colour,
            hatch=item.hatch,
            edgecolor="white",
            linewidth=0.8,
            label=item.label,
        )
        labels = [str(v) if v else "" for v in item.values]
        axes.bar_label(
            bars,
            labels=labels,
            label_type="center",
            fontsize=9,
            color=_text_colour(item.colour),
            bbox={"boxstyle": "round,pad=0.15", "fc": item.colour, "ec": "none"},
        )
        bottoms = [b + v for b, v in zip(bottoms, item.values, strict=True)]
    axes.set_xticks(positions, ticks)
    axes.set_ylim(0, max(bottoms) * 1.08 + 0.5)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def _share_bars(axes: Axes, ticks: Sequence[str], series: Sequence[_Series]) -> None:
    totals = [sum(values) for values in zip(*(s.values for s in series), strict=True)]
    positions = list(range(len(ticks)))
    lefts = [0.0] * len(ticks)
    for item in series:
        shares = [100 * v / t if t else 0.0 for v, t in zip(item.values, totals, strict=True)]
        bars = axes.barh(
            positions,
            shares,
            left=lefts,
            color=item.colour,
            hatch=item.hatch,
            edgecolor="white",
            linewidth=0.8,
            label=item.label,
            height=0.6,
        )
        labels = [
            f"{share:.0f}% ({v})" if share >= 9 else str(v) if share >= 3 else ""
            for share, v in zip(shares, item.values, strict=True)
        ]
        axes.bar_label(
            bars,
            labels=labels,
            label_type="center",
            fontsize=8.5,
            color=_text_colour(item.colour),
            bbox={"boxstyle": "round,pad=0.15", "fc": item.colour, "ec": "none"},
        )
        lefts = [left + share for left, share in zip(lefts, shares, strict=True)]
    axes.set_yticks(positions, ticks)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)


def _grouped_bars(axes: Axes, categories: Sequence[str], series: Sequence[_Series]) -> None:
    width = 0.8 / max(1, len(series))
    for i, item in enumerate(series):
        positions = [c + (i - (len(series) - 1) / 2) * width for c in range(len(categories))]
        bars = axes.bar(
            positions,
            item.values,
            width=width,
            color=item.colour,
            hatch=item.hatch,
            edgecolor="#333333",
            linewidth=0.5,
            label=item.label,
        )
        axes.bar_label(bars, labels=[str(v) for v in item.values], padding=2, fontsize=8.5)
    axes.set_xticks(range(len(categories)), categories)
    axes.margins(y=0.12)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def _grouped_barh(axes: Axes, names: Sequence[str], series: Sequence[_Series]) -> None:
    height = 0.8 / max(1, len(series))
    for i, item in enumerate(series):
        positions = [c + (i - (len(series) - 1) / 2) * height for c in range(len(names))]
        bars = axes.barh(
            positions,
            item.values,
            height=height,
            color=item.colour,
            hatch=item.hatch,
            edgecolor="#333333",
            linewidth=0.5,
            label=item.label,
        )
        axes.bar_label(bars, labels=[str(v) for v in item.values], padding=3, fontsize=8.5)
    axes.set_yticks(range(len(names)), names, fontsize=8.5)
    axes.invert_yaxis()
    axes.margins(x=0.1)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))


def _figure_legend(figure: Figure, count: int, title: str | None = None) -> None:
    """One legend under the whole figure (constrained layout makes room for it)."""
    figure.legend(
        loc="outside lower center", ncols=min(count, 4), frameon=False, title=title, fontsize=9
    )


def _panels_legend(figure: Figure) -> None:
    """One legend under a figure of several panels: each label once (the grey "no code" is in
    every panel, with the same look)."""
    entries: dict[str, Artist] = {}
    for axes in figure.axes:
        handles, labels = axes.get_legend_handles_labels()
        for handle, label in zip(handles, labels, strict=True):
            entries.setdefault(label, handle)
    figure.legend(
        list(entries.values()),
        list(entries),
        loc="outside lower center",
        ncols=min(len(entries), 4),
        frameon=False,
        fontsize=9,
    )


def _empty(figure: Figure, title: str) -> str:
    axes = figure.subplots()
    axes.set_axis_off()
    axes.set_title(title)
    axes.text(
        0.5,
        0.5,
        "no segments",
        ha="center",
        va="center",
        fontsize=16,
        color="#555555",
        transform=axes.transAxes,
    )
    return f"{title}: no segments to show."


def _code_series(
    run: CodeRun,
    dimension: str,
    table: Any,
    *,
    no_code: list[int] | None = None,
    first: int = 0,
) -> list[_Series]:
    """One series per code of ``dimension`` from a table's ``dimension:code`` columns, and a
    grey last one of ``no_code`` (segments without a code of the dimension) when given. Series
    are numbered from ``first`` (another panel of the figure used the ones before)."""
    codes = [code for code in run.codes() if code.dimension == dimension]
    series = [
        _Series(
            code.label,
            [int(v) for v in table[code.key]],
            *series_look(first + i),
        )
        for i, code in enumerate(codes)
    ]
    if no_code is not None:
        series.append(_Series(NO_CODE, no_code, NO_CODE_COLOUR, ""))
    return series


def series_look(index: int) -> tuple[str, str]:
    """The colour and hatch of a chart's series ``index``: colours and hatches cycle on coprime
    periods (7 and 8), so the pair repeats only after 56 series."""
    return PALETTE[index % len(PALETTE)], HATCHES[index % len(HATCHES)]


def _alt_by_category(title: str, categories: Sequence[str], series: Sequence[_Series]) -> str:
    parts = [
        f"{category}: " + ", ".join(f"{item.label} {item.values[i]}" for item in series)
        for i, category in enumerate(categories)
    ]
    return f"{title}. Segments per code. " + "; ".join(parts) + "."


def _dimension_label(run: CodeRun, dimension: str) -> str:
    return run.codebook.codebook.dimensions[dimension].label or dimension


def _category(value: Any) -> str:
    return str(value) if str(value) else UNKNOWN


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _wrap(text: str, width: int) -> str:
    """Break a tick label on spaces into lines of about ``width`` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (relative luminance)."""
    red, green, blue = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "black" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.45 else "white"


# --- rendering -----------------------------------------------------------------------------


@contextmanager
def _style(name: str) -> Iterator[None]:
    settings = {**STYLE, "svg.hashsalt": f"resdiscourse:{name}", "svg.id": f"chart-{name}"}
    with rc_context(cast(Any, settings)):  # matplotlib types the keys as a Literal
        yield


def _render(name: str, draw: Callable[[Figure], str], title: str) -> ChartImage:
    with _style(name):
        figure = Figure(figsize=(8.0, 4.8), dpi=DPI, layout="constrained")
        # The Agg canvas, set on the figure rather than with matplotlib.use(): headless, and
        # without changing the backend of a program (or notebook) that imports us.
        FigureCanvasAgg(figure)
        alt = draw(figure)
        png, svg = io.BytesIO(), io.BytesIO()
        figure.savefig(png, format="png", metadata=PNG_METADATA)
        figure.savefig(svg, format="svg", metadata=SVG_METADATA)
    legends = [*figure.legends, *(a.legend_ for a in figure.axes if a.legend_ is not None)]
    legend = tuple(
        (text.get_text(), to_hex(handle.get_facecolor()).upper(), str(handle.get_hatch() or ""))
        for item in legends
        for text, handle in zip(item.get_texts(), item.legend_handles, strict=True)
        if isinstance(handle, Patch)
    )
    return ChartImage(
        name,
        title,
        alt,
        png.getvalue(),
        svg.getvalue().decode("utf-8"),
        legend,
        len(legends),
    )
