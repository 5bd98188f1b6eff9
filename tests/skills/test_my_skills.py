"""/skills/me/: the rounds a person may answer, has answered or will answer, and
how far they got."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from skills.models import Assessment
from tests.conftest import make_user
from tests.html_utils import without_word_marks
from tests.skills.conftest import assessment_make, items_of, submit_all
from tests.skills.test_self_assessment import (
    assess_url,
    domains_of,
    post_step,
    step_answers,
    submit_url,
)


def test_a_person_without_a_staff_record_is_told_that_hr_must_link_it(staff_client, open_round):
    response = staff_client.get(reverse("skills:me"))
    assert response.status_code == 200
    assert response.context["person"] is None
    assert _("Your account is not linked to a staff record yet") in response.content.decode()
    assert open_round.title not in without_word_marks(response.content.decode())


def test_a_person_without_a_staff_record_is_sent_from_the_form_to_that_explanation(
    staff_client, open_round
):
    response = staff_client.get(assess_url(open_round))
    assert response.status_code == 302
    assert response.url == reverse("skills:me")
    assert not Assessment.objects.exists()


def test_submitting_without_a_staff_record_finds_nothing(staff_client, open_round):
    assert staff_client.post(submit_url(open_round)).status_code == 404
    assert not Assessment.objects.exists()


def test_my_skills_shows_open_upcoming_and_past_rounds(
    staff_client, staff_member, open_round, closed_round, upcoming_round
):
    past = assessment_make(closed_round, staff_member)
    response = staff_client.get(reverse("skills:me"))
    assert response.status_code == 200
    assert [e.round for e in response.context["open_rounds"]] == [open_round]
    assert [e.round for e in response.context["upcoming_rounds"]] == [upcoming_round]
    assert [e.round for e in response.context["past_rounds"]] == [closed_round]
    html = response.content.decode()
    assert reverse("skills:assessment_detail", args=[past.pk]) in html
    assert assess_url(open_round) in html
    # An upcoming round cannot be started yet: no link to its form.
    assert assess_url(upcoming_round) not in html


def test_my_skills_shows_not_started_then_draft_with_count_then_submitted(
    staff_client, staff_member, open_round
):
    total = len(items_of(open_round.framework))

    entry = staff_client.get(reverse("skills:me")).context["open_rounds"][0]
    assert (entry.status, entry.answered, entry.total) == ("not_started", 0, total)

    first = domains_of(open_round)[0]
    post_step(staff_client, open_round, 1, step_answers(first, 2))
    entry = staff_client.get(reverse("skills:me")).context["open_rounds"][0]
    assert (entry.status, entry.answered) == ("draft", first.items.count())
    assert f"{first.items.count()}" in staff_client.get(reverse("skills:me")).content.decode()

    submit_all(open_round, staff_member)
    response = staff_client.get(reverse("skills:me"))
    entry = response.context["open_rounds"][0]
    assert (entry.status, entry.answered) == ("submitted", total)
    assert reverse("skills:assessment_detail", args=[entry.assessment.pk]) in (
        response.content.decode()
    )


def test_my_skills_lists_only_rounds_of_my_organisation(
    staff_client, staff_member, open_round, round_in_org_b
):
    response = staff_client.get(reverse("skills:me"))
    assert [e.round for e in response.context["open_rounds"]] == [open_round]
    assert round_in_org_b.title not in without_word_marks(response.content.decode())


def test_my_skills_asks_anonymous_visitors_to_log_in(client, open_round):
    response = client.get(reverse("skills:me"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_user_of_no_organisation_is_refused(db, client):
    client.force_login(make_user("nobody", None, None))
    assert client.get(reverse("skills:me")).status_code == 403


def test_my_skills_query_count_does_not_grow_with_rounds(
    staff_client, staff_member, org_a, ocsc_2561
):
    from tests.skills.conftest import round_make

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("skills:me")).status_code == 200
        return len(queries)

    closed = round_make(org_a, ocsc_2561, opens_in_days=-800, closes_in_days=-770)
    assessment_make(closed, staff_member)
    few = count()
    for years in range(2, 7):
        older = round_make(
            org_a, ocsc_2561, opens_in_days=-400 * years, closes_in_days=-400 * years + 30
        )
        assessment_make(older, staff_member)
    round_make(org_a, ocsc_2561, opens_in_days=-3, closes_in_days=3)
    assert count() == few
