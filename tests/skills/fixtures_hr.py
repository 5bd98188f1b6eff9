"""Fixtures of the HR skills tests: a hand-made closed round whose gaps are worked out
by hand below, and a helper to make many assessed people quickly.

The hand-made case (framework ocsc-2561, the portal's default targets)::

    person  unit       group  levels (every item)   gaps DL DT DG DPSD SPM LEAD
    อนันต์   สำนักปลัด  EXEC   2                      0  0  1  0    1   2
    บุษบา   สำนักปลัด  ACAD   3                      0  0  0  0    0   0
    จำปี    กองคลัง    ACAD   1                      2  2  1  2    1   0
    ดวงใจ   กองคลัง    OTHER  0                      2  1  1  1    0   0
    เอื้อ    กองคลัง    ACAD   (draft, not counted)

Targets (reference §3): EXEC 2 2 3 2 3 4 · ACAD 3 3 2 3 2 1 · OTHER 2 1 1 1 0 0.
"""

from __future__ import annotations

import itertools

import pytest

from skills.models import AssessmentRound, Framework
from skills.services import GroupResolver
from staff.choices import PersonnelType, PositionType
from staff.models import StaffMember, Unit
from staff.validators import citizen_id_with_check_digit
from tests.skills.conftest import assessment_make, round_make
from tests.staff.conftest import make_staff

_serial = itertools.count(1)


def hr_citizen_id() -> str:
    # Starts with 8 so it never meets the IDs of the shared helpers (1…).
    return citizen_id_with_check_digit(f"8{next(_serial):011d}")


def person_make(organization, unit: Unit, first_name: str, **fields) -> StaffMember:
    return make_staff(
        organization, unit, first_name, fields.pop("last_name", "ทดสอบ"),
        citizen_id=hr_citizen_id(), **fields,
    )  # fmt: skip


def people_assessed(
    round: AssessmentRound, unit: Unit, count: int, *, levels: int = 1
) -> list[StaffMember]:
    """``count`` academic officials of ``unit`` who all submitted ``levels`` everywhere."""
    resolver = GroupResolver.load(organization=round.organization, framework=round.framework)
    people = []
    for n in range(count):
        person = person_make(round.organization, unit, f"คนที่{n:04d}")
        assessment_make(round, person, levels, resolver=resolver)
        people.append(person)
    return people


@pytest.fixture
def two_units(org_a) -> dict[str, Unit]:
    office = Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1)
    return {
        "office": office,
        "finance": Unit.objects.create(organization=org_a, name="กองคลัง", order=2),
    }


@pytest.fixture
def hand_case(org_a, two_units, ocsc_2561: Framework) -> dict[str, object]:
    """A closed round of ocsc-2561 with the four submitted people of the table above."""
    the_round = round_make(
        org_a, ocsc_2561, opens_in_days=-60, closes_in_days=-30, title="รอบทดสอบผลลัพธ์"
    )
    office, finance = two_units["office"], two_units["finance"]
    people = {
        "anan": person_make(
            org_a,
            office,
            "อนันต์",
            position_title="ปลัดองค์การบริหารส่วนตำบล",
            position_type=PositionType.EXECUTIVE,
            level="",
        ),
        "butsaba": person_make(org_a, office, "บุษบา", prefix="นางสาว"),
        "champi": person_make(org_a, finance, "จำปี", prefix="นาง"),
        "duangjai": person_make(
            org_a,
            finance,
            "ดวงใจ",
            prefix="นาง",
            personnel_type=PersonnelType.GENERAL_EMPLOYEE,
            position_title="คนงานทั่วไป",
            position_type="",
            level="",
        ),
        "uea": person_make(org_a, finance, "เอื้อ"),
    }
    resolver = GroupResolver.load(organization=org_a, framework=ocsc_2561)
    assessments = {
        "anan": assessment_make(the_round, people["anan"], 2, resolver=resolver),
        "butsaba": assessment_make(the_round, people["butsaba"], 3, resolver=resolver),
        "champi": assessment_make(the_round, people["champi"], 1, resolver=resolver),
        "duangjai": assessment_make(the_round, people["duangjai"], 0, resolver=resolver),
        "uea": assessment_make(the_round, people["uea"], 4, submitted=False, resolver=resolver),
    }
    return {"round": the_round, "people": people, "assessments": assessments, **two_units}
