"""The role dashboards on the demo organisation (``manage.py seed_demo``) as of 15 June
2565, the middle of the year the demo follows (FY 2565): each figure against the
demo's own numbers, and against the pages that explain it (the figure and its page
must agree)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from plans.follow import year_summary
from plans.services import current_plan
from portal.dashboard import figures_for
from portal.models import Membership, Organization
from skills.demo import SUBMITTED_SHARE
from skills.models import AssessmentRound
from skills.services import round_progress, round_results
from staff.models import StaffMember

AS_OF = dt.datetime(2022, 6, 15, 10, 0)


@pytest.fixture
def demo(db) -> Organization:
    call_command("seed_demo")
    with time_machine.travel(timezone.make_aware(AS_OF), tick=False):
        yield Organization.objects.get(slug="plaipongpang")


def figures(username: str) -> dict:
    membership = Membership.objects.select_related("organization").get(user__username=username)
    return {figure.key: figure for figure in figures_for(membership)}


def test_coverage_of_the_demo_year(demo):
    coverage = figures("mayor")["coverage"]
    in_post = StaffMember.objects.filter(organization=demo, is_active=True).count()
    assert in_post == 42
    # Everyone but two general contract employees is in a target group of FY 2565.
    assert coverage.headline == "แผนครอบคลุมบุคลากร 40 จาก 42 คน (ร้อยละ 95)"
    assert ["พนักงานจ้างทั่วไป", "1", "3", "33%"] in coverage.table.rows


def test_budget_and_spend_agree_with_the_annual_results_report(demo):
    budget = figures("mayor")["budget"]
    plan = current_plan(demo)
    report = year_summary(plan=plan, fiscal_year=2565, first_half=False)
    assert (report.total.budget, report.total.spend) == (Decimal("491000"), Decimal("275600"))
    assert budget.headline == ("ปีงบประมาณ 2565 ใช้จริง 275,600 บาท จากที่ตั้งไว้ 491,000 บาท (ร้อยละ 56)")
    by_area = {(row[0], row[1]): row[2:] for row in budget.table.rows}
    for area in report.areas:
        assert by_area[("ปี 2565", area.label)] == [f"{area.budget:,.0f}", f"{area.spend:,.0f}"]


def test_the_reports_of_the_demo_year(demo):
    reports = figures("mayor")["reports"]
    # FY 2565 takes the ITA codes of before 2566: O26 for 6 months, O28 for the year.
    # The 6-month report was issued on 5 Apr 2565; the annual one (7 Oct) is yet to come.
    assert [line.level for line in reports.lines] == ["ok", "info"]
    assert "(ITA O26)" in reports.lines[0].text and "(ITA O28)" in reports.lines[1].text
    assert "ออกฉบับที่ 1 เมื่อ 5 เม.ย. 2565" in reports.lines[0].text


def test_the_round_agrees_with_its_progress_and_results_pages(demo):
    figure = figures("mayor")["round"]
    the_round = AssessmentRound.objects.get(organization=demo, closes_on=dt.date(2022, 1, 31))
    progress = round_progress(the_round)
    assert (progress.submitted, progress.total) == (round(42 * SUBMITTED_SHARE), 42)
    assert figure.headline.endswith(": ส่งแล้ว 34 จาก 42 คน (ร้อยละ 81)")
    results = round_results(the_round)
    averages = sorted(
        (
            (cell.average, domain.code)
            for domain in results.domains
            if (cell := results.by_domain.get(domain.pk))
        ),
        key=lambda pair: -pair[0],
    )
    assert [row[1] for row in figure.table.rows] == [f"{a:.1f}" for a, _code in averages]
    assert averages[0] == (Decimal("1.2"), "DG")
    assert figure.url == f"/skills/rounds/{the_round.pk}/results/"


def test_hr_and_staff_dashboards_of_the_demo(demo):
    hr = figures("hr")
    assert list(hr) == ["follow-up", "coverage", "budget", "reports", "round", "data-quality"]
    assert "หลักสูตรที่รอยืนยัน 1 รายการ" in hr["follow-up"].headline
    staff = figures("staff")
    assert list(staff) == ["my-hours", "my-round", "my-gaps"]
    # The demo staff member: 48 hours recorded and confirmed in FY 2565, 18 reported.
    assert staff["my-hours"].headline == "48 ชั่วโมง ถึงเป้าหมาย 20 ชั่วโมงแล้ว"
    assert "อีก 18 ชั่วโมงรอฝ่ายบุคคลยืนยัน" in staff["my-hours"].note


def test_the_demo_home_page_answers_for_every_role(demo, client):
    for username, password in (
        ("mayor", "plaipongpang-mayor"),
        ("hr", "plaipongpang-hr"),
        ("staff", "plaipongpang-staff"),
    ):
        assert client.login(username=username, password=password)
        page = client.get("/").content.decode()
        assert 'class="card figure"' in page and "style=" not in page
        client.logout()
