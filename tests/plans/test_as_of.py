"""Data as of the document's date: a plan's documents take the staff in post, the skill
round closed and the manpower plan in force on the day the plan was proposed; a period
report takes attendance, status and spend as recorded by the period's end, says so,
and flags spending over a project's budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from plans import documents
from plans.models import ProjectProgress
from portal.revisions import approval_moment
from staff.models import ManpowerPlan
from tests.pdf_utils import fetch
from tests.plans.conftest import approve
from tests.plans.test_checks import closed_round_make
from tests.plans.test_follow import attend
from tests.staff.conftest import make_staff

FY = 2567
PROPOSED_ON = dt.date(2023, 9, 20)


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def approved_in_2023(plan, projects, hr_user, clerk_user, executive_user):
    """The plan submitted, proposed and approved on 20 ก.ย. 2566."""
    with time_machine.travel(moment(PROPOSED_ON), tick=False):
        return approve(plan, hr_user, clerk_user, executive_user)


# --- The plan's documents: as of the day it was proposed ---------------------------


def test_the_documents_date_is_the_day_the_plan_was_proposed(approved_in_2023, plan):
    assert documents.document_date(approved_in_2023) == PROPOSED_ON


def test_a_plan_not_yet_proposed_speaks_of_today(plan):
    assert documents.document_date(plan) == timezone.localdate()


def test_a_person_appointed_after_the_proposal_is_not_in_the_approved_plan_book(
    approved_in_2023, org_a, units, projects
):
    before = documents.plan_book_context(plan=approved_in_2023)
    newcomer = make_staff(org_a, units["finance"], "มาใหม่", appointed_on=dt.date(2024, 1, 10))
    book = documents.plan_book_context(plan=approved_in_2023)
    assert book["staff_total"] == before["staff_total"]
    assert book["units"]["total"] == before["units"]["total"]
    finance = next(p for p in book["projects"] if p.pk == projects["finance"].pk)
    assert newcomer not in finance.members


def test_someone_who_left_after_the_proposal_is_still_in_the_plan_book(
    approved_in_2023, org_a, units, projects
):
    leaver = make_staff(org_a, units["finance"], "ลาออก", appointed_on=dt.date(2020, 1, 1))
    leaver.is_active, leaver.left_on = False, dt.date(2024, 5, 1)
    leaver.save()
    gone = make_staff(org_a, units["finance"], "ลาออกก่อน", appointed_on=dt.date(2020, 1, 1))
    gone.is_active, gone.left_on = False, dt.date(2023, 6, 1)
    gone.save()
    book = documents.plan_book_context(plan=approved_in_2023)
    finance = next(p for p in book["projects"] if p.pk == projects["finance"].pk)
    assert leaver in finance.members
    assert gone not in finance.members


def test_a_round_closed_after_the_proposal_is_not_in_the_approved_plan_book(
    approved_in_2023, org_a
):
    on_time = closed_round_make(org_a, closes_on=PROPOSED_ON)
    closed_round_make(org_a, closes_on=dt.date(2024, 6, 30))
    book = documents.plan_book_context(plan=approved_in_2023)
    assert book["skills"]["round"] == on_time
    assert book["as_of"] == PROPOSED_ON


def test_the_plan_book_and_annual_plan_say_their_data_is_of_the_proposal_day(
    hr_client, approved_in_2023, caplog
):
    book = fetch(hr_client, reverse("plans:plan_pdf", args=[approved_in_2023.pk]), caplog)
    assert book.says("เป็นข้อมูล ณ วันที่ ๒๐ กันยายน ๒๕๖๖")
    annual = fetch(hr_client, reverse("plans:annual_pdf", args=[approved_in_2023.pk, FY]), caplog)
    assert annual.says("จำนวนบุคลากรเป็นข้อมูล ณ วันที่ ๒๐ กันยายน ๒๕๖๖")


def revision_approved(manpower_plan: ManpowerPlan, day: dt.date) -> ManpowerPlan:
    """Revision 1 of the manpower plan, approved on ``day``."""
    return ManpowerPlan.objects.create(
        organization=manpower_plan.organization,
        first_fy=manpower_plan.first_fy,
        revision=1,
        previous=manpower_plan,
        status=ManpowerPlan.Status.APPROVED,
        approved_at=approval_moment(day),
    )


def test_a_manpower_revision_approved_after_the_proposal_is_not_the_one_printed(
    approved_in_2023, org_a, manpower_plan
):
    revision_approved(manpower_plan, dt.date(2024, 2, 1))
    book = documents.plan_book_context(plan=approved_in_2023)
    assert book["manpower"].plan == manpower_plan


def test_a_manpower_revision_approved_before_the_proposal_is_the_one_printed(
    org_a, manpower_plan, plan, projects, hr_user, clerk_user, executive_user
):
    revised = revision_approved(manpower_plan, dt.date(2023, 9, 10))
    with time_machine.travel(moment(PROPOSED_ON), tick=False):
        approved = approve(plan, hr_user, clerk_user, executive_user)
    assert documents.plan_book_context(plan=approved)["manpower"].plan == revised


# --- The period reports: as recorded by the period's end ----------------------------


@pytest.fixture
def followed_over_time(approved_plan, projects, people):
    """ethics (budget 30,000) in FY 2567: สมชาย attended on 15 มี.ค. 2567 and กมล on
    5 เม.ย. 2567; on 20 มี.ค. the project was in progress with 10,000 spent, on 10 เม.ย.
    done with 35,000 spent (over its budget)."""
    ethics = projects["ethics"]
    attend(people["clerk"], ethics, dt.date(2024, 3, 15))
    attend(people["kamon"], ethics, dt.date(2024, 4, 5))
    with time_machine.travel(moment(dt.date(2024, 3, 20)), tick=False):
        progress = ProjectProgress.objects.create(
            project=ethics, fiscal_year=FY, status="in_progress", actual_spend=Decimal("10000")
        )
    with time_machine.travel(moment(dt.date(2024, 4, 10)), tick=False):
        progress.status, progress.actual_spend = "done", Decimal("35000")
        progress.save()
    return approved_plan


def printed_report(plan, projects, *, first_half: bool):
    """The printed report's figures, and its row for ethics."""
    context = documents.year_report_context(plan=plan, fiscal_year=FY, first_half=first_half)
    ethics = next(r for r in context["summary"].rows if r.project == projects["ethics"])
    return context, ethics


