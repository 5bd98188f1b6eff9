"""Staff in and out of Excel: upload → preview (a dry run of every row) → confirm; the
template; the export of the filtered list. HR officers only.

Between the preview and the confirmation the uploaded bytes wait on the server under a
random token kept in the session with the organisation's id (see
``staff.importing.pending_upload_*``); nothing the browser sends can name a file.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.access import HR, current_organization, in_org, require_role
from portal.forms import ImportConfirmForm, SpreadsheetUploadForm
from portal.models import Organization
from portal.spreadsheets import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    XLSX_CONTENT_TYPE,
    ImportReport,
    pending_upload_discard,
    pending_upload_read,
    pending_upload_save,
)
from staff.forms import StaffFilterForm
from staff.importing import (
    export_filename,
    staff_export,
    staff_import,
    staff_workbook,
)
from staff.models import StaffMember

#: Session key of the upload waiting for confirmation: {"token", "organization"}.
PENDING_KEY = "staff_import_pending"


class StaffImportForm(SpreadsheetUploadForm):
    def limits_text(self) -> str:
        return _(
            "Excel (.xlsx) or CSV in UTF-8 or Thai (TIS-620), up to %(mb)s MB and %(rows)s people."
        ) % {"mb": MAX_FILE_BYTES // (1024 * 1024), "rows": f"{MAX_ROWS:,}"}


class StaffExportForm(forms.Form):
    include_citizen_ids = forms.BooleanField(
        label=gettext_lazy("Include citizen IDs"),
        required=False,
        help_text=gettext_lazy(
            "Without them the IDs are hidden (x-xxxx-xxxxx-12-3) and the file cannot be "
            "imported back."
        ),
    )


def _pending_token(request: HttpRequest, organization: Organization) -> str | None:
    pending = request.session.get(PENDING_KEY) or {}
    if pending.get("organization") != organization.pk:
        return None
    return pending.get("token")


def _forget_pending(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING_KEY, None) or {}
    if pending.get("token"):
        pending_upload_discard(token=pending["token"])


def _render_upload(request: HttpRequest, form: StaffImportForm) -> HttpResponse:
    return render(
        request,
        "staff/import.html",
        {
            "form": form,
            "export_form": StaffExportForm(),
            "max_mb": MAX_FILE_BYTES // (1024 * 1024),
            "max_rows": f"{MAX_ROWS:,}",
        },
    )


def _render_preview(
    request: HttpRequest, report: ImportReport, *, token: str | None, confirm_failed: bool = False
) -> HttpResponse:
    return render(
        request,
        "staff/import_preview.html",
        {
            "report": report,
            "confirm_form": ImportConfirmForm(initial={"token": token}) if token else None,
            "form": StaffImportForm(),
            "confirm_failed": confirm_failed,
            "max_mb": MAX_FILE_BYTES // (1024 * 1024),
            "max_rows": f"{MAX_ROWS:,}",
        },
    )


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    organization = current_organization(request)
    if request.method != "POST":
        return _render_upload(request, StaffImportForm())
    form = StaffImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_upload(request, form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    # A dry run: the preview shows exactly what confirming would do.
    report = staff_import(organization=organization, data=data, filename=upload.name, dry_run=True)
    if report.file_errors:
        for message in report.file_errors:
            form.add_error("file", message)
        return _render_upload(request, form)
    _forget_pending(request)
    token = None
    if report.ok and report.has_changes:
        token = pending_upload_save(data=data)
        request.session[PENDING_KEY] = {"token": token, "organization": organization.pk}
    return _render_preview(request, report, token=token)


@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    organization = current_organization(request)
    form = ImportConfirmForm(request.POST)
    token = _pending_token(request, organization)
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
        return redirect("staff:import")
    _forget_pending(request)
    # The real run checks every row again: the data may have changed since the preview.
    report = staff_import(organization=organization, data=data, filename="", dry_run=False)
    if not report.written:
        return _render_preview(request, report, token=None, confirm_failed=True)
    messages.success(
        request,
        _("Import finished: %(new)s added, %(updated)s updated, %(unchanged)s already up to date.")
        % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect("staff:list")


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # Personal data: keep it out of shared caches and the browser's disk cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    organization = current_organization(request)
    return _xlsx_response(
        staff_workbook(organization=organization), export_filename(organization, template=True)
    )


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    organization = current_organization(request)
    filters = StaffFilterForm(request.GET or None, organization=organization, can_search_ids=True)
    options = StaffExportForm(request.GET)
    include_ids = options.is_valid() and options.cleaned_data["include_citizen_ids"]
    people = filters.filter(in_org(StaffMember.objects.all(), request))
    data = staff_export(organization=organization, people=people, include_citizen_ids=include_ids)
    return _xlsx_response(data, export_filename(organization))
