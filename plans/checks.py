"""The checks of a development plan: does it reach every person every year, every
personnel type in every development area, every position of the manpower plan, and
every skill gap of the latest self-assessment?

Each finding is something HR can act on. :func:`plan_check` works in a fixed number of
queries whatever the number of people and projects: the target groups are stored
(:mod:`plans.audience`), so "who is in no project this year" is a query that returns
only those people.

What counts as a finding (:attr:`PlanChecks.total`):

- each active person not in the target group of any project planned in a fiscal year,
  once per such year;
- each personnel type present among the active staff × development area with no
  project of that area, planned in some year of the plan, reaching anyone of that type;
- a linked manpower plan covering other fiscal years than the plan (no manpower plan
  linked is not a finding: it may not be entered yet);
- each manpower-plan row no project reaches (see :func:`_row_is_reached`);
- each row that grows in year 2 or year 3 of the manpower plan while no project with
  the orientation method is planned in that fiscal year;
- each domain of the latest closed self-assessment round with an average gap above zero
  that no project of the plan lists among its skill domains.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from django.db.models import QuerySet

from plans.audience import Audience, target_groups
from plans.choices import Area, Method
from plans.models import DevelopmentPlan, Project, ProjectAudience, ProjectYear
from skills.models import AssessmentRound, Domain
from skills.services import latest_closed_round, round_domain_gaps
from staff.choices import PersonnelType
from staff.models import ManpowerPlanRow, StaffMember, Unit


@dataclass
class UnitPeople:
    unit: Unit
    people: list[StaffMember]


@dataclass
class YearCoverage:
    """Who no project planned in ``fiscal_year`` reaches, by unit."""

    fiscal_year: int
    projects: int  # projects planned in the year
    units: list[UnitPeople]

    @property
    def uncovered(self) -> int:
        return sum(len(u.people) for u in self.units)


@dataclass(frozen=True)
class TypeArea:
    personnel_type: str
    area: str

    @property
    def personnel_type_label(self) -> str:
        return str(PersonnelType(self.personnel_type).label)

    @property
    def area_label(self) -> str:
        return str(Area(self.area).label)


@dataclass(frozen=True)
class MissingOrientation:
    """A manpower-plan row adding ``added`` people in ``fiscal_year`` with no
    orientation planned in that year."""

    row: ManpowerPlanRow
    fiscal_year: int
    added: int


@dataclass(frozen=True)
class UnaddressedDomain:
    domain: Domain
    average_gap: Decimal
    people_with_gap: int
    assessed: int


@dataclass
class PlanChecks:
    staff_total: int
    years: list[YearCoverage]
    uncovered_pairs: list[TypeArea]
    manpower_linked: bool
    period_mismatch: bool
    unreached_rows: list[ManpowerPlanRow]
    orientation_missing: list[MissingOrientation]
    round: AssessmentRound | None
    unaddressed_domains: list[UnaddressedDomain] = field(default_factory=list)

    @property
    def uncovered_people(self) -> int:
        return sum(year.uncovered for year in self.years)

    @property
    def coverage_total(self) -> int:
        return self.uncovered_people + len(self.uncovered_pairs)

    @property
    def alignment_total(self) -> int:
        return int(self.period_mismatch) + len(self.unreached_rows) + len(self.orientation_missing)

    @property
    def skills_total(self) -> int:
        return len(self.unaddressed_domains)

    @property
    def total(self) -> int:
        return self.coverage_total + self.alignment_total + self.skills_total


def _projects(plan: DevelopmentPlan) -> list[Project]:
    """The plan's projects with ``planned_years``, the fiscal years each is planned in;
    plain values rather than prefetched relations, which cost more in Django than in
    the database for hundreds of projects."""
    planned: dict[int, set[int]] = defaultdict(set)
    years = ProjectYear.objects.filter(project__plan=plan, planned=True)
    for project_id, fy in years.values_list("project_id", "fiscal_year"):
        planned[project_id].add(fy)
    projects = list(plan.projects.only("pk", "plan_id", "area", "methods"))
    for project in projects:
        project.planned_years = planned[project.pk]
    return projects


def _coverage(
    plan: DevelopmentPlan, projects: list[Project], staff: QuerySet, units: list[Unit]
) -> list[YearCoverage]:
    years = []
    stored = ProjectAudience.objects.filter(project__plan=plan)
    for fy in plan.fiscal_years:
        reached = stored.filter(project__years__fiscal_year=fy, project__years__planned=True)
        by_unit: dict[int, list[StaffMember]] = {}
        for person in staff.exclude(pk__in=reached.values("staff_member_id")).in_thai_order():
            by_unit.setdefault(person.unit_id, []).append(person)
        years.append(
            YearCoverage(
                fiscal_year=fy,
                projects=sum(1 for p in projects if fy in p.planned_years),
                units=[UnitPeople(u, by_unit[u.pk]) for u in units if u.pk in by_unit],
            )
        )
    return years


def _reached(plan: DevelopmentPlan) -> QuerySet:
    """The stored target groups of the projects planned in some year of the plan."""
    planned = Project.objects.filter(plan=plan, years__planned=True).values("pk")
    return ProjectAudience.objects.filter(project__in=planned).distinct()


def _uncovered_pairs(plan: DevelopmentPlan, staff: QuerySet) -> list[TypeArea]:
    present = set(staff.order_by().values_list("personnel_type", flat=True).distinct())
    reached = set(_reached(plan).values_list("staff_member__personnel_type", "project__area"))
    return [
        TypeArea(personnel_type, area)
        for personnel_type in PersonnelType.values
        if personnel_type in present
        for area in Area.values
        if (personnel_type, area) not in reached
    ]


def _row_holders(rows: list[ManpowerPlanRow], organization_id: int) -> list[StaffMember]:
    """A would-be holder of each row, unsaved, with a negative id of its own so that it
    never matches a named person or someone's group override."""
    ids = count(-1, -1)
    holders = []
    for row in rows:
        holder = StaffMember(
            organization_id=organization_id,
            unit=row.unit,
            personnel_type=row.personnel_type,
            position_type=row.position_type,
            level=row.level,
            position_title=row.position_title,
        )
        holder.pk = next(ids)
        holders.append(holder)
    return holders


