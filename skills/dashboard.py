"""Home-page tasks of digital skills: a round to answer; for HR and executives, how far
the open rounds have come."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import SetupStep, Task
from portal.models import Membership, Organization, Role
from portal.thai import date_short
from skills.models import Assessment, AssessmentRound
from skills.services import round_progress
from staff.models import StaffMember


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
            progress = round_progress(open_round)
            tasks.append(
                Task(
                    _("%(round)s: %(done)s of %(total)s people have submitted (%(percent)s%%).")
                    % {
                        "round": open_round,
                        "done": progress.submitted,
                        "total": progress.total,
                        "percent": progress.percent,
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
