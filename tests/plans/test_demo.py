"""The plans demo data: the FY 2564–2566 plan approved and published with projects over
every area and method, a draft revision of it, and the same data when seeded twice."""

from __future__ import annotations

import pytest

from plans import demo
from plans.choices import Area, Method, Provider
from plans.documents import plan_book_context
from plans.models import DevelopmentPlan, Project, ProjectYear
from plans.services import Audience, plan_diff
from portal.demo import demo_seed
from portal.models import Organization
from staff.models import ManpowerPlan


def snapshot(organization: Organization) -> list:
    """Everything the seed writes, by natural keys (not database ids)."""
    plans = sorted(
        DevelopmentPlan.objects.filter(organization=organization).values_list(
            "revision",
            "title",
            "status",
            "manpower_plan__revision",
            "previous__revision",
            "approved_by__username",
            "approved_at",
            "published_at",
            "principles",
            "targets",
        )
    )
    projects = sorted(
        Project.objects.filter(plan__organization=organization).values_list(
            "plan__revision",
            "order",
            "name",
            "area",
            "methods",
            "is_digital",
            "provider",
            "target_personnel_types",
            "responsible_unit__name",
            "copied_from__name",
        ),
        key=repr,
    )
    relations = sorted(
        (
            project.plan.revision,
            project.name,
            name,
            sorted(str(o) for o in getattr(project, name).all()),
        )
        for project in Project.objects.filter(plan__organization=organization).select_related(
            "plan"
        )
        for name in ("domains", "target_units", "target_groups", "target_people")
    )
    years = sorted(
        ProjectYear.objects.filter(project__plan__organization=organization).values_list(
            "project__plan__revision",
            "project__name",
            "fiscal_year",
            "planned",
            "budget",
            "quarters",
        ),
        key=repr,
    )
    return [plans, projects, relations, years]


@pytest.fixture
def demo_org(db) -> Organization:
    return demo_seed()


def published(organization) -> DevelopmentPlan:
    return DevelopmentPlan.objects.get(organization=organization, first_fy=2564, revision=0)


def test_the_plan_went_through_the_approval_chain_and_is_published(demo_org):
    plan = published(demo_org)

    assert plan.title == demo.TITLE
    assert plan.status == DevelopmentPlan.Status.PUBLISHED
    assert (plan.submitted_by.username, plan.proposed_by.username) == ("hr", "executive")
    assert plan.approved_by.username == "mayor"
    assert plan.approved_at and plan.published_at
    steps = [(step.step, step.by.username) for step in plan.steps.all()]
    assert steps == [
        ("submit", "hr"),
        ("send_back", "executive"),
        ("submit", "hr"),
        ("propose", "executive"),
        ("approve", "mayor"),
        ("publish", "hr"),
    ]
    assert plan.steps.get(step="send_back").note
    assert plan.fiscal_years == [2564, 2565, 2566]
    assert all((plan.principles, plan.objectives, plan.targets, plan.guidelines, plan.monitoring))


def test_the_plan_book_surveys_the_skills_of_the_round_closed_before_it_was_proposed(demo_org):
    plan = published(demo_org)
    proposed = plan.steps.get(step="propose").at.date()

    skills = plan_book_context(plan=plan)["skills"]

    assert skills is not None and skills["assessed"] > 0
    assert skills["round"].fiscal_year == 2563
    assert skills["round"].closes_on <= proposed
    assert len(skills["domains"]) == 6


def test_the_plan_is_linked_to_the_newest_approved_manpower_plan_of_its_period(demo_org):
    plan = published(demo_org)
    newest = (
        ManpowerPlan.objects.filter(organization=demo_org, first_fy=2564, status="approved")
        .order_by("-revision")
        .first()
    )

    assert plan.manpower_plan == newest
    assert plan.period_matches_manpower_plan


def test_it_has_fifteen_to_twenty_projects_over_every_area_method_and_provider(demo_org):
    projects = list(published(demo_org).projects.all())

    assert 15 <= len(projects) <= 20
    assert {p.area for p in projects} == set(Area.values)
    assert {m for p in projects for m in p.methods} == set(Method.values)
    assert {p.provider for p in projects} == set(Provider.values)


def test_every_project_has_a_target_group_and_a_planned_year(demo_org):
    plan = published(demo_org)
    audience = Audience.load(demo_org)

    for project in plan.projects.for_listing():
        assert audience.members(project), project.name
        assert any(year.planned for year in project.years.all()), project.name
        assert project.objectives and project.indicators and project.expected_result


def test_target_groups_use_every_kind_of_rule(demo_org):
    projects = list(published(demo_org).projects.for_listing())

    assert any(p.target_personnel_types for p in projects)
    assert any(p.target_position_types for p in projects)
    assert any(p.target_units.all() for p in projects)
    assert any(p.target_groups.all() for p in projects)
    assert any(p.target_people.all() for p in projects)


def test_the_digital_projects_leave_digital_governance_unaddressed(demo_org):
    projects = list(published(demo_org).projects.for_listing())
    digital = [p for p in projects if p.is_digital]

    assert digital and all(p.domains.all() for p in digital)
    addressed = {d.code for p in projects for d in p.domains.all()}
    assert "DG" not in addressed
    assert {"DL", "DT", "SPM", "LEAD", "DPSD"} <= addressed


def test_some_people_are_covered_by_nothing_in_fy_2565_but_everyone_is_in_2564(demo_org):
    projects = list(published(demo_org).projects.for_listing())
    audience = Audience.load(demo_org)

    def uncovered(fy: int) -> set[str]:
        covered = {
            person.pk
            for project in projects
            if any(y.planned and y.fiscal_year == fy for y in project.years.all())
            for person in audience.members(project)
        }
        return {f"{p.first_name} {p.last_name}" for p in audience.people if p.pk not in covered}

    assert uncovered(2564) == set()
    assert uncovered(2565) == {"บุญเรือน พึ่งบุญ", "เอกชัย ศรีทอง"}


def test_budgets_are_set_per_year_and_unplanned_years_have_none(demo_org):
    years = ProjectYear.objects.filter(project__plan=published(demo_org))

    assert years.count() == 3 * published(demo_org).projects.count()
    assert all(y.budget == 0 and y.quarters == [] for y in years if not y.planned)
    assert sum(y.budget for y in years if y.fiscal_year == 2565) > 0


def test_a_draft_revision_adds_one_project_changes_one_and_rewrites_a_text(demo_org):
    original = published(demo_org)
    revision = DevelopmentPlan.objects.get(organization=demo_org, first_fy=2564, revision=1)

    diff = plan_diff(original, revision)

    assert revision.status == DevelopmentPlan.Status.DRAFT
    assert revision.previous == original
    assert [p.name for p in diff.added] == [demo.ADDED_IN_REVISION.name]
    assert diff.removed == []
    assert [c.name for c in diff.changed] == [demo.CHANGED_IN_REVISION]
    assert diff.texts == [str(DevelopmentPlan._meta.get_field("targets").verbose_name)]


def test_seeding_twice_leaves_the_same_data(demo_org):
    before = snapshot(demo_org)

    demo_seed()

    assert snapshot(demo_org) == before
    assert DevelopmentPlan.objects.filter(organization=demo_org).count() == 2
