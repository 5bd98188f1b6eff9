"""The printed documents of a published plan, for anyone (the links on the public
transparency page ``/t/<slug>/``). Same documents as plans/views_pdf.py — the same
context builders and the one renderer — but the plan is found by the organisation's
slug and must be published; the reports exist only for years that have started
(progress) or ended (results), as the page lists them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from plans import documents
from plans.transparency import get_published_plan_or_404, year_has_ended, year_has_started
from portal.pdf import pdf_response


@login_not_required
@require_GET
def plan_book(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = get_published_plan_or_404(slug=slug, pk=pk)
    return pdf_response(
        "plans/pdf/plan_book.html",
        documents.plan_book_context(plan=plan),
        filename=_("development-plan-%(first)s-%(last)s.pdf")
        % {"first": plan.first_fy, "last": plan.last_fy},
        request=request,
    )


@login_not_required
@require_GET
def annual_plan(request: HttpRequest, slug: str, pk: int, fy: int) -> HttpResponse:
    plan = get_published_plan_or_404(slug=slug, pk=pk, fiscal_year=fy)
    return pdf_response(
        "plans/pdf/annual_plan.html",
        documents.annual_plan_context(plan=plan, fiscal_year=fy),
        filename=_("annual-development-plan-%(fy)s.pdf") % {"fy": fy},
        request=request,
    )


def _year_report(
    request: HttpRequest, slug: str, pk: int, fy: int, *, first_half: bool
) -> HttpResponse:
    plan = get_published_plan_or_404(slug=slug, pk=pk, fiscal_year=fy)
    available = year_has_started(fy) if first_half else year_has_ended(fy)
    if not available:
        raise Http404("This report does not exist yet.")
    name = (
        _("development-progress-6-months-%(fy)s.pdf")
        if first_half
        else _("development-results-%(fy)s.pdf")
    )
    return pdf_response(
        "plans/pdf/year_report.html",
        documents.year_report_context(plan=plan, fiscal_year=fy, first_half=first_half),
        filename=name % {"fy": fy},
        request=request,
    )


@login_not_required
@require_GET
def progress_report(request: HttpRequest, slug: str, pk: int, fy: int) -> HttpResponse:
    return _year_report(request, slug, pk, fy, first_half=True)


@login_not_required
@require_GET
def results_report(request: HttpRequest, slug: str, pk: int, fy: int) -> HttpResponse:
    return _year_report(request, slug, pk, fy, first_half=False)
