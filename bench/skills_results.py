"""How fast the results page of a skills round answers with 500 submitted assessments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \
        .venv/bin/python bench/skills_results.py [--people 500] [--runs 7]

On PostgreSQL it creates a throwaway database next to the one in DATABASE_URL
(``bench_skills_<pid>``), migrates it, and drops it at the end; without DATABASE_URL it
uses a temporary SQLite file. It builds one organisation (14 units, ``--people`` staff of
every kind, each with a submitted ocsc-2561 self-assessment answering every statement,
plus 5 % who have not answered), logs in an HR officer with Django's test client, and
measures the server time of whole requests — view, service, template, SVG — as the
median of ``--runs`` runs after one warm-up request, with the SQL queries of each:

* results page — ``/skills/rounds/<pk>/results/`` (heatmaps, distribution, people);
* Excel export — ``/skills/rounds/<pk>/results.xlsx``;
* progress page — ``/skills/rounds/<pk>/``;
* service only — ``skills.services.round_results`` without any rendering.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import throwaway_database

FIRST_NAMES = ["สมชาย", "สมศรี", "กมล", "เกษม", "แก้ว", "โกมล", "ไก่", "ขวัญ", "จันทร์เพ็ญ", "ณัฐพล"]
LAST_NAMES = ["ใจดี", "มั่นคง", "ศรีสุข", "บุญมา", "แก้วใส", "มณี", "ทองดี", "สุขเจริญ"]
DIVISIONS = {
    "สำนักปลัด": ["งานบริหารทั่วไป", "งานนโยบายและแผน", "งานการเจ้าหน้าที่", "งานกฎหมายและคดี"],
    "กองคลัง": ["งานการเงินและบัญชี", "งานพัฒนาและจัดเก็บรายได้", "งานพัสดุ"],
    "กองช่าง": ["งานก่อสร้าง"],
    "กองการศึกษา ศาสนาและวัฒนธรรม": ["ศูนย์พัฒนาเด็กเล็ก"],
    "กองสวัสดิการสังคม": [],
}


def _kinds():
    from staff.choices import Level, PersonnelType, PositionType

    official = PersonnelType.LOCAL_OFFICIAL
    # (weight, personnel type, position type, level, title)
    return [
        (1, official, PositionType.EXECUTIVE, Level.MIDDLE, "ปลัดองค์การบริหารส่วนตำบล"),
        (2, official, PositionType.DIRECTOR, Level.JUNIOR, "ผู้อำนวยการกอง"),
        (8, official, PositionType.ACADEMIC, Level.PROFESSIONAL, "นักจัดการงานทั่วไป"),
        (1, official, PositionType.ACADEMIC, Level.PRACTITIONER, "นักวิชาการคอมพิวเตอร์"),
        (6, official, PositionType.GENERAL, Level.EXPERIENCED, "เจ้าพนักงานธุรการ"),
        (3, PersonnelType.TEACHER, PositionType.TEACHING, Level.TEACHER, "ครู"),
        (8, PersonnelType.MISSION_EMPLOYEE, "", "", "ผู้ช่วยเจ้าพนักงานธุรการ"),
        (2, PersonnelType.PERMANENT_EMPLOYEE, "", "", "พนักงานขับรถยนต์"),
        (4, PersonnelType.GENERAL_EMPLOYEE, "", "", "คนงานทั่วไป"),
    ]


def _organisation(people: int):
    """One organisation, its HR officer, a closed round and ``people`` submitted
    assessments (plus 5 % of people who did not answer)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from portal.models import Membership, Organization, Role
    from skills.models import Answer, Assessment, AssessmentRound, Framework, Item
    from skills.services import GroupResolver
    from staff.models import StaffMember, Unit
    from staff.validators import citizen_id_with_check_digit

    rng = random.Random(2565)
    organization = Organization.objects.create(
        slug="bench-skills", name_th="องค์การบริหารส่วนตำบลทดสอบความเร็ว", short_name="อบต.ทดสอบ"
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
    kinds = _kinds()
    weights = [kind[0] for kind in kinds]
    total = people + people // 20
    staff = []
    for index in range(total):
        _w, personnel_type, position_type, level, title = rng.choices(kinds, weights)[0]
        staff.append(
            StaffMember(
                organization=organization,
                unit=rng.choice(units),
                prefix=rng.choice(["นาย", "นาง", "นางสาว"]),
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)}{index}",
                citizen_id=citizen_id_with_check_digit(f"3{index + 1:011d}"),
                personnel_type=personnel_type,
                position_type=position_type,
                level=level,
                position_title=title,
            )
        )
    StaffMember.objects.bulk_create(staff)
    staff = list(StaffMember.objects.filter(organization=organization).order_by("pk"))

    framework = Framework.objects.get(code="ocsc-2561")
    the_round = AssessmentRound.objects.create(
        organization=organization,
        framework=framework,
        fiscal_year=2565,
        opens_on=dt.date(2021, 12, 1),
        closes_on=dt.date(2022, 1, 31),
    )
    resolver = GroupResolver.load(organization=organization, framework=framework)
    now = timezone.now()
    Assessment.objects.bulk_create(
        Assessment(
            round=the_round,
            staff_member=person,
            group=resolver.group_of(person),
            status=Assessment.Status.SUBMITTED,
            submitted_at=now,
        )
        for person in staff[:people]
    )
    items = list(Item.objects.filter(domain__framework=framework).values_list("pk", flat=True))
    Answer.objects.bulk_create(
        (
            Answer(assessment=assessment, item_id=item, level=rng.randint(0, 4))
            for assessment in Assessment.objects.filter(round=the_round)
            for item in items
        ),
        batch_size=2000,
    )
    user = get_user_model().objects.create_user(username="bench-hr", password="x" * 20)
    Membership.objects.create(user=user, organization=organization, role=Role.HR)
    return the_round, user, len(items)


