"""One richly filled organisation (the demo data, org A) and a small second one (org B,
the outsider's), built once per test module because the demo takes seconds to seed.

Every URL pattern of the project is listed here with the ids of real org-A objects
that fill its path parameters, so the URL matrix and the fuzz suite walk the same map.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from plans import services as plan_services
from plans.issued import year_report_issue
from plans.models import DevelopmentPlan, DevelopmentRecord, Project
from plans.suggestions import suggestions_draft
from portal.demo import DEMO_LOGINS, demo_seed
from portal.models import Membership, Organization, Role
from skills.models import Assessment, AssessmentRound, Framework
from skills.services import group_rules_ensure
from staff.models import ManpowerPlan, Position, StaffMember, Unit
from tests.conftest import make_user
from tests.plans.conftest import make_project
from tests.skills.conftest import assessment_make, round_make
from tests.staff.conftest import make_staff

#: "executive" is the demo's ปลัด (the ``executive`` login), "mayor" its นายก.
ROLES = ("anonymous", "hr", "executive", "mayor", "staff", "outsider")
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
#: Ids no row will ever have.
MISSING_ID = 987654321


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full route, its namespaced name and its view."""

    route: str
    name: str
    callback: Callable[..., Any]

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.route)

    @property
    def is_public(self) -> bool:
        return self.name in PUBLIC

    @property
    def accepts_post(self) -> bool:
        return "POST" in view_methods(self.callback)

    @property
    def accepts_get(self) -> bool:
        return "GET" in view_methods(self.callback)


#: Pages anyone may open without logging in.
PUBLIC = {
    "login",
    "activate",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "set_language",
    "portal:public",
    "plans_public:plan_pdf",
    "plans_public:annual_pdf",
    "plans_public:progress_pdf",
    "plans_public:results_pdf",
    "plans_public:progress_issued_pdf",
    "plans_public:results_issued_pdf",
}


def view_methods(callback: Callable[..., Any]) -> set[str]:
    """The HTTP methods a view answers: from a class-based view's handlers, from the
    list ``require_http_methods`` closes over, or (an undecorated function view) GET
    plus POST when its source reads the request's method or POST data."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
    function = callback
    while True:
        for cell in function.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(v, str) and v.isupper() for v in value)
            ):
                return set(value)
        if not hasattr(function, "__wrapped__"):
            break
        function = function.__wrapped__
    source = inspect.getsource(function)
    reads_post = "request.POST" in source or "request.method" in source
    return {"GET", "POST"} if reads_post else {"GET"}


def routes() -> list[Route]:
    """Every URL pattern of the project (the admin site is Django's own)."""

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Route]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield Route(
                    prefix + str(pattern.pattern), namespace + pattern.name, pattern.callback
                )

    return [r for r in walk(get_resolver(), "/", "") if not r.route.startswith("/admin/")]


#: Which model fills ``pk`` of each named route (the other parameters have one meaning).
PK_MODEL = {
    "staff:detail": "person",
    "staff:edit": "person",
    "staff:leave": "person",
    "staff:account_issue": "person",
    "staff:account_disable": "person",
    "staff:account_enable": "person",
    "staff:account_username": "person",
    "staff:history": "person",
    "staff:account_link": "person",
    "staff:unit_edit": "unit",
    "staff:unit_delete": "unit",
    "staff:position_edit": "position",
    "skills:group_override": "person",
    "skills:assessment_pdf": "assessment",
    "skills:assessment_detail": "assessment",
}
PK_BY_PREFIX = {"staff:manpower": "manpower", "skills:": "round", "plans": "plan"}
#: Routes that work on the plan being followed (published) rather than the draft.
ON_PUBLISHED_PLAN = (
    "plans:annual",
    "plans:progress",
    "plans:results",
    "plans:attendance",
    "plans:project_progress",
    "plans:annual_pdf",
    "plans:progress_pdf",
    "plans:results_pdf",
    "plans:plan_pdf",
    "plans_public:",
    "plans:revise",
)


@dataclass
class World:
    org_a: Organization
    org_b: Organization
    users: dict[str, Any]
    ids: dict[str, Any]
    foreign_ids: dict[str, int] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client

    def kind_of_pk(self, route: Route) -> str:
        if route.name in PK_MODEL:
            return PK_MODEL[route.name]
        return next(kind for prefix, kind in PK_BY_PREFIX.items() if route.name.startswith(prefix))

    def kwargs(self, route: Route) -> dict[str, Any]:
        """Real org-A values for the path parameters of ``route``."""
        published = route.name.startswith(ON_PUBLISHED_PLAN)
        values: dict[str, Any] = {}
        for param in route.params:
            if param == "pk":
                kind = self.kind_of_pk(route)
                if kind == "plan" and published:
                    kind = "published_plan"
                values[param] = self.ids[kind]
            elif param == "project_id":
                values[param] = self.ids["published_project" if published else "project"]
            else:
                values[param] = self.ids[param]
        return values

    def path(self, route: Route) -> str:
        values = self.kwargs(route)
        return PARAM.sub(lambda match: str(values[match[1]]), route.route)


