"""Round over round: which round is the previous one, the change of each domain's mean
score and gap for the organisation, a unit, a personnel group and a person against
hand-computed values, the pages and the printed summary that show it, and query counts
that stay flat as the rounds grow.

The hand-made case of fixtures_hr is this round ("now"); the previous round, closed a
year earlier, was answered like this (every item at one level)::

    person  unit       group  before  now
    อนันต์   สำนักปลัด  EXEC   0       2
    บุษบา   สำนักปลัด  ACAD   3       3
    จำปี    กองคลัง    ACAD   0       1
    ดวงใจ   กองคลัง    OTHER  —       0
    เอื้อ    กองคลัง    ACAD   2       (draft, not counted)

Targets: EXEC 2 2 3 2 3 4 · ACAD 3 3 2 3 2 1 · OTHER 2 1 1 1 0 0 (DL DT DG DPSD SPM LEAD).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skills.charts import compare_chart_for
from skills.models import Domain, PersonnelGroup
from skills.services import (
    ORGANIZATION,
    CompareScope,
    GroupResolver,
    round_compare,
    round_compare_sections,
    round_previous,
)
from staff.models import Unit
from tests.pdf_utils import fetch
from tests.skills.conftest import assessment_make, round_make, submit_all
from tests.skills.fixtures_hr import hand_case, people_assessed, two_units

__all__ = ["hand_case", "two_units"]  # fixtures used by the tests below

D = Decimal


def domain(code: str) -> Domain:
    return Domain.objects.get(framework__code="ocsc-2561", code=code)


def group(code: str) -> PersonnelGroup:
    return PersonnelGroup.objects.get(framework__code="ocsc-2561", code=code)


def row(comparison, code: str):
    return next(r for r in comparison.rows if r.domain.code == code)


def figures(comparison, code: str) -> tuple:
    r = row(comparison, code)
    return (r.previous_score, r.score, r.delta, r.target, r.previous_gap, r.gap)


@pytest.fixture
def previous_round(org_a, ocsc_2561, hand_case):
    the_round = round_make(
        org_a, ocsc_2561, opens_in_days=-430, closes_in_days=-400, title="รอบทดสอบปีก่อน"
    )
    resolver = GroupResolver.load(organization=org_a, framework=ocsc_2561)
    people = hand_case["people"]
    for key, level in [("anan", 0), ("butsaba", 3), ("champi", 0), ("uea", 2)]:
        assessment_make(the_round, people[key], level, resolver=resolver)
    return the_round


def dl_cells(html: str) -> list[str]:
    """The numbers of the DL row of the comparison table."""
    dl = re.search(r'<th scope="row"><strong>DL</strong>.*?</tr>', html, re.S).group(0)
    return re.findall(r'<td class="num[^"]*"[^>]*>([^<]*)</td>', dl)


def results_url(the_round) -> str:
    return reverse("skills:round_results", args=[the_round.pk])


class TestWhichRoundIsThePreviousOne:
    def test_it_is_the_latest_round_of_the_same_organisation_and_framework_closed_before(
        self, org_a, ocsc_2561, hand_case, previous_round
    ):
        older = round_make(org_a, ocsc_2561, opens_in_days=-800, closes_in_days=-770)
        assert round_previous(hand_case["round"]) == previous_round
        assert round_previous(previous_round) == older
        assert round_previous(older) is None

    def test_a_round_of_another_framework_is_not_compared(self, org_a, ocsc_2566, hand_case):
        round_make(org_a, ocsc_2566, opens_in_days=-430, closes_in_days=-400)
        assert round_previous(hand_case["round"]) is None

    def test_another_organisations_round_is_never_used(
        self, org_b, ocsc_2561, hand_case, previous_round
    ):
        # Closed between the two rounds of org A, of the same framework.
        in_org_b = round_make(org_b, ocsc_2561, opens_in_days=-200, closes_in_days=-100)
        assert round_previous(hand_case["round"]) == previous_round
        with pytest.raises(ValueError):
            round_compare(round=hand_case["round"], previous=in_org_b)

    def test_an_open_round_compares_with_the_last_closed_one_and_not_another_open_one(
        self, org_a, ocsc_2561, open_round, hand_case
    ):
        also_open = round_make(org_a, ocsc_2561, opens_in_days=-3, closes_in_days=10)
        assert round_previous(open_round) == hand_case["round"]
        assert round_previous(also_open) == hand_case["round"]

    def test_a_round_of_another_framework_cannot_be_passed_as_the_previous_one(
        self, org_a, ocsc_2566, hand_case
    ):
        other = round_make(org_a, ocsc_2566, opens_in_days=-430, closes_in_days=-400)
        with pytest.raises(ValueError):
            round_compare(round=hand_case["round"], previous=other)


class TestTheNumbersOfTheHandMadeCase:
    def test_the_organisation(self, hand_case, previous_round):
        comparison = round_compare(round=hand_case["round"], previous=previous_round)
        # DL now 2 3 1 0 → 1.5, before 0 3 0 2 → 1.25 → 1.3; targets 2 3 3 2 → 2.5;
        # gaps now 0 0 2 2 → 1.0, before 2 0 3 1 → 1.5.
        assert figures(comparison, "DL") == (
            D("1.3"),
            D("1.5"),
            D("0.2"),
            D("2.5"),
            D("1.5"),
            D("1.0"),
        )
        # LEAD targets 4 1 1 0 → 1.5; gaps now 2 0 0 0 → 0.5, before 4 0 1 0 → 1.25 → 1.3.
        assert figures(comparison, "LEAD") == (
            D("1.3"),
            D("1.5"),
            D("0.2"),
            D("1.5"),
            D("1.3"),
            D("0.5"),
        )
        assert (comparison.people, comparison.previous_people) == (4, 4)
        assert row(comparison, "DL").delta_text == "+0.2"
        assert row(comparison, "DL").gap_delta == D("-0.5")

    def test_a_unit(self, hand_case, previous_round):
        office = CompareScope(unit_id=hand_case["office"].pk)
        finance = CompareScope(unit_id=hand_case["finance"].pk)
        the_round = hand_case["round"]
        # สำนักปลัด: อนันต์ and บุษบา in both rounds: DL 0 3 → 1.5, 2 3 → 2.5.
        in_office = round_compare(round=the_round, previous=previous_round, scope=office)
        assert figures(in_office, "DL") == (
            D("1.5"), D("2.5"), D("1.0"), D("2.5"), D("1.0"), D("0.0"),
        )  # fmt: skip
        # กองคลัง: จำปี and เอื้อ before (0 2 → 1.0), จำปี and ดวงใจ now (1 0 → 0.5);
        # targets now ACAD 3, OTHER 2 → 2.5; gaps before 3 1 → 2.0, now 2 2 → 2.0.
        in_finance = round_compare(round=the_round, previous=previous_round, scope=finance)
        assert figures(in_finance, "DL") == (
            D("1.0"),
            D("0.5"),
            D("-0.5"),
            D("2.5"),
            D("2.0"),
            D("2.0"),
        )
        assert row(in_finance, "DL").delta_text == "\u22120.5"
        assert row(in_finance, "DL").trend == "down"

    def test_a_personnel_group(self, hand_case, previous_round):
        acad = CompareScope(group_id=group("ACAD").pk)
        comparison = round_compare(round=hand_case["round"], previous=previous_round, scope=acad)
        # ACAD DL: before บุษบา 3, จำปี 0, เอื้อ 2 → 1.7; now บุษบา 3, จำปี 1 → 2.0;
        # gaps before 0 3 1 → 1.3, now 0 2 → 1.0.
        assert figures(comparison, "DL") == (
            D("1.7"),
            D("2.0"),
            D("0.3"),
            D("3.0"),
            D("1.3"),
            D("1.0"),
        )

    def test_a_group_nobody_was_in_before_has_nothing_to_compare(self, hand_case, previous_round):
        other = CompareScope(group_id=group("OTHER").pk)
        comparison = round_compare(round=hand_case["round"], previous=previous_round, scope=other)
        assert figures(comparison, "DL") == (None, D("0.0"), None, D("2.0"), None, D("2.0"))
        assert not comparison.comparable
        assert row(comparison, "DL").delta_text == "–"

    def test_a_person(self, hand_case, previous_round):
        anan = CompareScope(person_id=hand_case["people"]["anan"].pk)
        comparison = round_compare(round=hand_case["round"], previous=previous_round, scope=anan)
        assert figures(comparison, "DL") == (
            D("0.0"),
            D("2.0"),
            D("2.0"),
            D("2.0"),
            D("2.0"),
            D("0.0"),
        )
        assert figures(comparison, "LEAD") == (
            D("0.0"),
            D("2.0"),
            D("2.0"),
            D("4.0"),
            D("4.0"),
            D("2.0"),
        )
        assert (comparison.people, comparison.previous_people) == (1, 1)

    def test_the_sections_give_the_same_numbers_as_each_scope_on_its_own(
        self, hand_case, previous_round
    ):
        the_round = hand_case["round"]
        sections = round_compare_sections(round=the_round, previous=previous_round)
        assert (
            sections.organization.rows
            == round_compare(round=the_round, previous=previous_round).rows
        )
        assert [u.name for u, _c in sections.units] == ["สำนักปลัด", "กองคลัง"]
        assert [g.code for g, _c in sections.groups] == ["EXEC", "ACAD", "OTHER"]
        for unit, comparison in sections.units:
            alone = round_compare(
                round=the_round, previous=previous_round, scope=CompareScope(unit_id=unit.pk)
            )
            assert comparison.rows == alone.rows

    def test_the_previous_round_is_read_from_its_stored_scores(self, hand_case, previous_round):
        round_compare(round=hand_case["round"], previous=previous_round)  # stores both
        with CaptureQueriesContext(connection) as queries:
            round_compare(round=hand_case["round"], previous=previous_round)
        assert not any("skills_answer" in q["sql"] for q in queries.captured_queries)

    def test_an_open_round_is_scored_live(self, staff_member, open_round, closed_round):
        assessment_make(closed_round, staff_member, 1)
        scope = CompareScope(person_id=staff_member.pk)
        before = round_compare(round=open_round, previous=closed_round, scope=scope)
        assert row(before, "DL").score is None
        submit_all(open_round, staff_member, 3)
        after = round_compare(round=open_round, previous=closed_round, scope=scope)
        assert (row(after, "DL").previous_score, row(after, "DL").score) == (D("1.0"), D("3.0"))


class TestTheChart:
    def test_it_prints_both_scores_the_change_and_the_target_of_each_domain(
        self, hand_case, previous_round
    ):
        comparison = round_compare(round=hand_case["round"], previous=previous_round)
        svg = str(compare_chart_for(comparison, "Title <b>"))
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        assert "Title &lt;b&gt;" in svg and "<b>" not in svg
        assert ">+0.2<" in svg and ">1.5<" in svg and ">1.3<" in svg
        assert "style=" not in svg and "<script" not in svg
        # A target line per domain, two bars per domain.
        assert svg.count('stroke="#a31d1d"') == len(comparison.rows) + 1  # + the legend's


class TestTheResultsPage:
    def test_it_shows_the_change_for_the_organisation_as_a_table_and_a_chart(
        self, hr_client, hand_case, previous_round
    ):
        response = hr_client.get(results_url(hand_case["round"]))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="compare"' in html
        assert "compare-chart" in html and "<svg" in html
        assert "รอบทดสอบปีก่อน" in html
        assert dl_cells(html) == [
            "1.3", "1.5", "+0.2", "2.5", "1.5", "1.0",
        ]  # fmt: skip

    def test_a_unit_is_chosen_in_the_filter(self, executive_client, hand_case, previous_round):
        finance = hand_case["finance"]
        html = executive_client.get(
            results_url(hand_case["round"]), {"scope": f"unit-{finance.pk}"}
        ).content.decode()
        # กองคลัง: 1.0 → 0.5 (the hand-made table at the top).
        assert dl_cells(html) == ["1.0", "0.5", "\u22120.5", "2.5", "2.0", "2.0"]
        assert f'<option value="unit-{finance.pk}" selected>' in html

    def test_a_group_nobody_was_in_before_says_so_without_a_chart(
        self, hr_client, hand_case, previous_round
    ):
        html = hr_client.get(
            results_url(hand_case["round"]), {"scope": f"group-{group('OTHER').pk}"}
        ).content.decode()
        assert "compare-chart" not in html
        assert "compare-table" not in html
        assert "ไม่มีผู้ที่ส่งแบบประเมินทั้งสองรอบ" in html or "in both rounds" in html

    def test_an_unknown_choice_shows_the_organisation(self, hr_client, hand_case, previous_round):
        html = hr_client.get(
            results_url(hand_case["round"]), {"scope": "unit-999999"}
        ).content.decode()
        assert "compare-chart" in html

    def test_without_a_previous_round_it_says_so_and_draws_no_chart(self, hr_client, hand_case):
        html = hr_client.get(results_url(hand_case["round"])).content.decode()
        assert 'id="compare"' in html
        assert "compare-chart" not in html and "compare-table" not in html
        assert "ไม่มีรอบการประเมินก่อนหน้า" in html or "no earlier closed round" in html


class TestThePersonsResult:
    @pytest.fixture
    def two_rounds(self, staff_member, open_round, closed_round):
        assessment_make(closed_round, staff_member, 1)
        return submit_all(open_round, staff_member, 3)

    def test_the_person_sees_their_change_per_domain(self, client, staff_user, two_rounds):
        client.force_login(staff_user)
        html = client.get(
            reverse("skills:assessment_detail", args=[two_rounds.pk])
        ).content.decode()
        assert "compare-chart" in html
        assert dl_cells(html)[:3] == ["1.0", "3.0", "+2.0"]

    def test_hr_sees_the_same_change(self, hr_client, two_rounds):
        html = hr_client.get(
            reverse("skills:assessment_detail", args=[two_rounds.pk])
        ).content.decode()
        assert "compare-chart" in html and "+2.0" in html

    def test_with_no_previous_round_it_says_so(self, client, staff_user, staff_member, open_round):
        assessment = submit_all(open_round, staff_member, 3)
        client.force_login(staff_user)
        html = client.get(
            reverse("skills:assessment_detail", args=[assessment.pk])
        ).content.decode()
        assert 'id="compare"' in html and "compare-chart" not in html

    def test_someone_who_did_not_answer_the_previous_round_is_told_so(
        self, client, staff_user, staff_member, colleague, open_round, closed_round
    ):
        assessment_make(closed_round, colleague, 1)
        assessment = submit_all(open_round, staff_member, 3)
        client.force_login(staff_user)
        html = client.get(
            reverse("skills:assessment_detail", args=[assessment.pk])
        ).content.decode()
        assert "compare-chart" not in html and closed_round.title in html


class TestTheSummaryPdf:
    def test_it_prints_the_comparison_with_thai_digits(
        self, hr_client, hand_case, previous_round, caplog
    ):
        url = reverse("skills:round_summary_pdf", args=[hand_case["round"].pk])
        summary = fetch(hr_client, url, caplog)
        assert summary.says("การเปรียบเทียบกับรอบการประเมินก่อนหน้า")
        assert summary.says("เปรียบเทียบกับรอบทดสอบปีก่อน")
        # DL of the organisation: 1.3 → 1.5, +0.2, target 2.5, gap 1.5 → 1.0.
        assert summary.says(f"DL {domain('DL').name} ๑.๓ ๑.๕ +๐.๒ ๒.๕ ๑.๕ ๑.๐")
        assert summary.says("จำแนกตามหน่วยงาน") and summary.says("จำแนกตามกลุ่มบุคลากร")
        # กองคลัง's DL: 0.5, down 0.5.
        assert summary.says("กองคลัง ๐.๕ (\u2212๐.๕)")

    def test_without_a_previous_round_it_says_so(self, hr_client, hand_case, caplog):
        url = reverse("skills:round_summary_pdf", args=[hand_case["round"].pk])
        summary = fetch(hr_client, url, caplog)
        assert summary.says("ยังไม่มีรอบการประเมินก่อนหน้าของกรอบการประเมินเดียวกันที่ปิดแล้ว")


@pytest.fixture
def big_rounds(org_a, ocsc_2561):
    return (
        round_make(org_a, ocsc_2561, opens_in_days=-60, closes_in_days=-30),
        round_make(org_a, ocsc_2561, opens_in_days=-430, closes_in_days=-400),
    )


class TestQueryCounts:
    def count(self, client, url: str, query: dict) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200
        assert b"compare-chart" in response.content
        return len(queries)

    @pytest.mark.parametrize("scope", ["", "unit", "group"])
    def test_the_results_with_the_comparison_stay_flat_from_10_to_200_assessments(
        self, hr_client, org_a, big_rounds, scope
    ):
        now, before = big_rounds
        office = Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1)
        finance = Unit.objects.create(organization=org_a, name="กองคลัง", order=2)
        query = {
            "": {},
            "unit": {"scope": f"unit-{office.pk}"},
            "group": {"scope": f"group-{group('ACAD').pk}"},
        }[scope]
        url = results_url(now)
        for the_round, level in [(now, 2), (before, 1)]:
            people_assessed(the_round, office, 5, levels=level)
            people_assessed(the_round, finance, 5, levels=level)
        few = self.count(hr_client, url, query)
        for the_round, level in [(now, 3), (before, 0)]:
            people_assessed(the_round, office, 95, levels=level)
            people_assessed(the_round, finance, 95, levels=level)
        many = self.count(hr_client, url, query)
        assert many == few


def test_the_organisation_scope_includes_everyone():
    assert ORGANIZATION.includes(person_id=1, group_id=2, unit_id=None)
    assert not CompareScope(unit_id=3).includes(person_id=1, group_id=2, unit_id=4)
