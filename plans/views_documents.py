"""The documents of a plan, each as a page, a PDF and a public PDF: the 3-year plan
book (printed only), the annual plan of one fiscal year, and the 6-month progress
(ITA o24) and annual results (o26) reports.

Every view takes its figures from plans/documents.py, so the page, the PDF and the
public PDF of a document cannot disagree; they differ only in how the plan is found:

- under ``/plans/``: through the access helper, for HR and executives;
- under ``/t/<slug>/plans/``: for anyone, a published plan of that organisation only,
  and a report only once its year has started (progress) or ended (results), as the
  transparency page lists them.

The progress and results reports are one document over two periods: their views take
``first_half`` from the URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from plans import documents
from plans.access import get_plan_for_user
from plans.frozen import plan_document_response
from plans.models import DevelopmentPlan
from plans.transparency import get_published_plan_or_404, year_has_ended, year_has_started
from portal.access import current_membership
from portal.documents_store import Spec, document_response
from portal.models import Role

# --- Printing, whoever asks ---------------------------------------------------------
# A PDF is a stored document (portal/documents_store.py): the view names it, the
# builders below draw it — in the worker, from its parameters alone.


def _plan(params: dict[str, Any]) -> DevelopmentPlan:
    return DevelopmentPlan.objects.select_related(
        "organization", "manpower_plan", "approved_by", "proposed_by"
    ).get(pk=params["plan"])


def build_plan_book(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "plans/pdf/plan_book.html", documents.plan_book_context(plan=_plan(params))


def build_annual_plan(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    context = documents.annual_plan_context(plan=_plan(params), fiscal_year=params["fy"])
    return "plans/pdf/annual_plan.html", context


def build_year_report(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    context = documents.year_report_context(
        plan=_plan(params), fiscal_year=params["fy"], first_half=params["first_half"]
    )
    return "plans/pdf/year_report.html", context


#: The documents of a plan, registered with the store by PlansConfig.ready().
BUILDERS = {
    "plans.plan_book": build_plan_book,
    "plans.annual_plan": build_annual_plan,
    "plans.year_report": build_year_report,
}


def _plan_book_pdf(request: HttpRequest, plan: DevelopmentPlan) -> HttpResponse:
    def filename() -> str:  # in Thai: called under the document language
        return _("development-plan-%(first)s-%(last)s.pdf") % {
            "first": plan.first_fy,
            "last": plan.last_fy,
        }

    spec = Spec("plans.plan_book", plan.organization, {"plan": plan.pk}, filename)
    return plan_document_response(request, spec, plan=plan)


def _annual_plan_pdf(request: HttpRequest, plan: DevelopmentPlan, fy: int) -> HttpResponse:
    def filename() -> str:  # in Thai: called under the document language
        return _("annual-development-plan-%(fy)s.pdf") % {"fy": fy}

    spec = Spec("plans.annual_plan", plan.organization, {"plan": plan.pk, "fy": fy}, filename)
    return plan_document_response(request, spec, plan=plan, fiscal_year=fy)


def _year_report_pdf(
    request: HttpRequest, plan: DevelopmentPlan, fy: int, first_half: bool
) -> HttpResponse:
    name = (
        gettext_noop("development-progress-6-months-%(fy)s.pdf")
        if first_half
        else gettext_noop("development-results-%(fy)s.pdf")
    )
    params = {"plan": plan.pk, "fy": fy, "first_half": first_half}
    spec = Spec("plans.year_report", plan.organization, params, lambda: _(name) % {"fy": fy})
    return document_response(request, spec)


# --- For HR and executives (/plans/) --------------------------------------------------


@require_GET
def annual_plan(request: HttpRequest, pk: int, fy: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk, fiscal_year=fy)
    figures = documents.annual_plan_figures(plan=plan, fiscal_year=fy)
    return render(request, "plans/annual_plan.html", figures)


@require_GET
def year_report(request: HttpRequest, pk: int, fy: int, first_half: bool) -> HttpResponse:
    plan = get_plan_for_user(request, pk, fiscal_year=fy)
    figures = documents.year_report_figures(plan=plan, fiscal_year=fy, first_half=first_half)
    return render(
        request,
        "plans/progress.html" if first_half else "plans/results_report.html",
        {**figures, "can_edit": current_membership(request).role == Role.HR},
    )


@require_GET
def plan_book_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_book_pdf(request, get_plan_for_user(request, pk))


@require_GET
def annual_plan_pdf(request: HttpRequest, pk: int, fy: int) -> HttpResponse:
    return _annual_plan_pdf(request, get_plan_for_user(request, pk, fiscal_year=fy), fy)


@require_GET
def year_report_pdf(request: HttpRequest, pk: int, fy: int, first_half: bool) -> HttpResponse:
    plan = get_plan_for_user(request, pk, fiscal_year=fy)
    return _year_report_pdf(request, plan, fy, first_half)


# --- For anyone, published plans only (/t/<slug>/plans/) ----------------------------


@login_not_required
@require_GET
def public_plan_book_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _plan_book_pdf(request, get_published_plan_or_404(slug=slug, pk=pk))


@login_not_required
@require_GET
def public_annual_plan_pdf(request: HttpRequest, slug: str, pk: int, fy: int) -> HttpResponse:
    plan = get_published_plan_or_404(slug=slug, pk=pk, fiscal_year=fy)
    return _annual_plan_pdf(request, plan, fy)


@login_not_required
@require_GET
def public_year_report_pdf(
    request: HttpRequest, slug: str, pk: int, fy: int, first_half: bool
) -> HttpResponse:
    plan = get_published_plan_or_404(slug=slug, pk=pk, fiscal_year=fy)
    if not (year_has_started(fy) if first_half else year_has_ended(fy)):
        raise Http404("This report does not exist yet.")
    return _year_report_pdf(request, plan, fy, first_half)