def record_with_certificate(organization: Organization, user: Any) -> DevelopmentRecord:
    """A record of the staff user with a (tiny) certificate, so that its download
    answers 200 to those who may see it."""
    records = DevelopmentRecord.objects.filter(staff_member__organization=organization)
    record = records.filter(staff_member__user=user).order_by("pk").first()
    assert record is not None, "the demo staff user has development records"
    record.certificate.save("certificate.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return record


def staff_assessment(organization: Organization, user: Any) -> Assessment:
    """The staff user's answers to the earlier round (the demo leaves the open round
    unanswered for them, which the questionnaire's fuzzing needs)."""
    earlier = AssessmentRound.objects.filter(organization=organization).order_by("opens_on")[0]
    person = StaffMember.objects.get(organization=organization, user=user)
    return assessment_make(earlier, person)


def issued_reports_make(plan: DevelopmentPlan, user: Any) -> int:
    """Issue 1 of both reports of the plan's first year (rendered on first download)."""
    for first_half in (True, False):
        year_report_issue(plan=plan, fiscal_year=plan.first_fy, first_half=first_half, user=user)
    return 1


def world_build() -> World:
    organization = demo_seed()
    # The demo's logins are named after what they are: hr, executive (the ปลัด),
    # mayor (the นายก), staff.
    users = {
        login.username: Membership.objects.get(
            organization=organization, user__username=login.username
        ).user
        for login in DEMO_LOGINS
    }
    draft = DevelopmentPlan.objects.get(organization=organization, status="draft")
    published = DevelopmentPlan.objects.get(organization=organization, status="published")
    suggestions = suggestions_draft(plan=draft).suggestions
    the_round = AssessmentRound.objects.filter(organization=organization).order_by("-opens_on")[0]
    ids = {
        "person": StaffMember.objects.filter(organization=organization).order_by("pk")[0].pk,
        "unit": Unit.objects.filter(organization=organization).order_by("-pk")[0].pk,
        "position": Position.objects.filter(organization=organization).order_by("pk")[0].pk,
        "manpower": ManpowerPlan.objects.filter(organization=organization).order_by("-pk")[0].pk,
        "round": the_round.pk,
        "assessment": staff_assessment(organization, users["staff"]).pk,
        "plan": draft.pk,
        "published_plan": published.pk,
        "project": Project.objects.filter(plan=draft).order_by("pk")[0].pk,
        "published_project": Project.objects.filter(plan=published).order_by("pk")[0].pk,
        "fy": published.first_fy,
        # The reports of that year, issued (the demo issues those of the year after).
        "number": issued_reports_make(published, users["hr"]),
        "key": suggestions[0].key if suggestions else "no-suggestion",
        "record_id": record_with_certificate(organization, users["staff"]).pk,
        "slug": organization.slug,
        # A reset link that names nobody: the page says the link is invalid.
        "uidb64": "MA",
        "token": "no-such-token",
        # The roles page changes the staff user's membership (never HR's own).
        "membership_id": Membership.objects.get(organization=organization, user=users["staff"]).pk,
    }
    org_b = Organization.objects.create(slug="org-b", name_th="องค์การบริหารส่วนตำบลทดสอบบี")
    users["outsider"] = make_user("hr_b", org_b, Role.HR, first_name="วิไล", last_name="นอก")
    unit_b = Unit.objects.create(organization=org_b, name="สำนักปลัด")
    plan_b = plan_services.plan_create(
        organization=org_b,
        first_fy=published.first_fy,
        title="แผนของ อบต.บี",
        manpower_plan=ManpowerPlan.objects.create(organization=org_b, first_fy=published.first_fy),
    )
    foreign = {
        "unit": unit_b.pk,
        "person": make_staff(org_b, unit_b, "บุคคล", "ต่างถิ่น").pk,
        "plan": plan_b.pk,
        "project": make_project(plan_b, "โครงการของ อบต.บี").pk,
        "round": round_make(
            org_b,
            Framework.objects.order_by("pk")[0],
            opens_in_days=-1,
            closes_in_days=10,
        ).pk,
        "position": Position.objects.create(
            organization=org_b, number="99-1", title="นักจัดการงานทั่วไป", unit=unit_b
        ).pk,
        "membership": Membership.objects.get(user=users["outsider"]).pk,
    }
    # Org B's default group rules are written on its first visit to the groups page;
    # made here, so that the fuzzer's first request is not that first visit.
    for framework in Framework.objects.all():
        group_rules_ensure(organization=org_b, framework=framework)
    return World(organization, org_b, users, ids, foreign)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """The world, seeded once for the module inside a transaction that is rolled back
    at its end; each test runs in a savepoint within it, as Django's setUpTestData."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield world_build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
