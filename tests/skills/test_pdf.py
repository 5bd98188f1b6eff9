"""The printed documents of digital skills, read back from the PDF: the self-assessment
summary of a round and a person's own result — what they say, that they embed the
Sarabun font and nothing else, who may print them, that a name typed by a person is
printed as text and never fetched — and the links to every printed document from the
pages that show the same data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal import pdf
from portal.thai import thai_digits
from skills.models import Domain, PersonnelGroup
from staff.models import Unit
from tests.pdf_utils import fetch
from tests.plans.conftest import manpower_plan, plan
from tests.skills.conftest import answer_all, submit_all
from tests.skills.fixtures_hr import hand_case, people_assessed, two_units

__all__ = ["hand_case", "manpower_plan", "plan", "two_units"]  # fixtures used below

EVIL = '<img src="file:///etc/passwd">'


@pytest.fixture
def fetched(monkeypatch) -> list[str]:
    """Every URL the renderer asks its fetcher for."""
    urls: list[str] = []
    real = pdf.restricted_url_fetcher
    monkeypatch.setattr(
        pdf, "restricted_url_fetcher", lambda url, **kw: urls.append(url) or real(url, **kw)
    )
    return urls


def summary_url(the_round) -> str:
    return reverse("skills:round_summary_pdf", args=[the_round.pk])


def result_url(assessment) -> str:
    return reverse("skills:assessment_pdf", args=[assessment.pk])


def domain(code: str) -> Domain:
    return Domain.objects.get(framework__code="ocsc-2561", code=code)


def group(code: str) -> PersonnelGroup:
    return PersonnelGroup.objects.get(framework__code="ocsc-2561", code=code)


def thai(msgid: str) -> str:
    with translation.override("th"):
        return translation.gettext(msgid)


# --- The summary of a round ------------------------------------------------------------


class TestTheRoundSummary:
    def test_it_has_every_part_of_the_summary(self, hr_client, org_a, hand_case, caplog):
        summary = fetch(hr_client, summary_url(hand_case["round"]), caplog)
        assert 2 <= summary.pages <= 6
        for phrase in [
            "รายงานสรุปผลการประเมินตนเองด้านทักษะดิจิทัลของบุคลากร",
            "รอบทดสอบผลลัพธ์",
            # Stored with Arabic digits, printed with Thai digits.
            thai_digits(hand_case["round"].framework.name),
            org_a.name_th,
            "อำเภออัมพวา จังหวัดสมุทรสงคราม",
            # Participation: four of the five people submitted (เอื้อ is in draft).
            "ผู้ส่งแบบประเมิน ๔ คน จากผู้ที่ต้องประเมิน ๕ คน (ร้อยละ ๘๐)",
            "การส่งแบบประเมินจำแนกตามหน่วยงาน",
            "กองคลัง",
            "ช่องว่างทักษะรายด้าน",
            thai("Average gap by unit and domain"),
            thai("Average gap by personnel group and domain"),
            "การกระจายของระดับทักษะ",
            "รายชื่อบุคลากรที่มีช่องว่างทักษะ จำแนกรายด้าน",
            domain("LEAD").name,
            "ผู้จัดทำรายงาน",
        ]:
            assert summary.says(phrase), phrase

    def test_it_lists_the_people_with_a_gap_and_no_one_else(self, hr_client, hand_case, caplog):
        summary = fetch(hr_client, summary_url(hand_case["round"]), caplog)
        for key in ["anan", "champi", "duangjai"]:
            assert summary.says(hand_case["people"][key].full_name), key
        # บุษบา reaches every target and เอื้อ has not submitted.
        assert not summary.says(hand_case["people"]["butsaba"].first_name)
        assert not summary.says(hand_case["people"]["uea"].first_name)

    def test_the_gaps_table_gives_people_with_a_gap_average_and_total(
        self, hr_client, hand_case, caplog
    ):
        summary = fetch(hr_client, summary_url(hand_case["round"]), caplog)
        # DL: four assessed, two with a gap (จำปี 2, ดวงใจ 2): average 1.0, total 4.
        assert summary.says(f"DL {domain('DL').name} ๔ ๒ ๑.๐ ๔")

    def test_arabic_digits_on_request(self, hr_client, hand_case, caplog):
        summary = fetch(hr_client, summary_url(hand_case["round"]) + "?digits=arabic", caplog)
        assert summary.says("ผู้ส่งแบบประเมิน 4 คน จากผู้ที่ต้องประเมิน 5 คน (ร้อยละ 80)")

    def test_a_round_nobody_submitted_says_so(self, hr_client, open_round, caplog):
        summary = fetch(hr_client, summary_url(open_round), caplog)
        assert summary.pages <= 2
        assert summary.says("ยังไม่มีผู้ส่งแบบประเมินในรอบนี้")

    def test_a_large_round_stays_within_its_page_budget_and_query_count(
        self, hr_client, org_a, hand_case, caplog
    ):
        url = summary_url(hand_case["round"])
        with CaptureQueriesContext(connection) as few:
            fetch(hr_client, url, caplog)
        people_assessed(hand_case["round"], hand_case["finance"], 60)
        with CaptureQueriesContext(connection) as many:
            summary = fetch(hr_client, url, caplog)
        assert len(many) == len(few)
        # 64 people with gaps in 5 of 6 domains: 320 rows of names, about 16 a page.
        assert summary.pages <= 24

    def test_the_second_request_is_served_from_the_cache(self, hr_client, hand_case):
        first = hr_client.get(summary_url(hand_case["round"]))
        second = hr_client.get(summary_url(hand_case["round"]))
        assert (first["X-PDF-Cache"], second["X-PDF-Cache"]) == ("miss", "hit")
        assert "filename*=UTF-8''" in first["Content-Disposition"]

    def test_a_unit_name_with_markup_prints_as_text_and_fetches_nothing(
        self, hr_client, hand_case, caplog, fetched
    ):
        Unit.objects.filter(pk=hand_case["finance"].pk).update(name=EVIL)
        summary = fetch(hr_client, summary_url(hand_case["round"]), caplog)
        assert summary.says(EVIL)
        assert not summary.reader.attachments
        assert fetched  # the stylesheet and the fonts went through our fetcher…
        assert all(url.startswith(pdf.BASE_URL) for url in fetched)  # …and nothing else

    def test_the_executive_may_print_it(self, executive_client, hand_case):
        response = executive_client.get(summary_url(hand_case["round"]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"

    def test_a_staff_member_gets_403(self, staff_client, hand_case):
        assert staff_client.get(summary_url(hand_case["round"])).status_code == 403

    def test_an_outsider_gets_404(self, outsider_client, hand_case):
        assert outsider_client.get(summary_url(hand_case["round"])).status_code == 404

    def test_an_anonymous_visitor_is_sent_to_log_in(self, client, hand_case):
        response = client.get(summary_url(hand_case["round"]))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_post_is_refused(self, hr_client, hand_case):
        assert hr_client.post(summary_url(hand_case["round"])).status_code == 405


# --- A person's own result ------------------------------------------------------------------


@pytest.fixture
def my_assessment(open_round, staff_member):
    """กมล (ACAD: targets 3 3 2 3 2 1) answered 1 everywhere and submitted: gaps
    DL 2, DT 2, DG 1, DPSD 2, SPM 1, LEAD 0."""
    return submit_all(open_round, staff_member, 1)


class TestAPersonsResult:
    def test_it_shows_the_person_the_levels_and_the_gaps(
        self, staff_client, org_a, staff_member, my_assessment, caplog
    ):
        result = fetch(staff_client, result_url(my_assessment), caplog)
        assert 1 <= result.pages <= 3
        for phrase in [
            "ผลการประเมินตนเองด้านทักษะดิจิทัล",
            "รอบประเมินที่เปิดอยู่",
            org_a.name_th,
            staff_member.full_name,
            staff_member.unit.full_name,
            group("ACAD").name,
            "ส่งแบบประเมินแล้ว",
            "ได้ระดับตามเป้าหมาย ๑ ด้าน จากทั้งหมด ๖ ด้าน",
            # Score, target, gap of one domain, then the outcome.
            f"DL {domain('DL').name} ๑",
            "๓ ๒ ต่ำกว่าเป้าหมาย",
            f"LEAD {domain('LEAD').name} ๑",
            "๑ ๐ ถึงเป้าหมาย",
            "แนวทางการพัฒนาเพื่อลดช่องว่างทักษะ",
            f"DL {domain('DL').name} (ช่องว่าง ๒ ระดับ)",
            "ผู้ประเมินตนเอง",
        ]:
            assert result.says(phrase), phrase
        assert not result.marked_draft

    def test_it_gives_the_development_options_of_each_domain_with_a_gap(
        self, staff_client, my_assessment, caplog
    ):
        result = fetch(staff_client, result_url(my_assessment), caplog)
        for code in ["DL", "DT", "DG", "DPSD", "SPM"]:
            methods = domain(code).recommended_methods.strip()
            assert methods, code  # the reference data gives every domain its methods
            assert result.says(methods.splitlines()[0][:40]), code
        assert not result.says(f"LEAD {domain('LEAD').name} (ช่องว่าง")

    def test_a_result_not_yet_submitted_prints_as_a_draft(
        self, staff_client, open_round, staff_member, caplog
    ):
        assessment = answer_all(open_round, staff_member, 1)
        result = fetch(staff_client, result_url(assessment), caplog)
        assert result.marked_draft
        assert result.says("ยังไม่ได้ส่งแบบประเมิน")

    def test_a_unit_name_with_markup_prints_as_text_and_fetches_nothing(
        self, staff_client, unit_a, my_assessment, caplog, fetched
    ):
        Unit.objects.filter(pk=unit_a.pk).update(name=EVIL)
        result = fetch(staff_client, result_url(my_assessment), caplog)
        assert result.says(EVIL)
        assert all(url.startswith(pdf.BASE_URL) for url in fetched)

    @pytest.mark.parametrize("client_name", ["hr_client", "executive_client"])
    def test_hr_and_the_executive_may_print_it(self, request, client_name, my_assessment):
        response = request.getfixturevalue(client_name).get(result_url(my_assessment))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"

    def test_another_staff_members_result_is_404(self, staff_client, open_round, colleague):
        theirs = submit_all(open_round, colleague, 2)
        assert staff_client.get(result_url(theirs)).status_code == 404

    def test_an_outsider_gets_404(self, outsider_client, my_assessment):
        assert outsider_client.get(result_url(my_assessment)).status_code == 404

    def test_post_is_refused(self, staff_client, my_assessment):
        assert staff_client.post(result_url(my_assessment)).status_code == 405


# --- Links to every printed document ------------------------------------------------------


class TestLinksToThePrintedDocuments:
    def test_the_results_page_links_to_the_summary(self, hr_client, hand_case):
        page = hr_client.get(reverse("skills:round_results", args=[hand_case["round"].pk]))
        assert summary_url(hand_case["round"]) in page.content.decode()

    def test_the_round_page_links_to_the_summary(self, hr_client, hand_case):
        page = hr_client.get(reverse("skills:round_detail", args=[hand_case["round"].pk]))
        assert summary_url(hand_case["round"]) in page.content.decode()

    def test_a_persons_result_page_links_to_their_result(self, staff_client, my_assessment):
        page = staff_client.get(reverse("skills:assessment_detail", args=[my_assessment.pk]))
        assert result_url(my_assessment) in page.content.decode()

    def test_the_plan_page_links_to_the_plan_book_and_every_annual_plan(self, hr_client, plan):
        html = hr_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        expected = [reverse("plans:plan_pdf", args=[plan.pk])] + [
            reverse("plans:annual_pdf", args=[plan.pk, fy]) for fy in plan.fiscal_years
        ]
        assert [url for url in expected if url in html] == expected

    @pytest.mark.parametrize(
        ("page", "document"),
        [
            ("plans:annual", "plans:annual_pdf"),
            ("plans:progress", "plans:progress_pdf"),
            ("plans:results", "plans:results_pdf"),
        ],
    )
    def test_each_year_page_links_to_its_document(self, hr_client, plan, page, document):
        html = hr_client.get(reverse(page, args=[plan.pk, 2567])).content.decode()
        assert reverse(document, args=[plan.pk, 2567]) in html