def test_the_6_month_report_ignores_what_was_recorded_after_31_march(followed_over_time, projects):
    context, ethics = printed_report(followed_over_time, projects, first_half=True)
    assert (ethics.attended, ethics.status, ethics.spend) == (1, "in_progress", Decimal("10000"))
    assert context["as_of"] == dt.date(2024, 3, 31)
    assert context["summary"].overspent == []


def test_the_annual_report_takes_what_was_recorded_by_30_september(followed_over_time, projects):
    context, ethics = printed_report(followed_over_time, projects, first_half=False)
    assert (ethics.attended, ethics.status, ethics.spend) == (2, "done", Decimal("35000"))
    assert context["as_of"] == dt.date(2024, 9, 30)
    assert context["summary"].overspent == [ethics]
    assert ethics.overspend == Decimal("5000")


def test_a_change_after_the_year_does_not_reach_its_annual_report(followed_over_time, projects):
    progress = ProjectProgress.objects.get(project=projects["ethics"], fiscal_year=FY)
    progress.actual_spend = Decimal("99000")
    progress.save()  # today, two years after FY 2567
    _context, ethics = printed_report(followed_over_time, projects, first_half=False)
    assert ethics.spend == Decimal("35000")


def test_the_printed_reports_say_as_of_when_and_flag_the_overspend(
    hr_client, followed_over_time, caplog
):
    progress = fetch(
        hr_client, reverse("plans:progress_pdf", args=[followed_over_time.pk, FY]), caplog
    )
    assert progress.says("ข้อมูล ณ วันที่ ๓๑ มีนาคม ๒๕๖๗")
    assert not progress.says("เบิกจ่ายเกินงบประมาณ")
    results = fetch(
        hr_client, reverse("plans:results_pdf", args=[followed_over_time.pk, FY]), caplog
    )
    assert results.says("ข้อมูล ณ วันที่ ๓๐ กันยายน ๒๕๖๗")
    print(results.text)
    # ethics is project 3 of the plan (areas in order); its spend is marked.
    assert results.says("๓๐,๐๐๐ ๓๕,๐๐๐*")
    assert results.says("เบิกจ่ายเกินงบประมาณที่ตั้งไว้ ๑ โครงการ ได้แก่ โครงการที่ ๓ เกิน ๕,๐๐๐.๐๐ บาท")


def test_the_report_page_flags_the_overspend_and_says_what_the_print_counts(
    hr_client, followed_over_time
):
    page = hr_client.get(reverse("plans:results", args=[followed_over_time.pk, FY]))
    text = page.content.decode()
    assert "เบิกจ่ายเกินงบประมาณที่ตั้งไว้ 1 โครงการ" in text
    assert "เกิน 5,000.00 บาท" in text
    assert "บันทึกไว้ภายในวันที่ 30 กันยายน 2567" in text
