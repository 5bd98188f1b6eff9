"""Only an approved revision replaces a manpower plan: a draft revision leaves the plan
in force shown as in force, on the list and on its page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from portal.revisions import approval_moment
from staff import services
from staff.models import ManpowerPlan, Unit
from tests.staff.test_manpower import make_row


def _approved(organization) -> ManpowerPlan:
    plan = ManpowerPlan.objects.create(
        organization=organization,
        first_fy=2567,
        status=ManpowerPlan.Status.APPROVED,
        approved_at=approval_moment(dt.date(2023, 9, 1)),
    )
    office = Unit.objects.create(organization=organization, name="สำนักปลัด")
    make_row(plan, office, "นักทรัพยากรบุคคล", (1, 1, 1, 1))
    return plan


def test_a_draft_revision_does_not_mark_the_plan_in_force_as_replaced(hr_client, org_a):
    original = _approved(org_a)
    draft = services.manpower_plan_revise(plan=original)

    page = hr_client.get(reverse("staff:manpower_detail", args=[original.pk])).content.decode()
    listing = hr_client.get(reverse("staff:manpower_list")).content.decode()

    assert "แทนที่แล้ว" not in page and "แทนที่แล้ว" not in listing
    assert "ยังใช้บังคับอยู่จนกว่าฉบับแก้ไขนั้นจะได้รับอนุมัติ" in page
    assert reverse("staff:manpower_detail", args=[draft.pk]) in page


def test_an_approved_revision_replaces_the_plan(hr_client, hr_user, org_a):
    original = _approved(org_a)
    revision = services.manpower_plan_revise(plan=original)
    services.manpower_plan_approve(plan=revision, approved_on=dt.date(2024, 3, 1), user=hr_user)

    page = hr_client.get(reverse("staff:manpower_detail", args=[original.pk])).content.decode()

    assert "แทนที่แล้ว" in page
    assert reverse("staff:manpower_detail", args=[revision.pk]) in page