def _reached_rows(
    plan: DevelopmentPlan, rows: list[ManpowerPlanRow], projects: list[Project]
) -> set[int]:
    """The ids of the rows some project planned in the plan reaches.

    A row (unit, position title, personnel type, position type, level) is reached when

    1. an active person holding it — same unit, same personnel type and same position
       title — is in the target group of a project planned in some fiscal year of the
       plan (named or by rule), or
    2. a project planned in some fiscal year has target rules, and a new holder of the
       row (its unit, personnel type, position type, level and title, with the skill
       group the organisation's group rules give such a person) meets every one of them.

    The second case covers vacant and planned positions: a project "for every local
    official of กองคลัง" reaches them before anyone is appointed. Naming people never
    reaches a vacant position.
    """
    planned = [p for p in projects if p.planned_years]
    held = {
        (unit_id, personnel_type, title.strip())
        for unit_id, personnel_type, title in _reached(plan).values_list(
            "staff_member__unit_id", "staff_member__personnel_type", "staff_member__position_title"
        )
    }
    reached = {
        row.pk
        for row in rows
        if (row.unit_id, row.personnel_type, row.position_title.strip()) in held
    }
    remaining = [row for row in rows if row.pk not in reached]
    if not remaining:
        return reached
    holders = _row_holders(remaining, plan.organization_id)
    would_be = Audience.load(plan.organization, people=holders)
    targets = target_groups(plan.projects.all())
    for project in planned:
        target = targets[project.pk]
        if not target.has_rules:
            continue
        for pk in would_be.member_ids(target):
            reached.add(remaining[-pk - 1].pk)
    return reached


def _orientation_missing(
    plan: DevelopmentPlan, rows: list[ManpowerPlanRow], projects: list[Project]
) -> list[MissingOrientation]:
    oriented = set().union(
        *(p.planned_years for p in projects if Method.ORIENTATION in (p.methods or []))
    )
    manpower_years = plan.manpower_plan.fiscal_years
    missing = []
    for row in rows:
        counts = row.year_counts
        for index in (1, 2):  # year 2 against year 1, year 3 against year 2
            added = counts[index] - counts[index - 1]
            fy = manpower_years[index]
            if added > 0 and fy not in oriented:
                missing.append(MissingOrientation(row, fy, added))
    return missing


def _addressed(plan: DevelopmentPlan) -> set[int]:
    """The skill domains some project of the plan lists."""
    listed = Project.domains.through.objects.filter(project__plan=plan)
    return set(listed.values_list("domain_id", flat=True))


def _unaddressed_domains(
    addressed: set[int], round: AssessmentRound | None
) -> list[UnaddressedDomain]:
    if round is None:
        return []
    domains, by_domain = round_domain_gaps(round)
    unaddressed = []
    for domain in domains:
        cell = by_domain.get(domain.pk)
        if cell is None or domain.pk in addressed:
            continue
        # The exact average is above zero when anyone has a gap; the shown average is
        # rounded to one decimal and could read 0.0 for one small gap among many.
        if cell.priority > 0:
            unaddressed.append(UnaddressedDomain(domain, cell.average, cell.with_gap, cell.people))
    return unaddressed


def plan_check(*, plan: DevelopmentPlan, today: dt.date | None = None) -> PlanChecks:
    """Every check of the plan (see the module's docstring for what is a finding)."""
    projects = _projects(plan)
    staff = StaffMember.objects.filter(
        organization_id=plan.organization_id, is_active=True
    ).select_related("unit")
    units = list(Unit.objects.filter(organization_id=plan.organization_id).in_tree_order())

    manpower_plan = plan.manpower_plan
    rows: list[ManpowerPlanRow] = []
    if manpower_plan is not None:
        rows = list(manpower_plan.rows.select_related("unit", "unit__parent"))
    reached = _reached_rows(plan, rows, projects) if rows else set()
    the_round = latest_closed_round(plan.organization, today)
    return PlanChecks(
        staff_total=staff.count(),
        years=_coverage(plan, projects, staff, units),
        uncovered_pairs=_uncovered_pairs(plan, staff),
        manpower_linked=manpower_plan is not None,
        period_mismatch=plan.period_matches_manpower_plan is False,
        unreached_rows=[row for row in rows if row.pk not in reached],
        orientation_missing=_orientation_missing(plan, rows, projects) if rows else [],
        round=the_round,
        unaddressed_domains=_unaddressed_domains(_addressed(plan), the_round),
    )
