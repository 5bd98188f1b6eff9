"""Following the year: the ITA summaries (first six months and full year), attendance
recorded for a whole project, project progress, reported courses and their
certificates, HR's confirmation, and who may open what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import follow
from plans.models import DevelopmentRecord, ProjectProgress
from tests.plans.conftest import form_data
from tests.staff.conftest import make_staff
from tests.upload_files import image_bytes, pdf_bytes

FY = 2567
PDF = pdf_bytes()
PNG = image_bytes("PNG")


def url(name: str, *args) -> str:
    return reverse(f"plans:{name}", args=args)


def attend(person, project, started_on, *, hours="6", result="attended", fy=FY):
    return DevelopmentRecord.objects.create(
        staff_member=person,
        project=project,
        source="project",
        fiscal_year=fy,
        started_on=started_on,
        ended_on=started_on,
        hours=Decimal(hours),
        result=result,
    )


@pytest.fixture
def followed(approved_plan, projects, people):
    """FY 2567 of the approved plan, followed by hand:

    - ethics (every active local official: 6 people, budget 30,000): สมชาย started on
      31 มี.ค. 2567 (first half), กมล on 1 เม.ย. 2567 (second half), ดารา on 1 พ.ย. 2566,
      ปิยะ absent; done, spent 32,000 (over budget)
    - finance (กองคลัง + ชัยวัฒน์: 4 people, budget 45,500.50): แก้ว and ชัยวัฒน์, 12 hours
      each on 1 ก.พ. 2567; in progress, spent 20,000
    """
    ethics, finance = projects["ethics"], projects["finance"]
    attend(people["clerk"], ethics, dt.date(2024, 3, 31))
    attend(people["kamon"], ethics, dt.date(2024, 4, 1))
    attend(people["dara"], ethics, dt.date(2023, 11, 1))
    attend(people["piya"], ethics, dt.date(2024, 1, 10), result="absent")
    attend(people["kaew"], finance, dt.date(2024, 2, 1), hours="12")
    attend(people["chai"], finance, dt.date(2024, 2, 1), hours="12")
    ProjectProgress.objects.create(
        project=ethics,
        fiscal_year=FY,
        status="done",
        actual_spend=Decimal("32000"),
        issues="วิทยากรเลื่อนวัน",
    )
    ProjectProgress.objects.create(
        project=finance, fiscal_year=FY, status="in_progress", actual_spend=Decimal("20000")
    )
    return approved_plan


# --- The summaries ------------------------------------------------------------------


def test_full_year_counts_everyone_who_attended_and_not_the_absent(followed, projects):
    summary = follow.year_summary(plan=followed, fiscal_year=FY, first_half=False)
    ethics = next(r for r in summary.rows if r.project == projects["ethics"])
    assert (ethics.target, ethics.attended, ethics.percent) == (6, 3, Decimal("50.0"))
    assert ethics.hours_per_person == Decimal("6.0")
    assert (ethics.budget, ethics.spend, ethics.balance) == (
        Decimal("30000"),
        Decimal("32000"),
        Decimal("-2000"),
    )
    assert ethics.status == "done"
    assert ethics.status_label == str(ProjectProgress.Status.DONE.label)
    assert ethics.issues == "วิทยากรเลื่อนวัน"


def test_first_half_takes_31_march_and_leaves_out_1_april(followed, projects):
    summary = follow.year_summary(plan=followed, fiscal_year=FY, first_half=True)
    ethics = next(r for r in summary.rows if r.project == projects["ethics"])
    # สมชาย (31 มี.ค.) and ดารา count; กมล (1 เม.ย.) does not.
    assert (ethics.attended, ethics.percent) == (2, Decimal("33.3"))
    assert summary.period == (dt.date(2023, 10, 1), dt.date(2024, 3, 31))
    assert summary.first_half is True


def test_rows_come_by_area_with_subtotals_and_a_total(followed, projects):
    summary = follow.year_summary(plan=followed, fiscal_year=FY, first_half=False)
    # Orientation is not planned in 2567; specific comes before ethics in the area list.
    assert [r.project for r in summary.rows] == [projects["finance"], projects["ethics"]]
    assert [a.area for a in summary.areas] == ["specific", "ethics"]
    finance = summary.areas[0]
    assert (finance.target, finance.attended, finance.percent) == (4, 2, Decimal("50.0"))
    assert (finance.budget, finance.spend) == (Decimal("45500.50"), Decimal("20000"))
    assert finance.hours_per_person == Decimal("12.0")
    total = summary.total
    assert (total.target, total.attended, total.percent) == (10, 5, Decimal("50.0"))
    assert (total.budget, total.spend) == (Decimal("75500.50"), Decimal("52000"))
    assert total.hours_per_person == Decimal("8.4")  # 42 hours / 5 attendances


def test_a_project_without_progress_is_not_started_and_has_spent_nothing(approved_plan, projects):
    summary = follow.year_summary(plan=approved_plan, fiscal_year=2568, first_half=False)
    orientation = next(r for r in summary.rows if r.project == projects["orientation"])
    assert orientation.status == "not_started"
    assert (orientation.target, orientation.attended, orientation.spend) == (1, 0, 0)
    assert orientation.percent is not None and orientation.hours_per_person is None


def test_a_project_with_an_empty_target_group_has_no_percentage():
    assert follow.Tally(target=0, attended=2).percent is None


# --- The report pages ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["progress", "results"])
def test_hr_and_executives_read_the_reports(name, followed, hr_client, executive_client):
    for client in (hr_client, executive_client):
        response = client.get(url(name, followed.pk, FY))
        assert response.status_code == 200
        assert "อบรมคุณธรรมจริยธรรม" in response.content.decode()
    page = hr_client.get(url("results", followed.pk, FY)).content.decode()
    assert "75,500.50" in page and "52,000.00" in page
    assert "ห้าหมื่นสองพันบาทถ้วน" in page  # the spend in words


@pytest.mark.parametrize("name", ["progress", "results"])
def test_reports_answer_404_to_outsiders_and_403_to_staff(
    name, followed, outsider_client, staff_client
):
    assert outsider_client.get(url(name, followed.pk, FY)).status_code == 404
    assert staff_client.get(url(name, followed.pk, FY)).status_code == 403


def test_a_year_outside_the_plan_is_404(followed, hr_client):
    assert hr_client.get(url("results", followed.pk, 2570)).status_code == 404


@pytest.mark.parametrize("name", ["progress", "results"])
def test_report_queries_do_not_grow_with_staff_and_projects(
    name, approved_plan, org_a, units, hr_client, django_db_blocker
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert hr_client.get(url(name, approved_plan.pk, FY)).status_code == 200
        return len(queries)

    def grow(staff: int, projects: int) -> None:
        people = [make_staff(org_a, units["finance"], f"คน{i}", "ทดสอบ") for i in range(staff)]
        # Projects go into the plan directly: the plan is approved and locked.
        from plans.models import Project, ProjectYear

        for i in range(projects):
            project = Project.objects.create(
                plan=approved_plan, name=f"โครงการ {i}", area="general", order=100 + i
            )
            project.target_people.set(people[:3])
            ProjectYear.objects.create(
                project=project, fiscal_year=FY, planned=True, budget=Decimal("1000")
            )
            attend(people[0], project, dt.date(2024, 1, 5))
            ProjectProgress.objects.create(project=project, fiscal_year=FY, status="done")

    grow(10, 5)
    # The first request of a process loads the group rules into its memory
    # (skills/services/questionnaire.py); the count that matters is every later one.
    count()
    few = count()
    grow(190, 45)
    assert count() == few


# --- Attendance -----------------------------------------------------------------------


def test_attendance_lists_the_target_group_with_those_recorded_ticked(
    followed, projects, people, hr_client
):
    action = url("attendance", followed.pk, FY, projects["ethics"].pk)
    data = form_data(hr_client.get(action).content, action)
    ticked = {int(pk) for pk in data["attended"]}
    # สมชาย, กมล, ดารา attended; ปิยะ is recorded too (as absent), so ticked.
    assert ticked == {people[k].pk for k in ("clerk", "kamon", "dara", "piya")}
    assert data["hours"] == ["6.0"]


def test_ticking_adds_records_and_unticking_removes_them(followed, projects, people, hr_client):
    ethics = projects["ethics"]
    action = url("attendance", followed.pk, FY, ethics.pk)
    response = hr_client.post(
        action,
        {
            "attended": [people["clerk"].pk, people["kaew"].pk],
            "started_on": "๑๐/๐๕/๒๕๖๗",
            "ended_on": "11/05/2567",
            "hours": "๑๒",
            "result": "passed",
        },
    )
    assert response.status_code == 302
    records = DevelopmentRecord.objects.filter(project=ethics, fiscal_year=FY)
    assert {r.staff_member_id for r in records} == {people["clerk"].pk, people["kaew"].pk}
    assert {(r.started_on, r.ended_on, r.hours, r.result) for r in records} == {
        (dt.date(2024, 5, 10), dt.date(2024, 5, 11), Decimal("12"), "passed")
    }
    assert all(r.area == "ethics" and r.source == "project" for r in records)


def test_attendance_refuses_someone_outside_the_list(followed, projects, people, hr_client, org_b):
    from staff.models import Unit

    stranger = make_staff(
        org_b, Unit.objects.create(organization=org_b, name="กองคลัง"), "คนนอก", "อื่น"
    )
    action = url("attendance", followed.pk, FY, projects["finance"].pk)
    response = hr_client.post(
        action,
        {
            "attended": [stranger.pk, people["boonmee"].pk],  # neither is in the group
            "started_on": "01/02/2567",
            "ended_on": "01/02/2567",
            "hours": "6",
            "result": "attended",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attended"]
    assert DevelopmentRecord.objects.filter(project=projects["finance"]).count() == 2


def test_attendance_dates_must_be_in_order_and_in_the_year(followed, projects, hr_client):
    action = url("attendance", followed.pk, FY, projects["finance"].pk)
    base = {"attended": [], "hours": "6", "result": "attended"}
    backwards = hr_client.post(
        action, {**base, "started_on": "05/02/2567", "ended_on": "01/02/2567"}
    )
    other_year = hr_client.post(
        action, {**base, "started_on": "05/10/2567", "ended_on": "06/10/2567"}
    )
    assert backwards.context["form"].errors["ended_on"]
    assert other_year.context["form"].errors["started_on"]
    assert DevelopmentRecord.objects.filter(project=projects["finance"]).count() == 2


def test_attendance_is_for_hr_only_and_post_saves(
    followed, projects, executive_client, staff_client, outsider_client, hr_client
):
    action = url("attendance", followed.pk, FY, projects["finance"].pk)
    assert executive_client.post(action, {}).status_code == 403
    assert staff_client.get(action).status_code == 403
    assert outsider_client.post(action, {}).status_code == 404
    assert hr_client.put(action).status_code == 405
    # A project not planned in the year has no attendance page.
    assert (
        hr_client.get(url("attendance", followed.pk, FY, projects["orientation"].pk)).status_code
        == 404
    )


# --- Progress -------------------------------------------------------------------------


def test_hr_saves_progress_with_thai_digits_and_commas(followed, projects, hr_client):
    finance = projects["finance"]
    response = hr_client.post(
        url("project_progress", followed.pk, FY, finance.pk),
        {
            "status": "done",
            "actual_spend": "๔๐,๕๐๐.๒๕",
            "result": "ผ่านตัวชี้วัด",
            "issues": "",
            "suggestions": "จัดต่อปีหน้า",
        },
    )
    assert response.status_code == 302
    progress = ProjectProgress.objects.get(project=finance, fiscal_year=FY)
    assert (progress.status, progress.actual_spend, progress.suggestions) == (
        "done",
        Decimal("40500.25"),
        "จัดต่อปีหน้า",
    )


def test_progress_with_a_bad_amount_shows_the_error_and_saves_nothing(
    followed, projects, hr_client
):
    response = hr_client.post(
        url("project_progress", followed.pk, FY, projects["finance"].pk),
        {"status": "done", "actual_spend": "สองหมื่น"},
    )
    assert response.status_code == 200 and response.context["form"].errors["actual_spend"]
    assert ProjectProgress.objects.get(project=projects["finance"], fiscal_year=FY).status == (
        "in_progress"
    )


def test_progress_is_for_hr_only(
    followed, projects, executive_client, staff_client, outsider_client, hr_client
):
    action = url("project_progress", followed.pk, FY, projects["finance"].pk)
    assert executive_client.post(action, {"status": "done"}).status_code == 403
    assert staff_client.get(action).status_code == 403
    assert outsider_client.post(action, {"status": "done"}).status_code == 404
    assert hr_client.delete(action).status_code == 405
    assert ProjectProgress.objects.get(project=projects["finance"], fiscal_year=FY).status == (
        "in_progress"
    )


# --- Demo data ------------------------------------------------------------------------


def test_the_demo_follows_fy_2565_partially_and_the_same_when_seeded_twice(db):
    from plans.models import DevelopmentPlan
    from portal.demo import demo_seed

    def state(organization):
        records = sorted(
            map(
                str,
                DevelopmentRecord.objects.filter(
                    staff_member__organization=organization
                ).values_list("staff_member__first_name", "project__name", "course_name", "hours"),
            )
        )
        progress = sorted(
            ProjectProgress.objects.filter(project__plan__organization=organization).values_list(
                "project__name", "status", "actual_spend"
            )
        )
        return records, progress

    organization = demo_seed()
    first = state(organization)
    assert state(demo_seed()) == first
    plan = DevelopmentPlan.objects.get(organization=organization, first_fy=2564, revision=0)
    summary = follow.year_summary(plan=plan, fiscal_year=2565, first_half=False)
    statuses = {row.status for row in summary.rows}
    assert statuses == {"done", "in_progress", "not_started", "cancelled"}
    assert 0 < summary.total.attended < summary.total.target
    assert any(row.spend > row.budget for row in summary.rows)
    assert any(0 < row.spend < row.budget for row in summary.rows)
    half = follow.year_summary(plan=plan, fiscal_year=2565, first_half=True)
    assert 0 < half.total.attended < summary.total.attended
    reported = DevelopmentRecord.objects.filter(
        staff_member__user__username="staff", source="external"
    )
    assert sorted(r.is_confirmed for r in reported) == [False, True]
