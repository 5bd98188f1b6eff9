"""The history of plans: the plan's texts and workflow, its projects, their budgets
(years) and progress, attendance and reported courses — including a project import —
keep who, when and the values before and after; the plan's history page shows them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from plans import follow, services
from plans.models import DevelopmentPlan, DevelopmentRecord, Project, ProjectProgress, ProjectYear
from portal.history import IMPORT_REASON, history_context
from tests.plans.conftest import approve, make_project
from tests.plans.test_import_export import confirm, upload, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def test_a_plan_edit_records_the_texts_before_and_after(plan, hr_user):
    with history_context(reason="test", user=hr_user):
        services.plan_update(plan=plan, changes={"vision": "ใหม่"}, expected_version=plan.version)
    latest, before = plan.history.all()[:2]
    assert (latest.history_type, latest.history_user) == ("~", hr_user)
    assert (before.vision, latest.vision) == (plan.vision, "ใหม่")


def test_each_workflow_step_is_recorded_with_who_moved_it(
    plan, projects, hr_user, clerk_user, executive_user
):
    approve(plan, hr_user, clerk_user, executive_user)
    statuses = list(plan.history.values_list("status", flat=True))
    assert statuses[:3] == ["approved", "proposed", "submitted"]
    assert plan.history.first().approved_by_id == executive_user.pk


def test_a_project_change_and_its_budget_are_recorded(plan, units, hr_user):
    project = make_project(plan, "อบรมคุณธรรม", years={2567: (1000, [1])})
    services.project_save(
        plan=plan,
        project=project,
        fields={"name": "อบรมคุณธรรมจริยธรรม"},
        relations={},
        years={2567: {"planned": True, "budget": Decimal("2500"), "quarters": [1]}},
        expected_version=project.version,
    )
    names = list(project.history.values_list("history_type", "name"))
    assert names == [("~", "อบรมคุณธรรมจริยธรรม"), ("+", "อบรมคุณธรรม")]
    year = ProjectYear.objects.get(project=project, fiscal_year=2567)
    assert [h.budget for h in year.history.all()] == [Decimal("2500"), Decimal("1000")]


def test_a_removed_project_stays_in_the_plan_history(hr_client, plan):
    project = make_project(plan, "โครงการที่ถูกลบ")
    services.project_delete(project=project)
    page = hr_client.get(reverse("plans:history", args=[plan.pk])).content.decode()
    assert "โครงการที่ถูกลบ" in page
    assert "ลบ" in page


def test_a_project_import_records_its_rows_by_the_importer_naming_the_file(
    hr_client, hr_user, plan
):
    # The columns a file needs (the plan's years left out: their budgets stay empty).
    headers = ["โครงการ/หลักสูตร", "ด้าน", "วิธีการ"]
    data = xlsx(
        [
            ["อบรมคุณธรรม", "ด้านคุณธรรมและจริยธรรม", "การฝึกอบรม"],
            ["ศึกษาดูงาน", "ด้านการบริหาร", "การฝึกอบรม"],
        ],
        headers,
    )
    assert upload(hr_client, plan, data).status_code == 200
    assert not Project.history.exists()  # the preview is rolled back, history too
    assert confirm(hr_client, plan).status_code == 302

    created = Project.history.filter(history_type="+")
    assert sorted(created.values_list("name", flat=True)) == ["ศึกษาดูงาน", "อบรมคุณธรรม"]
    assert set(created.values_list("history_user", flat=True)) == {hr_user.pk}
    assert set(created.values_list("history_change_reason", flat=True)) == {
        f"{IMPORT_REASON}projects.xlsx"
    }
    years = ProjectYear.history.filter(project_id__in=created.values("id"))
    assert years.count() == 2 * len(plan.fiscal_years)
    assert set(years.values_list("history_organization_id", flat=True)) == {plan.organization_id}


def test_attendance_saved_in_bulk_records_added_and_changed_records(projects, people, hr_user):
    project = projects["ethics"]
    attended = [people["kamon"], people["clerk"]]

    def save(hours: str) -> None:
        follow.attendance_save(
            project=project,
            fiscal_year=2567,
            listed=attended,
            attended=attended,
            started_on=dt.date(2024, 1, 10),
            ended_on=dt.date(2024, 1, 11),
            hours=Decimal(hours),
            result=DevelopmentRecord.Result.PASSED,
        )

    with history_context(reason="", user=hr_user):
        save("12")
        save("14")
    history = DevelopmentRecord.history.filter(project_id=project.pk)
    assert history.filter(history_type="+").count() == 2
    changed = history.filter(history_type="~")
    assert sorted(changed.values_list("hours", flat=True)) == [Decimal("14"), Decimal("14")]
    assert set(history.values_list("history_user", flat=True)) == {hr_user.pk}


def test_progress_and_a_confirmed_course_are_recorded(projects, people, hr_user):
    follow.progress_save(
        project=projects["ethics"],
        fiscal_year=2567,
        values={"status": ProjectProgress.Status.DONE, "actual_spend": Decimal("100")},
    )
    assert ProjectProgress.history.get().status == "done"
    record = follow.record_report(
        person=people["kamon"],
        values={
            "course_name": "หลักสูตรออนไลน์",
            "started_on": dt.date(2024, 2, 1),
            "ended_on": dt.date(2024, 2, 1),
            "hours": Decimal("3"),
        },
    )
    assert follow.record_confirm(record=record, user=hr_user)
    latest, before = record.history.all()[:2]
    assert (before.confirmed_by_id, latest.confirmed_by_id) == (None, hr_user.pk)


def test_the_plan_page_links_to_its_history(hr_client, plan):
    page = hr_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("plans:history", args=[plan.pk]) in page


def test_staff_cannot_read_a_plan_history_and_an_outsider_does_not_find_it(
    staff_client, outsider_client, executive_client, plan
):
    url = reverse("plans:history", args=[plan.pk])
    assert executive_client.get(url).status_code == 200
    assert staff_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404


def test_a_revision_records_its_copied_budgets(approved_plan):
    copy = services.plan_revise(plan=approved_plan)
    copied = ProjectYear.history.filter(project__plan=copy)
    assert copied.count() == ProjectYear.objects.filter(project__plan=copy).count() > 0
    assert DevelopmentPlan.history.filter(id=copy.pk, history_type="+").exists()


def _history_queries(client, plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("plans:history", args=[plan.pk])).status_code == 200
    return len(queries)


def test_the_plan_history_costs_the_same_queries_for_10_or_100_changes(hr_client, plan):
    for n in range(2):  # each project: its own row and a row per fiscal year of the plan
        make_project(plan, f"โครงการ {n}")
    few = _history_queries(hr_client, plan)
    for n in range(2, 50):
        make_project(plan, f"โครงการ {n}")
    # With few changes the page also shows the plan's own creation (one more kind and
    # relation to name); with many, a page of projects and budgets only.
    assert _history_queries(hr_client, plan) <= few
