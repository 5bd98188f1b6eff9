"""The HR officer, on the demo organisation, opens the checks of the draft revision of
the plan, sees what it misses, and turns two of the drafted suggestions into projects."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from plans.models import DevelopmentPlan
from portal.demo import DEMO_LOGINS
from tests.browser.conftest import DESKTOP, log_in, screenshot

HR = next(login for login in DEMO_LOGINS if login.role == "hr")


@pytest.fixture
def draft_plan(transactional_db) -> DevelopmentPlan:
    call_command("seed_demo")
    return DevelopmentPlan.objects.get(organization__slug="plaipongpang", status="draft")


def test_hr_opens_the_checks_and_accepts_two_suggestions(page_factory, draft_plan):
    page = page_factory(DESKTOP)
    log_in(page, HR.username, HR.password)

    page.goto(f"/plans/{draft_plan.pk}/")
    # The plan page fetches its count of open findings after it has shown.
    findings = page.locator("#findings")
    findings.get_by_text("ข้อที่ยังต้องแก้ไข").first.wait_for()
    page.goto(f"/plans/{draft_plan.pk}/checks/")
    body = page.locator("main")
    # The demo leaves digital governance (DG) unaddressed and two people uncovered in 2565.
    assert body.get_by_text("นางบุญเรือน พึ่งบุญ").first.is_visible()
    assert body.get_by_text("ด้านการกำกับดูแล มาตรฐาน และการปฏิบัติตามกฎหมายดิจิทัล").first.is_visible()
    screenshot(page, "checks-1-findings-desktop")

    page.goto(f"/plans/{draft_plan.pk}/suggest/")
    projects_before = draft_plan.projects.count()
    for _ in range(2):
        page.get_by_role("button", name="รับเข้าแผน", exact=True).first.click()
        page.wait_for_load_state()
    screenshot(page, "checks-2-accepted-desktop")

    assert draft_plan.projects.count() == projects_before + 2
    added = draft_plan.projects.order_by("-pk")[:2]
    assert all(project.is_digital and project.domains.exists() for project in added)
