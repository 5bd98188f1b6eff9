"""The printed documents of a plan (HR and executives): the 3-year plan book, the
annual plan, the 6-month progress report and the annual results report. Each view
fetches the plan through its access helper, gathers the document's data
(plans/documents.py) and hands it to the one renderer (portal/pdf.py)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from plans import documents
from plans.access import get_plan_for_user
from plans.models import DevelopmentPlan
from portal.pdf import pdf_response


def _plan_and_year(request: HttpRequest, pk: int, fy: int) -> DevelopmentPlan:
    plan = get_plan_for_user(request, pk)
    if fy not in plan.fiscal_years:
        raise Http404("The plan does not cover this fiscal year.")
    return plan


@require_GET
def plan_book(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    return pdf_response(
        "plans/pdf/plan_book.html",
        documents.plan_book_context(plan=plan),
        filename=_("development-plan-%(first)s-%(last)s.pdf")
        % {"first": plan.first_fy, "last": plan.last_fy},
        request=request,
    )


@require_GET
def annual_plan(request: HttpRequest, pk: int, fy: int) -> HttpResponse:
    plan = _plan_and_year(request, pk, fy)
    return pdf_response(
        "plans/pdf/annual_plan.html",
        documents.annual_plan_context(plan=plan, fiscal_year=fy),
        filename=_("annual-development-plan-%(fy)s.pdf") % {"fy": fy},
        request=request,
    )


def _year_report(request: HttpRequest, pk: int, fy: int, *, first_half: bool) -> HttpResponse:
    plan = _plan_and_year(request, pk, fy)
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


@require_GET
def progress_report(request: HttpRequest, pk: int, fy: int) -> HttpResponse:
    return _year_report(request, pk, fy, first_half=True)


@require_GET
def results_report(request: HttpRequest, pk: int, fy: int) -> HttpResponse:
    return _year_report(request, pk, fy, first_half=False)