def _database_version(connection) -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 100}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    _url, clean_up = throwaway_database("bench_skills")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment
        from django.urls import reverse

        from skills.services import round_results

        call_command("migrate", verbosity=0)
        # Production runs without DEBUG; with it Django keeps every SQL statement in
        # memory, which is not what we want to measure. (Also lets the test client in.)
        setup_test_environment(debug=False)

        the_round, user, item_count = _organisation(args.people)
        client = Client()
        client.force_login(user)

        def measure(label: str, call) -> tuple[str, float, int, list[float]]:
            call()  # warm-up: caches, template compilation, connection
            times = []
            for _run in range(args.runs):
                start = time.perf_counter()
                call()
                times.append(time.perf_counter() - start)
            with CaptureQueriesContext(connection) as queries:
                call()
            return label, statistics.median(times), len(queries), times

        sizes: dict[str, int] = {}

        def get(url: str):
            def call():
                response = client.get(url)
                assert response.status_code == 200, response.status_code
                sizes[url] = len(response.content)

            return call

        results_url = reverse("skills:round_results", args=[the_round.pk])

        rows = [
            measure("results page", get(results_url)),
            measure("Excel export", get(reverse("skills:round_results_xlsx", args=[the_round.pk]))),
            measure("progress page", get(reverse("skills:round_detail", args=[the_round.pk]))),
            measure("service only", lambda: round_results(the_round)),
        ]
        submitted = the_round.assessments.count()
        print(
            f"Skills results benchmark: {submitted} submitted assessments × {item_count} answers, "
            f"{args.people + args.people // 20} staff"
        )
        print(f"database: {_database_version(connection)}")
        print(f"python {platform.python_version()} · {platform.machine()} · {os.cpu_count()} CPUs")
        print(f"{'':14} {'median ms':>9} {'queries':>8}   runs: ms")
        for label, median, queries, times in rows:
            runs = " ".join(f"{t * 1000:.0f}" for t in times)
            print(f"{label:14} {median * 1000:9.0f} {queries:8}   {runs}")
        print(f"results page HTML: {sizes[results_url] / 1024:.0f} KiB")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
