"""Does one organisation's portal slow down when the whole country shares the database?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \
        .venv/bin/python bench/national.py [--organizations 2000] [--staff 50] [--small]

On a throwaway PostgreSQL database next to the one in DATABASE_URL (``bench_national_<pid>``,
dropped at the end) it seeds the demo organisation (``seed_demo``: its staff, round and
plan) and times its HR officer's main pages — the median of ``--runs`` whole requests
through Django's test client — with that one organisation in the database. Then it adds
``--organizations`` more in bulk, each with ``--staff`` people who all have a login, one
assessment round and every person's submitted self-assessment with an answer to every
statement (the answers by one ``INSERT … SELECT``), runs ANALYZE, and times the same pages
again: the ratio is the national database's time over the one-organisation time.
Last, every query those pages run is EXPLAINed on the national database, and each
sequential scan of a table that grows with the country is reported: in bold when the
table has over 10,000 rows (an index is missing), plain when it is small enough that the
planner rightly reads it whole (``--explain`` prints those queries and their plans).
``--small`` is 200 × 20, a quick run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import throwaway_database
from bench.assessment import bench_person
from bench.skills_results import _database_version

BATCH = 5000
#: A table read whole below this many rows is no index problem: the planner rightly
#: prefers a scan (a hash join's small side, a table of one row).
SMALL_TABLE = 10_000


def _pages() -> list[tuple[str, str]]:
    """The demo organisation's main pages as its HR officer opens them."""
    from plans.models import DevelopmentPlan
    from portal.demo import DEMO_SLUG
    from skills.models import AssessmentRound

    demo_round = AssessmentRound.objects.filter(organization__slug=DEMO_SLUG).latest("pk")
    plan = DevelopmentPlan.objects.filter(organization__slug=DEMO_SLUG).latest("pk")
    return [
        ("dashboard", "/"),
        ("staff list", "/staff/"),
        ("staff logins", "/staff/accounts/"),
        ("assessment rounds", "/skills/rounds/"),
        ("round results", f"/skills/rounds/{demo_round.pk}/results/"),
        ("plans", "/plans/"),
        ("plan page", f"/plans/{plan.pk}/"),
    ]


