"""Importing and exporting staff spreadsheets (XLSX and CSV), all or nothing.

``staff_import`` reads a file with the staff columns (``staff.resources``), runs
:class:`staff.resources.StaffMemberResource` over it in one transaction and reports
every row (``portal.imports``): if any row has an error, nothing is written.
``staff_workbook`` writes the template and the export in the same layout, so an export
imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from portal import imports, workbooks
from portal.cells import thai_label
from portal.history import history_context, import_reason
from portal.imports import ImportReport
from portal.models import Organization
from portal.spreadsheets import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    Sheet,
    SheetFormat,
    clean_text,
    sheet_read,
)
from portal.thai import date_short
from staff.accounts import accounts_end_for_left
from staff.choices import LEVELS_BY_POSITION_TYPE
from staff.columns import (
    COLUMN_BY_FIELD,
    COLUMNS,
    HEADERS,
    LEVEL_TH,
    PERSONNEL_TYPE_TH,
    POSITION_TYPE_TH,
)
from staff.models import Position, StaffMember, Unit
from staff.resources import TRACKED, StaffMemberResource, column_of
from staff.signals import staff_imported
from staff.validators import format_citizen_id

#: An ID masked by our export (x-xxxx-xxxxx-12-3) hides ten digits; a typo is one x.
_MASK_CHARACTERS = re.compile(r"[xX*]")

DATA_SHEET_TITLE = "บุคลากร"
FIELDS = [column.field for column in COLUMNS]
SHEET_FORMAT = SheetFormat(
    columns=COLUMNS,
    anchor=COLUMN_BY_FIELD["citizen_id"].header,
    max_rows=MAX_ROWS,
    too_many_rows=gettext_lazy(
        "The file has more than %(limit)s people. Split it into smaller files."
    ),
    no_rows=gettext_lazy("The file has the column headings but no people under them."),
)


def spreadsheet_read(*, data: bytes) -> Sheet:
    """The staff rows of an uploaded file, or :class:`ImportFileError` saying why not."""
    sheet = sheet_read(data=data, format=SHEET_FORMAT)
    ids = sheet.dataset[COLUMN_BY_FIELD["citizen_id"].header]
    if any(len(_MASK_CHARACTERS.findall(clean_text(value))) >= 5 for value in ids):
        raise ImportFileError(
            _(
                "The citizen IDs in this file are hidden (x-xxxx-…): it was exported without "
                "them. People are matched by citizen ID, so export again with “Include "
                "citizen IDs” ticked, or type the IDs in."
            )
        )
    return sheet


def staff_import(
    *,
    organization: Organization,
    data: bytes,
    filename: str,
    dry_run: bool,
    create_new: bool = False,
) -> ImportReport:
    """Import a staff spreadsheet into ``organization``: every row or none.

    With ``dry_run`` the import runs in full and is rolled back, for the preview. With
    ``create_new`` the units and positions the file names that do not exist yet are
    created with the rows (``staff.import_structure``); without, such rows are errors.
    """
    report = imports.import_run(
        filename=filename,
        read=lambda: spreadsheet_read(data=data),
        resource=lambda sheet: StaffMemberResource(
            organization=organization, sheet_rows=sheet.sheet_rows, create_new=create_new
        ),
        describe=_describe,
        dry_run=dry_run,
    )
    if report.written:
        # The import writes in bulk, which sends no save signal per person.
        staff_imported.send(sender=StaffMember, organization_id=organization.pk)
    if not dry_run:
        # A file can record people as having left (its left_on column): they lose
        # their login at once, as when HR records it on the person's page.
        with history_context(reason=import_reason(filename)):
            accounts_end_for_left(organization_id=organization.pk)
    return report


def _describe(
    resource: StaffMemberResource, row: imports.RowReport, number: int, cells: dict[str, Any]
) -> None:
    person, before = resource.outcomes.get(number, (None, None))
    names = (_cell(cells, "first_name"), _cell(cells, "last_name"))
    row.cells = [
        (_cell(cells, "prefix") + " ".join(part for part in names if part)) or "—",
        format_citizen_id(_cell(cells, "citizen_id")) or "—",
        person.unit.full_name if person and person.unit_id else _cell(cells, "unit"),
        person.position_title if person else _cell(cells, "position_title"),
    ]
    if row.status == imports.RowStatus.UPDATE and person is not None and before is not None:
        row.changes = _changes(resource, before, person)
    if row.status == imports.RowStatus.NEW and person is not None:
        row.summary = _summary(person)


def _cell(row: dict, name: str) -> str:
    return clean_text(row.get(COLUMN_BY_FIELD[name].header))


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
) -> list[imports.Change]:
    changes = []
    for name in TRACKED:
        old, new = before[name], getattr(person, name)
        if old == new or name == "is_active":
            continue
        column = column_of(name).header
        changes.append(
            imports.Change(column, _display(resource, name, old), _display(resource, name, new))
        )
    return changes


# --- Writing the template and the export --------------------------------------------------


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
    guide = workbook.create_sheet(workbooks.GUIDE_SHEET_TITLE)
    _write_data_sheet(data, resource, people, len(units), len(positions))
    _write_guide_sheet(guide, organization, units, positions, include_citizen_ids, people)
    return workbooks.workbook_bytes(workbook)


def _write_data_sheet(sheet, resource, people, unit_count: int, position_count: int) -> None:
    fields = resource.get_export_fields()
    workbooks.headings_write(
        sheet,
        HEADERS,
        fills=[
            workbooks.REQUIRED_FILL if column.required else workbooks.HEAD_FILL
            for column in COLUMNS
        ],
        widths=[column.width for column in COLUMNS],
    )
    for index in range(1, len(COLUMNS) + 1):
        # Text, so Excel keeps 13-digit IDs whole and does not turn BE dates into CE.
        sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    sheet.freeze_panes = "B2"
    count = workbooks.rows_write(
        sheet, ([resource.export_field(f, p) for f in fields] for p in people)
    )
    for row in sheet.iter_rows(min_row=2, max_row=count + 1):
        for cell in row:
            cell.number_format = "@"
    last = max(MAX_ROWS, count) + 1
    guide = f"'{workbooks.GUIDE_SHEET_TITLE}'"
    lists = _list_values()
    ranges = {
        name: f"{guide}!${letter}$4:${letter}${3 + len(lists[name])}"
        for name, letter in (("personnel_type", "H"), ("position_type", "J"), ("level", "L"))
    }
    if unit_count:
        ranges["unit"] = f"{guide}!$O$4:$O${3 + unit_count}"
    if position_count:
        ranges["position"] = f"{guide}!$P$4:$P${3 + position_count}"
    for name, formula in ranges.items():
        workbooks.list_add(sheet, FIELDS.index(name) + 1, formula, last)


def _write_guide_sheet(
    sheet, organization, units, positions, include_citizen_ids: bool, people
) -> None:
    notes = list(_GUIDE_INTRO)
    if people and not include_citizen_ids:
        notes.append(
            "แฟ้มนี้ส่งออกโดยไม่แสดงเลขประจำตัวประชาชน จึงนำเข้ากลับไม่ได้ "
            "ถ้าต้องการแก้ไขแล้วนำเข้า ให้ส่งออกใหม่โดยติ๊ก “รวมเลขประจำตัวประชาชน”"
        )
    workbooks.guide_write(
        sheet,
        title=f"แฟ้มบุคลากร {organization.name_th}",
        subtitle=f"สร้างเมื่อ {date_short(timezone.localdate())}",
        columns=[(c.header, c.required, *_COLUMN_GUIDE[c.field]) for c in COLUMNS],
        notes=notes,
    )
    # The allowed values, one list per column; the data sheet's drop-downs read them.
    lists = _list_values()
    workbooks.guide_lists_write(
        sheet,
        [
            ("H", "ประเภทบุคลากร", [label for label, _note in lists["personnel_type"]]),
            ("J", "ประเภทตำแหน่ง", [label for label, _note in lists["position_type"]]),
            ("L", "ระดับ", [label for label, _note in lists["level"]]),
            ("M", "ของประเภทตำแหน่ง", [note for _label, note in lists["level"]]),
            ("O", "ส่วนราชการของหน่วยงานนี้", [unit.full_name for unit in units]),
            ("P", "เลขที่ตำแหน่ง", [position.number for position in positions]),
            ("Q", "ชื่อตำแหน่ง", [position.title for position in positions]),
        ],
    )
    workbooks.widths_set(
        sheet,
        {"A": 24, "B": 8, "C": 60, "D": 28, "H": 30, "J": 18, "L": 20, "M": 26, "O": 40}
        | {"P": 20, "Q": 30},
    )
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
