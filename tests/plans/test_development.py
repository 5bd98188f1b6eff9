"""A person's skill result names the projects of the plan in force that close a gap."""

import datetime as dt

import pytest

from plans import services
from plans.development import projects_for
from skills.development import development_for
from skills.models import Domain
from tests.plans.conftest import approve, make_project


@pytest.fixture
def governance():
    return Domain.objects.get(framework__code="ocsc-2561", code="DG")


@pytest.fixture
def literacy():
    return Domain.objects.get(framework__code="ocsc-2561", code="DL")


def test_no_plan_in_force_means_the_recommended_methods(people, plan, governance):
    make_project(plan, "อบรม PDPA", domains=[governance], people=[people["kamon"]])
    options = development_for(people["kamon"], [governance])[governance.pk]
    assert [o.kind for o in options] == ["recommended"]


def test_projects_of_the_approved_plan_developing_the_domain_are_named(
    people, plan, governance, literacy, hr_user, clerk_user, executive_user
):
    make_project(plan, "อบรม PDPA สำหรับทุกคน", domains=[governance], units=[])
    make_project(plan, "อบรม PDPA งานการเจ้าหน้าที่", domains=[governance], people=[people["kamon"]])
    make_project(plan, "คอมพิวเตอร์เบื้องต้น", domains=[literacy], people=[people["kamon"]])
    approve(plan, hr_user, clerk_user, executive_user)

    found = projects_for(people["kamon"], [governance])

    assert [o.title for o in found[governance.pk]] == [
        "อบรม PDPA งานการเจ้าหน้าที่",  # kamon is in its target group: listed first
        "อบรม PDPA สำหรับทุกคน",
    ]
    assert (
        "กลุ่มเป้าหมาย" in found[governance.pk][0].detail
        or "target group" in found[governance.pk][0].detail
    )
    assert literacy.pk not in found


def test_the_plan_in_force_covers_the_current_fiscal_year(org_a, approved_plan):
    # approved_plan runs FY 2567–2569; FY 2568 starts on 1 Oct 2024.
    assert services.current_plan(org_a, today=dt.date(2024, 10, 1)) == approved_plan
    # Outside every plan's years the newest approved plan stands in.
    assert services.current_plan(org_a, today=dt.date(2020, 1, 1)) == approved_plan


def test_a_draft_plan_is_not_in_force(org_a, plan):
    assert services.current_plan(org_a) is None
