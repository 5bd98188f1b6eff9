"""Projects of a plan in and out of Excel: the export's columns and formula
neutralisation, the all-or-nothing import with its preview, and who may do what."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.choices import Area, Method, Provider
from plans.importing import DATA_SHEET_TITLE, projects_import, projects_workbook
from plans.models import DevelopmentPlan, Project, ProjectYear
from plans.resources import COLUMNS, year_header
from plans.services import plan_create, project_save
from plans.views_io import PENDING_KEY
from skills.models import Domain, PersonnelGroup
from staff.choices import Level, PersonnelType, PositionType
from staff.models import Unit
from tests.staff.conftest import make_staff

FIXED_HEADERS = [column.header for column in COLUMNS]
YEAR_HEADERS = [
    year_header(kind, fy) for fy in (2564, 2565, 2566) for kind in ("planned", "budget", "quarters")
]
HEADERS = FIXED_HEADERS + YEAR_HEADERS


# --- A small organisation and a plan ---------------------------------------------------


@pytest.fixture
def units(org_a):
    office = Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1)
    personnel = Unit.objects.create(
        organization=org_a, name="งานการเจ้าหน้าที่", parent=office, order=1
    )
    finance = Unit.objects.create(organization=org_a, name="กองคลัง", order=2)
    return {"office": office, "personnel": personnel, "finance": finance}


@pytest.fixture
def staff(org_a, units):
    return {
        "somsri": make_staff(org_a, units["personnel"], "สมศรี", "ใจงาม", prefix="นางสาว"),
        "kasem": make_staff(
            org_a,
            units["finance"],
            "เกษม",
            "บุญมา",
            personnel_type=PersonnelType.MISSION_EMPLOYEE,
            position_type="",
            level="",
        ),
    }


@pytest.fixture
def plan(org_a, units, staff) -> DevelopmentPlan:
    return plan_create(
        organization=org_a, first_fy=2564, title="แผนพัฒนาบุคลากร 2564–2566", manpower_plan=None
    )


def add_project(plan, name: str, *, area: str = Area.GENERAL, **overrides) -> Project:
    fields = {
        "name": name,
        "area": area,
        "methods": [Method.TRAINING],
        "objectives": "๑. เพื่อให้รู้ระเบียบ\n๒. เพื่อปฏิบัติได้ถูกต้อง",
        "indicators": "ร้อยละ ๙๐ ผ่านการทดสอบ",
        "provider": Provider.IN_HOUSE,
        "target_personnel_types": [PersonnelType.LOCAL_OFFICIAL],
        **overrides.pop("fields", {}),
    }
    return project_save(
        plan=plan,
        project=None,
        fields=fields,
        relations=overrides.pop("relations", {}),
        years=overrides.pop(
            "years",
            {
                2564: {"planned": True, "budget": Decimal("25000"), "quarters": [1, 2]},
                2565: {"planned": False},
                2566: {"planned": True, "budget": Decimal("30000.50"), "quarters": [3]},
            },
        ),
    )


def xlsx(rows, headers=HEADERS, *, title_rows=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in title_rows:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(headers=HEADERS, **cells) -> list:
    """A row by heading: ``row(name="…", area="…")`` or ``row(**{"ที่": 1})``."""
    by_header = {}
    for key, value in cells.items():
        column = next((c for c in COLUMNS if c.field == key), None)
        by_header[column.header if column else key] = value
    return [by_header.get(header, "") for header in headers]


def read_export(data: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))[DATA_SHEET_TITLE]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], values, strict=True)) for values in rows[1:]]


def run(plan, data: bytes, *, dry_run: bool = False):
    return projects_import(plan=plan, data=data, filename="projects.xlsx", dry_run=dry_run)


# --- Export --------------------------------------------------------------------------


def test_export_writes_every_project_in_the_columns_the_import_reads(plan, units, staff):
    dl = Domain.objects.get(framework__code="ocsc-2561", code="DL")
    serv = PersonnelGroup.objects.get(framework__code="ocsc-2561", code="SERV")
    add_project(plan, "อบรมคุณธรรมจริยธรรม", area=Area.ETHICS)
    add_project(
        plan,
        "อบรมระเบียบการเงินการคลัง",
        fields={
            "methods": [Method.TRAINING, Method.STUDY_VISIT],
            "is_digital": True,
            "responsible_unit": units["finance"],
            "provider": Provider.DLA_INSTITUTE,
            "target_position_types": [PositionType.ACADEMIC],
            "target_levels": [Level.PRACTITIONER],
        },
        relations={
            "domains": [dl],
            "target_units": [units["personnel"]],
            "target_groups": [serv],
            "target_people": [staff["kasem"]],
        },
    )

    rows = read_export(projects_workbook(plan=plan))

    assert list(rows[0]) == HEADERS
    # Numbered as the plan page numbers them: by development area.
    assert [(r["ที่"], r["โครงการ/หลักสูตร"]) for r in rows] == [
        (1, "อบรมระเบียบการเงินการคลัง"),
        (2, "อบรมคุณธรรมจริยธรรม"),
    ]
    first = rows[0]
    assert first["ด้าน"] == "ด้านความรู้ทั่วไปในการปฏิบัติงาน"
    assert first["ทักษะดิจิทัล"] == "ใช่"
    assert first["ทักษะดิจิทัลที่พัฒนา"] == dl.name
    assert first["วิธีการ"] == "การฝึกอบรม, การศึกษาดูงาน"
    assert first["วัตถุประสงค์"] == "๑. เพื่อให้รู้ระเบียบ\n๒. เพื่อปฏิบัติได้ถูกต้อง"
    assert first["หน่วยงานรับผิดชอบ"] == "กองคลัง"
    assert first["ผู้จัด"] == "สถาบันพัฒนาบุคลากรท้องถิ่น"
    assert first["กลุ่มเป้าหมาย: ประเภทบุคลากร"] == "พนักงานส่วนตำบล"
    assert first["กลุ่มเป้าหมาย: ส่วนราชการ"] == "สำนักปลัด · งานการเจ้าหน้าที่"
    assert first["กลุ่มเป้าหมาย: ประเภทตำแหน่ง"] == "วิชาการ"
    assert first["กลุ่มเป้าหมาย: ระดับ"] == "ปฏิบัติการ"
    assert first["กลุ่มเป้าหมาย: กลุ่มบุคลากรด้านดิจิทัล"] == serv.name
    assert first["กลุ่มเป้าหมาย: รายชื่อ"] == "นายเกษม บุญมา"
    assert first["ดำเนินการ ปี ๒๕๖๔"] == "ใช่"
    assert first["งบประมาณ ปี ๒๕๖๔"] == 25000
    assert first["ไตรมาส ปี ๒๕๖๔"] == "1, 2"
    assert first["ดำเนินการ ปี ๒๕๖๕"] == "ไม่"
    assert first["งบประมาณ ปี ๒๕๖๖"] == 30000.5


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_export_neutralises_cells_a_spreadsheet_could_run_as_formulas(plan, trigger):
    add_project(
        plan,
        f'{trigger}HYPERLINK("http://evil.example")',
        fields={"objectives": f"{trigger}1+1", "provider_name": f"{trigger}cmd|' /C calc'!A0"},
    )

    exported = read_export(projects_workbook(plan=plan))[0]

    def as_written(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n")  # XML reads CR back as LF

    assert exported["โครงการ/หลักสูตร"] == as_written(f'\'{trigger}HYPERLINK("http://evil.example")')
    assert exported["วัตถุประสงค์"] == as_written(f"'{trigger}1+1")
    assert exported["ชื่อผู้จัด"].startswith(as_written(f"'{trigger}"))


def test_export_query_count_does_not_grow_with_the_projects(plan, staff, units):
    def queries_for(count: int) -> int:
        Project.objects.filter(plan=plan).delete()
        for index in range(count):
            add_project(
                plan,
                f"โครงการที่ {index}",
                relations={"target_people": [staff["somsri"]], "target_units": [units["finance"]]},
            )
        fresh = DevelopmentPlan.objects.get(pk=plan.pk)
        with CaptureQueriesContext(connection) as captured:
            projects_workbook(plan=fresh)
        return len(captured)

    queries_for(1)  # the first use creates the organisation's skill-group rules
    assert queries_for(5) == queries_for(50)


# --- Import ----------------------------------------------------------------------------


def test_import_adds_projects_reading_thai_labels_digits_and_quarters(plan, units, staff):
    data = xlsx(
        [
            row(
                order=1,
                name="อบรมระเบียบพัสดุ",
                area="ด้านความรู้ทั่วไปในการปฏิบัติงาน",
                is_digital="ไม่",
                methods="ฝึกอบรม, การศึกษาดูงาน",
                objectives="๑. รู้ระเบียบ\n๒. ปฏิบัติถูกต้อง",
                responsible_unit="กองคลัง",
                provider="สถาบันพัฒนาบุคลากรท้องถิ่น",
                target_personnel_types="พนักงานส่วนตำบล, พนักงานจ้างตามภารกิจ",
                target_units="สำนักปลัด · งานการเจ้าหน้าที่",
                target_people="นางสาวสมศรี ใจงาม",
                **{
                    "ดำเนินการ ปี ๒๕๖๔": "✓",
                    "งบประมาณ ปี ๒๕๖๔": "๒๕,๐๐๐",
                    "ไตรมาส ปี ๒๕๖๔": "ไตรมาส 1–2",
                    "ดำเนินการ ปี ๒๕๖๕": "ไม่",
                    "ดำเนินการ ปี ๒๕๖๖": 1,
                    "งบประมาณ ปี ๒๕๖๖": "1,500.50 บาท",
                    "ไตรมาส ปี ๒๕๖๖": "3,4",
                },
            ),
            row(
                name="e-learning ทักษะดิจิทัล",
                area="การบริหาร",
                is_digital="ใช่",
                domains="ด้านความเข้าใจและใช้เทคโนโลยีดิจิทัล",
                methods="e-learning",
                provider="มหาวิทยาลัยราชภัฏสมุทรสงคราม",
                target_groups="กลุ่มผู้ปฏิบัติงานด้านบริการ",
                **{"ไตรมาส ปี ๒๕๖๕": "ทั้งปี"},
            ),
        ]
    )

    report = run(plan, data)

    assert report.ok and report.written, report.error_rows
    assert [r.status for r in report.rows] == ["new", "new"]
    first = Project.objects.get(plan=plan, name="อบรมระเบียบพัสดุ")
    assert first.methods == [Method.TRAINING, Method.STUDY_VISIT]
    assert first.objectives == "๑. รู้ระเบียบ\n๒. ปฏิบัติถูกต้อง"
    assert first.responsible_unit == units["finance"]
    assert first.provider == Provider.DLA_INSTITUTE
    assert first.target_personnel_types == [
        PersonnelType.LOCAL_OFFICIAL,
        PersonnelType.MISSION_EMPLOYEE,
    ]
    assert list(first.target_units.all()) == [units["personnel"]]
    assert list(first.target_people.all()) == [staff["somsri"]]
    years = {y.fiscal_year: y for y in first.years.all()}
    assert (years[2564].planned, years[2564].budget, years[2564].quarters) == (
        True,
        Decimal("25000.00"),
        [1, 2],
    )
    assert (years[2565].planned, years[2565].budget) == (False, Decimal("0"))
    assert (years[2566].budget, years[2566].quarters) == (Decimal("1500.50"), [3, 4])
    second = Project.objects.get(plan=plan, name="e-learning ทักษะดิจิทัล")
    assert second.area == Area.MANAGEMENT
    assert second.is_digital
    assert second.provider == Provider.OTHER
    assert second.provider_name == "มหาวิทยาลัยราชภัฏสมุทรสงคราม"
    assert [d.code for d in second.domains.all()] == ["DL"]
    assert [g.code for g in second.target_groups.all()] == ["SERV"]
    # Quarters without a ใช่ still mean the year is planned.
    assert second.years.get(fiscal_year=2565).quarters == [1, 2, 3, 4]
    assert second.years.get(fiscal_year=2565).planned


def test_one_bad_row_among_twenty_writes_nothing_and_names_the_row_and_column(plan):
    rows = [
        row(name=f"โครงการที่ {n}", area="ด้านการบริหาร", methods="การฝึกอบรม") for n in range(1, 21)
    ]
    rows[14] = row(name="โครงการที่ 15", area="ด้านกีฬา", methods="การฝึกอบรม")

    report = run(plan, xlsx(rows))

    assert not report.ok and not report.written
    assert not Project.objects.filter(plan=plan).exists()
    assert not ProjectYear.objects.exists()
    [bad] = report.error_rows
    assert bad.number == 16  # the heading is row 1 of the sheet
    [error] = bad.errors
    assert (error.column, error.value) == ("ด้าน", "ด้านกีฬา")
    assert "ด้านการบริหาร" in error.message  # says what is allowed
    assert report.new == 19


def test_importing_the_same_file_twice_changes_nothing_the_second_time(plan):
    data = xlsx(
        [
            row(
                name=f"โครงการที่ {n}",
                area="ด้านคุณธรรมและจริยธรรม",
                methods="การฝึกอบรม",
                **{"งบประมาณ ปี ๒๕๖๔": 1000 * n},
            )
            for n in range(1, 4)
        ]
    )
    run(plan, data)
    before = list(Project.objects.filter(plan=plan).values("pk", "version", "updated_at"))

    report = run(plan, data)

    assert report.ok and [r.status for r in report.rows] == ["unchanged"] * 3
    assert not report.has_changes
    assert list(Project.objects.filter(plan=plan).values("pk", "version", "updated_at")) == before


def test_export_then_import_is_a_round_trip_and_edits_update_the_right_projects(plan, units, staff):
    add_project(plan, "ปฐมนิเทศพนักงานใหม่", relations={"target_people": [staff["kasem"]]})
    renamed = add_project(plan, "อบรมพัสดุ", area=Area.SPECIFIC)
    add_project(plan, "ประชุมประจำเดือน", area=Area.PERSONAL, fields={"methods": [Method.MEETING]})
    data = projects_workbook(plan=plan)

    unchanged = run(plan, data)

    assert unchanged.ok and [r.status for r in unchanged.rows] == ["unchanged"] * 3

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook[DATA_SHEET_TITLE]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=3, column=headers.index("โครงการ/หลักสูตร") + 1, value="อบรมระเบียบพัสดุ")
    sheet.cell(row=3, column=headers.index("งบประมาณ ปี ๒๕๖๔") + 1, value=42000)
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(plan, buffer.getvalue())

    assert [r.status for r in report.rows] == ["unchanged", "update", "unchanged"]
    changed = {c.column: (c.before, c.after) for c in report.rows[1].changes}
    assert changed == {
        "โครงการ/หลักสูตร": ("อบรมพัสดุ", "อบรมระเบียบพัสดุ"),
        "งบประมาณ ปี ๒๕๖๔": ("25,000.00", "42,000.00"),
    }
    renamed.refresh_from_db()
    assert renamed.name == "อบรมระเบียบพัสดุ"
    assert renamed.years.get(fiscal_year=2564).budget == Decimal("42000")
    assert Project.objects.filter(plan=plan).count() == 3


def test_the_same_choices_and_people_in_another_order_are_no_change(plan, units, staff):
    add_project(
        plan,
        "โครงการ",
        fields={
            "methods": [Method.STUDY_VISIT, Method.TRAINING],
            "target_position_types": [PositionType.ACADEMIC, PositionType.DIRECTOR],
        },
        relations={
            "target_people": [staff["somsri"], staff["kasem"]],
            "target_units": [units["finance"], units["office"]],
        },
    )
    exported = read_export(projects_workbook(plan=plan))[0]
    exported["วิธีการ"] = "การศึกษาดูงาน, การฝึกอบรม"
    exported["กลุ่มเป้าหมาย: ประเภทตำแหน่ง"] = "วิชาการ, อำนวยการท้องถิ่น"
    exported["กลุ่มเป้าหมาย: รายชื่อ"] = "นายเกษม บุญมา, นางสาวสมศรี ใจงาม"
    exported["กลุ่มเป้าหมาย: ส่วนราชการ"] = "กองคลัง, สำนักปลัด"

    report = run(plan, xlsx([list(exported.values())], list(exported)))

    assert [r.status for r in report.rows] == ["unchanged"]


def test_rows_are_matched_by_name_before_their_number(plan):
    first = add_project(plan, "โครงการ ก")
    second = add_project(plan, "โครงการ ข")
    data = xlsx(
        [
            row(order=2, name="โครงการ ข", area="ด้านการบริหาร", methods="การฝึกอบรม"),
            row(order=1, name="โครงการ ค", area="ด้านการบริหาร", methods="การฝึกอบรม"),
        ]
    )

    report = run(plan, data)

    assert [r.status for r in report.rows] == ["update", "update"]
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.area == Area.MANAGEMENT
    # Row 2's name is new; its number is the place of a project no row names: renamed.
    assert first.name == "โครงการ ค"


def test_a_year_marked_no_cannot_have_a_budget(plan):
    data = xlsx(
        [
            row(
                name="โครงการ",
                area="ด้านการบริหาร",
                methods="การฝึกอบรม",
                **{"ดำเนินการ ปี ๒๕๖๕": "ไม่", "งบประมาณ ปี ๒๕๖๕": "5,000"},
            )
        ]
    )

    report = run(plan, data)

    [error] = report.error_rows[0].errors
    assert error.column == "งบประมาณ ปี ๒๕๖๕"
    assert not Project.objects.exists()


def test_the_same_project_twice_in_a_file_is_an_error_on_the_second_row(plan):
    data = xlsx(
        [
            row(name="โครงการ ก", area="ด้านการบริหาร", methods="การฝึกอบรม"),
            row(name="โครงการ  ก", area="ด้านการบริหาร", methods="การฝึกอบรม"),
        ]
    )

    report = run(plan, data)

    [bad] = report.error_rows
    assert bad.number == 3
    assert bad.errors[0].column == "โครงการ/หลักสูตร"
    assert "2" in bad.errors[0].message


@pytest.mark.parametrize(
    "cells, column",
    [
        ({"target_units": "กองช่าง"}, "กลุ่มเป้าหมาย: ส่วนราชการ"),
        ({"target_people": "นายไม่มี ตัวตน"}, "กลุ่มเป้าหมาย: รายชื่อ"),
        ({"methods": "การเต้นรำ"}, "วิธีการ"),
        ({"methods": ""}, "วิธีการ"),
        ({"domains": "DL"}, "ทักษะดิจิทัลที่พัฒนา"),  # a code of two frameworks
        ({"ดำเนินการ ปี ๒๕๖๔": "บางที"}, "ดำเนินการ ปี ๒๕๖๔"),
        ({"งบประมาณ ปี ๒๕๖๔": "ห้าพัน"}, "งบประมาณ ปี ๒๕๖๔"),
        ({"งบประมาณ ปี ๒๕๖๔": "-500"}, "งบประมาณ ปี ๒๕๖๔"),
        ({"ไตรมาส ปี ๒๕๖๔": "5"}, "ไตรมาส ปี ๒๕๖๔"),
        ({"order": "สาม"}, "ที่"),
        ({"name": ""}, "โครงการ/หลักสูตร"),
    ],
)
def test_a_bad_cell_gets_a_message_on_its_column(plan, staff, cells, column):
    values = {"name": "โครงการ", "area": "ด้านการบริหาร", "methods": "การฝึกอบรม", **cells}

    report = run(plan, xlsx([row(**values)]))

    assert [e.column for e in report.error_rows[0].errors] == [column]
    assert not Project.objects.exists()


def test_the_headings_may_sit_below_a_title_and_use_arabic_digits(plan):
    headers = ["ลำดับ", "ชื่อโครงการ", "ด้าน", "วิธีการพัฒนา", "งบประมาณ 2564 (บาท)", "หมายเหตุ"]
    data = xlsx(
        [[1, "โครงการ", "ด้านการบริหาร", "การฝึกอบรม", 9000, "ข้อความอื่น"]],
        headers,
        title_rows=[["แผนพัฒนาบุคลากร"], []],
    )

    report = run(plan, data)

    assert report.ok and report.written
    assert report.ignored_columns == ["หมายเหตุ"]
    project = Project.objects.get(plan=plan)
    assert project.years.get(fiscal_year=2564).budget == Decimal("9000")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874"])
def test_csv_files_are_read_in_thai_encodings(plan, encoding):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["โครงการ/หลักสูตร", "ด้าน", "วิธีการ", "งบประมาณ ปี ๒๕๖๕"])
    writer.writerow(["อบรมคุณธรรม", "ด้านคุณธรรมและจริยธรรม", "การฝึกอบรม", "๑๒,๕๐๐"])

    report = run(plan, text.getvalue().encode(encoding))

    assert report.written, (report.file_errors, report.error_rows)
    assert Project.objects.get(plan=plan).years.get(fiscal_year=2565).budget == Decimal("12500")


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00" * 10, "not a spreadsheet"),
        (b"PK\x03\x04 not really a zip", "damaged"),
        (xlsx([], ["ชื่อ", "นามสกุล"]), "โครงการ/หลักสูตร"),
        (xlsx([["โครงการ"]], ["โครงการ/หลักสูตร"]), "ด้าน"),
        (xlsx([], ["โครงการ/หลักสูตร", "ด้าน"]), "no projects"),
        (xlsx([["ก", "ด้านการบริหาร", 1]], ["โครงการ/หลักสูตร", "ด้าน", "งบประมาณ ปี 2567"]), "2567"),
    ],
    # Named by what they expect: a generated workbook's bytes carry a timestamp, and
    # parallel workers (pytest-xdist) must collect the same test ids.
    ids=lambda value: value if isinstance(value, str) else "file",
)
def test_a_file_that_cannot_be_imported_says_why(plan, data, words, settings):
    settings.LANGUAGE_CODE = "en"

    report = run(plan, data)

    assert not report.written
    assert words.lower() in " ".join(report.file_errors).lower()
    assert not Project.objects.exists()


def test_a_file_larger_than_the_limit_is_refused(plan, monkeypatch):
    monkeypatch.setattr("portal.spreadsheets.MAX_FILE_BYTES", 100)

    report = run(plan, xlsx([row(name="ก", area="ด้านการบริหาร", methods="การฝึกอบรม")]))

    assert report.file_errors and not report.written


def test_a_locked_plan_refuses_an_import(plan, executive_user):
    plan.status = DevelopmentPlan.Status.APPROVED
    plan.approved_by, plan.approved_at = executive_user, timezone.now()
    plan.save()

    report = run(plan, xlsx([row(name="ก", area="ด้านการบริหาร", methods="การฝึกอบรม")]))

    assert report.file_errors and not report.written
    assert not Project.objects.exists()


# --- The pages -----------------------------------------------------------------------------


def upload(client, plan, data: bytes, name: str = "projects.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("plans:projects_import", args=[plan.pk]), {"file": file})


def confirm(client, plan):
    token = client.session[PENDING_KEY]["token"]
    return client.post(reverse("plans:projects_import_confirm", args=[plan.pk]), {"token": token})


def test_hr_uploads_sees_the_preview_confirms_and_lands_on_the_plan(hr_client, plan):
    data = xlsx([row(name="อบรมคุณธรรม", area="ด้านคุณธรรมและจริยธรรม", methods="การฝึกอบรม")])

    preview = upload(hr_client, plan, data)

    assert preview.status_code == 200
    assert "อบรมคุณธรรม" in preview.content.decode()
    assert not Project.objects.exists()  # the preview is a dry run
    response = confirm(hr_client, plan)
    assert response.status_code == 302
    assert response.url == reverse("plans:detail", args=[plan.pk])
    assert Project.objects.get(plan=plan).name == "อบรมคุณธรรม"
    assert PENDING_KEY not in hr_client.session

    again = upload(hr_client, plan, data)

    assert again.context["confirm_form"] is None  # nothing to import
    assert PENDING_KEY not in again.wsgi_request.session


def test_a_preview_with_errors_shows_them_and_offers_no_confirmation(hr_client, plan):
    data = xlsx([row(name="อบรม", area="ด้านกีฬา", methods="การฝึกอบรม")])

    response = upload(hr_client, plan, data)

    assert response.context["confirm_form"] is None
    assert "ด้านกีฬา" in response.content.decode()
    assert PENDING_KEY not in hr_client.session
    assert not Project.objects.exists()


def test_a_file_error_is_shown_on_the_upload_form(hr_client, plan):
    response = upload(hr_client, plan, b"\x00\x01 not a sheet \x00", "photo.jpg")

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Project.objects.exists()


def test_confirming_without_a_valid_preview_imports_nothing(hr_client, plan):
    response = hr_client.post(
        reverse("plans:projects_import_confirm", args=[plan.pk]), {"token": "x" * 43}
    )

    assert response.status_code == 302
    assert response.url == reverse("plans:projects_import", args=[plan.pk])
    assert not Project.objects.exists()


def test_confirm_refuses_get(hr_client, plan):
    response = hr_client.get(reverse("plans:projects_import_confirm", args=[plan.pk]))

    assert response.status_code == 405


def test_a_locked_plan_sends_the_import_page_back_to_the_plan(hr_client, plan, executive_user):
    data = xlsx([row(name="อบรม", area="ด้านการบริหาร", methods="การฝึกอบรม")])
    upload(hr_client, plan, data)
    DevelopmentPlan.objects.filter(pk=plan.pk).update(
        status="approved", approved_by=executive_user, approved_at=timezone.now()
    )

    page = hr_client.get(reverse("plans:projects_import", args=[plan.pk]))
    confirmed = confirm(hr_client, plan)

    assert page.status_code == 302 and page.url == reverse("plans:detail", args=[plan.pk])
    assert confirmed.status_code == 302
    assert not Project.objects.exists()


@pytest.mark.parametrize("name", ["projects_import", "projects_export"])
def test_staff_members_get_403(staff_client, plan, name):
    assert staff_client.get(reverse(f"plans:{name}", args=[plan.pk])).status_code == 403


@pytest.mark.parametrize("name", ["projects_import", "projects_export"])
def test_another_organizations_user_gets_404(outsider_client, plan, name):
    assert outsider_client.get(reverse(f"plans:{name}", args=[plan.pk])).status_code == 404


def test_an_outsider_cannot_confirm_an_import_into_the_plan(outsider_client, plan):
    response = outsider_client.post(
        reverse("plans:projects_import_confirm", args=[plan.pk]), {"token": "x" * 43}
    )

    assert response.status_code == 404


def test_executives_may_export_but_not_import(executive_client, plan):
    add_project(plan, "อบรมคุณธรรม")

    export = executive_client.get(reverse("plans:projects_export", args=[plan.pk]))
    page = executive_client.get(reverse("plans:projects_import", args=[plan.pk]))
    posted = upload(executive_client, plan, xlsx([row(name="ก", area="ด้านการบริหาร")]))

    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in export["Cache-Control"]
    assert read_export(export.content)[0]["โครงการ/หลักสูตร"] == "อบรมคุณธรรม"
    assert page.status_code == 403 and posted.status_code == 403
    assert Project.objects.count() == 1


def test_the_export_page_query_count_does_not_grow_with_the_projects(hr_client, plan, staff):
    url = reverse("plans:projects_export", args=[plan.pk])

    def queries_for(count: int) -> int:
        Project.objects.filter(plan=plan).delete()
        for index in range(count):
            add_project(plan, f"โครงการที่ {index}", relations={"target_people": [staff["kasem"]]})
        with CaptureQueriesContext(connection) as captured:
            assert hr_client.get(url).status_code == 200
        return len(captured)

    queries_for(1)  # the first use creates the organisation's skill-group rules
    assert queries_for(5) == queries_for(50)


# --- Cells no field can hold --------------------------------------------------------------


def test_a_nul_byte_in_a_csv_is_a_cell_error_naming_the_row_and_column(plan):
    rows = [row(name=f"โครงการที่ {n}", area="ด้านการบริหาร", methods="การฝึกอบรม") for n in range(80)]
    rows[70] = row(
        name="โครงการที่ 70", area="ด้านการบริหาร", methods="การฝึกอบรม", indicators="ร้อยละ\x0090"
    )
    text = "\r\n".join(",".join(f'"{value}"' for value in line) for line in [HEADERS, *rows])
    data = text.encode()
    assert b"\x00" not in data[:4096]

    report = run(plan, data)

    assert not report.written and not report.file_errors
    assert not Project.objects.filter(plan=plan).exists()
    [bad] = report.error_rows
    [error] = bad.errors
    assert (bad.number, error.column) == (72, "ตัวชี้วัด")
    assert "อักขระควบคุม" in error.message


def test_a_control_character_is_refused_but_line_breaks_and_tabs_in_long_text_are_kept(plan):
    rows = [
        row(name="โครงการ\x7fอบรม", area="ด้านการบริหาร", methods="การฝึกอบรม"),
        row(name="โครงการดี", area="ด้านการบริหาร", methods="การฝึกอบรม", objectives="๑.\tรู้\n๒. ทำ"),
    ]

    report = run(plan, xlsx(rows))

    assert not report.written
    [bad] = report.error_rows
    assert (bad.number, [e.column for e in bad.errors]) == (2, ["โครงการ/หลักสูตร"])
    assert "อักขระควบคุม" in bad.errors[0].message
    assert run(plan, xlsx(rows[1:])).written
    assert Project.objects.get(plan=plan).objectives == "๑. รู้\n๒. ทำ"


def test_a_project_name_longer_than_its_field_is_a_cell_error_in_thai(plan):
    rows = [row(name="ก" * 301, area="ด้านการบริหาร", methods="การฝึกอบรม")]

    report = run(plan, xlsx(rows))

    assert not report.written and not Project.objects.filter(plan=plan).exists()
    [error] = report.error_rows[0].errors
    assert error.column == "โครงการ/หลักสูตร"
    assert "301" in error.message and "300" in error.message and "ตัวอักษร" in error.message
