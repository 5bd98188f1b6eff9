"""Importing staff from Excel/CSV and exporting them back: real files built here with
openpyxl and real encodings (cp874 as Thai Excel saves CSV, UTF-8 with BOM)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal.spreadsheets import MAX_FILE_BYTES, MAX_ROWS
from staff.choices import Level, PersonnelType, PositionType
from staff.importing import staff_import
from staff.models import Position, StaffMember, Unit
from staff.resources import COLUMNS, HEADERS
from staff.views_io import PENDING_KEY
from tests.staff.conftest import make_staff, new_citizen_id

FIELDS = [column.field for column in COLUMNS]
HEADER = {column.field: column.header for column in COLUMNS}
IMPORT_URL = reverse("staff:import")
CONFIRM_URL = reverse("staff:import_confirm")
TEMPLATE_URL = reverse("staff:import_template")
EXPORT_URL = reverse("staff:export")


@pytest.fixture(autouse=True)
def thai():
    """Messages are checked in Thai, as the HR officer reads them."""
    with translation.override("th"):
        yield


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path) -> Path:
    """Uploads waiting for confirmation go to a folder of the test's own."""
    settings.VAR_DIR = tmp_path
    return tmp_path


def pending_files(var_dir: Path) -> list[Path]:
    return list((var_dir / "imports").glob("*")) if (var_dir / "imports").exists() else []


# --- Building files ------------------------------------------------------------------


def person(**values) -> dict:
    """A complete, valid row; override any cell by field name."""
    row = {
        "citizen_id": new_citizen_id(),
        "prefix": "นาง",
        "first_name": "สมศรี",
        "last_name": "ใจงาม",
        "personnel_type": "พนักงานส่วนตำบล",
        "unit": "กองคลัง",
        "position_title": "นักวิชาการเงินและบัญชี",
        "position_type": "วิชาการ",
        "level": "ปฏิบัติการ",
        "appointed_on": "01/10/2563",
        "birth_date": "15 มี.ค. 2530",
        "education": "ปริญญาตรี บัญชี",
        "phone": "081-234-5678",
        "email": "somsri@example.go.th",
    }
    row.update(values)
    return row


def cells(row: dict, headers: list[str] = HEADERS) -> list:
    by_header = {HEADER[name]: value for name, value in row.items()}
    return [by_header.get(header, "") for header in headers]


