"""A small hand-made organisation structure for the staff tests (org A), and one
unit and person in org B for the outsider checks."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from staff.choices import Level, PersonnelType, PositionType
from staff.models import Position, StaffMember, Unit
from staff.validators import citizen_id_with_check_digit

_serial = itertools.count(1)


def new_citizen_id() -> str:
    return citizen_id_with_check_digit(f"1{next(_serial):011d}")


def make_staff(organization, unit, first_name: str, last_name: str = "ทดสอบ", **fields):
    defaults = {
        "prefix": "นาย",
        "citizen_id": new_citizen_id(),
        "personnel_type": PersonnelType.LOCAL_OFFICIAL,
        "position_title": "นักจัดการงานทั่วไป",
        "position_type": PositionType.ACADEMIC,
        "level": Level.PRACTITIONER,
        "appointed_on": dt.date(2018, 10, 1),
    }
    return StaffMember.objects.create(
        organization=organization,
        unit=unit,
        first_name=first_name,
        last_name=last_name,
        **{**defaults, **fields},
    )


@pytest.fixture
def structure(org_a):
    """สำนักปลัด (with งานการเจ้าหน้าที่) and กองคลัง, one position in each."""
    office = Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1)
    personnel = Unit.objects.create(
        organization=org_a, name="งานการเจ้าหน้าที่", parent=office, order=1
    )
    finance = Unit.objects.create(organization=org_a, name="กองคลัง", order=2)
    hr_position = Position.objects.create(
        organization=org_a,
        number="12-3-01-3102-001",
        title="นักทรัพยากรบุคคล",
        line="นักทรัพยากรบุคคล",
        personnel_type=PersonnelType.LOCAL_OFFICIAL,
        position_type=PositionType.ACADEMIC,
        level=Level.PROFESSIONAL,
        unit=personnel,
    )
    finance_position = Position.objects.create(
        organization=org_a,
        number="12-3-04-3201-001",
        title="นักวิชาการเงินและบัญชี",
        line="นักวิชาการเงินและบัญชี",
        personnel_type=PersonnelType.LOCAL_OFFICIAL,
        position_type=PositionType.ACADEMIC,
        level=Level.PRACTITIONER,
        unit=finance,
    )
    return {
        "office": office,
        "personnel": personnel,
        "finance": finance,
        "hr_position": hr_position,
        "finance_position": finance_position,
    }


@pytest.fixture
def people(org_a, structure):
    """Three people of org A, created out of Thai order on purpose."""
    return {
        "kaew": make_staff(org_a, structure["finance"], "แก้ว", "มณี", prefix="นางสาว"),
        "kamon": make_staff(
            org_a,
            structure["personnel"],
            "กมล",
            "ศรีสุข",
            position=structure["hr_position"],
            position_title="นักทรัพยากรบุคคล",
            level=Level.PROFESSIONAL,
        ),
        "kasem": make_staff(
            org_a,
            structure["office"],
            "เกษม",
            "บุญมา",
            personnel_type=PersonnelType.MISSION_EMPLOYEE,
            position_title="ผู้ช่วยเจ้าพนักงานธุรการ",
            position_type="",
            level="",
        ),
    }


@pytest.fixture
def foreign_person(org_b):
    unit = Unit.objects.create(organization=org_b, name="สำนักปลัด", order=1)
    return make_staff(org_b, unit, "วิไล", "ต่างถิ่น")
