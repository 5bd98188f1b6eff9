"""Home-page tasks of development plans: plans waiting for a decision, courses waiting
for HR to confirm them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.models import DevelopmentPlan, DevelopmentRecord
from portal.dashboard import SetupStep, Task
from portal.models import Membership, Organization, Role


def plan_tasks(membership: Membership) -> list[Task]:
    organization = membership.organization
    tasks = []
    if membership.role == Role.EXECUTIVE:
        for plan in DevelopmentPlan.objects.filter(organization=organization, status="proposed"):
            tasks.append(
                Task(
                    _("%(plan)s is waiting for your approval.") % {"plan": plan},
                    reverse("plans:detail", args=[plan.pk]),
                    _("Review the plan"),
                    "warn",
                )
            )
    if membership.role == Role.HR:
        waiting = DevelopmentRecord.objects.filter(
            staff_member__organization=organization,
            source=DevelopmentRecord.Source.EXTERNAL,
            confirmed_at__isnull=True,
        ).count()
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
