"""The approved documents of a plan (plans/frozen.py, issue 14): rendered once when the
นายก approves it and sent byte for byte ever after, from the plan page and the
transparency page alike, whatever changes in the data; a plan not approved yet keeps
rendering live."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.urls import reverse

from plans import workflow
from plans.models import ApprovedDocument, Project
from portal.models import RenderedDocument
from skills.models import TargetLevel
from tests.plans.conftest import FISCAL_YEARS, approve, skill_group


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def plan_urls(plan) -> list[str]:
    return [reverse("plans:plan_pdf", args=[plan.pk])] + [
        reverse("plans:annual_pdf", args=[plan.pk, fy]) for fy in FISCAL_YEARS
    ]


def public_urls(plan) -> list[str]:
    slug = plan.organization.slug
    return [reverse("plans_public:plan_pdf", args=[slug, plan.pk])] + [
        reverse("plans_public:annual_pdf", args=[slug, plan.pk, fy]) for fy in FISCAL_YEARS
    ]


def digests(client, urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf", url
        found.append(hashlib.sha256(response.content).hexdigest())
    return found


def change_everything(plan, projects, people) -> None:
    """A project, a staff member, a target and the organisation's name: each printed
    somewhere in a plan book or an annual plan."""
    project = next(iter(projects.values()))
    project.name = "โครงการที่เปลี่ยนชื่อหลังอนุมัติ"
    project.save()
    year = project.years.first()
    year.budget = Decimal("987654")
    year.save()
    person = people["kamon"]
    person.first_name = "กมลเปลี่ยน"
    person.save()
    group = skill_group("ACAD")
    TargetLevel.objects.create(
        organization=plan.organization, group=group, domain=group.framework.domains.first(), level=4
    )
    plan.organization.name_th = "องค์การบริหารส่วนตำบลชื่อใหม่"
    plan.organization.save()


def test_approval_renders_the_four_documents_once_and_every_download_sends_them_unchanged(
    plan,
    projects,
    people,
    hr_user,
    clerk_user,
    executive_user,
    client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(plan, hr_user, clerk_user, executive_user)
    approved = list(ApprovedDocument.objects.filter(plan=plan).select_related("document"))
    assert len(approved) == 4
    assert {a.fiscal_year for a in approved} == {None, *FISCAL_YEARS}
    assert all(a.document.status == RenderedDocument.Status.READY for a in approved)
    assert all(a.approved_at == plan.approved_at for a in approved)
    assert all(a.document.key.startswith(f"approved:{plan.pk}:") for a in approved)
    workflow.plan_publish(plan=plan, user=hr_user)

    client.force_login(hr_user)
    before = digests(client, plan_urls(plan))
    # What was downloaded is what was stored at the approval, and the public copy too.
    stored = {a.document.sha256 for a in approved}
    assert set(before) == stored
    assert digests(client, public_urls(plan)) == before

    change_everything(plan, projects, people)

    assert digests(client, plan_urls(plan)) == before
    client.logout()
    assert digests(client, public_urls(plan)) == before
    assert RenderedDocument.objects.filter(approved_as__plan=plan).count() == 4


def test_the_approved_documents_are_printed_with_thai_digits_whatever_the_reader_asks(
    approved_plan, hr_user, client
):
    client.force_login(hr_user)
    url = reverse("plans:plan_pdf", args=[approved_plan.pk])
    assert client.get(f"{url}?digits=arabic").content == client.get(url).content
    assert (
        RenderedDocument.objects.get(approved_as__plan=approved_plan, kind="plans.plan_book").digits
        == "thai"
    )


def test_a_plan_approved_before_documents_were_kept_gets_them_on_first_request_then_frozen(
    approved_plan, projects, people, hr_user, client
):
    # As a plan approved before this feature: no approved documents at all.
    documents = RenderedDocument.objects.filter(approved_as__plan=approved_plan)
    keys = list(documents.values_list("pk", flat=True))
    ApprovedDocument.objects.filter(plan=approved_plan).delete()
    RenderedDocument.objects.filter(pk__in=keys).delete()

    client.force_login(hr_user)
    url = reverse("plans:annual_pdf", args=[approved_plan.pk, FISCAL_YEARS[1]])
    first = client.get(url).content
    assert ApprovedDocument.objects.filter(plan=approved_plan).count() == 4
    change_everything(approved_plan, projects, people)
    assert client.get(url).content == first


def test_an_unapproved_plan_keeps_rendering_live_with_its_draft_mark(
    plan, projects, hr_user, client
):
    client.force_login(hr_user)
    url = reverse("plans:plan_pdf", args=[plan.pk])
    first = client.get(url).content
    Project.objects.filter(pk=projects["ethics"].pk).update(name="โครงการที่เปลี่ยนชื่อแล้ว")
    assert client.get(url).content != first
    assert not ApprovedDocument.objects.exists()
    assert not RenderedDocument.objects.filter(key__startswith="approved:").exists()


def test_the_plan_page_and_the_transparency_page_show_the_approval_and_the_checksums(
    approved_plan, hr_user, client
):
    client.force_login(hr_user)
    client.get(reverse("plans:plan_pdf", args=[approved_plan.pk]))  # renders them (inline)
    for fy in FISCAL_YEARS:
        client.get(reverse("plans:annual_pdf", args=[approved_plan.pk, fy]))
    sums = list(
        RenderedDocument.objects.filter(approved_as__plan=approved_plan).values_list(
            "sha256", flat=True
        )
    )
    page = client.get(reverse("plans:detail", args=[approved_plan.pk])).content.decode()
    assert 'id="approved-documents"' in page
    for sha in sums:
        assert f'title="{sha}">{sha[:12]}</code>' in page

    workflow.plan_publish(plan=approved_plan, user=hr_user)
    client.logout()
    public = client.get(reverse("portal:public", args=[approved_plan.organization.slug]))
    text = public.content.decode()
    for sha in sums:
        assert f'title="{sha}">{sha[:12]}</code>' in text
    assert "อนุมัติเมื่อ" in text
