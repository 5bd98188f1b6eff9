"""Documents rendered off the web worker and kept in storage (README "Documents and
the worker").

A PDF view names its document — a kind registered here, the organisation, the
parameters that pick its object (``{"plan": 7, "fy": 2568}``) and the digits — and
hands it to :func:`document_response`. The document's key is a digest of those, of
the organisation's data version (portal/data_version.py), of the code that renders it
and of the day, so finding out whether it is current costs one query and no render:

- ready: the stored file is sent, with the headers the renderer always sent;
- not rendered yet: a row is made and a task queued (portal/tasks.py); the answer is at
  once a page "กำลังจัดทำเอกสาร…" whose status part htmx asks for again every few
  seconds, and that sends the browser to the file when it is ready;
- failed: a clear message and a button that queues it again.

With the "immediate" task backend (the embedded default, and the tests) the task runs
inside the request, so the first answer is already the PDF.

The same table holds the frozen documents of issue 14 (file, size, SHA-256,
created): a row whose key the freezing code chooses (plans/frozen.py, plans/issued.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from portal import data_version, pdf
from portal.models import Organization, RenderedDocument

Status = RenderedDocument.Status

#: kind → builder(params) → (template name, context). Apps register their documents
#: in their AppConfig.ready(): the worker rebuilds a document from its row alone.
Builder = Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]
_BUILDERS: dict[str, Builder] = {}


def register(kind: str, builder: Builder) -> None:
    _BUILDERS[kind] = builder


def builder_for(kind: str) -> Builder:
    return _BUILDERS[kind]


@cache
def code_stamp() -> str:
    """A digest of the code and templates that draw documents, read once per process:
    a deployment that changes how a document looks makes new keys by itself."""
    digest = hashlib.sha256(pdf.RENDERER_VERSION.encode())
    base = Path(settings.BASE_DIR)
    files = [base / "static" / "css" / "print.css", *sorted((base / "locale").rglob("*.po"))]
    for folder in ("portal", "staff", "skills", "plans", "templates"):
        files.extend(sorted((base / folder).rglob("*.py")))
        files.extend(sorted((base / folder).rglob("*.html")))
    for path in files:
        if path.is_file() and "migrations" not in path.parts:
            digest.update(path.relative_to(base).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def document_key(
    *, kind: str, organization: Organization, params: dict[str, Any], digits: str
) -> str:
    """What makes a live document what it is. The day is in it because documents print
    today's date and what has started or ended by today."""
    stamp = json.dumps(
        [
            kind,
            params,
            digits,
            organization.pk,
            organization.data_version,
            code_stamp(),
            timezone.localdate().isoformat(),
        ],
        sort_keys=True,
    )
    return hashlib.sha256(stamp.encode()).hexdigest()


@dataclass(frozen=True)
class Spec:
    """One document as a view asks for it."""

    kind: str
    organization: Organization
    params: dict[str, Any]
    #: The download's name, or a function giving it: called in the document's language
    #: (Thai), so a reader working in English gets the same name as everyone else.
    filename: str | Callable[[], str]

    def file_name(self) -> str:
        if not callable(self.filename):
            return self.filename
        with translation.override(pdf.DOCUMENT_LANGUAGE):
            return self.filename()


def _current_version(organization: Organization) -> Organization:
    # The organisation object may be older than the last writes (this process's own,
    # flushed here first): the version is read fresh, one small query.
    data_version.flush_process_writes()
    organization.data_version = (
        Organization.objects.filter(pk=organization.pk).values_list("data_version", flat=True).get()
    )
    return organization


def document_for(spec: Spec, *, digits: str) -> tuple[RenderedDocument, bool]:
    """The stored document of ``spec`` and whether it was there already; a new one is
    queued for rendering."""
    organization = _current_version(spec.organization)
    key = document_key(kind=spec.kind, organization=organization, params=spec.params, digits=digits)
    document = RenderedDocument.objects.filter(key=key).first()
    if document is not None:
        return document, True
    try:
        with transaction.atomic():
            document = RenderedDocument.objects.create(
                key=key,
                kind=spec.kind,
                organization=organization,
                params=spec.params,
                digits=digits,
            )
    except IntegrityError:  # another request made it a moment ago: theirs is queued
        return RenderedDocument.objects.get(key=key), True
    document_enqueue(document)
    document.refresh_from_db()
    return document, False


def document_enqueue(document: RenderedDocument) -> None:
    from portal.tasks import render_document

    render_document.enqueue(key=document.key)


def document_enqueue_on_commit(document: RenderedDocument) -> None:
    """Queue ``document`` once the transaction that made its row is committed (the
    worker would not see it before)."""
    transaction.on_commit(lambda: document_enqueue(document), robust=True)


def renders_inline() -> bool:
    """Whether tasks run inside the request (the "immediate" backend)."""
    return settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


