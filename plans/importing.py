"""Importing and exporting the projects of a plan as a spreadsheet, all or nothing.

``projects_import`` reads a file, runs :class:`plans.resources.ProjectResource` over it
inside one transaction and reports every row; if any row has an error nothing is
written (``rollback_on_validation_errors``). ``projects_workbook`` writes the export in
the columns the import reads, so an export imports back unchanged. The file reading,
the report classes and the wait between preview and confirmation are the staff
import's (``staff.importing``), shared so both imports behave alike.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import Result, RowResult
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from plans.models import DevelopmentPlan
from plans.resources import (
    AREA_TH,
    COLUMN_BY_FIELD,
    COLUMNS,
    GUIDE_SHEET_TITLE,
    METHOD_TH,
    NAME_HEADER,
    NO_TH,
    PLANNED,
    PROVIDER_TH,
    QUARTERS,
    YEAR_KINDS,
    YES_TH,
    ProjectResource,
    error_column,
    lookup_key,
    year_header,
    year_of_header,
)
from portal.spreadsheets import (
    MAX_FILE_BYTES,
    XLSX_CONTENT_TYPE,
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
from portal.thai import date_short, thai_digits
from staff.resources import LEVEL_TH, PERSONNEL_TYPE_TH, POSITION_TYPE_TH

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "XLSX_CONTENT_TYPE",
    "ImportReport",
    "ProjectRowReport",
    "export_filename",
    "projects_import",
    "projects_sheet_read",
    "projects_workbook",
]

logger = logging.getLogger(__name__)

#: A plan has a few dozen projects; a province's combined list a few hundred.
MAX_ROWS = 1000
HEADER_SEARCH_ROWS = 10
DATA_SHEET_TITLE = "โครงการ"


# --- Reading a file ------------------------------------------------------------------


def _header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.header, *column.aliases, column.field):
            lookup.setdefault(_header_key(name), column.header)
    return lookup


def _header_key(text: object) -> str:
    return lookup_key(clean_text(text).rstrip("*").strip())


def _heading(lookup: dict[str, str], cell: object) -> tuple[str | None, int | None]:
    """The canonical heading of a header cell, and the FY it names if it is a year's."""
    key = _header_key(cell)
    if not key:
        return None, None
    if key in lookup:
        return lookup[key], None
    found = year_of_header(key)
    if found:
        kind, fy = found
        return year_header(kind, fy), fy
    return None, None


def projects_sheet_read(*, data: bytes, plan: DevelopmentPlan) -> Sheet:
    """The project rows of an uploaded file, or :class:`ImportFileError` saying why not."""
    upload_check(data)
    lookup = _header_lookup()
    rows = enumerate(raw_rows(data), start=1)
    header: list[str | None] | None = None
    header_row: list[object] = []
    years: list[int | None] = []
    anything = False
    for number, row in rows:
        anything = anything or not is_blank(row)
        found = [_heading(lookup, cell) for cell in row]
        if NAME_HEADER in [heading for heading, _fy in found]:
            header_row = list(row)
            header = [heading for heading, _fy in found]
            years = [fy for _heading_, fy in found]
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        if not anything:
            raise ImportFileError(_("The file is empty."))
        raise ImportFileError(missing_columns_message([c.header for c in COLUMNS if c.required]))
    headings_check(header, [c.header for c in COLUMNS if c.required])
    foreign = sorted({fy for fy in years if fy is not None and fy not in plan.fiscal_years})
    if foreign:
        raise ImportFileError(
            _(
                "The file has columns for FY %(years)s, which are not years of this plan "
                "(FY %(first)s–%(last)s). Rename those columns to the plan's years or take "
                "them out."
            )
            % {
                "years": ", ".join(str(fy) for fy in foreign),
                "first": plan.first_fy,
                "last": plan.last_fy,
            }
        )
    ignored = ignored_columns(header_row, header)
    positions = [(index, heading) for index, heading in enumerate(header) if heading]
    dataset = tablib.Dataset(headers=[heading for _index, heading in positions])
    sheet_rows: list[int] = []
    for number, row in rows:
        values = list(row)
        picked = [values[index] if index < len(values) else None for index, _h in positions]
        if is_blank(picked):
            continue
        if len(sheet_rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)s projects. Split it into smaller files.")
                % {"limit": f"{MAX_ROWS:,}"}
            )
        dataset.append(picked)
        sheet_rows.append(number)
    if not sheet_rows:
        raise ImportFileError(_("The file has the column headings but no projects under them."))
    return Sheet(dataset=dataset, sheet_rows=sheet_rows, ignored_columns=ignored)


# --- Running the import ------------------------------------------------------------------