def xlsx_file(rows: list[dict], headers: list[str] = HEADERS, above: list[list] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in above:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append(cells(row, headers))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(rows: list[dict], encoding: str, delimiter: str = ",") -> bytes:
    def line(values) -> str:
        return delimiter.join(
            '"' + str(value).replace('"', '""') + '"' if value != "" else "" for value in values
        )

    text = "\r\n".join([line(HEADERS), *(line(cells(row)) for row in rows)]) + "\r\n"
    return text.encode(encoding)


def run(organization, data: bytes, *, dry_run: bool = False):
    return staff_import(
        organization=organization, data=data, filename="staff.xlsx", dry_run=dry_run
    )


def table(organization) -> list[tuple]:
    """Everything about the organisation's people, to compare before and after."""
    return list(
        StaffMember.objects.filter(organization=organization)
        .order_by("citizen_id")
        .values_list(*[f.attname for f in StaffMember._meta.concrete_fields])
    )


def upload(client, data: bytes, name: str = "staff.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


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


# --- All or nothing --------------------------------------------------------------------


def test_one_bad_row_among_fifty_writes_nothing_and_names_the_row_and_column(
    org_a, structure, people
):
    before = table(org_a)
    rows = [person(first_name=f"คนที่{n}") for n in range(1, 51)]
    rows[0] = person(citizen_id=people["kaew"].citizen_id, first_name="แก้ว", last_name="ใหม่")
    rows[36]["citizen_id"] = "1101700203451"  # wrong check digit, on sheet row 38

    report = run(org_a, xlsx_file(rows))

    assert not report.ok and not report.written
    assert [row.number for row in report.error_rows] == [38]
    [error] = report.error_rows[0].errors
    assert error.column == "เลขประจำตัวประชาชน"
    assert error.value == "1101700203451"
    assert table(org_a) == before  # neither the 48 new people nor the update of แก้ว
    assert report.count("new") == 48 and report.updated == 1


def test_a_batch_the_database_refuses_undoes_the_batches_before_it(org_a, structure, monkeypatch):
    real_bulk_create = StaffMember.objects.bulk_create
    batches = []

    def second_batch_fails(people, **kwargs):
        batches.append(len(people))
        if len(batches) == 2:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_bulk_create(people, **kwargs)

    monkeypatch.setattr(StaffMember.objects, "bulk_create", second_batch_fails)

    report = run(org_a, xlsx_file([person() for _n in range(600)]))

    assert batches == [500, 100]
    assert report.file_errors and not report.written
    assert "ไม่ได้บันทึก" in report.file_errors[0]
    assert not StaffMember.objects.exists()


def test_the_same_citizen_id_twice_in_a_file_points_to_the_first_row(org_a, structure):
    twin = new_citizen_id()
    report = run(org_a, xlsx_file([person(citizen_id=twin), person(), person(citizen_id=twin)]))

    assert [row.number for row in report.error_rows] == [4]
    assert "2" in report.error_rows[0].errors[0].message
    assert not StaffMember.objects.exists()


def test_importing_the_same_file_twice_changes_nothing(org_a, structure, people):
    rows = [
        person(citizen_id=people["kamon"].citizen_id, first_name="กมล", last_name="ศรีสุข",
               position="12-3-01-3102-001", unit="", position_title="", position_type="",
               level=""),
        person(first_name="สมปอง", appointed_on=dt.datetime(2019, 5, 1), left_on="30/09/2567"),
        person(first_name="สมหมาย", unit="งานการเจ้าหน้าที่", personnel_type="ลูกจ้างประจำ",
               position_type="", level="", birth_date=""),
    ]  # fmt: skip
    data = xlsx_file(rows)
    first = run(org_a, data)
    assert first.ok and first.new == 2 and first.updated == 1
    after_first = table(org_a)

    second = run(org_a, data)

    assert second.ok
    assert [row.status for row in second.rows] == ["unchanged"] * 3
    assert table(org_a) == after_first  # updated_at included: nothing was written
    left = StaffMember.objects.get(first_name="สมปอง")
    assert (left.is_active, left.left_on) == (False, dt.date(2024, 9, 30))


def test_an_update_reports_what_changes_and_saves_it(org_a, structure, people):
    kaew = people["kaew"]
    row = person(citizen_id=kaew.citizen_id, prefix="นางสาว", first_name="แก้ว", last_name="มณี",
                 position_title="นักจัดการงานทั่วไป", level="ชำนาญการ", appointed_on="01/10/2561",
                 birth_date="", education="", phone="", email="")  # fmt: skip

    preview = run(org_a, xlsx_file([row]), dry_run=True)

    assert preview.rows[0].status == "update"
    assert [(c.column, c.before, c.after) for c in preview.rows[0].changes] == [
        ("ระดับ", "ปฏิบัติการ", "ชำนาญการ")
    ]
    kaew.refresh_from_db()
    assert kaew.level == Level.PRACTITIONER  # a dry run writes nothing
    stamp = kaew.updated_at

    run(org_a, xlsx_file([row]))

    kaew.refresh_from_db()
    assert kaew.level == Level.PROFESSIONAL
    assert kaew.updated_at > stamp


def test_an_empty_left_on_cell_never_brings_someone_back(org_a, structure, people):
    kasem = people["kasem"]
    kasem.mark_left(on=dt.date(2024, 1, 31), reason="โอนย้าย")
    row = person(citizen_id=kasem.citizen_id, first_name="เกษม", last_name="บุญมา")

    run(org_a, xlsx_file([row]))

    kasem.refresh_from_db()
    assert (kasem.is_active, kasem.left_on, kasem.left_reason) == (
        False,
        dt.date(2024, 1, 31),
        "โอนย้าย",
    )


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


# --- The pages: upload → preview → confirm ------------------------------------------------


def test_the_import_page_says_the_limits(hr_client):
    response = hr_client.get(IMPORT_URL)

    assert response.status_code == 200
    text = response.content.decode()
    assert f"{MAX_FILE_BYTES // (1024 * 1024)} MB" in text
    assert "5,000" in text or "5000" in text
    assert TEMPLATE_URL in text


def test_hr_uploads_sees_every_row_then_confirms_and_the_people_are_saved(
    hr_client, org_a, structure, people, var_dir
):
    kaew = people["kaew"]
    rows = [
        person(first_name="สมศรี"),
        person(citizen_id=kaew.citizen_id, prefix="นางสาว", first_name="แก้ว", last_name="มณี",
               position_title="นักจัดการงานทั่วไป", level="ชำนาญการ", appointed_on="01/10/2561",
               birth_date="", education="", phone="", email=""),
    ]  # fmt: skip

    preview = upload(hr_client, xlsx_file(rows))

    assert preview.status_code == 200
    assert preview.templates[0].name == "portal/import_preview.html"
    text = preview.content.decode()
    assert "สมศรี" in text and "แก้ว" in text
    assert not StaffMember.objects.filter(first_name="สมศรี").exists()
    kaew.refresh_from_db()
    assert kaew.level == Level.PRACTITIONER
    assert len(pending_files(var_dir)) == 1
    token = hr_client.session[PENDING_KEY]["token"]
    assert token in text and str(var_dir) not in text

    response = hr_client.post(CONFIRM_URL, {"token": token})

    assert response.status_code == 302 and response.url == reverse("staff:list")
    assert StaffMember.objects.filter(organization=org_a, first_name="สมศรี").exists()
    kaew.refresh_from_db()
    assert kaew.level == Level.PROFESSIONAL
    assert pending_files(var_dir) == []
    assert PENDING_KEY not in hr_client.session
    # The same confirmation cannot run twice.
    again = hr_client.post(CONFIRM_URL, {"token": token})
    assert again.status_code == 302 and again.url == IMPORT_URL


def test_a_preview_with_errors_shows_row_and_column_and_offers_no_confirm(
    hr_client, org_a, structure, var_dir
):
    rows = [person(), person(level="ชำนาญการเศษ")]

    response = upload(hr_client, xlsx_file(rows))

    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="row-3"' in text and "ระดับ" in text and "ชำนาญการเศษ" in text
    assert CONFIRM_URL not in text
    assert PENDING_KEY not in hr_client.session
    assert pending_files(var_dir) == []
    assert not StaffMember.objects.exists()


def test_a_file_problem_shows_on_the_upload_form(hr_client, org_a, structure):
    response = upload(hr_client, b"%PDF-1.7\n\x00\x00binary", name="staff.pdf")

    assert response.status_code == 200
    assert response.templates[0].name == "staff/import.html"
    assert response.context["form"].errors["file"]


def test_a_file_over_the_size_limit_is_refused(hr_client, org_a, structure):
    response = upload(hr_client, b"x" * (MAX_FILE_BYTES + 1), name="big.csv")

    assert response.context["form"].errors["file"]
    assert not StaffMember.objects.exists()


def test_a_second_upload_replaces_the_first_preview(hr_client, org_a, structure, var_dir):
    upload(hr_client, xlsx_file([person(first_name="หนึ่ง")]))
    first_token = hr_client.session[PENDING_KEY]["token"]
    upload(hr_client, xlsx_file([person(first_name="สอง")]))

    stale = hr_client.post(CONFIRM_URL, {"token": first_token})

    assert stale.status_code == 302 and stale.url == IMPORT_URL
    assert not StaffMember.objects.exists()
    assert len(pending_files(var_dir)) == 1


def test_confirm_checks_again_and_writes_nothing_if_the_data_changed(
    hr_client, org_a, structure, var_dir
):
    upload(hr_client, xlsx_file([person(first_name="หนึ่ง"), person(first_name="สอง")]))
    token = hr_client.session[PENDING_KEY]["token"]
    Unit.objects.filter(name="กองคลัง").update(name="กองคลังและพัสดุ")

    response = hr_client.post(CONFIRM_URL, {"token": token})

    assert response.status_code == 200
    assert response.context["confirm_failed"]
    assert len(response.context["report"].error_rows) == 2
    assert not StaffMember.objects.exists()
    assert pending_files(var_dir) == []


def test_uploading_a_file_already_imported_says_there_is_nothing_to_do(
    hr_client, org_a, structure, var_dir
):
    data = xlsx_file([person(first_name="หนึ่ง"), person(first_name="สอง")])
    upload(hr_client, data)
    hr_client.post(CONFIRM_URL, {"token": hr_client.session[PENDING_KEY]["token"]})
    before = table(org_a)

    response = upload(hr_client, data)

    assert response.context["report"].unchanged == 2
    assert response.context["confirm_form"] is None
    assert "ไม่มีข้อมูลที่ต้องนำเข้า" in response.content.decode()
    assert PENDING_KEY not in hr_client.session and pending_files(var_dir) == []
    assert table(org_a) == before


def test_confirm_is_post_only(hr_client):
    assert hr_client.get(CONFIRM_URL).status_code == 405


def test_a_made_up_token_touches_no_file(hr_client, org_a, structure, var_dir):
    upload(hr_client, xlsx_file([person()]))

    response = hr_client.post(CONFIRM_URL, {"token": "../../etc/passwd"})

    assert response.status_code == 302
    assert len(pending_files(var_dir)) == 1
    assert not StaffMember.objects.exists()


# --- Who may do it ----------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["staff_client", "executive_client"])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", IMPORT_URL),
        ("post", IMPORT_URL),
        ("post", CONFIRM_URL),
        ("get", TEMPLATE_URL),
        ("get", EXPORT_URL),
    ],
)
def test_only_hr_officers_may_import_or_export(request, client_name, method, url):
    client = request.getfixturevalue(client_name)

    assert getattr(client, method)(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(EXPORT_URL)

    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_outsider_can_neither_see_nor_change_org_a(
    hr_client, outsider_client, org_a, org_b, structure, people, var_dir
):
    before = table(org_a)
    upload(hr_client, xlsx_file([person(first_name="ของเอ")]))
    token_of_a = hr_client.session[PENDING_KEY]["token"]

    exported = outsider_client.get(EXPORT_URL, {"include_citizen_ids": "1"})
    stolen = outsider_client.post(CONFIRM_URL, {"token": token_of_a})
    Unit.objects.create(organization=org_b, name="กองคลัง")
    same_ids = [person(citizen_id=people["kaew"].citizen_id, first_name="แก้ว", last_name="คนละคน")]
    preview = upload(outsider_client, xlsx_file(same_ids))

    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).worksheets[0]
    assert sheet.max_row == 1  # headings only: org B has nobody
    assert stolen.status_code == 302
    assert preview.context["report"].rows[0].status == "new"  # not org A's แก้ว
    assert table(org_a) == before
    assert len(pending_files(var_dir)) == 2  # A's still waits for A


