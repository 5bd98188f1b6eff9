"""A closed round's scores are worked out from the answers once and stored; the gaps
still follow the targets in force; an open or reopened round is scored live. The
results page lists the people with a gap one domain and one page at a time, and costs
the same queries for 10 or 200 people once the scores are stored."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from skills.models import AssessmentRound, Domain, PersonnelGroup, RoundScores, TargetLevel
from skills.services import round_results
from staff.models import Unit
from tests.skills.conftest import round_make
from tests.skills.fixtures_hr import hand_case, people_assessed, two_units

__all__ = ["hand_case", "two_units"]  # fixtures used by the tests below


def snapshot(results) -> tuple:
    """Everything the results show, as plain values."""
    return (
        [(p.person.pk, p.group.pk, p.scores, p.gaps) for p in results.people],
        {key: cell.gaps for key, cell in results.by_unit.items()},
        {key: cell.gaps for key, cell in results.by_group.items()},
        {key: dict(counter) for key, counter in results.distribution.items()},
        [u.pk for u in results.units],
        [g.pk for g in results.groups],
    )


def reads_answers(the_round: AssessmentRound) -> bool:
    with CaptureQueriesContext(connection) as queries:
        round_results(the_round)
    return any('"skills_answer"' in q["sql"] for q in queries.captured_queries)


class TestStoredScores:
    def test_a_closed_round_is_scored_once_from_its_answers(self, hand_case):
        the_round = hand_case["round"]
        assert reads_answers(the_round)
        assert RoundScores.objects.filter(round=the_round).exists()
        assert not reads_answers(the_round)

    def test_the_stored_scores_give_the_same_results(self, hand_case):
        first = snapshot(round_results(hand_case["round"]))
        assert snapshot(round_results(hand_case["round"])) == first

    def test_the_gaps_follow_targets_changed_after_the_round(self, org_a, hand_case):
        the_round = hand_case["round"]
        round_results(the_round)
        lead = Domain.objects.get(framework__code="ocsc-2561", code="LEAD")
        executive = PersonnelGroup.objects.get(framework__code="ocsc-2561", code="EXEC")
        TargetLevel.objects.create(organization=org_a, group=executive, domain=lead, level=2)
        results = round_results(the_round)
        anan = next(p for p in results.people if p.person.first_name == "อนันต์")
        assert anan.gaps[lead.pk] == 0

    def test_an_open_round_is_scored_live_and_stores_nothing(self, org_a, ocsc_2561, two_units):
        the_round = round_make(org_a, ocsc_2561, opens_in_days=-5, closes_in_days=5)
        people_assessed(the_round, two_units["office"], 3)
        assert reads_answers(the_round) and reads_answers(the_round)
        assert not RoundScores.objects.exists()

    def test_a_reopened_round_is_scored_live_and_again_when_it_closes(self, hand_case):
        the_round = hand_case["round"]
        round_results(the_round)
        today = timezone.localdate()
        the_round.closes_on = today + dt.timedelta(days=3)
        the_round.save()
        assert reads_answers(the_round)
        the_round.closes_on = today - dt.timedelta(days=1)
        the_round.save()
        assert reads_answers(the_round)
        assert RoundScores.objects.get(round=the_round).key.startswith(
            the_round.closes_on.isoformat()
        )
        assert not reads_answers(the_round)


def results_url(the_round: AssessmentRound, **query) -> str:
    address = reverse("skills:round_results", args=[the_round.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def people_rows(html: str) -> int:
    table = re.search(r'<table class="data compact people">(.*?)</table>', html, re.S)
    return table.group(1).count("<tr>") - 1 if table else 0  # less the heading


@pytest.fixture
def office(org_a) -> Unit:
    return Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1)


class TestThePagedResults:
    def test_one_domain_and_one_page_of_people_at_a_time(self, hr_client, org_a, ocsc_2561, office):
        the_round = round_make(org_a, ocsc_2561, opens_in_days=-60, closes_in_days=-30)
        people_assessed(the_round, office, 120, levels=0)  # everyone has a gap everywhere
        html = hr_client.get(results_url(the_round)).content.decode()
        assert people_rows(html) == 50
        assert "DL (120)" in html and 'aria-current="page"' in html
        last = hr_client.get(results_url(the_round, domain="DG", page=3)).content.decode()
        assert people_rows(last) == 20
        assert "domain=DG&amp;page=2" in last
        assert len(html) < 120_000

    def test_an_unknown_domain_shows_the_first(self, hr_client, hand_case):
        response = hr_client.get(results_url(hand_case["round"], domain="XX"))
        assert response.context["gap_domain"].code == "DL"

    def test_the_stored_results_cost_the_same_queries_for_10_and_200(
        self, hr_client, org_a, ocsc_2561, office
    ):
        counts = []
        for size in (10, 200):
            the_round = round_make(org_a, ocsc_2561, opens_in_days=-60, closes_in_days=-30)
            people_assessed(the_round, office, size, levels=size % 4)
            hr_client.get(results_url(the_round))  # scores the round and stores the scores
            with CaptureQueriesContext(connection) as queries:
                assert hr_client.get(results_url(the_round)).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]
