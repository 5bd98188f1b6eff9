"""Staff import: the files Thai offices really send (real .xlsx built with openpyxl, cp874,
UTF-8 with BOM, UTF-16) and the cells and files that need a clear message."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from portal.spreadsheets import MAX_ROWS
from staff.choices import Level, PersonnelType, PositionType
from staff.models import StaffMember, Unit
from staff.resources import HEADERS
from tests.staff.imports.helpers import (
    EXPORT_URL,
    IMPORT_URL,
    cells,
    csv_file,
    person,
    run,
    upload,
    xlsx_file,
)

# --- Reading real files -----------------------------------------------------------------


def test_a_real_xlsx_file_adds_people_read_the_way_thai_offices_write(org_a, structure):
    rows = [
        person(
            citizen_id="๑-๑๐๑๗-๐๐๒๐๓-๔๕-๐",  # Thai digits and dashes
            first_name="  สมศรี ",
            last_name="ใจงาม",
            unit="สำนักปลัด · งานการเจ้าหน้าที่",
            appointed_on="๑ ต.ค. ๒๕๖๓",
            birth_date=dt.datetime(1987, 3, 15),  # a real Excel date cell
        ),
        person(
            first_name="ชัยวัฒน์",
            position="12-3-01-3102-001",  # the position gives the unit and the title
            unit="",
            position_title="",
            position_type="",
            level="",
            appointed_on=dt.datetime(2563, 10, 1),  # "01/10/2563" typed into a date cell
            birth_date="2020-10-01",
        ),
        person(
            first_name="มาลี",
            personnel_type="ข้าราชการครู",
            unit="งานการเจ้าหน้าที่",
            position_title="ครู",
            position_type="สายงานการสอน",
            level="ชำนาญการ",  # a teacher's rank under the teaching type
        ),
        person(
            first_name="ประเสริฐ",
            personnel_type="พนักงานจ้างตามภารกิจ",
            position_title="ผู้ช่วยเจ้าพนักงานธุรการ",
            position_type="",
            level="",
            phone=812345678,  # a number cell lost the leading zero
        ),
    ]

    report = run(org_a, xlsx_file(rows))

    assert report.ok, report.rows
    assert [row.status for row in report.rows] == ["new"] * 4
    assert [row.number for row in report.rows] == [2, 3, 4, 5]
    somsri = StaffMember.objects.get(organization=org_a, first_name="สมศรี")
    assert somsri.citizen_id == "1101700203450"
    assert somsri.unit == structure["personnel"]
    assert somsri.personnel_type == PersonnelType.LOCAL_OFFICIAL
    assert somsri.position_type == PositionType.ACADEMIC
    assert somsri.level == Level.PRACTITIONER
    assert somsri.appointed_on == dt.date(2020, 10, 1)
    assert somsri.birth_date == dt.date(1987, 3, 15)
    chaiwat = StaffMember.objects.get(organization=org_a, first_name="ชัยวัฒน์")
    assert chaiwat.position == structure["hr_position"]
    assert chaiwat.unit == structure["personnel"]
    assert chaiwat.position_title == "นักทรัพยากรบุคคล"
    assert (chaiwat.position_type, chaiwat.level) == (PositionType.ACADEMIC, Level.PROFESSIONAL)
    assert chaiwat.appointed_on == dt.date(2020, 10, 1)
    assert chaiwat.birth_date == dt.date(2020, 10, 1)
    malee = StaffMember.objects.get(organization=org_a, first_name="มาลี")
    assert malee.personnel_type == PersonnelType.TEACHER
    assert (malee.position_type, malee.level) == (
        PositionType.TEACHING,
        Level.TEACHER_PROFESSIONAL,
    )
    prasert = StaffMember.objects.get(organization=org_a, first_name="ประเสริฐ")
    assert prasert.personnel_type == PersonnelType.MISSION_EMPLOYEE
    assert prasert.phone == "0812345678"
    assert all(p.organization == org_a and p.is_active for p in StaffMember.objects.all())


def test_a_cp874_csv_as_thai_excel_saves_it_imports(org_a, structure):
    rows = [person(first_name="แก้วตา", appointed_on="1/10/63"), person(first_name="โกมล")]
    data = csv_file(rows, "cp874")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really a Thai-Windows file, not UTF-8 in disguise

    report = run(org_a, data)

    assert report.ok, report.rows
    assert sorted(StaffMember.objects.values_list("first_name", flat=True)) == ["แก้วตา", "โกมล"]
    assert StaffMember.objects.get(first_name="แก้วตา").appointed_on == dt.date(2020, 10, 1)


def test_a_utf8_csv_with_bom_and_semicolons_imports(org_a, structure):
    data = csv_file([person(first_name="ขวัญใจ")], "utf-8-sig", delimiter=";")
    assert data.startswith(b"\xef\xbb\xbf")

    report = run(org_a, data)

    assert report.ok, report.rows
    assert StaffMember.objects.get().first_name == "ขวัญใจ"


def test_headings_below_a_title_line_and_unknown_columns_are_fine(org_a, structure):
    headers = [*HEADERS, "หมายเหตุ"]
    data = xlsx_file([person()], headers=headers, above=[["บัญชีรายชื่อพนักงาน ปี 2567"]])

    report = run(org_a, data)

    assert report.ok
    assert report.rows[0].number == 3
    assert report.ignored_columns == ["หมายเหตุ"]


# --- Cells that need a clear message ---------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "column", "words"),
    [
        ({"personnel_type": "ข้าราชการพลเรือน"}, "ประเภทบุคลากร", "ข้าราชการพลเรือน"),
        ({"unit": "กองช่าง"}, "ส่วนราชการ", "กองช่าง"),
        ({"position": "99-9"}, "เลขที่ตำแหน่ง", "99-9"),
        ({"level": "ต้น"}, "ระดับ", "ต้น"),  # not a level of วิชาการ
        ({"position_type": "", "level": "กลาง"}, "ระดับ", ""),  # บริหาร or อำนวยการ?
        ({"appointed_on": "31/02/2563"}, "วันที่บรรจุแต่งตั้ง", "31/02/2563"),
        ({"email": "not-an-email"}, "อีเมล", ""),
        ({"first_name": " "}, "ชื่อ", ""),
        ({"citizen_id": "12345"}, "เลขประจำตัวประชาชน", "13"),
    ],
)
def test_a_bad_cell_is_reported_with_its_column(org_a, structure, cell, column, words):
    report = run(org_a, xlsx_file([person(**cell)]))

    [row] = report.error_rows
    assert column in [error.column for error in row.errors]
    message = next(error.message for error in row.errors if error.column == column)
    assert words in message
    assert not StaffMember.objects.exists()


def test_a_citizen_id_that_excel_shortened_says_what_happened(org_a, structure):
    data = csv_file([person(citizen_id="1.10170E+12")], "cp874")

    [error] = run(org_a, data).error_rows[0].errors

    assert error.column == "เลขประจำตัวประชาชน"
    assert "1.10170E+12" in error.message and "ข้อความ" in error.message


def test_a_new_row_shows_how_its_labels_and_dates_were_read(org_a, structure):
    report = run(org_a, xlsx_file([person(level="ระดับปฏิบัติการ", appointed_on="๐๑/๑๐/๒๕๖๓")]))

    assert report.rows[0].summary == "พนักงานส่วนตำบล · วิชาการ ปฏิบัติการ · บรรจุ 1 ต.ค. 2563"


def test_data_ends_after_a_long_run_of_empty_rows(org_a, structure):
    text = ",".join(HEADERS) + "\n" + ",".join(map(str, cells(person()))) + "\n"
    text += ",\n" * 1001 + ",".join(map(str, cells(person(first_name="ไกลเกิน")))) + "\n"

    report = run(org_a, text.encode())

    assert report.ok and len(report.rows) == 1


def test_a_section_name_used_in_two_divisions_needs_the_division(org_a, structure):
    for division in ("กองคลัง", "สำนักปลัด"):
        parent = Unit.objects.get(organization=org_a, name=division)
        Unit.objects.create(organization=org_a, parent=parent, name="งานธุรการ")

    ambiguous = run(org_a, xlsx_file([person(unit="งานธุรการ")]))
    clear = run(org_a, xlsx_file([person(unit="กองคลัง / งานธุรการ")]))

    assert "กองคลัง · งานธุรการ" in ambiguous.error_rows[0].errors[0].message
    assert clear.ok
    assert StaffMember.objects.get().unit.full_name == "กองคลัง · งานธุรการ"


def test_a_position_is_found_by_its_title_when_only_one_has_it(org_a, structure):
    report = run(org_a, xlsx_file([person(position="นักวิชาการเงินและบัญชี")]))

    assert report.ok
    assert StaffMember.objects.get().position == structure["finance_position"]


def test_level_without_a_position_type_takes_the_only_type_it_belongs_to(org_a, structure):
    report = run(org_a, xlsx_file([person(position_type="", level="ชำนาญงาน")]))

    assert report.ok
    assert StaffMember.objects.get().position_type == PositionType.GENERAL


# --- Files that cannot be imported --------------------------------------------------------


def _xls_magic() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "ว่างเปล่า"),
        (b"\n\n  \n", "ว่างเปล่า"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100, "ไม่ใช่ตารางข้อมูล"),
        (_xls_magic(), ".xls"),
        (b"PK\x03\x04not really a zip", "เสียหาย"),
        (",".join(HEADERS).encode(), "ไม่มีรายชื่อ"),
        ("ชื่อ,นามสกุล\r\nสมศรี,ใจงาม\r\n".encode(), "เลขประจำตัวประชาชน"),
    ],
    ids=["empty", "blank-lines", "png", "xls", "broken-zip", "headings-only", "missing-columns"],
)
def test_a_file_that_cannot_be_imported_gets_a_clear_message(org_a, structure, data, words):
    report = run(org_a, data)

    assert report.file_errors and not report.rows
    assert words in report.file_errors[0]
    assert not StaffMember.objects.exists()


def test_a_docx_is_not_taken_for_a_workbook(org_a, structure):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    report = run(org_a, buffer.getvalue())

    assert ".xlsx" in report.file_errors[0]


def test_more_than_the_row_limit_is_refused_before_anything_is_checked(org_a, structure):
    line = ",".join(cells(person(citizen_id="1101700203450")))
    data = (",".join(HEADERS) + "\n" + (line + "\n") * (MAX_ROWS + 1)).encode()

    report = run(org_a, data)

    assert f"{MAX_ROWS:,}" in report.file_errors[0]
    assert not StaffMember.objects.exists()


def test_a_stray_x_in_one_citizen_id_is_that_row_s_error_not_the_file_s(org_a, structure):
    report = run(org_a, xlsx_file([person(), person(citizen_id="110170020345x")]))

    assert not report.file_errors
    assert [row.number for row in report.error_rows] == [3]


def test_a_masked_export_cannot_be_imported_back(org_a, structure, people, hr_client):
    exported = hr_client.get(EXPORT_URL).content

    report = run(org_a, exported)

    assert "เลขประจำตัวประชาชน" in report.file_errors[0]
    assert "x-xxxx" in report.file_errors[0]


# --- Cells no field can hold, odd encodings and large files -----------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_a_utf16_csv_saved_without_its_bom_imports(org_a, structure, encoding, delimiter):
    rows = [person(first_name="สมศรี"), person(first_name="Chaiwat", last_name="Smith")]
    data = csv_file(rows, encoding, delimiter=delimiter)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))

    report = run(org_a, data)

    assert report.ok, (report.file_errors, report.error_rows)
    assert sorted(StaffMember.objects.values_list("first_name", flat=True)) == ["Chaiwat", "สมศรี"]


def test_a_nul_byte_deep_in_a_file_is_a_cell_error_and_nothing_is_saved(org_a, structure):
    """PostgreSQL refuses NUL in text: the row and column are named before it is asked."""
    rows = [person() for _ in range(300)]
    rows[250]["last_name"] = "ใจ\x00งาม"
    rows[280]["citizen_id"] = rows[280]["citizen_id"][:5] + "\x00" + rows[280]["citizen_id"][5:]
    data = csv_file(rows, "utf-8")
    assert b"\x00" not in data[:4096]  # past what the check for binary files reads

    report = run(org_a, data)

    assert not report.written and not report.file_errors
    assert not StaffMember.objects.exists()
    assert [(row.number, [e.column for e in row.errors]) for row in report.error_rows] == [
        (252, ["นามสกุล"]),
        (282, ["เลขประจำตัวประชาชน"]),
    ]
    message = report.error_rows[0].errors[0].message
    assert "อักขระควบคุม" in message and "U+0000" in message


@pytest.mark.parametrize("character", ["\x7f", "\x85", "\x9b"])
def test_a_control_character_in_a_text_cell_is_refused_in_thai(org_a, structure, character):
    report = run(org_a, xlsx_file([person(), person(education=f"ปริญญาตรี{character}บัญชี")]))

    assert not report.written and not StaffMember.objects.exists()
    [row] = report.error_rows
    [error] = row.errors
    assert (row.number, error.column) == (3, "วุฒิการศึกษา")
    assert "อักขระควบคุม" in error.message


def test_tabs_and_line_breaks_in_a_text_cell_are_read_as_spaces(org_a, structure):
    report = run(org_a, xlsx_file([person(education="ปริญญาตรี\tบัญชี\nบัณฑิต")]))

    assert report.ok, report.error_rows
    assert StaffMember.objects.get().education == "ปริญญาตรี บัญชี บัณฑิต"


def test_a_cell_longer_than_its_field_is_a_cell_error_in_thai(org_a, structure):
    report = run(org_a, xlsx_file([person(), person(first_name="ก" * 3000)]))

    assert not report.written and not StaffMember.objects.exists()
    [row] = report.error_rows
    [error] = row.errors
    assert (row.number, error.column) == (3, "ชื่อ")
    assert "3,000" in error.message and "100" in error.message and "ตัวอักษร" in error.message


def test_a_large_file_of_long_names_gives_a_preview_of_bounded_size(hr_client, org_a, structure):
    rows = [person(first_name="ก" * 3000, last_name="ข" * 3000) for _ in range(600)]

    response = upload(hr_client, xlsx_file(rows))

    text = response.content.decode()
    assert response.status_code == 200
    assert "มีปัญหา 600 แถว" in text
    assert text.count('class="status-error"') == 200  # the first 200, in the file's order
    assert 'id="row-201"' in text and 'id="row-202"' not in text
    assert "ยังมีแถวที่มีปัญหาอีก 400 แถว" in text
    # Every name and problem is cut short: 600 rows of 6,000 characters would be 20 MB.
    assert len(response.content) < 1_000_000
    assert not StaffMember.objects.exists()


def test_a_large_preview_lists_problems_first_then_pages_the_new_rows(hr_client, org_a, structure):
    rows = [person(first_name=f"คนที่{n}") for n in range(450)]
    rows[300]["level"] = "ชำนาญการเศษ"

    response = upload(hr_client, xlsx_file(rows))

    text = response.content.decode()
    assert text.index('id="row-302"') < text.index('class="status-new"')
    assert text.count('class="status-new"') == 200
    assert "ยืนยันการนำเข้า" not in text


def test_the_pages_of_a_large_preview_come_from_the_upload_waiting(hr_client, org_a, structure):
    known = [person(first_name=f"เดิม{n}") for n in range(10)]
    assert run(org_a, xlsx_file(known)).written
    rows = known + [person(first_name=f"คนที่{n}") for n in range(450)]

    first = upload(hr_client, xlsx_file(rows))
    last = hr_client.get(IMPORT_URL, {"page": 3})

    assert first.content.decode().count('class="status-new"') == 200
    text = last.content.decode()
    assert last.status_code == 200
    assert text.count('class="status-new"') == 50 and 'class="status-unchanged"' not in text
    assert "ไม่แสดงแถวที่ไม่เปลี่ยนแปลง 10 แถว" in text
    assert "ยืนยันการนำเข้า" in text  # the same upload can still be confirmed
    assert StaffMember.objects.count() == 10
    assert hr_client.get(IMPORT_URL).templates[0].name == "staff/import.html"


def test_a_csv_cell_over_the_csv_modules_limit_is_refused_as_a_file_error(org_a, structure):
    data = csv_file([person(first_name="ก" * 140_000)], "utf-8", delimiter=",")

    report = run(org_a, data)

    assert not report.ok
    assert report.file_errors
    assert not StaffMember.objects.exists()
