"""What one step of the self-assessment costs the server: opening it, saving it (the
"save and continue" button and the autosave of a radio change) and logging in.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \
        .venv/bin/python bench/assessment.py [--runs 15] [--people 200]

On PostgreSQL it creates a throwaway database next to the one in DATABASE_URL
(``bench_assess_<pid>``), migrates it and drops it at the end; without DATABASE_URL it
uses a temporary SQLite file. One organisation with ``--people`` staff and an open
ocsc-2561 round; one staff member has answered the first step. With Django's test
client (the whole request: middleware, session, view, template) it reports the median
of ``--runs`` requests after one warm-up — wall time, and the CPU time of this process
(the web worker's share: on a busy shared machine the wall time mostly measures the
wait for the database) — and the SQL queries of one more:

* step open — GET ``/skills/rounds/<pk>/assess/?step=2``;
* step save — POST of step 2's five answers, answered with a redirect;
* autosave — the same POST from htmx, answered with the status line;
* login — POST ``/accounts/login/`` with the configured password hasher: CPU seconds of
  the process (``time.process_time``), the figure a round's opening multiplies.

The script uses only URLs and services that every version has, so it can be copied into
an older checkout and run there for the before/after table of README "Performance".
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import throwaway_database
from bench.skills_results import _database_version

PASSWORD = "bench-assessment-password-2569"
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"}
TITLES = [
    ("ACADEMIC", "นักจัดการงานทั่วไป"),
    ("GENERAL", "เจ้าพนักงานธุรการ"),
    ("DIRECTOR", "ผู้อำนวยการกองคลัง"),
    ("ACADEMIC", "นักวิชาการคอมพิวเตอร์"),
]


def bench_person(organization, unit, index: int):
    """The ``index``-th made-up person of an organisation (not saved); citizen IDs are
    unique within the organisation, as the database requires."""
    from staff.choices import PersonnelType, PositionType
    from staff.models import StaffMember
    from staff.validators import citizen_id_with_check_digit

    return StaffMember(
        organization=organization,
        unit=unit,
        prefix="นาย",
        first_name="สมชาย",
        last_name=f"ใจดี{index}",
        citizen_id=citizen_id_with_check_digit(f"3{index + 1:011d}"),
        personnel_type=PersonnelType.LOCAL_OFFICIAL,
        position_type=getattr(PositionType, TITLES[index % len(TITLES)][0]),
        position_title=TITLES[index % len(TITLES)][1],
    )


def _organisation(people: int):
    """One organisation, ``people`` staff, an open round and the person who answers."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from portal.models import Membership, Organization, Role
    from skills.models import AssessmentRound, Framework
    from staff.models import StaffMember, Unit

    organization = Organization.objects.create(
        slug="bench-assess", name_th="องค์การบริหารส่วนตำบลทดสอบความเร็ว", short_name="อบต.ทดสอบ"
    )
    unit = Unit.objects.create(organization=organization, name="สำนักปลัด", order=1)
    StaffMember.objects.bulk_create(bench_person(organization, unit, i) for i in range(people))
    user = get_user_model().objects.create_user(username="bench-staff", password=PASSWORD)
    Membership.objects.create(user=user, organization=organization, role=Role.STAFF)
    person = StaffMember.objects.filter(organization=organization).order_by("pk").first()
    person.user = user
    person.save()
    today = timezone.localdate()
    the_round = AssessmentRound.objects.create(
        organization=organization,
        framework=Framework.objects.get(code="ocsc-2561"),
        fiscal_year=2570,
        opens_on=today - dt.timedelta(days=7),
        closes_on=today + dt.timedelta(days=21),
    )
    return the_round, user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sql", action="store_true", help="print the queries")
    args = parser.parse_args()

    _url, clean_up = throwaway_database("bench_assess")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment
        from django.urls import reverse

        from skills.models import Domain

        call_command("migrate", verbosity=0)
        setup_test_environment(debug=False)  # no SQL kept in memory; the client allowed in

        the_round, user = _organisation(args.people)
        url = reverse("skills:assess", args=[the_round.pk])
        domains = list(Domain.objects.filter(framework=the_round.framework).order_by("order"))
        client = Client()
        client.force_login(user)

        def answers(domain, level: int) -> dict[str, object]:
            return {f"item_{item.pk}": level for item in domain.items.order_by("order")}

        # The person has started: the first step is answered.
        assert (
            client.post(f"{url}?step=1", {**answers(domains[0], 1), "go": "next"}).status_code
            == 302
        )
        step2 = [answers(domains[1], level) for level in range(5)]
        counter = iter(range(10**6))

        def step_open() -> None:
            assert client.get(f"{url}?step=2").status_code == 200

        def step_save() -> None:
            data = {**step2[next(counter) % 5], "go": "next"}
            assert client.post(f"{url}?step=2", data).status_code == 302

        def autosave() -> None:
            data = step2[next(counter) % 5]
            response = client.post(f"{url}?step=2", data, headers={"HX-Request": "true"})
            assert response.status_code == 200

        def measure(call) -> tuple[float, float, int, int]:
            """Median wall and worker-CPU milliseconds, queries, transaction statements."""
            call()  # warm-up: template compilation, caches, the connection
            wall, cpu = [], []
            for _run in range(args.runs):
                w0, c0 = time.perf_counter(), time.process_time()
                call()
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
            with CaptureQueriesContext(connection) as queries:
                call()
            if args.sql:
                print(*(q["sql"][:120] for q in queries), sep="\n")
            # Transaction control (BEGIN, COMMIT, savepoints) is counted apart.
            control = [q for q in queries if q["sql"].split()[0] in TRANSACTION_CONTROL]
            return (
                statistics.median(wall) * 1000,
                statistics.median(cpu) * 1000,
                len(queries) - len(control),
                len(control),
            )

        def login_cpu() -> float:
            cpu = []
            for _run in range(max(3, args.runs // 3)):
                visitor = Client()
                start = time.process_time()
                response = visitor.post(
                    reverse("login"), {"username": "bench-staff", "password": PASSWORD}
                )
                cpu.append(time.process_time() - start)
                assert response.status_code == 302, response.status_code
            return statistics.median(cpu)

        print(
            f"{platform.machine()}, Python {platform.python_version()}, "
            f"{_database_version(connection)}, {args.people} staff, "
            f"median of {args.runs} requests"
        )
        for label, call in [
            ("step open (GET)", step_open),
            ("step save (POST, 5 answers)", step_save),
            ("autosave (htmx POST)", autosave),
        ]:
            wall, cpu, queries, control = measure(call)
            print(
                f"{label:<30} {wall:6.1f} ms ({cpu:5.1f} ms CPU)  "
                f"{queries:3d} queries (+{control} BEGIN/COMMIT/savepoints)"
            )
        print(f"{'login (CPU)':<30} {login_cpu() * 1000:7.1f} ms")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
