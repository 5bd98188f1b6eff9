"""The public transparency page (/t/<slug>/) lists the plans an organisation has
published and their reports, labelled with ITA items, and anyone may open them as PDF
without logging in — a report once HR has issued it (plans/issued.py), never a live
one; nothing unpublished or of another organisation is reachable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans import workflow
from plans.issued import year_report_issue
from plans.models import DevelopmentPlan
from plans.transparency import ita_item
from tests.html_utils import without_word_marks

#: 15 Nov 2024 falls in FY 2568: of the plan of FY 2567–2569, FY 2567 has ended,
#: FY 2568 is under way and FY 2569 has not started.
TODAY = dt.date(2024, 11, 15)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    real = timezone.localdate
    monkeypatch.setattr(
        "plans.transparency.timezone.localdate",
        lambda value=None, timezone=None: TODAY if value is None else real(value, timezone),
    )


@pytest.fixture
def published_plan(approved_plan, hr_user) -> DevelopmentPlan:
    workflow.plan_publish(plan=approved_plan, user=hr_user)
    approved_plan.refresh_from_db()
    return approved_plan


def make_plan(organization, first_fy: int, status: str, user, **fields) -> DevelopmentPlan:
    """A plan row in ``status`` with the stamps its status needs."""
    now = timezone.now()
    locked = status in ("approved", "published")
    return DevelopmentPlan.objects.create(
        organization=organization,
        first_fy=first_fy,
        title=f"แผนพัฒนาบุคลากร {first_fy}–{first_fy + 2} ({status})",
        status=status,
        approved_by=user if locked else None,
        approved_at=now if locked else None,
        published_at=now if status == "published" else None,
        **fields,
    )


def public_url(org) -> str:
    return reverse("portal:public", args=[org.slug])


def pdf_url(name: str, org, plan, *fy: int) -> str:
    return reverse(f"plans_public:{name}", args=[org.slug, plan.pk, *fy])


def test_the_public_page_stays_at_t_slug():
    assert reverse("portal:public", args=["org-a"]) == "/t/org-a/"


def issue_both_reports(plan, fiscal_year: int, *, user, capture) -> None:
    """HR issues the 6-month and annual reports of ``plan`` for ``fiscal_year``
    (plans/issued.py), each rendered as its issue commits."""
    for first_half in (True, False):
        with capture(execute=True):
            year_report_issue(plan=plan, fiscal_year=fiscal_year, first_half=first_half, user=user)


def test_an_anonymous_visitor_sees_a_published_plan_and_its_documents(
    client, org_a, published_plan, hr_user, django_capture_on_commit_callbacks
):
    page = client.get(public_url(org_a)).content.decode()
    assert published_plan.title in page
    assert f'href="/t/org-a/plans/{published_plan.pk}/pdf/"' in page
    for fy in (2567, 2568, 2569):
        assert pdf_url("annual_pdf", org_a, published_plan, fy) in page
    # Reports are listed for the years that have started (progress) and ended
    # (results), as not issued yet: the public never gets a live report.
    assert page.count("ยังไม่ได้ออกรายงาน") == 3
    for name, fy in [("progress_pdf", 2567), ("results_pdf", 2567), ("progress_pdf", 2568)]:
        assert pdf_url(name, org_a, published_plan, fy) not in page
    assert "No documents have been published yet." not in page
    assert "ยังไม่มีเอกสารเผยแพร่" not in page

    # Once HR has issued them, they link to the issued files.
    issue_both_reports(
        published_plan, 2567, user=hr_user, capture=django_capture_on_commit_callbacks
    )
    page = client.get(public_url(org_a)).content.decode()
    assert pdf_url("progress_pdf", org_a, published_plan, 2567) in page
    assert pdf_url("results_pdf", org_a, published_plan, 2567) in page
    assert pdf_url("progress_issued_pdf", org_a, published_plan, 2567, 1) in page
    assert page.count("ยังไม่ได้ออกรายงาน") == 1
    # Nothing is listed for a year not ended (results) or not started (progress).
    assert pdf_url("results_pdf", org_a, published_plan, 2568) not in page
    assert pdf_url("progress_pdf", org_a, published_plan, 2569) not in page


def test_documents_are_labelled_with_the_ita_items_of_their_fiscal_year(
    client, org_a, published_plan
):
    page = client.get(public_url(org_a)).content.decode()
    for code in ("o23", "o24", "o26", "ITA 2566"):
        assert code in page


def test_item_codes_follow_the_ita_year_of_the_document():
    assert ita_item(kind="plan", fiscal_year=2564) == (2564, "O25")
    assert ita_item(kind="progress", fiscal_year=2565) == (2565, "O26")
    assert ita_item(kind="results", fiscal_year=2563) == (2563, "O28")
    assert ita_item(kind="plan", fiscal_year=2566) == (2566, "o23")
    assert ita_item(kind="progress", fiscal_year=2566) == (2566, "o24")
    # Later years keep the latest codes known, and say whose codes they are.
    assert ita_item(kind="results", fiscal_year=2570) == (2566, "o26")
    assert ita_item(kind="plan", fiscal_year=2560) == (None, "")


def test_unpublished_plans_and_other_organisations_plans_are_not_listed(
    client, org_a, org_b, executive_user
):
    hidden = [
        make_plan(org_a, 2561, "draft", executive_user),
        make_plan(org_a, 2562, "proposed", executive_user),
        make_plan(org_a, 2563, "approved", executive_user),
        make_plan(org_b, 2564, "published", executive_user),
    ]
    page = client.get(public_url(org_a)).content.decode()
    for plan in hidden:
        assert plan.title not in page
        assert f"/plans/{plan.pk}/" not in page
    assert "ยังไม่มีเอกสารเผยแพร่" in page


def test_the_other_organisation_lists_its_own_published_plan(client, org_b, executive_user):
    plan = make_plan(org_b, 2564, "published", executive_user)
    page = without_word_marks(client.get(public_url(org_b)).content.decode())
    assert plan.title in page
    assert pdf_url("plan_pdf", org_b, plan) in page


def test_the_page_costs_the_same_queries_for_one_or_five_published_plans(
    client, org_a, executive_user
):
    make_plan(org_a, 2560, "published", executive_user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(public_url(org_a)).status_code == 200
    for first_fy in (2563, 2566, 2569, 2572):
        make_plan(org_a, first_fy, "published", executive_user)
    with CaptureQueriesContext(connection) as five:
        page = client.get(public_url(org_a)).content.decode()
    assert page.count('/pdf/"') >= 5 * 4  # each plan's book and three annual plans
    assert len(five) == len(one)


def test_the_page_costs_the_same_queries_for_one_or_three_plans_with_issued_reports(
    client, org_a, executive_user, hr_user
):
    def published_with_issues(first_fy: int) -> None:
        plan = make_plan(org_a, first_fy, "published", executive_user)
        for first_half in (True, True, False):  # the progress report issued twice
            year_report_issue(
                plan=plan, fiscal_year=first_fy, first_half=first_half, user=hr_user, reason="แก้ไข"
            )

    published_with_issues(2560)
    with CaptureQueriesContext(connection) as one:
        assert client.get(public_url(org_a)).status_code == 200
    published_with_issues(2563)
    published_with_issues(2566)
    with CaptureQueriesContext(connection) as three:
        page = client.get(public_url(org_a)).content.decode()
    assert page.count("/issued/") == 3 * 3
    assert len(three) == len(one)


def test_an_anonymous_visitor_downloads_the_published_plan_book(client, org_a, published_plan):
    response = client.get(pdf_url("plan_pdf", org_a, published_plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_anonymous_visitor_downloads_the_annual_plan_and_the_issued_reports(
    client, org_a, published_plan, hr_user, django_capture_on_commit_callbacks
):
    issue_both_reports(
        published_plan, 2567, user=hr_user, capture=django_capture_on_commit_callbacks
    )
    for url in [
        pdf_url("annual_pdf", org_a, published_plan, 2569),
        pdf_url("progress_pdf", org_a, published_plan, 2567),
        pdf_url("results_pdf", org_a, published_plan, 2567),
        pdf_url("results_issued_pdf", org_a, published_plan, 2567, 1),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("status", ["draft", "proposed", "approved"])
def test_the_pdf_of_an_unpublished_plan_is_404(client, org_a, executive_user, status):
    plan = make_plan(org_a, 2567, status, executive_user)
    for url in [
        pdf_url("plan_pdf", org_a, plan),
        pdf_url("annual_pdf", org_a, plan, 2567),
        pdf_url("progress_pdf", org_a, plan, 2567),
        pdf_url("results_pdf", org_a, plan, 2567),
    ]:
        assert client.get(url).status_code == 404, url


def test_another_organisations_plan_through_this_slug_is_404(client, org_a, org_b, executive_user):
    plan = make_plan(org_b, 2567, "published", executive_user)
    assert client.get(pdf_url("plan_pdf", org_a, plan)).status_code == 404
    assert client.get(pdf_url("annual_pdf", org_a, plan, 2567)).status_code == 404
    assert client.get(pdf_url("plan_pdf", org_b, plan)).status_code != 404


def test_a_fiscal_year_outside_the_plan_is_404(client, org_a, published_plan):
    for name in ("annual_pdf", "progress_pdf", "results_pdf"):
        assert client.get(pdf_url(name, org_a, published_plan, 2566)).status_code == 404
        assert client.get(pdf_url(name, org_a, published_plan, 2570)).status_code == 404


def test_reports_not_issued_are_404_whatever_their_year(client, org_a, published_plan):
    assert client.get(pdf_url("progress_pdf", org_a, published_plan, 2567)).status_code == 404
    assert client.get(pdf_url("results_pdf", org_a, published_plan, 2567)).status_code == 404
    assert client.get(pdf_url("progress_pdf", org_a, published_plan, 2569)).status_code == 404
    assert client.get(pdf_url("results_pdf", org_a, published_plan, 2568)).status_code == 404


def test_public_documents_answer_only_get(client, org_a, published_plan):
    assert client.post(pdf_url("plan_pdf", org_a, published_plan)).status_code == 405
