"""The self-assessment as staff fill it: my rounds, the step-by-step form, my result.

Every role may answer for themselves, provided HR has linked their account to their
staff record. The rules on what may be saved (only while the round is open, only the
round's own statements, only levels 0–4) live in skills.services; the views add the
form check in front and never save anything the form did not accept.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.access import current_membership, current_organization, in_org
from portal.security import private_response
from portal.thai import date_long
from skills.access import (
    current_staff_member,
    get_assessment_for_user,
    get_own_assessment,
    get_round_to_answer,
    require_own_staff_member,
)
from skills.charts import compare_chart_for
from skills.development import development_for
from skills.forms import DomainAnswersForm, StepForm
from skills.models import Assessment, AssessmentRound, Domain, Item
from skills.services import (
    CompareScope,
    RoundComparison,
    assessment_result,
    assessment_save_answers,
    assessment_start,
    assessment_submit,
    framework_domains,
    round_compare,
    round_previous,
)
from skills.services.questionnaire import Questionnaire, questionnaire_for
from skills.stamps import stamp_of
from staff.models import StaffMember


@dataclass(frozen=True)
class MyRound:
    """A round as the person sees it on /skills/me/."""

    round: AssessmentRound
    assessment: Assessment | None
    answered: int
    total: int

    @property
    def status(self) -> str:
        if self.assessment is None:
            return "not_started"
        return self.assessment.status

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def _my_rounds(request: HttpRequest, person: StaffMember) -> list[MyRound]:
    """Every round of the organisation with the person's assessment and how far they got
    (three queries whatever the number of rounds)."""
    rounds = list(in_org(AssessmentRound.objects.select_related("framework"), request))
    assessments = {
        a.round_id: a
        for a in Assessment.objects.filter(staff_member=person, round__in=rounds).annotate(
            answered=Count("answers")
        )
    }
    totals = dict(
        Item.objects.filter(domain__framework__in={r.framework_id for r in rounds})
        .values("domain__framework")
        .annotate(n=Count("pk"))
        .values_list("domain__framework", "n")
    )
    return [
        MyRound(
            r,
            assessments.get(r.pk),
            assessments[r.pk].answered if r.pk in assessments else 0,
            totals.get(r.framework_id, 0),
        )
        for r in rounds
    ]


@private_response
@require_GET
def my_skills(request: HttpRequest) -> HttpResponse:
    current_membership(request)
    person = current_staff_member(request)
    if person is None:
        return render(request, "skills/me.html", {"person": None})
    today = timezone.localdate()
    rounds = _my_rounds(request, person)
    return render(
        request,
        "skills/me.html",
        {
            "person": person,
            "open_rounds": [r for r in rounds if r.round.is_open(today)],
            "upcoming_rounds": [r for r in rounds if r.round.is_upcoming(today)],
            "past_rounds": [r for r in rounds if r.round.is_closed(today)],
        },
    )


def _own_assessment(round: AssessmentRound, person: StaffMember) -> Assessment | None:
    """The person's assessment in a round they may answer (both already access-checked);
    looked up without creating it, so opening the form has no side effect."""
    return (
        Assessment.objects.filter(round=round, staff_member=person)
        .select_related("round", "round__framework", "group")
        .first()
    )


def _step_url(round: AssessmentRound, step: int) -> str:
    return f"{reverse('skills:assess', args=[round.pk])}?step={step}"


@dataclass(frozen=True)
class StepInfo:
    """A domain's place in the questionnaire, for the step list and the review."""

    number: int
    domain: Domain
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total


def _steps(domains: list[Domain], answers: dict[int, int]) -> list[StepInfo]:
    return [
        StepInfo(
            number,
            domain,
            sum(1 for item in domain.items.all() if item.pk in answers),
            len(domain.items.all()),
        )
        for number, domain in enumerate(domains, start=1)
    ]


def _current_step(request: HttpRequest, steps: list[StepInfo]) -> int:
    """The step asked for in ?step=; without it the person lands where they left off:
    the first part with a statement still unanswered, or the review when everything is
    answered."""
    review = len(steps) + 1
    return StepForm(request.GET).chosen_step(last=review) or next(
        (s.number for s in steps if not s.complete), review
    )


def _step_context(round: AssessmentRound, steps: list[StepInfo], step: int) -> dict[str, object]:
    """Where the person is in the questionnaire: the step list, the counter, the links."""
    answered = sum(s.answered for s in steps)
    total = sum(s.total for s in steps)
    return {
        "steps": steps,
        "step": step,
        "step_count": len(steps),
        "current": steps[step - 1] if step <= len(steps) else None,
        "answered": answered,
        "total": total,
        "complete": answered == total,
        "previous_url": _step_url(round, step - 1) if step > 1 else None,
        "next_url": _step_url(round, step + 1) if step <= len(steps) else None,
    }


@dataclass(frozen=True)
class Step:
    """The step being saved: its number, the round, who answers, their assessment (None
    before the first answer) and their answers so far."""

    number: int
    round: AssessmentRound
    person: StaffMember
    assessment: Assessment | None
    answers: dict[int, int]


