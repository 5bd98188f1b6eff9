"""A plan's projects, edited in place on the plan page (htmx) or on a page of their
own: add, edit with a version, the row as the plan page shows it, remove. HR only;
a locked plan refuses every change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import documents, services
from plans.access import get_plan_for_user, get_project_for_user
from plans.audience import Audience
from plans.choices import Area
from plans.forms_projects import ProjectForm
from plans.models import DevelopmentPlan
from plans.services import WorkflowError
from plans.views import is_htmx, refuse_if_locked, to_plan
from portal.access import HR
from portal.versioned import StaleEdit


def project_form_context(plan: DevelopmentPlan, form: ProjectForm) -> dict[str, Any]:
    """The form with its live headcount (also a suggestion's "edit before accepting")."""
    audience = Audience.load(plan.organization)
    members = audience.matching(form.target_preview())
    return {
        "plan": plan,
        "form": form,
        "project": form.project,
        "members": members,
        "staff_total": len(audience.people),
    }


def _project_form_response(
    request: HttpRequest, plan: DevelopmentPlan, form: ProjectForm
) -> HttpResponse:
    inline = is_htmx(request)
    template = "plans/_project_form.html" if inline else "plans/project_form.html"
    return render(request, template, {**project_form_context(plan, form), "inline": inline})


def _project_row_response(
    request: HttpRequest, plan: DevelopmentPlan, project_id: int, *, saved: bool = False
) -> HttpResponse:
    """One project as it appears on the plan page, with the plan's budget table
    refreshed beside it (an out-of-band swap)."""
    projects, _audience = documents.plan_projects(plan)
    project = next((p for p in projects if p.pk == project_id), None)
    if project is None:
        raise Http404("No such project in this plan.")
    return render(
        request,
        "plans/_project_row.html",
        {
            "plan": plan,
            "project": project,
            "saved": saved,
            "budget": services.budget_table(plan, projects),
            "oob": True,
        },
    )


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, roles=HR)
    if refusal := refuse_if_locked(request, plan):
        return refusal
    area = request.GET.get("area")
    form = ProjectForm(
        request.POST or None,
        plan=plan,
        initial={"area": area} if area in Area.values else None,
    )
    if request.method == "POST" and "_count" not in request.POST and form.is_valid():
        try:
            project = services.project_save(plan=plan, project=None, **form.service_arguments())
        except WorkflowError as error:
            messages.error(request, error.messages[0])
            return to_plan(request, plan)
        messages.success(request, _("The project “%(name)s” was added.") % {"name": project.name})
        return to_plan(request, plan, f"#project-{project.pk}")
    return _project_form_response(request, plan, form)


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int, project_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, roles=HR)
    project = get_project_for_user(request, plan, project_id)
    if refusal := refuse_if_locked(request, plan):
        return refusal
    form = ProjectForm(request.POST or None, plan=plan, project=project)
    area_before = project.area
    if request.method == "POST" and "_count" not in request.POST and form.is_valid():
        try:
            services.project_save(
                plan=plan,
                project=project,
                expected_version=form.cleaned_data["version"],
                **form.service_arguments(),
            )
        except StaleEdit as stale:
            form = form.rebased(stale.current)
        except WorkflowError as error:
            messages.error(request, error.messages[0])
            return to_plan(request, plan)
        else:
            if not is_htmx(request):
                messages.success(
                    request, _("The project “%(name)s” was saved.") % {"name": project.name}
                )
                return to_plan(request, plan, f"#project-{project.pk}")
            response = _project_row_response(request, plan, project.pk, saved=True)
            if project.area != area_before:
                # The project moves to another area's list: show the whole page again.
                response["HX-Refresh"] = "true"
            return response
    return _project_form_response(request, plan, form)


@require_GET
def project_row(request: HttpRequest, pk: int, project_id: int) -> HttpResponse:
    """The project's row on the plan page (what "cancel" brings back in place)."""
    plan = get_plan_for_user(request, pk)
    project = get_project_for_user(request, plan, project_id)
    if not is_htmx(request):
        return redirect(reverse("plans:detail", args=[plan.pk]) + f"#project-{project.pk}")
    return _project_row_response(request, plan, project.pk)


@require_POST
def project_delete(request: HttpRequest, pk: int, project_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, roles=HR)
    project = get_project_for_user(request, plan, project_id)
    try:
        services.project_delete(project=project)
    except WorkflowError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The project “%(name)s” was removed.") % {"name": project.name})
    return to_plan(request, plan, "#projects")