def _time_pages(client, pages, runs: int) -> dict[str, tuple[float, int]]:
    """Median milliseconds and query count of each page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = {}
    for label, path in pages:
        assert client.get(path).status_code == 200, path  # warm-up
        wall = []
        for _run in range(runs):
            began = time.perf_counter()
            client.get(path)
            wall.append((time.perf_counter() - began) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        timings[label] = (statistics.median(wall), len(queries))
    return timings


def _country(organizations: int, staff: int) -> None:
    """``organizations`` more organisations of ``staff`` people, logins, a round each and
    every person's submitted answers."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from portal.models import Membership, Organization, Role
    from skills.models import Answer, Assessment, AssessmentRound, Framework, Item, PersonnelGroup
    from staff.models import StaffMember, Unit

    framework = Framework.objects.get(code="ocsc-2561")
    today = timezone.localdate()
    password = make_password("bench-national-2569")
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            Organization(
                slug=f"nation-{number}",
                name_th=f"องค์การบริหารส่วนตำบลทดสอบ {number}",
                short_name=f"อบต.ทดสอบ {number}",
                district="เมือง",
                province="ทดสอบ",
            )
            for number in range(organizations)
        )
        units = Unit.objects.bulk_create(
            Unit(organization=org, name="สำนักปลัด", order=1) for org in orgs
        )
        AssessmentRound.objects.bulk_create(
            AssessmentRound(
                organization=org,
                framework=framework,
                fiscal_year=2570,
                opens_on=today - dt.timedelta(days=30),
                closes_on=today - dt.timedelta(days=1),
            )
            for org in orgs
        )
        User = get_user_model()
        for first in range(0, organizations, max(1, BATCH // staff)):
            chunk = list(zip(orgs, units, strict=True))[first : first + max(1, BATCH // staff)]
            people = [
                bench_person(org, unit, index) for org, unit in chunk for index in range(staff)
            ]
            users = User.objects.bulk_create(
                User(username=f"n{person.organization.pk}-{index}", password=password)
                for index, person in enumerate(people)
            )
            for person, user in zip(people, users, strict=True):
                person.user = user
            StaffMember.objects.bulk_create(people)
            Membership.objects.bulk_create(
                Membership(user=user, organization=person.organization, role=Role.STAFF)
                for person, user in zip(people, users, strict=True)
            )
        group = PersonnelGroup.objects.filter(framework=framework).order_by("pk").first()
        items = list(Item.objects.filter(domain__framework=framework).values_list("pk", flat=True))
        assessment, answer = Assessment._meta.db_table, Answer._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {assessment} (round_id, staff_member_id, group_id, status,
                        started_at, updated_at, submitted_at)
                    SELECT r.id, s.id, %s, 'submitted', now(), now(), now()
                    FROM {StaffMember._meta.db_table} s
                    JOIN {AssessmentRound._meta.db_table} r
                      ON r.organization_id = s.organization_id
                    WHERE s.organization_id = ANY(%s)""",
                [group.pk, [org.pk for org in orgs]],
            )
            cursor.execute(
                f"""INSERT INTO {answer} (assessment_id, item_id, level)
                    SELECT a.id, i.id, (a.id + i.id) %% 5
                    FROM {assessment} a
                    JOIN {AssessmentRound._meta.db_table} r ON r.id = a.round_id
                    CROSS JOIN unnest(%s::bigint[]) AS i(id)
                    WHERE r.organization_id = ANY(%s)""",
                [items, [org.pk for org in orgs]],
            )
    # VACUUM too: autovacuum would otherwise start on the new rows while pages are timed.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _sequential_scans(client, pages, *, verbose: bool) -> dict[str, list[str]]:
    """Per page: the tables with rows for every organisation that its queries read by a
    sequential scan (a page of one organisation must reach them through an index)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.accounts.models import UserSession
    from portal.models import Membership
    from skills.models import Answer, Assessment, AssessmentRound
    from staff.models import StaffMember, Unit

    national = [StaffMember, Unit, get_user_model(), Membership, AssessmentRound]
    national = [m._meta.db_table for m in [*national, Assessment, Answer, UserSession]]

    found = {}
    for label, path in pages:
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        scans = set()
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            seen = {table for table in national if f"Seq Scan on {table}" in plan}
            if seen and verbose:
                print(f"-- {label}: {sorted(seen)}\n{sql[:600]}\n{plan}\n")
            scans |= seen
        found[label] = sorted(scans)
    return found


def _rows(tables: set[str]) -> dict[str, int]:
    """The planner's row count of each table (after ANALYZE)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
            [sorted(tables)],
        )
        return dict(cursor.fetchall())


def _scan_note(tables: list[str], rows: dict[str, int]) -> str:
    """Sequential scans of a table over SMALL_TABLE rows are the problem to report; a
    small table read whole (a hash join's other side) is listed with its size."""
    if not tables:
        return "none"
    return ", ".join(
        f"**{table} ({rows.get(table, 0):,} rows)**"
        if rows.get(table, 0) > SMALL_TABLE
        else f"{table} ({rows.get(table, 0):,} row{'s' * (rows.get(table, 0) != 1)}, small)"
        for table in tables
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=2000)
    parser.add_argument("--staff", type=int, default=50, help="people per organisation")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--small", action="store_true", help="200 organisations × 20 staff")
    parser.add_argument("--explain", action="store_true", help="print each scanning query")
    args = parser.parse_args()
    if args.small:
        args.organizations, args.staff = 200, 20

    url, clean_up = throwaway_database("bench_national")
    if not url.startswith(("postgres://", "postgresql://")):
        clean_up()
        sys.exit("bench/national.py needs DATABASE_URL on a PostgreSQL server.")
    try:
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        from portal.demo import DEMO_LOGINS
        from portal.models import Role
        from staff.models import StaffMember

        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        setup_test_environment(debug=False)

        hr = next(login for login in DEMO_LOGINS if login.role == Role.HR)
        client = Client()
        client.force_login(get_user_model().objects.get(username=hr.username))
        pages = _pages()
        alone = _time_pages(client, pages, args.runs)

        began = time.perf_counter()
        _country(args.organizations, args.staff)
        generated = time.perf_counter() - began
        national = _time_pages(client, pages, args.runs)
        scans = _sequential_scans(client, pages, verbose=args.explain)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM skills_answer")
            (answers,) = cursor.fetchone()

        print(
            f"{_database_version(connection)}; {args.organizations:,} organisations × "
            f"{args.staff} staff added in {generated:.0f} s: "
            f"{StaffMember.objects.count():,} staff, {answers:,} answers; "
            f"median of {args.runs} requests\n"
        )
        rows = _rows({table for found in scans.values() for table in found})
        print("| page | one organisation | national | ratio | queries | sequential scans |")
        print("|---|---|---|---|---|---|")
        for label, _path in pages:
            (one, queries_one), (many, queries_many) = alone[label], national[label]
            print(
                f"| {label} | {one:.0f} ms | {many:.0f} ms | {many / one:.2f}× "
                f"| {queries_one} → {queries_many} | {_scan_note(scans[label], rows)} |"
            )
    finally:
        clean_up()


if __name__ == "__main__":
    main()
