"""Fixtures for the skills tests: the frameworks the data migration loads, rounds of
org A that are open today, closed and not yet open, staff records linked to the cast's
accounts, and helpers to answer every statement.

The helpers that write answers directly (``assessment_make``) bypass the services on
purpose: they build history — closed rounds, hundreds of people — that the services
rightly refuse to create after the fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from importlib import import_module

import pytest
from django.utils import timezone

from portal.thai import current_fiscal_year
from skills.models import Answer, Assessment, AssessmentRound, Framework, Item
from skills.services import (
    GroupResolver,
    assessment_save_answers,
    assessment_start,
    assessment_submit,
)
from staff.choices import PositionType
from staff.models import StaffMember, Unit
from tests.staff.conftest import make_staff

Levels = int | Mapping[str, int] | Callable[[Item], int]


def frameworks_ensure() -> None:
    """Load the frameworks again when a transactional test has flushed them.

    The data migration loads them once, into the fresh test database; the flush after
    each ``transactional_db`` test (every browser test) empties every table. Serialized
    rollback cannot bring them back in the browser tests: Playwright runs an event loop
    in the test thread, so Django hands out a new connection there, one without the
    serialized copy. So this runs the migration's own loader instead.
    """
    if Framework.objects.exists():
        return
    from django.apps import apps

    import_module("skills.migrations.0002_load_frameworks").load(apps, None)


@pytest.fixture
def frameworks(db) -> None:
    frameworks_ensure()


@pytest.fixture
def ocsc_2561(db) -> Framework:
    return Framework.objects.get(code="ocsc-2561")


@pytest.fixture
def ocsc_2566(db) -> Framework:
    return Framework.objects.get(code="ocsc-2566")


def round_make(
    organization,
    framework: Framework,
    *,
    opens_in_days: int,
    closes_in_days: int,
    title: str = "",
) -> AssessmentRound:
    """A round whose dates are relative to today, so "open" stays open whenever the
    tests run."""
    today = timezone.localdate()
    opens_on = today + dt.timedelta(days=opens_in_days)
    return AssessmentRound.objects.create(
        organization=organization,
        framework=framework,
        fiscal_year=current_fiscal_year(opens_on),
        title=title,
        opens_on=opens_on,
        closes_on=today + dt.timedelta(days=closes_in_days),
    )


@pytest.fixture
def open_round(org_a, ocsc_2561) -> AssessmentRound:
    return round_make(
        org_a, ocsc_2561, opens_in_days=-7, closes_in_days=21, title="รอบประเมินที่เปิดอยู่"
    )


@pytest.fixture
def closed_round(org_a, ocsc_2561) -> AssessmentRound:
    return round_make(
        org_a, ocsc_2561, opens_in_days=-400, closes_in_days=-370, title="รอบประเมินปีที่แล้ว"
    )


@pytest.fixture
def upcoming_round(org_a, ocsc_2561) -> AssessmentRound:
    return round_make(
        org_a, ocsc_2561, opens_in_days=30, closes_in_days=60, title="รอบประเมินที่จะเปิด"
    )


@pytest.fixture
def round_in_org_b(org_b, ocsc_2561) -> AssessmentRound:
    return round_make(org_b, ocsc_2561, opens_in_days=-7, closes_in_days=21, title="รอบของ อบต.บี")


@pytest.fixture
def unit_a(org_a) -> Unit:
    return Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1)


@pytest.fixture
def staff_member(org_a, unit_a, staff_user) -> StaffMember:
    """The cast's staff member (staff_user), an academic-type local official (ACAD)."""
    return make_staff(org_a, unit_a, "กมล", "แก้วใส", user=staff_user)


@pytest.fixture
def hr_member(org_a, unit_a, hr_user) -> StaffMember:
    """The HR officer's own staff record: HR staff answer the questionnaire too."""
    return make_staff(org_a, unit_a, "สุดา", "ใจดี", position_title="นักทรัพยากรบุคคล", user=hr_user)


@pytest.fixture
def executive_member(org_a, unit_a, executive_user) -> StaffMember:
    return make_staff(
        org_a,
        unit_a,
        "ประเสริฐ",
        "มั่นคง",
        position_title="ปลัดองค์การบริหารส่วนตำบล",
        position_type=PositionType.EXECUTIVE,
        level="",
        user=executive_user,
    )


@pytest.fixture
def colleague(org_a, unit_a) -> StaffMember:
    """Another staff member of org A, without an account."""
    return make_staff(org_a, unit_a, "แก้ว", "มณี", prefix="นางสาว")


def _level_for(levels: Levels, item: Item) -> int:
    if callable(levels):
        return levels(item)
    if isinstance(levels, Mapping):
        return levels[item.domain.code]
    return levels


def items_of(framework: Framework) -> list[Item]:
    return list(
        Item.objects.filter(domain__framework=framework)
        .select_related("domain")
        .order_by("domain__order", "order")
    )


def answers_for(framework: Framework, levels: Levels = 2) -> dict[int, int]:
    """item id → level for every statement: one level for all, a level per domain code,
    or a function of the item."""
    return {item.pk: _level_for(levels, item) for item in items_of(framework)}


def answer_all(round: AssessmentRound, person: StaffMember, levels: Levels = 2) -> Assessment:
    """Answer every statement of an open round through the services (still a draft)."""
    assessment = assessment_start(round=round, person=person)
    assessment_save_answers(assessment=assessment, answers=answers_for(round.framework, levels))
    return assessment


def submit_all(round: AssessmentRound, person: StaffMember, levels: Levels = 2) -> Assessment:
    """Answer every statement of an open round and submit, as the person would."""
    assessment = answer_all(round, person, levels)
    assessment_submit(assessment=assessment)
    assessment.refresh_from_db()
    return assessment


def assessment_make(
    round: AssessmentRound,
    person: StaffMember,
    levels: Levels = 2,
    *,
    submitted: bool = True,
    resolver: GroupResolver | None = None,
) -> Assessment:
    """An assessment written straight to the database, for any round (also closed ones).
    Pass a loaded ``resolver`` when making many, to decide groups without more queries."""
    resolver = resolver or GroupResolver.load(
        organization=round.organization, framework=round.framework
    )
    assessment = Assessment.objects.create(
        round=round,
        staff_member=person,
        group=resolver.group_of(person),
        status=Assessment.Status.SUBMITTED if submitted else Assessment.Status.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, item_id=item_id, level=level)
        for item_id, level in answers_for(round.framework, levels).items()
    )
    return assessment
