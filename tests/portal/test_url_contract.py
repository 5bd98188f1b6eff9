"""The URL map of design §5 is a contract: bookmarks, printed links and the ITA
assessors' links point at these paths. They are written here as literal strings, never
through ``reverse()``, so renaming a route fails this test instead of silently moving
the page.

Each row: the path (``{plan}`` and the like are the primary keys of the objects made
below), the view it must resolve to, and what HR, an executive, a staff member and an
anonymous visitor get on GET. ``LOGIN`` means the redirect to the login page.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import resolve

from plans import services as plan_services
from skills.models import Framework
from staff.models import ManpowerPlan, Unit
from tests.conftest import PASSWORD
from tests.plans.conftest import FIRST_FY, make_project
from tests.skills.conftest import frameworks_ensure, round_make
from tests.staff.conftest import make_staff

LOGIN = "login"
ROLES = ("hr", "executive", "staff", "anonymous")

#: path, view name, then the answer for (HR, executive, staff, anonymous).
CONTRACT: list[tuple[str, str, tuple[int | str, int | str, int | str, int | str]]] = [
    ("/", "portal:dashboard", (200, 200, 200, LOGIN)),
    ("/accounts/login/", "login", (200, 200, 200, 200)),
    ("/accounts/password_change/", "password_change", (200, 200, 200, LOGIN)),
    # Activation with the code of a slip: before anyone has a password.
    ("/accounts/activate/", "activate", (200, 200, 200, 200)),
    ("/healthz", "healthz", (200, 200, 200, 200)),
    # Staff records: HR edits, executives read.
    ("/staff/", "staff:list", (200, 200, 403, LOGIN)),
    ("/staff/new/", "staff:create", (200, 403, 403, LOGIN)),
    ("/staff/{person}/", "staff:detail", (200, 200, 403, LOGIN)),
    ("/staff/{person}/edit/", "staff:edit", (200, 403, 403, LOGIN)),
    # The history of changes: HR and executives read it, nobody edits it.
    ("/staff/{person}/history/", "staff:history", (200, 200, 403, LOGIN)),
    ("/staff/import/", "staff:import", (200, 403, 403, LOGIN)),
    ("/staff/export.xlsx", "staff:export", (200, 403, 403, LOGIN)),
    ("/staff/import/template.xlsx", "staff:import_template", (200, 403, 403, LOGIN)),
    ("/staff/units/", "staff:units", (200, 403, 403, LOGIN)),
    # Staff logins: HR only. Without codes just issued, the slips answer a page that
    # says so (200), never a PDF of old codes.
    ("/staff/accounts/", "staff:accounts", (200, 403, 403, LOGIN)),
    ("/staff/accounts/slips.pdf", "staff:account_slips", (200, 403, 403, LOGIN)),
    ("/staff/positions/", "staff:positions", (200, 403, 403, LOGIN)),
    ("/staff/manpower/", "staff:manpower_list", (200, 200, 403, LOGIN)),
    ("/staff/manpower/{manpower}/", "staff:manpower_detail", (200, 200, 403, LOGIN)),
    # Digital skills: HR and executives read rounds and results; everyone answers.
    ("/skills/rounds/", "skills:rounds", (200, 200, 403, LOGIN)),
    ("/skills/rounds/{round}/", "skills:round_detail", (200, 200, 403, LOGIN)),
    ("/skills/rounds/{round}/results/", "skills:round_results", (200, 200, 403, LOGIN)),
    ("/skills/rounds/{round}/reminders/", "skills:round_reminders", (200, 200, 403, LOGIN)),
    ("/skills/me/", "skills:me", (200, 200, 200, LOGIN)),
    ("/skills/rounds/{round}/assess/", "skills:assess", (200, 200, 200, LOGIN)),
    ("/skills/targets/", "skills:targets", (200, 403, 403, LOGIN)),
    # Development plans: HR edits, executives read, the ปลัด proposes, the นายก approves.
    ("/plans/", "plans:list", (200, 200, 403, LOGIN)),
    ("/plans/new/", "plans:create", (200, 403, 403, LOGIN)),
    ("/plans/{plan}/", "plans:detail", (200, 200, 403, LOGIN)),
    ("/plans/{plan}/edit/", "plans:edit", (200, 403, 403, LOGIN)),
    ("/plans/{plan}/history/", "plans:history", (200, 200, 403, LOGIN)),
    ("/plans/{plan}/projects/new/", "plans:project_create", (200, 403, 403, LOGIN)),
    ("/plans/{plan}/projects/{project}/edit/", "plans:project_edit", (200, 403, 403, LOGIN)),
    ("/plans/{plan}/years/{fy}/", "plans:annual", (200, 200, 403, LOGIN)),
    # The checks are HR's work; executives may read them (README), drafting is HR's.
    ("/plans/{plan}/checks/", "plans:checks", (200, 200, 403, LOGIN)),
    ("/plans/{plan}/suggest/", "plans:suggestions", (200, 403, 403, LOGIN)),
    # Workflow steps are POST only: a GET is refused whoever asks.
    # The approval page is the นายก's (the cast's executive); a draft plan is not
    # waiting for approval, so the page sends them back to the plan.
    ("/plans/{plan}/approve/", "plans:approve", (403, 302, 403, LOGIN)),
    ("/plans/{plan}/publish/", "plans:publish", (405, 405, 405, LOGIN)),
    ("/plans/{plan}/years/{fy}/progress/", "plans:progress", (200, 200, 403, LOGIN)),
    ("/plans/{plan}/years/{fy}/results/", "plans:results", (200, 200, 403, LOGIN)),
    ("/plans/{plan}/pdf/", "plans:plan_pdf", (200, 200, 403, LOGIN)),
    ("/plans/{plan}/years/{fy}/pdf/", "plans:annual_pdf", (200, 200, 403, LOGIN)),
    ("/plans/{plan}/years/{fy}/progress.pdf", "plans:progress_pdf", (200, 200, 403, LOGIN)),
    ("/plans/{plan}/years/{fy}/results.pdf", "plans:results_pdf", (200, 200, 403, LOGIN)),
    ("/me/", "me:home", (200, 200, 200, LOGIN)),
    ("/t/{slug}/", "portal:public", (200, 200, 200, 200)),
    ("/settings/", "portal:settings", (200, 403, 403, LOGIN)),
    ("/history/", "portal:history", (200, 200, 403, LOGIN)),
]

#: Paths of §5 that later issues build. They answer 404 today; when one lands, this
#: test fails on purpose: move its row into CONTRACT with its view and statuses.
PENDING: list[str] = []


@pytest.fixture
def world(org_a, hr_user, executive_user, staff_user) -> dict[str, object]:
    """One object of each kind the paths name, in org A; the three accounts have staff
    records so that each of them may answer the open round."""
    frameworks_ensure()
    unit = Unit.objects.create(organization=org_a, name="สำนักปลัด")
    person = make_staff(org_a, unit, "กมล", "แก้วใส", user=staff_user)
    make_staff(org_a, unit, "สุดา", "ใจดี", user=hr_user)
    make_staff(org_a, unit, "ประเสริฐ", "มั่นคง", user=executive_user)
    manpower = ManpowerPlan.objects.create(organization=org_a, first_fy=FIRST_FY)
    plan = plan_services.plan_create(
        organization=org_a,
        first_fy=FIRST_FY,
        title="แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. 2567–2569",
        manpower_plan=manpower,
    )
    the_round = round_make(
        org_a, Framework.objects.get(code="ocsc-2561"), opens_in_days=-1, closes_in_days=10
    )
    return {
        "person": person.pk,
        "manpower": manpower.pk,
        "round": the_round.pk,
        "plan": plan.pk,
        "project": make_project(plan, "ปฐมนิเทศบุคลากรใหม่").pk,
        "fy": FIRST_FY,
        "slug": org_a.slug,
    }


@pytest.fixture
def clients(hr_client, executive_client, staff_client) -> dict[str, Client]:
    return {
        "hr": hr_client,
        "executive": executive_client,
        "staff": staff_client,
        "anonymous": Client(),
    }


def _check(client: Client, path: str, expected: int | str) -> str | None:
    """What is wrong with the answer to GET path, or None."""
    response = client.get(path)
    if expected == LOGIN:
        location = response.headers.get("Location", "")
        if response.status_code == 302 and location == f"/accounts/login/?next={quote(path)}":
            return None
        return f"{response.status_code} {location!r} instead of the login redirect"
    if response.status_code != expected:
        return f"{response.status_code} instead of {expected}"
    return None


def test_every_path_of_the_map_resolves_to_its_view(world):
    wrong = {
        path: resolve(path.format(**world)).view_name
        for path, view_name, _statuses in CONTRACT
        if resolve(path.format(**world)).view_name != view_name
    }
    assert wrong == {}


def test_every_path_answers_each_role_as_the_map_says(world, clients):
    wrong = {}
    for path, _view_name, statuses in CONTRACT:
        for role, expected in zip(ROLES, statuses, strict=True):
            problem = _check(clients[role], path.format(**world), expected)
            if problem:
                wrong[f"{role} GET {path}"] = problem
    assert wrong == {}


def test_healthz_says_ok(db):
    response = Client().get("/healthz")
    assert response.content == b"ok"


def test_admin_is_for_the_superuser_only(world, clients, db):
    superuser = get_user_model().objects.create_superuser("root", password=PASSWORD)
    root = Client()
    root.force_login(superuser)
    assert resolve("/admin/").view_name == "admin:index"
    assert root.get("/admin/").status_code == 200
    for role in ROLES:
        response = clients[role].get("/admin/")
        assert response.status_code == 302, role
        assert response.headers["Location"].startswith("/admin/login/"), role


def test_logout_is_a_post_that_ends_the_session(world, clients):
    assert resolve("/accounts/logout/").view_name == "logout"
    assert clients["hr"].get("/accounts/logout/").status_code == 405
    assert clients["hr"].post("/accounts/logout/").status_code == 302
    assert _check(clients["hr"], "/", LOGIN) is None


def test_workflow_steps_refuse_the_wrong_role(world, clients):
    """Approving is the executive's step, publishing HR's: the other roles get 403
    even on POST (nothing changes)."""
    approve, publish = "/plans/{plan}/approve/", "/plans/{plan}/publish/"
    refused = [("hr", approve), ("staff", approve), ("executive", publish), ("staff", publish)]
    answers = {
        (role, path): clients[role].post(path.format(**world)).status_code for role, path in refused
    }
    assert answers == dict.fromkeys(refused, 403)


def test_pending_paths_do_not_exist_yet(world, clients):
    """Built by later issues (design §5): 404 today, even for HR."""
    assert {
        path: clients["hr"].get(path.format(**world)).status_code for path in PENDING
    } == dict.fromkeys(PENDING, 404)
