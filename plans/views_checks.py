"""The checks of a plan (``/plans/<pk>/checks/``; HR, executives read): who and what
no project reaches (plans/checks.py). Projects drafted from the skill gaps are in
plans/views_suggestions.py."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans.access import get_plan_for_user
from plans.checks import PlanChecks, YearCoverage, plan_check
from plans.dashboard import plan_findings_count


@require_GET
def checks(request: HttpRequest, pk: int) -> HttpResponse:
    """The findings; with ``?count=1`` only their number, which the plan page loads
    after it has shown (the checks are the slowest part of the plan)."""
    plan = get_plan_for_user(request, pk)
    if request.GET.get("count"):
        # The count alone is kept in the cache (the home page's follow-up figure asks too).
        findings = plan_findings_count(plan=plan)
        return render(request, "plans/_findings_count.html", {"plan": plan, "findings": findings})
    result = plan_check(plan=plan)
    return render(
        request,
        "plans/checks.html",
        {"plan": plan, "checks": result, "coverage": _uncovered_pages(request, result)},
    )


#: People listed per fiscal year and page: at national scale a year can leave
#: thousands of people out.
PAGE_SIZE = 50


def _uncovered_pages(request: HttpRequest, result: PlanChecks) -> list[tuple[YearCoverage, dict]]:
    """Each fiscal year with a page (``?fy<year>=<n>``) of the people no project
    reaches that year, as (unit, person), and the query string of the other pages."""
    pages = []
    for year in result.years:
        param = f"fy{year.fiscal_year}"
        rows = [(group.unit, person) for group in year.units for person in group.people]
        query = request.GET.copy()
        query.pop(param, None)
        query.pop("count", None)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get(param))
        pages.append((year, {"page": page, "param": param, "query": query.urlencode()}))
    return pages
