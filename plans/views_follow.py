"""Following the year: the 6-month progress and annual results pages (ITA o24/o26),
attendance recorded for a whole project, a project's progress, the courses staff
report and HR confirms, certificates, and everyone's own page (/me/).

HR records and edits; executives read the reports; everyone sees and reports only
their own development. Certificates are served only here, after the access check."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import follow
from plans.access import get_plan_for_user, get_project_for_user, get_record_for_user
from plans.forms_follow import AttendanceForm, ProgressForm, ReportForm, certificate_type
from plans.models import DevelopmentPlan, DevelopmentRecord, Project
from plans.services import current_plan
from portal.access import HR, READERS, current_membership, in_org, require_role
from portal.models import Role
from portal.thai import fiscal_year_range
from skills.access import current_staff_member
from skills.development import development_for
from skills.models import Assessment
from skills.services import assessment_result


def _plan_year(request: HttpRequest, pk: int, fy: int, roles=READERS) -> DevelopmentPlan:
    plan = get_plan_for_user(request, pk, roles=roles)
    if fy not in plan.fiscal_years:
        raise Http404("The plan does not cover this fiscal year.")
    return plan


def _planned_project(request: HttpRequest, plan: DevelopmentPlan, fy: int, pk: int) -> Project:
    project = get_project_for_user(request, plan, pk)
    if not project.years.filter(fiscal_year=fy, planned=True).exists():
        raise Http404("The project is not planned in this fiscal year.")
    return project


# --- The ITA reports --------------------------------------------------------------


def _summary_page(request: HttpRequest, pk: int, fy: int, *, first_half: bool) -> HttpResponse:
    plan = _plan_year(request, pk, fy)
    summary = follow.year_summary(plan=plan, fiscal_year=fy, first_half=first_half)
    template = "plans/progress.html" if first_half else "plans/results_report.html"
    return render(
        request,
        template,
        {
            "plan": plan,
            "fy": fy,
            "summary": summary,
            "can_edit": current_membership(request).role == Role.HR,
        },
    )


@require_GET
def progress_report(request: HttpRequest, pk: int, fy: int) -> HttpResponse:
    return _summary_page(request, pk, fy, first_half=True)


@require_GET
def results_report(request: HttpRequest, pk: int, fy: int) -> HttpResponse:
    return _summary_page(request, pk, fy, first_half=False)


# --- Attendance and progress (HR) ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int, fy: int, project_id: int) -> HttpResponse:
    plan = _plan_year(request, pk, fy, roles=HR)
    project = _planned_project(request, plan, fy, project_id)
    candidates = follow.attendance_candidates(project=project, fiscal_year=fy)
    existing = follow.attendance_records(project=project, fiscal_year=fy)
    period = fiscal_year_range(fy)
    if request.method == "POST":
        form = AttendanceForm(request.POST, candidates=candidates, period=period)
        if form.is_valid():
            change = follow.attendance_save(
                project=project,
                fiscal_year=fy,
                listed=candidates,
                attended=form.cleaned_data["attended"],
                started_on=form.cleaned_data["started_on"],
                ended_on=form.cleaned_data["ended_on"],
                hours=form.cleaned_data["hours"],
                result=form.cleaned_data["result"],
            )
            messages.success(
                request,
                _("Attendance saved: %(added)s added, %(updated)s updated, %(removed)s removed.")
                % {"added": change.added, "updated": change.updated, "removed": change.removed},
            )
            return redirect("plans:results", plan.pk, fy)
    else:
        first = next(iter(existing.values()), None)
        initial = {"attended": list(existing), "result": DevelopmentRecord.Result.ATTENDED}
        if first is not None:
            initial.update(started_on=first.started_on, ended_on=first.ended_on, hours=first.hours)
        form = AttendanceForm(initial=initial, candidates=candidates, period=period)
    return render(
        request,
        "plans/attendance.html",
        {"plan": plan, "fy": fy, "project": project, "form": form, "recorded": len(existing)},
    )


@require_http_methods(["GET", "POST"])
def project_progress(request: HttpRequest, pk: int, fy: int, project_id: int) -> HttpResponse:
    plan = _plan_year(request, pk, fy, roles=HR)
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
    return FileResponse(
        file, content_type=content_type, filename=f"certificate-{record.pk}{suffix}"
    )


# --- My development -------------------------------------------------------------------


def _latest_gaps(person) -> tuple[Assessment | None, list]:
    """The person's latest submitted self-assessment and its domains with a gap, each
    with the ways to close it."""
    assessment = (
        Assessment.objects.filter(staff_member=person, status=Assessment.Status.SUBMITTED)
        .select_related("round", "round__framework", "round__organization")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if assessment is None:
        return None, []
    gaps = [r for r in assessment_result(assessment) if r.gap]
    options = development_for(person, [r.domain for r in gaps])
    return assessment, [(r, options.get(r.domain.pk, [])) for r in gaps]


@require_GET
def my_development(request: HttpRequest) -> HttpResponse:
    current_membership(request)
    person = current_staff_member(request)
    if person is None:
        return render(request, "plans/me.html", {"person": None})
    plan = current_plan(person.organization)
    assessment, gaps = _latest_gaps(person)
    return render(
        request,
        "plans/me.html",
        {
            "person": person,
            "plan": plan,
            "years": follow.my_years(person=person, plan=plan),
            "assessment": assessment,
            "gaps": gaps,
        },
    )


@require_http_methods(["GET", "POST"])
def my_report(request: HttpRequest) -> HttpResponse:
    current_membership(request)
    person = current_staff_member(request)
    if person is None:
        return render(request, "plans/me.html", {"person": None})
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        follow.record_report(
            person=person, values=form.values(), domains=form.cleaned_data["domains"]
        )
        messages.success(
            request, _("Your course was saved. HR will check it and confirm the hours.")
        )
        return redirect(reverse("me:home"))
    return render(request, "plans/me_report.html", {"person": person, "form": form})