@dataclass
class ProjectRowReport:
    number: int  # as Excel numbers it
    status: str
    name: str
    area: str
    errors: list[CellError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


_STATUS = {
    RowResult.IMPORT_TYPE_NEW: RowStatus.NEW,
    RowResult.IMPORT_TYPE_UPDATE: RowStatus.UPDATE,
    RowResult.IMPORT_TYPE_SKIP: RowStatus.UNCHANGED,
}


def projects_import(
    *, plan: DevelopmentPlan, data: bytes, filename: str, dry_run: bool
) -> ImportReport:
    """Import a projects spreadsheet into ``plan``: every row or none.

    With ``dry_run`` the import runs in full and is rolled back, for the preview. A
    locked (approved) plan refuses, here and again row by row inside the transaction.
    """
    report = ImportReport(filename=filename)
    if plan.is_locked:
        report.file_errors.append(
            _("This plan is approved and locked. Create a new revision to change it.")
        )
        return report
    try:
        sheet = projects_sheet_read(data=data, plan=plan)
    except ImportFileError as error:
        report.file_errors.append(error.message)
        return report
    report.ignored_columns = sheet.ignored_columns
    resource = ProjectResource(plan=plan, sheet_rows=sheet.sheet_rows)
    result = run_import(resource, sheet, dry_run=dry_run)
    report.rows = _row_reports(resource, sheet, result)
    return report_finish(report, result, dry_run=dry_run)


def _row_reports(resource: ProjectResource, sheet: Sheet, result: Result) -> list:
    headers = sheet.dataset.headers
    area_header = COLUMN_BY_FIELD["area"].header
    reports = []
    unexpected = 0
    for number, (values, row_result) in enumerate(
        zip(sheet.dataset, result.rows, strict=True), start=1
    ):
        row = dict(zip(headers, values, strict=True))
        _project, before, after = resource.outcomes.get(number, (None, None, {}))
        report = ProjectRowReport(
            number=resource.sheet_row(number),
            status=_STATUS.get(row_result.import_type, RowStatus.ERROR),
            name=clean_text(row.get(NAME_HEADER)),
            area=after.get(area_header) or clean_text(row.get(area_header)),
        )
        if row_result.validation_error is not None:
            report.errors = _cell_errors(resource, row, row_result.validation_error)
        for error in row_result.errors:
            # Not the officer's mistake but ours (or the database's): keep the first trace.
            if not unexpected:
                logger.error("project import row %s failed", report.number, exc_info=error.error)
            unexpected += 1
            report.errors.append(
                CellError("", "", _("This row could not be saved. Check it and try again."))
            )
        if report.status == RowStatus.UPDATE and before is not None:
            report.changes = [
                Change(column, before.get(column, ""), value)
                for column, value in after.items()
                if before.get(column, "") != value
            ]
        reports.append(report)
    return reports


def _cell_errors(resource: ProjectResource, row: dict, error: ValidationError) -> list[CellError]:
    by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error}
    order = {name: index for index, name in enumerate(resource.fields)}
    found = []
    for name, messages in sorted(by_field.items(), key=lambda item: order.get(item[0], -1)):
        column = error_column(resource, name)
        value = clean_text(row.get(column)) if column else ""
        for message in messages:
            found.append(CellError(column, value, str(message)))
    return found


# --- Writing the export ------------------------------------------------------------------

_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="0F4C81")
_REQUIRED_FILL = PatternFill("solid", fgColor="8A5A00")
_YEAR_FILL = PatternFill("solid", fgColor="2E6B3F")
_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_MONEY_FORMAT = "#,##0.00"

