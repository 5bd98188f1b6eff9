"""The plan's approval chain (plans/workflow.py): HR submits the draft for review, the
ปลัด proposes it or sends it back, the นายก approves it on its own page (the plan's
summary and the open findings of its checks, and a confirmation) or sends it back,
HR publishes it. A step by the wrong person is 403 (the access helper); a step out of
order changes nothing and says why."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from plans import documents, services, workflow
from plans.access import get_plan_for_user
from plans.checks import plan_check
from plans.forms import ApproveForm, SendBackForm
from plans.services import WorkflowError
from portal.access import CLERK, HR, MAYOR, current_membership

#: What each step's taker is told once it is done.
STEP_DONE = {
    "submit": gettext_lazy(
        "The plan was submitted to the permanent secretary for review. It can no longer be "
        "changed unless it is sent back."
    ),
    "propose": gettext_lazy(
        "The plan was proposed to the chief executive, who can now approve it or send it back."
    ),
    "publish": gettext_lazy("The plan is published."),
}


@require_POST
def plan_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Submitting (HR), proposing (the ปลัด) or publishing (HR); a refused step
    changes nothing and says why."""
    plan = get_plan_for_user(request, pk, roles=HR, chain=CLERK if step == "propose" else ())
    take = {
        "submit": workflow.plan_submit,
        "propose": workflow.plan_propose,
        "publish": workflow.plan_publish,
    }[step]
    try:
        take(plan=plan, user=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, STEP_DONE[step])
    return redirect("plans:detail", pk=plan.pk)


@require_POST
def plan_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    """The ปลัด or the นายก returns the plan to HR as a draft, with a reason."""
    plan = get_plan_for_user(request, pk, chain=CLERK + MAYOR)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what should change before sending the plan back."))
        return redirect("plans:detail", pk=plan.pk)
    try:
        workflow.plan_send_back(
            plan=plan,
            user=request.user,
            position=current_membership(request).chain_position,
            reason=form.cleaned_data["reason"],
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The plan was sent back to the HR officer as a draft."))
    return redirect("plans:detail", pk=plan.pk)


@require_http_methods(["GET", "POST"])
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The นายก's page: what they approve and what the checks still find, and the
    approval itself, only with the confirmation ticked."""
    plan = get_plan_for_user(request, pk, chain=MAYOR)
    if plan.status != plan.Status.PROPOSED:
        messages.error(request, _("This plan is not waiting for your approval."))
        return redirect("plans:detail", pk=plan.pk)
    form = ApproveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.plan_approve(plan=plan, user=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("The plan is approved and now locked. The HR officer can publish it.")
            )
        return redirect("plans:detail", pk=plan.pk)
    projects, _audience = documents.plan_projects(plan)
    context = {
        "plan": plan,
        "form": form,
        "project_count": len(projects),
        "budget": services.budget_table(plan, projects),
        "checks": plan_check(plan=plan),
        "steps": plan.steps.select_related("by"),
    }
    return render(request, "plans/plan_approve.html", context)
