"""The approved documents of a plan (issue 14): when the นายก approves a plan, its
plan book and its three annual plans are rendered once, in Thai digits, and kept as
the documents of that revision. Every later download of an approved or published
plan's book or annual plan — under /plans/ and on the transparency page — sends
those files byte for byte, whatever changed since; a plan not approved yet keeps
rendering live, with its ร่าง mark (portal/documents_store.py).

The rows are made in the approval's transaction and rendered by the worker after it
commits (inline with the immediate backend). A plan approved before this existed
gets its documents made the first time one of them is asked for.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from plans.models import ApprovedDocument, DevelopmentPlan
from portal import documents_store
from portal.documents_store import Spec
from portal.models import RenderedDocument

Kind = ApprovedDocument.Kind
#: The official form: the approved record is printed with Thai digits only.
DIGITS = "thai"


def approved_key(*, plan: DevelopmentPlan, kind: str, fiscal_year: int | None) -> str:
    """A key of its own, outside the live keys' digests: nothing but this plan, this
    document and this year ever names the file."""
    return f"approved:{plan.pk}:{kind}:{fiscal_year or 'all'}"


def _wanted(plan: DevelopmentPlan) -> list[tuple[str, int | None]]:
    return [(Kind.PLAN_BOOK, None)] + [(Kind.ANNUAL_PLAN, fy) for fy in plan.fiscal_years]


@transaction.atomic
def approved_documents_freeze(*, plan: DevelopmentPlan) -> list[ApprovedDocument]:
    """Make the approved documents of ``plan`` that are not there yet, each queued for
    rendering once the transaction commits; the ones already there are left alone."""
    existing = {(a.kind, a.fiscal_year): a for a in plan.approved_documents.all()}
    approved = []
    for kind, fiscal_year in _wanted(plan):
        if (kind, fiscal_year) in existing:
            approved.append(existing[(kind, fiscal_year)])
            continue
        params = {"plan": plan.pk} if fiscal_year is None else {"plan": plan.pk, "fy": fiscal_year}
        document, created = RenderedDocument.objects.get_or_create(
            key=approved_key(plan=plan, kind=kind, fiscal_year=fiscal_year),
            defaults={
                "kind": kind,
                "organization_id": plan.organization_id,
                "params": params,
                "digits": DIGITS,
            },
        )
        approved.append(
            ApprovedDocument.objects.create(
                plan=plan,
                kind=kind,
                fiscal_year=fiscal_year,
                document=document,
                # A plan approved by hand (demo data, old imports) may lack the moment.
                approved_at=plan.approved_at or plan.updated_at,
            )
        )
        if created:
            documents_store.document_enqueue_on_commit(document)
    return approved


def approved_document(
    *, plan: DevelopmentPlan, kind: str, fiscal_year: int | None
) -> tuple[RenderedDocument, bool]:
    """The stored document of an approved ``plan`` and whether it was ready already;
    made (and queued) on first request for a plan approved before documents were
    kept."""
    found = (
        ApprovedDocument.objects.select_related("document")
        .filter(plan=plan, kind=kind, fiscal_year=fiscal_year)
        .first()
    )
    if found is None:
        approved_documents_freeze(plan=plan)
        found = ApprovedDocument.objects.select_related("document").get(
            plan=plan, kind=kind, fiscal_year=fiscal_year
        )
    document = found.document
    ready = document.status == RenderedDocument.Status.READY
    return documents_store.document_render_if_stranded(document), ready


def plan_document_response(
    request: HttpRequest, spec: Spec, *, plan: DevelopmentPlan, fiscal_year: int | None = None
) -> HttpResponse:
    """A plan book or annual plan: the approved file for an approved or published
    plan, the live one (with its ร่าง mark) for any other."""
    if not plan.is_locked:
        return documents_store.document_response(request, spec)
    document, hit = approved_document(plan=plan, kind=spec.kind, fiscal_year=fiscal_year)
    return documents_store.stored_document_response(
        request, document, filename=spec.file_name(), hit=hit
    )


def approved_documents_of(
    plans: list[DevelopmentPlan],
) -> dict[tuple[int, str, int | None], ApprovedDocument]:
    """The approved documents of ``plans`` by (plan, kind, fiscal year), each plan's
    book first, then its years: one query."""
    rows = ApprovedDocument.objects.filter(plan__in=plans).select_related("document")
    ordered = sorted(rows, key=lambda a: (a.plan_id, a.fiscal_year or 0))
    return {(a.plan_id, a.kind, a.fiscal_year): a for a in ordered}