def test_switching_organisation_invalidates_the_waiting_upload(
    hr_client, hr_user, org_a, org_b, structure
):
    from portal.access import SESSION_KEY
    from portal.models import Membership, Role

    Membership.objects.create(user=hr_user, organization=org_b, role=Role.HR)

    def work_in(organization) -> None:
        session = hr_client.session
        session[SESSION_KEY] = organization.pk
        session.save()

    work_in(org_a)
    upload(hr_client, xlsx_file([person()]))
    token = hr_client.session[PENDING_KEY]["token"]
    work_in(org_b)

    response = hr_client.post(CONFIRM_URL, {"token": token})

    assert response.status_code == 302
    assert not StaffMember.objects.exists()


# --- The template --------------------------------------------------------------------------


def test_the_template_has_thai_headings_and_a_sheet_explaining_the_allowed_values(
    hr_client, structure
):
    response = hr_client.get(TEMPLATE_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    data, guide = workbook.worksheets
    assert [cell.value for cell in data[1]] == HEADERS
    assert data.max_row == 1
    assert data.data_validations.dataValidation  # drop-down lists
    guide_text = {str(cell.value) for row in guide.iter_rows() for cell in row if cell.value}
    for label in ("พนักงานส่วนตำบล", "พนักงานจ้างตามภารกิจ", "วิชาการ", "ชำนาญการ", "ครูผู้ช่วย"):
        assert label in guide_text
    assert "สำนักปลัด · งานการเจ้าหน้าที่" in guide_text
    assert "12-3-01-3102-001" in guide_text
    assert set(HEADERS) <= guide_text


def test_the_template_filled_in_imports(hr_client, org_a, structure):
    workbook = openpyxl.load_workbook(io.BytesIO(hr_client.get(TEMPLATE_URL).content))
    workbook.worksheets[0].append(cells(person(first_name="จากแม่แบบ")))
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(org_a, buffer.getvalue())

    assert report.ok and report.new == 1


# --- The export ----------------------------------------------------------------------------


def exported_rows(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return [dict(zip(FIELDS, row, strict=True)) for row in rows[1:]]


def test_the_export_masks_citizen_ids_unless_asked(hr_client, people):
    masked = exported_rows(hr_client.get(EXPORT_URL))
    full = exported_rows(hr_client.get(EXPORT_URL, {"include_citizen_ids": "1"}))

    assert {row["citizen_id"] for row in masked} == {p.masked_citizen_id for p in people.values()}
    assert {row["citizen_id"] for row in full} == {p.citizen_id for p in people.values()}


def test_the_export_follows_the_list_filters_and_thai_order(hr_client, structure, people):
    people["kasem"].mark_left(on=dt.date(2024, 1, 31))

    working = exported_rows(hr_client.get(EXPORT_URL))
    everyone = exported_rows(hr_client.get(EXPORT_URL, {"active": "all"}))
    finance = exported_rows(hr_client.get(EXPORT_URL, {"unit": structure["finance"].pk}))
    officials = exported_rows(
        hr_client.get(EXPORT_URL, {"active": "all", "personnel_type": "mission"})
    )
    found = exported_rows(hr_client.get(EXPORT_URL, {"q": "ศรีสุข"}))

    assert [row["first_name"] for row in working] == ["กมล", "แก้ว"]
    assert [row["first_name"] for row in everyone] == ["กมล", "เกษม", "แก้ว"]
    assert everyone[1]["left_on"] == "31/01/2567"
    assert [row["first_name"] for row in finance] == ["แก้ว"]
    assert [row["first_name"] for row in officials] == ["เกษม"]
    assert [row["first_name"] for row in found] == ["กมล"]


def test_the_export_is_not_cached(hr_client):
    response = hr_client.get(EXPORT_URL)

    assert "no-store" in response["Cache-Control"]


def test_export_then_import_changes_nothing(hr_client, org_a, structure, people):
    make_staff(
        org_a,
        structure["personnel"],
        "ศิริพร",
        "วงศ์ไทย",
        position=structure["hr_position"],
        position_title="นักทรัพยากรบุคคล",
        level=Level.PROFESSIONAL,
        birth_date=dt.date(1990, 2, 28),
        first_name_en="Siriporn",
        phone="02-123-4567",
        email="siriporn@example.go.th",
        education="ปริญญาโท",
    )
    people["kasem"].mark_left(on=dt.date(2024, 1, 31))
    before = table(org_a)

    exported = hr_client.get(EXPORT_URL, {"active": "all", "include_citizen_ids": "1"})
    report = run(org_a, exported.content)

    assert report.ok, report.rows
    assert [row.status for row in report.rows] == ["unchanged"] * 4
    assert table(org_a) == before


def test_an_edited_export_imports_the_edits(hr_client, org_a, structure, people):
    exported = hr_client.get(EXPORT_URL, {"include_citizen_ids": "1"})
    workbook = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = workbook.worksheets[0]
    level_column = HEADERS.index("ระดับ") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=HEADERS.index("ชื่อ") + 1).value == "แก้ว":
            sheet.cell(row=row, column=level_column, value="ชำนาญการ")
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(org_a, buffer.getvalue())

    assert sorted(row.status for row in report.rows) == ["unchanged", "unchanged", "update"]
    people["kaew"].refresh_from_db()
    assert people["kaew"].level == Level.PROFESSIONAL


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_the_export_neutralises_cells_that_a_spreadsheet_could_run(
    hr_client, org_a, structure, trigger
):
    payload = f'{trigger}HYPERLINK("http://evil.example","x")'
    make_staff(org_a, structure["finance"], "สมชาย", payload, education=f"{trigger}1+1")
    before = table(org_a)

    response = hr_client.get(EXPORT_URL, {"include_citizen_ids": "1"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    last_name = sheet.cell(row=2, column=HEADERS.index("นามสกุล") + 1)
    education = sheet.cell(row=2, column=HEADERS.index("วุฒิการศึกษา") + 1)
    # (XML reads a carriage return back as a line feed.)
    assert last_name.data_type == "s"
    assert last_name.value == ("'" + payload).replace("\r", "\n")
    assert education.data_type == "s"
    assert education.value == f"'{trigger}1+1".replace("\r", "\n")
    # …and the apostrophe does not end up in the data when the file comes back.
    report = run(org_a, response.content)
    if trigger in "\t\r":
        # Stray spaces are trimmed on import, so these two come back as an update.
        assert report.ok
    else:
        assert [row.status for row in report.rows] == ["unchanged"]
        assert table(org_a) == before


def test_unit_and_position_names_in_the_guide_sheet_are_neutralised(hr_client, org_a, structure):
    Unit.objects.create(organization=org_a, name="=cmd|' /C calc'!A0")

    response = hr_client.get(TEMPLATE_URL)

    guide = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[1]
    values = [cell for row in guide.iter_rows() for cell in row if cell.value]
    assert not [cell for cell in values if cell.data_type == "f"]
    assert "'=cmd|' /C calc'!A0" in [cell.value for cell in values]


def _export_queries(hr_client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = hr_client.get(EXPORT_URL, {"include_citizen_ids": "1", "active": "all"})
    assert response.status_code == 200
    return len(queries)


def test_the_export_costs_the_same_queries_for_5_and_50_people(hr_client, org_a, structure):
    positions = [structure["hr_position"], structure["finance_position"], None]
    units = [structure["personnel"], structure["finance"], structure["office"]]

    def add(count: int) -> None:
        for n in range(count):
            make_staff(org_a, units[n % 3], f"คน{n:03d}", position=positions[n % 3])

    add(5)
    few = _export_queries(hr_client)
    add(45)
    many = _export_queries(hr_client)

    assert StaffMember.objects.count() == 50
    assert many == few


def test_positions_added_after_the_fixture_do_not_change_matching_by_number(org_a, structure):
    Position.objects.create(
        organization=org_a,
        number="๑๒-๓-๐๔-๓๒๐๑-๐๐๒",  # stored with Thai digits by someone
        title="นักวิชาการเงินและบัญชี",
        personnel_type=PersonnelType.LOCAL_OFFICIAL,
        unit=structure["finance"],
    )

    report = run(org_a, xlsx_file([person(position="12-3-04-3201-002")]))

    assert report.ok
    assert StaffMember.objects.get().position.number == "๑๒-๓-๐๔-๓๒๐๑-๐๐๒"


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
