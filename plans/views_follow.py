"""Following the year: attendance recorded for a whole project, a project's progress
(both feed the 6-month progress and annual results reports of plans/views_documents.py),
and the courses staff report (plans/views_me.py) for HR to confirm, with their
certificates.

HR records and confirms; executives read. Certificates are served only here, after
the access check (their owner sees their own)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import follow
from plans.access import get_plan_for_user, get_project_for_user, get_record_for_user
from plans.forms_follow import AttendanceForm, ProgressForm, certificate_type
from plans.models import DevelopmentPlan, DevelopmentRecord, Project
from portal.access import HR, READERS, in_org, require_role
from portal.downloads import content_disposition
from portal.models import Role
from portal.security import private_response
from portal.thai import fiscal_year_range


def _planned_project(request: HttpRequest, plan: DevelopmentPlan, fy: int, pk: int) -> Project:
    project = get_project_for_user(request, plan, pk)
    if not project.years.filter(fiscal_year=fy, planned=True).exists():
        raise Http404("The project is not planned in this fiscal year.")
    return project


# --- Attendance and progress (HR) ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int, fy: int, project_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, roles=HR, fiscal_year=fy)
    project = _planned_project(request, plan, fy, project_id)
    candidates = follow.attendance_candidates(project=project, fiscal_year=fy)
    existing = follow.attendance_records(project=project, fiscal_year=fy)
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        initial=AttendanceForm.initial_from(existing),
        candidates=candidates,
        period=fiscal_year_range(fy),
    )
    if request.method == "POST" and form.is_valid():
        change = follow.attendance_save(
            project=project, fiscal_year=fy, listed=candidates, **form.cleaned_data
        )
        messages.success(
            request,
            _("Attendance saved: %(added)s added, %(updated)s updated, %(removed)s removed.")
            % {"added": change.added, "updated": change.updated, "removed": change.removed},
        )
        return redirect("plans:results", plan.pk, fy)
    return render(
        request,
        "plans/attendance.html",
        {"plan": plan, "fy": fy, "project": project, "form": form, "recorded": len(existing)},
    )


@require_http_methods(["GET", "POST"])
def project_progress(request: HttpRequest, pk: int, fy: int, project_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, roles=HR, fiscal_year=fy)
    project = _planned_project(request, plan, fy, project_id)
    progress = follow.progress_for(project=project, fiscal_year=fy)
    form = ProgressForm(request.POST or None, instance=progress)
    if request.method == "POST" and form.is_valid():
        follow.progress_save(project=project, fiscal_year=fy, values=form.cleaned_data)
        messages.success(request, _("Progress of “%(name)s” saved.") % {"name": project.name})
        return redirect("plans:results", plan.pk, fy)
    budget = project.years.get(fiscal_year=fy).budget
    return render(
        request,
        "plans/project_progress.html",
        {"plan": plan, "fy": fy, "project": project, "form": form, "budget": budget},
    )


# --- Reported courses (HR confirms) ---------------------------------------------------


@require_GET
def records_to_confirm(request: HttpRequest) -> HttpResponse:
    membership = require_role(request, READERS)
    recent = (
        in_org(DevelopmentRecord.objects.all(), request, field="staff_member__organization")
        .select_related("staff_member", "project")
        .order_by("-created_at", "-pk")[:30]
    )
    return render(
        request,
        "plans/records.html",
        {
            "awaiting": list(follow.records_awaiting(organization_id=membership.organization_id)),
            "recent": list(recent),
            "can_confirm": membership.role == Role.HR,
        },
    )


@require_POST
def record_confirm(request: HttpRequest, record_id: int) -> HttpResponse:
    require_role(request, HR)
    record = get_record_for_user(request, record_id)
    if follow.record_confirm(record=record, user=request.user):
        messages.success(request, _("“%(title)s” confirmed.") % {"title": record.title})
    else:
        messages.info(request, _("This record was already confirmed."))
    return redirect("plans:records")


@private_response
@require_GET
def record_certificate(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_record_for_user(request, record_id)
    if not record.certificate:
        raise Http404("No certificate.")
    try:
        file = record.certificate.open("rb")
    except FileNotFoundError:
        raise Http404("The certificate file is missing.") from None
    found = certificate_type(file.read(16))
    file.seek(0)
    if found is None:  # never hand out something we would not have accepted
        file.close()
        raise Http404("Not a certificate.")
    suffix, content_type = found
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        f"certificate-{record.pk}{suffix}", inline=True
    )
    return response
