"""Home-page tasks of development plans: plans waiting for the ปลัด's review or the
นายก's approval, drafts sent back to HR, courses waiting for HR to confirm them."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from plans.models import DevelopmentPlan, DevelopmentRecord, PlanStep
from portal.dashboard import SetupStep, Task
from portal.models import ChainPosition, Membership, Organization, Role

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


def plan_tasks(membership: Membership) -> list[Task]:
    organization = membership.organization
    tasks = _chain_tasks(membership)
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
