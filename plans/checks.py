"""The checks of a development plan: does it reach every person every year, every
personnel type in every development area, every position of the manpower plan, and
every skill gap of the latest self-assessment?

Each finding is something HR can act on. :func:`plan_check` works in a fixed number of
queries whatever the number of people and projects: the target groups are worked out
in memory by :class:`plans.services.Audience`.

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
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from plans.choices import Area, Method
from plans.models import DevelopmentPlan, Project
from plans.services import Audience
from skills.models import AssessmentRound, Domain
from skills.services import latest_closed_round, round_results
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


def _planned_years(project: Project) -> set[int]:
    return {year.fiscal_year for year in project.years.all() if year.planned}


def _coverage(
    plan: DevelopmentPlan,
    projects: list[Project],
    members: dict[int, set[int]],
    audience: Audience,
    units: list[Unit],
) -> list[YearCoverage]:
    years = []
    for fy in plan.fiscal_years:
        planned = [p for p in projects if fy in p.planned_years]
        covered = set().union(*(members[p.pk] for p in planned))
        by_unit: dict[int, list[StaffMember]] = {}
        for person in audience.people:  # already in Thai order
            if person.pk not in covered:
                by_unit.setdefault(person.unit_id, []).append(person)
        years.append(
            YearCoverage(
                fiscal_year=fy,
                projects=len(planned),
                units=[UnitPeople(u, by_unit[u.pk]) for u in units if u.pk in by_unit],
            )
        )
    return years


def _uncovered_pairs(
    projects: list[Project], members: dict[int, set[int]], audience: Audience
) -> list[TypeArea]:
    type_of = {person.pk: person.personnel_type for person in audience.people}
    present = {person.personnel_type for person in audience.people}
    reached: set[tuple[str, str]] = set()
    for project in projects:
        if project.planned_years:
            reached.update((type_of[pk], project.area) for pk in members[project.pk])
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
    plan: DevelopmentPlan,
    rows: list[ManpowerPlanRow],
    projects: list[Project],
    members: dict[int, set[int]],
    audience: Audience,
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
    reached_people = set().union(*(members[p.pk] for p in planned))
    holders_of: dict[tuple[int, str, str], list[int]] = {}
    for person in audience.people:
        key = (person.unit_id, person.personnel_type, person.position_title.strip())
        holders_of.setdefault(key, []).append(person.pk)
    reached = {
        row.pk
        for row in rows
        if any(
            pk in reached_people
            for pk in holders_of.get(
                (row.unit_id, row.personnel_type, row.position_title.strip()), []
            )
        )
    }
    remaining = [row for row in rows if row.pk not in reached]
    if not remaining:
        return reached
    holders = _row_holders(remaining, plan.organization_id)
    would_be = Audience.load(plan.organization, people=holders)
    for project in planned:
        if not project.has_rules:
            continue
        for holder in would_be.members(project):
            reached.add(remaining[-holder.pk - 1].pk)
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


def _unaddressed_domains(
    plan: DevelopmentPlan, projects: list[Project], round: AssessmentRound | None
) -> list[UnaddressedDomain]:
    if round is None:
        return []
    addressed = {domain.pk for project in projects for domain in project.domains.all()}
    results = round_results(round)
    unaddressed = []
    for domain in results.domains:
        cell = results.by_domain.get(domain.pk)
        if cell is None or domain.pk in addressed:
            continue
        # The exact average is above zero when anyone has a gap; the shown average is
        # rounded to one decimal and could read 0.0 for one small gap among many.
        if cell.priority > 0:
            unaddressed.append(UnaddressedDomain(domain, cell.average, cell.with_gap, cell.people))
    return unaddressed


def plan_check(*, plan: DevelopmentPlan, today: dt.date | None = None) -> PlanChecks:
    """Every check of the plan (see the module's docstring for what is a finding)."""
    projects = list(plan.projects.for_listing())
    audience = Audience.load(plan.organization)
    members = {p.pk: {person.pk for person in audience.members(p)} for p in projects}
    for project in projects:
        project.planned_years = _planned_years(project)
    units = list(Unit.objects.filter(organization_id=plan.organization_id).in_tree_order())

    manpower_plan = plan.manpower_plan
    rows: list[ManpowerPlanRow] = []
    if manpower_plan is not None:
        rows = list(manpower_plan.rows.select_related("unit", "unit__parent"))
    reached = _reached_rows(plan, rows, projects, members, audience) if rows else set()
    the_round = latest_closed_round(plan.organization, today)
    return PlanChecks(
        staff_total=len(audience.people),
        years=_coverage(plan, projects, members, audience, units),
        uncovered_pairs=_uncovered_pairs(projects, members, audience),
        manpower_linked=manpower_plan is not None,
        period_mismatch=plan.period_matches_manpower_plan is False,
        unreached_rows=[row for row in rows if row.pk not in reached],
        orientation_missing=_orientation_missing(plan, rows, projects) if rows else [],
        round=the_round,
        unaddressed_domains=_unaddressed_domains(plan, projects, the_round),
    )
