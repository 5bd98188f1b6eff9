"""The documents of a plan, each as a page, a PDF and a public PDF: the 3-year plan
book (printed only), the annual plan of one fiscal year, and the 6-month progress
(ITA o24) and annual results (o26) reports.

Every view takes its figures from plans/documents.py, so the page, the PDF and the
public PDF of a document cannot disagree; they differ only in how the plan is found:

- under ``/plans/``: through the access helper, for HR and executives;
- under ``/t/<slug>/plans/``: for anyone, a published plan of that organisation only,
  and a report only once HR has issued it, as the transparency page lists them.

The progress and results reports are one document over two periods: their views take
``first_half`` from the URL. Once HR has issued one (plans/issued.py) its PDF is the
latest issue, byte for byte, and each issue keeps a URL of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from plans import documents
from plans.access import get_plan_for_user
from plans.forms import IssueReportForm
from plans.frozen import plan_document_response
from plans.issued import (
    IssueError,
    issue_refusal,
    issued_document,
    issued_reports,
    period_of,
)
from plans.issued import year_report_issue as year_report_issue_service
from plans.models import DevelopmentPlan, IssuedReport
from plans.transparency import get_published_plan_or_404
from portal import pdf
from portal.access import HR, current_membership
from portal.documents_store import Spec, document_response, stored_document_response
from portal.models import RenderedDocument, Role

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
    issued = None
    if "number" in params:  # an issued report (plans/issued.py)
        issued = {"number": params["number"], "on": dt.date.fromisoformat(params["issued_on"])}
    context = documents.year_report_context(
        plan=_plan(params),
        fiscal_year=params["fy"],
        first_half=params["first_half"],
        issued=issued,
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


def _year_report_filename(fy: int, first_half: bool, number: int | None = None) -> str:
    """The download's name, in Thai (the document's language); an issue's has its
    number."""
    name = (
        gettext_noop("development-progress-6-months-%(fy)s.pdf")
        if first_half
        else gettext_noop("development-results-%(fy)s.pdf")
    )
    with translation.override(pdf.DOCUMENT_LANGUAGE):
        filename = _(name) % {"fy": fy}
    return filename if number is None else f"{filename.removesuffix('.pdf')}-{number}.pdf"


def _issued_pdf(
    request: HttpRequest, plan: DevelopmentPlan, fy: int, first_half: bool, number: int | None
) -> HttpResponse | None:
    """The issue ``number`` of the report (the latest when None), byte for byte; None
    when the report has no such issue."""
    issues = issued_reports(plan=plan, fiscal_year=fy, first_half=first_half)
    found = next((i for i in issues if number in (None, i.number)), None)
    if found is None:
        return None
    hit = found.document.status == RenderedDocument.Status.READY
    document = issued_document(found)
    filename = _year_report_filename(fy, first_half, found.number)
    return stored_document_response(request, document, filename=filename, hit=hit)


def _issued_pdf_or_404(
    request: HttpRequest, plan: DevelopmentPlan, fy: int, first_half: bool, number: int | None
) -> HttpResponse:
    response = _issued_pdf(request, plan, fy, first_half, number)
    if response is None:
        raise Http404("The report has no such issue (or none yet).")
    return response


def _year_report_pdf(
    request: HttpRequest, plan: DevelopmentPlan, fy: int, first_half: bool
) -> HttpResponse:
    """The latest issue of the report once it has one; until then the live report."""
    response = _issued_pdf(request, plan, fy, first_half, None)
    if response is not None:
        return response
    params = {"plan": plan.pk, "fy": fy, "first_half": first_half}
    spec = Spec(
        "plans.year_report", plan.organization, params, _year_report_filename(fy, first_half)
    )
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
    is_hr = current_membership(request).role == Role.HR
    issues = issued_reports(plan=plan, fiscal_year=fy, first_half=first_half)
    refusal = issue_refusal(plan=plan, fiscal_year=fy, first_half=first_half)
    return render(
        request,
        "plans/progress.html" if first_half else "plans/results_report.html",
        {
            **figures,
            "can_edit": is_hr,
            "issues": issues,
            "issue_refusal": refusal,
            "issue_form": IssueReportForm(reissue=bool(issues)) if is_hr and not refusal else None,
        },
    )


@require_POST
def year_report_issue(request: HttpRequest, pk: int, fy: int, first_half: bool) -> HttpResponse:
    """HR issues the report (plans/issued.py): the confirmation ticked, and for an issue
    after the first the reason."""
    plan = get_plan_for_user(request, pk, roles=HR, fiscal_year=fy)
    page = redirect("plans:progress" if first_half else "plans:results", pk=plan.pk, fy=fy)
    reissue = IssuedReport.objects.filter(
        plan=plan, fiscal_year=fy, period=period_of(first_half)
    ).exists()
    form = IssueReportForm(request.POST, reissue=reissue)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return page
    try:
        issued = year_report_issue_service(
            plan=plan,
            fiscal_year=fy,
            first_half=first_half,
            user=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except IssueError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Issue %(number)s of the report is made: its file is kept as it is now.")
            % {"number": issued.number},
        )
    return page


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


@require_GET
def year_report_issued_pdf(
    request: HttpRequest, pk: int, fy: int, first_half: bool, number: int
) -> HttpResponse:
    plan = get_plan_for_user(request, pk, fiscal_year=fy)
    return _issued_pdf_or_404(request, plan, fy, first_half, number)


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
    """The latest issue of the report; none before HR issues it (the public never sees
    a live report)."""
    plan = get_published_plan_or_404(slug=slug, pk=pk, fiscal_year=fy)
    return _issued_pdf_or_404(request, plan, fy, first_half, None)


@login_not_required
@require_GET
def public_year_report_issued_pdf(
    request: HttpRequest, slug: str, pk: int, fy: int, first_half: bool, number: int
) -> HttpResponse:
    plan = get_published_plan_or_404(slug=slug, pk=pk, fiscal_year=fy)
    return _issued_pdf_or_404(request, plan, fy, first_half, number)