def document_render_if_stranded(document: RenderedDocument) -> RenderedDocument:
    """``document`` rendered now if it was queued "on commit" with the inline backend
    inside a transaction that is never committed (a test's): that task never ran, so
    it is run here, as the worker would have."""
    if document.status == Status.PENDING and document.started_at is None and renders_inline():
        document_enqueue(document)
        document.refresh_from_db()
    return document


def document_retry(document: RenderedDocument) -> RenderedDocument:
    """Queue a failed (or stalled) document again; a second click queues nothing."""
    claimed = RenderedDocument.objects.filter(pk=document.pk, status=document.status).update(
        status=Status.PENDING, error="", started_at=None, finished_at=None
    )
    if claimed:
        document_enqueue(document)
    document.refresh_from_db()
    return document


def is_stalled(document: RenderedDocument) -> bool:
    """Started but not finished well after the time limit: its worker died (killed for
    memory, or the machine restarted). Shown as failed, so it can be retried."""
    if document.status != Status.PENDING or document.started_at is None:
        return False
    limit = timedelta(seconds=settings.DOCUMENT_TIME_LIMIT + 60)
    return timezone.now() - document.started_at > limit


# --- Rendering (in the task) ---------------------------------------------------------


def document_render(*, key: str) -> RenderedDocument:
    """Render the document of ``key`` and store it: ready with its file, size and
    SHA-256, or failed with the reason. Runs in the worker (or inline)."""
    document = RenderedDocument.objects.get(key=key)
    if document.status == Status.READY:
        return document
    RenderedDocument.objects.filter(pk=document.pk).update(started_at=timezone.now())
    # The official Thai form, whatever language the worker (or the asking request) is in.
    with translation.override(pdf.DOCUMENT_LANGUAGE):
        template_name, context = builder_for(document.kind)(document.params)
        content = pdf.render_pdf(template_name, context, None, digits=document.digits).content
    return document_store(document=document, content=content)


def document_store(*, document: RenderedDocument, content: bytes) -> RenderedDocument:
    """Put ``content`` in storage as the ready file of ``document``."""
    document.file.save(f"{document.key}.pdf", ContentFile(content), save=False)
    document.size = len(content)
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.status = Status.READY
    document.error = ""
    document.finished_at = timezone.now()
    document.save(update_fields=["file", "size", "sha256", "status", "error", "finished_at"])
    return document


def document_fail(*, key: str, error: str) -> None:
    RenderedDocument.objects.filter(key=key).exclude(status=Status.READY).update(
        status=Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


# --- Answering -----------------------------------------------------------------------


def stored_pdf_response(document: RenderedDocument, *, filename: str, hit: bool) -> HttpResponse:
    """The stored file with the headers every PDF has always had."""
    with document.file.open("rb") as file:
        content = file.read()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = pdf.content_disposition(filename)
    response["ETag"] = f'"{document.sha256}"'
    response["X-PDF-Cache"] = "hit" if hit else "miss"
    # Documents name people: keep them out of shared caches.
    patch_cache_control(response, private=True)
    return response


def _status_response(request: HttpRequest, document: RenderedDocument) -> HttpResponse:
    failed = document.status == Status.FAILED or is_stalled(document)
    query = request.GET.copy()
    query.pop("retry", None)
    url = f"{request.path}?{query.urlencode()}" if query else request.path
    retry = query.copy()
    retry["retry"] = "1"
    context = {
        "document": document,
        "failed": failed,
        "url": url,
        "retry_url": f"{request.path}?{retry.urlencode()}",
    }
    if request.headers.get("HX-Request"):
        response = render(request, "portal/_document_status.html", context)
    else:
        response = render(request, "portal/document_pending.html", context)
    # Never kept: the next look must ask again.
    patch_cache_control(response, private=True, no_store=True)
    return response


def document_response(request: HttpRequest, spec: Spec) -> HttpResponse:
    """The answer of every PDF view: the file when it is ready, else the page that
    waits for it (see the module's docstring)."""
    document, hit = document_for(spec, digits=pdf.digits_choice(request))
    return stored_document_response(request, document, filename=spec.file_name(), hit=hit)


def stored_document_response(
    request: HttpRequest, document: RenderedDocument, *, filename: str, hit: bool
) -> HttpResponse:
    """The file of ``document`` when it is ready, else the page that waits for it (or
    says it failed, with a button to try again)."""
    if request.GET.get("retry") and (document.status == Status.FAILED or is_stalled(document)):
        document = document_retry(document)
        hit = False
    if document.status != Status.READY:
        return _status_response(request, document)
    if request.headers.get("HX-Request"):
        # The waiting page asked: send the browser to the file (now served at once).
        response = _status_response(request, document)
        response["HX-Redirect"] = request.get_full_path()
        return response
    return stored_pdf_response(document, filename=filename, hit=hit)
