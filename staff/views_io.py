"""Staff in and out of Excel: upload → preview (a dry run of every row) → confirm; the
template; the export of the filtered list. HR officers only. The flow is every
import's (``portal.import_views``); the upload waits for confirmation under a token
kept in the session with the organisation's id.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import import_views as flow
from portal.access import HR, current_organization, in_org, require_role
from portal.forms import ImportConfirmForm, SpreadsheetUploadForm
from portal.models import Organization
from portal.spreadsheets import MAX_FILE_BYTES, MAX_ROWS
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


def _pending(request: HttpRequest, organization: Organization) -> flow.PendingUpload:
    return flow.PendingUpload(request, PENDING_KEY, "organization", organization.pk)


def _run(organization: Organization, *, create_new: bool = True):
    def run(data: bytes, filename: str, dry_run: bool):
        return staff_import(
            organization=organization,
            data=data,
            filename=filename,
            dry_run=dry_run,
            create_new=create_new,
        )

    return run


def _limits() -> dict:
    return {"max_mb": MAX_FILE_BYTES // (1024 * 1024), "max_rows": f"{MAX_ROWS:,}"}


def _preview_page() -> flow.PreviewPage:
    return flow.PreviewPage(
        breadcrumbs=[(reverse("staff:list"), _("Staff"))],
        import_url=reverse("staff:import"),
        confirm_url=reverse("staff:import_confirm"),
        cancel_url=reverse("staff:import"),
        columns=[
            (_("Name"), ""),
            (_("Citizen ID"), "nowrap"),
            (_("Unit"), ""),
            (_("Position"), ""),
        ],
        new_label=_("new people"),
        changed_message=_(
            "The file was checked again when you confirmed and no longer passes (the staff "
            "records may have changed since the preview). Nothing was saved."
        ),
        ready_message=_(
            "Every row passed the checks. Nothing is saved until you confirm; then all the "
            "rows are saved together."
        ),
        nothing_message=_("Everyone in this file is already in the portal exactly as written."),
        back_url=reverse("staff:list"),
        back_label=_("Back to the staff list"),
        ignored_message=_("These columns are not part of the template and were left out:"),
        context={"form": StaffImportForm(), **_limits()},
    )


def _render_upload(request: HttpRequest, form: StaffImportForm) -> HttpResponse:
    context = {"form": form, "export_form": StaffExportForm(), **_limits()}
    return render(request, "staff/import.html", context)


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    organization = current_organization(request)
    pending = _pending(request, organization)
    if request.method != "POST":
        # Another page of the preview of the upload waiting for confirmation.
        checked = (
            flow.pending_checked(pending, _run(organization)) if "page" in request.GET else None
        )
        if checked is None:
            return _render_upload(request, StaffImportForm())
    else:
        form = StaffImportForm(request.POST, request.FILES)
        checked = flow.upload_checked(form, pending, _run(organization))
        if checked is None:
            return _render_upload(request, form)
    report, token = checked
    return flow.preview_render(request, _preview_page(), report, token=token)


@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    organization = current_organization(request)
    # The units and positions the preview listed are created only if still ticked.
    choice = ImportConfirmForm(request.POST)
    create_new = choice.is_valid() and choice.cleaned_data["create_new"]
    report = flow.confirmed_run(
        request, _pending(request, organization), _run(organization, create_new=create_new)
    )
    if report is None:
        return redirect("staff:import")
    if not report.written:
        return flow.preview_render(
            request, _preview_page(), report, token=None, confirm_failed=True
        )
    messages.success(
        request,
        _("Import finished: %(new)s added, %(updated)s updated, %(unchanged)s already up to date.")
        % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect("staff:list")


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    organization = current_organization(request)
    return flow.xlsx_response(
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
    return flow.xlsx_response(data, export_filename(organization))
