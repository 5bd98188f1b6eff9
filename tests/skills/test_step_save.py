"""Saving a step of the self-assessment: one statement for its answers whatever their
number, a handful of queries for the whole request, and nothing saved when any answer
is wrong."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skills.models import Answer, Assessment, Item
from skills.services import assessment_save_answers, assessment_start
from tests.skills.test_self_assessment import (
    domains_of,
    post_step,
    saved_levels,
    step_answers,
)

STEP_SAVE_MAX_QUERIES = 6


def statements_up_to(domain, count: int) -> None:
    """Give ``domain`` ``count`` statements (the frameworks have about five)."""
    for n in range(len(domain.items.all()), count):
        Item.objects.create(domain=domain, text=f"ข้อความที่ {n + 1}", order=100 + n)


@pytest.fixture
def started(staff_client, staff_member, open_round) -> Assessment:
    """The person has answered the first step once, so the assessment exists."""
    post_step(staff_client, open_round, 1, step_answers(domains_of(open_round)[0], 1))
    return Assessment.objects.get(staff_member=staff_member, round=open_round)


def step_save_queries(client, round, step: int, level: int, *, htmx: bool) -> list[str]:
    answers = step_answers(domains_of(round)[step - 1], level)
    with CaptureQueriesContext(connection) as queries:
        response = post_step(client, round, step, answers, htmx=htmx)
    assert response.status_code == (200 if htmx else 302)
    return [q["sql"] for q in queries]


@pytest.mark.parametrize("htmx", [False, True], ids=["save-and-continue", "autosave"])
def test_a_step_with_5_or_20_statements_saves_in_the_same_few_queries(
    staff_client, started, open_round, htmx, django_assert_max_num_queries
):
    answers = step_answers(domains_of(open_round)[1], 2)
    with django_assert_max_num_queries(STEP_SAVE_MAX_QUERIES):
        post_step(staff_client, open_round, 2, answers, htmx=htmx)
    five = step_save_queries(staff_client, open_round, 2, 3, htmx=htmx)
    statements_up_to(domains_of(open_round)[1], 20)
    post_step(staff_client, open_round, 2, {}, htmx=htmx)  # the questionnaire reloads once

    twenty = step_save_queries(staff_client, open_round, 2, 4, htmx=htmx)

    assert len(twenty) == len(five) <= STEP_SAVE_MAX_QUERIES
    writes = [sql for sql in twenty if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 1 and "ON CONFLICT" in writes[0]
    assert set(saved_levels(started.staff_member, open_round).values()) == {1, 4}
    assert len(saved_levels(started.staff_member, open_round)) == 5 + 20


def test_saving_again_changes_the_levels_in_place(staff_client, started, open_round):
    first = domains_of(open_round)[0]
    ids = set(Answer.objects.filter(assessment=started).values_list("pk", flat=True))

    post_step(staff_client, open_round, 1, step_answers(first, 3))

    assert set(Answer.objects.filter(assessment=started).values_list("pk", flat=True)) == ids
    assert set(saved_levels(started.staff_member, open_round).values()) == {3}


def test_one_bad_answer_saves_none_of_the_others(staff_member, open_round):
    assessment = assessment_start(round=open_round, person=staff_member)
    items = list(domains_of(open_round)[0].items.all())
    good = {item.pk: 2 for item in items[:-1]}

    for bad in ({items[-1].pk: 7}, {999_999: 2}):
        with pytest.raises(ValidationError):
            assessment_save_answers(assessment=assessment, answers={**good, **bad})

    assert not Answer.objects.filter(assessment=assessment).exists()


def test_the_group_is_written_only_when_the_rules_now_give_another(
    staff_client, started, open_round
):
    person = started.staff_member
    before = started.group
    person.position_title = "นักวิชาการคอมพิวเตอร์"  # the first default rule: TECH
    person.save()

    queries = step_save_queries(staff_client, open_round, 1, 2, htmx=False)

    started.refresh_from_db()
    assert (before.code, started.group.code) == ("ACAD", "TECH")
    assert [sql for sql in queries if sql.startswith("UPDATE")]
    unchanged = step_save_queries(staff_client, open_round, 1, 3, htmx=False)
    assert not [sql for sql in unchanged if sql.startswith("UPDATE")]
