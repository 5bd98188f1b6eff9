"""The checks of a plan (``/plans/<pk>/checks/``; HR, executives read): who and what
no project reaches (plans/checks.py). Projects drafted from the skill gaps are in
plans/views_suggestions.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans.access import get_plan_for_user
from plans.checks import plan_check


@require_GET
def checks(request: HttpRequest, pk: int) -> HttpResponse:
    """The findings; with ``?count=1`` only their number, which the plan page loads
    after it has shown (the checks are the slowest part of the plan)."""
    plan = get_plan_for_user(request, pk)
    result = plan_check(plan=plan)
    if request.GET.get("count"):
        return render(
            request, "plans/_findings_count.html", {"plan": plan, "findings": result.total}
        )
    return render(request, "plans/checks.html", {"plan": plan, "checks": result})
