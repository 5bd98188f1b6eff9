"""Suggestions (``/plans/<pk>/suggest/``): projects drafted from the skill gaps of the
latest closed self-assessment round (plans/suggestions.py), for HR to accept as
proposed, edit before accepting, or dismiss."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import suggestions
from plans.access import get_plan_for_user
from plans.forms_projects import ProjectForm
from plans.models import DevelopmentPlan
from plans.services import WorkflowError
from plans.views_projects import project_form_context
from portal.access import HR


@require_GET
def suggestion_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, roles=HR)
    found = suggestions.suggestions_draft(plan=plan)
    return render(request, "plans/suggestions.html", {"plan": plan, "suggestions": found})


def _suggestion(plan: DevelopmentPlan, key: str) -> suggestions.Suggestion:
    suggestion = suggestions.suggestions_draft(plan=plan).get(key)
    if suggestion is None:
        raise Http404("No such suggestion for this plan.")
    return suggestion


@require_http_methods(["GET", "POST"])
def suggestion_accept(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """GET: the project form filled in from the suggestion, to change before adding it
    (it posts to the ordinary new-project page). POST: add it as proposed."""
    plan = get_plan_for_user(request, pk, roles=HR)
    suggestion = _suggestion(plan, key)
    if refusal := suggestions.suggestion_refusal(plan=plan, suggestion=suggestion):
        messages.error(request, refusal)
        return redirect("plans:suggestions", pk=plan.pk)
    if request.method == "GET":
        form = ProjectForm(plan=plan, initial=suggestion.form_initial(plan))
        context = {**project_form_context(plan, form), "suggestion": suggestion}
        return render(request, "plans/suggestion_form.html", context)
    try:
        project = suggestions.suggestion_accept(plan=plan, suggestion=suggestion)
    except WorkflowError as error:
        messages.error(request, error.messages[0])
        return redirect("plans:suggestions", pk=plan.pk)
    messages.success(
        request,
        _("The project “%(name)s” was added to the plan. You can change it like any other.")
        % {"name": project.name},
    )
    return redirect("plans:suggestions", pk=plan.pk)


@require_POST
def suggestion_dismiss(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    plan = get_plan_for_user(request, pk, roles=HR)
    suggestion = _suggestion(plan, key)
    try:
        suggestions.suggestion_dismiss(plan=plan, suggestion=suggestion, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The suggestion “%(name)s” was dismissed; it will not be proposed again.")
            % {"name": suggestion.name},
        )
    return redirect("plans:suggestions", pk=plan.pk)
