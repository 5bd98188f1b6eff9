"""Importing and exporting the projects of a plan as a spreadsheet, all or nothing.

``projects_import`` reads a file with the projects' columns (``plans.columns``), runs
:class:`plans.resources.ProjectResource` over it in one transaction and reports every
row (``portal.imports``): if any row has an error nothing is written.
``projects_workbook`` writes the export in the columns the import reads, so an export
imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from plans.columns import (
    AREA_TH,
    COLUMN_BY_FIELD,
    COLUMNS,
    METHOD_TH,
    NAME_HEADER,
    PLANNED,
    PROVIDER_TH,
    QUARTERS,
    YEAR_KINDS,
    year_header,
    year_of_header,
)
from plans.models import DevelopmentPlan
from plans.resources import ProjectResource
from portal import imports, workbooks
from portal.cells import NO_TH, YES_TH
from portal.imports import ImportReport
from portal.spreadsheets import (
    MAX_FILE_BYTES,
    ImportFileError,
    Sheet,
    SheetFormat,
    clean_text,
    header_key,
    header_lookup,
    lookup_key,
    sheet_read,
)
from portal.thai import date_short, thai_digits
from staff.columns import LEVEL_TH, PERSONNEL_TYPE_TH, POSITION_TYPE_TH

#: A plan has a few dozen projects; a province's combined list a few hundred.
MAX_ROWS = 1000
DATA_SHEET_TITLE = "โครงการ"
_YEAR_FILL = PatternFill("solid", fgColor="2E6B3F")
_MONEY_FORMAT = "#,##0.00"
_LOOKUP = header_lookup(COLUMNS)


def _heading(cell: object) -> str | None:
    """The canonical heading of a header cell, a fiscal year's cells included."""
    key = header_key(cell)
    if not key:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    found = year_of_header(key)
    return year_header(*found) if found else None


SHEET_FORMAT = SheetFormat(
    columns=COLUMNS,
    anchor=NAME_HEADER,
    max_rows=MAX_ROWS,
    too_many_rows=gettext_lazy(
        "The file has more than %(limit)s projects. Split it into smaller files."
    ),
    no_rows=gettext_lazy("The file has the column headings but no projects under them."),
    heading_of=_heading,
    skip_blank_picks=True,
)


def projects_sheet_read(*, data: bytes, plan: DevelopmentPlan) -> Sheet:
    """The project rows of an uploaded file, or :class:`ImportFileError` saying why not."""

    def years_check(header: list[str | None]) -> None:
        years = [year_of_header(lookup_key(heading)) for heading in header if heading]
        foreign = sorted({y[1] for y in years if y and y[1] not in plan.fiscal_years})
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

    return sheet_read(data=data, format=SHEET_FORMAT, header_check=years_check)


def projects_import(
    *, plan: DevelopmentPlan, data: bytes, filename: str, dry_run: bool
) -> ImportReport:
    """Import a projects spreadsheet into ``plan``: every row or none.

    With ``dry_run`` the import runs in full and is rolled back, for the preview. A
    locked (approved) plan refuses, here and again row by row inside the transaction.
    """
    return imports.import_run(
        filename=filename,
        read=lambda: projects_sheet_read(data=data, plan=plan),
        resource=lambda sheet: ProjectResource(plan=plan, sheet_rows=sheet.sheet_rows),
        describe=_describe,
        dry_run=dry_run,
        refusal=plan.edit_refusal,
        non_field_errors_first=True,
    )


def _describe(
    resource: ProjectResource, row: imports.RowReport, number: int, cells: dict[str, Any]
) -> None:
    _project, before, after = resource.outcomes.get(number, (None, None, {}))
    area_header = COLUMN_BY_FIELD["area"].header
    row.cells = [
        clean_text(cells.get(NAME_HEADER)) or "—",
        after.get(area_header) or clean_text(cells.get(area_header)),
    ]
    if row.status == imports.RowStatus.UPDATE and before is not None:
        row.changes = [
            imports.Change(column, before.get(column, ""), value)
            for column, value in after.items()
            if before.get(column, "") != value
        ]


# --- Writing the export ------------------------------------------------------------------

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
    _write_guide_sheet(workbook.create_sheet(workbooks.GUIDE_SHEET_TITLE), resource)
    return workbooks.workbook_bytes(workbook)


