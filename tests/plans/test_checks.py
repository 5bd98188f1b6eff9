"""The checks of a plan on the small organisation of conftest, where every finding is
known by name: who no project reaches each year, which personnel type misses which
development area, which positions of the manpower plan no project reaches, where an
orientation is missing, and which skill domains with a gap no project addresses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.checks import plan_check
from plans.choices import Area, Method
from plans.models import DevelopmentPlan
from skills.models import AssessmentRound, Domain, Framework
from skills.services import GroupResolver
from staff.choices import Level, PersonnelType, PositionType
from staff.models import ManpowerPlan, ManpowerPlanRow
from tests.plans.conftest import make_project
from tests.skills.conftest import assessment_make
from tests.staff.conftest import make_staff

ALL = [PersonnelType.LOCAL_OFFICIAL, PersonnelType.MISSION_EMPLOYEE, PersonnelType.GENERAL_EMPLOYEE]

#: What each person answered, by domain code; every other domain at 4 (no gap).
#: ACAD target DG 2, SERV target DT 2 and SPM 1 (reference §3 defaults):
#: กมล and แก้ว (ACAD) gap 2 in DG; บุญมี and เกษม (SERV) gap 1 in DT; บุญมี gap 1 in SPM.
ANSWERS: dict[str, Mapping[str, int]] = {
    "kamon": {"DG": 0},
    "kaew": {"DG": 0},
    "boonmee": {"DT": 1, "SPM": 0},
    "kasem": {"DT": 1, "SPM": 1},
    "clerk": {},
    "piya": {},
    "dara": {},
    "chai": {},
}


def url(name: str, *args) -> str:
    return reverse(f"plans:{name}", args=args)


def domain(code: str) -> Domain:
    return Domain.objects.get(framework__code="ocsc-2561", code=code)


def closed_round_make(organization, *, closes_on: dt.date = dt.date(2023, 7, 31)):
    return AssessmentRound.objects.create(
        organization=organization,
        framework=Framework.objects.get(code="ocsc-2561"),
        fiscal_year=2566,
        title="รอบประเมิน ปี 2566",
        opens_on=closes_on - dt.timedelta(days=60),
        closes_on=closes_on,
    )


def answers(levels: Mapping[str, int]):
    return lambda item: levels.get(item.domain.code, 4)


@pytest.fixture(name="gaps")
def gaps_round(org_a, people) -> AssessmentRound:
    """A closed round (July 2023) everyone working here answered as in ANSWERS."""
    the_round = closed_round_make(org_a)
    resolver = GroupResolver.load(organization=org_a, framework=the_round.framework)
    for key, levels in ANSWERS.items():
        assessment_make(the_round, people[key], answers(levels), resolver=resolver)
    return the_round


def names(people) -> list[str]:
    return [person.first_name for person in people]


def row(plan: ManpowerPlan, unit, title: str, personnel_type: str, counts, **fields):
    current, y1, y2, y3 = counts
    return ManpowerPlanRow.objects.create(
        plan=plan,
        unit=unit,
        position_title=title,
        personnel_type=personnel_type,
        current_count=current,
        year1_count=y1,
        year2_count=y2,
        year3_count=y3,
        **fields,
    )


@pytest.fixture
def rows(manpower_plan, units) -> dict[str, ManpowerPlanRow]:
    official = PersonnelType.LOCAL_OFFICIAL
    academic = {"position_type": PositionType.ACADEMIC, "level": Level.PRACTITIONER}
    return {
        # Held by แก้ว, who is in the finance and ethics projects.
        "accountant": row(
            manpower_plan, units["finance"], "นักวิชาการเงินและบัญชี", official, (1, 1, 1, 1), **academic
        ),
        # Vacant, added in year 2; the ethics project takes in every local official.
        "engineer": row(
            manpower_plan, units["works"], "วิศวกรโยธา", official, (0, 0, 1, 1), **academic
        ),
        # Vacant, grows in year 3; no rule takes in a permanent employee of กองช่าง.
        "driver": row(
            manpower_plan,
            units["works"],
            "พนักงานขับรถยนต์",
            PersonnelType.PERMANENT_EMPLOYEE,
            (1, 1, 1, 2),
        ),
        # Held by บุญมี, who is in no project; grows in year 2 (orientation planned in 2568).
        "assistant": row(
            manpower_plan,
            units["office"],
            "ผู้ช่วยเจ้าพนักงานธุรการ",
            PersonnelType.MISSION_EMPLOYEE,
            (1, 1, 2, 2),
        ),
        # Held by ชัยวัฒน์, named in the finance project: reached although no rule fits.
        "worker": row(
            manpower_plan, units["works"], "คนงาน", PersonnelType.GENERAL_EMPLOYEE, (1, 1, 1, 1)
        ),
    }


# --- Coverage ---------------------------------------------------------------------


class TestCoverage:
    def test_the_people_no_project_reaches_are_listed_per_year_and_unit(self, plan, projects):
        years = {year.fiscal_year: year for year in plan_check(plan=plan).years}

        assert [(u.unit.name, names(u.people)) for u in years[2567].units] == [("สำนักปลัด", ["บุญมี"])]
        assert [(u.unit.name, names(u.people)) for u in years[2568].units] == [
            ("สำนักปลัด", ["บุญมี"]),
            ("กองช่าง", ["ชัยวัฒน์"]),
        ]
        assert [(u.unit.name, names(u.people)) for u in years[2569].units] == [
            ("สำนักปลัด", ["บุญมี", "ปิยะ", "สมชาย"]),
            ("งานการเจ้าหน้าที่", ["กมล"]),
        ]
        assert [years[fy].uncovered for fy in (2567, 2568, 2569)] == [1, 2, 4]

    def test_someone_who_left_is_never_a_finding(self, plan, projects, people):
        uncovered = {
            p.pk for year in plan_check(plan=plan).years for u in year.units for p in u.people
        }
        assert people["sunthorn"].pk not in uncovered

    def test_a_plan_without_projects_reaches_nobody(self, plan, people):
        years = plan_check(plan=plan).years
        assert [year.uncovered for year in years] == [8, 8, 8]

    def test_each_personnel_type_missing_an_area_is_listed(self, plan, projects):
        pairs = [(p.personnel_type, p.area) for p in plan_check(plan=plan).uncovered_pairs]

        assert pairs == [
            ("official", "management"),
            ("official", "personal"),
            ("mission", "general"),
            ("mission", "specific"),
            ("mission", "management"),
            ("mission", "personal"),
            ("mission", "ethics"),
            ("general", "general"),
            ("general", "management"),
            ("general", "personal"),
            ("general", "ethics"),
        ]

    def test_a_project_for_everyone_in_an_area_covers_every_type_there(self, plan, projects):
        make_project(plan, "การบริหารงานยุคใหม่", area=Area.MANAGEMENT, target_personnel_types=ALL)
        pairs = {(p.personnel_type, p.area) for p in plan_check(plan=plan).uncovered_pairs}
        assert not {pair for pair in pairs if pair[1] == "management"}


# --- Alignment with the manpower plan -------------------------------------------------


class TestAlignment:
    def test_the_periods_match(self, plan, projects):
        checks = plan_check(plan=plan)
        assert checks.manpower_linked and not checks.period_mismatch

    def test_another_period_is_a_finding(self, plan, projects, old_manpower_plan):
        DevelopmentPlan.objects.filter(pk=plan.pk).update(manpower_plan=old_manpower_plan)
        plan.refresh_from_db()
        checks = plan_check(plan=plan)
        assert checks.period_mismatch
        assert checks.alignment_total == 1

    def test_no_manpower_plan_linked_is_not_a_finding(self, plan, projects):
        DevelopmentPlan.objects.filter(pk=plan.pk).update(manpower_plan=None)
        plan.refresh_from_db()
        checks = plan_check(plan=plan)
        assert not checks.manpower_linked
        assert checks.alignment_total == 0

    def test_positions_no_project_reaches_are_listed(self, plan, projects, rows):
        unreached = plan_check(plan=plan).unreached_rows
        assert [r.position_title for r in unreached] == [
            "ผู้ช่วยเจ้าพนักงานธุรการ",
            "พนักงานขับรถยนต์",
        ]

    def test_a_rule_reaches_a_vacant_position(self, plan, projects, rows, units):
        make_project(
            plan,
            "ความปลอดภัยในการขับขี่",
            units=[units["works"]],
            target_personnel_types=[PersonnelType.PERMANENT_EMPLOYEE],
        )
        unreached = plan_check(plan=plan).unreached_rows
        assert [r.position_title for r in unreached] == ["ผู้ช่วยเจ้าพนักงานธุรการ"]

    def test_naming_someone_reaches_the_position_they_hold_only(self, plan, projects, rows, people):
        make_project(plan, "งานสารบรรณ", people=[people["boonmee"]])
        unreached = plan_check(plan=plan).unreached_rows
        assert [r.position_title for r in unreached] == ["พนักงานขับรถยนต์"]

    def test_a_project_in_no_year_reaches_nothing(self, plan, projects, rows, people):
        make_project(plan, "ยังไม่กำหนดปี", people=[people["boonmee"]], years={})
        assert len(plan_check(plan=plan).unreached_rows) == 2

    def test_positions_added_without_an_orientation_that_year_are_listed(
        self, plan, projects, rows
    ):
        missing = plan_check(plan=plan).orientation_missing
        assert [(m.row.position_title, m.fiscal_year, m.added) for m in missing] == [
            ("พนักงานขับรถยนต์", 2569, 1)
        ]

    def test_an_orientation_planned_that_year_settles_it(self, plan, projects, rows):
        make_project(
            plan,
            "ปฐมนิเทศ ปี 2569",
            methods=[Method.ORIENTATION],
            target_personnel_types=ALL,
            years={2569: (0, [1])},
        )
        assert plan_check(plan=plan).orientation_missing == []


# --- Skills -------------------------------------------------------------------------


class TestSkills:
    def test_domains_with_a_gap_no_project_addresses_are_listed(self, plan, projects, gaps):
        make_project(plan, "เทคโนโลยีดิจิทัล", domains=[domain("DT")], target_personnel_types=ALL)
        checks = plan_check(plan=plan)
        found = [
            (d.domain.code, str(d.average_gap), d.people_with_gap)
            for d in checks.unaddressed_domains
        ]
        assert checks.round == gaps
        # DG: 2 + 2 over the 8 people assessed; SPM: 1 over 8.
        assert found == [("DG", "0.5", 2), ("SPM", "0.1", 1)]

    def test_without_a_closed_round_there_is_no_skill_finding(self, plan, projects, people):
        checks = plan_check(plan=plan)
        assert checks.round is None and checks.unaddressed_domains == []

    def test_the_total_adds_up_every_finding(self, plan, projects, rows, gaps):
        checks = plan_check(plan=plan)
        # 7 people-years, 11 type × area pairs; 2 positions, 1 orientation; DG, DT, SPM.
        assert (checks.coverage_total, checks.alignment_total, checks.skills_total) == (18, 3, 3)
        assert checks.total == 24


# --- The pages ------------------------------------------------------------------------


class TestChecksPage:
    def test_hr_sees_the_findings_by_name(self, hr_client, plan, projects, rows, gaps):
        page = hr_client.get(url("checks", plan.pk)).content.decode()
        assert 'id="findings-total">24<' in page
        assert "บุญมี ขยัน" in page and "ชัยวัฒน์ แข็งแรง" in page
        assert "พนักงานขับรถยนต์" in page
        assert "ด้านการกำกับดูแล" in page or "DG" in page
        assert url("suggestions", plan.pk) in page

    def test_the_executive_reads_the_checks(self, executive_client, plan, projects):
        page = executive_client.get(url("checks", plan.pk))
        assert page.status_code == 200
        assert url("suggestions", plan.pk) not in page.content.decode()

    def test_staff_get_403(self, staff_client, plan):
        assert staff_client.get(url("checks", plan.pk)).status_code == 403

    def test_outsider_gets_404(self, outsider_client, plan):
        assert outsider_client.get(url("checks", plan.pk)).status_code == 404

    def test_post_is_rejected(self, hr_client, plan):
        assert hr_client.post(url("checks", plan.pk)).status_code == 405

    def test_the_plan_page_shows_the_count_and_links_to_the_checks(
        self, hr_client, plan, projects, rows, gaps
    ):
        page = hr_client.get(url("detail", plan.pk)).content.decode()
        # The page loads the count after it has shown, from the checks page itself.
        assert f'hx-get="{url("checks", plan.pk)}?count=1"' in page
        count = hr_client.get(url("checks", plan.pk), {"count": 1}).content.decode()
        assert "24" in count
        assert url("checks", plan.pk) in count

    def test_the_page_costs_the_same_queries_for_few_and_many(
        self, hr_client, org_a, plan, units, people
    ):
        scale_up = organisation_grower(org_a, plan, units)
        scale_up(staff=10, projects=5)
        few = count_queries(hr_client, url("checks", plan.pk))
        scale_up(staff=200, projects=50)
        assert count_queries(hr_client, url("checks", plan.pk)) == few


def count_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def organisation_grower(org_a, plan, units):
    """A function adding people (each with a submitted assessment in one closed round,
    and a manpower-plan row) and projects of every kind of target group, up to the
    numbers asked."""
    the_round = closed_round_make(org_a)
    resolver = GroupResolver.load(organization=org_a, framework=the_round.framework)
    kinds = [
        {"personnel_type": PersonnelType.LOCAL_OFFICIAL},
        {
            "personnel_type": PersonnelType.MISSION_EMPLOYEE,
            "position_type": "",
            "level": "",
            "position_title": "ผู้ช่วยเจ้าพนักงาน",
        },
    ]
    made = {"staff": 0, "projects": 0}
    unit_list = list(units.values())

    def grow(*, staff: int, projects: int) -> None:
        while made["staff"] < staff:
            index = made["staff"]
            unit = unit_list[index % len(unit_list)]
            person = make_staff(org_a, unit, f"คนที่{index}", **kinds[index % 2])
            assessment_make(the_round, person, answers({"DG": index % 3}), resolver=resolver)
            row(
                plan.manpower_plan,
                unit,
                f"ตำแหน่ง {index}",
                person.personnel_type,
                (1, 1, 1 + index % 2, 2),
            )
            made["staff"] += 1
        while made["projects"] < projects:
            index = made["projects"]
            everyone = list(org_a.staff_members.all()[:3])
            make_project(
                plan,
                f"โครงการ {index}",
                area=list(Area)[index % 5],
                units=[unit_list[index % len(unit_list)]] if index % 3 == 0 else [],
                people=everyone if index % 3 == 1 else [],
                domains=[domain("DL")] if index % 2 else [],
                target_personnel_types=[PersonnelType.LOCAL_OFFICIAL] if index % 3 == 2 else [],
                years={2567 + index % 3: (1000 * index, [1])},
            )
            made["projects"] += 1

    return grow


def test_the_demo_plan_leaves_dg_unaddressed_and_two_people_uncovered_in_2565(db):
    from portal.demo import demo_seed

    organization = demo_seed()
    plan = (
        DevelopmentPlan.objects.filter(organization=organization, first_fy=2564)
        .order_by("revision")
        .first()
    )
    checks = plan_check(plan=plan)
    assert [d.domain.code for d in checks.unaddressed_domains] == ["DG"]
    assert {year.fiscal_year: year.uncovered for year in checks.years}[2565] == 2
