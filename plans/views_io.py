"""A plan's projects in and out of Excel: upload → preview (a dry run of every row) →
confirm, for the HR officer while the plan is a draft or proposed; the export for HR
and executives. The flow is every import's (``portal.import_views``); the upload waits
for confirmation under a token kept in the session with the plan's id.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import importing
from plans.access import get_plan_for_user
from plans.importing import MAX_ROWS
from plans.models import DevelopmentPlan
from portal import import_views as flow
from portal.forms import SpreadsheetUploadForm
from portal.models import Role
from portal.spreadsheets import MAX_FILE_BYTES

#: Session key of the upload waiting for confirmation: {"token", "plan"}.
PENDING_KEY = "plans_import_pending"


class ProjectImportForm(SpreadsheetUploadForm):
    def limits_text(self) -> str:
        return _(
            "Excel (.xlsx) or CSV in UTF-8 or Thai (TIS-620), up to %(mb)s MB and "
            "%(rows)s projects."
        ) % {"mb": MAX_FILE_BYTES // (1024 * 1024), "rows": f"{MAX_ROWS:,}"}


def _editable_plan(request: HttpRequest, pk: int) -> DevelopmentPlan | None:
    """The plan for HR, or None (with a message) when it cannot be changed."""
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
    if refusal := plan.edit_refusal:
        messages.error(request, refusal)
        return None
    return plan


def _pending(request: HttpRequest, plan: DevelopmentPlan) -> flow.PendingUpload:
    return flow.PendingUpload(request, PENDING_KEY, "plan", plan.pk)


def _run(plan: DevelopmentPlan):
    def run(data: bytes, filename: str, dry_run: bool):
        return importing.projects_import(plan=plan, data=data, filename=filename, dry_run=dry_run)

    return run


def _context(plan: DevelopmentPlan, **extra) -> dict:
    return {"plan": plan, "max_mb": MAX_FILE_BYTES // (1024 * 1024), "max_rows": MAX_ROWS, **extra}


def _preview_page(plan: DevelopmentPlan, report) -> flow.PreviewPage:
    detail = reverse("plans:detail", args=[plan.pk])
    return flow.PreviewPage(
        breadcrumbs=[(reverse("plans:list"), _("Development plans")), (detail, str(plan))],
        import_url=reverse("plans:projects_import", args=[plan.pk]),
        confirm_url=reverse("plans:projects_import_confirm", args=[plan.pk]),
        cancel_url=detail,
        columns=[(_("Project or course"), ""), (_("Development area"), "")],
        new_label=_("new projects"),
        changed_message=_(
            "The file was checked again when you confirmed and no longer passes (the plan may "
            "have changed since the preview). Nothing was saved."
        ),
        ready_message=_(
            "Confirming adds %(new)s projects and updates %(updated)s; %(unchanged)s are "
            "already up to date."
        )
        % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged},
        nothing_message=_("Every project in this file is already in the plan exactly as written."),
        back_url=detail,
        back_label=_("Back to the plan"),
        ignored_message=_("These columns are not part of the file format and were left out:"),
        upload_help=False,
        change_limit=160,
        context=_context(plan, form=ProjectImportForm()),
    )


@require_http_methods(["GET", "POST"])
def projects_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if plan is None:
        return redirect("plans:detail", pk=pk)
    pending = _pending(request, plan)
    if request.method != "POST":
        # Another page of the preview of the upload waiting for confirmation.
        checked = flow.pending_checked(pending, _run(plan)) if "page" in request.GET else None
        if checked is None:
            context = _context(plan, form=ProjectImportForm())
            return render(request, "plans/import.html", context)
    else:
        form = ProjectImportForm(request.POST, request.FILES)
        checked = flow.upload_checked(form, pending, _run(plan))
        if checked is None:
            return render(request, "plans/import.html", _context(plan, form=form))
    report, token = checked
    return flow.preview_render(request, _preview_page(plan, report), report, token=token)


@require_POST
def projects_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if plan is None:
        flow.PendingUpload(request, PENDING_KEY, "plan", pk).forget()
        return redirect("plans:detail", pk=pk)
    report = flow.confirmed_run(request, _pending(request, plan), _run(plan))
    if report is None:
        return redirect("plans:projects_import", pk=plan.pk)
    if not report.written:
        page = _preview_page(plan, report)
        return flow.preview_render(request, page, report, token=None, confirm_failed=True)
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
    return flow.xlsx_response(
        importing.projects_workbook(plan=plan), importing.export_filename(plan)
    )
