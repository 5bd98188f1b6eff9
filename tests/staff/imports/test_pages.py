"""Staff import: all or nothing, the pages upload → preview → confirm, who may use them,
and the template workbook."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import IntegrityError
from django.urls import reverse

from portal.spreadsheets import MAX_FILE_BYTES
from staff.choices import Level
from staff.models import StaffMember, Unit
from staff.resources import HEADERS
from staff.views_io import PENDING_KEY
from tests.staff.conftest import new_citizen_id
from tests.staff.imports.helpers import (
    CONFIRM_URL,
    EXPORT_URL,
    IMPORT_URL,
    TEMPLATE_URL,
    cells,
    pending_files,
    person,
    run,
    table,
    upload,
    xlsx_file,
)

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


def test_the_preview_of_citizen_ids_is_never_cached(hr_client, org_a, structure):
    response = upload(hr_client, xlsx_file([person()]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
