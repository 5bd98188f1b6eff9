"""``/me/``: everyone's own development — the projects planned for them, their records
and hours per fiscal year, their latest skill gaps with the projects that close them —
and an external course they report with its certificate (HR confirms it in
plans/views_follow.py). Everyone sees and reports only their own."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from plans import follow
from plans.forms_follow import ReportForm
from plans.services import current_plan
from portal.access import current_membership
from portal.security import private_response
from skills.access import current_staff_member
from skills.development import person_latest_gaps


@private_response
@require_GET
def my_development(request: HttpRequest) -> HttpResponse:
    current_membership(request)
    person = current_staff_member(request)
    if person is None:
        return render(request, "plans/me.html", {"person": None})
    plan = current_plan(person.organization)
    assessment, gaps = person_latest_gaps(person=person)
    return render(
        request,
        "plans/me.html",
        {
            "person": person,
            "plan": plan,
            "years": follow.my_years(person=person, plan=plan),
            "assessment": assessment,
            "gaps": gaps,
        },
    )


@private_response
@require_http_methods(["GET", "POST"])
def my_report(request: HttpRequest) -> HttpResponse:
    current_membership(request)
    person = current_staff_member(request)
    if person is None:
        return render(request, "plans/me.html", {"person": None})
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        follow.record_report(
            person=person, values=form.values(), domains=form.cleaned_data["domains"]
        )
        messages.success(
            request, _("Your course was saved. HR will check it and confirm the hours.")
        )
        return redirect(reverse("me:home"))
    return render(request, "plans/me_report.html", {"person": person, "form": form})
