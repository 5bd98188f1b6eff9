"""The home page lists what is waiting for the user, from every app."""

import datetime as dt

from django.utils import timezone

from plans.models import DevelopmentPlan
from skills.models import AssessmentRound, Framework
from staff.models import StaffMember, Unit
from tests.staff.conftest import make_staff


def _open_round(organization):
    today = timezone.localdate()
    return AssessmentRound.objects.create(
        organization=organization,
        framework=Framework.objects.get(code="ocsc-2561"),
        fiscal_year=2570,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=10),
    )


def test_staff_member_is_asked_to_fill_in_an_open_round(staff_client, staff_user, org_a):
    unit = Unit.objects.create(organization=org_a, name="สำนักปลัด")
    person = make_staff(org_a, unit, "กมล")
    StaffMember.objects.filter(pk=person.pk).update(user=staff_user)
    open_round = _open_round(org_a)
    body = staff_client.get("/").content.decode()
    assert f"/skills/rounds/{open_round.pk}/assess/" in body


def test_hr_sees_how_far_an_open_round_has_come(hr_client, org_a):
    open_round = _open_round(org_a)
    body = hr_client.get("/").content.decode()
    assert f"/skills/rounds/{open_round.pk}/" in body


def test_executive_is_asked_to_approve_a_proposed_plan(executive_client, org_a, hr_user):
    plan = DevelopmentPlan.objects.create(
        organization=org_a, first_fy=2570, title="แผนทดสอบ", status="proposed"
    )
    body = executive_client.get("/").content.decode()
    assert f"/plans/{plan.pk}/" in body


def test_nothing_of_another_organisation_shows(outsider_client, org_a):
    open_round = _open_round(org_a)
    plan = DevelopmentPlan.objects.create(
        organization=org_a, first_fy=2570, title="x", status="proposed"
    )
    body = outsider_client.get("/").content.decode()
    assert f"/skills/rounds/{open_round.pk}/" not in body
    assert f"/plans/{plan.pk}/" not in body
