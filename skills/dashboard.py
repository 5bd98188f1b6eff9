"""The home page's parts that digital skills know about: tasks (a round to answer; for
HR and executives, how far the open rounds have come), the first-day step of a round,
and the figures of the role dashboards — for executives and HR the latest round's
submission rate and the domains with the largest gaps, for HR the rounds closing soon
and who has not answered, for staff my round to answer and my gaps with the planned
development that closes them. Each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Figure, FigureLine, FigureTable, SetupStep, Task, percent
from portal.models import Membership, Organization, Role
from portal.thai import date_short
from skills.charts import BarRow, BarSeries, bar_chart, colour
from skills.development import person_latest_gaps
from skills.models import Assessment, AssessmentRound, Domain
from skills.services import round_domain_gaps
from skills.services.results import latest_closed_round
from staff.models import StaffMember

#: A round closing within this many days is "closing soon" on the HR dashboard.
CLOSING_SOON_DAYS = 14
#: How many domains the executive's figure names as the largest gaps.
LARGEST = 3
#: How many people who have not answered the HR dashboard names per round.
NAMED = 5


def skill_tasks(membership: Membership) -> list[Task]:
    today = timezone.localdate()
    rounds = list(
        AssessmentRound.objects.filter(
            organization=membership.organization, opens_on__lte=today, closes_on__gte=today
        ).select_related("framework")
    )
    tasks = []
    person = StaffMember.objects.filter(
        organization=membership.organization, user=membership.user
    ).first()
    submitted = set(
        Assessment.objects.submitted()
        .filter(staff_member=person, round__in=rounds)
        .values_list("round_id", flat=True)
        if person
        else []
    )
    for open_round in rounds:
        if person and open_round.pk not in submitted:
            tasks.append(
                Task(
                    _("The digital skill self-assessment is open until %(date)s.")
                    % {"date": date_short(open_round.closes_on)},
                    reverse("skills:assess", args=[open_round.pk]),
                    _("Fill it in"),
                    "warn",
                )
            )
        if membership.role in (Role.HR, Role.EXECUTIVE):
            # Counted in SQL (two queries): the round's page lists the people.
            progress = round_submission(open_round)
            tasks.append(
                Task(
                    _("%(round)s: %(done)s of %(total)s people have submitted (%(percent)s%%).")
                    % {
                        "round": open_round,
                        "done": progress.submitted,
                        "total": progress.expected,
                        "percent": progress.percent or 0,
                    },
                    reverse("skills:round_detail", args=[open_round.pk]),
                    _("See who has not"),
                )
            )
    return tasks


def skill_steps(organization: Organization) -> list[SetupStep]:
    """The first-day setup's skill step: a self-assessment round that has opened."""
    opened = AssessmentRound.objects.filter(
        organization=organization, opens_on__lte=timezone.localdate()
    ).exists()
    return [
        SetupStep(
            70,
            _("Digital skill self-assessment"),
            _("a round has opened"),
            reverse("skills:rounds"),
            opened,
        )
    ]


# --- The role dashboards -------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    round: AssessmentRound
    submitted: int
    expected: int

    @property
    def percent(self) -> int | None:
        return percent(self.submitted, self.expected)


def round_submission(the_round: AssessmentRound) -> Submission:
    """How many of the people expected to answer (as on the round's page: the active
    staff, and anyone who answered and has left since) have submitted (two queries)."""
    expected = (
        StaffMember.objects.filter(organization_id=the_round.organization_id)
        .filter(Q(is_active=True) | Q(assessments__round=the_round))
        .distinct()
        .count()
    )
    submitted = Assessment.objects.submitted().filter(round=the_round).count()
    return Submission(the_round, submitted, expected)


@dataclass(frozen=True)
class DomainGap:
    domain: Domain
    average: Decimal | None  # average gap of the people assessed
    with_gap: int
    assessed: int


def domain_gaps(the_round: AssessmentRound) -> list[DomainGap]:
    """Each domain's average gap in a round, largest first (from the round's stored
    scores once it has closed, see skills.services.results)."""
    domains, cells = round_domain_gaps(the_round)
    found = [
        DomainGap(
            domain,
            cells[domain.pk].average if domain.pk in cells else None,
            cells[domain.pk].with_gap if domain.pk in cells else 0,
            cells[domain.pk].people if domain.pk in cells else 0,
        )
        for domain in domains
    ]
    return sorted(found, key=lambda g: (g.average is None, -(g.average or 0), g.domain.order))


