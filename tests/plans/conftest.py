"""A small hand-made organisation for the plans tests, where every expected number is
known: four units, nine people of known types, units, levels and skill groups (one of
whom has left), two manpower plans and a development plan with projects.

The people and their digital skill groups (framework ocsc-2561, default rules):

| key      | personnel type | unit                          | position type, level  | group |
|----------|----------------|-------------------------------|-----------------------|-------|
| clerk    | official       | สำนักปลัด                      | executive, middle     | EXEC  |
| kamon    | official       | สำนักปลัด › งานการเจ้าหน้าที่      | academic, professional| ACAD  |
| piya     | official       | สำนักปลัด                      | academic, practitioner| TECH  |
| boonmee  | mission        | สำนักปลัด                      | —                     | SERV  |
| dara     | official       | กองคลัง                        | director, junior      | MGMT  |
| kaew     | official       | กองคลัง                        | academic, practitioner| ACAD  |
| kasem    | official       | กองคลัง                        | general, operator     | SERV  |
| chai     | general        | กองช่าง                        | —                     | OTHER |
| sunthorn | official       | กองคลัง (left)                  | academic, practitioner| —     |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest

from plans import services, workflow
from plans.choices import Area, Method
from plans.models import DevelopmentPlan, Project
from portal.revisions import approval_moment
from skills.models import PersonnelGroup
from staff.choices import Level, PersonnelType, PositionType
from staff.models import ManpowerPlan, Unit
from tests.staff.conftest import make_staff

FIRST_FY = 2567
FISCAL_YEARS = [2567, 2568, 2569]


@pytest.fixture
def units(org_a) -> dict[str, Unit]:
    office = Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1)
    return {
        "office": office,
        "personnel": Unit.objects.create(
            organization=org_a, name="งานการเจ้าหน้าที่", parent=office, order=1
        ),
        "finance": Unit.objects.create(organization=org_a, name="กองคลัง", order=2),
        "works": Unit.objects.create(organization=org_a, name="กองช่าง", order=3),
    }


@pytest.fixture
def people(org_a, units) -> dict[str, Any]:
    official = PersonnelType.LOCAL_OFFICIAL
    academic = {"position_type": PositionType.ACADEMIC}
    return {
        "clerk": make_staff(
            org_a,
            units["office"],
            "สมชาย",
            "ใจกว้าง",
            personnel_type=official,
            position_title="ปลัดองค์การบริหารส่วนตำบล",
            position_type=PositionType.EXECUTIVE,
            level=Level.MIDDLE,
        ),
        "kamon": make_staff(
            org_a,
            units["personnel"],
            "กมล",
            "ศรีสุข",
            position_title="นักทรัพยากรบุคคล",
            level=Level.PROFESSIONAL,
            **academic,
        ),
        "piya": make_staff(
            org_a,
            units["office"],
            "ปิยะ",
            "ดิจิทัล",
            position_title="นักวิชาการคอมพิวเตอร์",
            level=Level.PRACTITIONER,
            **academic,
        ),
        "boonmee": make_staff(
            org_a,
            units["office"],
            "บุญมี",
            "ขยัน",
            personnel_type=PersonnelType.MISSION_EMPLOYEE,
            position_title="ผู้ช่วยเจ้าพนักงานธุรการ",
            position_type="",
            level="",
        ),
        "dara": make_staff(
            org_a,
            units["finance"],
            "ดารา",
            "มั่งมี",
            position_title="ผู้อำนวยการกองคลัง",
            position_type=PositionType.DIRECTOR,
            level=Level.JUNIOR,
        ),
        "kaew": make_staff(
            org_a,
            units["finance"],
            "แก้ว",
            "มณี",
            prefix="นางสาว",
            position_title="นักวิชาการเงินและบัญชี",
            level=Level.PRACTITIONER,
            **academic,
        ),
        "kasem": make_staff(
            org_a,
            units["finance"],
            "เกษม",
            "บุญมา",
            position_title="เจ้าพนักงานการเงินและบัญชี",
            position_type=PositionType.GENERAL,
            level=Level.OPERATOR,
        ),
        "chai": make_staff(
            org_a,
            units["works"],
            "ชัยวัฒน์",
            "แข็งแรง",
            personnel_type=PersonnelType.GENERAL_EMPLOYEE,
            position_title="คนงาน",
            position_type="",
            level="",
        ),
        "sunthorn": make_staff(
            org_a,
            units["finance"],
            "สุนทร",
            "ลาออก",
            position_title="นักวิชาการพัสดุ",
            level=Level.PRACTITIONER,
            is_active=False,
            left_on=dt.date(2024, 3, 31),
            **academic,
        ),
    }


def skill_group(code: str, framework: str = "ocsc-2561") -> PersonnelGroup:
    return PersonnelGroup.objects.get(framework__code=framework, code=code)


@pytest.fixture
def manpower_plan(org_a) -> ManpowerPlan:
    """The approved manpower plan of FY 2567–2569: the period of the development plan."""
    return ManpowerPlan.objects.create(
        organization=org_a,
        first_fy=FIRST_FY,
        status=ManpowerPlan.Status.APPROVED,
        approved_at=approval_moment(dt.date(2023, 9, 1)),
    )


@pytest.fixture
def old_manpower_plan(org_a) -> ManpowerPlan:
    """The manpower plan of the previous cycle, FY 2564–2566."""
    return ManpowerPlan.objects.create(organization=org_a, first_fy=2564)


@pytest.fixture
def plan(org_a, manpower_plan) -> DevelopmentPlan:
    """A draft plan of FY 2567–2569 with the default texts and no project."""
    return services.plan_create(
        organization=org_a,
        first_fy=FIRST_FY,
        title="แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. 2567–2569",
        manpower_plan=manpower_plan,
    )


def make_project(
    plan: DevelopmentPlan,
    name: str,
    *,
    area: str = Area.GENERAL,
    methods: Iterable[str] = (Method.TRAINING,),
    years: dict[int, tuple[Decimal | int | str, list[int]]] | None = None,
    units: Iterable[Unit] = (),
    groups: Iterable[PersonnelGroup] = (),
    people: Iterable[Any] = (),
    domains: Iterable[Any] = (),
    **fields: Any,
) -> Project:
    """A project through the service, as the form would save it. ``years`` maps a
    fiscal year to (budget, quarters); years left out are not planned."""
    years = {FIRST_FY: (10000, [1])} if years is None else years
    return services.project_save(
        plan=plan,
        project=None,
        fields={"name": name, "area": area, "methods": list(methods), **fields},
        relations={
            "target_units": list(units),
            "target_groups": list(groups),
            "target_people": list(people),
            "domains": list(domains),
        },
        years={
            fy: {"planned": True, "budget": Decimal(str(budget)), "quarters": quarters}
            for fy, (budget, quarters) in years.items()
        },
    )


@pytest.fixture
def projects(plan, units, people) -> dict[str, Project]:
    """Three projects of the draft plan, with budgets known per FY × area:

    - ethics (ETHICS): every local official; 2567 30,000 (Q1), 2568 30,000 (Q1), 2569 —
    - finance (SPECIFIC, digital): กองคลัง + named ชัยวัฒน์; 2567 45,500.50 (Q2, Q3),
      2569 20,000 (Q4)
    - orientation (GENERAL): named กมล only; 2568 0 (Q1)
    """
    return {
        "ethics": make_project(
            plan,
            "อบรมคุณธรรมจริยธรรมและการต่อต้านการทุจริต",
            area=Area.ETHICS,
            methods=[Method.TRAINING, Method.STUDY_VISIT],
            target_personnel_types=[PersonnelType.LOCAL_OFFICIAL],
            years={2567: (30000, [1]), 2568: (30000, [1])},
            objectives="ให้บุคลากรยึดมั่นในประมวลจริยธรรม",
        ),
        "finance": make_project(
            plan,
            "การใช้ระบบ e-LAAS สำหรับงานการเงินการคลัง",
            area=Area.SPECIFIC,
            is_digital=True,
            methods=[Method.WORKSHOP],
            units=[units["finance"]],
            people=[people["chai"]],
            years={2567: ("45500.50", [2, 3]), 2569: (20000, [4])},
            responsible_unit=units["finance"],
        ),
        "orientation": make_project(
            plan,
            "ปฐมนิเทศบุคลากรใหม่",
            area=Area.GENERAL,
            methods=[Method.ORIENTATION],
            people=[people["kamon"]],
            years={2568: (0, [1])},
        ),
    }


def approve(plan: DevelopmentPlan, hr_user, clerk_user, executive_user) -> DevelopmentPlan:
    """The plan through the approval chain: HR submits, the ปลัด proposes, the นายก
    (the cast's executive) approves."""
    workflow.plan_submit(plan=plan, user=hr_user)
    workflow.plan_propose(plan=plan, user=clerk_user)
    workflow.plan_approve(plan=plan, user=executive_user)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def approved_plan(plan, projects, hr_user, clerk_user, executive_user) -> DevelopmentPlan:
    return approve(plan, hr_user, clerk_user, executive_user)


# --- Reading a form as a browser would submit it ------------------------------------


class _FormReader(HTMLParser):
    """Collects the successful controls of the forms in a page (inputs, checked
    boxes, textareas, selected options), the way a browser builds its POST."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None

    def _add(self, name: str, value: str) -> None:
        self._form["data"].setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "id": a.get("id", ""), "data": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._add(a["name"], a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["data"].setdefault(self._textarea, []).append("")
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._select["options"].append(self._option)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._form["data"][self._textarea][-1] += data
        if self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            values = self._form["data"][self._textarea]
            # A browser drops the one newline that follows <textarea>.
            values[-1] = values[-1].removeprefix("\n")
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and not self._select["multiple"] and options:
                chosen = options[:1]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                self._add(self._select["name"], value)
            self._select = None
        elif tag == "form":
            self._form = None


def form_data(html: str | bytes, action: str) -> dict[str, list[str]]:
    """What a browser would post from the form of ``html`` whose action is ``action``."""
    reader = _FormReader()
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    for form in reader.forms:
        if form["action"] == action:
            return form["data"]
    raise AssertionError(f"no form posting to {action}")
