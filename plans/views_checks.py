"""The checks of a plan (HR, executives read) and the projects drafted from the skill
gaps (HR): accept as proposed, edit before accepting, or dismiss."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import suggestions as drafting
from plans.access import get_plan_for_user
from plans.checks import plan_check
from plans.forms import ProjectForm
from plans.models import DevelopmentPlan
from plans.services import Audience, WorkflowError
from portal.access import HR


@require_GET
def checks(request: HttpRequest, pk: int) -> HttpResponse:
    """The findings; with ``?count=1`` only their number, which the plan page loads
    after it has shown (the checks are the slowest part of the plan)."""
    plan = get_plan_for_user(request, pk)
    result = plan_check(plan=plan)
    if request.GET.get("count"):
        return render(
            request, "plans/_findings_count.html", {"plan": plan, "findings": result.total}
        )
    return render(request, "plans/checks.html", {"plan": plan, "checks": result})


@require_GET
def suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, roles=HR)
    drafts = drafting.suggestions_draft(plan=plan)
    return render(request, "plans/suggest.html", {"plan": plan, "drafts": drafts})


def _suggestion(plan: DevelopmentPlan, key: str) -> drafting.Suggestion:
    suggestion = drafting.suggestions_draft(plan=plan).get(key)
    if suggestion is None:
        raise Http404("No such suggestion for this plan.")
    return suggestion


@require_http_methods(["GET", "POST"])
def suggestion_accept(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """GET: the project form filled in from the suggestion, to change before adding it
    (it posts to the ordinary new-project page). POST: add it as proposed."""
    plan = get_plan_for_user(request, pk, roles=HR)
    suggestion = _suggestion(plan, key)
    if refusal := drafting.suggestion_refusal(plan=plan, suggestion=suggestion):
        messages.error(request, refusal)
        return redirect("plans:suggest", pk=plan.pk)
    if request.method == "GET":
        form = ProjectForm(plan=plan, initial=suggestion.form_initial(plan))
        audience = Audience.load(plan.organization)
        return render(
            request,
            "plans/suggest_form.html",
            {
                "plan": plan,
                "form": form,
                "project": None,
                "suggestion": suggestion,
                "members": audience.members(form.target_preview()),
                "staff_total": len(audience.people),
            },
        )
    try:
        project = drafting.suggestion_accept(plan=plan, suggestion=suggestion)
    except WorkflowError as error:
        messages.error(request, error.messages[0])
        return redirect("plans:suggest", pk=plan.pk)
    messages.success(
        request,
        _("The project “%(name)s” was added to the plan. You can change it like any other.")
        % {"name": project.name},
    )
    return redirect("plans:suggest", pk=plan.pk)


@require_POST
def suggestion_dismiss(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    plan = get_plan_for_user(request, pk, roles=HR)
    suggestion = _suggestion(plan, key)
    try:
        drafting.suggestion_dismiss(plan=plan, suggestion=suggestion, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The suggestion “%(name)s” was dismissed; it will not be proposed again.")
            % {"name": suggestion.name},
        )
    return redirect("plans:suggest", pk=plan.pk)
