"""Following the plan through a fiscal year: attendance HR records for a whole project,
courses staff report themselves, each project's progress, and the summaries the ITA
asks for — the first six months (o24) and the full year (o26)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from plans.audience import Audience, target_names
from plans.choices import Area
from plans.models import DevelopmentPlan, DevelopmentRecord, Project, ProjectProgress
from portal.history import history_bulk_record, queryset_update_with_history
from portal.thai import DateRange, first_half_range, fiscal_year, fiscal_year_range
from skills.models import Domain
from staff.models import StaffMember

ZERO = Decimal("0")


# --- The ITA summaries ------------------------------------------------------------


@dataclass
class Tally:
    """Planned against actual: headcounts, money and hours. Rows, areas and the total
    share it, so every level of the report adds up the same way."""

    target: int = 0
    attended: int = 0
    budget: Decimal = ZERO
    spend: Decimal = ZERO
    hours: Decimal = ZERO  # all the attendees' hours together

    @property
    def percent(self) -> Decimal | None:
        """Attended as a percentage of the target group, one decimal; None without a
        target group (a percentage of nobody means nothing)."""
        if not self.target:
            return None
        return (Decimal(100) * self.attended / self.target).quantize(Decimal("0.1"))

    @property
    def hours_per_person(self) -> Decimal | None:
        if not self.attended:
            return None
        return (self.hours / self.attended).quantize(Decimal("0.1"))

    @property
    def balance(self) -> Decimal:
        """Budget left (negative when spending went over)."""
        return self.budget - self.spend

    @property
    def overspend(self) -> Decimal:
        """How much spending went over the budget (zero when it did not)."""
        return max(self.spend - self.budget, ZERO)

    def add(self, other: Tally) -> None:
        self.target += other.target
        self.attended += other.attended
        self.budget += other.budget
        self.spend += other.spend
        self.hours += other.hours


@dataclass
class SummaryRow(Tally):
    project: Project | None = None
    area: str = ""
    area_label: str = ""
    status: str = ProjectProgress.Status.NOT_STARTED
    status_label: str = ""
    result: str = ""
    issues: str = ""
    suggestions: str = ""


@dataclass
class AreaSummary(Tally):
    area: str = ""
    label: str = ""
    rows: list[SummaryRow] = field(default_factory=list)


@dataclass
class YearSummary:
    plan: DevelopmentPlan
    fiscal_year: int
    first_half: bool
    period: DateRange
    rows: list[SummaryRow]
    areas: list[AreaSummary]
    total: Tally

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.status == ProjectProgress.Status.DONE)

    @property
    def overspent(self) -> list[SummaryRow]:
        """The projects that spent more than their budget of the year."""
        return [r for r in self.rows if r.overspend]


def _progress_as_of(plan: DevelopmentPlan, fiscal_year: int, day: dt.date) -> dict[int, Any]:
    """Each project's progress as it was recorded by the end of ``day``, from its
    history (one query): what was entered afterwards belongs to a later report. A
    progress removed by then counts as none."""
    end = dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    found: dict[int, Any] = {}
    for row in (
        ProjectProgress.history.filter(
            project__plan=plan, fiscal_year=fiscal_year, history_date__lt=end
        )
        .order_by("project_id", "-history_date", "-history_id")
        .iterator()
    ):
        found.setdefault(row.project_id, row)
    return {pk: row for pk, row in found.items() if row.history_type != "-"}


def year_summary(
    *,
    plan: DevelopmentPlan,
    fiscal_year: int,
    first_half: bool,
    recorded_by: dt.date | None = None,
) -> YearSummary:
    """Every project planned in ``fiscal_year``: its target headcount, the people who
    attended (distinct, not absent; for the first half only those who started by 31
    มี.ค.), budget and actual spend, hours per person, status and the written results.

    With ``recorded_by`` (a printed report, as of the period's end) only what was
    recorded by that day counts: attendance that started after it is left out, and
    status and spend are those saved by its end, not today's.

    Area subtotals and the total add the rows up (places, not people: someone in two
    projects counts in both, as the attendance percentage of each project does).
    Queries do not grow with the projects or the people.
    """
    period = first_half_range(fiscal_year) if first_half else fiscal_year_range(fiscal_year)
    # Only the headcount of each target group is shown: the staff and the target
    # relations as plain values (plans/audience.py, target_names).
    projects = list(
        plan.projects.filter(years__fiscal_year=fiscal_year, years__planned=True)
        .prefetch_related("years")
        .order_by("order", "pk")
    )
    audience = Audience.load_counts(plan.organization)
    names = target_names(projects)
    if recorded_by is None:
        progress = {
            p.project_id: p
            for p in ProjectProgress.objects.filter(project__plan=plan, fiscal_year=fiscal_year)
        }
    else:
        progress = _progress_as_of(plan, fiscal_year, recorded_by)
    records = DevelopmentRecord.objects.filter(
        project__plan=plan, source=DevelopmentRecord.Source.PROJECT, fiscal_year=fiscal_year
    ).exclude(result=DevelopmentRecord.Result.ABSENT)
    if first_half:
        records = records.filter(started_on__range=period)
    if recorded_by is not None:
        records = records.filter(started_on__lte=recorded_by)
    attended = {
        row["project_id"]: row
        for row in records.values("project_id").annotate(
            people=Count("staff_member", distinct=True), hours=Sum("hours")
        )
    }
    area_order = {value: i for i, value in enumerate(Area.values)}
    projects.sort(key=lambda p: (area_order.get(p.area, 99), p.order, p.pk))
    rows = []
    for project in projects:
        year = next(y for y in project.years.all() if y.fiscal_year == fiscal_year)
        state = progress.get(project.pk)
        status = state.status if state else ProjectProgress.Status.NOT_STARTED
        seen = attended.get(project.pk, {})
        rows.append(
            SummaryRow(
                target=len(audience.matching(names[project.pk].target(project))),
                attended=seen.get("people", 0),
                budget=year.budget,
                spend=state.actual_spend if state else ZERO,
                hours=seen.get("hours") or ZERO,
                project=project,
                area=project.area,
                area_label=project.get_area_display(),
                status=status,
                status_label=str(ProjectProgress.Status(status).label),
                result=state.result if state else "",
                issues=state.issues if state else "",
                suggestions=state.suggestions if state else "",
            )
        )
    areas: list[AreaSummary] = []
    total = Tally()
    for row in rows:
        if not areas or areas[-1].area != row.area:
            areas.append(AreaSummary(area=row.area, label=row.area_label))
        areas[-1].rows.append(row)
        areas[-1].add(row)
        total.add(row)
    return YearSummary(plan, fiscal_year, first_half, period, rows, areas, total)


# --- Attendance ---------------------------------------------------------------------


def attendance_candidates(*, project: Project, fiscal_year: int) -> list[StaffMember]:
    """Who may be ticked: the project's target group, plus anyone already recorded
    for it that year (someone who has since left or moved is still listed, so their
    record can be seen and removed)."""
    project = Project.objects.for_listing().get(pk=project.pk)
    members = Audience.load(project.plan.organization).members(project)
    known = {p.pk for p in members}
    recorded = (
        StaffMember.objects.filter(
            development_records__project=project,
            development_records__fiscal_year=fiscal_year,
        )
        .exclude(pk__in=known)
        .select_related("unit")
        .in_thai_order()
    )
    return members + list(recorded)


def attendance_records(*, project: Project, fiscal_year: int) -> dict[int, DevelopmentRecord]:
    """The project's attendance in a fiscal year, by person id."""
    return {
        r.staff_member_id: r
        for r in DevelopmentRecord.objects.filter(
            project=project, source=DevelopmentRecord.Source.PROJECT, fiscal_year=fiscal_year
        )
    }


@dataclass(frozen=True)
class AttendanceChange:
    added: int
    updated: int
    removed: int


@transaction.atomic
def attendance_save(
    *,
    project: Project,
    fiscal_year: int,
    listed: Iterable[StaffMember],
    attended: Iterable[StaffMember],
    started_on: dt.date,
    ended_on: dt.date,
    hours: Decimal,
    result: str,
) -> AttendanceChange:
    """Make the project's attendance in ``fiscal_year`` match the ticks: everyone in
    ``attended`` has a record with these dates, hours and result; everyone ``listed``
    but not ticked has none. People not listed are left alone."""
    listed_ids = {p.pk for p in listed}
    attended = [p for p in attended if p.pk in listed_ids]
    attended_ids = {p.pk for p in attended}
    existing = attendance_records(project=project, fiscal_year=fiscal_year)
    values = {
        "started_on": started_on,
        "ended_on": ended_on,
        "hours": hours,
        "result": result,
        "area": project.area,
    }
    removed = [r.pk for pid, r in existing.items() if pid in listed_ids - attended_ids]
    DevelopmentRecord.objects.filter(pk__in=removed).delete()
    to_update = [r for pid, r in existing.items() if pid in attended_ids]
    # The history shows only the records whose values this save changed.
    changed = [r for r in to_update if any(getattr(r, n) != v for n, v in values.items())]
    for record in to_update:
        for name, value in values.items():
            setattr(record, name, value)
        record.updated_at = timezone.now()
    DevelopmentRecord.objects.bulk_update(to_update, [*values, "updated_at"])
    organization_id = StaffMember.objects.filter(pk__in=attended_ids | listed_ids).values_list(
        "organization_id", flat=True
    )[:1]
    organization_id = next(iter(organization_id), None)
    history_bulk_record(changed, update=True, organization_id=organization_id)
    new = [
        DevelopmentRecord(
            staff_member=person,
            project=project,
            source=DevelopmentRecord.Source.PROJECT,
            fiscal_year=fiscal_year,
            **values,
        )
        for person in attended
        if person.pk not in existing
    ]
    DevelopmentRecord.objects.bulk_create(new)
    history_bulk_record(new, update=False, organization_id=organization_id)
    return AttendanceChange(len(new), len(to_update), len(removed))


# --- Progress --------------------------------------------------------------------


def progress_for(*, project: Project, fiscal_year: int) -> ProjectProgress:
    """The saved progress, or an unsaved blank one (opening the page saves nothing)."""
    return ProjectProgress.objects.filter(project=project, fiscal_year=fiscal_year).first() or (
        ProjectProgress(project=project, fiscal_year=fiscal_year)
    )


def progress_save(
    *, project: Project, fiscal_year: int, values: Mapping[str, Any]
) -> ProjectProgress:
    progress, _created = ProjectProgress.objects.update_or_create(
        project=project, fiscal_year=fiscal_year, defaults=dict(values)
    )
    return progress


# --- Courses staff report ------------------------------------------------------------


@transaction.atomic
def record_report(
    *, person: StaffMember, values: Mapping[str, Any], domains: Iterable[Domain] = ()
) -> DevelopmentRecord:
    """An external course the person reports; it waits for HR to confirm it. The
    fiscal year follows the start date."""
    record = DevelopmentRecord.objects.create(
        staff_member=person,
        source=DevelopmentRecord.Source.EXTERNAL,
        fiscal_year=fiscal_year(values["started_on"]),
        **values,
    )
    record.domains.set(domains)
    return record


def record_confirm(*, record: DevelopmentRecord, user: AbstractBaseUser) -> bool:
    """Confirm a reported course; False when it was already confirmed (by someone
    else meanwhile) or is not a reported course."""
    return bool(
        queryset_update_with_history(
            DevelopmentRecord.objects.filter(
                pk=record.pk, source=DevelopmentRecord.Source.EXTERNAL, confirmed_at__isnull=True
            ),
            confirmed_by=user,
            confirmed_at=timezone.now(),
        )
    )


def records_awaiting(*, organization_id: int) -> Any:
    return (
        DevelopmentRecord.objects.filter(
            staff_member__organization_id=organization_id,
            source=DevelopmentRecord.Source.EXTERNAL,
            confirmed_at__isnull=True,
        )
        .select_related("staff_member", "staff_member__unit")
        .prefetch_related("domains")
        .order_by("created_at", "pk")
    )


# --- One person ---------------------------------------------------------------------


@dataclass
class MyYear:
    fiscal_year: int
    projects: list[Project]
    records: list[DevelopmentRecord]

    @property
    def hours(self) -> Decimal:
        """Hours that count: confirmed records the person did not miss."""
        return sum(
            (
                r.hours
                for r in self.records
                if r.is_confirmed and r.result != DevelopmentRecord.Result.ABSENT
            ),
            ZERO,
        )

    @property
    def awaiting_hours(self) -> Decimal:
        return sum((r.hours for r in self.records if not r.is_confirmed), ZERO)


def my_years(*, person: StaffMember, plan: DevelopmentPlan | None) -> list[MyYear]:
    """Per fiscal year, newest first: the projects of ``plan`` planned that year whose
    target group includes the person, and all the person's records. Years of the plan
    come in even without records; years with records come in even outside the plan."""
    records = list(
        DevelopmentRecord.objects.filter(staff_member=person)
        .select_related("project")
        .order_by("-started_on", "-pk")
    )
    years: dict[int, MyYear] = {}
    if plan is not None:
        audience = Audience.load(plan.organization, people=[person])
        for fy in plan.fiscal_years:
            years[fy] = MyYear(fy, [], [])
        for project in plan.projects.for_listing().order_by("order", "pk"):
            if not audience.members(project):
                continue
            for year in project.years.all():
                if year.planned and year.fiscal_year in years:
                    years[year.fiscal_year].projects.append(project)
    for record in records:
        years.setdefault(record.fiscal_year, MyYear(record.fiscal_year, [], [])).records.append(
            record
        )
    return [years[fy] for fy in sorted(years, reverse=True)]
