"""Each role's dashboard costs the same number of queries with 10 staff or 500: the
data is built in bulk (staff, a plan whose projects reach everyone, attendance,
spend, a closed round everyone answered and an open round closing soon), then the
home page is requested as HR, the executive and a staff member."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plans import services
from plans.choices import Area
from plans.models import DevelopmentPlan, DevelopmentRecord, ProjectProgress
from portal.models import ChainPosition, Organization, Role
from skills.models import Answer, Assessment, AssessmentRound, Framework, Item
from skills.services import GroupResolver
from skills.services.questionnaire import questionnaire_cache_clear
from staff.choices import PersonnelType
from staff.models import StaffMember, Unit
from staff.validators import citizen_id_with_check_digit
from tests.conftest import make_user

FY = 2567
TYPES = [PersonnelType.LOCAL_OFFICIAL, PersonnelType.MISSION_EMPLOYEE, PersonnelType.TEACHER]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(timezone.make_aware(dt.datetime(2024, 5, 15, 10)), tick=False):
        yield


def organisation(size: int) -> dict[str, Client]:
    """An organisation of ``size`` staff with everything a dashboard reads, and a
    logged-in client for each role."""
    org = Organization.objects.create(
        slug=f"org-{size}",
        name_th=f"อบต.{size}",
        short_name=f"อบต.{size}",
        district="อัมพวา",
        province="สมุทรสงคราม",
    )
    units = [Unit.objects.create(organization=org, name=f"กอง {n}", order=n) for n in range(3)]
    StaffMember.objects.bulk_create(
        StaffMember(
            organization=org,
            citizen_id=citizen_id_with_check_digit(f"1{size:04d}{n:07d}"),
            first_name=f"คน{n}",
            last_name="ทดสอบ",
            personnel_type=TYPES[n % len(TYPES)],
            position_title="นักจัดการงานทั่วไป",
            unit=units[n % len(units)],
        )
        for n in range(size)
    )
    people = list(StaffMember.objects.filter(organization=org).order_by("pk"))
    hr = make_user(f"hr{size}", org, Role.HR)
    mayor = make_user(f"mayor{size}", org, Role.EXECUTIVE, position=ChainPosition.MAYOR)
    staff = make_user(f"staff{size}", org, Role.STAFF)
    StaffMember.objects.filter(pk=people[0].pk).update(user=staff)

    plan = services.plan_create(organization=org, first_fy=FY, title="แผน", manpower_plan=None)
    projects = [
        services.project_save(
            plan=plan,
            project=None,
            fields={
                "name": f"โครงการ {n}",
                "area": list(Area.values)[n % 5],
                "methods": ["training"],
                "target_personnel_types": [TYPES[n % len(TYPES)]],
            },
            relations={"target_units": [], "target_groups": [], "target_people": [], "domains": []},
            years={FY: {"planned": True, "budget": Decimal(10000), "quarters": [1 + n % 4]}},
        )
        for n in range(6)
    ]
    DevelopmentPlan.objects.filter(pk=plan.pk).update(
        status=DevelopmentPlan.Status.APPROVED, approved_by=mayor, approved_at=timezone.now()
    )
    day = dt.date(2023, 11, 1)
    DevelopmentRecord.objects.bulk_create(
        DevelopmentRecord(
            staff_member=person,
            project=projects[0],
            source=DevelopmentRecord.Source.PROJECT,
            fiscal_year=FY,
            started_on=day,
            ended_on=day,
            hours=Decimal(6),
        )
        for person in people[::2]
    )
    DevelopmentRecord.objects.bulk_create(
        DevelopmentRecord(
            staff_member=person,
            source=DevelopmentRecord.Source.EXTERNAL,
            course_name="Excel",
            fiscal_year=FY,
            started_on=day,
            ended_on=day,
            hours=Decimal(3),
        )
        for person in people[::3]
    )
    ProjectProgress.objects.bulk_create(
        ProjectProgress(project=p, fiscal_year=FY, actual_spend=Decimal(5000)) for p in projects
    )
    framework = Framework.objects.get(code="ocsc-2561")
    items = list(Item.objects.filter(domain__framework=framework))
    resolver = GroupResolver.load(organization=org, framework=framework)
    closed = AssessmentRound.objects.create(
        organization=org,
        framework=framework,
        fiscal_year=FY,
        opens_on=dt.date(2024, 1, 10),
        closes_on=dt.date(2024, 2, 10),
    )
    opened = AssessmentRound.objects.create(
        organization=org,
        framework=framework,
        fiscal_year=FY,
        opens_on=dt.date(2024, 5, 1),
        closes_on=dt.date(2024, 5, 25),
    )
    for the_round, answering in ((closed, people), (opened, people[1::2])):
        Assessment.objects.bulk_create(
            Assessment(
                round=the_round,
                staff_member=person,
                group=resolver.group_of(person),
                status=Assessment.Status.SUBMITTED,
                submitted_at=timezone.now(),
            )
            for person in answering
        )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, item=item, level=item.pk % 4)
        for assessment in Assessment.objects.filter(round__organization=org)
        for item in items
    )
    clients = {}
    for role, user in (("hr", hr), ("executive", mayor), ("staff", staff)):
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def queries(client: Client) -> tuple[int, int, str]:
    """The queries of the first request (which stores the closed round's scores and
    keeps the plan's findings count in the cache) and of the next one. Each starts
    with no questionnaire in the process's memory, as a fresh worker would."""
    questionnaire_cache_clear()
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(first), len(captured), response.content.decode()


@pytest.mark.parametrize("role", ["hr", "executive", "staff"])
def test_the_dashboard_costs_the_same_queries_with_10_or_500_staff(db, role):
    few_first, few, few_page = queries(organisation(10)[role])
    many_first, many, many_page = queries(organisation(500)[role])
    assert 'id="figure-' in few_page and 'id="figure-' in many_page
    if role != "staff":
        assert "500 คน" in many_page or "จาก 500" in many_page
    assert few_first == many_first, f"{role}: first request {few_first} / {many_first}"
    assert few == many, f"{role}: {few} queries with 10 staff, {many} with 500"
