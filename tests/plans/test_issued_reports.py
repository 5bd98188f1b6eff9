"""Issued period reports (plans/issued.py, issue 14): once the first half of a fiscal
year or the whole year is over, HR issues the 6-month progress or annual results report
of an approved plan as the official record of its period — rendered once, as recorded
by the period's end, in Thai digits — and every issue downloads byte for byte ever
after, under /plans/ and on the transparency page."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import workflow
from plans.issued import IssueError, year_report_issue
from plans.models import IssuedReport, ProjectProgress
from portal.models import RenderedDocument
from tests.pdf_utils import Document
from tests.plans.test_as_of import FY, followed_over_time, moment  # noqa: F401 (fixture)
from tests.plans.test_follow import attend


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page_url(plan, *, first_half: bool = True) -> str:
    return reverse("plans:progress" if first_half else "plans:results", args=[plan.pk, FY])


def issue_url(plan, *, first_half: bool = True) -> str:
    name = "plans:progress_issue" if first_half else "plans:results_issue"
    return reverse(name, args=[plan.pk, FY])


def pdf_url(plan, *, first_half: bool = True) -> str:
    return reverse("plans:progress_pdf" if first_half else "plans:results_pdf", args=[plan.pk, FY])


def issued_url(plan, number: int, *, first_half: bool = True) -> str:
    name = "plans:progress_issued_pdf" if first_half else "plans:results_issued_pdf"
    return reverse(name, args=[plan.pk, FY, number])


def public_url(plan, name: str, *args) -> str:
    return reverse(f"plans_public:{name}", args=[plan.organization.slug, plan.pk, FY, *args])


def post_issue(client, plan, capture, *, first_half: bool = True, **data):
    """HR's POST, its document rendered once the issue commits (as the worker would)."""
    with capture(execute=True):
        return client.post(issue_url(plan, first_half=first_half), {"confirm": "on", **data})


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf", url
    return response.content


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_hr_issues_the_progress_report_as_recorded_by_31_march_in_thai_digits(
    hr_client,
    hr_user,
    followed_over_time,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    plan = followed_over_time
    response = post_issue(hr_client, plan, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == page_url(plan)

    issued = IssuedReport.objects.select_related("document").get(plan=plan)
    assert (issued.fiscal_year, issued.period, issued.number) == (FY, "progress", 1)
    assert issued.issued_by == hr_user
    assert issued.reason == ""
    document = issued.document
    assert document.status == RenderedDocument.Status.READY
    assert document.key == f"issued:{plan.pk}:{FY}:progress:1"
    assert document.digits == "thai"

    content = download(hr_client, pdf_url(plan))
    assert sha(content) == document.sha256
    assert len(content) == document.size
    printed = Document(content)
    assert printed.says("ข้อมูล ณ วันที่ ๓๑ มีนาคม ๒๕๖๗")
    assert printed.says("ฉบับที่ ๑ ออกเมื่อวันที่")
    # As recorded by 31 มี.ค.: ethics was in progress with 10,000 spent, one attendee.
    assert printed.says("๑๐,๐๐๐")
    assert not printed.says("๓๕,๐๐๐")
    assert not printed.marked_draft
    # Asking for Arabic digits still sends the issued file.
    assert download(hr_client, f"{pdf_url(plan)}?digits=arabic") == content


def test_later_changes_to_attendance_spend_and_progress_do_not_change_the_issued_bytes(
    hr_client,
    followed_over_time,  # noqa: F811
    projects,
    people,
    django_capture_on_commit_callbacks,
):
    plan = followed_over_time
    post_issue(hr_client, plan, django_capture_on_commit_callbacks, first_half=False)
    before = download(hr_client, pdf_url(plan, first_half=False))

    ethics = projects["ethics"]
    attend(people["piya"], ethics, dt.date(2024, 5, 1))
    progress = ProjectProgress.objects.get(project=ethics, fiscal_year=FY)
    progress.actual_spend, progress.result = Decimal("99000"), "ผลที่เขียนใหม่ภายหลัง"
    progress.save()
    ethics.name = "โครงการที่เปลี่ยนชื่อหลังออกรายงาน"
    ethics.save()
    plan.organization.name_th = "องค์การบริหารส่วนตำบลชื่อใหม่"
    plan.organization.save()

    # The live report would say otherwise now: the issued one does not.
    assert download(hr_client, pdf_url(plan, first_half=False)) == before
    assert download(hr_client, issued_url(plan, 1, first_half=False)) == before
    assert RenderedDocument.objects.filter(issued_as__plan=plan).count() == 1


def test_a_reissue_needs_a_reason_and_makes_number_2_while_number_1_still_downloads(
    hr_client,
    followed_over_time,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    plan = followed_over_time
    post_issue(hr_client, plan, django_capture_on_commit_callbacks)
    first = download(hr_client, pdf_url(plan))

    refused = post_issue(hr_client, plan, django_capture_on_commit_callbacks)
    assert refused.status_code == 302
    assert IssuedReport.objects.filter(plan=plan).count() == 1
    page = hr_client.get(page_url(plan)).content.decode()
    assert "ระบุเหตุผลที่ออกรายงานใหม่" in page

    post_issue(
        hr_client, plan, django_capture_on_commit_callbacks, reason="แก้ไขผลการดำเนินงานที่บันทึกผิด"
    )
    second = IssuedReport.objects.select_related("document").get(plan=plan, number=2)
    assert second.reason == "แก้ไขผลการดำเนินงานที่บันทึกผิด"
    latest = download(hr_client, pdf_url(plan))
    assert sha(latest) == second.document.sha256
    assert Document(latest).says("ฉบับที่ ๒")
    assert latest != first
    # Number 1 is still there, the same file.
    again = download(hr_client, issued_url(plan, 1))
    assert again == first
    assert sha(again) == IssuedReport.objects.get(plan=plan, number=1).document.sha256
    assert hr_client.get(issued_url(plan, 3)).status_code == 404


def test_the_report_page_lists_the_issues_with_their_checksums_and_links(
    hr_client,
    hr_user,
    followed_over_time,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    plan = followed_over_time
    post_issue(hr_client, plan, django_capture_on_commit_callbacks)
    post_issue(hr_client, plan, django_capture_on_commit_callbacks, reason="ข้อมูลเพิ่มเติม")
    page = hr_client.get(page_url(plan)).content.decode()
    for issued in IssuedReport.objects.filter(plan=plan).select_related("document"):
        digest = issued.document.sha256
        assert f'title="{digest}">{digest[:12]}</code>' in page
        assert f'data-copy="sha-{digest}"' in page
        assert f'href="{issued_url(plan, issued.number)}"' in page
    assert "ข้อมูลเพิ่มเติม" in page
    assert hr_user.get_full_name() in page
    assert "ออกรายงานนี้อีกครั้ง" in page
    assert 'name="reason"' in page
    # The issued report is in Thai digits only: no Arabic-digit link.
    assert "?digits=arabic" not in page


def test_before_the_period_ends_there_is_no_button_and_the_page_says_when(
    hr_client, hr_user, approved_plan, django_capture_on_commit_callbacks
):
    with time_machine.travel(moment(dt.date(2024, 3, 20)), tick=False):
        page = hr_client.get(page_url(approved_plan)).content.decode()
        assert issue_url(approved_plan) not in page
        assert "สิ้นสุดวันที่ 31 มีนาคม 2567 ออกรายงานได้ตั้งแต่วันถัดไป" in page
        response = post_issue(hr_client, approved_plan, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        with pytest.raises(IssueError):
            year_report_issue(
                plan=approved_plan, fiscal_year=FY, first_half=True, user=hr_user, reason=""
            )
    with time_machine.travel(moment(dt.date(2024, 4, 1)), tick=False):
        assert issue_url(approved_plan) in hr_client.get(page_url(approved_plan)).content.decode()
        assert issue_url(approved_plan, first_half=False) not in (
            hr_client.get(page_url(approved_plan, first_half=False)).content.decode()
        )
    assert not IssuedReport.objects.exists()


def test_a_plan_not_approved_cannot_have_its_reports_issued(hr_client, hr_user, plan, projects):
    with pytest.raises(IssueError):
        year_report_issue(plan=plan, fiscal_year=FY, first_half=True, user=hr_user)
    page = hr_client.get(page_url(plan)).content.decode()
    assert issue_url(plan) not in page
    assert "อนุมัติหรือเผยแพร่แล้ว" in page
    assert hr_client.post(issue_url(plan), {"confirm": "on"}).status_code == 302
    assert not IssuedReport.objects.exists()


def test_the_confirmation_must_be_ticked(hr_client, approved_plan):
    hr_client.post(issue_url(approved_plan), {})
    assert not IssuedReport.objects.exists()


def test_executives_see_the_issues_but_cannot_issue_staff_and_other_organisations_cannot_reach(
    hr_client,
    executive_client,
    clerk_client,
    staff_client,
    outsider_client,
    approved_plan,
    django_capture_on_commit_callbacks,
):
    post_issue(hr_client, approved_plan, django_capture_on_commit_callbacks)
    digest = IssuedReport.objects.get(plan=approved_plan).document.sha256
    for client in (executive_client, clerk_client):
        page = client.get(page_url(approved_plan)).content.decode()
        assert digest[:12] in page
        assert issue_url(approved_plan) not in page
        assert client.post(issue_url(approved_plan), {"confirm": "on"}).status_code == 403
        assert download(client, issued_url(approved_plan, 1))
    assert staff_client.get(page_url(approved_plan)).status_code == 403
    assert staff_client.post(issue_url(approved_plan), {"confirm": "on"}).status_code == 403
    assert staff_client.get(issued_url(approved_plan, 1)).status_code == 403
    assert outsider_client.post(issue_url(approved_plan), {"confirm": "on"}).status_code == 404
    assert outsider_client.get(issued_url(approved_plan, 1)).status_code == 404
    assert IssuedReport.objects.count() == 1


def test_the_public_page_lists_the_issues_and_serves_them_and_no_live_report(
    client, hr_client, hr_user, approved_plan, django_capture_on_commit_callbacks
):
    workflow.plan_publish(plan=approved_plan, user=hr_user)
    transparency = reverse("portal:public", args=[approved_plan.organization.slug])
    page = client.get(transparency).content.decode()
    assert public_url(approved_plan, "progress_pdf") not in page
    assert "ยังไม่ได้ออกรายงาน" in page
    assert client.get(public_url(approved_plan, "progress_pdf")).status_code == 404

    post_issue(hr_client, approved_plan, django_capture_on_commit_callbacks)
    post_issue(hr_client, approved_plan, django_capture_on_commit_callbacks, reason="ฉบับแก้ไข")
    issues = {
        i.number: i.document.sha256
        for i in IssuedReport.objects.filter(plan=approved_plan).select_related("document")
    }
    page = client.get(transparency).content.decode()
    assert f'href="{public_url(approved_plan, "progress_pdf")}"' in page
    for number, digest in issues.items():
        assert f'href="{public_url(approved_plan, "progress_issued_pdf", number)}"' in page
        assert f'title="{digest}">{digest[:12]}</code>' in page
        served = download(client, public_url(approved_plan, "progress_issued_pdf", number))
        assert sha(served) == digest
    assert sha(download(client, public_url(approved_plan, "progress_pdf"))) == issues[2]
    # The annual results report of the same year is listed, not issued yet.
    assert public_url(approved_plan, "results_pdf") not in page
    assert client.get(public_url(approved_plan, "results_issued_pdf", 1)).status_code == 404


def test_an_unpublished_plans_issues_are_not_public(
    client, hr_client, approved_plan, django_capture_on_commit_callbacks
):
    post_issue(hr_client, approved_plan, django_capture_on_commit_callbacks)
    assert client.get(public_url(approved_plan, "progress_issued_pdf", 1)).status_code == 404
    assert client.get(public_url(approved_plan, "progress_pdf")).status_code == 404


def test_the_report_page_costs_the_same_queries_for_one_or_four_issues(
    hr_client, hr_user, approved_plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        year_report_issue(plan=approved_plan, fiscal_year=FY, first_half=True, user=hr_user)
    with CaptureQueriesContext(connection) as one:
        assert hr_client.get(page_url(approved_plan)).status_code == 200
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            year_report_issue(
                plan=approved_plan, fiscal_year=FY, first_half=True, user=hr_user, reason=f"#{n}"
            )
    with CaptureQueriesContext(connection) as four:
        page = hr_client.get(page_url(approved_plan)).content.decode()
    assert page.count("/progress/issued/") == 4
    assert len(four) == len(one)


def test_the_database_keeps_one_row_per_number_and_a_reason_for_every_reissue(
    hr_user, approved_plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = year_report_issue(
            plan=approved_plan, fiscal_year=FY, first_half=False, user=hr_user
        )
    document = RenderedDocument.objects.create(
        key="issued:test", kind="plans.year_report", organization=approved_plan.organization
    )
    fields = {
        "plan": approved_plan,
        "fiscal_year": FY,
        "period": "results",
        "document": document,
        "issued_by": hr_user,
        "issued_at": first.issued_at,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedReport.objects.create(number=1, reason="ซ้ำ", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedReport.objects.create(number=2, reason="", **fields)
    assert IssuedReport.objects.create(number=2, reason="ฉบับแก้ไข", **fields).number == 2


def test_the_daily_clean_up_never_removes_an_issued_report(
    hr_client,
    hr_user,
    followed_over_time,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django.utils import timezone

    from portal.documents_cleanup import documents_prune

    plan = followed_over_time
    with django_capture_on_commit_callbacks(execute=True):
        issued = year_report_issue(plan=plan, fiscal_year=FY, first_half=True, user=hr_user)
    before = download(hr_client, pdf_url(plan))
    RenderedDocument.objects.update(created_at=timezone.now() - dt.timedelta(days=400))

    documents_prune(made_before=timezone.now() - dt.timedelta(days=2))

    issued.document.refresh_from_db()
    assert issued.document.status == RenderedDocument.Status.READY
    assert download(hr_client, issued_url(plan, 1)) == before
