"""Two HR officers open the same staff record in two browsers. The first saves a new
phone number; the second, who typed another one, is told in Thai that someone else
saved meanwhile, sees their value under the field, and nothing of theirs is saved."""

from __future__ import annotations

import pytest
from django.utils import translation

from portal.models import Organization, Role
from staff.models import StaffMember, Unit
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PASSWORD, make_user
from tests.staff.conftest import make_staff


def th(msgid: str) -> str:
    with translation.override("th"):
        return translation.gettext(msgid)


@pytest.fixture
def record(transactional_db, django_db_serialized_rollback) -> StaffMember:
    organization = Organization.objects.create(
        slug="bangkrachao-staff",
        name_th="องค์การบริหารส่วนตำบลบางกระเจ้า",
        short_name="อบต.บางกระเจ้า",
        district="พระประแดง",
        province="สมุทรปราการ",
    )
    office = Unit.objects.create(organization=organization, name="สำนักปลัด", order=1)
    make_user("somchai_hr", organization, Role.HR, first_name="สมชาย", last_name="ใจดี")
    make_user("somsri_hr", organization, Role.HR, first_name="สมศรี", last_name="มีสุข")
    return make_staff(organization, office, "กมลวรรณ", "แก้วประเสริฐ", phone="021234567")


def test_the_second_save_on_a_staff_record_shows_the_conflict_in_thai(page_factory, record):
    first, second = page_factory(), page_factory()
    log_in(first, "somchai_hr", PASSWORD)
    log_in(second, "somsri_hr", PASSWORD)
    url = f"/staff/{record.pk}/edit/"
    first.goto(url)
    second.goto(url)
    phone = th("phone")

    first.get_by_label(phone, exact=True).fill("0811111111")
    first.get_by_role("button", name=th("Save"), exact=True).click()
    first.wait_for_url(f"**/staff/{record.pk}/")

    second.get_by_label(phone, exact=True).fill("0822222222")
    second.get_by_role("button", name=th("Save"), exact=True).click()

    alert = second.get_by_role("alert").filter(
        has_text=th("Someone else saved this record while you were editing it.")
    )
    alert.wait_for()
    conflict = second.locator(".has-conflict .theirs")
    assert th("Saved meanwhile by someone else:") in conflict.inner_text()
    assert "0811111111" in conflict.inner_text()
    assert second.get_by_label(phone, exact=True).input_value() == "0822222222"
    screenshot(second, "staff-edit-conflict")
    record.refresh_from_db()
    assert record.phone == "0811111111"

    # Saving again is now a knowing choice: it keeps the second officer's number.
    second.get_by_role("button", name=th("Save"), exact=True).click()
    second.wait_for_url(f"**/staff/{record.pk}/")
    record.refresh_from_db()
    assert record.phone == "0822222222"
