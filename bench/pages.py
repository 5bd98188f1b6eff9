"""Every page at 500 staff and 60 projects against the Django admin changelist of staff
(one page of 100 people), measured interleaved in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \
        .venv/bin/python bench/pages.py [--staff 500] [--projects 60] [--runs 7] \
        [--only "plan page" ...]

One organisation of ``--staff`` people, every one with a login, in the units and kinds
of bench/plans.py; a position for each official; a manpower plan whose rows are the
staff as they are (grouped by unit, title, type and level); a development plan of
``--projects`` projects (bench/plans.py's generator: every kind of target group in
turn) on that manpower plan; a closed ocsc-2561 round everyone submitted; attendance of
the first fiscal year's planned projects and a few external courses waiting for HR.
Then each page is requested through Django's test Client as HR, as the executive
(นายก) or as a staff member (middleware, view, queries and template: everything but
the network) with DEBUG off and the cached template loader, as production runs.

Each run requests the admin changelist and then the page, page after page, so both are
measured on the same machine at the same moment (it is shared and noisy); a page's
ratio is its median over the median of the admin requests made just before it. The
query count is that of one request. Exit status is 0 either way: this reports, it does
not judge.
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
from decimal import Decimal
from pathlib import Path

# bench/plans.py is named like the Django app: keep this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import django_for_bench, throwaway_database  # noqa: E402

WARM_UP = 2


def _logins(organization) -> tuple:
    """A login for every person (as HR issuing accounts leaves them: no password until
    activated), the executive (นายก) and the staff member whose own pages are timed."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from portal.models import ChainPosition, Membership, Role
    from staff.models import StaffMember

    User = get_user_model()
    people = list(StaffMember.objects.filter(organization=organization).order_by("pk"))
    users = User.objects.bulk_create(
        User(
            username=f"bench-{index:04d}",
            first_name=person.first_name,
            last_name=person.last_name,
            password=make_password(None),
        )
        for index, person in enumerate(people)
    )
    for person, user in zip(people, users, strict=True):
        person.user = user
    StaffMember.objects.bulk_update(people, ["user"])
    Membership.objects.bulk_create(
        Membership(user=user, organization=organization, role=Role.STAFF) for user in users
    )
    mayor = User.objects.create_user("bench-mayor", first_name="สมชาย", last_name="ทองมา")
    Membership.objects.create(
        user=mayor,
        organization=organization,
        role=Role.EXECUTIVE,
        chain_position=ChainPosition.MAYOR,
    )
    # Someone in a project's target group who answered the round: the staff's own pages
    # then show planned projects, records and gaps.
    return mayor, users[len(users) // 3]


def _positions(organization) -> None:
    """A numbered position for each official, held by that person."""
    from staff.models import Position, StaffMember

    officials = list(
        StaffMember.objects.filter(organization=organization, personnel_type="official")
        .select_related("unit")
        .order_by("pk")
    )
    positions = Position.objects.bulk_create(
        Position(
            organization=organization,
            number=f"12-3-{person.unit_id:02d}-{index:04d}",
            title=person.position_title,
            personnel_type=person.personnel_type,
            position_type=person.position_type,
            level=person.level,
            unit=person.unit,
        )
        for index, person in enumerate(officials, start=1)
    )
    for person, position in zip(officials, positions, strict=True):
        person.position = position
    StaffMember.objects.bulk_update(officials, ["position"])


def _manpower_plan(organization):
    """An approved 3-year manpower plan whose rows are the staff as they work now."""
    from collections import Counter

    from django.utils import timezone

    from staff.models import ManpowerPlan, ManpowerPlanRow, StaffMember

    plan = ManpowerPlan.objects.create(
        organization=organization,
        first_fy=2567,
        title="แผนอัตรากำลัง ๓ ปี ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ – ๒๕๖๙",
        status=ManpowerPlan.Status.APPROVED,
        approved_at=timezone.now(),
    )
    counts = Counter(
        StaffMember.objects.filter(organization=organization).values_list(
            "unit_id", "position_title", "personnel_type", "position_type", "level"
        )
    )
    ManpowerPlanRow.objects.bulk_create(
        ManpowerPlanRow(
            plan=plan,
            unit_id=unit_id,
            position_title=title,
            personnel_type=personnel_type,
            position_type=position_type,
            level=level,
            current_count=count,
            year1_count=count + (order % 3 == 0),
            year2_count=count + (order % 3 == 0),
            year3_count=count + (order % 4 == 0),
            order=order,
        )
        for order, ((unit_id, title, personnel_type, position_type, level), count) in enumerate(
            sorted(counts.items()), start=1
        )
    )
    return plan


def _records(plan, hr_user) -> None:
    """Attendance of every project planned in the plan's first year (its target group
    passed or attended), and an external course reported by every tenth person, half
    of them waiting for HR's confirmation."""
    from django.utils import timezone

    from plans.models import DevelopmentRecord, ProjectAudience
    from staff.models import StaffMember

    rng = random.Random(2567)
    fy = plan.first_fy
    started = dt.date(fy - 543 - 1, 11, 15)
    audience = ProjectAudience.objects.filter(
        project__plan=plan, project__years__fiscal_year=fy, project__years__planned=True
    ).values_list("project_id", "staff_member_id")
    results = [DevelopmentRecord.Result.PASSED, DevelopmentRecord.Result.ATTENDED]
    DevelopmentRecord.objects.bulk_create(
        (
            DevelopmentRecord(
                staff_member_id=person_id,
                project_id=project_id,
                source=DevelopmentRecord.Source.PROJECT,
                fiscal_year=fy,
                started_on=started,
                ended_on=started + dt.timedelta(days=1),
                hours=Decimal(12),
                result=rng.choice(results),
            )
            for project_id, person_id in audience
        ),
        batch_size=2000,
    )
    people = StaffMember.objects.filter(organization_id=plan.organization_id).order_by("pk")
    DevelopmentRecord.objects.bulk_create(
        DevelopmentRecord(
            staff_member=person,
            source=DevelopmentRecord.Source.EXTERNAL,
            course_name="การใช้งานระบบบัญชีคอมพิวเตอร์ขององค์กรปกครองส่วนท้องถิ่น (e-LAAS)",
            provider_name="กรมส่งเสริมการปกครองท้องถิ่น",
            area="specific",
            fiscal_year=fy,
            started_on=started + dt.timedelta(days=30),
            ended_on=started + dt.timedelta(days=32),
            hours=Decimal(18),
            confirmed_by=hr_user if index % 20 else None,
            confirmed_at=timezone.now() if index % 20 else None,
        )
        for index, person in enumerate(people[::10])
    )


def _pages(plan, manpower, the_round, person) -> list[tuple[str, str, str]]:
    """(name, who opens it, URL) of every page timed."""
    from django.urls import reverse

    fy = plan.first_fy
    return [
        ("home dashboard (HR)", "hr", reverse("portal:dashboard")),
        ("staff list", "hr", reverse("staff:list")),
        ("staff detail", "hr", reverse("staff:detail", args=[person.pk])),
        ("staff accounts", "hr", reverse("staff:accounts")),
        ("units", "hr", reverse("staff:units")),
        ("positions", "hr", reverse("staff:positions")),
        ("manpower list", "hr", reverse("staff:manpower_list")),
        ("manpower plan", "hr", reverse("staff:manpower_detail", args=[manpower.pk])),
        ("rounds", "hr", reverse("skills:rounds")),
        ("round detail", "hr", reverse("skills:round_detail", args=[the_round.pk])),
        ("round results", "hr", reverse("skills:round_results", args=[the_round.pk])),
        ("targets", "hr", reverse("skills:targets")),
        ("skill groups", "hr", reverse("skills:groups")),
        ("plans list", "hr", reverse("plans:list")),
        ("plan page", "hr", reverse("plans:detail", args=[plan.pk])),
        ("annual plan", "hr", reverse("plans:annual", args=[plan.pk, fy])),
        ("progress report", "hr", reverse("plans:progress", args=[plan.pk, fy])),
        ("results report", "hr", reverse("plans:results", args=[plan.pk, fy])),
        ("checks", "hr", reverse("plans:checks", args=[plan.pk])),
        ("suggestions", "hr", reverse("plans:suggestions", args=[plan.pk])),
        ("records to confirm", "hr", reverse("plans:records")),
        ("history log", "hr", reverse("portal:history")),
        ("settings", "hr", reverse("portal:settings")),
        ("roles", "hr", reverse("portal:roles")),
        ("home dashboard (executive)", "executive", reverse("portal:dashboard")),
        ("plan page (executive)", "executive", reverse("plans:detail", args=[plan.pk])),
        ("home dashboard (staff)", "staff", reverse("portal:dashboard")),
        ("/me/ (staff)", "staff", reverse("me:home")),
        ("/skills/me/ (staff)", "staff", reverse("skills:me")),
    ]


def _request(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def _queries(client, url: str) -> tuple[int, int]:
    """SQL queries of one request, and the size of its page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), len(response.content)


def _profile(pages, clients, sql: bool) -> None:
    """Where the time of each page goes: cProfile of 5 requests after the warm-up, by
    own time and by cumulative time, and (``sql``) the queries of one request."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, role, url in pages:
        client = clients[role]
        for _n in range(WARM_UP):
            _request(client, url)
        if sql:
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            for query in captured:
                print(f"{query['time']}s {query['sql'][:400]}")
        profiler = cProfile.Profile()
        profiler.enable()
        for _n in range(5):
            client.get(url)
        profiler.disable()
        print(f"=== {name} ({url})")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(45)


def _save_html(pages, clients, folder: Path) -> None:
    """Each page's HTML as ``<name>.html``, with the per-request CSRF tokens and CSP
    nonces blanked, so that two versions' folders can be compared with ``diff``."""
    import re

    folder.mkdir(parents=True, exist_ok=True)
    for name, role, url in pages:
        html = clients[role].get(url).content.decode()
        html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*', r"\1", html)
        html = re.sub(r'(nonce=")[^"]*', r"\1", html)
        html = re.sub(r'(name="csrf-token" content=")[^"]*', r"\1", html)
        (folder / f"{name.replace('/', '_')}.html").write_text(html)


def _load() -> str:
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=500)
    parser.add_argument("--projects", type=int, default=60)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", nargs="+", help="time only these pages (by name)")
    parser.add_argument(
        "--profile", nargs="+", help="profile these pages (cProfile, 5 requests) instead"
    )
    parser.add_argument("--sql", action="store_true", help="with --profile: print the queries")
    parser.add_argument(
        "--html",
        metavar="FOLDER",
        help="save each page's HTML in FOLDER instead (to compare two versions' pages)",
    )
    args = parser.parse_args()

    _url, clean_up = throwaway_database("bench_pages")
    try:
        django_for_bench()
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from bench.import_staff import _database_version
        from bench.plans import _closed_round, _organisation, _plan
        from plans.models import DevelopmentPlan
        from skills.models import AssessmentRound

        began = time.perf_counter()
        organization, hr_user, units = _organisation(args.staff)
        mayor, staff_user = _logins(organization)
        _positions(organization)
        manpower = _manpower_plan(organization)
        plan = _plan(organization, units, args.projects)
        DevelopmentPlan.objects.filter(pk=plan.pk).update(manpower_plan=manpower)
        _closed_round(organization, args.staff)
        _records(plan, hr_user)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")
        generated = time.perf_counter() - began

        the_round = AssessmentRound.objects.get(organization=organization)
        person = staff_user.staff_member
        clients = {}
        for role, user in [("hr", hr_user), ("executive", mayor), ("staff", staff_user)]:
            clients[role] = Client()
            clients[role].force_login(user)
        admin = Client()
        admin.force_login(get_user_model().objects.create_superuser("bench-admin", "", "x-1"))
        admin_url = reverse("admin:staff_staffmember_changelist")

        pages = _pages(plan, manpower, the_round, person)
        if args.only:
            pages = [page for page in pages if page[0] in args.only]
        print(
            f"Every page: {args.staff} staff with logins, {args.projects} projects, a closed "
            f"round everyone answered, a manpower plan (data built in {generated:.0f} s); "
            f"median of {args.runs} runs after {WARM_UP} warm-up requests, each page "
            f"right after the admin changelist of staff (100 a page)"
        )
        print(f"database: {_database_version(connection)}")
        print(f"python {platform.python_version()} · {platform.machine()} · {os.cpu_count()} CPUs")
        print(f"load average at the start: {_load()}")

        if args.html:
            _save_html(pages, clients, Path(args.html))
            return
        if args.profile:
            _profile([page for page in pages if page[0] in args.profile], clients, args.sql)
            return

        for _name, role, url in pages:
            for _n in range(WARM_UP):
                _request(admin, admin_url)
                _request(clients[role], url)
        admin_queries, admin_size = _queries(admin, admin_url)
        # By name: the dashboard and the plan page have one URL for several roles.
        counts = {name: _queries(clients[role], url) for name, role, url in pages}

        admin_times: dict[str, list[float]] = {name: [] for name, _role, _url in pages}
        page_times: dict[str, list[float]] = {name: [] for name, _role, _url in pages}
        for _run in range(args.runs):
            for name, role, url in pages:
                admin_times[name].append(_request(admin, admin_url))
                page_times[name].append(_request(clients[role], url))

        every_admin = [t for times in admin_times.values() for t in times]
        print(f"load average at the end: {_load()}")
        print(
            f"admin changelist: median {statistics.median(every_admin):.0f} ms, "
            f"{admin_queries} queries, {admin_size / 1024:.0f} KiB\n"
        )
        print("| page | as | median ms | admin ms | ratio | queries | KiB |")
        print("|---|---|---|---|---|---|---|")
        over = []
        for name, role, _url in pages:
            page_ms = statistics.median(page_times[name])
            admin_ms = statistics.median(admin_times[name])
            ratio = page_ms / admin_ms
            if ratio > 1:
                over.append(name)
            queries, size = counts[name]
            print(
                f"| {name} | {role} | {page_ms:.0f} | {admin_ms:.0f} | "
                f"{'**' if ratio > 1 else ''}{ratio:.2f}×{'**' if ratio > 1 else ''} "
                f"| {queries} | {size / 1024:.0f} |"
            )
        print(f"\nover 1×: {', '.join(over) if over else 'none'}")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