def _round_figure(organization: Organization, today: dt.date) -> Figure:
    title = _("Digital skill self-assessment")
    latest = (
        AssessmentRound.objects.filter(organization=organization, opens_on__lte=today)
        .select_related("framework")
        .order_by("-opens_on", "-pk")
        .first()
    )
    if latest is None:
        return Figure(
            40,
            "round",
            title,
            reverse("skills:rounds"),
            _("Assessment rounds"),
            empty=_("No self-assessment round has opened yet: open one to see the gaps."),
        )
    rate = round_submission(latest)
    closed = latest if latest.is_closed(today) else latest_closed_round(organization, today)
    headline = _("%(round)s: %(submitted)s of %(expected)s people submitted (%(percent)s%%).") % {
        "round": latest,
        "submitted": rate.submitted,
        "expected": rate.expected,
        "percent": rate.percent if rate.percent is not None else 0,
    }
    if latest.is_open(today):
        headline += " " + _("Open until %(date)s.") % {"date": date_short(latest.closes_on)}
    gaps = domain_gaps(closed) if closed else []
    largest = [g for g in gaps if g.average][:LARGEST]
    if closed is None:
        note = _("The gaps show once a round has closed.")
    elif largest:
        note = _("Largest gaps in %(round)s: %(domains)s.") % {
            "round": closed,
            "domains": ", ".join(f"{g.domain.display_name} ({g.average:.1f})" for g in largest),
        }
    else:
        note = _("No one assessed in %(round)s has a gap.") % {"round": closed}
    chart = ""
    table = None
    assessed = [g for g in gaps if g.assessed]
    if assessed:
        chart = bar_chart(
            title=_("Average gap by domain (levels)"),
            rows=[
                BarRow(
                    f"{g.domain.code} {g.domain.display_name}",
                    [g.average],
                    [f"{g.average:.1f}"],
                    [colour(g.average)],
                )
                for g in assessed
            ],
            series=[BarSeries(_("Average gap"))],
            maximum=max(Decimal(2), *(g.average for g in assessed)),
        )
        table = FigureTable(
            _("Gaps by domain in %(round)s") % {"round": closed},
            [_("Domain"), _("Average gap"), _("People with a gap"), _("Assessed")],
            [
                [g.domain.display_name, f"{g.average:.1f}", str(g.with_gap), str(g.assessed)]
                for g in assessed
            ],
        )
    return Figure(
        40,
        "round",
        title,
        reverse("skills:round_results", args=[closed.pk])
        if closed
        else reverse("skills:round_detail", args=[latest.pk]),
        _("See the results by unit and group") if closed else _("See who has not answered"),
        headline=headline,
        note=note,
        chart=chart,
        table=table,
    )


def _closing_figure(organization: Organization, today: dt.date) -> Figure | None:
    """HR: the open rounds closing within CLOSING_SOON_DAYS and who has not answered
    (the first few by name); None when no round is closing soon. Two queries per
    such round (an organisation has one or two open at once), none per person."""
    rounds = list(
        AssessmentRound.objects.filter(
            organization=organization,
            opens_on__lte=today,
            closes_on__gte=today,
            closes_on__lte=today + dt.timedelta(days=CLOSING_SOON_DAYS),
        ).order_by("closes_on", "pk")
    )
    if not rounds:
        return None
    lines = []
    for the_round in rounds:
        waiting = StaffMember.objects.filter(organization=organization, is_active=True).exclude(
            Exists(
                Assessment.objects.submitted().filter(round=the_round, staff_member=OuterRef("pk"))
            )
        )
        count = waiting.count()
        named = [str(p) for p in waiting.in_thai_order()[:NAMED]] if count else []
        if count:
            text = _("%(round)s closes on %(date)s; %(n)s people have not submitted: %(names)s") % {
                "round": the_round,
                "date": date_short(the_round.closes_on),
                "n": count,
                "names": ", ".join(named) + ("…" if count > len(named) else ""),
            }
        else:
            text = _("%(round)s closes on %(date)s; everyone has submitted.") % {
                "round": the_round,
                "date": date_short(the_round.closes_on),
            }
        lines.append(
            FigureLine(
                text, reverse("skills:round_detail", args=[the_round.pk]), "warn" if count else "ok"
            )
        )
    return Figure(
        6,
        "closing",
        _("Rounds closing soon"),
        reverse("skills:round_detail", args=[rounds[0].pk]),
        _("See who has not answered"),
        note=_("Open rounds that close within %(days)s days.") % {"days": CLOSING_SOON_DAYS},
        lines=lines,
    )


