"""The printed documents of digital skills: the self-assessment summary of a round (HR
and executives) and a person's own result (that person, HR and executives). Each view
fetches its object through the access helper, gathers the same figures as the page
that shows them on screen, and hands them to the one renderer (portal/pdf.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.documents_store import Spec, document_response
from portal.security import private_response
from skills import services
from skills.access import get_assessment_for_user, get_round_for_user
from skills.charts import compare_chart_for, group_gap_heatmap, round_label, unit_gap_heatmap
from skills.development import development_for
from skills.models import Answer, Assessment, AssessmentRound

# The results page's own tables, so the printed figures are the page's figures.


def _comparison_context(the_round: AssessmentRound) -> dict[str, Any]:
    """The change against the previous round: the organisation (table and chart) and
    each unit and personnel group (a table of mean scores and changes)."""
    previous = services.round_previous(the_round)
    if previous is None:
        return {"previous": None}
    sections = services.round_compare_sections(round=the_round, previous=previous)
    chart = ""
    if sections.organization.comparable:
        # Built in the document's language (the builder runs under it).
        chart = compare_chart_for(
            sections.organization, _("Mean score by domain against the previous round")
        )
    return {
        "previous": previous,
        "compare": sections,
        "compare_chart": chart,
        "compare_units": [(unit.full_name, c) for unit, c in sections.units],
        "compare_groups": [(group.name, c) for group, c in sections.groups],
        "previous_label": round_label(previous, the_round),
        "current_label": round_label(the_round, previous),
    }


def _round_summary_context(the_round: AssessmentRound) -> dict[str, Any]:
    results = services.round_results(the_round)
    return {
        **_comparison_context(the_round),
        "organization": the_round.organization,
        "round": the_round,
        "progress": services.round_progress(the_round),
        "results": results,
        "unit_heatmap": unit_gap_heatmap(results) if results.people else "",
        "group_heatmap": group_gap_heatmap(results) if results.people else "",
        "distribution": results.distribution_rows(),
        "gap_sections": results.gap_sections(),
        "levels": list(the_round.framework.levels.all()),
        "today": timezone.localdate(),
    }


def _assessment_context(assessment: Assessment) -> dict[str, Any]:
    results = services.assessment_result(assessment)
    development = development_for(assessment.staff_member, [r.domain for r in results if r.gap])
    level_names = dict(assessment.round.framework.levels.values_list("value", "name"))
    return {
        "organization": assessment.round.organization,
        "assessment": assessment,
        "round": assessment.round,
        "person": assessment.staff_member,
        # Not submitted yet: it may still change, so it prints with the draft mark.
        "draft": not assessment.is_submitted,
        "submitted_on": timezone.localdate(assessment.submitted_at)
        if assessment.submitted_at
        else None,
        "rows": [(r, level_names.get(r.score, "")) for r in results],
        "scored": sum(1 for r in results if r.score is not None),
        "reached": sum(1 for r in results if r.gap == 0),
        "domain_count": len(results),
        "development": [(r, development.get(r.domain.pk, [])) for r in results if r.gap],
    }


def build_round_summary(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    the_round = AssessmentRound.objects.select_related("framework", "organization").get(
        pk=params["round"]
    )
    return "skills/pdf/round_summary.html", _round_summary_context(the_round)


def build_assessment_result(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    assessment = Assessment.objects.select_related(
        "round",
        "round__framework",
        "round__organization",
        "staff_member",
        "staff_member__unit",
        "group",
    ).get(pk=params["assessment"])
    return "skills/pdf/assessment_result.html", _assessment_context(assessment)


#: The documents of skills, registered with the store by SkillsConfig.ready(): stored
#: and rendered by the worker from their parameters (portal/documents_store.py).
BUILDERS = {
    "skills.round_summary": build_round_summary,
    "skills.assessment_result": build_assessment_result,
}


def answers_stamp(answers: QuerySet[Answer]) -> str:
    """How many answers there are and when the newest was saved: answers do not move
    the organisation's data version (portal/data_version.py), so a document that reads
    an open round's answers carries this in its parameters, one small query."""
    stamp = answers.aggregate(count=Count("pk"), newest=Max("updated_at"))
    newest = stamp["newest"].isoformat() if stamp["newest"] else ""
    return f"{stamp['count']}:{newest}"


@require_GET
def round_summary(request: HttpRequest, pk: int) -> HttpResponse:
    the_round = get_round_for_user(request, pk)

    def filename() -> str:  # in Thai: called under the document language
        return _("skills-assessment-summary-%(fy)s-%(pk)s.pdf") % {
            "fy": the_round.fiscal_year,
            "pk": the_round.pk,
        }

    answers = answers_stamp(Answer.objects.filter(assessment__round=the_round))
    previous = services.round_previous(the_round)
    # The comparison reads the previous round too: another one closing makes another document.
    params = {"round": pk, "answers": answers, "previous": previous.pk if previous else None}
    spec = Spec("skills.round_summary", the_round.organization, params, filename)
    return document_response(request, spec)


@private_response
@require_GET
def assessment_result(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request, pk)

    def filename() -> str:  # in Thai: called under the document language
        return _("skills-assessment-result-%(name)s-%(fy)s.pdf") % {
            "name": assessment.staff_member.full_name.replace(" ", "-"),
            "fy": assessment.round.fiscal_year,
        }

    organization = assessment.round.organization
    params = {"assessment": pk, "answers": answers_stamp(assessment.answers.all())}
    spec = Spec("skills.assessment_result", organization, params, filename)
    return document_response(request, spec)
