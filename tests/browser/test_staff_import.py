"""The HR officer's import journey in a real browser: download the template, fill it,
upload it, check the preview, confirm, and find the new people in the staff list."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from staff.choices import Level, PersonnelType, PositionType
from staff.models import Position, StaffMember, Unit
from staff.validators import citizen_id_with_check_digit
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.conftest import PASSWORD

NEW_PEOPLE = [
    # citizen ID, prefix, first name, last name, personnel type, unit, position number,
    # title, position type, level, appointed
    ("310170020001", "นางสาว", "วิไลวรรณ", "ศรีสวัสดิ์", "พนักงานส่วนตำบล",
     "สำนักปลัด · งานการเจ้าหน้าที่", "", "นักทรัพยากรบุคคล", "วิชาการ", "ปฏิบัติการ",
     "01/10/2563"),
    ("310170020002", "นาย", "ธนพล", "ใจกว้าง", "พนักงานส่วนตำบล", "", "12-3-04-3201-001",
     "", "", "", "1 ต.ค. 2564"),
    ("310170020003", "นาง", "อรุณี", "แสงทอง", "พนักงานจ้างตามภารกิจ", "กองคลัง", "",
     "ผู้ช่วยเจ้าพนักงานการเงินและบัญชี", "", "", "๑๕/๐๖/๒๕๖๖"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    """Uploads waiting for confirmation go to the test's own folder (the live server
    runs in this process, so it sees the setting)."""
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def office(transactional_db, org_a, hr_user):
    """Org A with two divisions, a section and one position; its HR officer."""
    office = Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1)
    Unit.objects.create(organization=org_a, name="งานการเจ้าหน้าที่", parent=office, order=1)
    finance = Unit.objects.create(organization=org_a, name="กองคลัง", order=2)
    Position.objects.create(
        organization=org_a,
        number="12-3-04-3201-001",
        title="นักวิชาการเงินและบัญชี",
        personnel_type=PersonnelType.LOCAL_OFFICIAL,
        position_type=PositionType.ACADEMIC,
        level=Level.PRACTITIONER,
        unit=finance,
    )
    return org_a


def fill_template(template: Path, target: Path, rows) -> Path:
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        values = dict(
            zip(
                [
                    "เลขประจำตัวประชาชน",
                    "คำนำหน้าชื่อ",
                    "ชื่อ",
                    "นามสกุล",
                    "ประเภทบุคลากร",
                    "ส่วนราชการ",
                    "เลขที่ตำแหน่ง",
                    "ชื่อตำแหน่ง",
                    "ประเภทตำแหน่ง",
                    "ระดับ",
                    "วันที่บรรจุแต่งตั้ง",
                ],
                row,
                strict=True,
            )
        )
        values["เลขประจำตัวประชาชน"] = citizen_id_with_check_digit(row[0])
        sheet.append([values.get(header, "") for header in headers])
    workbook.save(target)
    return target


def download_template(page, tmp_path: Path) -> Path:
    page.goto("/staff/import/")
    with page.expect_download() as download:
        page.get_by_role("link", name="ดาวน์โหลดแบบฟอร์ม (.xlsx)").click()
    path = tmp_path / "template.xlsx"
    download.value.save_as(path)
    return path


def upload(page, path: Path) -> None:
    page.get_by_label("ไฟล์ตารางข้อมูล").set_input_files(path)
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()


def no_sideways_scrolling(page, viewport) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_hr_officer_imports_new_people_from_the_template(
    page_factory, office, tmp_path, viewport, label
):
    page = page_factory(viewport)
    log_in(page, "hr_a", PASSWORD)
    template = download_template(page, tmp_path)
    screenshot(page, f"staff-import-{label}")
    assert no_sideways_scrolling(page, viewport)

    upload(page, fill_template(template, tmp_path / "filled.xlsx", NEW_PEOPLE))

    assert page.get_by_role("heading", name="ตรวจสอบก่อนนำเข้า").is_visible()
    rows = page.locator("table.import-rows tbody tr")
    assert rows.count() == 3
    assert page.locator("table.import-rows .badge", has_text="ใหม่").count() == 3
    assert page.get_by_text("12-3-04-3201-001").count() == 0  # the position's title is shown
    assert rows.nth(1).get_by_text("นักวิชาการเงินและบัญชี").is_visible()
    assert no_sideways_scrolling(page, viewport)
    screenshot(page, f"staff-import-preview-{label}")
    assert not StaffMember.objects.exists()  # the preview wrote nothing

    page.get_by_role("button", name="ยืนยันการนำเข้า").click()
    page.wait_for_url("**/staff/")

    assert page.get_by_text("นำเข้าเรียบร้อย: เพิ่มใหม่ 3 คน").is_visible()
    page.goto("/staff/?q=วิไลวรรณ")
    main = page.locator("main")
    assert main.get_by_role("link", name="นางสาววิไลวรรณ ศรีสวัสดิ์").is_visible()
    assert main.get_by_text("ธนพล").count() == 0
    screenshot(page, f"staff-import-found-{label}")
    thanaphon = StaffMember.objects.get(first_name="ธนพล")
    assert thanaphon.unit.name == "กองคลัง" and thanaphon.level == Level.PRACTITIONER


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_a_file_with_a_mistake_shows_the_row_and_column_and_imports_nothing(
    page_factory, office, tmp_path, viewport, label
):
    page = page_factory(viewport)
    log_in(page, "hr_a", PASSWORD)
    template = download_template(page, tmp_path)
    rows = [*NEW_PEOPLE[:2], (*NEW_PEOPLE[2][:9], "ชำนาญงานพิเศษ", "31/02/2566")]

    upload(page, fill_template(template, tmp_path / "mistake.xlsx", rows))

    alert = page.get_by_role("alert")
    assert alert.get_by_role("heading", name="มีปัญหา 1 แถว").is_visible()
    assert alert.get_by_text("ระดับ", exact=True).is_visible()
    assert alert.get_by_text("วันที่บรรจุแต่งตั้ง", exact=True).is_visible()
    assert alert.get_by_role("link", name="4").first.is_visible()  # the row in Excel
    assert page.get_by_role("button", name="ยืนยันการนำเข้า").count() == 0
    assert no_sideways_scrolling(page, viewport)
    screenshot(page, f"staff-import-errors-{label}")
    assert not StaffMember.objects.exists()
