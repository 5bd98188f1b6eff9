"""How fast the home page answers with each role's dashboard: server time of ``/`` for
HR, the executive and a staff member in an organisation of 500 staff with a plan of 60
projects (the organisation and plan of bench/plans.py, moved so that the current fiscal
year is the plan's second), a year followed half-way (attendance, spend, courses to
confirm), a closed self-assessment round everyone answered and an open one closing
soon — against the Django admin changelist of staff (one page of 100 people) measured
in the same run as the yardstick.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \\
        .venv/bin/python bench/dashboard.py [--projects 60] [--staff 500] [--runs 15]

On PostgreSQL it creates a throwaway database next to the one in DATABASE_URL, migrates
it and drops it at the end; without DATABASE_URL it uses a temporary SQLite file. Each
page is requested through Django's test Client (middleware, view, queries and
template), a few times to warm up and then ``--runs`` times; the figure is the median,
with the number of SQL queries of one request and "×", the ratio to the admin page.
The last line is HR's home page right after a write to the organisation's data, when
the count of the plan's findings is not in the cache.
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


def _this_year(plan) -> int:
    """Move the plan (FY 2567–2569 in bench/plans.py) so that this fiscal year is its
    second; return this fiscal year."""
    from django.db.models import F

    from plans.models import DevelopmentPlan, ProjectYear
    from portal.thai import current_fiscal_year

    fy = current_fiscal_year()
    shift = fy - 1 - plan.first_fy
    years = ProjectYear.objects.filter(project__plan=plan)
    # In two steps: a project's years must never meet on the way (one row per FY).
    years.update(fiscal_year=F("fiscal_year") + 1000)
    years.update(fiscal_year=F("fiscal_year") - 1000 + shift)
    DevelopmentPlan.objects.filter(pk=plan.pk).update(first_fy=plan.first_fy + shift)
    return fy


def _followed(organization, plan, fy: int, approver) -> None:
    """The plan approved and its year followed half-way: attendance of half the target
    groups of the projects planned this year, spend on each, courses staff reported
    (a third of them waiting for HR), an open round closing in ten days that half the
    staff answered, and a staff login linked to a person."""
    from django.utils import timezone

    from plans.models import DevelopmentPlan, DevelopmentRecord, ProjectAudience, ProjectProgress
    from portal.thai import fiscal_year_start
    from skills.models import Assessment, AssessmentRound, Framework
    from skills.services import GroupResolver
    from staff.models import StaffMember

    rng = random.Random(2570)
    DevelopmentPlan.objects.filter(pk=plan.pk).update(
        status=DevelopmentPlan.Status.APPROVED, approved_by=approver, approved_at=timezone.now()
    )
    day = fiscal_year_start(fy) + dt.timedelta(days=20)
    projects = list(plan.projects.filter(years__fiscal_year=fy, years__planned=True))
    audience = ProjectAudience.objects.filter(project__in=projects).values_list(
        "project_id", "staff_member_id"
    )
    DevelopmentRecord.objects.bulk_create(
        DevelopmentRecord(
            staff_member_id=person,
            project_id=project,
            source=DevelopmentRecord.Source.PROJECT,
            fiscal_year=fy,
            started_on=day,
            ended_on=day,
            hours=Decimal(6),
        )
        for project, person in audience
        if rng.random() < 0.5
    )
    ProjectProgress.objects.bulk_create(
        ProjectProgress(project=p, fiscal_year=fy, actual_spend=Decimal(rng.randrange(0, 90_000)))
        for p in projects
    )
    people = list(StaffMember.objects.filter(organization=organization).order_by("pk"))
    DevelopmentRecord.objects.bulk_create(
        DevelopmentRecord(
            staff_member=person,
            source=DevelopmentRecord.Source.EXTERNAL,
            course_name="หลักสูตรออนไลน์",
            fiscal_year=fy,
            started_on=day,
            ended_on=day,
            hours=Decimal(3),
            confirmed_at=None if index % 3 == 0 else timezone.now(),
            confirmed_by=None if index % 3 == 0 else approver,
        )
        for index, person in enumerate(people[::4])
    )
    framework = Framework.objects.get(code="ocsc-2561")
    today = timezone.localdate()
    opened = AssessmentRound.objects.create(
        organization=organization,
        framework=framework,
        fiscal_year=fy,
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=10),
    )
    resolver = GroupResolver.load(organization=organization, framework=framework)
    Assessment.objects.bulk_create(
        Assessment(
            round=opened,
            staff_member=person,
            group=resolver.group_of(person),
            status=Assessment.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for person in people[::2]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=60)
    parser.add_argument("--staff", type=int, default=500)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    _url, clean_up = throwaway_database("bench_dashboard")
    try:
        django_for_bench()
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from bench.import_staff import _database_version
        from bench.plans import WARM_UP, _closed_round, _measure, _organisation, _plan
        from portal.data_version import organizations_bump
        from portal.models import ChainPosition, Membership, Role
        from staff.models import StaffMember

        organization, hr_user, units = _organisation(args.staff)
        plan = _plan(organization, units, args.projects)
        _closed_round(organization, args.staff)
        fy = _this_year(plan)
        users = get_user_model().objects
        mayor = users.create_user("bench-mayor", password="bench-password-1")
        Membership.objects.create(
            user=mayor,
            organization=organization,
            role=Role.EXECUTIVE,
            chain_position=ChainPosition.MAYOR,
        )
        staff = users.create_user("bench-staff", password="bench-password-1")
        Membership.objects.create(user=staff, organization=organization, role=Role.STAFF)
        StaffMember.objects.filter(
            pk=StaffMember.objects.filter(organization=organization).order_by("pk")[0].pk
        ).update(user=staff)
        _followed(organization, plan, fy, mayor)
        admin_user = users.create_superuser("bench-admin", "", "bench-password-1")
        if connection.vendor == "postgresql":
            # Statistics as autovacuum keeps them on a live database: without them the
            # planner takes the tables just filled in bulk for nearly empty.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        print(
            f"Dashboard benchmark: {args.staff} staff, {args.projects} projects, FY {fy} "
            f"followed half-way, median of {args.runs} runs after {WARM_UP} warm-up requests"
        )
        print(f"database: {_database_version(connection)}")
        print(f"python {platform.python_version()} · {platform.machine()} · {os.cpu_count()} CPUs")
        print(
            f"{'page':22} {'median ms':>9} {'min':>6} {'max':>6} {'queries':>7} {'KiB':>6} {'×':>5}"
        )
        cases = [
            ("admin staff changelist", admin_user, reverse("admin:staff_staffmember_changelist")),
            ("home: executive", mayor, "/"),
            ("home: HR", hr_user, "/"),
            ("home: staff", staff, "/"),
        ]
        admin_ms = None
        for name, user, url in cases:
            client = Client()
            client.force_login(user)
            times, queries, size = _measure(client, url, args.runs)
            milliseconds = [t * 1000 for t in times]
            median = statistics.median(milliseconds)
            admin_ms = admin_ms or median
            print(
                f"{name:22} {median:9.0f} {min(milliseconds):6.0f} {max(milliseconds):6.0f} "
                f"{queries:7d} {size / 1024:6.0f} {median / admin_ms:5.2f}",
                flush=True,
            )
        # HR's first request after a write: the plan's findings are counted anew.
        client = Client()
        client.force_login(hr_user)
        milliseconds = []
        for _n in range(args.runs):
            organizations_bump(organization_ids=[organization.pk])
            start = time.perf_counter()
            client.get("/")
            milliseconds.append((time.perf_counter() - start) * 1000)
        organizations_bump(organization_ids=[organization.pk])
        with CaptureQueriesContext(connection) as captured:
            client.get("/")
        median = statistics.median(milliseconds)
        print(
            f"{'home: HR, after a write':22} {median:9.0f} {min(milliseconds):6.0f} "
            f"{max(milliseconds):6.0f} {len(captured):7d} {'':>6} {median / admin_ms:5.2f}"
        )
    finally:
        clean_up()


if __name__ == "__main__":
    main()
