"""The skills demo data: a closed FY 2565 round most people answered, an earlier FY 2563
round of the same framework with lower scores to compare it with, a round open now that
the demo staff member has not answered, plausible answers, and the same data when
seeded twice."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from portal.demo import demo_seed
from portal.models import Organization
from portal.thai import current_fiscal_year
from skills import demo
from skills.models import Answer, Assessment, AssessmentRound
from skills.services import round_compare, round_previous, round_results
from staff.models import StaffMember


def snapshot(organization: Organization) -> list[tuple]:
    """Everything the seed writes, by natural keys (not database ids)."""
    rounds = sorted(
        AssessmentRound.objects.filter(organization=organization).values_list(
            "fiscal_year", "title", "opens_on", "closes_on"
        )
    )
    assessments = sorted(
        Assessment.objects.filter(round__organization=organization).values_list(
            "round__fiscal_year", "staff_member__citizen_id", "group__code", "status"
        )
    )
    answers = sorted(
        Answer.objects.filter(assessment__round__organization=organization).values_list(
            "assessment__round__fiscal_year",
            "assessment__staff_member__citizen_id",
            "item__domain__code",
            "item__order",
            "level",
        )
    )
    return [rounds, assessments, answers]


@pytest.fixture
def demo_org(db) -> Organization:
    return demo_seed()


def closed_round(organization) -> AssessmentRound:
    return AssessmentRound.objects.get(organization=organization, fiscal_year=2565)


def open_round(organization) -> AssessmentRound:
    return AssessmentRound.objects.get(organization=organization, fiscal_year=current_fiscal_year())


class TestTheClosedRound:
    def test_it_is_fy_2565_from_december_to_january_and_closed(self, demo_org):
        the_round = closed_round(demo_org)
        assert (the_round.opens_on, the_round.closes_on) == (
            dt.date(2021, 12, 1),
            dt.date(2022, 1, 31),
        )
        assert the_round.is_closed()
        assert the_round.framework.code == "ocsc-2561"

    def test_about_80_percent_submitted_and_a_few_are_in_draft(self, demo_org):
        active = StaffMember.objects.filter(organization=demo_org, is_active=True).count()
        assert active >= 30
        statuses = list(
            Assessment.objects.filter(round=closed_round(demo_org)).values_list("status", flat=True)
        )
        submitted = statuses.count(Assessment.Status.SUBMITTED)
        drafts = statuses.count(Assessment.Status.DRAFT)
        assert 0.75 <= submitted / active <= 0.85
        assert 1 <= drafts <= max(1, round(active * 0.1))

    def test_submitted_assessments_answer_every_statement_and_drafts_do_not(self, demo_org):
        the_round = closed_round(demo_org)
        items = sum(d.items.count() for d in the_round.framework.domains.all())
        for assessment in Assessment.objects.filter(round=the_round):
            count = assessment.answers.count()
            if assessment.is_submitted:
                assert count == items
            else:
                assert 0 < count < items

    def test_digital_governance_shows_the_clearest_gap(self, demo_org):
        results = round_results(closed_round(demo_org))
        averages = {d.code: results.by_domain[d.pk].average for d in results.domains}
        assert max(averages, key=averages.get) == "DG"
        assert averages["DG"] >= 1

    def test_groups_answer_as_their_work_suggests(self, demo_org):
        results = round_results(closed_round(demo_org))
        by_code = {d.code: d.pk for d in results.domains}

        def mean(group_code: str, domain_code: str) -> float:
            scores = [
                p.scores[by_code[domain_code]] for p in results.people if p.group.code == group_code
            ]
            return sum(scores) / len(scores)

        tech = [p for p in results.people if p.group.code == "TECH"]
        if tech:
            assert tech[0].scores[by_code["DT"]] >= 3
        assert mean("EXEC", "LEAD") > mean("SERV", "LEAD")
        assert mean("OTHER", "DL") < mean("ACAD", "DL")

    def test_the_answers_vary(self, demo_org):
        levels = set(
            Answer.objects.filter(assessment__round=closed_round(demo_org)).values_list(
                "level", flat=True
            )
        )
        assert levels == {0, 1, 2, 3, 4}


class TestTheEarlierRound:
    def test_fy_2565_compares_with_fy_2563_of_the_same_framework(self, demo_org):
        previous = round_previous(closed_round(demo_org))
        assert previous is not None
        assert previous.fiscal_year == 2563
        assert previous.framework == closed_round(demo_org).framework
        # Closed before the FY 2564–2566 plan was proposed (21 September 2020).
        assert previous.closes_on == dt.date(2020, 1, 31)

    def test_scores_rose_in_every_domain_since_fy_2563(self, demo_org):
        the_round = closed_round(demo_org)
        comparison = round_compare(round=the_round, previous=round_previous(the_round))
        assert comparison.previous_people >= 20
        assert all(row.delta > 0 for row in comparison.rows)
        assert all(row.gap_delta <= 0 for row in comparison.rows)

    def test_each_domains_change_is_what_the_answers_give_worked_out_by_hand(self, demo_org):
        """Worked out from the raw answers, apart from the service: a person's domain
        score is the mean of their levels rounded half up; the round's is the mean of
        those to one decimal, half up; the change is now minus before."""
        the_round = closed_round(demo_org)
        previous = round_previous(the_round)

        def by_hand(a_round) -> dict[str, Decimal]:
            levels: dict[tuple[int, str], list[int]] = defaultdict(list)
            answers = Answer.objects.filter(
                assessment__round=a_round, assessment__status=Assessment.Status.SUBMITTED
            ).values_list("assessment_id", "item__domain__code", "level")
            for assessment, domain, level in answers:
                levels[(assessment, domain)].append(level)
            people: dict[str, list[int]] = defaultdict(list)
            for (_assessment, domain), found in levels.items():
                people[domain].append(
                    int((Decimal(sum(found)) / len(found)).quantize(1, rounding=ROUND_HALF_UP))
                )
            return {
                domain: (Decimal(sum(scores)) / len(scores)).quantize(
                    Decimal("0.1"), rounding=ROUND_HALF_UP
                )
                for domain, scores in people.items()
            }

        now, before = by_hand(the_round), by_hand(previous)
        comparison = round_compare(round=the_round, previous=previous)
        assert {row.domain.code: row.score for row in comparison.rows} == now
        assert {row.domain.code: row.previous_score for row in comparison.rows} == before
        assert {row.domain.code: row.delta for row in comparison.rows} == {
            domain: now[domain] - before[domain] for domain in now
        }


class TestTheOpenRound:
    def test_it_is_open_now_for_the_current_fiscal_year(self, demo_org):
        the_round = open_round(demo_org)
        today = timezone.localdate()
        assert the_round.is_open()
        assert the_round.opens_on == today - dt.timedelta(days=7)
        assert the_round.closes_on == today + dt.timedelta(days=30)

    def test_a_few_people_answered_but_not_the_demo_staff_member(self, demo_org):
        the_round = open_round(demo_org)
        assert the_round.assessments.filter(status=Assessment.Status.SUBMITTED).count() == 6
        assert not the_round.assessments.filter(staff_member__user__username="staff").exists()


class TestIdempotence:
    def test_seeding_twice_gives_the_same_data(self, demo_org):
        before = snapshot(demo_org)
        demo_seed()
        assert snapshot(demo_org) == before

    def test_an_organisation_without_staff_gets_empty_rounds(self, db):
        organization = Organization.objects.create(
            slug="empty", name_th="องค์การบริหารส่วนตำบลว่าง", short_name="อบต.ว่าง"
        )
        demo.seed(organization)
        demo.seed(organization)
        assert AssessmentRound.objects.filter(organization=organization).count() == 3
        assert not Assessment.objects.filter(round__organization=organization).exists()
