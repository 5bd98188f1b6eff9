"""The 3-year manpower plan: its revisions, its position table, the table editor and
the Excel export. HR officers edit; executives read."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.access import HR, READERS, current_organization, require_role
from portal.downloads import content_disposition
from portal.revisions import RevisionError, replacing_revision
from staff import manpower, services
from staff.access import get_manpower_plan_for_user
from staff.forms_manpower import (
    ROW_PREFIX,
    ManpowerPlanApproveForm,
    ManpowerPlanCreateForm,
    manpower_row_formset,
    manpower_row_formset_with_conflicts,
)
from staff.models import ManpowerPlan


def _list_page(request: HttpRequest, form: ManpowerPlanCreateForm) -> HttpResponse:
    organization = current_organization(request)
    return render(
        request,
        "staff/manpower_list.html",
        {"periods": services.manpower_plans_by_period(organization=organization), "form": form},
    )


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    membership = require_role(request, READERS)
    organization = membership.organization
    first_fy = services.manpower_plan_suggested_first_fy(organization=organization)
    form = ManpowerPlanCreateForm(organization=organization, initial={"first_fy": first_fy})
    return _list_page(request, form)


@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    organization = require_role(request, HR).organization
    form = ManpowerPlanCreateForm(request.POST, organization=organization)
    if not form.is_valid():
        return _list_page(request, form)
    try:
        plan = services.manpower_plan_create(organization=organization, **form.cleaned_data)
    except RevisionError as error:
        form.add_error("first_fy", str(error))
        return _list_page(request, form)
    messages.success(request, _("The plan was created. Add its position rows."))
    return redirect("staff:manpower_edit", pk=plan.pk)


def _detail_page(
    request: HttpRequest, plan: ManpowerPlan, approve_form: ManpowerPlanApproveForm
) -> HttpResponse:
    revisions = services.manpower_plan_revisions(plan=plan)
    return render(
        request,
        "staff/manpower_detail.html",
        {
            "plan": plan,
            "table": manpower.manpower_plan_table(plan=plan),
            "revisions": revisions,
            "is_newest": revisions[-1].pk == plan.pk,
            # Only an approved revision replaces this one; a draft one is being prepared.
            "replaced_by": replacing_revision(plan, revisions),
            "approve_form": approve_form,
        },
    )


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_manpower_plan_for_user(request, pk)
    return _detail_page(request, plan, ManpowerPlanApproveForm())


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_manpower_plan_for_user(request, pk, roles=HR)
    reason = services.manpower_plan_lock_reason(plan=plan)
    if reason:
        messages.error(request, reason)
        return redirect("staff:manpower_detail", pk=plan.pk)
    organization = current_organization(request)
    if request.method == "GET" and "add_row" in request.GET:
        return _blank_row(request, plan)
    data = request.POST if request.method == "POST" else None
    # Without JavaScript "add a row" posts the table: it comes back unsaved, with one
    # more empty row.
    adding_a_row = data is not None and "add_row" in data
    if adding_a_row:
        data = _with_one_more_form(data)
    formset = manpower_row_formset(plan=plan, organization=organization, data=data)
    stale: dict = {}
    if data is not None and not adding_a_row and formset.is_valid():
        try:
            stale = services.manpower_plan_rows_save(plan=plan, formset=formset)
        except RevisionError as error:
            messages.error(request, str(error))
            return redirect("staff:manpower_detail", pk=plan.pk)
        if not stale:
            messages.success(request, _("The position table was saved."))
            return redirect("staff:manpower_detail", pk=plan.pk)
        formset = manpower_row_formset_with_conflicts(
            plan=plan, organization=organization, posted=formset, stale=stale
        )
    return render(
        request,
        "staff/manpower_edit.html",
        {
            "plan": plan,
            "formset": formset,
            "conflicted": len(stale),
            "title_suggestions": services.manpower_title_suggestions(organization=organization),
        },
    )


def _with_one_more_form(data):
    data = data.copy()
    key = f"{ROW_PREFIX}-TOTAL_FORMS"
    # A broken count is left as it is: the formset reports it.
    with contextlib.suppress(ValueError):
        data[key] = str(int(data.get(key, "0")) + 1)
    return data


def _blank_row(request: HttpRequest, plan: ManpowerPlan) -> HttpResponse:
    """One empty row for htmx to append to the table, and the new form count."""
    formset = manpower_row_formset(plan=plan, organization=current_organization(request))
    try:
        index = int(request.GET.get(f"{ROW_PREFIX}-TOTAL_FORMS", ""))
    except ValueError:
        index = formset.total_form_count()
    index = max(0, min(index, formset.max_num - 1))
    return render(
        request,
        "staff/_manpower_new_row.html",
        {"form": formset.blank_form(index), "total": index + 1, "prefix": formset.prefix},
    )


@require_POST
def plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_manpower_plan_for_user(request, pk, roles=HR)
    try:
        revision = services.manpower_plan_revise(plan=plan)
    except RevisionError as error:
        messages.error(request, str(error))
        return redirect("staff:manpower_detail", pk=plan.pk)
    messages.success(
        request,
        _("Revision %(n)s was created as a copy of the approved plan. Change what is new.")
        % {"n": revision.revision},
    )
    return redirect("staff:manpower_edit", pk=revision.pk)


@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_manpower_plan_for_user(request, pk, roles=HR)
    form = ManpowerPlanApproveForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, plan, form)
    try:
        services.manpower_plan_approve(
            plan=plan, approved_on=form.cleaned_data["approved_on"], user=request.user
        )
    except RevisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The plan is approved; its table is now locked."))
    return redirect("staff:manpower_detail", pk=plan.pk)


@require_GET
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_manpower_plan_for_user(request, pk)
    table = manpower.manpower_plan_table(plan=plan)
    content = manpower.manpower_plan_xlsx(table=table, organization=current_organization(request))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"manpower-plan-{plan.first_fy}-{plan.last_fy}-r{plan.revision}.xlsx"
    response["Content-Disposition"] = content_disposition(filename)
    return response
