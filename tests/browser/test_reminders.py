"""The HR officer reminds everyone who has not answered the round: those with an e-mail
address get one mail each, the others are on a printable list with their account state
and a text to paste into LINE; pressing the button again the same day mails nobody
twice. Then the same on a phone."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from portal.models import Organization, Role
from skills.models import Framework, Reminder
from staff.models import Unit
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.conftest import PASSWORD, make_user
from tests.skills.conftest import assessment_make, frameworks_ensure, round_make
from tests.staff.conftest import make_staff


@pytest.fixture
def journey(transactional_db, settings):
    # The live server's thread sends through the same in-memory outbox as the test.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    frameworks_ensure()
    organization = Organization.objects.create(
        slug="plaipongpang-remind",
        name_th="องค์การบริหารส่วนตำบลปลายโพงพาง",
        short_name="อบต.ปลายโพงพาง",
        district="อัมพวา",
        province="สมุทรสงคราม",
    )
    office = Unit.objects.create(organization=organization, name="สำนักปลัด", order=1)
    make_user("sudarat", organization, Role.HR, first_name="สุดารัตน์", last_name="ใจดี")
    the_round = round_make(
        organization,
        Framework.objects.get(code="ocsc-2561"),
        opens_in_days=-5,
        closes_in_days=7,
        title="ประเมินทักษะดิจิทัล รอบทดสอบ",
    )
    done = make_staff(organization, office, "กานดา", "ส่งแล้ว", email="kanda@example.go.th")
    assessment_make(the_round, done)
    make_staff(organization, office, "ขจร", "มีอีเมล", email="khajon@example.go.th")
    make_staff(organization, office, "คำปุ่น", "มีอีเมล", email="khampun@example.go.th")
    make_staff(organization, office, "งามตา", "ไม่มีอีเมล")
    mail.outbox = []
    return the_round


def test_hr_reminds_those_who_have_not_answered_once_a_day(page_factory, journey):
    page = page_factory()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, "sudarat", PASSWORD)
    page.goto(f"/skills/rounds/{journey.pk}/")
    waiting = page.locator("#waiting")
    expect(waiting.get_by_text("ทางรายชื่อ (ไม่มีอีเมล)")).to_have_count(1)
    expect(waiting.get_by_text("ทางอีเมล")).to_have_count(2)
    screenshot(page, "reminders-round-page")

    page.get_by_role("button", name="เตือนทุกคนที่ยังไม่ส่ง").click()
    page.wait_for_url("**/reminders/?on=*")
    expect(page.locator(".messages")).to_contain_text("ทางอีเมล 2 คน")
    hand = page.locator("#reminder-list")
    expect(hand).to_contain_text("นายงามตา ไม่มีอีเมล")
    expect(hand).to_contain_text("ยังไม่มีบัญชี")
    text = page.locator("#reminder-text")
    assert "นายงามตา ไม่มีอีเมล" in text.input_value()
    assert "/skills/me/" in text.input_value()
    page.get_by_role("button", name="คัดลอกข้อความ").click()
    expect(page.get_by_role("button", name="คัดลอกแล้ว")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == text.input_value()
    expect(page.locator("#reminder-mails")).to_contain_text("khampun@example.go.th")
    screenshot(page, "reminders-list")

    assert sorted(m.to[0] for m in mail.outbox) == [
        "khajon@example.go.th",
        "khampun@example.go.th",
    ]
    assert all("ประเมินทักษะดิจิทัล รอบทดสอบ" in m.subject for m in mail.outbox)

    # The same button again, the same day: nobody gets a second mail.
    page.get_by_role("link", name="ประเมินทักษะดิจิทัล รอบทดสอบ").first.click()
    page.get_by_role("button", name="เตือนทุกคนที่ยังไม่ส่ง").click()
    page.wait_for_url("**/reminders/?on=*")
    expect(page.locator(".messages")).to_contain_text("เตือนไปแล้ววันนี้ 3 คน")
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(round=journey).count() == 3

    # The round page records who was reminded, when and how.
    page.goto(f"/skills/rounds/{journey.pk}/#reminders")
    log = page.locator("#reminders")
    expect(log).to_contain_text("สุดารัตน์ ใจดี")
    expect(log.locator("tbody tr")).to_have_count(2)  # e-mail and list, today


def test_hr_ticks_one_person_on_a_phone(page_factory, journey):
    page = page_factory(PHONE)
    log_in(page, "sudarat", PASSWORD)
    page.goto(f"/skills/rounds/{journey.pk}/")
    page.get_by_label("เตือน นายขจร มีอีเมล").check()
    screenshot(page, "reminders-round-page-phone")
    page.get_by_role("button", name="เตือนคนที่ติ๊กเลือก").click()
    page.wait_for_url("**/reminders/?on=*")
    assert [m.to for m in mail.outbox] == [["khajon@example.go.th"]]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "reminders-list-phone")