@private_response
@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    # Once started, one query brings the assessment, round, person and the tokens of
    # the questionnaire kept in memory; before that, the round and the person.
    assessment = get_own_assessment(request, pk)
    if assessment is not None:
        round, person, stamp = assessment.round, assessment.staff_member, stamp_of(assessment)
    else:
        round, person, stamp = get_round_to_answer(request, pk), current_staff_member(request), None
    if person is None:
        # /skills/me/ explains that HR must link the record first.
        return redirect("skills:me")
    editable = round.is_open()
    context: dict[str, object] = {"round": round, "assessment": assessment, "editable": editable}
    if round.is_upcoming() or (assessment is None and not editable):
        if request.method == "POST":
            messages.error(request, _("This round is not open, so nothing was saved."))
            return redirect("skills:assess", pk=round.pk)
        return render(request, "skills/assess.html", {**context, "unavailable": True})
    questionnaire = questionnaire_for(
        organization=current_organization(request), framework=round.framework, stamp=stamp
    )
    answers = dict(assessment.answers.values_list("item_id", "level")) if assessment else {}
    steps = _steps(questionnaire.domains, answers)
    step = _current_step(request, steps)
    form = None
    if request.method == "POST":
        outcome = _save_step(request, questionnaire, Step(step, round, person, assessment, answers))
        if isinstance(outcome, HttpResponse):
            return outcome
        form = outcome  # invalid: it re-renders with its errors and what was posted
    elif step <= len(steps):
        form = DomainAnswersForm(
            domain=questionnaire.domains[step - 1],
            levels=questionnaire.levels,
            answers=answers,
            disabled=not editable,
        )
    context.update(_step_context(round, steps, step), levels=questionnaire.levels, form=form)
    return render(request, "skills/assess.html", context)


def _save_step(
    request: HttpRequest,
    questionnaire: Questionnaire,
    step: Step,
) -> HttpResponse | DomainAnswersForm:
    """Save one step's answers: a redirect (or, for the autosave, the status line) when
    done, the invalid form otherwise. Nothing is saved unless the form and the service
    both accept every answer."""
    is_htmx = request.headers.get("HX-Request") == "true"
    round, domains = step.round, questionnaire.domains
    if not round.is_open():
        if is_htmx:
            return _status(request, error=_("This round is closed: nothing was saved."))
        messages.error(request, _("This round is closed: nothing was saved."))
        return redirect(_step_url(round, step.number))
    if step.number > len(domains):
        # The review step has nothing to save; only the submit button posts from it.
        return redirect(_step_url(round, step.number))
    form = DomainAnswersForm(
        request.POST,
        domain=domains[step.number - 1],
        levels=questionnaire.levels,
        answers=step.answers,
    )
    if form.is_valid():
        try:
            if form.answers():
                assessment = step.assessment or assessment_start(round=round, person=step.person)
                assessment_save_answers(
                    assessment=assessment, answers=form.answers(), questionnaire=questionnaire
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if is_htmx:
                # What is answered now, counted without asking the database again.
                answered = len(step.answers.keys() | form.answers().keys())
                return _status(request, answered=answered, total=questionnaire.data.total)
            target = {"next": step.number + 1, "back": max(step.number - 1, 1)}
            return redirect(_step_url(round, target.get(form.direction, step.number)))
    if is_htmx:
        # One line is all the autosave has room for: the first error.
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _status(request, error=errors[0])
    return form


def _status(
    request: HttpRequest, *, answered: int | None = None, total: int = 0, error: str = ""
) -> HttpResponse:
    """The small "saved" line the autosave (htmx) swaps in, with the overall counter."""
    context: dict[str, object] = {"error": error, "saved_at": timezone.localtime()}
    if answered is not None:
        context.update(answered=answered, total=total)
    return render(request, "skills/_assess_status.html", context)


@require_POST
def assess_submit(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_to_answer(request, pk)
    person = require_own_staff_member(request)
    review_url = _step_url(round, len(framework_domains(round.framework)) + 1)
    try:
        assessment = assessment_start(round=round, person=person)
        assessment_submit(assessment=assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(review_url)
    messages.success(
        request,
        _("Thank you. Your self-assessment was submitted. You can still change it until %(date)s.")
        % {"date": date_long(round.closes_on, thai_digits=False)},
    )
    return redirect("skills:assessment_detail", pk=assessment.pk)


@private_response
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)
    results = assessment_result(assessment)
    with_gap = [r.domain for r in results if r.gap]
    development = development_for(assessment.staff_member, with_gap)
    is_owner = assessment.staff_member.user_id == request.user.pk
    level_names = dict(assessment.round.framework.levels.values_list("value", "name"))
    return render(
        request,
        "skills/result.html",
        {
            "assessment": assessment,
            "round": assessment.round,
            "submitted_at": timezone.localtime(assessment.submitted_at)
            if assessment.submitted_at
            else None,
            "results": results,
            "rows": [(r, level_names.get(r.score, "")) for r in results],
            "scored": [r for r in results if r.score is not None],
            "reached": sum(1 for r in results if r.gap == 0),
            "development": [(r, development.get(r.domain.pk, [])) for r in results if r.gap],
            "any_recommended": any(
                option.is_recommendation for options in development.values() for option in options
            ),
            "is_owner": is_owner,
            "can_edit": is_owner and assessment.round.is_open(),
            **_person_comparison(assessment),
        },
    )


def _person_comparison(assessment: Assessment) -> dict[str, object]:
    """The person's change in each domain against their result in the previous round
    of the same framework (a submitted self-assessment counts, as in the round's
    results)."""
    previous = round_previous(assessment.round)
    if previous is None or not assessment.is_submitted:
        return {"previous": previous}
    comparison: RoundComparison = round_compare(
        round=assessment.round,
        previous=previous,
        scope=CompareScope(person_id=assessment.staff_member_id),
    )
    title = _("Score by domain against the previous round")
    return {
        "previous": previous,
        "comparison": comparison,
        "compare_chart": compare_chart_for(comparison, title) if comparison.comparable else "",
    }
