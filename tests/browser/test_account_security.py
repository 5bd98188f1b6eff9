"""In a real browser: the Thai lockout page after too many wrong passwords, and
"log out on all my devices" from the password page."""

import pytest
from django.conf import settings

from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def somchai(transactional_db, org_a):
    return make_user("somchai", org_a, "staff")


def test_too_many_wrong_passwords_show_when_to_try_again_on_a_phone(page_factory, somchai):
    page = page_factory(PHONE)
    page.goto("/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("ชื่อผู้ใช้").fill("somchai")
        page.get_by_label("รหัสผ่าน").fill("wrong-password")
        with page.expect_navigation():
            page.get_by_role("button", name="เข้าสู่ระบบ").click()

    assert page.get_by_role("heading", name="ใส่รหัสผิดหลายครั้งเกินไป").is_visible()
    assert page.get_by_text("โปรดลองใหม่หลังเวลา").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "login-locked-phone")

    page.get_by_role("link", name="กลับไปหน้าเข้าสู่ระบบ").click()
    page.get_by_label("ชื่อผู้ใช้").fill("somchai")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
    assert page.get_by_role("heading", name="ใส่รหัสผิดหลายครั้งเกินไป").is_visible()


def test_logging_out_on_all_devices_ends_the_other_browser_too(page_factory, somchai):
    computer = page_factory(DESKTOP)
    phone = page_factory(PHONE)
    log_in(computer, "somchai", PASSWORD)
    log_in(phone, "somchai", PASSWORD)

    computer.goto("/accounts/password_change/")
    screenshot(computer, "password-change-devices")
    computer.get_by_role("button", name="ออกจากระบบในทุกอุปกรณ์").click()
    computer.wait_for_url("**/accounts/login/**")
    assert computer.get_by_text("ออกจากระบบในทุกอุปกรณ์ของคุณแล้ว").is_visible()

    phone.goto("/")
    assert "/accounts/login/" in phone.url
