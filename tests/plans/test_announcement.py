"""The plan book's announcement in official form, its sign-off page, and what a revision
says of itself and of the plan it amends (issue 14, points 3 and 4)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from plans import documents, services
from plans.texts import default_texts
from portal.pdf import render_pdf
from portal.thai import date_long, thai_digits
from tests.pdf_utils import flat, pdf_text
from tests.plans.conftest import approve, form_data

PERIOD = "พ.ศ. ๒๕๖๗ – ๒๕๖๙"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


# Documents rendered here are cached apart from the other tests' (tests/plans/conftest.py).


def _pages(plan, tmp_path) -> list[str]:
    content = render_pdf("plans/pdf/plan_book.html", documents.plan_book_context(plan=plan))
    return pdf_text(content.content, tmp_path).split("\f")


def _page_with(pages: list[str], *phrases: str) -> str:
    return next(page for page in pages if all(flat(p) in flat(page) for p in phrases))


def _thai_date(day) -> str:
    return date_long(day)


def _approved_revision(plan, hr_user, clerk_user, executive_user):
    revision = services.plan_revise(plan=plan)
    return approve(revision, hr_user, clerk_user, executive_user)


def test_the_announcement_has_the_subject_period_on_one_line_the_legal_basis_and_the_date(
    approved_plan, tmp_path
):
    pages = _pages(approved_plan, tmp_path)
    announcement = _page_with(pages, "ประกาศองค์การบริหารส่วนตำบล", "เรื่อง ประกาศใช้")

    assert any(PERIOD in line for line in announcement.splitlines())
    assert flat(thai_digits(approved_plan.legal_basis)) in flat(announcement)
    assert flat(f"ประกาศ ณ วันที่ {_thai_date(approved_plan.approved_date)}") in flat(announcement)
    assert flat("(ประเสริฐ มั่นคง)") in flat(announcement)
    assert "ฉบับแก้ไขเพิ่มเติม" not in announcement
    # The sign-off lines are on a page of their own, not under the announcement.
    assert "ผู้จัดทำ" not in announcement


def test_the_sign_off_page_names_each_step_of_the_chain_with_title_and_date(
    approved_plan, org_a, tmp_path
):
    pages = _pages(approved_plan, tmp_path)
    signoff = _page_with(pages, "ผู้จัดทำ", "ผู้ตรวจสอบ", "ผู้อนุมัติ")
    lines = documents.plan_signatories(approved_plan)

    for step, when in (
        ("prepared", approved_plan.submitted_at),
        ("reviewed", approved_plan.proposed_at),
        ("approved", approved_plan.approved_at),
    ):
        assert lines[step].name
        assert flat(f"({lines[step].name})") in flat(signoff)
        assert flat(f"ตำแหน่ง {lines[step].title}") in flat(signoff)
        assert lines[step].date == timezone.localdate(when)
        assert flat(f"วันที่ {_thai_date(lines[step].date)}") in flat(signoff)
    assert flat(f"ตำแหน่ง {org_a.mayor_title}") in flat(signoff)
    assert "ประกาศ ณ วันที่" not in signoff


def test_a_mayor_title_left_empty_is_named_after_the_organisation(approved_plan, org_a):
    org_a.mayor_title = ""
    org_a.save()
    approved_plan.refresh_from_db()

    approver = documents.plan_signatories(approved_plan)["approved"]

    assert approver.title == f"นายก{org_a.name_th}"
    assert approver.date == approved_plan.approved_date


def test_a_revision_says_which_amendment_it_is_and_what_it_amends(
    approved_plan, hr_user, clerk_user, executive_user, tmp_path
):
    revision = _approved_revision(approved_plan, hr_user, clerk_user, executive_user)

    pages = _pages(revision, tmp_path)
    announcement = _page_with(pages, "ประกาศองค์การบริหารส่วนตำบล", "เรื่อง ประกาศใช้")

    assert flat("ฉบับแก้ไขเพิ่มเติม ครั้งที่ ๑") in flat(pages[0])
    assert flat(f"{PERIOD} ฉบับแก้ไขเพิ่มเติม ครั้งที่ ๑") in flat(announcement)
    said = flat(announcement)
    assert flat(f"ได้ประกาศใช้{thai_digits(approved_plan.title)}") in said
    assert flat(f"เมื่อวันที่ {_thai_date(approved_plan.approved_date)}") in said


def test_the_announcement_shows_the_uploaded_garuda_else_the_emblem(approved_plan, org_a):
    context = documents.plan_book_context(plan=approved_plan)
    assert context["announcement_header"] == context["emblem"]

    org_a.announcement_header = SimpleUploadedFile("garuda.png", PNG, content_type="image/png")
    org_a.save()
    approved_plan.refresh_from_db()
    context = {**documents.plan_book_context(plan=approved_plan), "digits": "thai"}
    html = render_to_string("plans/pdf/plan_book.html", context)

    assert '<img class="garuda" src="data:image/png;base64,' in html


def test_a_new_plan_starts_with_the_default_legal_basis_which_hr_can_edit(plan, hr_client):
    assert (
        plan.legal_basis
        == default_texts(organization_name=plan.organization.name_th, first_fy=plan.first_fy)[
            "legal_basis"
        ]
    )
    assert documents.narrative_parts(plan)[-1].is_default
    edit = reverse("plans:edit", args=[plan.pk])
    data = form_data(hr_client.get(edit).content, edit)
    data["legal_basis"] = ["อาศัยอำนาจตามประกาศคณะกรรมการพนักงานส่วนตำบลจังหวัดทดสอบ"]

    response = hr_client.post(edit, data)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.legal_basis == "อาศัยอำนาจตามประกาศคณะกรรมการพนักงานส่วนตำบลจังหวัดทดสอบ"
    assert not documents.narrative_parts(plan)[-1].is_default


def test_a_draft_revision_leaves_the_plan_in_force_shown_as_in_force(
    approved_plan, hr_user, clerk_user, executive_user, hr_client, org_a
):
    draft = services.plan_revise(plan=approved_plan)

    listing = hr_client.get(reverse("plans:list"))
    page = hr_client.get(reverse("plans:detail", args=[approved_plan.pk]))

    shown = {p.pk: p.replaced for p in listing.context["periods"][0]["plans"]}
    assert shown == {draft.pk: False, approved_plan.pk: False}
    assert page.context["replaced_by"] is None
    assert services.current_plan(org_a).pk == approved_plan.pk

    approve(draft, hr_user, clerk_user, executive_user)
    listing = hr_client.get(reverse("plans:list"))
    page = hr_client.get(reverse("plans:detail", args=[approved_plan.pk]))

    shown = {p.pk: p.replaced for p in listing.context["periods"][0]["plans"]}
    assert shown == {draft.pk: False, approved_plan.pk: True}
    assert page.context["replaced_by"].pk == draft.pk
