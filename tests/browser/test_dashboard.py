"""The executive opens the home page of the demo organisation as of 15 June 2565 (the
middle of the demo plan's followed year) and reads its dashboard on a desktop and on a
375 px phone; the HR officer sees the same and what needs doing. The pictures are kept
in docs/ for the README."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from portal.demo import DEMO_LOGINS
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, log_in, screenshot

MAYOR = next(login for login in DEMO_LOGINS if login.username == "mayor")
HR = next(login for login in DEMO_LOGINS if login.role == "hr")
DOCS = Path(__file__).resolve().parents[2] / "docs"
AS_OF = dt.datetime(2022, 6, 15, 10, 0)


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo")
    with time_machine.travel(timezone.make_aware(AS_OF), tick=False):
        yield


def keep(page, name: str) -> None:
    screenshot(page, name)
    shutil.copy(ARTIFACTS / f"{name}.png", DOCS / f"{name}.png")


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_the_executive_reads_the_dashboard_on_a_desktop_and_a_phone(page_factory, demo):
    for viewport, name in ((DESKTOP, "dashboard-executive"), (PHONE, "dashboard-executive-phone")):
        page = page_factory(viewport)
        log_in(page, MAYOR.username, MAYOR.password)
        main = page.locator("main")
        coverage = main.locator("#figure-coverage")
        assert "ความครอบคลุมของแผน ปีงบประมาณ 2565" in coverage.locator("h3").inner_text()
        assert "40 จาก 42 คน" in coverage.locator(".headline").inner_text()
        assert coverage.locator("svg[role=img]").is_visible()
        budget = main.locator("#figure-budget")
        assert "275,600" in budget.locator(".headline").inner_text()
        reports = main.locator("#figure-reports")
        assert "O26" in reports.inner_text() and "O28" in reports.inner_text()
        round_figure = main.locator("#figure-round")
        assert round_figure.locator("svg").is_visible()
        if viewport is PHONE:
            no_sideways_scroll(page)
        keep(page, name)
        # The numbers are a table a screen reader reaches (folded for sighted readers).
        budget.locator("summary").click()
        assert budget.locator("table").get_by_text("183,400").is_visible()
        # Each figure links to the page that explains it.
        href = coverage.locator(".figure-link a").get_attribute("href")
        assert href.endswith("/checks/")
        if viewport is PHONE:
            no_sideways_scroll(page)
    page.goto(href)
    assert page.url.endswith("/checks/")


def test_hr_sees_what_needs_doing_and_the_quality_of_the_records(page_factory, demo):
    page = page_factory(DESKTOP)
    log_in(page, HR.username, HR.password)
    main = page.locator("main")
    follow_up = main.locator("#figure-follow-up")
    assert "ไม่มีการบันทึกผู้เข้าร่วม" in follow_up.inner_text()
    assert main.locator("#figure-data-quality").is_visible()
    keep(page, "dashboard-hr")


def test_a_staff_member_reads_their_year_on_a_phone(page_factory, demo):
    staff = next(login for login in DEMO_LOGINS if login.role == "staff")
    page = page_factory(PHONE)
    log_in(page, staff.username, staff.password)
    hours = page.locator("#figure-my-hours")
    assert "48 ชั่วโมง ถึงเป้าหมาย 20 ชั่วโมงแล้ว" in hours.locator(".headline").inner_text()
    assert hours.locator("svg[role=img]").is_visible()
    assert page.locator("#figure-my-gaps .empty-state").is_visible()
    no_sideways_scroll(page)
    keep(page, "dashboard-staff-phone")