def _my_round_figure(person: StaffMember, today: dt.date) -> Figure:
    title = _("My self-assessment")
    open_rounds = list(
        AssessmentRound.objects.filter(
            organization_id=person.organization_id, opens_on__lte=today, closes_on__gte=today
        ).order_by("closes_on", "pk")
    )
    status = dict(
        Assessment.objects.filter(staff_member=person, round__in=open_rounds).values_list(
            "round_id", "status"
        )
    )
    if not open_rounds:
        return Figure(
            20,
            "my-round",
            title,
            reverse("skills:me"),
            _("My self-assessments"),
            empty=_("No self-assessment round is open now."),
        )
    lines = []
    for the_round in open_rounds:
        state = status.get(the_round.pk, "")
        values = {"round": the_round, "date": date_short(the_round.closes_on)}
        if state == Assessment.Status.SUBMITTED:
            lines.append(
                FigureLine(
                    _("%(round)s: submitted. Thank you.") % values,
                    reverse("skills:me"),
                    "ok",
                )
            )
        else:
            text = (
                _("%(round)s: started, not yet submitted; open until %(date)s.")
                if state
                else _("%(round)s: not started; open until %(date)s.")
            )
            lines.append(
                FigureLine(text % values, reverse("skills:assess", args=[the_round.pk]), "warn")
            )
    answered = sum(status.get(r.pk) == Assessment.Status.SUBMITTED for r in open_rounds)
    first = open_rounds[0]
    return Figure(
        20,
        "my-round",
        title,
        reverse("skills:assess", args=[first.pk])
        if answered < len(open_rounds)
        else (reverse("skills:me")),
        _("Fill it in") if answered < len(open_rounds) else _("My self-assessments"),
        lines=lines,
    )


def _my_gaps_figure(person: StaffMember) -> Figure:
    title = _("My skill gaps and the development that closes them")
    assessment, gaps = person_latest_gaps(person=person)
    if assessment is None:
        return Figure(
            30,
            "my-gaps",
            title,
            reverse("skills:me"),
            _("My self-assessments"),
            empty=_("Your gaps show here once you have submitted a self-assessment."),
        )
    url = reverse("me:home")
    if not gaps:
        return Figure(
            30,
            "my-gaps",
            title,
            reverse("skills:assessment_detail", args=[assessment.pk]),
            _("See my result"),
            headline=_("In %(round)s you reached the target in every domain.")
            % {"round": assessment.round},
        )
    lines = []
    for result, options in gaps:
        planned = [o.title for o in options if not o.is_recommendation]
        if planned:
            text = _("%(domain)s: gap %(gap)s; planned: %(projects)s") % {
                "domain": result.domain.display_name,
                "gap": result.gap,
                "projects": ", ".join(planned),
            }
        else:
            text = _("%(domain)s: gap %(gap)s; no project of the plan addresses it yet.") % {
                "domain": result.domain.display_name,
                "gap": result.gap,
            }
        lines.append(FigureLine(text, url, "info" if planned else "warn"))
    return Figure(
        30,
        "my-gaps",
        title,
        url,
        _("See my development"),
        headline=_("%(n)s domains below your target in %(round)s.")
        % {"n": len(gaps), "round": assessment.round},
        chart=bar_chart(
            title=_("My gap by domain (levels)"),
            rows=[
                BarRow(
                    f"{r.domain.code} {r.domain.display_name}",
                    [r.gap],
                    [str(r.gap)],
                    [colour(r.gap)],
                )
                for r, _o in gaps
            ],
            series=[BarSeries(_("Gap"))],
            maximum=max(2, *(r.gap for r, _o in gaps)),
        ),
        table=FigureTable(
            _("My gaps"),
            [_("Domain"), _("My score"), _("Target"), _("Gap")],
            [[r.domain.display_name, str(r.score), str(r.target), str(r.gap)] for r, _o in gaps],
        ),
        lines=lines,
    )


def skill_figures(membership: Membership) -> list[Figure]:
    organization = membership.organization
    today = timezone.localdate()
    if membership.role == Role.STAFF:
        person = StaffMember.objects.filter(organization=organization, user=membership.user).first()
        if person is None:
            return []  # the hours figure already says the account is not linked
        return [_my_round_figure(person, today), _my_gaps_figure(person)]
    figures = [_round_figure(organization, today)]
    if membership.role == Role.HR:
        closing = _closing_figure(organization, today)
        if closing is not None:
            figures.append(closing)
    return figures
