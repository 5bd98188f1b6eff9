"""Development plans: the list, a new plan, the plan page with its projects, the
narrative editor, revisions and what changed between them. HR edits; executives read
(the approval chain is views_workflow.py); staff have no plan pages.

The plan's other pages are one module per feature, as plans/urls.py groups them:
projects (views_projects), checks, suggestions, the documents and following the year.
The helpers below are shared with views_projects."""

from __future__ import annotations

import difflib
from itertools import groupby

from django.contrib import messages
from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import documents, services
from plans.access import get_plan_for_user
from plans.forms import PlanCreateForm, PlanEditForm, SendBackForm, suggested_period
from plans.frozen import approved_documents_of
from plans.history import plan_history_sources
from plans.models import DevelopmentPlan, PlanStep
from plans.services import NARRATIVE_FIELDS, WorkflowError
from portal.access import HR, READERS, in_org, require_role
from portal.history_views import history_response
from portal.revisions import replacing_revision
from portal.security import private_response
from portal.versioned import StaleEdit


def is_htmx(request: HttpRequest) -> bool:
    """The request comes from htmx (an in-place edit on the plan page)."""
    return request.headers.get("HX-Request") == "true"


def to_plan(request: HttpRequest, plan: DevelopmentPlan, anchor: str = "") -> HttpResponse:
    """Back to the plan page; an htmx request is told to load it as a whole page."""
    url = reverse("plans:detail", args=[plan.pk]) + anchor
    if is_htmx(request):
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)


def refuse_if_locked(request: HttpRequest, plan: DevelopmentPlan) -> HttpResponse | None:
    """Back to the plan page with the reason when the plan cannot be changed (approved,
    or on its way through the approval chain); None for a draft."""
    if not (refusal := plan.edit_refusal):
        return None
    messages.error(request, refusal)
    return to_plan(request, plan)


# --- The list and a new plan ------------------------------------------------------


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    require_role(request, READERS)
    budget = Sum(
        "projects__years__budget",
        filter=Q(projects__years__planned=True),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    plans = (
        in_org(DevelopmentPlan.objects.select_related("manpower_plan", "approved_by"), request)
        .annotate(
            project_count=Count("projects", distinct=True),
            budget=Coalesce(budget, 0, output_field=DecimalField(max_digits=14, decimal_places=2)),
        )
        .order_by("-first_fy", "-revision")
    )
    periods = [
        {"first_fy": first_fy, "last_fy": first_fy + DevelopmentPlan.YEARS - 1, "plans": list(rows)}
        for first_fy, rows in groupby(plans, key=lambda plan: plan.first_fy)
    ]
    for period in periods:
        for plan in period["plans"]:
            plan.replaced = replacing_revision(plan, period["plans"]) is not None
    return render(request, "plans/plan_list.html", {"periods": periods})


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    organization = require_role(request, HR).organization
    first_fy, manpower_plan = suggested_period(organization)
    form = PlanCreateForm(
        request.POST or None,
        organization=organization,
        initial={"first_fy": first_fy, "manpower_plan": manpower_plan},
    )
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(organization=organization, **form.cleaned_data)
        messages.success(
            request,
            _(
                "The plan was created with our suggested texts. Adapt them to your "
                "organisation, then add the projects."
            ),
        )
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_create.html", {"form": form})


# --- The plan page ------------------------------------------------------------------


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    projects, _audience = documents.plan_projects(plan)
    revisions = services.plan_revisions(plan=plan)
    steps = list(plan.steps.select_related("by"))
    sent_back = steps[-1] if steps and steps[-1].step == PlanStep.Kind.SEND_BACK else None
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "areas": documents.by_area(projects),
            "project_count": len(projects),
            "budget": services.budget_table(plan, projects),
            "revisions": revisions,
            "newest": revisions[-1],
            "replaced_by": replacing_revision(plan, revisions),
            "narrative": documents.narrative_parts(plan),
            "steps": steps,
            "sent_back": sent_back if plan.is_editable else None,
            "send_back_form": SendBackForm(),
            "approved_documents": list(approved_documents_of([plan]).values()),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, roles=HR)
    if refusal := refuse_if_locked(request, plan):
        return refusal
    form = PlanEditForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(
                plan=plan, changes=form.changes(), expected_version=form.cleaned_data["version"]
            )
        except StaleEdit as stale:
            form = form.rebased(stale.current)
        except WorkflowError as error:
            messages.error(request, error.messages[0])
            return redirect("plans:detail", pk=plan.pk)
        else:
            messages.success(request, _("The plan's texts were saved."))
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_edit.html", {"plan": plan, "form": form})


@require_GET
def plan_changes(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    previous = plan.previous
    diff = services.plan_diff(previous, plan) if previous is not None else None
    texts = []
    if previous is not None:
        texts = [
            {
                "label": DevelopmentPlan._meta.get_field(name).verbose_name,
                **_line_diff(getattr(previous, name), getattr(plan, name)),
            }
            for name in ["title", *NARRATIVE_FIELDS]
            if getattr(previous, name) != getattr(plan, name)
        ]
    return render(
        request,
        "plans/plan_changes.html",
        {"plan": plan, "previous": previous, "diff": diff, "texts": texts},
    )


def _line_diff(before: str, after: str) -> dict[str, list[tuple[str, bool]]]:
    """Both versions of a text line by line, each line marked when it is not in the
    other version, so that a reader spots what was added or taken out."""
    old, new = before.splitlines(), after.splitlines()
    kept_old: set[int] = set()
    kept_new: set[int] = set()
    for block in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_matching_blocks():
        kept_old.update(range(block.a, block.a + block.size))
        kept_new.update(range(block.b, block.b + block.size))
    return {
        "before": [(line, i not in kept_old) for i, line in enumerate(old)],
        "after": [(line, i not in kept_new) for i, line in enumerate(new)],
    }


# --- Revisions (the approval chain is views_workflow.py) -----------------------------


@require_POST
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, roles=HR)
    try:
        revision = services.plan_revise(plan=plan)
    except WorkflowError as error:
        messages.error(request, error.messages[0])
        return redirect("plans:detail", pk=plan.pk)
    messages.success(
        request,
        _(
            "Revision %(n)s was created as a draft copy of the approved plan. Change what is "
            "new, then submit it for review."
        )
        % {"n": revision.revision},
    )
    return redirect("plans:detail", pk=revision.pk)


@private_response
@require_GET
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change of the plan, its projects, their budgets and progress."""
    plan = get_plan_for_user(request, pk, roles=READERS)
    return history_response(
        request,
        plan_history_sources(plan),
        title=_("History of changes: %(plan)s") % {"plan": plan},
        back_url=reverse("plans:detail", args=[plan.pk]),
        back_label=str(plan),
    )
