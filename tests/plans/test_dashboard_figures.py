"""The figures of the role dashboards against numbers worked out by hand.

The organisation is the plans tests' (tests/plans/conftest.py): eight people in post —
six local officials (clerk, kamon, piya, dara, kaew, kasem), one mission employee
(boonmee), one general employee (chai) — and one who has left (sunthorn). Its plan of
FY 2567–2569 is approved with four projects:

- ethics (ETHICS): every local official (6); 2567 30,000 (Q1), 2568 30,000 (Q1)
- finance (SPECIFIC): กองคลัง (dara, kaew, kasem) + chai; 2567 45,500.50 (Q2, Q3),
  2569 20,000 (Q4)
- orientation (GENERAL): kamon; 2568 0 (Q1)
- dl (SPECIFIC, domain DL): kamon; 2567 5,000 (Q2)

Today is 15 May 2567 (FY 2567): the 6-month period ended on 31 March, the year ends on
30 September. The staff user is kamon.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from plans import follow
from plans.checks import plan_check
from plans.choices import Area
from plans.dashboard import (
    budget_spend,
    my_hours,
    plan_coverage,
    projects_without_attendance,
    report_status,
)
from plans.models import DevelopmentRecord
from portal.dashboard import figures_for
from portal.models import Membership
from skills.dashboard import domain_gaps, round_submission
from skills.models import AssessmentRound, Domain, Framework, PersonnelGroup, TargetLevel
from staff.dashboard import RecordGaps, record_gaps
from tests.plans.conftest import approve, make_project
from tests.skills.conftest import assessment_make

TODAY = dt.date(2024, 5, 15)
FY = 2567


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(timezone.make_aware(dt.datetime(2024, 5, 15, 10)), tick=False):
        yield


def dl() -> Domain:
    return Domain.objects.get(framework__code="ocsc-2561", code="DL")


@pytest.fixture
def plan_in_force(plan, projects, people, hr_user, clerk_user, executive_user):
    projects["dl"] = make_project(
        plan,
        "ทักษะดิจิทัลพื้นฐานสำหรับงานบุคคล",
        area=Area.SPECIFIC,
        people=[people["kamon"]],
        domains=[dl()],
        years={2567: (5000, [2])},
    )
    return approve(plan, hr_user, clerk_user, executive_user)


@pytest.fixture
def followed(plan_in_force, projects, people, staff_user, hr_user):
    """The year followed so far: kamon (the staff user) attended ethics (6 h) and
    reported two courses (3 h confirmed, 2 h not yet) and missed finance (4 h, absent);
    boonmee reported a course HR has not confirmed; ethics spent 12,000 and finance
    50,000 of FY 2567."""
    kamon = people["kamon"]
    kamon.user = staff_user
    kamon.save()
    day = dt.date(2024, 1, 10)
    follow.attendance_save(
        project=projects["ethics"],
        fiscal_year=FY,
        listed=[kamon],
        attended=[kamon],
        started_on=day,
        ended_on=day,
        hours=Decimal(6),
        result=DevelopmentRecord.Result.ATTENDED,
    )
    follow.attendance_save(
        project=projects["finance"],
        fiscal_year=FY,
        listed=[kamon],
        attended=[kamon],
        started_on=day,
        ended_on=day,
        hours=Decimal(4),
        result=DevelopmentRecord.Result.ABSENT,
    )
    course = {"course_name": "Excel", "started_on": day, "ended_on": day}
    confirmed = follow.record_report(person=kamon, values={**course, "hours": Decimal(3)})
    follow.record_confirm(record=confirmed, user=hr_user)
    follow.record_report(person=kamon, values={**course, "hours": Decimal(2)})
    follow.record_report(person=people["boonmee"], values={**course, "hours": Decimal(7)})
    follow.progress_save(
        project=projects["ethics"], fiscal_year=FY, values={"actual_spend": Decimal(12000)}
    )
    follow.progress_save(
        project=projects["finance"], fiscal_year=FY, values={"actual_spend": Decimal(50000)}
    )
    return plan_in_force


@pytest.fixture
def rounds(org_a, people):
    """Every target 2. A closed round (Jan–Feb 2567) four people submitted — DL gaps
    2, 2, 1, 1 (average 1.5), DT gaps 0, 0, 1, 1 (0.5), no other gap — and a round open
    1–25 May 2567 (closing in 10 days) two people submitted."""
    framework = Framework.objects.get(code="ocsc-2561")
    TargetLevel.objects.bulk_create(
        TargetLevel(organization=org_a, group=group, domain=domain, level=2)
        for group in PersonnelGroup.objects.filter(framework=framework)
        for domain in Domain.objects.filter(framework=framework)
    )
    closed = AssessmentRound.objects.create(
        organization=org_a,
        framework=framework,
        fiscal_year=FY,
        title="รอบที่ปิดแล้ว",
        opens_on=dt.date(2024, 1, 10),
        closes_on=dt.date(2024, 2, 10),
    )
    others = dict.fromkeys(
        Domain.objects.filter(framework=framework).values_list("code", flat=True), 3
    )
    for key, levels in (
        ("kamon", {"DL": 0}),
        ("piya", {"DL": 0}),
        ("dara", {"DL": 1, "DT": 1}),
        ("kaew", {"DL": 1, "DT": 1}),
    ):
        assessment_make(closed, people[key], {**others, **levels})
    opened = AssessmentRound.objects.create(
        organization=org_a,
        framework=framework,
        fiscal_year=FY,
        title="รอบที่เปิดอยู่",
        opens_on=dt.date(2024, 5, 1),
        closes_on=dt.date(2024, 5, 25),
    )
    for key in ("clerk", "chai"):
        assessment_make(opened, people[key], 3)
    return closed, opened


def figure(client_or_membership, key: str):
    found = {f.key: f for f in figures_for(client_or_membership)}
    return found[key]


def membership(user) -> Membership:
    return Membership.objects.select_related("organization").get(user=user)


# --- The numbers ------------------------------------------------------------------------


class TestCoverage:
    def test_reached_by_type_counts_target_groups_planned_this_year(
        self, org_a, followed, people, hr_user
    ):
        rows = {
            r.personnel_type: (r.reached, r.total)
            for r in plan_coverage(organization=org_a, plan=followed, fiscal_year=FY)
        }
        # boonmee is in no target group and his course is not confirmed yet.
        assert rows == {"official": (6, 6), "mission": (0, 1), "general": (1, 1)}

    def test_a_confirmed_course_counts_as_reached(self, org_a, followed, people, hr_user):
        record = DevelopmentRecord.objects.get(staff_member=people["boonmee"])
        follow.record_confirm(record=record, user=hr_user)
        rows = {
            r.personnel_type: (r.reached, r.total)
            for r in plan_coverage(organization=org_a, plan=followed, fiscal_year=FY)
        }
        assert rows["mission"] == (1, 1)

    def test_a_year_no_project_is_planned_in_reaches_nobody(self, org_a, followed):
        # FY 2569: only finance (กองคลัง + chai) is planned.
        rows = {
            r.personnel_type: (r.reached, r.total)
            for r in plan_coverage(organization=org_a, plan=followed, fiscal_year=2569)
        }
        assert rows == {"official": (3, 6), "mission": (0, 1), "general": (1, 1)}

    def test_the_figure_states_the_total_and_what_reached_means(self, executive_user, followed):
        found = figure(membership(executive_user), "coverage")
        assert found.headline == "แผนครอบคลุมบุคลากร 7 จาก 8 คน (ร้อยละ 88)"
        assert "กลุ่มเป้าหมาย" in found.note
        assert found.table.rows[-1] == ["รวม", "7", "8", "88%"]
        assert found.url == f"/plans/{followed.pk}/checks/"
        assert "<svg" in found.chart and "24/24" not in found.chart and "6/6 · 100%" in found.chart


class TestBudget:
    def test_planned_and_spent_by_year_and_area(self, followed):
        found = budget_spend(plan=followed)
        assert found.year(2567) == (Decimal("80500.50"), Decimal("62000"))
        assert found.year(2568) == (Decimal("30000"), Decimal("0"))
        assert found.year(2569) == (Decimal("20000"), Decimal("0"))
        assert found.areas(2567) == [
            (Area.SPECIFIC, str(Area.SPECIFIC.label), Decimal("50500.50"), Decimal("50000")),
            (Area.ETHICS, str(Area.ETHICS.label), Decimal("30000"), Decimal("12000")),
        ]

    def test_the_figure_gives_this_years_share_spent(self, executive_user, followed):
        found = figure(membership(executive_user), "budget")
        # 62,000 / 80,500 = 77 %
        assert found.headline == (
            "ปีงบประมาณ 2567 ใช้จริง 62,000 บาท จากที่ตั้งไว้ 80,500.50 บาท (ร้อยละ 77)"
        )
        assert ["ปี 2567", "รวม", "80,500.50", "62,000"] in found.table.rows
        assert found.url == f"/plans/{followed.pk}/years/2567/results/"
        assert found.chart.count("<svg") == 2


class TestReports:
    def test_the_six_month_period_has_ended_and_the_year_has_not(self, followed):
        progress, results = report_status(plan=followed, fiscal_year=FY, today=TODAY)
        assert (progress.kind, progress.ita_item, progress.ended) == ("progress", "o24", True)
        assert progress.period.end == dt.date(2024, 3, 31)
        assert (results.kind, results.ita_item, results.ended) == ("results", "o26", False)
        assert results.url == f"/plans/{followed.pk}/years/2567/results/"

    def test_the_figure_lists_both_with_their_ita_item(self, executive_user, followed):
        found = figure(membership(executive_user), "reports")
        assert found.headline == "ออกรายงานแล้ว 0 จาก 1 ฉบับที่ถึงกำหนด"
        assert [line.level for line in found.lines] == ["warn", "info"]
        assert "(ITA o24)" in found.lines[0].text and "31 มี.ค. 2567" in found.lines[0].text
        assert "รอออกรายงาน" in found.lines[0].text

    def test_an_issued_report_shows_its_latest_issue(self, executive_user, hr_user, followed):
        from plans.issued import year_report_issue

        with time_machine.travel(timezone.make_aware(dt.datetime(2024, 4, 2, 9)), tick=False):
            year_report_issue(plan=followed, fiscal_year=FY, first_half=True, user=hr_user)
        with time_machine.travel(timezone.make_aware(dt.datetime(2024, 4, 9, 9)), tick=False):
            year_report_issue(
                plan=followed, fiscal_year=FY, first_half=True, user=hr_user, reason="แก้ตัวเลข"
            )
        progress, results = report_status(plan=followed, fiscal_year=FY, today=TODAY)
        assert (progress.issued.number, results.issued) == (2, None)

        found = figure(membership(executive_user), "reports")
        assert found.headline == "ออกรายงานแล้ว 1 จาก 1 ฉบับที่ถึงกำหนด"
        assert [line.level for line in found.lines] == ["ok", "info"]
        assert "ออกฉบับที่ 2 เมื่อ 9 เม.ย. 2567" in found.lines[0].text


class TestFollowUp:
    def test_a_project_past_its_last_quarter_with_no_attendance_is_listed(self, followed, projects):
        # dl (Q2, ended 31 Mar) has nobody; ethics (Q1) has kamon; finance runs to Q3.
        overdue = projects_without_attendance(plan=followed, today=TODAY)
        assert [(p.project_id, p.ended_on) for p in overdue] == [
            (projects["dl"].pk, dt.date(2024, 3, 31))
        ]

    def test_hr_sees_what_needs_doing(self, hr_user, followed):
        found = figure(membership(hr_user), "follow-up")
        assert found.headline == ("โครงการที่ครบกำหนดแต่ยังไม่มีผู้เข้าร่วม 1 โครงการ หลักสูตรที่รอยืนยัน 2 รายการ")
        assert [line.url for line in found.lines] == [
            f"/plans/{followed.pk}/years/2567/projects/{followed.projects.get(name__startswith='ทักษะ').pk}/attendance/",
            "/plans/records/",
            f"/plans/{followed.pk}/checks/",
        ]

    def test_the_findings_load_after_the_page_then_come_from_the_cache(
        self, hr_user, hr_client, followed
    ):
        checks = f"/plans/{followed.pk}/checks/"
        line = figure(membership(hr_user), "follow-up").lines[-1]
        assert (line.load_url, line.level) == (f"{checks}?count=1", "info")
        page = hr_client.get("/").content.decode()
        assert f'hx-get="{checks}?count=1"' in page

        findings = plan_check(plan=followed).total
        assert findings > 0
        assert f"{findings}" in hr_client.get(f"{checks}?count=1").content.decode()

        line = figure(membership(hr_user), "follow-up").lines[-1]
        assert (line.text, line.load_url, line.level) == (
            f"การตรวจสอบแผนพบประเด็นที่ต้องแก้ไข {findings} ข้อ",
            "",
            "warn",
        )

    def test_executives_do_not_get_the_follow_up(self, executive_user, followed):
        keys = {f.key for f in figures_for(membership(executive_user))}
        assert keys == {"coverage", "budget", "reports", "round"}


class TestRound:
    def test_submission_counts_the_people_in_post(self, rounds):
        _closed, opened = rounds
        found = round_submission(opened)
        assert (found.submitted, found.expected, found.percent) == (2, 8, 25)

    def test_gaps_by_domain_largest_first(self, rounds):
        closed, _opened = rounds
        gaps = domain_gaps(closed)
        assert [(g.domain.code, str(g.average), g.with_gap, g.assessed) for g in gaps[:3]] == [
            ("DL", "1.5", 4, 4),
            ("DT", "0.5", 2, 4),
            (gaps[2].domain.code, "0.0", 0, 4),
        ]

    def test_the_figure_names_the_largest_gaps_of_the_last_closed_round(
        self, executive_user, rounds
    ):
        closed, _opened = rounds
        found = figure(membership(executive_user), "round")
        assert found.headline.startswith("รอบที่เปิดอยู่: ส่งแล้ว 2 จาก 8 คน (ร้อยละ 25)")
        assert found.note.startswith("ด้านที่มีช่องว่างมากที่สุดในรอบที่ปิดแล้ว: ")
        assert "(1.5)" in found.note and "(0.5)" in found.note and "(0.0)" not in found.note
        assert found.url == f"/skills/rounds/{closed.pk}/results/"
        assert found.table.rows[0][1:] == ["1.5", "4", "4"]

    def test_hr_sees_the_round_closing_soon_and_who_has_not_answered(self, hr_user, rounds):
        found = figure(membership(hr_user), "closing")
        (line,) = found.lines
        # Six of the eight in post have not submitted; the first five in Thai order.
        assert "ยังไม่ส่ง 6 คน" in line.text
        assert "กมล ศรีสุข" in line.text and line.text.endswith("…")
        assert line.url == f"/skills/rounds/{rounds[1].pk}/"


class TestStaff:
    def test_my_hours_count_attended_and_confirmed_courses(self, followed, people):
        found = my_hours(person=people["kamon"], fiscal_year=FY)
        # ethics 6 + confirmed course 3; the absent 4 h never count; 2 h wait.
        assert (found.hours, found.awaiting, found.target) == (Decimal(9), Decimal(2), 20)

    def test_the_figure_against_the_organisations_target(self, staff_user, followed, org_a):
        found = figure(membership(staff_user), "my-hours")
        assert found.headline == "9 จาก 20 ชั่วโมง ยังขาดอีก 11 ชั่วโมง"
        assert "อีก 2 ชั่วโมงรอฝ่ายบุคคลยืนยัน" in found.note
        assert "เป้าหมาย 20 ชั่วโมง" in found.chart
        org_a.development_hours_target = 8
        org_a.save()
        found = figure(membership(staff_user), "my-hours")
        assert found.headline == "9 ชั่วโมง ถึงเป้าหมาย 8 ชั่วโมงแล้ว"

    def test_my_gaps_name_the_planned_project_that_closes_them(self, staff_user, followed, rounds):
        found = figure(membership(staff_user), "my-gaps")
        assert found.headline == "มี 1 ด้านที่ต่ำกว่าเป้าหมายของคุณในรอบที่ปิดแล้ว"
        (line,) = found.lines
        assert "ช่องว่าง 2 ระดับ" in line.text
        assert "ทักษะดิจิทัลพื้นฐานสำหรับงานบุคคล" in line.text

    def test_my_round_to_answer(self, staff_user, followed, rounds):
        found = figure(membership(staff_user), "my-round")
        (line,) = found.lines
        assert line.text == "รอบที่เปิดอยู่: ยังไม่ได้เริ่ม เปิดถึงวันที่ 25 พ.ค. 2567"
        assert line.url == f"/skills/rounds/{rounds[1].pk}/assess/"

    def test_a_login_with_no_staff_record_is_told_why(self, staff_user, org_a):
        keys = {f.key: f for f in figures_for(membership(staff_user))}
        assert list(keys) == ["my-hours"]
        assert "ยังไม่ได้เชื่อมกับข้อมูลบุคลากร" in keys["my-hours"].empty


class TestRecordQuality:
    def test_people_in_post_without_position_or_login(self, org_a, followed):
        # Nobody is linked to a position; only kamon has a login.
        assert record_gaps(org_a) == RecordGaps(in_post=8, no_position=8, no_login=7)

    def test_the_figure_links_to_the_lists_that_fix_them(self, hr_user, followed):
        found = figure(membership(hr_user), "data-quality")
        assert [line.url for line in found.lines] == [
            "/staff/?missing=position",
            "/staff/accounts/?state=none",
        ]


# --- An empty organisation -------------------------------------------------------------


def test_an_empty_organisation_gets_an_empty_state_for_every_figure(outsider_client):
    figures = outsider_client.get("/").context["figures"]
    assert [f.key for f in figures] == [
        "follow-up",
        "coverage",
        "budget",
        "reports",
        "round",
        "data-quality",
    ]
    assert all(f.empty for f in figures)
    page = outsider_client.get("/").content.decode()
    assert "ยังไม่มีบุคลากรที่ปฏิบัติงานอยู่ในระบบ" in page


# --- On the page -------------------------------------------------------------------------


def test_the_home_page_draws_each_figure_with_its_table_and_link(executive_client, followed):
    page = executive_client.get("/").content.decode()
    for key in ("coverage", "budget", "reports"):
        assert f'id="figure-{key}"' in page
    assert page.count('<details class="figure-table">') == 2
    assert "<caption>บุคลากรที่แผนครอบคลุม จำแนกตามประเภทบุคลากร</caption>" in page
    assert f'href="/plans/{followed.pk}/checks/"' in page
    assert "style=" not in page


def test_the_staff_list_filters_people_not_linked_to_a_position(hr_client, people, units):
    from staff.models import Position

    position = Position.objects.create(
        organization=people["kamon"].organization,
        number="01-0101",
        title="นักทรัพยากรบุคคล",
        unit=units["personnel"],
    )
    people["kamon"].position = position
    people["kamon"].save()
    page = hr_client.get("/staff/?missing=position").content.decode()
    assert "สมชาย" in page and "กมล" not in page


@pytest.mark.parametrize("role", ["hr", "executive", "staff"])
def test_every_figure_links_to_a_page_its_reader_may_open(role, request, followed, rounds):
    user = request.getfixturevalue(f"{role}_user")
    client = request.getfixturevalue(f"{role}_client")
    links = {figure.url for figure in figures_for(membership(user))}
    links |= {line.url for figure in figures_for(membership(user)) for line in figure.lines}
    assert links
    for url in sorted(links):
        assert client.get(url).status_code == 200, url
