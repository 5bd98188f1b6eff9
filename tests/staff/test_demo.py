"""The staff part of ``seed_demo``: a standard อบต. with about forty people of every
personnel type, and the manpower plan FY 2564–2566 with one revision."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from portal.demo import DEMO_LOGINS, DEMO_SLUG
from portal.models import Organization
from staff.choices import PersonnelType, PositionType
from staff.manpower import manpower_plan_table
from staff.models import ManpowerPlan, ManpowerPlanRow, Position, StaffMember, Unit
from staff.validators import citizen_id_checksum_ok

# After the plan: the staff are compared with its last year, FY 2566.
AFTER_THE_PLAN = dt.date(2026, 1, 1)


@pytest.fixture
def demo(db) -> Organization:
    call_command("seed_demo", stdout=io.StringIO())
    return Organization.objects.get(slug=DEMO_SLUG)


def _counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "positions": Position.objects.count(),
        "staff": StaffMember.objects.count(),
        "active": StaffMember.objects.filter(is_active=True).count(),
        "linked": StaffMember.objects.filter(user__isnull=False).count(),
        "plans": ManpowerPlan.objects.count(),
        "rows": ManpowerPlanRow.objects.count(),
    }


def test_running_the_seed_twice_leaves_the_same_data(demo):
    first = _counts()
    snapshot = sorted(StaffMember.objects.values_list("citizen_id", "unit__name", "level"))
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert sorted(StaffMember.objects.values_list("citizen_id", "unit__name", "level")) == snapshot


def test_the_standard_units_of_an_obt_are_there(demo):
    divisions = list(
        Unit.objects.filter(organization=demo, parent=None).values_list("name", flat=True)
    )
    assert divisions == [
        "สำนักปลัด",
        "กองคลัง",
        "กองช่าง",
        "กองการศึกษา ศาสนาและวัฒนธรรม",
        "กองสวัสดิการสังคม",
        "หน่วยตรวจสอบภายใน",
    ]
    sections = set(Unit.objects.filter(parent__name="สำนักปลัด").values_list("name", flat=True))
    assert {"งานการเจ้าหน้าที่", "งานนโยบายและแผน"} <= sections
    assert Unit.objects.filter(parent__name="กองคลัง").count() == 3
    assert Unit.objects.filter(name="ศูนย์พัฒนาเด็กเล็ก", parent__name__startswith="กองการศึกษา")


def test_about_forty_people_of_every_personnel_type(demo):
    active = StaffMember.objects.filter(organization=demo, is_active=True)
    assert 35 <= active.count() <= 45
    listed_in_the_brief = set(PersonnelType.values) - {PersonnelType.EXPERT_EMPLOYEE}
    assert set(active.values_list("personnel_type", flat=True)) == listed_in_the_brief
    officials = active.filter(personnel_type=PersonnelType.LOCAL_OFFICIAL)
    assert set(officials.values_list("position_type", flat=True)) == {
        PositionType.EXECUTIVE,
        PositionType.DIRECTOR,
        PositionType.ACADEMIC,
        PositionType.GENERAL,
    }
    assert officials.values("level").distinct().count() >= 6
    prefixes = set(active.values_list("prefix", flat=True))
    assert {"นาย", "นาง", "นางสาว", "ว่าที่ร้อยตรี"} <= prefixes


def test_every_citizen_id_is_valid_and_people_have_dates_and_education(demo):
    for person in StaffMember.objects.filter(organization=demo):
        assert citizen_id_checksum_ok(person.citizen_id), person
        assert person.appointed_on and person.birth_date and person.education, person


def test_some_are_newcomers_and_two_have_left(demo):
    newcomers = [p for p in StaffMember.objects.filter(is_active=True) if p.is_newcomer()]
    assert 3 <= len(newcomers) <= 8
    left = StaffMember.objects.filter(organization=demo, is_active=False)
    assert left.count() == 2
    assert all(person.left_on and person.left_reason for person in left)


def test_the_demo_logins_are_linked_to_their_people(demo):
    expected = {
        "hr": ("สุดารัตน์", "ใจดี", "นักทรัพยากรบุคคล"),
        "executive": ("ประเสริฐ", "วงศ์สวัสดิ์", "ปลัดองค์การบริหารส่วนตำบล"),
        "staff": ("กมลวรรณ", "แก้วประเสริฐ", None),
    }
    # The นายก is elected, not staff: their login has no staff record.
    assert {login.username for login in DEMO_LOGINS} == {*expected, "mayor"}
    assert not StaffMember.objects.filter(user__username="mayor").exists()
    for username, (first, last, title) in expected.items():
        person = StaffMember.objects.get(user__username=username)
        assert (person.first_name, person.last_name) == (first, last)
        if title:
            assert person.position_title == title


def test_the_plan_2564_2566_is_approved_with_one_revision(demo):
    original = ManpowerPlan.objects.get(organization=demo, first_fy=2564, revision=0)
    revision = ManpowerPlan.objects.get(organization=demo, first_fy=2564, revision=1)
    assert original.status == revision.status == ManpowerPlan.Status.APPROVED
    assert revision.previous == original
    assert "ฉบับแก้ไขเพิ่มเติม ครั้งที่ 1" in revision.note

    def rows(plan):
        return set(
            plan.rows.values_list(
                "unit__name", "position_title", "personnel_type", "level", "year2_count", "note"
            )
        )

    changed = rows(revision) ^ rows(original)
    assert 2 <= len(changed) <= 8  # a few rows differ, the rest is a copy
    # Positions that only appear in year 2 or year 3 of the plan.
    assert original.rows.filter(current_count=0, year1_count=0, year2_count__gt=0).exists()
    assert original.rows.filter(year2_count=0, year3_count__gt=0).exists()


@pytest.mark.parametrize("revision", [0, 1])
def test_the_plan_covers_every_unit_and_person_with_vacancies_and_one_over(demo, revision):
    plan = ManpowerPlan.objects.get(organization=demo, first_fy=2564, revision=revision)
    table = manpower_plan_table(plan=plan, today=AFTER_THE_PLAN)
    assert table.uncovered == []
    units_with_rows = {block.unit.pk for group in table.groups for block in group.blocks}
    units_with_staff = set(
        StaffMember.objects.filter(organization=demo, is_active=True).values_list("unit", flat=True)
    )
    assert units_with_staff <= units_with_rows
    assert table.compare_fy == 2566
    assert table.grand_total.over == 1
    assert table.grand_total.vacant == 3 + revision
