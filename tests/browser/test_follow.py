"""Following the year in a browser: the HR officer records who attended a project; the
staff member opens /me/ on a phone, sees the project and their hours, and reports an
external course with a PDF certificate, which waits for HR to confirm it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from plans.models import DevelopmentRecord
from portal.models import ChainPosition, Organization, Role
from portal.thai import current_fiscal_year, format_date_input
from staff.models import Unit
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.conftest import PASSWORD, make_user
from tests.plans.conftest import approve, make_project
from tests.staff.conftest import make_staff
from tests.upload_files import pdf_bytes

PDF = pdf_bytes()


def th(msgid: str) -> str:
    with translation.override("th"):
        return translation.gettext(msgid)


@pytest.fixture
def journey(transactional_db, media_root):
    from plans import services

    organization = Organization.objects.create(
        slug="plaipongpang-follow",
        name_th="องค์การบริหารส่วนตำบลปลายโพงพาง",
        short_name="อบต.ปลายโพงพาง",
        district="อัมพวา",
        province="สมุทรสงคราม",
    )
    finance = Unit.objects.create(organization=organization, name="กองคลัง", order=1)
    staff_user = make_user("kamonwan", organization, Role.STAFF, first_name="กมลวรรณ")
    hr = make_user("sudarat", organization, Role.HR, first_name="สุดารัตน์")
    clerk = make_user(
        "palad", organization, Role.EXECUTIVE, position=ChainPosition.CLERK, first_name="ปลัด"
    )
    executive = make_user(
        "nayok", organization, Role.EXECUTIVE, position=ChainPosition.MAYOR, first_name="นายก"
    )
    person = make_staff(organization, finance, "กมลวรรณ", "แก้วประเสริฐ", user=staff_user)
    make_staff(organization, finance, "อรุณี", "ตั้งใจ")
    fy = current_fiscal_year()
    plan = services.plan_create(
        organization=organization, first_fy=fy, title="แผนพัฒนาบุคลากร", manpower_plan=None
    )
    project = make_project(
        plan, "อบรมการใช้ระบบ e-LAAS", units=[finance], years={fy: (20000, [1, 2, 3, 4])}
    )
    approve(plan, hr, clerk, executive)
    return {"plan": plan, "project": project, "person": person, "fy": fy}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_hr_records_attendance_and_the_staff_member_sees_it_and_reports_a_course(
    journey, page_factory
):
    plan, project, fy = journey["plan"], journey["project"], journey["fy"]
    today = timezone.localdate()

    hr = page_factory()
    log_in(hr, "sudarat", PASSWORD)
    hr.goto(f"/plans/{plan.pk}/years/{fy}/results/")
    hr.get_by_role("link", name=th("Attendance")).first.click()
    expect(hr.get_by_role("heading", level=1)).to_contain_text(str(fy))
    hr.get_by_label("กมลวรรณ แก้วประเสริฐ", exact=False).check()
    hr.get_by_label(th("From")).fill(format_date_input(today))
    hr.get_by_label(th("To")).fill(format_date_input(today))
    hr.get_by_label(th("Hours per person")).fill("๖")
    screenshot(hr, "follow-1-attendance")
    hr.get_by_role("button", name=th("Save attendance")).click()
    hr.wait_for_url(f"**/plans/{plan.pk}/years/{fy}/results/")
    row = hr.locator(f"#project-{project.pk}")
    expect(row).to_contain_text("50.0")  # one of the two people of กองคลัง
    screenshot(hr, "follow-2-results")

    phone = page_factory(PHONE)
    log_in(phone, "kamonwan", PASSWORD)
    phone.goto("/me/")
    year = phone.locator(f"#fy-{fy}")
    expect(year).to_contain_text("อบรมการใช้ระบบ e-LAAS")
    expect(year.locator(".my-hours")).to_contain_text("6.0")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "follow-3-me-phone")

    phone.get_by_role("link", name=th("Report a course I attended")).click()
    phone.get_by_label(th("Course name")).fill("หลักสูตรความปลอดภัยไซเบอร์")
    phone.get_by_label(th("From")).fill(format_date_input(today - dt.timedelta(days=1)))
    phone.get_by_label(th("To")).fill(format_date_input(today - dt.timedelta(days=1)))
    phone.locator("#id_hours").fill("3")
    phone.get_by_label(th("Certificate")).set_input_files(
        {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    screenshot(phone, "follow-4-report-phone")
    phone.get_by_role("button", name=th("Send to HR")).click()
    phone.wait_for_url("**/me/")
    expect(phone.locator(f"#fy-{fy}")).to_contain_text("หลักสูตรความปลอดภัยไซเบอร์")
    expect(phone.locator(f"#fy-{fy}")).to_contain_text(th("Awaiting confirmation"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "follow-5-me-reported")

    record = DevelopmentRecord.objects.get(source="external")
    assert record.staff_member == journey["person"] and record.certificate
    assert record.confirmed_at is None
