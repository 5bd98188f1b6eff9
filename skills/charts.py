"""The skill-gap heatmap and the round-over-round bars as standalone SVGs, built on
the server.

The same SVG goes on the results page and into the printed plan (WeasyPrint), so it
carries its own width, height and viewBox, uses the Sarabun font and needs no script
or stylesheet. Every text in it is escaped here — unit and group names are typed by
people — and the result is marked safe only after that. Each cell prints its number,
so the chart reads without colour (in black-and-white print, or for colour-blind
readers); colour only helps the eye.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.thai import date_short
from skills.services import HeatCell, RoundComparison, RoundResults
from skills.services.compare import signed

FONT = "Sarabun, 'Noto Sans Thai', sans-serif"
INK = "#1d2733"
MUTED = "#5b6777"
LINE = "#d9dee5"
EMPTY = "#eef0f3"

#: Average gap (in levels) → colour; values in between are blended.
COLOUR_STOPS: list[tuple[float, tuple[int, int, int]]] = [
    (0.0, (0xE3, 0xF3, 0xE8)),  # no gap: pale green
    (0.5, (0xFB, 0xF0, 0xC6)),  # yellow
    (1.0, (0xF6, 0xC2, 0x7A)),  # orange
    (2.0, (0xE0, 0x66, 0x45)),  # red-orange
    (3.0, (0xA3, 0x1D, 0x1D)),  # deep red: large gap
]
LEGEND_STEPS = [0, 0.5, 1, 1.5, 2, 3]

CELL_W = 66
CELL_H = 42
HEADER_H = 30
TITLE_H = 30
PAD = 10
LABEL_MAX_W = 270
FONT_SIZE = 13


@dataclass(frozen=True)
class HeatmapCell:
    average: Decimal | None  # average gap of the people in the cell; None: nobody
    people: int = 0

    @property
    def fill(self) -> str:
        return colour(self.average)

    @property
    def ink(self) -> str:
        return _ink_on(self.average)

    @property
    def tone(self) -> str:
        """The CSS class that paints this cell on an HTML page, where the
        Content-Security-Policy forbids style attributes: see :func:`tone_css`."""
        return tone_class(self.average)


@dataclass(frozen=True)
class HeatmapRow:
    label: str
    cells: Sequence[HeatmapCell]


@dataclass(frozen=True)
class HeatmapColumn:
    code: str  # short label shown on top (e.g. DL)
    name: str  # full name, in the key below the chart


@dataclass(frozen=True)
class HeatmapTexts:
    """The words of the chart, already translated by the caller."""

    title: str
    row_heading: str
    legend: str  # e.g. "Average gap (levels)"
    nobody: str  # e.g. "nobody assessed"
    people: str  # format with %(n)s, e.g. "%(n)s people"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """A rough width of a line of text: Thai vowel and tone marks above or below a
    consonant take no width of their own."""
    advancing = sum(1 for ch in text if not unicodedata.combining(ch) and ch not in "\u0e31")
    return advancing * size * 0.56


def fit(text: str, width: float, size: float = FONT_SIZE) -> str:
    """The text, cut with an ellipsis so it fits ``width``."""
    if text_width(text, size) <= width:
        return text
    cut = text
    while cut and text_width(cut + "…", size) > width:
        cut = cut[:-1]
    # Do not end on a lone mark that belonged to the character cut off.
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return cut + "…"


def colour(value: float | Decimal | None) -> str:
    if value is None:
        return EMPTY
    value = float(value)
    low_at, low = COLOUR_STOPS[0]
    for high_at, high in COLOUR_STOPS:
        if value <= high_at:
            span = high_at - low_at or 1
            t = max(0.0, (value - low_at) / span)
            mixed = (round(a + (b - a) * t) for a, b in zip(low, high, strict=True))
            return "#" + "".join(f"{c:02x}" for c in mixed)
        low_at, low = high_at, high
    return "#" + "".join(f"{c:02x}" for c in COLOUR_STOPS[-1][1])


def _ink_on(value: float | Decimal | None) -> str:
    return "#ffffff" if value is not None and float(value) >= 1.8 else INK


#: Averages are given to one decimal and the colour stops changing at the last stop,
#: so a class for each tenth up to there paints every cell exactly as the SVG does.
TONE_STEPS = round(COLOUR_STOPS[-1][0] * 10)


def tone_class(value: float | Decimal | None) -> str:
    if value is None:
        return "gap-none"
    return f"gap-{min(TONE_STEPS, max(0, round(float(value) * 10)))}"


def tone_css() -> str:
    """The rules of the ``gap-*`` classes, as static/css/site.css holds them (a test
    keeps the two the same)."""
    rules = [f".gap-none {{ background: {EMPTY}; color: {INK}; }}"]
    for step in range(TONE_STEPS + 1):
        value = step / 10
        rules.append(f".gap-{step} {{ background: {colour(value)}; color: {_ink_on(value)}; }}")
    return "\n".join(rules) + "\n"


def _text(x: float, y: float, content: str, **attrs: object) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{escape(value)}"' for name, value in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _number(value: Decimal) -> str:
    return f"{value:.1f}"


def gap_heatmap(
    *,
    rows: Sequence[HeatmapRow],
    columns: Sequence[HeatmapColumn],
    texts: HeatmapTexts,
) -> SafeString:
    """An SVG table of average gaps: one row per unit (or group), one column per domain."""
    label_w = min(
        LABEL_MAX_W,
        max([text_width(texts.row_heading), *(text_width(r.label) for r in rows)], default=80)
        + 2 * PAD,
    )
    grid_x = PAD + label_w
    grid_y = TITLE_H + HEADER_H
    grid_w = CELL_W * len(columns)
    legend_y = grid_y + CELL_H * len(rows) + 22
    key_y = legend_y + 52
    key_w = max([text_width(f"{c.code}  {c.name}") for c in columns], default=0)
    legend_w = 150 + 62 * len(LEGEND_STEPS) + 120
    width = round(max(grid_x + grid_w + PAD, legend_w, key_w + 2 * PAD, 320))
    height = round(key_y + 20 * len(columns) + PAD)

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(texts.title)}" '
        f'font-family="{escape(FONT)}" font-size="{FONT_SIZE}" fill="{INK}">',
        f"<title>{escape(texts.title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        _text(PAD, 20, texts.title, font_size=15, font_weight="bold"),
        _text(PAD, grid_y - 10, texts.row_heading, fill=MUTED),
    ]
    for index, column in enumerate(columns):
        x = grid_x + index * CELL_W + CELL_W / 2
        out.append(
            f"<g><title>{escape(column.name)}</title>"
            + _text(x, grid_y - 10, column.code, text_anchor="middle", font_weight="bold")
            + "</g>"
        )
    for row_index, row in enumerate(rows):
        y = grid_y + row_index * CELL_H
        label = fit(row.label, label_w - 2 * PAD)
        out.append(
            f"<g><title>{escape(row.label)}</title>"
            + _text(PAD, y + CELL_H / 2 + 5, label)
            + "</g>"
        )
        for col_index, cell in enumerate(row.cells):
            x = grid_x + col_index * CELL_W
            tip = (
                texts.nobody
                if cell.average is None
                else f"{row.label} · {columns[col_index].code}: {_number(cell.average)} "
                f"({texts.people % {'n': cell.people}})"
            )
            out.append(
                f"<g><title>{escape(tip)}</title>"
                f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" '
                f'rx="4" fill="{colour(cell.average)}"/>'
            )
            if cell.average is None:
                out.append(_text(x + CELL_W / 2, y + CELL_H / 2 + 5, "–", text_anchor="middle"))
            else:
                ink = _ink_on(cell.average)
                out.append(
                    _text(
                        x + CELL_W / 2,
                        y + 19,
                        _number(cell.average),
                        text_anchor="middle",
                        font_weight="bold",
                        font_size=15,
                        fill=ink,
                    )
                )
                out.append(
                    _text(
                        x + CELL_W / 2,
                        y + 34,
                        texts.people % {"n": cell.people},
                        text_anchor="middle",
                        font_size=10,
                        fill=ink,
                    )
                )
            out.append("</g>")
        out.append(
            f'<line x1="{PAD}" y1="{y + CELL_H}" x2="{grid_x + grid_w}" y2="{y + CELL_H}" '
            f'stroke="{LINE}" stroke-width="0.6"/>'
        )

    # Legend: the colour scale with its numbers, and the "nobody" swatch.
    out.append(_text(PAD, legend_y + 15, texts.legend, fill=MUTED))
    x = PAD + 150
    for step in LEGEND_STEPS:
        out.append(
            f'<rect x="{x}" y="{legend_y}" width="54" height="22" rx="3" fill="{colour(step)}" '
            f'stroke="{LINE}" stroke-width="0.6"/>'
        )
        label = f"{step:g}+" if step == LEGEND_STEPS[-1] else f"{step:g}"
        out.append(_text(x + 27, legend_y + 16, label, text_anchor="middle", fill=_ink_on(step)))
        x += 62
    out.append(
        f'<rect x="{x}" y="{legend_y}" width="22" height="22" rx="3" fill="{EMPTY}" '
        f'stroke="{LINE}" stroke-width="0.6"/>'
    )
    out.append(_text(x + 11, legend_y + 16, "–", text_anchor="middle"))
    out.append(_text(x + 28, legend_y + 16, texts.nobody, fill=MUTED, font_size=12))

    # Key: what each column code stands for, so the chart reads on its own in print.
    for index, column in enumerate(columns):
        y = key_y + 20 * index
        out.append(_text(PAD, y, column.code, font_weight="bold", font_size=12))
        out.append(_text(PAD + 52, y, column.name, font_size=12, fill=MUTED))
    out.append("</svg>")
    # Safe: every piece of text above went through escape().
    return mark_safe("\n".join(out))


# --- The two heatmaps of a round's results ---------------------------------------------


def _cell(cell: HeatCell | None) -> HeatmapCell:
    if cell is None or not cell.people:
        return HeatmapCell(None, 0)
    return HeatmapCell(cell.average, cell.people)


def _columns(results: RoundResults) -> list[HeatmapColumn]:
    return [HeatmapColumn(d.code, d.name) for d in results.domains]


def _texts(title: str, row_heading: str) -> HeatmapTexts:
    return HeatmapTexts(
        title=title,
        row_heading=row_heading,
        legend=_("Average gap (levels)"),
        nobody=_("nobody assessed"),
        people=_("%(n)s people"),
    )


def unit_heatmap_rows(results: RoundResults) -> list[HeatmapRow]:
    return [
        HeatmapRow(
            unit.full_name, [_cell(results.by_unit.get((unit.pk, d.pk))) for d in results.domains]
        )
        for unit in results.units
    ]


def group_heatmap_rows(results: RoundResults) -> list[HeatmapRow]:
    return [
        HeatmapRow(
            group.name, [_cell(results.by_group.get((group.pk, d.pk))) for d in results.domains]
        )
        for group in results.groups
    ]


def unit_gap_heatmap(results: RoundResults) -> SafeString:
    """Average gap by unit × domain."""
    return gap_heatmap(
        rows=unit_heatmap_rows(results),
        columns=_columns(results),
        texts=_texts(_("Average gap by unit and domain"), _("Unit")),
    )


def group_gap_heatmap(results: RoundResults) -> SafeString:
    """Average gap by personnel group × domain."""
    return gap_heatmap(
        rows=group_heatmap_rows(results),
        columns=_columns(results),
        texts=_texts(_("Average gap by personnel group and domain"), _("Personnel group")),
    )


# --- Round over round --------------------------------------------------------------------

PREVIOUS_FILL = "#b9c6d6"
CURRENT_FILL = "#2f6db5"
TARGET_INK = "#a31d1d"
UP_INK = "#1e6b3a"
DOWN_INK = "#a31d1d"
COMPARE_LABEL_W = 52
COMPARE_LEVEL_W = 64  # one level of the 0–4 scale
COMPARE_ROW_H = 46
COMPARE_DELTA_W = 64
MAX_SCORE = 4


@dataclass(frozen=True)
class CompareTexts:
    """The words of the round-over-round chart, already translated by the caller."""

    title: str
    current: str  # this round, e.g. "FY 2568"
    previous: str  # the previous round
    target: str  # e.g. "Target"
    change: str  # heading of the change column
    nobody: str  # e.g. "nobody assessed"


def round_label(the_round: object, other: object) -> str:
    """How a round is named in the comparison: its fiscal year, and its closing date
    when both rounds fall in the same year."""
    label = _("FY %(fy)s") % {"fy": the_round.fiscal_year}
    if the_round.fiscal_year == other.fiscal_year:
        label += f" ({date_short(the_round.closes_on)})"
    return label


def compare_texts(comparison: RoundComparison, title: str) -> CompareTexts:
    return CompareTexts(
        title=title,
        current=round_label(comparison.round, comparison.previous),
        previous=round_label(comparison.previous, comparison.round),
        target=_("Target"),
        change=pgettext("round over round", "Change"),
        nobody=_("nobody assessed"),
    )


def compare_chart_for(comparison: RoundComparison, title: str) -> SafeString:
    return compare_chart(comparison, texts=compare_texts(comparison, title))


def compare_chart(comparison: RoundComparison, *, texts: CompareTexts) -> SafeString:
    """Per domain, the mean score of the previous round and of this one as two bars on
    the 0–4 scale, the target as a line across them and the change written at the end.
    Every bar carries its number, so the chart reads without colour."""
    rows = comparison.rows
    plot_x = PAD + COMPARE_LABEL_W
    plot_w = COMPARE_LEVEL_W * MAX_SCORE
    delta_x = plot_x + plot_w + 34
    grid_y = TITLE_H + HEADER_H
    legend_y = grid_y + COMPARE_ROW_H * len(rows) + 18
    key_y = legend_y + 44
    key_w = max([text_width(f"{r.domain.code}  {r.domain.name}", 12) for r in rows], default=0)
    width = round(max(delta_x + COMPARE_DELTA_W, key_w + 52 + 2 * PAD, 360))
    height = round(key_y + 20 * len(rows) + PAD)

    def x_of(value: Decimal | float) -> float:
        return plot_x + float(value) * COMPARE_LEVEL_W

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(texts.title)}" '
        f'font-family="{escape(FONT)}" font-size="{FONT_SIZE}" fill="{INK}">',
        f"<title>{escape(texts.title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        _text(PAD, 20, fit(texts.title, width - 2 * PAD, 15), font_size=15, font_weight="bold"),
        _text(
            delta_x + COMPARE_DELTA_W / 2 - 10,
            grid_y - 10,
            texts.change,
            text_anchor="middle",
            fill=MUTED,
        ),
    ]
    bottom = grid_y + COMPARE_ROW_H * len(rows)
    for level in range(MAX_SCORE + 1):
        x = x_of(level)
        out.append(
            f'<line x1="{x:.1f}" y1="{grid_y}" x2="{x:.1f}" y2="{bottom}" '
            f'stroke="{LINE}" stroke-width="0.8"/>'
        )
        out.append(_text(x, grid_y - 10, str(level), text_anchor="middle", fill=MUTED))
    for index, row in enumerate(rows):
        y = grid_y + index * COMPARE_ROW_H
        out.append(
            f"<g><title>{escape(row.domain.name)}</title>"
            + _text(PAD, y + COMPARE_ROW_H / 2 + 5, row.domain.code, font_weight="bold")
            + "</g>"
        )
        # The target first, so the numbers of the bars are written over it.
        if row.target is not None:
            x = x_of(row.target)
            out.append(
                f"<g><title>{escape(f'{row.domain.code} · {texts.target}: {row.target:.1f}')}"
                f'</title><line x1="{x:.1f}" y1="{y + 3}" x2="{x:.1f}" y2="{y + 42}" '
                f'stroke="{TARGET_INK}" stroke-width="2.5"/></g>'
            )
        for offset, value, fill, name in (
            (7, row.previous_score, PREVIOUS_FILL, texts.previous),
            (24, row.score, CURRENT_FILL, texts.current),
        ):
            tip = f"{row.domain.code} · {name}: " + (
                texts.nobody if value is None else f"{value:.1f}"
            )
            out.append(f"<g><title>{escape(tip)}</title>")
            if value is None:
                out.append(_text(plot_x + 4, y + offset + 11, "–", fill=MUTED, font_size=12))
            else:
                bar_w = max(1.5, x_of(value) - plot_x)
                out.append(
                    f'<rect x="{plot_x}" y="{y + offset}" width="{bar_w:.1f}" height="14" '
                    f'fill="{fill}"/>'
                )
                out.append(_text(plot_x + bar_w + 4, y + offset + 12, f"{value:.1f}", font_size=12))
            out.append("</g>")
        ink = {"up": UP_INK, "down": DOWN_INK}.get(row.trend, INK)
        out.append(
            _text(
                delta_x + COMPARE_DELTA_W / 2 - 10,
                y + COMPARE_ROW_H / 2 + 6,
                signed(row.delta),
                text_anchor="middle",
                font_weight="bold",
                font_size=15,
                fill=ink,
            )
        )
        out.append(
            f'<line x1="{PAD}" y1="{y + COMPARE_ROW_H}" x2="{width - PAD}" '
            f'y2="{y + COMPARE_ROW_H}" stroke="{LINE}" stroke-width="0.6"/>'
        )

    # Legend: the two rounds and the target line.
    x = PAD
    for fill, label in ((PREVIOUS_FILL, texts.previous), (CURRENT_FILL, texts.current)):
        out.append(f'<rect x="{x}" y="{legend_y}" width="22" height="14" fill="{fill}"/>')
        out.append(_text(x + 28, legend_y + 12, label, font_size=12))
        x += 28 + text_width(label, 12) + 22
    out.append(
        f'<line x1="{x + 11}" y1="{legend_y - 3}" x2="{x + 11}" y2="{legend_y + 17}" '
        f'stroke="{TARGET_INK}" stroke-width="2.5"/>'
    )
    out.append(_text(x + 20, legend_y + 12, texts.target, font_size=12))

    for index, row in enumerate(rows):
        y = key_y + 20 * index
        out.append(_text(PAD, y, row.domain.code, font_weight="bold", font_size=12))
        out.append(_text(PAD + 52, y, row.domain.name, font_size=12, fill=MUTED))
    out.append("</svg>")
    # Safe: every piece of text above went through escape().
    return mark_safe("\n".join(out))


# --- Bar charts: the home page's dashboards -------------------------------------------
#
# Horizontal bars, one group of bars per row, with the row's label on its own line above
# them: the chart is as narrow as a 375 px phone's card (BAR_WIDTH), so it is shown there
# at its own size, text included, and long Thai labels never squeeze the bars. Every
# bar prints its value, so the chart reads without colour.

BAR_WIDTH = 300
BAR_FONT = 14
VALUE_FONT = 13
BAR_H = 16
BAR_GAP = 4
ROW_GAP = 10
LABEL_H = 20
SERIES_COLOURS = ["#2f6db5", "#e08a2c", "#3d9a5b", "#8a5fb8"]


@dataclass(frozen=True)
class BarSeries:
    name: str  # in the legend, e.g. "Budget"
    colour: str = ""  # empty: the next of SERIES_COLOURS


@dataclass(frozen=True)
class BarRow:
    label: str
    values: Sequence[Decimal | float | int | None]  # one per series; None: no bar
    texts: Sequence[str] = ()  # the printed values, one per series ("" → the number)
    colours: Sequence[str] = ()  # a colour per bar, overriding the series' (e.g. a gap)


def _plain(value: Decimal | float | int) -> str:
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


def bar_chart(
    *,
    title: str,
    rows: Sequence[BarRow],
    series: Sequence[BarSeries],
    maximum: Decimal | float | int | None = None,
    marker: tuple[Decimal | float | int, str] | None = None,
) -> SafeString:
    """Horizontal bars of ``rows`` × ``series`` on one scale (0 to ``maximum``, or the
    largest value). ``marker`` draws a dashed line at a value with its label (a target).
    A legend names the series when there are several."""
    colours = [s.colour or SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, s in enumerate(series)]
    values = [float(v) for row in rows for v in row.values if v is not None]
    if marker is not None:
        values.append(float(marker[0]))
    top = float(maximum) if maximum is not None else max(values, default=0.0)
    top = top or 1.0  # all zero: empty bars, no division by zero
    printed = [
        (row.texts[i] if i < len(row.texts) and row.texts[i] else _plain(v))
        for row in rows
        for i, v in enumerate(row.values)
        if v is not None
    ]
    # Room right of the longest bar for the longest printed value.
    value_w = max([text_width(p, VALUE_FONT) for p in printed], default=0) + 8
    scale_w = BAR_WIDTH - 2 * PAD - value_w
    legend_h = 24 if len(series) > 1 else 0
    y = TITLE_H + legend_h
    body: list[str] = []
    for row in rows:
        body.append(
            f"<g><title>{escape(row.label)}</title>"
            + _text(PAD, y + 14, fit(row.label, BAR_WIDTH - 2 * PAD, BAR_FONT))
            + "</g>"
        )
        y += LABEL_H
        for index, value in enumerate(row.values):
            text = row.texts[index] if index < len(row.texts) and row.texts[index] else ""
            if value is None:
                shown = text or "–"
                body.append(_text(PAD, y + BAR_H - 3, shown, fill=MUTED, font_size=VALUE_FONT))
            else:
                length = max(0.0, min(float(value), top)) / top * scale_w
                fill = row.colours[index] if index < len(row.colours) else colours[index]
                shown = text or _plain(value)
                body.append(
                    f"<g><title>{escape(f'{row.label} · {series[index].name}: {shown}')}</title>"
                    f'<rect x="{PAD}" y="{y}" width="{scale_w:.1f}" height="{BAR_H}" rx="3" '
                    f'fill="{EMPTY}"/>'
                    f'<rect x="{PAD}" y="{y}" width="{length:.1f}" height="{BAR_H}" rx="3" '
                    f'fill="{escape(fill)}"/>'
                    + _text(PAD + scale_w + 6, y + BAR_H - 2, shown, font_size=VALUE_FONT)
                    + "</g>"
                )
            y += BAR_H + BAR_GAP
        y += ROW_GAP
    height = round(y + (22 if marker is not None else 0) + PAD)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{BAR_WIDTH}" height="{height}" '
        f'viewBox="0 0 {BAR_WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{escape(FONT)}" font-size="{BAR_FONT}" fill="{INK}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{BAR_WIDTH}" height="{height}" fill="#ffffff"/>',
        _text(PAD, 20, fit(title, BAR_WIDTH - 2 * PAD, 15), font_size=15, font_weight="bold"),
    ]
    if legend_h:
        x = PAD
        for index, one in enumerate(series):
            out.append(
                f'<rect x="{x}" y="{TITLE_H + 2}" width="12" height="12" rx="2" '
                f'fill="{escape(colours[index])}"/>'
            )
            out.append(_text(x + 17, TITLE_H + 12, one.name, font_size=VALUE_FONT))
            x += 17 + text_width(one.name, VALUE_FONT) + 16
    out.extend(body)
    if marker is not None:
        at = PAD + max(0.0, min(float(marker[0]), top)) / top * scale_w
        top_y = TITLE_H + legend_h + LABEL_H - 2  # from the first bar, below its label
        out.append(
            f'<line x1="{at:.1f}" y1="{top_y}" x2="{at:.1f}" y2="{y - ROW_GAP + 4}" '
            f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        anchor = "end" if at > BAR_WIDTH / 2 else "start"
        out.append(_text(at, y + 12, marker[1], text_anchor=anchor, font_size=12, fill=MUTED))
    out.append("</svg>")
    # Safe: every piece of text above went through escape().
    return mark_safe("\n".join(out))
