"""A person's result: who may see it, score, target and gap per domain, and the
development that would close the gaps (a plan's projects or the domain's recommended
ways)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from skills.development import DevelopmentOption, register_provider, unregister_provider
from skills.models import Assessment, TargetLevel
from tests.skills.conftest import assessment_make, submit_all
from tests.skills.test_self_assessment import assess_url, domains_of, post_step, step_answers

# --- the result --------------------------------------------------------------------


def test_a_staff_member_asking_for_another_persons_result_gets_404(
    staff_client, staff_member, colleague, open_round
):
    theirs = submit_all(open_round, colleague)
    url = reverse("skills:assessment_detail", args=[theirs.pk])
    assert staff_client.get(url).status_code == 404


@pytest.mark.parametrize("client_fixture", ["hr_client", "executive_client"])
def test_hr_and_executives_see_anyones_result_in_their_organisation(
    request, client_fixture, colleague, open_round
):
    theirs = submit_all(open_round, colleague)
    response = request.getfixturevalue(client_fixture).get(
        reverse("skills:assessment_detail", args=[theirs.pk])
    )
    assert response.status_code == 200
    assert colleague.full_name in response.content.decode()
    assert response.context["is_owner"] is False
    assert reverse("skills:round_detail", args=[open_round.pk]) in response.content.decode()


def test_an_outsider_does_not_find_a_result(outsider_client, colleague, open_round):
    theirs = submit_all(open_round, colleague)
    url = reverse("skills:assessment_detail", args=[theirs.pk])
    assert outsider_client.get(url).status_code == 404


def test_the_result_shows_score_target_gap_group_and_bars(staff_client, staff_member, open_round):
    # ACAD targets (defaults): DL 3, DT 3, DG 2, DPSD 3, SPM 2, LEAD 1.
    levels = {"DL": 1, "DT": 3, "DG": 4, "DPSD": 2, "SPM": 0, "LEAD": 1}
    assessment = submit_all(open_round, staff_member, levels)
    response = staff_client.get(reverse("skills:assessment_detail", args=[assessment.pk]))
    assert response.status_code == 200
    by_code = {r.domain.code: (r.score, r.target, r.gap) for r in response.context["results"]}
    assert by_code == {
        "DL": (1, 3, 2),
        "DT": (3, 3, 0),
        "DG": (4, 2, 0),
        "DPSD": (2, 3, 1),
        "SPM": (0, 2, 2),
        "LEAD": (1, 1, 0),
    }
    assert response.context["reached"] == 3
    html = response.content.decode()
    assert assessment.group.name in html
    assert html.count('<svg class="meter"') == 6
    assert (
        _(
            "The targets are the portal's suggested defaults, which the organisation may "
            "change for each group. They are not official OCSC figures."
        )
        in html
    )
    assert response.context["can_edit"] is True


def test_the_result_uses_the_organisations_own_targets(
    staff_client, staff_member, open_round, org_a
):
    assessment = submit_all(open_round, staff_member, 2)
    dl = domains_of(open_round)[0]
    TargetLevel.objects.create(organization=org_a, group=assessment.group, domain=dl, level=4)
    response = staff_client.get(reverse("skills:assessment_detail", args=[assessment.pk]))
    result = next(r for r in response.context["results"] if r.domain == dl)
    assert (result.target, result.gap) == (4, 2)


def test_without_a_plan_the_gaps_come_with_the_domains_recommended_methods(
    staff_client, staff_member, open_round
):
    assessment = submit_all(open_round, staff_member, {**_all(open_round, 4), "DL": 0})
    response = staff_client.get(reverse("skills:assessment_detail", args=[assessment.pk]))
    [(result, options)] = response.context["development"]
    assert result.domain.code == "DL"
    assert [o.kind for o in options] == ["recommended"]
    assert result.domain.recommended_methods in response.content.decode()


def test_development_from_a_registered_provider_replaces_the_recommendation(
    staff_client, staff_member, open_round
):
    assessment = submit_all(open_round, staff_member, {**_all(open_round, 4), "DL": 0, "DT": 0})
    seen = {}

    def projects(person, domains):
        seen["args"] = (person, [d.code for d in domains])
        dl = next(d for d in domains if d.code == "DL")
        return {dl.pk: [DevelopmentOption("อบรมการใช้โปรแกรมสำนักงาน", url="/plans/1/")]}

    register_provider(projects)
    try:
        response = staff_client.get(reverse("skills:assessment_detail", args=[assessment.pk]))
    finally:
        unregister_provider(projects)
    assert seen["args"] == (staff_member, ["DL", "DT"])
    options = {r.domain.code: o for r, o in response.context["development"]}
    assert [o.title for o in options["DL"]] == ["อบรมการใช้โปรแกรมสำนักงาน"]
    assert [o.kind for o in options["DT"]] == ["recommended"]
    assert 'href="/plans/1/"' in response.content.decode()


def test_a_result_without_gaps_says_so(staff_client, staff_member, open_round):
    assessment = submit_all(open_round, staff_member, 4)
    response = staff_client.get(reverse("skills:assessment_detail", args=[assessment.pk]))
    assert response.context["development"] == []
    assert response.context["reached"] == len(domains_of(open_round))


def test_a_result_of_a_closed_round_cannot_be_edited(staff_client, staff_member, closed_round):
    assessment = assessment_make(closed_round, staff_member, 2)
    response = staff_client.get(reverse("skills:assessment_detail", args=[assessment.pk]))
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert assess_url(closed_round) not in response.content.decode()


def _all(round, level: int) -> dict[str, int]:
    return {d.code: level for d in domains_of(round)}


def test_the_owner_may_look_at_the_result_of_a_draft_which_says_it_is_not_submitted(
    staff_client, staff_member, open_round
):
    domain = domains_of(open_round)[0]
    post_step(staff_client, open_round, 1, step_answers(domain, 1))
    assessment = Assessment.objects.get(round=open_round, staff_member=staff_member)
    response = staff_client.get(reverse("skills:assessment_detail", args=[assessment.pk]))
    assert response.status_code == 200
    scores = {r.domain.code: r.score for r in response.context["results"]}
    assert scores["DL"] == 1
    assert all(score is None for code, score in scores.items() if code != "DL")
    assert (
        _(
            "This self-assessment has not been submitted yet, so the result below is only "
            "what has been answered so far."
        )
        in response.content.decode()
    )


def test_a_provider_cannot_add_domains_it_was_not_asked_about_and_registers_once(
    open_round, staff_member
):
    from skills.development import development_for

    first, second, *_rest = domains_of(open_round)
    calls = []

    def provider(person, domains):
        calls.append([d.code for d in domains])
        return {second.pk: [DevelopmentOption("ไม่ควรปรากฏ")]}

    register_provider(provider)
    register_provider(provider)
    try:
        options = development_for(staff_member, [first])
    finally:
        unregister_provider(provider)
    assert calls == [["DL"]]
    assert list(options) == [first.pk]
    assert [o.kind for o in options[first.pk]] == ["recommended"]
    assert development_for(staff_member, []) == {}
