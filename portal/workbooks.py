"""Writing an import's template or export: the data sheet's headings, its drop-down
lists and the guide sheet that explains every column, alike for every import.

Every text a user typed passes :func:`portal.spreadsheets.neutralise` on its way into a
cell, so a name starting with ``=`` cannot run as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from portal.spreadsheets import neutralise

GUIDE_SHEET_TITLE = "คำอธิบาย"
HEAD_FONT = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="0F4C81")
REQUIRED_FILL = PatternFill("solid", fgColor="8A5A00")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def headings_write(
    sheet: Worksheet,
    headings: Sequence[str],
    *,
    fills: Sequence[PatternFill],
    widths: Sequence[int],
    wrap: bool = False,
) -> None:
    """The heading row of a data sheet: white on ``fills``, columns ``widths`` wide."""
    sheet.append(list(headings))
    for index, (fill, width) in enumerate(zip(fills, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEAD_FONT
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=wrap or None)
        sheet.column_dimensions[get_column_letter(index)].width = width


def rows_write(sheet: Worksheet, rows: Iterable[list[object]]) -> int:
    """Append rows of values, neutralised; how many there were."""
    count = 0
    for values in rows:
        sheet.append([neutralise(value) for value in values])
        count += 1
    return count


def list_add(sheet: Worksheet, column: int, formula: str, last_row: int) -> None:
    """A drop-down list on a column's data cells. A warning, not a stop: other
    spellings of the values are accepted too."""
    letter = get_column_letter(column)
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, errorStyle="warning"
    )
    validation.error = f"ค่านี้ไม่อยู่ในรายการ ดูแผ่น “{GUIDE_SHEET_TITLE}”"
    validation.add(f"{letter}2:{letter}{last_row}")
    sheet.add_data_validation(validation)


def guide_write(
    sheet: Worksheet,
    *,
    title: str,
    subtitle: str,
    columns: Sequence[tuple[str, bool, str, str]],
    notes: Sequence[str],
) -> None:
    """The guide sheet's title and its table of columns: (heading, required, how to
    fill it, an example), then the notes below."""
    sheet["A1"] = neutralise(title)
    sheet["A1"].font = TITLE_FONT
    sheet["A2"] = subtitle
    for index, text in enumerate(("คอลัมน์", "ต้องมี", "วิธีกรอก", "ตัวอย่าง"), start=1):
        sheet.cell(row=3, column=index, value=text).font = BOLD
    for offset, (heading, required, how, example) in enumerate(columns):
        row = 4 + offset
        sheet.cell(row=row, column=1, value=heading)
        sheet.cell(row=row, column=2, value="ต้องมี" if required else "")
        sheet.cell(row=row, column=3, value=how).alignment = WRAP
        sheet.cell(row=row, column=4, value=example)
    notes_row = 4 + len(columns) + 1
    for offset, text in enumerate(notes):
        sheet.cell(row=notes_row + offset, column=1, value=text)


def guide_lists_write(sheet: Worksheet, blocks: Iterable[tuple[str, str, list[str]]]) -> None:
    """The allowed values, one list per column letter from row 4 under its title; the
    data sheet's drop-downs read them."""
    for letter, title, values in blocks:
        sheet[f"{letter}3"] = title
        sheet[f"{letter}3"].font = BOLD
        for offset, value in enumerate(values):
            sheet[f"{letter}{4 + offset}"] = neutralise(value)


def widths_set(sheet: Worksheet, widths: dict[str, int]) -> None:
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
