"""How the checks and the suggestions of a plan grow with the staff and the projects:
the server time of ``/plans/<pk>/checks/`` and ``/plans/<pk>/suggest/`` at 100 / 500 /
2,000 staff × 20 / 60 / 200 projects, against the Django admin changelist of staff
(one page of 100 people) measured in the same run as the yardstick.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \
        .venv/bin/python bench/growth.py [--staff 100 500 2000] [--projects 20 60 200] \
        [--runs 5]

One organisation per staff size, everyone of whom submitted a closed self-assessment
round; its plan grows from the smallest number of projects to the largest (the
projects of bench/plans.py: every kind of target group in turn). Each page is requested
through Django's test Client (middleware, view, queries and template), a few times to
warm up and then ``--runs`` times; the figure is the median, with the number of SQL
queries of one request. The table ends with each page's ratio to the admin changelist
of the same configuration and the growth from the smallest to the largest case.

It uses only what the plans app has had from the start (``plan_create``,
``project_save``), so the same script measures an older checkout for comparison.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

# bench/plans.py is named like the Django app: keep this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import django_for_bench, throwaway_database  # noqa: E402

WARM_UP = 2


def _measure(client, url: str, runs: int) -> tuple[float, int]:
    """Median milliseconds of ``runs`` requests after the warm-up, and the queries of one."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    for _n in range(WARM_UP):
        assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Now: the next request empties the log the count is read from.
    queries = len(captured)
    times = []
    for _n in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times), queries


def _add_projects(plan, units, project_count: int) -> None:
    """Projects of bench/plans.py added to ``plan`` up to ``project_count``."""
    import random
    from decimal import Decimal

    from bench.plans import AREAS, KINDS, METHODS
    from plans.services import project_save
    from skills.models import Domain, PersonnelGroup
    from staff.models import StaffMember

    rng = random.Random(2565 + project_count)
    domains = list(Domain.objects.filter(framework__code="ocsc-2561"))
    groups = list(PersonnelGroup.objects.filter(framework__code="ocsc-2561"))
    people = list(StaffMember.objects.filter(organization_id=plan.organization_id))
    personnel_types = [kind[0] for kind in KINDS]
    for index in range(plan.projects.count(), project_count):
        digital = index % 4 == 0
        rule = index % 5
        project_save(
            plan=plan,
            project=None,
            fields={
                "name": f"โครงการพัฒนาบุคลากรที่ {index + 1}",
                "area": AREAS[index % len(AREAS)],
                "is_digital": digital,
                "methods": rng.sample(METHODS, 2),
                "responsible_unit": rng.choice(units),
                "target_personnel_types": rng.sample(personnel_types, 3) if rule == 0 else [],
                "target_position_types": ["academic"] if rule == 4 else [],
            },
            relations={
                "domains": rng.sample(domains, 2) if digital else [],
                "target_units": rng.sample(units, 2) if rule == 1 else [],
                "target_groups": rng.sample(groups, 2) if rule == 2 else [],
                "target_people": rng.sample(people, 12) if rule in (3, 4) else [],
            },
            years={
                fy: {
                    "planned": rng.random() < 0.8,
                    "budget": Decimal(rng.randrange(0, 200_000, 500)),
                    "quarters": [1 + index % 4],
                }
                for fy in plan.fiscal_years
            },
        )


def _organisation(staff: int, slug: str):
    """bench/plans.py's organisation of ``staff`` people under another slug, with its
    empty plan and a closed round everyone answered."""
    from bench.plans import _closed_round
    from bench.plans import _organisation as make_organisation
    from plans.services import plan_create
    from portal.models import Organization

    organization, user, units = make_organisation(staff)
    Organization.objects.filter(pk=organization.pk).update(slug=slug)
    user.username = f"hr-{slug}"
    user.save()
    _closed_round(organization, staff)
    plan = plan_create(
        organization=organization,
        first_fy=2567,
        title="แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ – ๒๕๖๙",
        manpower_plan=None,
    )
    return user, units, plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--projects", type=int, nargs="+", default=[20, 60, 200])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    _url, clean_up = throwaway_database("bench_growth")
    try:
        django_for_bench()
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from bench.import_staff import _database_version

        admin_user = get_user_model().objects.create_superuser("bench-admin", "", "bench-pass-1")
        admin = Client()
        admin.force_login(admin_user)

        print(
            f"Growth of the checks and the suggestions: median of {args.runs} runs after "
            f"{WARM_UP} warm-up requests"
        )
        print(f"database: {_database_version(connection)}")
        print(f"python {platform.python_version()} · {platform.machine()} · {os.cpu_count()} CPUs")
        header = (
            f"{'staff':>6} {'projects':>8} {'admin ms':>8} {'checks ms':>9} {'q':>4} "
            f"{'suggest ms':>10} {'q':>4} {'checks ×':>8} {'suggest ×':>9}"
        )
        print(header)
        rows = []
        for staff in args.staff:
            user, units, plan = _organisation(staff, f"bench-growth-{staff}")
            client = Client()
            client.force_login(user)
            for projects in args.projects:
                _add_projects(plan, units, projects)
                admin_ms, _q = _measure(admin, reverse("admin:staff_staffmember_changelist"), 5)
                checks_ms, checks_q = _measure(
                    client, reverse("plans:checks", args=[plan.pk]), args.runs
                )
                suggest_ms, suggest_q = _measure(
                    client, reverse("plans:suggestions", args=[plan.pk]), args.runs
                )
                rows.append((staff, projects, checks_ms, suggest_ms))
                print(
                    f"{staff:6d} {projects:8d} {admin_ms:8.0f} {checks_ms:9.0f} {checks_q:4d} "
                    f"{suggest_ms:10.0f} {suggest_q:4d} {checks_ms / admin_ms:8.2f} "
                    f"{suggest_ms / admin_ms:9.2f}",
                    flush=True,
                )
        first, last = rows[0], rows[-1]
        size = (last[0] + last[1]) / (first[0] + first[1])
        print(
            f"growth from {first[0]}×{first[1]} to {last[0]}×{last[1]} "
            f"(staff + projects ×{size:.1f}): checks ×{last[2] / first[2]:.1f}, "
            f"suggestions ×{last[3] / first[3]:.1f}"
        )
    finally:
        clean_up()


if __name__ == "__main__":
    main()
