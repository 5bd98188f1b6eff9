"""The first-day checklist on the home page: a new organisation starts with nothing
ticked, each step ticks by itself when its work is done, the demo has them all, and the
checklist costs the same few queries whatever the organisation holds."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.dashboard import setup_steps
from portal.models import Organization, Role
from skills.models import Framework
from staff.dashboard import accounts_url
from staff.models import ManpowerPlan, Position, Unit
from tests.conftest import make_user
from tests.plans.test_transparency import make_plan
from tests.skills.conftest import frameworks_ensure, round_make
from tests.staff.conftest import make_staff

ORDER = ["profile", "units", "positions", "staff", "accounts", "manpower", "round", "plan"]


def ticked(organization: Organization) -> list[str]:
    organization.refresh_from_db()
    steps = setup_steps(organization)
    assert [step.order for step in steps] == sorted(step.order for step in steps)
    assert len(steps) == len(ORDER)
    return [name for name, step in zip(ORDER, steps, strict=True) if step.done]


def _unit(org: Organization) -> Unit:
    return Unit.objects.get_or_create(organization=org, name="สำนักปลัด")[0]


def _profile(org: Organization) -> None:
    Organization.objects.filter(pk=org.pk).update(
        mayor_name="นายก", mayor_title="นายก อบต.", clerk_name="ปลัด", clerk_title="ปลัด อบต."
    )


def _position(org: Organization) -> None:
    Position.objects.create(
        organization=org,
        number="1",
        title="นักจัดการงานทั่วไป",
        personnel_type="local_official",
        unit=_unit(org),
    )


def _manpower(org: Organization) -> None:
    ManpowerPlan.objects.create(
        organization=org, first_fy=2567, status="approved", approved_at=timezone.now()
    )


def _round(org: Organization) -> None:
    frameworks_ensure()
    framework = Framework.objects.get(code="ocsc-2561")
    round_make(org, framework, opens_in_days=-30, closes_in_days=-1)


def _plan(org: Organization) -> None:
    make_plan(org, 2567, "approved", make_user("nayok", org, Role.EXECUTIVE))


#: What each step's work is, and which steps it ticks (a person with a login is
#: both a staff record and an account).
WORK = {
    "profile": (_profile, ["profile"]),
    "units": (_unit, ["units"]),
    "positions": (_position, ["units", "positions"]),
    "staff": (lambda org: make_staff(org, _unit(org), "สมศรี"), ["units", "staff"]),
    "accounts": (
        lambda org: make_staff(org, _unit(org), "สมชาย", user=make_user("somchai", org, "staff")),
        ["units", "staff", "accounts"],
    ),
    "manpower": (_manpower, ["manpower"]),
    "round": (_round, ["round"]),
    "plan": (_plan, ["plan"]),
}


def everything_done(org: Organization) -> None:
    """Every step's work (the person added has a login, so the accounts are done too)."""
    for name, (work, _ticks) in WORK.items():
        if name != "staff":
            work(org)


def test_a_new_organization_has_nothing_ticked(org_b):
    assert ticked(org_b) == []


@pytest.mark.parametrize("step", ORDER)
def test_each_step_ticks_when_its_work_is_done(org_b, step):
    work, ticks = WORK[step]
    work(org_b)
    assert ticked(org_b) == ticks


def test_accounts_are_not_done_while_someone_working_here_has_no_login(org_b):
    unit = _unit(org_b)
    make_staff(org_b, unit, "มีบัญชี", user=make_user("has-login", org_b, "staff"))
    nobody = make_staff(org_b, unit, "ยังไม่มี")
    assert "accounts" not in ticked(org_b)
    nobody.mark_left(on=timezone.localdate(), reason="ลาออก")
    assert "accounts" in ticked(org_b)


def test_drafts_and_rounds_not_yet_open_tick_nothing(org_b, executive_user):
    ManpowerPlan.objects.create(organization=org_b, first_fy=2567)
    make_plan(org_b, 2567, "draft", executive_user)
    frameworks_ensure()
    round_make(org_b, Framework.objects.get(code="ocsc-2561"), opens_in_days=3, closes_in_days=30)
    assert ticked(org_b) == []


def test_the_steps_of_another_organization_do_not_count(org_a, org_b):
    everything_done(org_a)
    assert ticked(org_a) == ORDER
    assert ticked(org_b) == []


def test_the_checklist_costs_the_same_queries_empty_or_full(org_a, org_b):
    with CaptureQueriesContext(connection) as empty:
        setup_steps(org_b)
    everything_done(org_a)
    for number in range(30):
        make_staff(org_a, _unit(org_a), f"คนที่ {number}")
    with CaptureQueriesContext(connection) as full:
        setup_steps(org_a)
    assert len(empty) == len(full) <= 3


def test_the_demo_organization_has_every_step_ticked(db):
    call_command("seed_demo")
    assert ticked(Organization.objects.get(slug="plaipongpang")) == ORDER


class TestOnTheHomePage:
    def test_hr_sees_the_steps_in_order_with_the_next_one_to_do(self, hr_client, org_a):
        page = hr_client.get("/").content.decode()
        assert 'class="card setup"' in page
        checklist = page[page.index('class="setup-steps"') : page.index("</ol>")]
        links = ["/settings/", "/staff/units/", "/staff/positions/", "/staff/import/"]
        links += [accounts_url(), "/staff/manpower/", "/skills/rounds/", "/plans/"]
        found = [checklist.index(f'<a href="{link}">') for link in links]
        assert found == sorted(found)
        # org A's profile is filled in: the units come next.
        assert 'class="button small" href="/staff/units/"' in checklist

    def test_executives_read_it_without_links(self, executive_client):
        page = executive_client.get("/").content.decode()
        assert 'class="setup-steps"' in page
        assert 'class="button small" href="/staff/units/"' not in page
        assert '<a href="/staff/units/">' not in page

    def test_staff_do_not_see_it(self, staff_client):
        assert 'class="setup-steps"' not in staff_client.get("/").content.decode()

    def test_when_everything_is_done_it_folds_into_one_line(self, hr_client, org_a):
        everything_done(org_a)
        page = hr_client.get("/").content.decode()
        assert 'class="card setup"' not in page
        assert '<details class="card setup complete">' in page
        assert "Do this next" not in page and "ทำขั้นนี้ต่อ" not in page
