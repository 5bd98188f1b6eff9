"""A plan's projects in and out of Excel: upload → preview (a dry run of every row) →
confirm, for the HR officer while the plan is a draft or proposed; the export for HR
and executives.

Between the preview and the confirmation the uploaded bytes wait on the server under a
random token kept in the session with the plan's id (``portal.spreadsheets.pending_upload_*``,
shared with the staff import); nothing the browser sends can name a file.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import importing
from plans.access import get_plan_for_user
from plans.importing import MAX_FILE_BYTES, MAX_ROWS, XLSX_CONTENT_TYPE, ImportReport
from plans.models import DevelopmentPlan
from portal.forms import ImportConfirmForm, SpreadsheetUploadForm
from portal.models import Role
from portal.spreadsheets import pending_upload_discard, pending_upload_read, pending_upload_save

#: Session key of the upload waiting for confirmation: {"token", "plan"}.
PENDING_KEY = "plans_import_pending"


class ProjectImportForm(SpreadsheetUploadForm):
    def limits_text(self) -> str:
        return _(
            "Excel (.xlsx) or CSV in UTF-8 or Thai (TIS-620), up to %(mb)s MB and "
            "%(rows)s projects."
        ) % {"mb": MAX_FILE_BYTES // (1024 * 1024), "rows": f"{MAX_ROWS:,}"}


def _editable_plan(request: HttpRequest, pk: int) -> DevelopmentPlan | None:
    """The plan for HR, or None (with a message) when it is locked."""
    plan = get_plan_for_user(request, pk, roles=(Role.HR,))
    if plan.is_locked:
        messages.error(
            request,
            _(
                "This plan is approved and locked, so its projects cannot be imported. "
                "Create a new revision to change it."
            ),
        )
        return None
    return plan


def _pending_token(request: HttpRequest, plan: DevelopmentPlan) -> str | None:
    pending = request.session.get(PENDING_KEY) or {}
    if pending.get("plan") != plan.pk:
        return None
    return pending.get("token")


def _forget_pending(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING_KEY, None) or {}
    if pending.get("token"):
        pending_upload_discard(token=pending["token"])


def _context(plan: DevelopmentPlan, **extra) -> dict:
    return {
        "plan": plan,
        "max_mb": MAX_FILE_BYTES // (1024 * 1024),
        "max_rows": MAX_ROWS,
        **extra,
    }


def _render_preview(
    request: HttpRequest,
    plan: DevelopmentPlan,
    report: ImportReport,
    *,
    token: str | None,
    confirm_failed: bool = False,
) -> HttpResponse:
    return render(
        request,
        "plans/import_preview.html",
        _context(
            plan,
            report=report,
            confirm_form=ImportConfirmForm(initial={"token": token}) if token else None,
            form=ProjectImportForm(),
            confirm_failed=confirm_failed,
        ),
    )


@require_http_methods(["GET", "POST"])
def projects_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if plan is None:
        return redirect("plans:detail", pk=pk)
    if request.method != "POST":
        return render(request, "plans/import.html", _context(plan, form=ProjectImportForm()))
    form = ProjectImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "plans/import.html", _context(plan, form=form))
    upload = form.cleaned_data["file"]
    data = upload.read()
    # A dry run: the preview shows exactly what confirming would do.
    report = importing.projects_import(plan=plan, data=data, filename=upload.name, dry_run=True)
    if report.file_errors:
        for message in report.file_errors:
            form.add_error("file", message)
        return render(request, "plans/import.html", _context(plan, form=form))
    _forget_pending(request)
    token = None
    if report.ok and report.has_changes:
        token = pending_upload_save(data=data)
        request.session[PENDING_KEY] = {"token": token, "plan": plan.pk}
    return _render_preview(request, plan, report, token=token)


@require_POST
def projects_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if plan is None:
        _forget_pending(request)
        return redirect("plans:detail", pk=pk)
    form = ImportConfirmForm(request.POST)
    token = _pending_token(request, plan)
    data = None
    if form.is_valid() and token and secrets.compare_digest(form.cleaned_data["token"], token):
        data = pending_upload_read(token=token)
    if data is None:
        messages.error(
            request,
            _(
                "This preview is no longer valid (it expired, was already imported or was "
                "replaced by another upload). Upload the file again."
            ),
        )
        return redirect("plans:projects_import", pk=plan.pk)
    _forget_pending(request)
    # The real run checks every row again: the plan may have changed since the preview.
    report = importing.projects_import(plan=plan, data=data, filename="", dry_run=False)
    if not report.written:
        return _render_preview(request, plan, report, token=None, confirm_failed=True)
    messages.success(
        request,
        _(
            "Import finished: %(new)s projects added, %(updated)s updated, %(unchanged)s "
            "already up to date."
        )
        % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect("plans:detail", pk=plan.pk)


@require_GET
def projects_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    response = HttpResponse(importing.projects_workbook(plan=plan), content_type=XLSX_CONTENT_TYPE)
    filename = importing.export_filename(plan)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # Named people are personal data: keep the file out of shared caches.
    patch_cache_control(response, private=True, no_store=True)
    return response