def _write_data_sheet(sheet, resource: ProjectResource, projects: Iterable) -> None:
    export_fields = resource.get_export_fields()
    headers = [f.column_name for f in export_fields]
    required = {c.header for c in COLUMNS if c.required}
    widths = {c.header: c.width for c in COLUMNS}
    years = [year_of_header(lookup_key(header)) for header in headers]
    workbooks.headings_write(
        sheet,
        headers,
        fills=[
            workbooks.REQUIRED_FILL
            if header in required
            else _YEAR_FILL
            if year
            else workbooks.HEAD_FILL
            for header, year in zip(headers, years, strict=True)
        ],
        widths=[widths.get(header, 14) for header in headers],
        wrap=True,
    )
    money_columns = {
        index
        for index, year in enumerate(years, start=1)
        if year and year[0] not in (PLANNED, QUARTERS)
    }
    sheet.freeze_panes = "C2"
    count = workbooks.rows_write(
        sheet, ([resource.export_field(f, p) for f in export_fields] for p in projects)
    )
    for row in sheet.iter_rows(min_row=2, max_row=count + 1):
        for cell in row:
            if cell.column in money_columns:
                cell.number_format = _MONEY_FORMAT
            elif isinstance(cell.value, str):
                cell.number_format = "@"
                cell.alignment = workbooks.WRAP
    last = max(MAX_ROWS, count) + 1
    guide = f"'{workbooks.GUIDE_SHEET_TITLE}'"
    lists = {
        COLUMN_BY_FIELD["area"].header: f"{guide}!$H$4:$H$8",
        COLUMN_BY_FIELD["provider"].header: f"{guide}!$J$4:$J${3 + len(PROVIDER_TH)}",
    }
    for header in [COLUMN_BY_FIELD["is_digital"].header] + [
        year_header(PLANNED, fy) for fy in resource.plan.fiscal_years
    ]:
        lists[header] = f'"{YES_TH},{NO_TH}"'
    for header, formula in lists.items():
        workbooks.list_add(sheet, headers.index(header) + 1, formula, last)


def _write_guide_sheet(sheet, resource: ProjectResource) -> None:
    plan = resource.plan
    columns = [(c.header, c.required, *_COLUMN_GUIDE[c.field]) for c in COLUMNS]
    for kind in YEAR_KINDS:
        columns.append((year_header(kind, plan.first_fy) + " …", False, *_YEAR_GUIDE[kind]))
    workbooks.guide_write(
        sheet,
        title=f"{plan} — {plan.organization.name_th}",
        subtitle=(
            f"ปีงบประมาณ {thai_digits(plan.first_fy)}–{thai_digits(plan.last_fy)} "
            f"ส่งออกเมื่อ {date_short(timezone.localdate())}"
        ),
        columns=columns,
        notes=_GUIDE_INTRO,
    )
    # The allowed values, one list per column; the data sheet's drop-downs read H and J.
    workbooks.guide_lists_write(
        sheet,
        [
            ("H", "ด้าน", [names[0] for names in AREA_TH.values()]),
            ("I", "วิธีการ", [names[0] for names in METHOD_TH.values()]),
            ("J", "ผู้จัด", [names[0] for names in PROVIDER_TH.values()]),
            ("K", "ประเภทบุคลากร", [names[0] for names in PERSONNEL_TYPE_TH.values()]),
            ("L", "ประเภทตำแหน่ง", [names[0] for names in POSITION_TYPE_TH.values()]),
            ("M", "ระดับ", list(dict.fromkeys(names[0] for names in LEVEL_TH.values()))),
            ("N", "ส่วนราชการของหน่วยงานนี้", [unit.full_name for unit in resource.units]),
            ("O", "กลุ่มบุคลากรด้านดิจิทัล", [group.name for group in resource.skill_groups]),
            ("P", "ด้านทักษะดิจิทัล", [domain.name for domain in resource.skill_domains]),
        ],
    )
    workbooks.widths_set(
        sheet, {"A": 30, "B": 8, "C": 60, "D": 30} | dict.fromkeys("HIJKLMNOP", 34)
    )


def export_filename(plan: DevelopmentPlan) -> str:
    revision = f"-r{plan.revision}" if plan.revision else ""
    return (
        f"projects-{plan.organization.slug}-{plan.first_fy}{revision}-"
        f"{timezone.localdate():%Y%m%d}.xlsx"
    )
