"""The home page's parts that development plans know about (registered in
:meth:`plans.apps.PlansConfig.ready`):

- tasks: plans waiting for the ปลัด's review or the นายก's approval, drafts sent back to
  HR, courses waiting for HR to confirm them; the first-day step of an approved plan;
- the figures of the role dashboards (drawn by ``portal/_figure.html``): for executives
  and HR, how many of the people in post the plan reaches this fiscal year, the budget
  planned against the spend recorded by development area, and where the 6-month and
  annual reports of the year stand (:func:`report_status`); for HR, what the plan's
  follow-up waits for (projects past their dates with no attendance, reported courses
  to confirm, the findings of the plan's checks); for staff, my development hours this
  fiscal year against the organisation's target.

Each figure is worked out in a fixed number of queries, whatever the number of staff
or projects (tests/portal/test_dashboard_figures.py counts them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from plans.choices import Area
from plans.models import (
    DevelopmentPlan,
    DevelopmentRecord,
    IssuedReport,
    PlanStep,
    ProjectAudience,
    ProjectProgress,
    ProjectYear,
)
from plans.services import current_plan
from plans.transparency import PROGRESS, RESULTS, ita_item
from portal import data_version
from portal.dashboard import Figure, FigureLine, FigureTable, SetupStep, Task, percent
from portal.models import ChainPosition, Membership, Organization, Role
from portal.thai import (
    DateRange,
    current_fiscal_year,
    date_short,
    first_half_range,
    fiscal_year_range,
    money,
)
from skills.charts import BarRow, BarSeries, bar_chart
from staff.choices import PersonnelType
from staff.models import StaffMember

#: What waits for each position in the approval chain: the plans in that state, the
#: task's text, the page it opens and the link's label.
WAITING = {
    ChainPosition.CLERK: (
        DevelopmentPlan.Status.SUBMITTED,
        gettext_lazy("%(plan)s is waiting for your review."),
        "plans:detail",
        gettext_lazy("Review the plan"),
    ),
    ChainPosition.MAYOR: (
        DevelopmentPlan.Status.PROPOSED,
        gettext_lazy("%(plan)s is waiting for your approval."),
        "plans:approve",
        gettext_lazy("Review and approve"),
    ),
}


def _chain_tasks(membership: Membership) -> list[Task]:
    """The plans waiting for this person in the approval chain: the ปลัด's to review,
    the นายก's to approve, and HR's drafts that came back (with the reason)."""
    plans = DevelopmentPlan.objects.filter(organization=membership.organization)
    if membership.is_executive and membership.chain_position in WAITING:
        status, text, url_name, action = WAITING[membership.chain_position]
        return [
            Task(text % {"plan": plan}, reverse(url_name, args=[plan.pk]), str(action), "warn")
            for plan in plans.filter(status=status)
        ]
    if membership.is_hr:
        # A draft whose last step is a send-back: the reason is what HR acts on.
        last_step = PlanStep.objects.filter(plan=OuterRef("pk")).order_by("-at", "-pk")
        sent_back = plans.filter(status=DevelopmentPlan.Status.DRAFT).annotate(
            last_step=Subquery(last_step.values("step")[:1]),
            reason=Subquery(last_step.values("note")[:1]),
        )
        return [
            Task(
                _("%(plan)s was sent back for changes: %(reason)s")
                % {"plan": plan, "reason": plan.reason},
                reverse("plans:detail", args=[plan.pk]),
                _("Change the plan"),
                "warn",
            )
            for plan in sent_back.filter(last_step=PlanStep.Kind.SEND_BACK)
        ]
    return []


def records_waiting(organization: Organization) -> int:
    """Courses staff reported that HR has not confirmed yet (``/plans/records/``)."""
    return DevelopmentRecord.objects.filter(
        staff_member__organization=organization,
        source=DevelopmentRecord.Source.EXTERNAL,
        confirmed_at__isnull=True,
    ).count()


def plan_tasks(membership: Membership) -> list[Task]:
    organization = membership.organization
    tasks = _chain_tasks(membership)
    if membership.role == Role.HR:
        waiting = records_waiting(organization)
        if waiting:
            tasks.append(
                Task(
                    ngettext(
                        "%(n)s reported course is waiting for your confirmation.",
                        "%(n)s reported courses are waiting for your confirmation.",
                        waiting,
                    )
                    % {"n": waiting},
                    reverse("plans:records"),
                    _("Confirm"),
                    "warn",
                )
            )
    return tasks


def plan_steps(organization: Organization) -> list[SetupStep]:
    """The last step of the first-day setup: an approved development plan."""
    approved = DevelopmentPlan.objects.filter(
        organization=organization, status__in=DevelopmentPlan.LOCKED
    ).exists()
    return [
        SetupStep(
            80,
            _("Development plan"),
            _("a 3-year plan approved"),
            reverse("plans:list"),
            approved,
        )
    ]


# --- The role dashboards --------------------------------------------------------

ZERO = Decimal("0")
#: How many projects past their dates the HR dashboard names (the rest are counted).
NAMED = 5


def _counted(records):
    """Records that count as development done: not missed, and either attendance HR
    recorded or an external course HR confirmed (as the person's hours on /me/)."""
    return records.exclude(result=DevelopmentRecord.Result.ABSENT).filter(
        Q(source=DevelopmentRecord.Source.PROJECT) | Q(confirmed_at__isnull=False)
    )


# --- Coverage --------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    personnel_type: str
    label: str
    reached: int
    total: int

    @property
    def percent(self) -> int | None:
        return percent(self.reached, self.total)


def plan_coverage(
    *, organization: Organization, plan: DevelopmentPlan | None, fiscal_year: int
) -> list[CoverageRow]:
    """People in post (active staff records) by personnel type, and how many of them
    are reached in ``fiscal_year``: in the stored target group of at least one project
    of ``plan`` planned that year, or with development counted that year (one query)."""
    planned = ProjectAudience.objects.filter(
        staff_member=OuterRef("pk"),
        project__plan=plan,
        project__years__fiscal_year=fiscal_year,
        project__years__planned=True,
    )
    attended = _counted(
        DevelopmentRecord.objects.filter(staff_member=OuterRef("pk"), fiscal_year=fiscal_year)
    )
    reached = Q(Exists(attended))
    if plan is not None:
        reached |= Q(Exists(planned))
    counts = {
        row["personnel_type"]: row
        for row in StaffMember.objects.filter(organization=organization, is_active=True)
        .values("personnel_type")
        .annotate(total=Count("pk"), reached=Count("pk", filter=reached))
        .order_by()
    }
    return [
        CoverageRow(value, str(label), counts[value]["reached"], counts[value]["total"])
        for value, label in PersonnelType.choices
        if value in counts
    ]


def _coverage_figure(organization: Organization, plan: DevelopmentPlan | None, fy: int) -> Figure:
    rows = plan_coverage(organization=organization, plan=plan, fiscal_year=fy)
    title = _("Plan coverage, FY %(fy)s") % {"fy": fy}
    url = reverse("plans:checks", args=[plan.pk]) if plan else reverse("plans:list")
    link = _("See who is not reached") if plan else _("Development plans")
    if not rows:
        return Figure(
            10,
            "coverage",
            title,
            reverse("staff:list"),
            _("Staff records"),
            empty=_("No one is recorded as working here yet: coverage counts the people in post."),
        )
    reached = sum(r.reached for r in rows)
    total = sum(r.total for r in rows)

    chart = bar_chart(
        title=_("Reached, by personnel type"),
        rows=[
            # Numbers only beside the bar ("24/24 · 100%"): the table has the words.
            BarRow(r.label, [r.percent], [f"{r.reached}/{r.total} · {r.percent}%"], ["#3d9a5b"])
            for r in rows
        ],
        series=[BarSeries(_("Reached"))],
        maximum=100,
    )
    return Figure(
        10,
        "coverage",
        title,
        url,
        link,
        headline=_("%(reached)s of %(total)s people in post are reached (%(percent)s%%).")
        % {"reached": reached, "total": total, "percent": percent(reached, total)},
        note=(
            _(
                "Reached: in the target group of at least one project of the plan in force "
                "planned for this fiscal year, or with development recorded this year "
                "(attendance, or an external course HR confirmed)."
            )
            if plan
            else _(
                "No approved plan covers this fiscal year: only development recorded this "
                "year counts."
            )
        ),
        chart=chart,
        table=FigureTable(
            _("People reached, by personnel type"),
            [_("Personnel type"), _("Reached"), _("In post"), _("Percent")],
            [[r.label, str(r.reached), str(r.total), f"{r.percent}%"] for r in rows]
            + [[_("Total"), str(reached), str(total), f"{percent(reached, total)}%"]],
        ),
    )


# --- Budget and spend ------------------------------------------------------------------


@dataclass
class BudgetSpend:
    """Budget planned and spend recorded, by (fiscal year, development area)."""

    fiscal_years: list[int]
    planned: dict[tuple[int, str], Decimal]
    spent: dict[tuple[int, str], Decimal]

    def year(self, fy: int) -> tuple[Decimal, Decimal]:
        return (
            sum((v for (y, _a), v in self.planned.items() if y == fy), ZERO),
            sum((v for (y, _a), v in self.spent.items() if y == fy), ZERO),
        )

    def areas(self, fy: int) -> list[tuple[str, str, Decimal, Decimal]]:
        """(area, label, planned, spent) of the areas with either, in the areas' order."""
        return [
            (area, str(label), self.planned.get((fy, area), ZERO), self.spent.get((fy, area), ZERO))
            for area, label in Area.choices
            if (fy, area) in self.planned or (fy, area) in self.spent
        ]


def budget_spend(*, plan: DevelopmentPlan) -> BudgetSpend:
    """The plan's budget per FY × area (planned project years) and the actual spend
    recorded on each project's progress of the year (two queries)."""
    planned = {
        (row["fiscal_year"], row["project__area"]): row["total"]
        for row in ProjectYear.objects.filter(project__plan=plan, planned=True)
        .values("fiscal_year", "project__area")
        .annotate(total=Sum("budget"))
        .order_by()
    }
    spent = {
        (row["fiscal_year"], row["project__area"]): row["total"]
        for row in ProjectProgress.objects.filter(project__plan=plan)
        .values("fiscal_year", "project__area")
        .annotate(total=Sum("actual_spend"))
        .order_by()
    }
    return BudgetSpend(plan.fiscal_years, planned, spent)


def _baht(value: Decimal) -> str:
    return money(value, whole_baht=True)


def _budget_figure(plan: DevelopmentPlan | None, fy: int) -> Figure:
    title = _("Budget planned and spent by development area")
    if plan is None:
        return Figure(
            20,
            "budget",
            title,
            reverse("plans:list"),
            _("Development plans"),
            empty=_("No approved development plan yet: its budget shows here once approved."),
        )
    found = budget_spend(plan=plan)
    series = [BarSeries(_("Planned")), BarSeries(_("Spent"))]
    in_plan = fy in plan.fiscal_years
    shown_fy = fy if in_plan else plan.fiscal_years[0]
    planned, spent = found.year(shown_fy)
    areas = found.areas(shown_fy)
    charts = []
    if areas:
        charts.append(
            bar_chart(
                title=_("FY %(fy)s by area (baht)") % {"fy": shown_fy},
                rows=[BarRow(label, [p, s], [_baht(p), _baht(s)]) for _a, label, p, s in areas],
                series=series,
            )
        )
    years = [(year, *found.year(year)) for year in found.fiscal_years]
    charts.append(
        bar_chart(
            title=_("The plan's three years (baht)"),
            rows=[
                BarRow(_("FY %(fy)s") % {"fy": year}, [p, s], [_baht(p), _baht(s)])
                for year, p, s in years
            ],
            series=series,
        )
    )
    table_rows = [
        [_("FY %(fy)s") % {"fy": year}, label, _baht(p), _baht(s)]
        for year in found.fiscal_years
        for _a, label, p, s in found.areas(year)
    ] + [[_("FY %(fy)s") % {"fy": year}, _("Total"), _baht(p), _baht(s)] for year, p, s in years]
    url_name = "plans:results" if in_plan else "plans:detail"
    url_args = [plan.pk, shown_fy] if in_plan else [plan.pk]
    share = percent(int(spent), int(planned))
    return Figure(
        20,
        "budget",
        title,
        reverse(url_name, args=url_args),
        _("See each project's budget and spend") if in_plan else _("See the plan"),
        headline=(
            _("FY %(fy)s: %(spent)s baht spent of %(planned)s baht planned (%(percent)s%%).")
            if share is not None
            else _("FY %(fy)s: %(spent)s baht spent; no budget planned.")
        )
        % {"fy": shown_fy, "spent": _baht(spent), "planned": _baht(planned), "percent": share},
        note=_(
            "Planned: the budgets of the projects planned in each year. Spent: the actual "
            "spend recorded on each project's progress of the year."
        ),
        chart=mark_safe("".join(charts)),  # each made safe by bar_chart
        table=FigureTable(
            _("Budget planned and spent (baht)"),
            [_("Fiscal year"), _("Development area"), _("Planned"), _("Spent")],
            table_rows,
        ),
    )


# --- The period reports ----------------------------------------------------------------


@dataclass(frozen=True)
class ReportState:
    """Where one period report of a fiscal year stands."""

    kind: str  # transparency.PROGRESS (6 months, o24) or RESULTS (the year, o26)
    title: str
    ita_item: str  # e.g. "o24"; "" before the first ITA year we know
    period: DateRange
    ended: bool  # the period is over: the report can be issued
    url: str
    issued: IssuedReport | None = None  # its latest issue by today (plans/issued.py)


def report_status(
    *, plan: DevelopmentPlan, fiscal_year: int, today: dt.date | None = None
) -> list[ReportState]:
    """The 6-month progress report and the annual results report of ``fiscal_year``:
    their period, whether it has ended, the ITA item each answers, the page that issues
    it and its latest issue so far. One query."""
    today = today or timezone.localdate()
    latest: dict[str, IssuedReport] = {}
    issues = IssuedReport.objects.filter(
        plan=plan, fiscal_year=fiscal_year, issued_at__date__lte=today
    ).order_by("number")
    for issued in issues:
        latest[issued.period] = issued
    reports = [
        (PROGRESS, _("6-month progress report"), first_half_range(fiscal_year), "plans:progress"),
        (RESULTS, _("Annual results report"), fiscal_year_range(fiscal_year), "plans:results"),
    ]
    return [
        ReportState(
            kind=kind,
            title=title,
            ita_item=ita_item(kind=kind, fiscal_year=fiscal_year)[1],
            period=period,
            ended=period.end < today,
            url=reverse(url_name, args=[plan.pk, fiscal_year]),
            issued=latest.get(kind),
        )
        for kind, title, period, url_name in reports
    ]


def _report_line(state: ReportState) -> FigureLine:
    item = _(" (ITA %(item)s)") % {"item": state.ita_item} if state.ita_item else ""
    values = {"report": state.title, "item": item, "date": date_short(state.period.end)}
    if state.issued is not None:
        text = _("%(report)s%(item)s: issue no. %(number)s of %(issued_on)s.") % {
            **values,
            "number": state.issued.number,
            "issued_on": date_short(timezone.localdate(state.issued.issued_at)),
        }
        return FigureLine(text, state.url, "ok")
    if state.ended:
        text = _("%(report)s%(item)s: the period ended on %(date)s; the report is to be issued.")
    else:
        text = _("%(report)s%(item)s: the period ends on %(date)s.")
    return FigureLine(text % values, state.url, "warn" if state.ended else "info")


def _reports_figure(plan: DevelopmentPlan | None, fy: int, today: dt.date) -> Figure:
    title = _("Reports of FY %(fy)s") % {"fy": fy}
    if plan is None or fy not in plan.fiscal_years:
        return Figure(
            30,
            "reports",
            title,
            reverse("plans:list"),
            _("Development plans"),
            empty=_("No approved plan covers this fiscal year, so it has no reports to make."),
        )
    states = report_status(plan=plan, fiscal_year=fy, today=today)
    ended = sum(state.ended for state in states)
    issued = sum(state.issued is not None for state in states)
    if ended:
        headline = _("%(issued)s of the %(ended)s reports due so far have been issued.") % {
            "issued": issued,
            "ended": ended,
        }
    else:
        headline = _("No report period of this year has ended yet.")
    return Figure(
        30,
        "reports",
        title,
        states[0].url,
        _("Open the 6-month report"),
        headline=headline,
        note=_(
            "The organisation publishes both reports on its transparency page for the ITA "
            "assessment."
        ),
        lines=[_report_line(state) for state in states],
    )


# --- HR: following the plan ------------------------------------------------------------

QUARTER_ENDS = {1: (12, 31), 2: (3, 31), 3: (6, 30), 4: (9, 30)}


def quarter_end(fiscal_year: int, quarter: int) -> dt.date:
    """The last day of a quarter of a Thai fiscal year (Q1 = ต.ค.–ธ.ค. of the year before)."""
    month, day = QUARTER_ENDS[quarter]
    ce = fiscal_year - 543 - (1 if quarter == 1 else 0)
    return dt.date(ce, month, day)


@dataclass(frozen=True)
class OverdueProject:
    project_id: int
    name: str
    fiscal_year: int
    ended_on: dt.date


def projects_without_attendance(
    *, plan: DevelopmentPlan, today: dt.date | None = None
) -> list[OverdueProject]:
    """Projects planned in a year of the plan whose last planned quarter (or the year,
    when no quarter is set) has ended, with no attendance recorded for that year (one
    query), the longest overdue first."""
    today = today or timezone.localdate()
    attendance = DevelopmentRecord.objects.filter(
        project=OuterRef("project"),
        fiscal_year=OuterRef("fiscal_year"),
        source=DevelopmentRecord.Source.PROJECT,
    )
    found = []
    for year in (
        ProjectYear.objects.filter(
            project__plan=plan, planned=True, fiscal_year__lte=current_fiscal_year(today)
        )
        .annotate(attended=Exists(attendance))
        .filter(attended=False)
        .values("project_id", "project__name", "fiscal_year", "quarters")
    ):
        quarters = [q for q in year["quarters"] or [] if q in QUARTER_ENDS]
        fy = year["fiscal_year"]
        # Quarters run in the fiscal year's order: Q1 (ต.ค.–ธ.ค.) first, Q4 last.
        ended_on = quarter_end(fy, max(quarters)) if quarters else fiscal_year_range(fy).end
        if ended_on < today:
            found.append(OverdueProject(year["project_id"], year["project__name"], fy, ended_on))
    return sorted(found, key=lambda p: (p.ended_on, p.name))


def _findings_key(plan: DevelopmentPlan, today: dt.date) -> str:
    data_version.flush_process_writes()
    version = (
        Organization.objects.filter(pk=plan.organization_id)
        .values_list("data_version", flat=True)
        .get()
    )
    return f"plan-findings:{plan.organization_id}:{plan.pk}:{version}:{today.isoformat()}"


def plan_findings_count(*, plan: DevelopmentPlan, today: dt.date | None = None) -> int:
    """How many findings the plan's checks have, as on its checks page. Running the
    checks costs more than the rest of the dashboard together, and their answer
    changes only when the organisation's data does (its data version moves on with
    every write, portal/data_version.py) or with the day (a round closes, a year
    starts), so the count is kept in the cache under both."""
    from plans.checks import plan_check

    today = today or timezone.localdate()
    key = _findings_key(plan, today)
    found = cache.get(key)
    if found is None:
        found = plan_check(plan=plan, today=today).total
        cache.set(key, found, 60 * 60 * 24)
    return found


def plan_findings_cached(*, plan: DevelopmentPlan, today: dt.date | None = None) -> int | None:
    """The count of :func:`plan_findings_count` if it is in the cache, else None (the
    page then loads it after it has shown, as the plan page does)."""
    return cache.get(_findings_key(plan, today or timezone.localdate()))


def _follow_up_figure(organization: Organization, plan: DevelopmentPlan | None) -> Figure:
    lines: list[FigureLine] = []
    overdue = projects_without_attendance(plan=plan) if plan else []
    for project in overdue[:NAMED]:
        lines.append(
            FigureLine(
                _("%(project)s (FY %(fy)s) ended on %(date)s with no attendance recorded.")
                % {
                    "project": project.name,
                    "fy": project.fiscal_year,
                    "date": date_short(project.ended_on),
                },
                reverse(
                    "plans:attendance", args=[plan.pk, project.fiscal_year, project.project_id]
                ),
                "warn",
            )
        )
    if len(overdue) > NAMED:
        lines.append(
            FigureLine(
                _("and %(n)s more projects past their dates with no attendance.")
                % {"n": len(overdue) - NAMED},
                reverse("plans:detail", args=[plan.pk]),
                "warn",
            )
        )
    waiting = records_waiting(organization)
    if waiting:
        lines.append(
            FigureLine(
                ngettext(
                    "%(n)s reported course waits for your confirmation.",
                    "%(n)s reported courses wait for your confirmation.",
                    waiting,
                )
                % {"n": waiting},
                reverse("plans:records"),
                "warn",
            )
        )
    if plan is not None:
        lines.append(_findings_line(plan))
    title = _("Following the plan")
    if plan is None:
        return Figure(
            5,
            "follow-up",
            title,
            reverse("plans:list"),
            _("Development plans"),
            lines=lines,
            empty="" if lines else _("No approved development plan yet: nothing to follow up."),
        )
    return Figure(
        5,
        "follow-up",
        title,
        reverse("plans:detail", args=[plan.pk]),
        _("Open the plan in force"),
        headline=_(
            "%(overdue)s projects past their dates with no attendance, %(waiting)s courses "
            "to confirm."
        )
        % {"overdue": len(overdue), "waiting": waiting},
        lines=lines,
    )


def _findings_line(plan: DevelopmentPlan) -> FigureLine:
    """The checks' findings: their count when the cache has it; otherwise a line the
    page fills in after it has shown (``?count=1``), so that the first home page after
    a change never waits for the checks."""
    url = reverse("plans:checks", args=[plan.pk])
    findings = plan_findings_cached(plan=plan)
    if findings is None:
        title = _("Coverage and alignment checks")
        return FigureLine(title, url, "info", load_url=f"{url}?count=1")
    if findings:
        text = ngettext(
            "The checks of the plan have %(n)s finding.",
            "The checks of the plan have %(n)s findings.",
            findings,
        )
        return FigureLine(text % {"n": findings}, url, "warn")
    return FigureLine(_("The checks of the plan found nothing to fix."), url, "ok")


# --- Staff: my hours -------------------------------------------------------------------


@dataclass(frozen=True)
class MyHours:
    hours: Decimal  # counted: attended, or confirmed by HR
    awaiting: Decimal  # reported courses HR has not confirmed yet
    target: int


def my_hours(*, person: StaffMember, fiscal_year: int) -> MyHours:
    """The person's development hours in ``fiscal_year`` (one query): the hours that
    count, as on /me/, and those waiting for HR's confirmation."""
    records = DevelopmentRecord.objects.filter(staff_member=person, fiscal_year=fiscal_year)
    found = records.exclude(result=DevelopmentRecord.Result.ABSENT).aggregate(
        counted=Sum(
            "hours",
            filter=Q(source=DevelopmentRecord.Source.PROJECT) | Q(confirmed_at__isnull=False),
        ),
        awaiting=Sum(
            "hours",
            filter=Q(source=DevelopmentRecord.Source.EXTERNAL, confirmed_at__isnull=True),
        ),
    )
    return MyHours(
        found["counted"] or ZERO,
        found["awaiting"] or ZERO,
        person.organization.development_hours_target,
    )


def _hours_text(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"


def _my_hours_figure(membership: Membership, person: StaffMember | None, fy: int) -> Figure:
    title = _("My development hours, FY %(fy)s") % {"fy": fy}
    url = reverse("me:home")
    if person is None:
        return Figure(
            10,
            "my-hours",
            title,
            url,
            _("My development"),
            empty=_(
                "Your account is not linked to a staff record, so there are no hours to "
                "show. Ask the HR officer to link it."
            ),
        )
    found = my_hours(person=person, fiscal_year=fy)
    target = found.target
    hours = _hours_text(found.hours)
    chart = bar_chart(
        title=_("Hours this fiscal year against the target"),
        rows=[
            BarRow(
                _("My hours"),
                [found.hours],
                [_("%(hours)s hours") % {"hours": hours}],
                ["#3d9a5b" if target and found.hours >= target else "#2f6db5"],
            )
        ],
        series=[BarSeries(_("Hours"))],
        maximum=max(Decimal(target), found.hours),
        marker=(target, _("Target %(n)s hours") % {"n": target}) if target else None,
    )
    if not target:
        headline = _("%(hours)s hours this fiscal year.") % {"hours": hours}
    elif found.hours >= target:
        headline = _("%(hours)s hours: the target of %(target)s hours is reached.") % {
            "hours": hours,
            "target": target,
        }
    else:
        headline = _("%(hours)s of %(target)s hours: %(left)s hours to go.") % {
            "hours": hours,
            "target": target,
            "left": _hours_text(Decimal(target) - found.hours),
        }
    note = _(
        "Counted: projects attended and external courses the HR officer confirmed. The "
        "target is the organisation's (set by HR on the settings page)."
    )
    if found.awaiting:
        note += " " + _("%(hours)s more hours wait for HR's confirmation.") % {
            "hours": _hours_text(found.awaiting)
        }
    return Figure(
        10,
        "my-hours",
        title,
        url,
        _("See my development"),
        headline=headline,
        note=note,
        chart=chart,
        table=FigureTable(
            _("My hours this fiscal year"),
            [_("Counted hours"), _("Waiting for confirmation"), _("Target")],
            [[hours, _hours_text(found.awaiting), str(target)]],
        ),
    )


# --- The sources -----------------------------------------------------------------------


def plan_figures(membership: Membership) -> list[Figure]:
    organization = membership.organization
    today = timezone.localdate()
    fy = current_fiscal_year(today)
    if membership.role == Role.STAFF:
        person = (
            StaffMember.objects.filter(organization=organization, user=membership.user)
            .select_related("organization")
            .first()
        )
        return [_my_hours_figure(membership, person, fy)]
    plan = current_plan(organization, today)
    figures = [
        _coverage_figure(organization, plan, fy),
        _budget_figure(plan, fy),
        _reports_figure(plan, fy, today),
    ]
    if membership.role == Role.HR:
        figures.append(_follow_up_figure(organization, plan))
    return figures
