"""The organisation chart of the plan book (ส่วนที่ ๒ โครงสร้าง) as a standalone SVG, drawn
on the server from the units tree: the organisation on top, its divisions in rows below,
each division's sections stacked under it, every box with the number of staff in post.

Like the skill heatmap (skills/charts.py) it carries its own size and viewBox, uses
presentation attributes only (no style), and escapes every name — unit names are
typed by people — before it is marked safe. It is drawn for paper: black lines and
text on white, so it prints in black and white.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe
from pythainlp.tokenize import word_tokenize

from skills.charts import FONT, _text, text_width
from staff.models import Unit

FONT_SIZE = 14
LINE_H = 18
COLUMNS = 6  # divisions a row, on a landscape page: more would print too small
BOX_W = 156
GAP = 18
PAD = 12
INDENT = 16  # sections hang from their division's left edge
SECTION_GAP = 8
ROW_GAP = 34
MAX_LINES = 3

# Thai vowels written before their consonant, and those that follow it: a word too
# long for a line is never cut after the first nor before the second.
LEADING = "เแโใไ"
FOLLOWING = "ะาำๅๆฯ"


@dataclass
class ChartBox:
    name: str
    people: int
    children: list[ChartBox] = field(default_factory=list)


def org_chart_tree(units: Iterable[Unit], people_by_unit: Mapping[int, int]) -> list[ChartBox]:
    """The divisions with their sections, in tree order; a division counts its own
    staff and those of its sections."""
    divisions: dict[int, ChartBox] = {}
    for unit in units:
        if unit.parent_id is None:
            divisions[unit.pk] = ChartBox(unit.name, people_by_unit.get(unit.pk, 0))
        elif unit.parent_id in divisions:
            count = people_by_unit.get(unit.pk, 0)
            divisions[unit.parent_id].children.append(ChartBox(unit.name, count))
            divisions[unit.parent_id].people += count
    return list(divisions.values())


def _breaks(word: str) -> list[int]:
    """Where a word may be cut when it alone is wider than a line: between two
    clusters, never before a mark or a following vowel, never after a leading vowel."""
    return [
        i
        for i in range(1, len(word))
        if unicodedata.category(word[i]) != "Mn"
        and word[i] not in FOLLOWING
        and word[i - 1] not in LEADING
    ]


def _split_long(word: str, width: float, size: float) -> list[str]:
    pieces = []
    while text_width(word, size) > width:
        cut = max((i for i in _breaks(word) if text_width(word[:i], size) <= width), default=0)
        if not cut:
            break
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]


def wrap(text: str, width: float, size: float = FONT_SIZE) -> list[str]:
    """The text in lines that fit ``width``, cut between Thai words (dictionary
    segmentation, as the printed text is); at most MAX_LINES lines, the last one
    ending with … if the text was longer."""
    lines: list[str] = []
    line = ""
    for word in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if text_width(line + word, size) <= width:
            line += word
            continue
        if line.strip():
            lines.append(line.strip())
        *full, line = _split_long(word.strip(), width, size)
        lines.extend(full)
    if line.strip():
        lines.append(line.strip())
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1] + "…"
    return lines


def _box(x: float, y: float, width: float, box: ChartBox, *, bold: bool) -> tuple[str, float]:
    """A box's SVG and its height: the name in lines, then the headcount."""
    lines = [*wrap(box.name, width - 12), f"{box.people} คน"]
    height = len(lines) * LINE_H + 10
    parts = [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="#ffffff" stroke="#000000" stroke-width="{1.4 if bold else 0.9}"/>'
    ]
    for i, line in enumerate(lines):
        weight = "700" if bold and i < len(lines) - 1 else "400"
        parts.append(
            _text(
                x + width / 2,
                y + 5 + LINE_H * (i + 0.78),
                line,
                text_anchor="middle",
                font_weight=weight,
            )
        )
    return "".join(parts), height


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
        'stroke="#000000" stroke-width="0.9"/>'
    )


def org_chart_svg(*, title: str, people: int, divisions: list[ChartBox]) -> SafeString:
    """The chart: ``title`` (the organisation) with its ``people`` on top, then the
    divisions COLUMNS a row, each with its sections hanging below it."""
    columns = max(1, min(COLUMNS, len(divisions)))
    width = PAD * 2 + columns * BOX_W + (columns - 1) * GAP + INDENT
    left = PAD + INDENT  # the spine on the left joins the rows
    parts: list[str] = []
    top_w = min(width - 2 * PAD, BOX_W * 2)
    top_svg, top_h = _box((width - top_w) / 2, PAD, top_w, ChartBox(title, people), bold=True)
    parts.append(top_svg)
    y = PAD + top_h + ROW_GAP / 2
    parts.append(_line(width / 2, PAD + top_h, width / 2, y))
    spine_top = y
    for start in range(0, len(divisions), COLUMNS):
        row = divisions[start : start + COLUMNS]
        bus_y = y
        centres = [left + i * (BOX_W + GAP) + BOX_W / 2 for i in range(len(row))]
        parts.append(_line(PAD + INDENT / 2, bus_y, max(centres[-1], width / 2), bus_y))
        parts.append(_line(PAD + INDENT / 2, spine_top, PAD + INDENT / 2, bus_y))
        box_y = bus_y + ROW_GAP / 2
        bottom = box_y
        for i, division in enumerate(row):
            x = left + i * (BOX_W + GAP)
            parts.append(_line(centres[i], bus_y, centres[i], box_y))
            svg, height = _box(x, box_y, BOX_W, division, bold=True)
            parts.append(svg)
            sy = box_y + height + SECTION_GAP
            for section in division.children:
                sub_svg, sub_h = _box(x + INDENT, sy, BOX_W - INDENT, section, bold=False)
                parts.append(sub_svg)
                parts.append(_line(x + INDENT / 2, sy + sub_h / 2, x + INDENT, sy + sub_h / 2))
                last_mid = sy + sub_h / 2
                sy += sub_h + SECTION_GAP
            if division.children:
                parts.append(_line(x + INDENT / 2, box_y + height, x + INDENT / 2, last_mid))
            bottom = max(bottom, sy)
        spine_top = bus_y
        y = bottom + ROW_GAP / 2
    height = y - ROW_GAP / 2 + PAD
    # Every text above went through escape() in _text.
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" '
        f'font-size="{FONT_SIZE}" fill="#000000" role="img">' + "".join(parts) + "</svg>"
    )


def org_chart(
    *, title: str, units: Iterable[Unit], people_by_unit: Mapping[int, int]
) -> SafeString:
    """The organisation chart of ``units`` (in tree order) with their staff in post."""
    divisions = org_chart_tree(units, people_by_unit)
    total = sum(Counter(people_by_unit).values())
    return org_chart_svg(title=title, people=total, divisions=divisions)
