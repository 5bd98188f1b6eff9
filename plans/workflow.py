"""The plan's approval chain, as the law has it: HR drafts the plan and submits it for
review; the ปลัด reviews it and proposes it to the นายก, or sends it back; the นายก
approves it (and signs its announcement), or sends it back; HR publishes it.

Each step moves the plan with one conditional UPDATE, so a step taken twice or out of
order changes nothing and says why, and is kept as a :class:`PlanStep` (who, when, the
reason of a send-back). Who may take which step (HR, the ปลัด, the นายก) is the views'
access helpers' business; a step only records the user it is given.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.frozen import approved_documents_freeze
from plans.models import DevelopmentPlan, PlanStep
from portal.history import history_record
from portal.models import ChainPosition
from portal.revisions import RevisionError

Status = DevelopmentPlan.Status
Step = PlanStep.Kind

#: The state each executive sends a plan back from: the ปลัด what HR submitted, the
#: นายก what the ปลัด proposed.
SEND_BACK_FROM = {ChainPosition.CLERK: Status.SUBMITTED, ChainPosition.MAYOR: Status.PROPOSED}


@transaction.atomic
def _move(
    plan: DevelopmentPlan,
    *,
    step: str,
    source: str,
    target: str,
    user: AbstractBaseUser,
    note: str = "",
    stamp: str = "",
    **changes: Any,
) -> None:
    """``plan`` from ``source`` to ``target``, with ``<stamp>_by`` / ``<stamp>_at``
    set to the user and the moment, and the step kept; refused when the plan is not in
    ``source`` any more (or not yet)."""
    now = timezone.now()
    if stamp:
        changes |= {f"{stamp}_by": user, f"{stamp}_at": now}
    updated = DevelopmentPlan.objects.filter(pk=plan.pk, status=source).update(
        status=target, version=F("version") + 1, updated_at=now, **changes
    )
    if not updated:
        current = DevelopmentPlan.objects.filter(pk=plan.pk).values_list("status", flat=True)[0]
        raise RevisionError(
            _(
                "This step needs the plan to be “%(needed)s”, but it is “%(current)s”; "
                "nothing was changed. Reload the page to see where the plan is."
            )
            % {"needed": Status(source).label, "current": Status(current).label}
        )
    PlanStep.objects.create(plan=plan, step=step, by=user, at=now, note=note)
    plan.refresh_from_db()
    # The conditional UPDATE above is not seen by the history library.
    history_record(plan)


#: The steps that move a plan on: from which state, to which, and the plan's
#: ``<stamp>_by`` / ``<stamp>_at`` they fill.
FORWARD = {
    Step.SUBMIT: (Status.DRAFT, Status.SUBMITTED, "submitted"),
    Step.PROPOSE: (Status.SUBMITTED, Status.PROPOSED, "proposed"),
    Step.APPROVE: (Status.PROPOSED, Status.APPROVED, "approved"),
}


def _forward(plan: DevelopmentPlan, step: str, user: AbstractBaseUser) -> None:
    source, target, stamp = FORWARD[step]
    _move(plan, step=step, source=source, target=target, user=user, stamp=stamp)


def plan_submit(*, plan: DevelopmentPlan, user: AbstractBaseUser) -> None:
    """HR hands the draft to the ปลัด for review; from now on it no longer changes."""
    if not plan.projects.exists():
        raise RevisionError(_("Add at least one project before submitting the plan."))
    _forward(plan, Step.SUBMIT, user)


def plan_propose(*, plan: DevelopmentPlan, user: AbstractBaseUser) -> None:
    """The ปลัด proposes the plan they reviewed to the นายก."""
    _forward(plan, Step.PROPOSE, user)


def plan_send_back(
    *, plan: DevelopmentPlan, user: AbstractBaseUser, position: str, reason: str
) -> None:
    """The ปลัด (a submitted plan) or the นายก (a proposed one) returns the plan to HR
    as a draft, saying why; who submitted and proposed it is cleared, as the plan that
    comes back will be another one."""
    if not reason.strip():
        raise RevisionError(_("Say what should change before sending the plan back."))
    cleared = dict.fromkeys(["submitted_by", "submitted_at", "proposed_by", "proposed_at"])
    _move(
        plan,
        step=Step.SEND_BACK,
        source=SEND_BACK_FROM[ChainPosition(position)],
        target=Status.DRAFT,
        user=user,
        note=reason.strip(),
        **cleared,
    )


def plan_approve(*, plan: DevelopmentPlan, user: AbstractBaseUser) -> None:
    """The นายก approves the proposed plan: it is locked from now on, and its plan book
    and annual plans are rendered once and kept as the approved record
    (plans/frozen.py)."""
    with transaction.atomic():
        _forward(plan, Step.APPROVE, user)
        approved_documents_freeze(plan=plan)


def plan_publish(*, plan: DevelopmentPlan, user: AbstractBaseUser) -> None:
    """HR publishes the approved plan (its public page and documents)."""
    _move(
        plan,
        step=Step.PUBLISH,
        source=Status.APPROVED,
        target=Status.PUBLISHED,
        user=user,
        published_at=timezone.now(),
    )
