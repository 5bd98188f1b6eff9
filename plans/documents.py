"""What the documents of a plan show, computed in this one place: the 3-year plan
book, the annual plan of one fiscal year, and the 6-month progress and annual results
reports. The page, the PDF and the public PDF of a document all take their figures
from here (plans/views_documents.py), so they cannot disagree; a PDF adds only what
paper has (:func:`printed`). A fixed number of queries whatever the number of projects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from plans import services
from plans.choices import Area, Method
from plans.follow import year_summary
from plans.models import DevelopmentPlan, Project
from plans.services import Audience
from portal import pdf
from portal.models import Organization
from portal.thai import baht_text
from skills.charts import unit_gap_heatmap
from skills.services import latest_closed_round, round_results
from staff.choices import PersonnelType
from staff.manpower import manpower_plan_table
from staff.models import Unit

ZERO = Decimal("0")


def _person_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def plan_projects(plan: DevelopmentPlan) -> tuple[list[Project], Audience]:
    """The plan's projects in area order, numbered through the plan, each with its
    target group (``members``), its headcount and its planned years (``by_fy``)."""
    projects = list(plan.projects.for_listing().select_related("responsible_unit__parent"))
    audience = Audience.load(plan.organization)
    area_order = {value: i for i, value in enumerate(Area.values)}
    projects.sort(key=lambda p: (area_order.get(p.area, 99), p.order, p.pk))
    method_labels = dict(Method.choices)
    for number, project in enumerate(projects, start=1):
        project.number = number
        project.members = audience.members(project)
        project.headcount = len(project.members)
        project.method_labels = [str(method_labels.get(m, m)) for m in project.methods]
        project.by_fy = {y.fiscal_year: y for y in project.years.all() if y.planned}
        # None for a year the project is not planned in (printed as a dash).
        project.budgets = [
            project.by_fy[fy].budget if fy in project.by_fy else None for fy in plan.fiscal_years
        ]
    return projects, audience


def by_area(projects: list[Project]) -> list[dict[str, Any]]:
    """Every development area in its order, with its projects (possibly none)."""
    return [
        {"area": area, "label": label, "projects": [p for p in projects if p.area == area]}
        for area, label in Area.choices
    ]


@dataclass
class TypeRow:
    label: str
    count: int
    cells: list[list[int]]  # per area: numbers of the projects reaching this type


def _staff_by_type(audience: Audience) -> list[tuple[str, int]]:
    counts = Counter(person.personnel_type for person in audience.people)
    return [(str(label), counts[value]) for value, label in PersonnelType.choices if counts[value]]


def _curricula(projects: list[Project], audience: Audience) -> list[TypeRow]:
    """Personnel types × development areas: which projects reach people of each type."""
    counts = Counter(person.personnel_type for person in audience.people)
    rows = []
    for value, label in PersonnelType.choices:
        if not counts[value]:
            continue
        cells = []
        for area in Area.values:
            cells.append(
                [
                    p.number
                    for p in projects
                    if p.area == area and any(m.personnel_type == value for m in p.members)
                ]
            )
        rows.append(TypeRow(str(label), counts[value], cells))
    return rows


def _units(organization: Organization, audience: Audience) -> list[dict[str, Any]]:
    counts = Counter(person.unit_id for person in audience.people)
    return [
        {"unit": unit, "is_section": unit.parent_id is not None, "people": counts[unit.pk]}
        for unit in Unit.objects.filter(organization=organization).in_tree_order()
    ]


def _skills(organization: Organization) -> dict[str, Any] | None:
    """The latest closed self-assessment round: the heatmap and a row per domain."""
    the_round = latest_closed_round(organization)
    if the_round is None:
        return None
    results = round_results(the_round)
    if not results.people:
        return {"round": the_round, "assessed": 0}
    domains = []
    for domain in results.domains:
        cell = results.by_domain.get(domain.pk)
        domains.append(
            {
                "domain": domain,
                "assessed": cell.people if cell else 0,
                "average": cell.average if cell else None,
                "with_gap": cell.with_gap if cell else 0,
                "levels": [results.distribution[domain.pk].get(level, 0) for level in range(5)],
            }
        )
    return {
        "round": the_round,
        "assessed": len(results.people),
        "heatmap": unit_gap_heatmap(results),
        "domains": domains,
    }


def _budget(plan: DevelopmentPlan, projects: list[Project]) -> dict[str, Any]:
    table = services.budget_table(plan, projects)
    return {"table": table, "rows": table.rows(), "words": baht_text(table.total)}


def plan_book_context(*, plan: DevelopmentPlan) -> dict[str, Any]:
    """Every part of the 3-year plan book (design §7)."""
    organization = plan.organization
    projects, audience = plan_projects(plan)
    manpower = manpower_plan_table(plan=plan.manpower_plan) if plan.manpower_plan else None
    return {
        **printed(plan),
        "areas": by_area(projects),
        "projects": projects,
        "budget": _budget(plan, projects),
        "units": _units(organization, audience),
        "staff_by_type": _staff_by_type(audience),
        "staff_total": len(audience.people),
        "curricula": _curricula(projects, audience),
        "area_labels": [label for _value, label in Area.choices],
        "skills": _skills(organization),
        "manpower": manpower,
        "prepared_by": _person_name(plan.proposed_by),
        "approved_by": _person_name(plan.approved_by),
        "approved_on": timezone.localdate(plan.approved_at) if plan.approved_at else None,
    }


def printed(plan: DevelopmentPlan) -> dict[str, Any]:
    """What only the printed copy has: the organisation's letterhead and emblem, and
    the "draft" mark on a plan not yet approved."""
    return {
        "plan": plan,
        "organization": plan.organization,
        "emblem": pdf.emblem_src(plan.organization),
        "draft": not plan.is_locked,
    }


def annual_plan_figures(*, plan: DevelopmentPlan, fiscal_year: int) -> dict[str, Any]:
    """The projects planned in one fiscal year, by area, numbered through the year,
    with budgets and headcounts (the page and the PDF)."""
    projects, audience = plan_projects(plan)
    planned = [p for p in projects if fiscal_year in p.by_fy]
    for number, project in enumerate(planned, start=1):
        project.number = number
        project.year = project.by_fy[fiscal_year]
    areas = []
    for group in by_area(planned):
        if not group["projects"]:
            continue
        group["budget"] = sum((p.year.budget for p in group["projects"]), ZERO)
        # People, not places: someone in two projects of the area counts once.
        group["people"] = len({m.pk for p in group["projects"] for m in p.members})
        areas.append(group)
    total = sum((group["budget"] for group in areas), ZERO)
    return {
        "plan": plan,
        "fy": fiscal_year,
        "areas": areas,
        "project_count": len(planned),
        "total": total,
        "total_words": baht_text(total),
        "reached": len({m.pk for p in planned for m in p.members}),
        "staff_total": len(audience.people),
    }


def annual_plan_context(*, plan: DevelopmentPlan, fiscal_year: int) -> dict[str, Any]:
    """The printed annual plan."""
    return {**printed(plan), **annual_plan_figures(plan=plan, fiscal_year=fiscal_year)}


def year_report_figures(
    *, plan: DevelopmentPlan, fiscal_year: int, first_half: bool
) -> dict[str, Any]:
    """Planned against actual for the first six months (ITA o24) or the year (o26),
    the rows numbered (the page and the PDF)."""
    summary = year_summary(plan=plan, fiscal_year=fiscal_year, first_half=first_half)
    for number, row in enumerate(summary.rows, start=1):
        row.number = number
    return {
        "plan": plan,
        "fy": fiscal_year,
        "summary": summary,
        "first_half": first_half,
        "spend_words": baht_text(summary.total.spend),
        "today": timezone.localdate(),
    }


def year_report_context(
    *, plan: DevelopmentPlan, fiscal_year: int, first_half: bool
) -> dict[str, Any]:
    """The printed 6-month progress or annual results report."""
    figures = year_report_figures(plan=plan, fiscal_year=fiscal_year, first_half=first_half)
    return {**printed(plan), **figures}
