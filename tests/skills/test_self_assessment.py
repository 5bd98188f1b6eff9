"""The self-assessment as staff fill it: the step form, submitting, closed and upcoming
rounds, and every way a request might try to save what it should not. /skills/me/ is in
test_my_skills.py, the result in test_my_result.py."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from skills.models import Answer, Assessment, Domain, Item
from skills.services import framework_domains
from tests.skills.conftest import (
    answer_all,
    assessment_make,
)

OWN_TOOL = (
    "This questionnaire is our organisation's own, written on the OCSC digital skills "
    "framework. It is not the official OCSC assessment tool."
)

# --- helpers ------------------------------------------------------------------------


def assess_url(round, step: int | None = None) -> str:
    url = reverse("skills:assess", args=[round.pk])
    return url if step is None else f"{url}?step={step}"


def submit_url(round) -> str:
    return reverse("skills:assess_submit", args=[round.pk])


def domains_of(round) -> list[Domain]:
    return framework_domains(round.framework)


def step_answers(domain: Domain, level: int | str) -> dict[str, object]:
    return {f"item_{item.pk}": level for item in domain.items.all()}


def post_step(client: Client, round, step: int, data: dict[str, object], go="next", htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(assess_url(round, step), {**data, "go": go}, headers=headers)


def saved_levels(person, round) -> dict[int, int]:
    return dict(
        Answer.objects.filter(assessment__staff_member=person, assessment__round=round).values_list(
            "item_id", "level"
        )
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def checked_values(html: str) -> dict[str, str]:
    """name → value of the checked radio buttons on a page."""
    found = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="radio"' in tag and " checked" in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            found[name] = re.search(r'value="([^"]+)"', tag).group(1)
    return found


# --- every role answers for themselves --------------------------------------------


@pytest.mark.parametrize(
    ("client_fixture", "member_fixture"),
    [
        ("staff_client", "staff_member"),
        ("hr_client", "hr_member"),
        ("executive_client", "executive_member"),
    ],
)
def test_every_role_fills_in_and_submits_their_own_assessment(
    request, client_fixture, member_fixture, open_round
):
    client = request.getfixturevalue(client_fixture)
    person = request.getfixturevalue(member_fixture)
    assert client.get(reverse("skills:me")).status_code == 200
    for number, domain in enumerate(domains_of(open_round), start=1):
        assert client.get(assess_url(open_round, number)).status_code == 200
        response = post_step(client, open_round, number, step_answers(domain, 3))
        assert response.status_code == 302
    response = client.post(submit_url(open_round))
    assessment = Assessment.objects.get(round=open_round, staff_member=person)
    assert response.url == reverse("skills:assessment_detail", args=[assessment.pk])
    assert assessment.is_submitted
    assert set(saved_levels(person, open_round).values()) == {3}
    assert client.get(response.url).status_code == 200


# --- the step form ------------------------------------------------------------------


def test_a_step_names_the_domain_in_the_interface_language(
    staff_client, staff_member, open_round, settings
):
    domain = domains_of(open_round)[1]
    thai = staff_client.get(assess_url(open_round, 2)).content.decode()
    assert domain.name in thai and domain.name_en not in thai
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = staff_client.get(assess_url(open_round, 2)).content.decode()
    assert domain.name_en in english


def test_a_step_shows_the_domain_the_level_scale_and_big_choices_for_each_statement(
    staff_client, staff_member, open_round
):
    domain = domains_of(open_round)[1]
    response = staff_client.get(assess_url(open_round, 2))
    assert response.status_code == 200
    html = response.content.decode()
    assert domain.name in html
    for level in open_round.framework.levels.all():
        assert level.name in html and level.description in html
    for item in domain.items.all():
        assert item.text in html
        for value in range(5):
            assert f'name="item_{item.pk}" value="{value}"' in html
    # Only this step's statements are asked.
    other = domains_of(open_round)[0].items.first()
    assert f'name="item_{other.pk}"' not in html
    assert 'class="steps" value="2" max="7"' in html
    assert _(OWN_TOOL) in html
    # Progressive enhancement: each change autosaves to the same URL.
    assert f'hx-post="{assess_url(open_round, 2)}"' in html


def test_opening_the_form_does_not_create_an_assessment(staff_client, staff_member, open_round):
    assert staff_client.get(assess_url(open_round)).status_code == 200
    assert not Assessment.objects.exists()


def test_saving_a_step_keeps_a_draft_and_moves_to_the_next_step(
    staff_client, staff_member, open_round
):
    domain = domains_of(open_round)[0]
    response = post_step(staff_client, open_round, 1, step_answers(domain, 2))
    assert response.status_code == 302
    assert response.url == assess_url(open_round, 2)
    assessment = Assessment.objects.get(round=open_round, staff_member=staff_member)
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.group.code == "ACAD"
    assert saved_levels(staff_member, open_round) == {i.pk: 2 for i in domain.items.all()}


def test_back_saves_the_step_too_and_goes_to_the_previous_one(
    staff_client, staff_member, open_round
):
    domain = domains_of(open_round)[2]
    response = post_step(staff_client, open_round, 3, step_answers(domain, 4), go="back")
    assert response.url == assess_url(open_round, 2)
    assert saved_levels(staff_member, open_round) == {i.pk: 4 for i in domain.items.all()}


def test_a_step_may_be_left_partly_answered(staff_client, staff_member, open_round):
    first, second = list(domains_of(open_round)[0].items.all())[:2]
    response = post_step(staff_client, open_round, 1, {f"item_{first.pk}": 1})
    assert response.status_code == 302
    assert saved_levels(staff_member, open_round) == {first.pk: 1}
    # Answering the second later keeps the first.
    post_step(staff_client, open_round, 1, {f"item_{second.pk}": 3}, go="stay")
    assert saved_levels(staff_member, open_round) == {first.pk: 1, second.pk: 3}


def test_answers_are_there_when_the_person_comes_back(staff_client, staff_member, open_round):
    domain = domains_of(open_round)[0]
    levels = {f"item_{item.pk}": i % 5 for i, item in enumerate(domain.items.all())}
    post_step(staff_client, open_round, 1, levels)

    html = staff_client.get(assess_url(open_round, 1)).content.decode()
    assert checked_values(html) == {name: str(level) for name, level in levels.items()}


def test_coming_back_without_a_step_opens_the_first_unfinished_part(
    staff_client, staff_member, open_round
):
    first, *_rest = domains_of(open_round)
    post_step(staff_client, open_round, 1, step_answers(first, 2))
    assert staff_client.get(assess_url(open_round)).context["step"] == 2
    answer_all(open_round, staff_member)
    review = len(domains_of(open_round)) + 1
    assert staff_client.get(assess_url(open_round)).context["step"] == review


@pytest.mark.parametrize("step", ["0", "-3", "x", "999"])
def test_an_odd_step_number_shows_a_real_step(staff_client, staff_member, open_round, step):
    response = staff_client.get(f"{assess_url(open_round)}?step={step}")
    assert response.status_code == 200
    assert 1 <= response.context["step"] <= len(domains_of(open_round)) + 1


def test_a_radio_change_autosaves_with_a_small_partial_response(
    staff_client, staff_member, open_round
):
    item = domains_of(open_round)[0].items.first()
    response = post_step(staff_client, open_round, 1, {f"item_{item.pk}": 3}, go="", htmx=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="save-status"' in html and "<html" not in html
    assert 'hx-swap-oob="true"' in html  # the overall counter is refreshed too
    assert saved_levels(staff_member, open_round) == {item.pk: 3}


def test_the_review_step_lists_the_domains_with_their_answered_counts(
    staff_client, staff_member, open_round
):
    domains = domains_of(open_round)
    post_step(staff_client, open_round, 1, step_answers(domains[0], 2))
    response = staff_client.get(assess_url(open_round, len(domains) + 1))
    steps = response.context["steps"]
    assert [(s.domain, s.answered) for s in steps] == [
        (d, d.items.count() if i == 0 else 0) for i, d in enumerate(domains)
    ]
    html = response.content.decode()
    for domain in domains:
        assert domain.name in html
    # Nothing to submit while statements are missing.
    assert submit_url(open_round) not in html

    answer_all(open_round, staff_member)
    html = staff_client.get(assess_url(open_round, len(domains) + 1)).content.decode()
    assert f'action="{submit_url(open_round)}"' in html


def test_submitting_with_statements_missing_is_refused_and_names_the_domains(
    staff_client, staff_member, open_round
):
    domains = domains_of(open_round)
    post_step(staff_client, open_round, 1, step_answers(domains[0], 2))
    response = staff_client.post(submit_url(open_round), follow=True)
    assessment = Assessment.objects.get(round=open_round, staff_member=staff_member)
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.submitted_at is None
    [message] = messages_of(response)
    assert domains[0].name not in message
    for domain in domains[1:]:
        assert domain.name in message
    assert response.context["step"] == len(domains) + 1


def test_submitting_with_nothing_answered_is_refused(staff_client, staff_member, open_round):
    response = staff_client.post(submit_url(open_round), follow=True)
    assert not Assessment.objects.submitted().exists()
    assert domains_of(open_round)[0].name in messages_of(response)[0]


def test_draft_then_submit_then_edit_while_open_keeps_it_submitted(
    staff_client, staff_member, open_round
):
    answer_all(open_round, staff_member, 1)
    response = staff_client.post(submit_url(open_round))
    assessment = Assessment.objects.get(round=open_round, staff_member=staff_member)
    assert response.status_code == 302
    assert response.url == reverse("skills:assessment_detail", args=[assessment.pk])
    assert assessment.is_submitted and assessment.submitted_at is not None

    domain = domains_of(open_round)[0]
    response = post_step(staff_client, open_round, 1, step_answers(domain, 4))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_submitted
    levels = saved_levels(staff_member, open_round)
    assert all(levels[i.pk] == 4 for i in domain.items.all())
    html = staff_client.get(assess_url(open_round, 1)).content.decode()
    assert reverse("skills:assessment_detail", args=[assessment.pk]) in html


def test_submit_refuses_get(staff_client, staff_member, open_round):
    answer_all(open_round, staff_member)
    assert staff_client.get(submit_url(open_round)).status_code == 405
    assert not Assessment.objects.submitted().exists()


# --- closed and upcoming rounds ------------------------------------------------------


def test_a_closed_round_shows_the_answers_read_only(staff_client, staff_member, closed_round):
    assessment_make(closed_round, staff_member, 3)
    response = staff_client.get(assess_url(closed_round, 1))
    assert response.status_code == 200
    assert response.context["editable"] is False
    html = response.content.decode()
    domain = domains_of(closed_round)[0]
    assert checked_values(html) == {f"item_{i.pk}": "3" for i in domain.items.all()}
    radios = [t for t in re.findall(r"<input[^>]*>", html) if 'type="radio"' in t]
    assert radios and all(" disabled" in t for t in radios)
    assert "hx-post" not in html
    assert 'name="go"' not in html  # no save buttons, only links


def test_posting_to_a_closed_round_is_refused_and_saves_nothing(
    staff_client, staff_member, closed_round
):
    assessment_make(closed_round, staff_member, 3, submitted=False)
    before = saved_levels(staff_member, closed_round)
    domain = domains_of(closed_round)[0]

    response = post_step(staff_client, closed_round, 1, step_answers(domain, 0))
    assert response.status_code == 302
    response = staff_client.get(response.url)
    assert messages_of(response) == [_("This round is closed: nothing was saved.")]

    response = post_step(staff_client, closed_round, 1, step_answers(domain, 0), htmx=True)
    assert 'class="save-status error"' in response.content.decode()

    assert staff_client.post(submit_url(closed_round)).status_code == 302
    assert saved_levels(staff_member, closed_round) == before
    assert not Assessment.objects.submitted().exists()


def test_a_closed_round_never_answered_says_so_and_creates_nothing(
    staff_client, staff_member, closed_round
):
    response = staff_client.get(assess_url(closed_round))
    assert response.status_code == 200
    assert response.context["unavailable"] is True
    assert _("This round is closed") in response.content.decode()
    domain = domains_of(closed_round)[0]
    post_step(staff_client, closed_round, 1, step_answers(domain, 2))
    staff_client.post(submit_url(closed_round))
    assert not Assessment.objects.exists()


def test_an_upcoming_round_cannot_be_filled_in_yet(staff_client, staff_member, upcoming_round):
    response = staff_client.get(assess_url(upcoming_round))
    assert response.status_code == 200
    assert _("This round has not opened yet") in response.content.decode()
    domain = domains_of(upcoming_round)[0]
    response = post_step(staff_client, upcoming_round, 1, step_answers(domain, 2))
    assert response.status_code == 302
    assert messages_of(staff_client.get(response.url))
    response = staff_client.post(submit_url(upcoming_round), follow=True)
    assert messages_of(response)
    assert not Assessment.objects.exists()
    assert not Answer.objects.exists()


# --- tampering ----------------------------------------------------------------------


@pytest.mark.parametrize("level", ["5", "-1", "x", "2.5", "4 "])
def test_a_level_off_the_scale_is_refused_and_nothing_is_saved(
    staff_client, staff_member, open_round, level
):
    domain = domains_of(open_round)[0]
    first, *others = list(domain.items.all())
    data = {f"item_{first.pk}": level, **{f"item_{i.pk}": 2 for i in others}}
    response = post_step(staff_client, open_round, 1, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Answer.objects.exists()
    assert not Assessment.objects.exists()
    response = post_step(staff_client, open_round, 1, data, htmx=True)
    assert 'class="save-status error"' in response.content.decode()
    assert not Answer.objects.exists()


def test_an_answer_to_a_statement_of_the_other_framework_saves_nothing(
    staff_client, staff_member, open_round, ocsc_2566
):
    domain = domains_of(open_round)[0]
    foreign = Item.objects.filter(domain__framework=ocsc_2566).first()
    data = {**step_answers(domain, 2), f"item_{foreign.pk}": 2}
    response = post_step(staff_client, open_round, 1, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Answer.objects.exists()


@pytest.mark.parametrize("which", ["other_step", "missing"])
def test_an_answer_to_a_statement_outside_the_step_saves_nothing(
    staff_client, staff_member, open_round, which
):
    first, second, *_rest = domains_of(open_round)
    stray = second.items.first().pk if which == "other_step" else 999_999
    data = {**step_answers(first, 2), f"item_{stray}": 2}
    assert post_step(staff_client, open_round, 1, data).status_code == 200
    assert post_step(staff_client, open_round, 1, data, htmx=True).status_code == 200
    assert not Answer.objects.exists()


def test_posting_to_the_review_step_saves_nothing(staff_client, staff_member, open_round):
    domains = domains_of(open_round)
    response = post_step(staff_client, open_round, len(domains) + 1, step_answers(domains[0], 2))
    assert response.status_code == 302
    assert not Answer.objects.exists()


def test_a_round_of_another_organisation_is_not_found(staff_client, staff_member, round_in_org_b):
    domain = domains_of(round_in_org_b)[0]
    assert staff_client.get(assess_url(round_in_org_b)).status_code == 404
    assert post_step(staff_client, round_in_org_b, 1, step_answers(domain, 2)).status_code == 404
    assert staff_client.post(submit_url(round_in_org_b)).status_code == 404
    assert not Assessment.objects.exists()


def test_nobody_can_save_into_another_persons_assessment(
    staff_client, staff_member, colleague, open_round
):
    theirs = answer_all(open_round, colleague, 1)
    domain = domains_of(open_round)[0]
    post_step(staff_client, open_round, 1, step_answers(domain, 4))
    # The post went to the sender's own assessment; the colleague's is untouched.
    assert set(saved_levels(colleague, open_round).values()) == {1}
    mine = Assessment.objects.get(round=open_round, staff_member=staff_member)
    assert mine.pk != theirs.pk


# --- queries ------------------------------------------------------------------------


def test_the_step_page_query_count_does_not_grow_with_answers_saved(
    staff_client, staff_member, open_round
):
    domains = domains_of(open_round)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(assess_url(open_round, 2)).status_code == 200
        return len(queries)

    post_step(staff_client, open_round, 1, {f"item_{domains[0].items.first().pk}": 1})
    few = count()
    answer_all(open_round, staff_member, 3)
    assert count() == few


# --- a few more edges -----------------------------------------------------------------


def test_an_outsider_cannot_reach_the_form_of_another_organisations_round(
    outsider_client, open_round
):
    domain = domains_of(open_round)[0]
    assert outsider_client.get(assess_url(open_round)).status_code == 404
    assert post_step(outsider_client, open_round, 1, step_answers(domain, 2)).status_code == 404
    assert outsider_client.post(submit_url(open_round)).status_code == 404
    assert not Assessment.objects.exists()
