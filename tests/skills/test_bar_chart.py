"""The server-made bar chart of the dashboards (skills.charts.bar_chart)."""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree

from skills.charts import BAR_H, BAR_WIDTH, EMPTY, BarRow, BarSeries, bar_chart


def bars(svg: str) -> list[float]:
    """The widths of the bars (not their grey tracks, not the legend's swatches)."""
    return [
        float(rect.get("width"))
        for rect in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}rect")
        if rect.get("height") == str(BAR_H) and rect.get("fill") != EMPTY
    ]


def test_bars_are_drawn_to_one_scale_with_their_values_printed():
    svg = bar_chart(
        title="งบประมาณ",
        rows=[BarRow("ด้านการบริหาร", [Decimal(100), Decimal(50)], ["100", "50"])],
        series=[BarSeries("ตั้งไว้"), BarSeries("ใช้จริง")],
    )
    ElementTree.fromstring(svg)  # well-formed, standalone
    full, half = bars(svg)
    assert full == 2 * half
    assert ">100<" in svg and ">50<" in svg and f'width="{BAR_WIDTH}"' in svg
    assert "ตั้งไว้" in svg  # a legend for two series


def test_all_zero_and_empty_charts_do_not_divide_by_zero():
    svg = bar_chart(title="ว่าง", rows=[BarRow("ก", [0])], series=[BarSeries("x")])
    assert bars(svg) == [0.0]
    ElementTree.fromstring(bar_chart(title="ว่าง", rows=[], series=[BarSeries("x")]))


def test_labels_typed_by_people_are_escaped_and_no_style_attribute_is_used():
    svg = bar_chart(
        title="<script>",
        rows=[BarRow('หน่วย "ก" <b>', [3], colours=["#123456"])],
        series=[BarSeries("x")],
        marker=(5, "เป้าหมาย 5"),
    )
    assert "<script>" not in svg and "<b>" not in svg
    assert "style=" not in svg
    assert 'stroke-dasharray="4 3"' in svg and "เป้าหมาย 5" in svg
    ElementTree.fromstring(svg)
