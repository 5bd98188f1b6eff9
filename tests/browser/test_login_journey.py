import pytest
from django.core.management import call_command

from portal.demo import DEMO_LOGINS
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

HR = next(login for login in DEMO_LOGINS if login.role == "hr")


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo")


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_demo_hr_officer_logs_in_and_sees_the_thai_dashboard(page_factory, demo, viewport, label):
    page = page_factory(viewport)
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "th"
    screenshot(page, f"login-{label}")

    log_in(page, HR.username, HR.password)

    assert page.get_by_role("heading", name="ยินดีต้อนรับ").is_visible()
    main = page.locator("main")
    assert main.get_by_text("องค์การบริหารส่วนตำบลปลายโพงพาง").first.is_visible()
    assert main.get_by_text("เจ้าหน้าที่ทรัพยากรบุคคล").first.is_visible()
    # Nothing is wider than the screen (no sideways scrolling on a phone).
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= viewport["width"]
    screenshot(page, f"dashboard-{label}")


def test_on_a_phone_the_menu_opens_and_logs_out(page_factory, demo):
    page = page_factory(PHONE)
    log_in(page, HR.username, HR.password)
    logout = page.get_by_role("button", name="ออกจากระบบ")
    assert not logout.is_visible()
    page.get_by_role("button", name="เมนู").click()
    logout.click()
    page.wait_for_url("**/accounts/login/**")