_COLUMN_GUIDE = {
    "order": ("ลำดับของโครงการในแผน ใช้จับคู่กับโครงการเดิมเมื่อเปลี่ยนชื่อ", "1"),
    "name": (
        "ชื่อโครงการหรือหลักสูตร ชื่อที่ตรงกับโครงการเดิมของแผนจะเป็นการปรับปรุง ชื่อใหม่จะเป็นการเพิ่ม",
        "โครงการอบรมคุณธรรมจริยธรรม",
    ),
    "area": ("เลือกจากรายการด้านการพัฒนา ๕ ด้าน", "ด้านคุณธรรมและจริยธรรม"),
    "is_digital": ("“ใช่” ถ้าโครงการพัฒนาทักษะดิจิทัล", "ไม่"),
    "domains": ("ด้านทักษะดิจิทัลตามกรอบของสำนักงาน ก.พ. คั่นด้วยจุลภาค", ""),
    "methods": ("วิธีการพัฒนาอย่างน้อยหนึ่งวิธี คั่นด้วยจุลภาค", "การฝึกอบรม, การศึกษาดูงาน"),
    "objectives": ("ขึ้นบรรทัดใหม่ในช่องได้ (Alt+Enter)", "เพื่อให้บุคลากร…"),
    "indicators": ("ตัวชี้วัดความสำเร็จ", "ผู้เข้าอบรมไม่น้อยกว่าร้อยละ ๙๐"),
    "expected_result": ("", ""),
    "responsible_unit": ("ชื่อกองหรืองาน (หรือ “กอง · งาน”) ตามหน้า “ส่วนราชการ”", "สำนักปลัด"),
    "provider": (
        "เลือกจากรายการ หรือพิมพ์ชื่อหน่วยงานอื่นได้เลย",
        "สถาบันพัฒนาบุคลากรท้องถิ่น",
    ),
    "provider_name": ("ชื่อหน่วยงานผู้จัด (ไม่บังคับ)", ""),
    "target_personnel_types": (
        "ประเภทบุคลากรที่เป็นกลุ่มเป้าหมาย คั่นด้วยจุลภาค",
        "พนักงานส่วนตำบล, พนักงานจ้างตามภารกิจ",
    ),
    "target_units": ("ส่วนราชการที่เป็นกลุ่มเป้าหมาย (รวมงานในกองนั้น)", "กองคลัง"),
    "target_position_types": ("ประเภทตำแหน่ง", "วิชาการ"),
    "target_levels": ("ระดับตำแหน่ง", "ชำนาญการ"),
    "target_groups": ("กลุ่มบุคลากรตามกรอบทักษะดิจิทัล", ""),
    "target_people": (
        "ชื่อ-นามสกุลของบุคคลที่ระบุตัว (หรือเลขประจำตัวประชาชน) คั่นด้วยจุลภาค",
        "นางสาวสมศรี ใจงาม",
    ),
    "headcount": ("ระบบคำนวณจากข้อมูลบุคลากรปัจจุบัน ไม่ต้องกรอก (ระบบไม่อ่านคอลัมน์นี้)", ""),
}
_YEAR_GUIDE = {
    "planned": ("“ใช่” ถ้าดำเนินการในปีงบประมาณนั้น", "ใช่"),
    "budget": ("งบประมาณเป็นบาท มีจุลภาคหรือเลขไทยก็ได้", "25,000"),
    "quarters": ("ไตรมาสที่ดำเนินการ ๑–๔ เช่น 1,2 หรือ ไตรมาส 1–2", "1, 2"),
}
_GUIDE_INTRO = (
    "วิธีกรอก: หนึ่งแถวต่อหนึ่งโครงการในแผ่น “โครงการ” ห้ามเปลี่ยนหัวคอลัมน์ หัวคอลัมน์สีน้ำตาลต้องมีค่าทุกแถว",
    "กลุ่มเป้าหมายคือผู้ที่ตรงกับทุกเงื่อนไขที่กรอก (ประเภทบุคลากร ส่วนราชการ ประเภทตำแหน่ง ระดับ กลุ่มบุคลากร) "
    "รวมกับบุคคลที่ระบุชื่อ",
    "ถ้ามีแถวใดผิดแม้แถวเดียว ระบบจะไม่บันทึกอะไรเลยและบอกว่าผิดที่แถวใด คอลัมน์ใด โครงการที่ไม่มีในแฟ้มจะไม่ถูกลบ",
    f"ไฟล์ .xlsx หรือ .csv ขนาดไม่เกิน {MAX_FILE_BYTES // (1024 * 1024)} MB "
    f"และไม่เกิน {MAX_ROWS:,} โครงการต่อไฟล์",
)


def projects_workbook(*, plan: DevelopmentPlan) -> bytes:
    """Every project of ``plan`` as XLSX bytes, in the columns the import reads, with
    a second sheet explaining them. A fixed number of queries, however many projects."""
    resource = ProjectResource(plan=plan)
    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET_TITLE
    _write_data_sheet(data, resource, resource.existing)
    _write_guide_sheet(workbook.create_sheet(GUIDE_SHEET_TITLE), resource)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_data_sheet(sheet, resource: ProjectResource, projects: Iterable) -> None:
    export_fields = resource.get_export_fields()
    headers = [f.column_name for f in export_fields]
    sheet.append(headers)
    required = {c.header for c in COLUMNS if c.required}
    widths = {c.header: c.width for c in COLUMNS}
    money_columns = set()
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _HEAD_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        year = year_of_header(lookup_key(header))
        cell.fill = _REQUIRED_FILL if header in required else _YEAR_FILL if year else _HEAD_FILL
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(header, 14)
        if year and year[0] not in (PLANNED, QUARTERS):
            money_columns.add(index)
    sheet.freeze_panes = "C2"
    count = 0
    for project in projects:
        values = [resource.export_field(f, project) for f in export_fields]
        sheet.append([neutralise(value) for value in values])
        count += 1
    for row in sheet.iter_rows(min_row=2, max_row=count + 1):
        for cell in row:
            if cell.column in money_columns:
                cell.number_format = _MONEY_FORMAT
            elif isinstance(cell.value, str):
                cell.number_format = "@"
                cell.alignment = _WRAP
    last = max(MAX_ROWS, count) + 1
    guide = f"'{GUIDE_SHEET_TITLE}'"
    _add_list(sheet, headers, COLUMN_BY_FIELD["area"].header, f"{guide}!$H$4:$H$8", last)
    _add_list(
        sheet,
        headers,
        COLUMN_BY_FIELD["provider"].header,
        f"{guide}!$J$4:$J${3 + len(PROVIDER_TH)}",
        last,
    )
    yes_no_columns = [COLUMN_BY_FIELD["is_digital"].header] + [
        year_header(PLANNED, fy) for fy in resource.plan.fiscal_years
    ]
    for header in yes_no_columns:
        _add_list(sheet, headers, header, f'"{YES_TH},{NO_TH}"', last)


