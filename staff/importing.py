"""Importing and exporting staff spreadsheets (XLSX and CSV), all or nothing.

``staff_import`` reads a file, runs :class:`staff.resources.StaffMemberResource` over it
inside one transaction and reports every row; if any row has an error, nothing is
written (``rollback_on_validation_errors``: the library's default would keep the good
rows). ``staff_workbook`` writes the template and the export in the same layout, so an
export imports back unchanged. Between the preview and the confirmation the uploaded
bytes wait under ``VAR_DIR/imports`` (see ``pending_upload_*``).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import Result, RowResult
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from portal.models import Organization
from portal.spreadsheets import (
    HEADER_SEARCH_ROWS,
    MAX_BLANK_RUN,
    MAX_FILE_BYTES,
    MAX_ROWS,
    CellError,
    Change,
    ImportFileError,
    ImportReport,
    RowStatus,
    Sheet,
    clean_text,
    headings_check,
    ignored_columns,
    is_blank,
    missing_columns_message,
    neutralise,
    raw_rows,
    report_finish,
    run_import,
    upload_check,
)
from portal.thai import date_short
from staff.choices import LEVELS_BY_POSITION_TYPE
from staff.models import Position, StaffMember, Unit
from staff.resources import (
    COLUMN_BY_FIELD,
    COLUMNS,
    LEVEL_TH,
    PERSONNEL_TYPE_TH,
    POSITION_TYPE_TH,
    TRACKED,
    StaffMemberResource,
    column_of,
    error_column,
    lookup_key,
    thai_label,
)
from staff.validators import format_citizen_id

logger = logging.getLogger(__name__)

#: An ID masked by our export (x-xxxx-xxxxx-12-3) hides ten digits; a typo is one x.
_MASK_CHARACTERS = re.compile(r"[xX*]")

DATA_SHEET_TITLE = "บุคลากร"
GUIDE_SHEET_TITLE = "คำอธิบาย"


# --- Reading a file ------------------------------------------------------------------


def _header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.header, *column.aliases, column.field):
            lookup.setdefault(_header_key(name), column.header)
    return lookup


def _header_key(text: object) -> str:
    return lookup_key(clean_text(text).rstrip("*").strip())


def spreadsheet_read(*, data: bytes) -> Sheet:
    """The staff rows of an uploaded file, or :class:`ImportFileError` saying why not."""
    upload_check(data)
    lookup = _header_lookup()
    rows = enumerate(raw_rows(data), start=1)
    header: list[str | None] | None = None
    header_row: list[object] = []
    anything = False
    for number, row in rows:
        anything = anything or not is_blank(row)
        mapped = [lookup.get(_header_key(cell)) for cell in row]
        if COLUMN_BY_FIELD["citizen_id"].header in mapped:
            header_row, header = list(row), mapped
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        if not anything:
            raise ImportFileError(_("The file is empty."))
        raise ImportFileError(missing_columns_message([c.header for c in COLUMNS if c.required]))
    headings_check(header, [c.header for c in COLUMNS if c.required])
    ignored = ignored_columns(header_row, header)
    positions = [(index, heading) for index, heading in enumerate(header) if heading]
    dataset = tablib.Dataset(headers=[heading for _index, heading in positions])
    sheet_rows: list[int] = []
    blank_run = 0
    for number, row in rows:
        if is_blank(row):
            # A sheet formatted down to row 1,048,576 ends long before that.
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if len(sheet_rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)s people. Split it into smaller files.")
                % {"limit": f"{MAX_ROWS:,}"}
            )
        values = list(row)
        dataset.append([values[index] if index < len(values) else None for index, _h in positions])
        sheet_rows.append(number)
    if not sheet_rows:
        raise ImportFileError(_("The file has the column headings but no people under them."))
    ids = dataset[COLUMN_BY_FIELD["citizen_id"].header]
    if any(len(_MASK_CHARACTERS.findall(clean_text(value))) >= 5 for value in ids):
        raise ImportFileError(
            _(
                "The citizen IDs in this file are hidden (x-xxxx-…): it was exported without "
                "them. People are matched by citizen ID, so export again with “Include "
                "citizen IDs” ticked, or type the IDs in."
            )
        )
    return Sheet(dataset=dataset, sheet_rows=sheet_rows, ignored_columns=ignored)


# --- Running the import ------------------------------------------------------------------


@dataclass
class RowReport:
    number: int  # as Excel numbers it
    status: str
    name: str
    citizen_id: str
    unit: str
    position: str
    errors: list[CellError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    summary: str = ""  # how a new row was read: types, level, appointment date


_STATUS = {
    RowResult.IMPORT_TYPE_NEW: RowStatus.NEW,
    RowResult.IMPORT_TYPE_UPDATE: RowStatus.UPDATE,
    RowResult.IMPORT_TYPE_SKIP: RowStatus.UNCHANGED,
}


def staff_import(
    *, organization: Organization, data: bytes, filename: str, dry_run: bool
) -> ImportReport:
    """Import a staff spreadsheet into ``organization``: every row or none.

    With ``dry_run`` the import runs in full and is rolled back, for the preview.
    """
    report = ImportReport(filename=filename)
    try:
        sheet = spreadsheet_read(data=data)
    except ImportFileError as error:
        report.file_errors.append(error.message)
        return report
    report.ignored_columns = sheet.ignored_columns
    resource = StaffMemberResource(organization=organization, sheet_rows=sheet.sheet_rows)
    result = run_import(resource, sheet, dry_run=dry_run)
    report.rows = _row_reports(resource, sheet, result)
    return report_finish(report, result, dry_run=dry_run)


def _row_reports(resource: StaffMemberResource, sheet: Sheet, result: Result) -> list[RowReport]:
    headers = sheet.dataset.headers
    reports = []
    unexpected = 0
    for number, (values, row_result) in enumerate(
        zip(sheet.dataset, result.rows, strict=True), start=1
    ):
        row = dict(zip(headers, values, strict=True))
        person, before = resource.outcomes.get(number, (None, None))
        report = RowReport(
            number=resource.sheet_row(number),
            status=_STATUS.get(row_result.import_type, RowStatus.ERROR),
            name=_cell(row, "prefix")
            + " ".join(
                part for part in (_cell(row, "first_name"), _cell(row, "last_name")) if part
            ),
            citizen_id=format_citizen_id(_cell(row, "citizen_id")),
            unit=person.unit.full_name if person and person.unit_id else _cell(row, "unit"),
            position=person.position_title if person else _cell(row, "position_title"),
        )
        if row_result.validation_error is not None:
            report.errors = _cell_errors(row, row_result.validation_error)
        for error in row_result.errors:
            # Not the officer's mistake but ours (or the database's): keep the first trace.
            if not unexpected:
                logger.error("staff import row %s failed", report.number, exc_info=error.error)
            unexpected += 1
            report.errors.append(
                CellError("", "", _("This row could not be saved. Check it and try again."))
            )
        if report.status == RowStatus.UPDATE and person is not None and before is not None:
            report.changes = _changes(resource, before, person)
        if report.status == RowStatus.NEW and person is not None:
            report.summary = _summary(person)
        reports.append(report)
    return reports


def _cell(row: dict, name: str) -> str:
    return clean_text(row.get(COLUMN_BY_FIELD[name].header))


def _cell_errors(row: dict, error: ValidationError) -> list[CellError]:
    by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error}
    order = {column.field: index for index, column in enumerate(COLUMNS)}
    found = []
    for name, messages in sorted(
        by_field.items(), key=lambda item: order.get(getattr(column_of(item[0]), "field", ""), 99)
    ):
        column = error_column(name)
        value = clean_text(row.get(column)) if column else ""
        for message in messages:
            found.append(CellError(column, value, str(message)))
    return found


def _display(resource: StaffMemberResource, name: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if name == "unit_id":
        unit = resource.units_by_id.get(value)
        return unit.full_name if unit else ""
    if name == "position_id":
        position = resource.positions_by_id.get(value)
        return position.number if position else ""
    if name == "personnel_type":
        return thai_label(PERSONNEL_TYPE_TH, value)
    if name == "position_type":
        return thai_label(POSITION_TYPE_TH, value)
    if name == "level":
        return thai_label(LEVEL_TH, value)
    if isinstance(value, dt.date):
        return date_short(value)
    return str(value)


def _summary(person: StaffMember) -> str:
    """What the officer should glance at for a new person: how the labels and the
    date were read (a BE/CE mix-up shows here, before anything is saved)."""
    parts = [
        thai_label(PERSONNEL_TYPE_TH, person.personnel_type),
        " ".join(
            label
            for label in (
                thai_label(POSITION_TYPE_TH, person.position_type),
                thai_label(LEVEL_TH, person.level),
            )
            if label
        ),
    ]
    if person.appointed_on:
        parts.append(_("appointed %(date)s") % {"date": date_short(person.appointed_on)})
    return " · ".join(part for part in parts if part)


def _changes(
    resource: StaffMemberResource, before: dict[str, object], person: StaffMember
) -> list[Change]:
    changes = []
    for name in TRACKED:
        old, new = before[name], getattr(person, name)
        if old == new or name == "is_active":
            continue
        column = column_of(name).header
        changes.append(Change(column, _display(resource, name, old), _display(resource, name, new)))
    return changes


# --- Writing the template and the export --------------------------------------------------


_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="0F4C81")
_REQUIRED_FILL = PatternFill("solid", fgColor="8A5A00")
_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

_COLUMN_GUIDE = {
    "citizen_id": ("13 หลัก มีขีดหรือไม่มีก็ได้ ใช้จับคู่กับคนที่มีอยู่แล้ว", "1-1017-00203-45-0"),
    "prefix": ("นาย นาง นางสาว หรือยศ/คำนำหน้าอื่น", "นางสาว"),
    "first_name": ("ชื่อภาษาไทย", "สมศรี"),
    "last_name": ("นามสกุลภาษาไทย", "ใจงาม"),
    "first_name_en": ("ไม่บังคับ", "Somsri"),
    "last_name_en": ("ไม่บังคับ", "Jai-ngam"),
    "personnel_type": ("เลือกจากรายการในคอลัมน์ H ของแผ่นนี้", "พนักงานส่วนตำบล"),
    "unit": (
        "ชื่อกองหรือชื่องานตามหน้า “ส่วนราชการ” ถ้าชื่องานซ้ำกันให้เขียน “กอง · งาน” เว้นว่างได้ถ้าใส่เลขที่ตำแหน่ง",
        "สำนักปลัด · งานการเจ้าหน้าที่",
    ),
    "position": (
        "เลขที่ตำแหน่งตามหน้า “ตำแหน่ง” (หรือชื่อตำแหน่งถ้ามีตำแหน่งนั้นตำแหน่งเดียว) ไม่บังคับ",
        "12-3-01-3102-001",
    ),
    "position_title": ("ชื่อตำแหน่ง เว้นว่างได้ถ้าใส่เลขที่ตำแหน่ง", "นักทรัพยากรบุคคล"),
    "position_type": ("เลือกจากรายการ (ลูกจ้างและพนักงานจ้างเว้นว่างได้)", "วิชาการ"),
    "level": ("เลือกจากรายการ ต้องตรงกับประเภทตำแหน่ง", "ชำนาญการ"),
    "appointed_on": ("วัน/เดือน/ปี พ.ศ. หรือ ค.ศ. ก็ได้ หรือเขียนแบบ 1 ต.ค. 2563", "01/10/2563"),
    "birth_date": ("รูปแบบเดียวกับวันที่บรรจุ", "15 มี.ค. 2530"),
    "education": ("วุฒิสูงสุด", "ปริญญาตรี รัฐประศาสนศาสตร์"),
    "phone": ("ไม่บังคับ", "081-234-5678"),
    "email": ("ไม่บังคับ", "somsri@example.go.th"),
    "left_on": (
        "ใส่เฉพาะคนที่ออกหรือโอนย้ายไปแล้ว ช่องว่างไม่เปลี่ยนสถานะของใคร",
        "",
    ),
}

_GUIDE_INTRO = (
    "วิธีกรอก: หนึ่งแถวต่อหนึ่งคนในแผ่น “บุคลากร” ห้ามเปลี่ยนหัวคอลัมน์ หัวคอลัมน์สีน้ำตาลต้องมีทุกแถว",
    "คนที่มีเลขประจำตัวประชาชนตรงกับที่มีอยู่แล้วจะถูกปรับปรุงข้อมูล คนที่ยังไม่มีจะถูกเพิ่มใหม่ "
    "ถ้ามีแถวใดผิดแม้แถวเดียว ระบบจะไม่บันทึกอะไรเลยและบอกว่าผิดที่แถวใด คอลัมน์ใด",
    f"ไฟล์ .xlsx หรือ .csv ขนาดไม่เกิน {MAX_FILE_BYTES // (1024 * 1024)} MB "
    f"และไม่เกิน {MAX_ROWS:,} คนต่อไฟล์",
)


def _list_values() -> dict[str, list[tuple[str, str]]]:
    levels = []
    for position_type, keys in LEVELS_BY_POSITION_TYPE.items():
        for key in keys:
            label = thai_label(LEVEL_TH, key)
            if all(label != existing for existing, _t in levels):
                levels.append((label, thai_label(POSITION_TYPE_TH, position_type)))
            else:  # ต้น/กลาง/สูง belong to two types
                index = next(i for i, (existing, _t) in enumerate(levels) if existing == label)
                levels[index] = (
                    label,
                    levels[index][1] + ", " + thai_label(POSITION_TYPE_TH, position_type),
                )
    return {
        "personnel_type": [(names[0], "") for names in PERSONNEL_TYPE_TH.values()],
        "position_type": [(names[0], "") for names in POSITION_TYPE_TH.values()],
        "level": levels,
    }


def staff_workbook(
    *,
    organization: Organization,
    people: Iterable[StaffMember] = (),
    include_citizen_ids: bool = False,
) -> bytes:
    """The template (no ``people``) or an export, as XLSX bytes, in the same layout.

    ``people`` should come from ``StaffMember.objects.for_listing()`` so that writing
    them costs no query per person.
    """
    resource = StaffMemberResource(
        organization=organization, include_citizen_ids=include_citizen_ids
    )
    units = list(Unit.objects.filter(organization=organization).in_tree_order())
    positions = list(Position.objects.filter(organization=organization).order_by("number"))
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET_TITLE
    guide = workbook.create_sheet(GUIDE_SHEET_TITLE)
    _write_data_sheet(data, resource, people, len(units), len(positions))
    _write_guide_sheet(guide, organization, units, positions, include_citizen_ids, people)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_data_sheet(sheet, resource, people, unit_count: int, position_count: int) -> None:
    fields = resource.get_export_fields()
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _HEAD_FONT
        cell.fill = _REQUIRED_FILL if column.required else _HEAD_FILL
        cell.alignment = Alignment(vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        # Text, so Excel keeps 13-digit IDs whole and does not turn BE dates into CE.
        sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "B2"
    count = 0
    for person in people:
        sheet.append([neutralise(resource.export_field(field_, person)) for field_ in fields])
        count += 1
    for row in sheet.iter_rows(min_row=2, max_row=count + 1):
        for cell in row:
            cell.number_format = "@"
    last = max(MAX_ROWS, count) + 1
    guide = f"'{GUIDE_SHEET_TITLE}'"
    lists = _list_values()
    for name, column_letter in (("personnel_type", "H"), ("position_type", "J"), ("level", "L")):
        _add_list(
            sheet, name, f"{guide}!${column_letter}$4:${column_letter}${3 + len(lists[name])}", last
        )
    if unit_count:
        _add_list(sheet, "unit", f"{guide}!$O$4:$O${3 + unit_count}", last)
    if position_count:
        _add_list(sheet, "position", f"{guide}!$P$4:$P${3 + position_count}", last)


def _add_list(sheet, name: str, formula: str, last_row: int) -> None:
    index = [column.field for column in COLUMNS].index(name) + 1
    letter = get_column_letter(index)
    # A warning, not a stop: "กอง · งาน" and other spellings are accepted too.
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, errorStyle="warning"
    )
    validation.error = "ค่านี้ไม่อยู่ในรายการ ดูแผ่น “คำอธิบาย”"
    validation.add(f"{letter}2:{letter}{last_row}")
    sheet.add_data_validation(validation)


def _write_guide_sheet(
    sheet, organization, units, positions, include_citizen_ids: bool, people
) -> None:
    sheet["A1"] = neutralise(f"แฟ้มบุคลากร {organization.name_th}")
    sheet["A1"].font = _TITLE_FONT
    sheet["A2"] = f"สร้างเมื่อ {date_short(timezone.localdate())}"
    heads = ("คอลัมน์", "ต้องมี", "วิธีกรอก", "ตัวอย่าง")
    for index, text in enumerate(heads, start=1):
        cell = sheet.cell(row=3, column=index, value=text)
        cell.font = _BOLD
    for offset, column in enumerate(COLUMNS):
        how, example = _COLUMN_GUIDE[column.field]
        row = 4 + offset
        sheet.cell(row=row, column=1, value=column.header)
        sheet.cell(row=row, column=2, value="ต้องมี" if column.required else "")
        sheet.cell(row=row, column=3, value=how).alignment = _WRAP
        sheet.cell(row=row, column=4, value=example)
    notes_row = 4 + len(COLUMNS) + 1
    notes = list(_GUIDE_INTRO)
    if people and not include_citizen_ids:
        notes.append(
            "แฟ้มนี้ส่งออกโดยไม่แสดงเลขประจำตัวประชาชน จึงนำเข้ากลับไม่ได้ "
            "ถ้าต้องการแก้ไขแล้วนำเข้า ให้ส่งออกใหม่โดยติ๊ก “รวมเลขประจำตัวประชาชน”"
        )
    for offset, text in enumerate(notes):
        cell = sheet.cell(row=notes_row + offset, column=1, value=text)
        cell.alignment = Alignment(wrap_text=False)
    # The allowed values, one list per column; the data sheet's drop-downs read them.
    lists = _list_values()
    blocks = (
        ("H", "ประเภทบุคลากร", lists["personnel_type"], None),
        ("J", "ประเภทตำแหน่ง", lists["position_type"], None),
        ("L", "ระดับ", lists["level"], "M"),
    )
    for letter, title, values, side in blocks:
        sheet[f"{letter}3"] = title
        sheet[f"{letter}3"].font = _BOLD
        if side:
            sheet[f"{side}3"] = "ของประเภทตำแหน่ง"
            sheet[f"{side}3"].font = _BOLD
        for offset, (label, note) in enumerate(values):
            sheet[f"{letter}{4 + offset}"] = label
            if side:
                sheet[f"{side}{4 + offset}"] = note
    sheet["O3"] = "ส่วนราชการของหน่วยงานนี้"
    sheet["P3"] = "เลขที่ตำแหน่ง"
    sheet["Q3"] = "ชื่อตำแหน่ง"
    for cell in ("O3", "P3", "Q3"):
        sheet[cell].font = _BOLD
    for offset, unit in enumerate(units):
        sheet[f"O{4 + offset}"] = neutralise(unit.full_name)
    for offset, position in enumerate(positions):
        sheet[f"P{4 + offset}"] = neutralise(position.number)
        sheet[f"Q{4 + offset}"] = neutralise(position.title)
    for letter, width in {
        "A": 24,
        "B": 8,
        "C": 60,
        "D": 28,
        "H": 30,
        "J": 18,
        "L": 20,
        "M": 26,
        "O": 40,
        "P": 20,
        "Q": 30,
    }.items():
        sheet.column_dimensions[letter].width = width
    for letter in "ABCDHJLMOPQ":
        for cell in sheet[letter]:
            if cell.value is not None:
                cell.number_format = "@"


def staff_export(
    *, organization: Organization, people: QuerySet[StaffMember], include_citizen_ids: bool
) -> bytes:
    """The people of ``people`` (already filtered) as an XLSX that imports back."""
    return staff_workbook(
        organization=organization,
        people=people.filter(organization=organization).for_listing(),
        include_citizen_ids=include_citizen_ids,
    )


def export_filename(organization: Organization, *, template: bool = False) -> str:
    if template:
        return f"staff-import-template-{organization.slug}.xlsx"
    return f"staff-{organization.slug}-{timezone.localdate():%Y%m%d}.xlsx"
