"""How fast the plan pages answer: server time of each page for a plan of 60 projects
in an organisation of 500 staff, 500 of whom answered a closed self-assessment round
(for the checks and the suggestions).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \
        .venv/bin/python bench/plans.py [--projects 60] [--staff 500] [--assessments 500] \
        [--runs 15]

On PostgreSQL it creates a throwaway database next to the one in DATABASE_URL, migrates
it and drops it at the end; without DATABASE_URL it uses a temporary SQLite file. Each
page is requested through Django's test Client as the HR officer (middleware, view,
queries and template: everything but the network), a few times to warm up and then
``--runs`` times; the figure is the median, with the fastest and slowest run and the
number of SQL queries one request makes.

Later pages join by adding a line to :data:`CASES`: a name, a URL name and a function
from the plan to the URL's arguments.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

# This file is called plans.py: keep its own folder off the path so that "plans" is the
# Django app, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import django_for_bench, throwaway_database  # noqa: E402
from bench.import_staff import (  # noqa: E402
    DIVISIONS,
    FIRST_NAMES,
    LAST_NAMES,
    _database_version,
)

#: (name, URL name, the URL's keyword arguments for a plan).
CASES: list[tuple[str, str, Callable]] = [
    ("plan page", "plans:detail", lambda plan: {"pk": plan.pk}),
    ("annual plan", "plans:annual", lambda plan: {"pk": plan.pk, "fy": plan.first_fy + 1}),
    ("checks", "plans:checks", lambda plan: {"pk": plan.pk}),
    ("suggestions", "plans:suggest", lambda plan: {"pk": plan.pk}),
]
WARM_UP = 3

# fmt: off
KINDS = [  # (personnel type, position type, level, title), by weight
    ("official", "executive", "middle", "ปลัดองค์การบริหารส่วนตำบล", 1),
    ("official", "director", "junior", "ผู้อำนวยการกอง", 5),
    ("official", "academic", "professional", "นักวิชาการ", 80),
    ("official", "academic", "practitioner", "นักวิชาการคอมพิวเตอร์", 5),
    ("official", "general", "experienced", "เจ้าพนักงานธุรการ", 70),
    ("teacher", "teaching", "teacher_professional", "ครู", 40),
    ("education", "", "", "เจ้าหน้าที่ธุรการศูนย์พัฒนาเด็กเล็ก", 10),
    ("permanent", "", "", "พนักงานขับรถยนต์", 30),
    ("mission", "", "", "ผู้ช่วยเจ้าพนักงานธุรการ", 160),
    ("general", "", "", "คนงานทั่วไป", 99),
]
# fmt: on
AREAS = ["general", "specific", "management", "personal", "ethics"]
METHODS = ["orientation", "training", "study_visit", "workshop", "elearning", "coaching"]


def _organisation(staff_count: int):
    from django.contrib.auth import get_user_model

    from portal.models import Membership, Organization, Role
    from staff.models import StaffMember, Unit
    from staff.validators import citizen_id_with_check_digit

    rng = random.Random(2564)
    organization = Organization.objects.create(
        slug="bench-plans", name_th="องค์การบริหารส่วนตำบลทดสอบความเร็ว", short_name="อบต.ทดสอบ"
    )
    units = []
    for order, (division, sections) in enumerate(DIVISIONS.items(), start=1):
        parent = Unit.objects.create(organization=organization, name=division, order=order)
        units.append(parent)
        for section_order, section in enumerate(sections, start=1):
            units.append(
                Unit.objects.create(
                    organization=organization, name=section, parent=parent, order=section_order
                )
            )
    kinds = [kind[:4] for kind in KINDS for _n in range(kind[4])]
    StaffMember.objects.bulk_create(
        StaffMember(
            organization=organization,
            citizen_id=citizen_id_with_check_digit(f"3{index + 1:011d}"),
            prefix=rng.choice(["นาย", "นาง", "นางสาว"]),
            first_name=rng.choice(FIRST_NAMES),
            last_name=f"{rng.choice(LAST_NAMES)}{index}",
            personnel_type=personnel_type,
            position_type=position_type,
            level=level,
            position_title=title,
            unit=rng.choice(units),
        )
        for index, (personnel_type, position_type, level, title) in enumerate(
            kinds[i % len(kinds)] for i in range(staff_count)
        )
    )
    user = get_user_model().objects.create_user("bench-hr", password="bench-password-1")
    Membership.objects.create(user=user, organization=organization, role=Role.HR)
    return organization, user, units


def _plan(organization, units, project_count: int):
    from plans.services import plan_create, project_save
    from skills.models import Domain, PersonnelGroup
    from staff.models import StaffMember

    rng = random.Random(2565)
    plan = plan_create(
        organization=organization,
        first_fy=2567,
        title="แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ – ๒๕๖๙",
        manpower_plan=None,
    )
    domains = list(Domain.objects.filter(framework__code="ocsc-2561"))
    groups = list(PersonnelGroup.objects.filter(framework__code="ocsc-2561"))
    people = list(StaffMember.objects.filter(organization=organization))
    personnel_types = [kind[0] for kind in KINDS]
    for index in range(project_count):
        digital = index % 4 == 0
        rule = index % 5  # a different kind of target group in turn
        relations = {
            "domains": rng.sample(domains, 2) if digital else [],
            "target_units": rng.sample(units, 2) if rule == 1 else [],
            "target_groups": rng.sample(groups, 2) if rule == 2 else [],
            "target_people": rng.sample(people, 12) if rule in (3, 4) else [],
        }
        project_save(
            plan=plan,
            project=None,
            fields={
                "name": f"โครงการพัฒนาบุคลากรที่ {index + 1}",
                "area": AREAS[index % len(AREAS)],
                "is_digital": digital,
                "methods": rng.sample(METHODS, 2),
                "objectives": "๑. เพื่อพัฒนาความรู้และทักษะ\n๒. เพื่อนำไปใช้ปรับปรุงงาน",
                "indicators": "ผู้เข้าร่วมไม่น้อยกว่าร้อยละ ๘๐ ของกลุ่มเป้าหมาย",
                "expected_result": "บุคลากรปฏิบัติงานได้มีประสิทธิภาพมากขึ้น",
                "responsible_unit": rng.choice(units),
                "target_personnel_types": rng.sample(personnel_types, 3) if rule == 0 else [],
                "target_position_types": ["academic"] if rule == 4 else [],
            },
            relations=relations,
            years={
                fy: {
                    "planned": rng.random() < 0.8,
                    "budget": Decimal(rng.randrange(0, 200_000, 500)),
                    "quarters": sorted(rng.sample([1, 2, 3, 4], rng.randint(1, 3))),
                }
                for fy in plan.fiscal_years
            },
        )
    return plan


def _closed_round(organization, assessments: int) -> None:
    """A closed ocsc-2561 round that ``assessments`` people submitted, answered as the
    skills demo answers (plausible levels for each person's group), for the checks and
    the suggestions."""
    import datetime as dt

    from django.utils import timezone

    from skills.demo import _levels
    from skills.models import Answer, Assessment, AssessmentRound, Framework, Item
    from skills.services import GroupResolver
    from staff.models import StaffMember

    framework = Framework.objects.get(code="ocsc-2561")
    the_round = AssessmentRound.objects.create(
        organization=organization,
        framework=framework,
        fiscal_year=2566,
        title="แบบประเมินตนเองด้านทักษะดิจิทัล ปีงบประมาณ พ.ศ. 2566",
        opens_on=dt.date(2023, 6, 1),
        closes_on=dt.date(2023, 7, 31),
    )
    resolver = GroupResolver.load(organization=organization, framework=framework)
    items = list(Item.objects.filter(domain__framework=framework).select_related("domain"))
    people = list(StaffMember.objects.filter(organization=organization).order_by("pk"))
    groups = {person.pk: resolver.group_of(person) for person in people[:assessments]}
    Assessment.objects.bulk_create(
        Assessment(
            round=the_round,
            staff_member=person,
            group=groups[person.pk],
            status=Assessment.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for person in people[:assessments]
    )
    Answer.objects.bulk_create(
        (
            Answer(assessment=assessment, item_id=item_id, level=level)
            for assessment in Assessment.objects.filter(round=the_round).select_related(
                "staff_member"
            )
            for item_id, level in _levels(
                assessment.staff_member, groups[assessment.staff_member_id].code, items, "2566"
            ).items()
        ),
        batch_size=2000,
    )


def _measure(client, url: str, runs: int) -> tuple[list[float], int, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # Building the data under DEBUG filled the query log to its limit; counting needs room.
    reset_queries()
    for _n in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Now: the next request empties the log the count is read from.
    queries = len(captured)
    times = []
    for _n in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return times, queries, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=60)
    parser.add_argument("--staff", type=int, default=500)
    parser.add_argument("--assessments", type=int, default=500)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    _url, clean_up = throwaway_database("bench_plans")
    try:
        django_for_bench()
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        organization, user, units = _organisation(args.staff)
        plan = _plan(organization, units, args.projects)
        _closed_round(organization, args.assessments)
        client = Client()
        client.force_login(user)

        print(
            f"Plan pages benchmark: {args.projects} projects, {args.staff} staff, "
            f"{args.assessments} assessments in a closed round, "
            f"median of {args.runs} runs after {WARM_UP} warm-up requests"
        )
        print(f"database: {_database_version(connection)}")
        print(f"python {platform.python_version()} · {platform.machine()} · {os.cpu_count()} CPUs")
        print(f"{'page':14} {'median ms':>9} {'min':>6} {'max':>6} {'queries':>7} {'KiB':>6}")
        for name, url_name, arguments in CASES:
            url = reverse(url_name, kwargs=arguments(plan))
            times, queries, size = _measure(client, url, args.runs)
            milliseconds = [t * 1000 for t in times]
            print(
                f"{name:14} {statistics.median(milliseconds):9.0f} {min(milliseconds):6.0f} "
                f"{max(milliseconds):6.0f} {queries:7d} {size / 1024:6.0f}"
            )
    finally:
        clean_up()


if __name__ == "__main__":
    main()
