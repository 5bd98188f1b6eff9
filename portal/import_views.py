"""The browser's side of every import: upload → preview (a dry run of every row) →
confirm, the same for each app; an app's views say only what is theirs (who may import
into what, the words of the page, where it leads).

Between the preview and the confirmation the uploaded bytes wait on the server under a
random token kept in the session with the id of what they import into (see
``portal.spreadsheets.pending_upload_*``); nothing the browser sends can name a file.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from portal.downloads import content_disposition
from portal.forms import ImportConfirmForm, SpreadsheetUploadForm
from portal.imports import ImportReport
from portal.spreadsheets import (
    XLSX_CONTENT_TYPE,
    pending_upload_discard,
    pending_upload_read,
    pending_upload_save,
)

#: Runs one app's import: (data, filename, dry_run) → the report.
Run = Callable[[bytes, str, bool], ImportReport]


@dataclass
class PendingUpload:
    """The upload waiting for confirmation: ``{"token", owner_name: owner, "filename"}``
    in the session under ``key``, good only for the same owner (organisation or plan)."""

    request: HttpRequest
    key: str
    owner_name: str
    owner: int

    def token(self) -> str | None:
        pending = self.request.session.get(self.key) or {}
        if pending.get(self.owner_name) != self.owner:
            return None
        return pending.get("token")

    def filename(self) -> str:
        return (self.request.session.get(self.key) or {}).get("filename", "")

    def remember(self, data: bytes, filename: str) -> str:
        token = pending_upload_save(data=data)
        self.request.session[self.key] = {
            "token": token,
            self.owner_name: self.owner,
            "filename": filename,
        }
        return token

    def forget(self) -> None:
        pending = self.request.session.pop(self.key, None) or {}
        if pending.get("token"):
            pending_upload_discard(token=pending["token"])

    def data(self, offered: str | None = None) -> bytes | None:
        """The waiting bytes, if ``offered`` (when given) is their token."""
        token = self.token()
        if not token or (offered is not None and not secrets.compare_digest(offered, token)):
            return None
        return pending_upload_read(token=token)


def upload_checked(
    form: SpreadsheetUploadForm, pending: PendingUpload, run: Run
) -> tuple[ImportReport, str | None] | None:
    """The dry run of a bound upload form's file, and the token it now waits under when
    it can be confirmed; None when the form or the file is refused (said on the form)."""
    if not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    data = upload.read()
    # A dry run: the preview shows exactly what confirming would do.
    report = run(data, upload.name, True)
    if report.file_errors:
        for message in report.file_errors:
            form.add_error("file", message)
        return None
    pending.forget()
    token = None
    if report.ok and report.has_changes:
        token = pending.remember(data, upload.name)
    return report, token


def pending_checked(pending: PendingUpload, run: Run) -> tuple[ImportReport, str] | None:
    """The dry run of the upload already waiting, for another page of its preview."""
    data = pending.data()
    if data is None:
        return None
    return run(data, pending.filename(), True), pending.token() or ""


def confirmed_run(request: HttpRequest, pending: PendingUpload, run: Run) -> ImportReport | None:
    """The real import of the waiting upload the POSTed token names, or None (with a
    message) when there is none."""
    form = ImportConfirmForm(request.POST)
    data = pending.data(form.cleaned_data["token"]) if form.is_valid() else None
    if data is None:
        messages.error(
            request,
            _(
                "This preview is no longer valid (it expired, was already imported or was "
                "replaced by another upload). Upload the file again."
            ),
        )
        return None
    filename = pending.filename()  # the history names the file (portal/history.py)
    pending.forget()
    # The real run checks every row again: the data may have changed since the preview.
    return run(data, filename, False)


@dataclass
class PreviewPage:
    """What one import's preview page says and links to; the rest is shared."""

    breadcrumbs: list[tuple[str, str]]  # (url, label) before "Import"
    import_url: str
    confirm_url: str
    cancel_url: str
    columns: list[tuple[str, str]]  # the row table's (heading, css class) after Row, Result
    new_label: str
    changed_message: str  # why a confirmed file may fail the second check
    ready_message: str
    nothing_message: str
    back_url: str
    back_label: str
    ignored_message: str
    upload_help: bool = True
    #: Long texts of changes are cut to this many characters ("": never).
    change_limit: int | str = ""
    context: dict[str, Any] = field(default_factory=dict)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A workbook to download. Exports hold personal data (names, citizen IDs): keep them
    out of shared caches and the browser's disk cache."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


def preview_render(
    request: HttpRequest,
    page: PreviewPage,
    report: ImportReport,
    *,
    token: str | None,
    confirm_failed: bool = False,
) -> HttpResponse:
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    response = render(
        request,
        "portal/import_preview.html",
        {
            **page.context,
            "import_page": page,
            "report": report,
            "preview": report.preview(number),
            "token": token,
            "confirm_form": ImportConfirmForm(initial={"token": token}) if token else None,
            "confirm_failed": confirm_failed,
        },
    )
    # The preview shows every row of the file, citizen IDs included.
    patch_cache_control(response, private=True, no_store=True)
    return response
