"""The plans pages: who may open which, creating and editing a plan, projects added,
edited in place (htmx) and removed, the annual plan, what changed between revisions,
two people editing the same thing, and query counts that do not grow with the plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import services
from plans.choices import Area, Method
from plans.models import DevelopmentPlan, Project
from portal.models import Role
from staff.choices import PersonnelType
from tests.conftest import make_user
from tests.plans.conftest import form_data, make_project
from tests.staff.conftest import make_staff

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, *args) -> str:
    return reverse(f"plans:{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def project_post(**overrides) -> dict:
    data = {
        "name": "อบรมการเขียนหนังสือราชการ",
        "area": Area.GENERAL,
        "methods": [Method.TRAINING],
        "provider": "in_house",
        "fy2567_planned": "on",
        "fy2567_budget": "๑๒,๕๐๐.๕๐",
        "fy2567_quarters": ["2"],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Who may open what ------------------------------------------------------------

READ_PAGES = ["list", "detail", "annual", "changes"]
EDIT_PAGES = ["create", "edit", "project_create", "project_edit"]


def page_url(name: str, plan: DevelopmentPlan, project: Project) -> str:
    return {
        "list": url("list"),
        "create": url("create"),
        "detail": url("detail", plan.pk),
        "annual": url("annual", plan.pk, 2568),
        "changes": url("changes", plan.pk),
        "edit": url("edit", plan.pk),
        "project_create": url("project_create", plan.pk),
        "project_edit": url("project_edit", plan.pk, project.pk),
    }[name]


class TestAccess:
    @pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
    def test_the_hr_officer_opens_every_page(self, hr_client, plan, projects, page):
        assert hr_client.get(page_url(page, plan, projects["ethics"])).status_code == 200

    @pytest.mark.parametrize("page", READ_PAGES)
    def test_the_executive_reads_the_plan(self, executive_client, plan, projects, page):
        assert executive_client.get(page_url(page, plan, projects["ethics"])).status_code == 200

    @pytest.mark.parametrize("page", EDIT_PAGES)
    def test_the_executive_does_not_edit(self, executive_client, plan, projects, page):
        assert executive_client.get(page_url(page, plan, projects["ethics"])).status_code == 403

    @pytest.mark.parametrize("page", READ_PAGES + EDIT_PAGES)
    def test_staff_members_have_no_plan_pages(self, staff_client, plan, projects, page):
        assert staff_client.get(page_url(page, plan, projects["ethics"])).status_code == 403

    @pytest.mark.parametrize("page", ["detail", "annual", "changes", "edit", "project_create"])
    def test_another_organizations_plan_does_not_exist(self, outsider_client, plan, projects, page):
        assert outsider_client.get(page_url(page, plan, projects["ethics"])).status_code == 404

    def test_an_outsider_does_not_see_the_plan_in_their_list(self, outsider_client, plan):
        response = outsider_client.get(url("list"))
        assert plan.title not in response.content.decode()

    def test_anonymous_visitors_are_sent_to_log_in(self, client, plan):
        response = client.get(url("detail", plan.pk))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_a_project_of_another_plan_is_not_found(self, hr_client, plan, projects, org_a):
        other = services.plan_create(
            organization=org_a, first_fy=2570, title="แผนถัดไป", manpower_plan=None
        )
        response = hr_client.get(url("project_edit", other.pk, projects["ethics"].pk))
        assert response.status_code == 404

    def test_the_menu_offers_the_plans_to_hr_and_executives_only(
        self, hr_client, executive_client, staff_client
    ):
        assert url("list") in hr_client.get("/").content.decode()
        assert url("list") in executive_client.get("/").content.decode()
        assert url("list") not in staff_client.get("/").content.decode()


# --- The list and a new plan -------------------------------------------------------


class TestPlanList:
    def test_plans_are_listed_by_period_with_status_and_budget(
        self, hr_client, plan, projects, org_a
    ):
        services.plan_create(organization=org_a, first_fy=2564, title="แผนเก่า", manpower_plan=None)
        page = hr_client.get(url("list")).content.decode()
        assert page.index("2567–2569") < page.index("2564–2566")
        assert "125,500.50" in page
        assert "ร่าง" in page

    def test_the_list_costs_the_same_queries_for_few_and_many_plans(self, hr_client, org_a):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert hr_client.get(url("list")).status_code == 200
            return len(queries)

        services.plan_create(organization=org_a, first_fy=2558, title="แผน", manpower_plan=None)
        few = count()
        for first_fy in range(2561, 2600, 3):
            services.plan_create(
                organization=org_a, first_fy=first_fy, title="แผน", manpower_plan=None
            )
        assert count() == few


class TestPlanCreate:
    def test_the_form_suggests_the_period_of_the_manpower_plan(self, hr_client, manpower_plan):
        form = hr_client.get(url("create")).context["form"]
        assert form.initial["first_fy"] == 2567
        assert form.initial["manpower_plan"] == manpower_plan

    def test_the_hr_officer_creates_a_plan_with_the_default_texts(
        self, hr_client, org_a, manpower_plan
    ):
        response = hr_client.post(
            url("create"), {"first_fy": "2567", "title": "", "manpower_plan": manpower_plan.pk}
        )
        plan = DevelopmentPlan.objects.get(organization=org_a)
        assert response.status_code == 302
        assert response["Location"] == url("detail", plan.pk)
        assert plan.title == "แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. 2567–2569"
        assert plan.status == DevelopmentPlan.Status.DRAFT
        assert plan.manpower_plan == manpower_plan
        assert org_a.name_th in plan.principles
        assert all([plan.objectives, plan.targets, plan.guidelines, plan.monitoring])

    def test_a_manpower_plan_of_another_period_is_refused_clearly(
        self, hr_client, org_a, old_manpower_plan
    ):
        response = hr_client.post(
            url("create"), {"first_fy": "2567", "manpower_plan": old_manpower_plan.pk}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "2564–2566" in page and "2567–2569" in page
        assert "ระยะเวลาเดียวกัน" in page
        assert not DevelopmentPlan.objects.exists()

    def test_a_year_that_is_not_buddhist_era_is_refused(self, hr_client):
        response = hr_client.post(url("create"), {"first_fy": "2024"})
        assert response.context["form"].errors["first_fy"]
        assert not DevelopmentPlan.objects.exists()

    def test_the_executive_cannot_create_a_plan(self, executive_client, manpower_plan):
        response = executive_client.post(url("create"), {"first_fy": "2567"})
        assert response.status_code == 403
        assert not DevelopmentPlan.objects.exists()


# --- The plan page -----------------------------------------------------------------


class TestPlanPage:
    def test_projects_appear_under_their_area_with_headcount_and_budgets(
        self, hr_client, plan, projects
    ):
        response = hr_client.get(url("detail", plan.pk))
        page = response.content.decode()
        areas = {group["area"]: group for group in response.context["areas"]}
        assert [p.name for p in areas[Area.ETHICS]["projects"]] == [projects["ethics"].name]
        headcounts = {p.name: p.headcount for g in areas.values() for p in g["projects"]}
        assert headcounts == {
            projects["ethics"].name: 6,
            projects["finance"].name: 4,
            projects["orientation"].name: 1,
        }
        assert "45,500.50" in page
        assert "หนึ่งแสนสองหมื่นห้าพันห้าร้อยบาทห้าสิบสตางค์" in page
        for fy in (2567, 2568, 2569):
            assert url("annual", plan.pk, fy) in page

    def test_hr_sees_the_edit_buttons_and_the_executive_does_not(
        self, hr_client, executive_client, plan, projects
    ):
        edit = url("project_edit", plan.pk, projects["ethics"].pk)
        assert edit in hr_client.get(url("detail", plan.pk)).content.decode()
        assert edit not in executive_client.get(url("detail", plan.pk)).content.decode()

    def test_a_manpower_plan_of_another_period_is_flagged(self, hr_client, plan, old_manpower_plan):
        DevelopmentPlan.objects.filter(pk=plan.pk).update(manpower_plan=old_manpower_plan)
        page = hr_client.get(url("detail", plan.pk)).content.decode()
        assert "ระยะเวลาไม่ตรงกัน" in page

    def test_the_plan_page_costs_the_same_queries_for_5_and_50_projects(
        self, hr_client, plan, units, people, org_a
    ):
        def add(count: int) -> None:
            for n in range(count):
                make_project(
                    plan,
                    f"โครงการ {Project.objects.count()}",
                    area=list(Area.values)[n % 5],
                    units=[units["finance"]],
                    people=[people["chai"]],
                    years={2567: (1000, [1]), 2569: (500, [2, 3])},
                    target_personnel_types=[PersonnelType.LOCAL_OFFICIAL],
                )

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert hr_client.get(url("detail", plan.pk)).status_code == 200
            return len(queries)

        add(5)
        count()  # the first visit sets up the organisation's skill group rules
        few = count()
        add(45)
        for n in range(40):
            make_staff(org_a, units["finance"], f"บุคลากร{n}")
        assert count() == few

    def test_the_annual_plan_costs_the_same_queries_for_5_and_50_projects(
        self, executive_client, plan, units, people, org_a
    ):
        def add(count: int) -> None:
            for n in range(count):
                make_project(
                    plan,
                    f"โครงการ {Project.objects.count()}",
                    area=list(Area.values)[n % 5],
                    units=[units["office"]],
                    years={2568: (2500, [1, 4])},
                    responsible_unit=units["personnel"],
                )

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert executive_client.get(url("annual", plan.pk, 2568)).status_code == 200
            return len(queries)

        add(5)
        count()  # the first visit sets up the organisation's skill group rules
        few = count()
        add(45)
        for n in range(40):
            make_staff(org_a, units["personnel"], f"บุคลากร{n}")
        assert count() == few


# --- The annual plan ---------------------------------------------------------------


class TestAnnualPlan:
    def test_only_the_projects_planned_that_year_are_shown_with_totals(
        self, hr_client, plan, projects
    ):
        response = hr_client.get(url("annual", plan.pk, 2567))
        shown = [p.name for group in response.context["areas"] for p in group["projects"]]
        assert sorted(shown) == sorted([projects["ethics"].name, projects["finance"].name])
        assert response.context["total"] == Decimal("75500.50")
        page = response.content.decode()
        assert "เจ็ดหมื่นห้าพันห้าร้อยบาทห้าสิบสตางค์" in page
        # 6 officials in ethics; finance adds ชัยวัฒน์: 7 different people of 8.
        assert response.context["reached"] == 7
        assert response.context["staff_total"] == 8

    def test_totals_per_area(self, hr_client, plan, projects):
        response = hr_client.get(url("annual", plan.pk, 2567))
        budgets = {group["area"]: group["budget"] for group in response.context["areas"]}
        assert budgets == {Area.SPECIFIC: Decimal("45500.50"), Area.ETHICS: Decimal("30000")}

    def test_the_schedule_shows_the_quarters_with_their_months(self, hr_client, plan, projects):
        page = hr_client.get(url("annual", plan.pk, 2567)).content.decode()
        assert "ต.ค.–ธ.ค.<br>2566" in page
        assert "ก.ค.–ก.ย.<br>2567" in page

    def test_a_year_outside_the_plan_is_not_found(self, hr_client, plan):
        assert hr_client.get(url("annual", plan.pk, 2570)).status_code == 404
        assert hr_client.get(url("annual", plan.pk, 2566)).status_code == 404


# --- Editing the plan's texts -------------------------------------------------------


class TestPlanEdit:
    def test_the_hr_officer_edits_the_texts(self, hr_client, plan):
        edit = url("edit", plan.pk)
        data = form_data(hr_client.get(edit).content, edit)
        data["targets"] = ["เป้าหมายใหม่\r\nบรรทัดที่สอง"]
        response = hr_client.post(edit, data)
        assert response.status_code == 302
        plan.refresh_from_db()
        assert plan.targets == "เป้าหมายใหม่\nบรรทัดที่สอง"
        assert plan.version == 2
        assert plan.manpower_plan is not None  # kept as it was

    def test_an_empty_title_is_refused_and_nothing_saved(self, hr_client, plan):
        edit = url("edit", plan.pk)
        data = form_data(hr_client.get(edit).content, edit)
        data["title"] = [""]
        data["targets"] = ["ไม่ควรถูกบันทึก"]
        response = hr_client.post(edit, data)
        assert response.status_code == 200
        assert response.context["form"].errors["title"]
        plan.refresh_from_db()
        assert plan.targets != "ไม่ควรถูกบันทึก"

    def test_the_second_of_two_people_editing_is_refused_and_sees_the_first_ones_text(
        self, hr_client, hr_user, org_a, plan
    ):
        second = Client()
        second.force_login(make_user("hr_a2", org_a, Role.HR))
        edit = url("edit", plan.pk)
        first_data = form_data(hr_client.get(edit).content, edit)
        second_data = form_data(second.get(edit).content, edit)

        first_data["objectives"] = ["วัตถุประสงค์ของคนแรก"]
        assert hr_client.post(edit, first_data).status_code == 302

        second_data["objectives"] = ["วัตถุประสงค์ของคนที่สอง"]
        second_data["monitoring"] = ["การติดตามของคนที่สอง"]
        refused = second.post(edit, second_data)

        assert refused.status_code == 200
        page = refused.content.decode()
        assert "มีผู้อื่นบันทึกแผนนี้ระหว่างที่คุณกำลังแก้ไข" in page
        assert "วัตถุประสงค์ของคนแรก" in page  # their version, beside ours
        assert "วัตถุประสงค์ของคนที่สอง" in page  # our input is kept
        conflicts = [c.field.name for c in refused.context["form"].conflicts]
        assert conflicts == ["objectives"]  # the first person changed only this
        plan.refresh_from_db()
        assert plan.objectives == "วัตถุประสงค์ของคนแรก"
        assert plan.monitoring != "การติดตามของคนที่สอง"

        # Having seen their version, the second person may save on purpose.
        again = form_data(page, edit)
        assert second.post(edit, again).status_code == 302
        plan.refresh_from_db()
        assert plan.objectives == "วัตถุประสงค์ของคนที่สอง"

    def test_an_approved_plan_cannot_be_edited_even_by_a_direct_post(
        self, hr_client, approved_plan
    ):
        edit = url("edit", approved_plan.pk)
        assert hr_client.get(edit)["Location"] == url("detail", approved_plan.pk)
        response = hr_client.post(
            edit,
            {"version": approved_plan.version, "title": "ชื่อใหม่", "targets": "x"},
            follow=True,
        )
        assert "ถูกล็อก" in " ".join(messages_of(response))
        approved_plan.refresh_from_db()
        assert approved_plan.title != "ชื่อใหม่"

    def test_the_executive_and_outsiders_cannot_post(self, executive_client, outsider_client, plan):
        data = {"version": plan.version, "title": "ชื่อใหม่"}
        assert executive_client.post(url("edit", plan.pk), data).status_code == 403
        assert outsider_client.post(url("edit", plan.pk), data).status_code == 404
        plan.refresh_from_db()
        assert plan.title != "ชื่อใหม่"


# --- Projects -------------------------------------------------------------------------


class TestProjectCreate:
    def test_the_hr_officer_adds_a_project(self, hr_client, plan, units, people):
        response = hr_client.post(
            url("project_create", plan.pk),
            project_post(
                target_units=[units["finance"].pk],
                target_people=[people["kamon"].pk],
                fy2569_planned="on",
                fy2569_budget="3000",
                fy2569_quarters=["3", "4"],
                is_digital="on",
            ),
        )
        project = plan.projects.get()
        assert response["Location"] == url("detail", plan.pk) + f"#project-{project.pk}"
        assert project.is_digital
        assert list(project.target_units.all()) == [units["finance"]]
        years = {y.fiscal_year: (y.planned, y.budget, y.quarters) for y in project.years.all()}
        assert years == {
            2567: (True, Decimal("12500.50"), [2]),
            2568: (False, Decimal("0"), []),
            2569: (True, Decimal("3000"), [3, 4]),
        }

    def test_invalid_input_shows_errors_and_saves_nothing(self, hr_client, plan):
        response = hr_client.post(
            url("project_create", plan.pk),
            project_post(methods=None, fy2567_budget="-10", fy2568_budget="500"),
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert {"methods", "fy2567_budget", "fy2568_planned"} <= set(errors)
        assert "โปรดเลือกวิธีการพัฒนาอย่างน้อยหนึ่งวิธี" in response.content.decode()
        assert not plan.projects.exists()

    def test_counting_the_target_group_saves_nothing(self, hr_client, plan, units, people):
        response = hr_client.post(
            url("project_create", plan.pk),
            project_post(target_units=[units["office"].pk], _count="1"),
        )
        assert response.status_code == 200
        assert len(response.context["members"]) == 4
        assert not plan.projects.exists()

    def test_the_live_count_answers_with_a_fragment(self, hr_client, plan, units, people):
        response = hr_client.post(
            url("project_create", plan.pk),
            project_post(target_units=[units["finance"].pk], _count="1"),
            **HTMX,
        )
        page = response.content.decode()
        assert "<html" not in page
        assert 'id="headcount-new"' in page
        assert len(response.context["members"]) == 3

    def test_the_area_of_the_add_link_is_chosen(self, hr_client, plan):
        form = hr_client.get(url("project_create", plan.pk) + "?area=ethics").context["form"]
        assert form["area"].value() == Area.ETHICS

    def test_a_locked_plan_refuses_new_projects(self, hr_client, approved_plan):
        response = hr_client.post(url("project_create", approved_plan.pk), project_post())
        assert response["Location"] == url("detail", approved_plan.pk)
        assert approved_plan.projects.count() == 3

    def test_the_executive_and_outsiders_cannot_add(self, executive_client, outsider_client, plan):
        assert (
            executive_client.post(url("project_create", plan.pk), project_post()).status_code == 403
        )
        assert (
            outsider_client.post(url("project_create", plan.pk), project_post()).status_code == 404
        )
        assert not plan.projects.exists()


class TestProjectEdit:
    def test_the_edit_form_opens_in_place_for_htmx(self, hr_client, plan, projects):
        project = projects["finance"]
        response = hr_client.get(url("project_edit", plan.pk, project.pk), **HTMX)
        page = response.content.decode()
        assert "<html" not in page
        assert f'id="project-{project.pk}"' in page
        assert f'hx-post="{url("project_edit", plan.pk, project.pk)}"' in page
        assert len(response.context["members"]) == 4

    def test_without_javascript_the_edit_form_is_a_page(self, hr_client, plan, projects):
        page = hr_client.get(url("project_edit", plan.pk, projects["finance"].pk)).content
        assert b"<html" in page
        assert b"hx-post=" not in page.split(b"<form")[-1].split(b">")[0]

    def test_saving_in_place_returns_the_row_and_the_new_budget_table(
        self, hr_client, plan, projects
    ):
        project = projects["ethics"]
        edit = url("project_edit", plan.pk, project.pk)
        data = form_data(hr_client.get(edit, **HTMX).content, edit)
        data["name"] = ["อบรมคุณธรรมจริยธรรม (ปรับปรุง)"]
        data["fy2567_budget"] = ["40,000"]
        response = hr_client.post(edit, data, **HTMX)
        page = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in page
        assert "อบรมคุณธรรมจริยธรรม (ปรับปรุง)" in page
        assert "บันทึกแล้ว" in page
        assert 'id="budget-table" hx-swap-oob="true"' in page
        assert "85,500.50" in page  # 2567: 40,000 + 45,500.50
        assert "HX-Refresh" not in response.headers
        project.refresh_from_db()
        assert project.name == "อบรมคุณธรรมจริยธรรม (ปรับปรุง)"
        assert project.years.get(fiscal_year=2567).budget == Decimal("40000")

    def test_moving_a_project_to_another_area_reloads_the_page(self, hr_client, plan, projects):
        project = projects["ethics"]
        edit = url("project_edit", plan.pk, project.pk)
        data = form_data(hr_client.get(edit, **HTMX).content, edit)
        data["area"] = [Area.PERSONAL]
        response = hr_client.post(edit, data, **HTMX)
        assert response.headers["HX-Refresh"] == "true"

    def test_saving_without_javascript_goes_back_to_the_plan(self, hr_client, plan, projects):
        project = projects["orientation"]
        edit = url("project_edit", plan.pk, project.pk)
        data = form_data(hr_client.get(edit).content, edit)
        data["methods"] = [Method.ORIENTATION, Method.COACHING]
        response = hr_client.post(edit, data)
        assert response["Location"] == url("detail", plan.pk) + f"#project-{project.pk}"
        project.refresh_from_db()
        assert project.methods == [Method.ORIENTATION, Method.COACHING]

    def test_invalid_input_shows_errors_and_saves_nothing(self, hr_client, plan, projects):
        project = projects["orientation"]
        edit = url("project_edit", plan.pk, project.pk)
        data = form_data(hr_client.get(edit, **HTMX).content, edit)
        data["name"] = [""]
        response = hr_client.post(edit, data, **HTMX)
        assert response.context["form"].errors["name"]
        project.refresh_from_db()
        assert project.name == "ปฐมนิเทศบุคลากรใหม่"

    def test_the_second_of_two_people_editing_a_project_is_refused(
        self, hr_client, org_a, plan, projects
    ):
        second = Client()
        second.force_login(make_user("hr_a2", org_a, Role.HR))
        project = projects["finance"]
        edit = url("project_edit", plan.pk, project.pk)
        first_data = form_data(hr_client.get(edit, **HTMX).content, edit)
        second_data = form_data(second.get(edit, **HTMX).content, edit)

        first_data["fy2567_budget"] = ["50,000"]
        assert hr_client.post(edit, first_data, **HTMX).status_code == 200

        second_data["name"] = ["ชื่อของคนที่สอง"]
        second_data["fy2567_budget"] = ["60,000"]
        refused = second.post(edit, second_data, **HTMX)

        page = refused.content.decode()
        assert "มีผู้อื่นบันทึกโครงการนี้ระหว่างที่คุณกำลังแก้ไข" in page
        assert [c.field.name for c in refused.context["form"].conflicts] == ["fy2567_budget"]
        assert "50,000.00 บาท" in page  # their budget, beside ours
        project.refresh_from_db()
        assert project.name == "การใช้ระบบ e-LAAS สำหรับงานการเงินการคลัง"
        assert project.years.get(fiscal_year=2567).budget == Decimal("50000")

    def test_a_locked_plan_refuses_the_edit_form_and_a_direct_post(
        self, hr_client, approved_plan, projects
    ):
        project = projects["ethics"]
        edit = url("project_edit", approved_plan.pk, project.pk)
        assert hr_client.get(edit, **HTMX)["HX-Redirect"] == url("detail", approved_plan.pk)
        response = hr_client.post(edit, project_post(version=project.version, name="ใหม่"))
        assert response["Location"] == url("detail", approved_plan.pk)
        project.refresh_from_db()
        assert project.name != "ใหม่"

    def test_the_executive_and_outsiders_cannot_edit(
        self, executive_client, outsider_client, plan, projects
    ):
        project = projects["ethics"]
        data = project_post(version=project.version, name="ใหม่")
        assert (
            executive_client.post(url("project_edit", plan.pk, project.pk), data).status_code == 403
        )
        assert (
            outsider_client.post(url("project_edit", plan.pk, project.pk), data).status_code == 404
        )
        project.refresh_from_db()
        assert project.name != "ใหม่"


class TestProjectRow:
    def test_cancel_brings_the_row_back_in_place(self, executive_client, plan, projects):
        project = projects["finance"]
        response = executive_client.get(url("project_row", plan.pk, project.pk), **HTMX)
        page = response.content.decode()
        assert "<html" not in page
        assert project.name in page
        assert "4 คน" in page

    def test_without_javascript_the_row_is_the_plan_page(self, hr_client, plan, projects):
        project = projects["finance"]
        response = hr_client.get(url("project_row", plan.pk, project.pk))
        assert response["Location"] == url("detail", plan.pk) + f"#project-{project.pk}"


class TestProjectDelete:
    def test_the_hr_officer_removes_a_project(self, hr_client, plan, projects):
        project = projects["orientation"]
        response = hr_client.post(url("project_delete", plan.pk, project.pk))
        assert response["Location"] == url("detail", plan.pk) + "#projects"
        assert not Project.objects.filter(pk=project.pk).exists()

    def test_removing_needs_a_post(self, hr_client, plan, projects):
        project = projects["orientation"]
        assert hr_client.get(url("project_delete", plan.pk, project.pk)).status_code == 405
        assert Project.objects.filter(pk=project.pk).exists()

    def test_a_locked_plan_keeps_its_projects(self, hr_client, approved_plan, projects):
        project = projects["orientation"]
        response = hr_client.post(url("project_delete", approved_plan.pk, project.pk), follow=True)
        assert "ถูกล็อก" in " ".join(messages_of(response))
        assert Project.objects.filter(pk=project.pk).exists()

    def test_the_executive_and_outsiders_cannot_remove(
        self, executive_client, outsider_client, plan, projects
    ):
        project = projects["orientation"]
        assert executive_client.post(url("project_delete", plan.pk, project.pk)).status_code == 403
        assert outsider_client.post(url("project_delete", plan.pk, project.pk)).status_code == 404
        assert Project.objects.filter(pk=project.pk).exists()


# --- What changed -----------------------------------------------------------------------


class TestChanges:
    def test_the_first_version_has_nothing_to_compare(self, hr_client, plan):
        page = hr_client.get(url("changes", plan.pk)).content.decode()
        assert "นี่คือแผนฉบับแรก" in page

    def test_a_revision_shows_what_it_changed(self, executive_client, approved_plan, projects):
        revision = services.plan_revise(plan=approved_plan)
        services.plan_update(
            plan=revision, changes={"targets": "เป้าหมายฉบับแก้ไข"}, expected_version=1
        )
        services.project_delete(project=revision.projects.get(name=projects["ethics"].name))
        make_project(revision, "โครงการที่เพิ่มในฉบับแก้ไข")
        page = executive_client.get(url("changes", revision.pk)).content.decode()
        assert "โครงการที่เพิ่มในฉบับแก้ไข" in page
        assert projects["ethics"].name in page
        assert "เป้าหมายฉบับแก้ไข" in page
        assert approved_plan.targets.splitlines()[0] in page
        detail = executive_client.get(url("detail", revision.pk)).content.decode()
        assert url("changes", revision.pk) in detail


# --- The site administrator ------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "of"),
    [
        ("plans_developmentplan_changelist", None),
        ("plans_developmentplan_change", "plan"),
        ("plans_project_changelist", None),
        ("plans_project_change", "project"),
        ("plans_projectyear_changelist", None),
    ],
)
def test_the_admin_pages_open_for_the_site_administrator(admin_client, plan, projects, page, of):
    args = {"plan": [plan.pk], "project": [projects["finance"].pk], None: []}[of]
    assert admin_client.get(reverse(f"admin:{page}", args=args)).status_code == 200


def test_a_unit_a_project_targets_cannot_be_removed(hr_client, plan, units):
    """Django drops many-to-many links silently; the unit page must refuse instead."""
    from django.urls import reverse

    from staff.models import Unit
    from tests.plans.conftest import make_project

    spare = Unit.objects.create(organization=plan.organization, name="งานที่ไม่มีคน")
    project = make_project(plan, "อบรมเฉพาะงาน", units=[spare])
    response = hr_client.post(reverse("staff:unit_delete", args=[spare.pk]), follow=True)
    assert Unit.objects.filter(pk=spare.pk).exists()
    assert list(project.target_units.all()) == [spare]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