def _add_list(sheet, headers: list[str], header: str, formula: str, last_row: int) -> None:
    letter = get_column_letter(headers.index(header) + 1)
    # A warning, not a stop: other spellings are accepted too.
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, errorStyle="warning"
    )
    validation.error = "ค่านี้ไม่อยู่ในรายการ ดูแผ่น “คำอธิบาย”"
    validation.add(f"{letter}2:{letter}{last_row}")
    sheet.add_data_validation(validation)


def _write_guide_sheet(sheet, resource: ProjectResource) -> None:
    plan = resource.plan
    sheet["A1"] = neutralise(f"{plan} — {plan.organization.name_th}")
    sheet["A1"].font = _TITLE_FONT
    sheet["A2"] = (
        f"ปีงบประมาณ {thai_digits(plan.first_fy)}–{thai_digits(plan.last_fy)} "
        f"ส่งออกเมื่อ {date_short(timezone.localdate())}"
    )
    for index, text in enumerate(("คอลัมน์", "ต้องมี", "วิธีกรอก", "ตัวอย่าง"), start=1):
        sheet.cell(row=3, column=index, value=text).font = _BOLD
    guide_rows = [
        (column.header, column.required, *_COLUMN_GUIDE[column.field]) for column in COLUMNS
    ]
    for kind in YEAR_KINDS:
        how, example = _YEAR_GUIDE[kind]
        guide_rows.append((year_header(kind, plan.first_fy) + " …", False, how, example))
    for offset, (header, required, how, example) in enumerate(guide_rows):
        row = 4 + offset
        sheet.cell(row=row, column=1, value=header)
        sheet.cell(row=row, column=2, value="ต้องมี" if required else "")
        sheet.cell(row=row, column=3, value=how).alignment = _WRAP
        sheet.cell(row=row, column=4, value=example)
    notes_row = 4 + len(guide_rows) + 1
    for offset, text in enumerate(_GUIDE_INTRO):
        sheet.cell(row=notes_row + offset, column=1, value=text)
    # The allowed values, one list per column; the data sheet's drop-downs read H and J.
    blocks = [
        ("H", "ด้าน", [names[0] for names in AREA_TH.values()]),
        ("I", "วิธีการ", [names[0] for names in METHOD_TH.values()]),
        ("J", "ผู้จัด", [names[0] for names in PROVIDER_TH.values()]),
        ("K", "ประเภทบุคลากร", [names[0] for names in PERSONNEL_TYPE_TH.values()]),
        ("L", "ประเภทตำแหน่ง", [names[0] for names in POSITION_TYPE_TH.values()]),
        ("M", "ระดับ", list(dict.fromkeys(names[0] for names in LEVEL_TH.values()))),
        ("N", "ส่วนราชการของหน่วยงานนี้", [unit.full_name for unit in resource.units]),
        ("O", "กลุ่มบุคลากรด้านดิจิทัล", [group.name for group in resource.skill_groups]),
        ("P", "ด้านทักษะดิจิทัล", [domain.name for domain in resource.skill_domains]),
    ]
    for letter, title, values in blocks:
        sheet[f"{letter}3"] = title
        sheet[f"{letter}3"].font = _BOLD
        for offset, value in enumerate(values):
            sheet[f"{letter}{4 + offset}"] = neutralise(value)
    for letter, width in {"A": 30, "B": 8, "C": 60, "D": 30}.items():
        sheet.column_dimensions[letter].width = width
    for letter in "HIJKLMNOP":
        sheet.column_dimensions[letter].width = 34


def export_filename(plan: DevelopmentPlan) -> str:
    revision = f"-r{plan.revision}" if plan.revision else ""
    return (
        f"projects-{plan.organization.slug}-{plan.first_fy}{revision}-"
        f"{timezone.localdate():%Y%m%d}.xlsx"
    )
