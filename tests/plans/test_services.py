"""Plans without the web: target-group headcounts on the hand-made organisation,
budget totals per FY × area, the period check against the manpower plan, revisions
and their differences, saves that refuse to overwrite someone else's change, and the
project form's rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from plans import services
from plans.choices import Area, Method
from plans.fields import MoneyField
from plans.forms import PlanCreateForm, PlanEditForm, suggested_period
from plans.forms_projects import ProjectForm
from plans.models import DevelopmentPlan, Project, ProjectYear
from plans.services import Audience, StaleEdit, WorkflowError
from skills.models import Framework, GroupOverride
from staff.choices import PersonnelType, PositionType
from staff.models import Unit
from tests.plans.conftest import FIRST_FY, approve, make_project, skill_group
from tests.staff.conftest import make_staff


def label(field: str) -> str:
    return str(DevelopmentPlan._meta.get_field(field).verbose_name)


def names(people) -> set[str]:
    return {person.first_name for person in people}


def members(plan, name, **rules) -> set[str]:
    project = make_project(plan, name, **rules)
    project = Project.objects.for_listing().get(pk=project.pk)
    return names(Audience.load(plan.organization).members(project))


# --- Target groups -------------------------------------------------------------


class TestTargetGroups:
    def test_a_personnel_type_rule_counts_every_active_official(self, plan, people):
        assert members(plan, "p", target_personnel_types=[PersonnelType.LOCAL_OFFICIAL]) == {
            "สมชาย",
            "กมล",
            "ปิยะ",
            "ดารา",
            "แก้ว",
            "เกษม",
        }

    def test_rules_are_combined_so_people_must_meet_all_of_them(self, plan, units, people):
        assert members(
            plan,
            "p",
            target_personnel_types=[PersonnelType.LOCAL_OFFICIAL],
            target_position_types=[PositionType.ACADEMIC],
            units=[units["finance"]],
        ) == {"แก้ว"}

    def test_a_division_includes_the_people_of_its_sections(self, plan, units, people):
        assert members(plan, "p", units=[units["office"]]) == {"สมชาย", "กมล", "ปิยะ", "บุญมี"}

    def test_a_section_does_not_include_its_division(self, plan, units, people):
        assert members(plan, "p", units=[units["personnel"]]) == {"กมล"}

    def test_a_level_rule_matches_the_level(self, plan, people):
        assert members(plan, "p", target_levels=["practitioner"]) == {"ปิยะ", "แก้ว"}

    def test_skill_groups_follow_the_group_rules(self, plan, people):
        assert members(plan, "a", groups=[skill_group("ACAD")]) == {"กมล", "แก้ว"}
        assert members(plan, "b", groups=[skill_group("SERV")]) == {"บุญมี", "เกษม"}
        assert members(plan, "c", groups=[skill_group("TECH"), skill_group("EXEC")]) == {
            "ปิยะ",
            "สมชาย",
        }

    def test_a_group_chosen_by_hand_for_a_person_counts(self, plan, people):
        GroupOverride.objects.create(
            staff_member=people["chai"],
            framework=Framework.objects.get(code="ocsc-2561"),
            group=skill_group("TECH"),
        )
        assert members(plan, "p", groups=[skill_group("TECH")]) == {"ปิยะ", "ชัยวัฒน์"}

    def test_named_people_are_added_to_those_meeting_the_rules(self, plan, units, people):
        assert members(plan, "p", units=[units["finance"]], people=[people["chai"]]) == {
            "ดารา",
            "แก้ว",
            "เกษม",
            "ชัยวัฒน์",
        }

    def test_named_people_alone_are_the_target_group(self, plan, people):
        assert members(plan, "p", people=[people["kamon"], people["boonmee"]]) == {
            "กมล",
            "บุญมี",
        }

    def test_no_rule_and_nobody_named_targets_nobody(self, plan, people):
        assert members(plan, "p") == set()

    def test_people_who_have_left_are_never_counted(self, plan, units, people):
        assert members(plan, "a", people=[people["sunthorn"]]) == set()
        assert "สุนทร" not in members(plan, "b", units=[units["finance"]])

    def test_people_of_another_organization_are_never_counted(self, plan, people, org_b):
        unit_b = Unit.objects.create(organization=org_b, name="สำนักปลัด")
        make_staff(org_b, unit_b, "วิไล", personnel_type=PersonnelType.LOCAL_OFFICIAL)
        assert "วิไล" not in members(
            plan, "p", target_personnel_types=[PersonnelType.LOCAL_OFFICIAL]
        )

    def test_counting_many_projects_costs_no_query_per_project(self, plan, units, people):
        for n in range(20):
            make_project(plan, f"p{n}", units=[units["finance"]], people=[people["chai"]])
        audience = Audience.load(plan.organization)
        projects = list(plan.projects.for_listing())
        with CaptureQueriesContext(connection) as queries:
            counts = [len(audience.members(project)) for project in projects]
        assert counts == [4] * 20
        assert len(queries) == 0


# --- Budgets --------------------------------------------------------------------


class TestBudgetTable:
    def test_totals_per_fiscal_year_and_area(self, plan, projects):
        table = services.budget_table(plan)
        assert table.cell(2567, Area.ETHICS) == Decimal("30000")
        assert table.cell(2567, Area.SPECIFIC) == Decimal("45500.50")
        assert table.cell(2568, Area.GENERAL) == Decimal("0")
        assert table.year_totals == [Decimal("75500.50"), Decimal("30000"), Decimal("20000")]
        assert table.area_total(Area.SPECIFIC) == Decimal("65500.50")
        assert table.total == Decimal("125500.50")

    def test_rows_list_every_area_in_order_even_without_projects(self, plan, projects):
        rows = services.budget_table(plan).rows()
        assert [row["area"] for row in rows] == list(Area.values)
        management = rows[list(Area.values).index(Area.MANAGEMENT)]
        assert management["years"] == [Decimal("0")] * 3

    def test_a_year_that_is_not_planned_adds_nothing(self, plan, projects):
        ProjectYear.objects.filter(project=projects["ethics"], fiscal_year=2568).update(
            planned=False, budget=0
        )
        assert services.budget_table(plan).year_total(2568) == Decimal("0")


# --- The period of the manpower plan ----------------------------------------------


class TestPeriodAlignment:
    def test_a_new_plan_refuses_a_manpower_plan_of_another_period(self, org_a, old_manpower_plan):
        form = PlanCreateForm(
            {"first_fy": "2567", "title": "", "manpower_plan": old_manpower_plan.pk},
            organization=org_a,
        )
        assert not form.is_valid()
        message = form.errors["manpower_plan"][0]
        assert "2564–2566" in message and "2567–2569" in message

    def test_a_new_plan_accepts_the_manpower_plan_of_its_period(self, org_a, manpower_plan):
        form = PlanCreateForm(
            {"first_fy": "๒๕๖๗", "title": "", "manpower_plan": manpower_plan.pk},
            organization=org_a,
        )
        assert form.is_valid(), form.errors
        assert form.cleaned_data["first_fy"] == 2567
        assert form.cleaned_data["title"] == "แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. 2567–2569"

    def test_a_new_plan_may_wait_for_its_manpower_plan(self, org_a):
        form = PlanCreateForm({"first_fy": "2570", "title": "แผน"}, organization=org_a)
        assert form.is_valid(), form.errors

    def test_a_second_plan_for_the_same_period_is_refused(self, org_a, plan):
        form = PlanCreateForm({"first_fy": "2567"}, organization=org_a)
        assert not form.is_valid()
        assert form.errors.as_data()["first_fy"][0].code == "exists"

    def test_a_manpower_plan_of_another_organization_cannot_be_chosen(
        self, org_a, org_b, manpower_plan
    ):
        form = PlanCreateForm(
            {"first_fy": "2567", "manpower_plan": manpower_plan.pk}, organization=org_b
        )
        assert not form.is_valid()
        assert "manpower_plan" in form.errors

    def test_editing_refuses_a_manpower_plan_of_another_period(self, plan, old_manpower_plan):
        data = {
            "version": plan.version,
            "title": plan.title,
            "manpower_plan": old_manpower_plan.pk,
        }
        form = PlanEditForm(data, plan=plan)
        assert not form.is_valid()
        assert "2564–2566" in form.errors["manpower_plan"][0]

    def test_the_plan_says_whether_the_periods_match(self, plan, old_manpower_plan):
        assert plan.period_matches_manpower_plan is True
        plan.manpower_plan = old_manpower_plan
        assert plan.period_matches_manpower_plan is False
        plan.manpower_plan = None
        assert plan.period_matches_manpower_plan is None

    def test_the_suggested_period_is_the_manpower_plan_without_a_development_plan(
        self, org_a, manpower_plan, old_manpower_plan
    ):
        assert suggested_period(org_a) == (2567, manpower_plan)

    def test_after_the_last_plan_the_next_cycle_is_suggested(self, org_a, plan):
        assert suggested_period(org_a) == (2570, None)


# --- Revisions and what changed ---------------------------------------------------


class TestRevisions:
    def test_a_revision_copies_the_texts_projects_years_and_target_groups(
        self, approved_plan, projects, units, people
    ):
        revision = services.plan_revise(plan=approved_plan)
        assert revision.revision == approved_plan.revision + 1
        assert revision.previous == approved_plan
        assert revision.status == DevelopmentPlan.Status.DRAFT
        assert revision.manpower_plan == approved_plan.manpower_plan
        for name in services.NARRATIVE_FIELDS:
            assert getattr(revision, name) == getattr(approved_plan, name)
        copy = revision.projects.get(name=projects["finance"].name)
        assert copy.copied_from_id == projects["finance"].pk
        assert copy.is_digital and copy.methods == [Method.WORKSHOP]
        assert list(copy.target_units.all()) == [units["finance"]]
        assert list(copy.target_people.all()) == [people["chai"]]
        assert [(y.fiscal_year, y.budget, y.quarters) for y in copy.years.all()] == [
            (2567, Decimal("45500.50"), [2, 3]),
            (2568, Decimal("0"), []),
            (2569, Decimal("20000.00"), [4]),
        ]
        assert revision.projects.count() == 3
        assert services.plan_diff(approved_plan, revision).is_empty

    def test_a_draft_is_not_revised(self, plan):
        with pytest.raises(WorkflowError):
            services.plan_revise(plan=plan)

    def test_only_the_newest_revision_is_revised(self, approved_plan):
        services.plan_revise(plan=approved_plan)
        with pytest.raises(WorkflowError):
            services.plan_revise(plan=approved_plan)

    def test_the_difference_shows_texts_and_projects_added_removed_and_changed(
        self, approved_plan, projects, units
    ):
        revision = services.plan_revise(plan=approved_plan)
        services.plan_update(
            plan=revision,
            changes={"objectives": "วัตถุประสงค์ใหม่"},
            expected_version=revision.version,
        )
        services.project_delete(project=revision.projects.get(name=projects["orientation"].name))
        make_project(revision, "อบรมการใช้ระบบ e-GP", area=Area.SPECIFIC)
        ethics = revision.projects.get(name=projects["ethics"].name)
        services.project_save(
            plan=revision,
            project=ethics,
            fields={"area": Area.ETHICS, "methods": [Method.TRAINING]},
            relations={},
            years={2567: {"planned": True, "budget": Decimal("35000"), "quarters": [1]}},
            expected_version=ethics.version,
        )
        revision.refresh_from_db()

        diff = services.plan_diff(approved_plan, revision)

        assert diff.texts == [label("objectives")]
        assert [p.name for p in diff.added] == ["อบรมการใช้ระบบ e-GP"]
        assert [p.name for p in diff.removed] == [projects["orientation"].name]
        assert [c.name for c in diff.changed] == [projects["ethics"].name]
        with translation.override("en"):
            fields = set(services.plan_diff(approved_plan, revision).changed[0].fields)
        assert fields == {"methods", "fiscal years and budgets"}


# --- Saves that never overwrite someone else's change ----------------------------


class TestNoLostUpdates:
    def test_a_plan_saved_from_an_old_version_is_refused_and_nothing_changes(self, plan):
        opened = plan.version
        services.plan_update(plan=plan, changes={"targets": "ของคนแรก"}, expected_version=opened)
        with pytest.raises(StaleEdit) as refused:
            services.plan_update(
                plan=plan, changes={"targets": "ของคนที่สอง"}, expected_version=opened
            )
        assert refused.value.current.targets == "ของคนแรก"
        plan.refresh_from_db()
        assert plan.targets == "ของคนแรก"
        assert plan.version == opened + 1

    def test_a_project_saved_from_an_old_version_is_refused_and_nothing_changes(
        self, plan, projects
    ):
        project = projects["ethics"]
        opened = project.version
        fields = {"area": Area.ETHICS, "methods": [Method.TRAINING]}
        services.project_save(
            plan=plan,
            project=project,
            fields={**fields, "name": "ชื่อของคนแรก"},
            relations={},
            years={2567: {"planned": True, "budget": Decimal("1"), "quarters": [1]}},
            expected_version=opened,
        )
        with pytest.raises(StaleEdit):
            services.project_save(
                plan=plan,
                project=project,
                fields={**fields, "name": "ชื่อของคนที่สอง"},
                relations={},
                years={2567: {"planned": True, "budget": Decimal("2"), "quarters": [2]}},
                expected_version=opened,
            )
        project.refresh_from_db()
        assert project.name == "ชื่อของคนแรก"
        assert project.years.get(fiscal_year=2567).budget == Decimal("1")

    def test_an_approved_plan_refuses_every_change(self, approved_plan, projects):
        with pytest.raises(WorkflowError):
            services.plan_update(
                plan=approved_plan, changes={"targets": "x"}, expected_version=approved_plan.version
            )
        with pytest.raises(WorkflowError):
            make_project(approved_plan, "โครงการใหม่")
        with pytest.raises(WorkflowError):
            services.project_delete(project=projects["ethics"])
        assert approved_plan.projects.count() == 3


# --- The forms' rules -------------------------------------------------------------


class TestMoneyField:
    @pytest.mark.parametrize(
        ("typed", "amount"),
        [
            ("25000", "25000.00"),
            ("25,000.50", "25000.50"),
            ("๒๕,๐๐๐", "25000.00"),
            (" 1 234 ", "1234.00"),
            ("0", "0.00"),
        ],
    )
    def test_amounts_are_read_as_people_type_them(self, typed, amount):
        assert MoneyField().clean(typed) == Decimal(amount)

    @pytest.mark.parametrize(
        ("typed", "code"),
        [
            ("-5", "negative"),
            ("ห้าพัน", "invalid"),
            ("12.345", "satang"),
            ("99999999999", "too_large"),
            ("NaN", "invalid"),
        ],
    )
    def test_bad_amounts_are_refused_with_a_reason(self, typed, code):
        field = MoneyField()
        with pytest.raises(Exception) as refused:
            field.clean(typed)
        assert refused.value.code == code

    def test_an_empty_amount_is_none(self):
        assert MoneyField().clean("") is None


def project_data(**overrides) -> dict:
    data = {
        "name": "โครงการทดสอบ",
        "area": Area.GENERAL,
        "methods": [Method.TRAINING],
        "provider": "in_house",
        "fy2567_planned": "on",
        "fy2567_budget": "10,000",
        "fy2567_quarters": ["1"],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class TestProjectForm:
    def test_a_valid_form_gives_what_the_service_needs(self, plan, units, people):
        form = ProjectForm(
            project_data(
                methods=[Method.STUDY_VISIT, Method.TRAINING],
                target_units=[units["finance"].pk],
                target_people=[people["chai"].pk],
                target_levels=["practitioner", "professional"],
                fy2569_planned="on",
                fy2569_budget="๕๐๐",
                fy2569_quarters=["4", "2"],
            ),
            plan=plan,
        )
        assert form.is_valid(), form.errors
        arguments = form.service_arguments()
        assert arguments["fields"]["methods"] == [Method.TRAINING, Method.STUDY_VISIT]
        assert arguments["fields"]["target_levels"] == ["practitioner", "professional"]
        assert arguments["relations"]["target_units"] == [units["finance"]]
        assert arguments["years"][2569] == {
            "planned": True,
            "budget": Decimal("500.00"),
            "quarters": [4, 2],
        }
        assert arguments["years"][2568]["planned"] is False
        project = services.project_save(plan=plan, project=None, **arguments)
        assert project.years.get(fiscal_year=2569).quarters == [2, 4]

    def test_at_least_one_method_is_needed(self, plan):
        form = ProjectForm(project_data(methods=None), plan=plan)
        assert not form.is_valid()
        assert "methods" in form.errors

    def test_a_year_with_a_budget_must_be_planned(self, plan):
        form = ProjectForm(project_data(fy2568_budget="5000"), plan=plan)
        assert not form.is_valid()
        assert "2568" in form.errors["fy2568_planned"][0]

    def test_a_planned_year_needs_its_quarters(self, plan):
        form = ProjectForm(project_data(fy2567_quarters=None), plan=plan)
        assert not form.is_valid()
        assert "fy2567_quarters" in form.errors

    def test_a_project_is_planned_in_at_least_one_year(self, plan):
        form = ProjectForm(
            project_data(fy2567_planned=None, fy2567_budget=None, fy2567_quarters=None),
            plan=plan,
        )
        assert not form.is_valid()
        assert form.non_field_errors()

    def test_units_and_people_of_another_organization_are_refused(self, plan, org_b):
        unit_b = Unit.objects.create(organization=org_b, name="กองคลัง")
        outsider = make_staff(org_b, unit_b, "วิไล")
        form = ProjectForm(
            project_data(
                target_units=[unit_b.pk],
                target_people=[outsider.pk],
                responsible_unit=unit_b.pk,
            ),
            plan=plan,
        )
        assert not form.is_valid()
        assert {"target_units", "target_people", "responsible_unit"} <= set(form.errors)

    def test_the_form_counts_the_target_group_as_typed(self, plan, units, people):
        form = ProjectForm(project_data(target_units=[units["office"].pk]), plan=plan)
        audience = Audience.load(plan.organization)
        assert names(audience.matching(form.target_preview())) == {
            "สมชาย",
            "กมล",
            "ปิยะ",
            "บุญมี",
        }

    def test_the_years_of_the_form_are_the_plans(self, plan):
        form = ProjectForm(plan=plan)
        assert [row["fy"] for row in form.year_rows()] == [FIRST_FY, FIRST_FY + 1, FIRST_FY + 2]


def test_approve_records_who_and_when(plan, projects, hr_user, clerk_user, executive_user):
    approve(plan, hr_user, clerk_user, executive_user)
    assert plan.approved_by == executive_user
    assert plan.approved_at is not None
    assert (plan.submitted_by, plan.proposed_by) == (hr_user, clerk_user)
