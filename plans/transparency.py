"""The development plans an organisation has published, for its public transparency
page and the login-free PDF links on it.

Each document is labelled with the ITA item it answers. The NACC renumbers the items
from one assessment to the next, so the codes are data keyed by the ITA year they were
introduced in (reference/domain.md §6); a document takes the codes of its fiscal year,
or of the latest earlier year we know.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.documents import period_end
from plans.frozen import Kind, approved_documents_of
from plans.issued import issued_reports_of
from plans.models import ApprovedDocument, DevelopmentPlan, IssuedReport
from portal.models import Organization
from portal.public import PublicDocument, PublicVersion
from portal.thai import fiscal_year_end, fiscal_year_start

PLAN, PROGRESS, RESULTS = "plan", "progress", "results"

#: ITA year → our document kind → the item code of that year's assessment.
ITA_ITEMS: dict[int, dict[str, str]] = {
    2563: {PLAN: "O25", PROGRESS: "O26", RESULTS: "O28"},
    2564: {PLAN: "O25", PROGRESS: "O26", RESULTS: "O28"},
    2565: {PLAN: "O25", PROGRESS: "O26", RESULTS: "O28"},
    2566: {PLAN: "o23", PROGRESS: "o24", RESULTS: "o26"},
}


def ita_item(*, kind: str, fiscal_year: int) -> tuple[int | None, str]:
    """(the ITA year whose codes apply, the item code) for a document of ``fiscal_year``;
    (None, "") before the first ITA year we know."""
    known = [year for year in ITA_ITEMS if year <= fiscal_year]
    if not known:
        return None, ""
    year = max(known)
    return year, ITA_ITEMS[year][kind]


def year_has_started(fiscal_year: int, *, today: dt.date | None = None) -> bool:
    return fiscal_year_start(fiscal_year) <= (today or timezone.localdate())


def year_has_ended(fiscal_year: int, *, today: dt.date | None = None) -> bool:
    return fiscal_year_end(fiscal_year) < (today or timezone.localdate())


def published_plans(organization: Organization) -> QuerySet[DevelopmentPlan]:
    return DevelopmentPlan.objects.filter(
        organization=organization, status=DevelopmentPlan.Status.PUBLISHED
    ).order_by("-first_fy", "-revision", "-published_at")


def get_published_plan_or_404(
    *, slug: str, pk: int, fiscal_year: int | None = None
) -> DevelopmentPlan:
    """The published plan ``pk`` of the organisation ``slug``, for anyone. Any other
    plan — unpublished, of another organisation, or not covering ``fiscal_year`` —
    answers 404, as if it did not exist."""
    plan = (
        DevelopmentPlan.objects.select_related(
            "organization", "manpower_plan", "submitted_by", "proposed_by", "approved_by"
        )
        .filter(organization__slug=slug, status=DevelopmentPlan.Status.PUBLISHED, pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No such published plan.")
    if fiscal_year is not None and fiscal_year not in plan.fiscal_years:
        raise Http404("The plan does not cover this fiscal year.")
    return plan


def _document(
    *,
    title: str,
    url: str,
    kind: str,
    fiscal_year: int,
    date: dt.date | None,
    group: str,
    approved: ApprovedDocument | None = None,
) -> PublicDocument:
    ita_year, item = ita_item(kind=kind, fiscal_year=fiscal_year)
    return PublicDocument(
        title=title,
        url=url,
        item=item,
        ita_year=ita_year,
        date=date,
        group=group,
        approved_on=timezone.localdate(approved.approved_at) if approved else None,
        sha256=approved.document.sha256 if approved else "",
    )


def published_documents(organization: Organization) -> list[PublicDocument]:
    """Every published plan, newest first: its plan book, then per fiscal year the
    annual plan and — once the year has started — the 6-month progress report and,
    once it has ended, the annual results report, each with its issues (or "not issued
    yet"). Three queries, whatever the number of plans."""
    today = timezone.localdate()
    slug = organization.slug
    documents = []
    plans = list(published_plans(organization))
    approved = approved_documents_of(plans)
    issued = issued_reports_of(plans)
    for plan in plans:
        group = str(plan)
        published_on = timezone.localdate(plan.published_at)
        documents.append(
            _document(
                title=_("Staff development plan, fiscal years %(first)s–%(last)s")
                % {"first": plan.first_fy, "last": plan.last_fy},
                url=reverse("plans_public:plan_pdf", args=[slug, plan.pk]),
                kind=PLAN,
                fiscal_year=plan.first_fy,
                date=published_on,
                group=group,
                approved=approved.get((plan.pk, Kind.PLAN_BOOK, None)),
            )
        )
        for fy in plan.fiscal_years:
            args = [slug, plan.pk, fy]
            documents.append(
                _document(
                    title=_("Annual development plan, fiscal year %(fy)s") % {"fy": fy},
                    url=reverse("plans_public:annual_pdf", args=args),
                    kind=PLAN,
                    fiscal_year=fy,
                    date=published_on,
                    group=group,
                    approved=approved.get((plan.pk, Kind.ANNUAL_PLAN, fy)),
                )
            )
            if not year_has_started(fy, today=today):
                continue
            documents.append(
                _report(
                    title=_("Progress report, first 6 months of fiscal year %(fy)s") % {"fy": fy},
                    kind=PROGRESS,
                    args=args,
                    group=group,
                    issues=issued.get((plan.pk, fy, PROGRESS), []),
                )
            )
            if year_has_ended(fy, today=today):
                documents.append(
                    _report(
                        title=_("Annual results report, fiscal year %(fy)s") % {"fy": fy},
                        kind=RESULTS,
                        args=args,
                        group=group,
                        issues=issued.get((plan.pk, fy, RESULTS), []),
                    )
                )
    return documents


def _report(
    *, title: str, kind: str, args: list[Any], group: str, issues: list[IssuedReport]
) -> PublicDocument:
    """A period report as the public sees it: its issues (the title sends the latest),
    or "not issued yet" — never a live render."""
    fiscal_year = args[-1]
    ita_year, item = ita_item(kind=kind, fiscal_year=fiscal_year)
    versions = tuple(
        PublicVersion(
            number=issue.number,
            url=reverse(f"plans_public:{kind}_issued_pdf", args=[*args, issue.number]),
            issued_on=timezone.localdate(issue.issued_at),
            sha256=issue.document.sha256,
        )
        for issue in issues
    )
    return PublicDocument(
        title=title,
        url=reverse(f"plans_public:{kind}_pdf", args=args) if issues else "",
        item=item,
        ita_year=ita_year,
        date=period_end(fiscal_year=fiscal_year, first_half=kind == PROGRESS),
        group=group,
        note="" if issues else _("Not issued yet"),
        versions=versions,
    )
