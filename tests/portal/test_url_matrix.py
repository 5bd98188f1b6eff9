"""The auth matrix walks every URL pattern of the project (enumerated from the
resolvers, so a new route cannot be left out) as an anonymous visitor, each role of
org A and an outsider (HR of org B), with the path parameters filled by real org-A
objects of the demo data:

- anonymous visitors are sent to the login page, except on the public pages;
- the outsider gets 404 for every org-A object, as if it did not exist;
- a role the page is not for gets 403 (404 where the page hides whose object it is);
- nobody ever gets a 500.

A GET is sent to pages that answer GET, an empty POST to POST-only actions.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.fuzz.world import ROLES, Route, routes, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

#: Who each page is for. "public": anyone, logged in or not; "everyone": any member;
#: "readers": HR and executives; "hr": that role only; "clerk" / "mayor": the
#: executive holding that position in the approval chain (the ปลัด, the นายก),
#: "chain": either of them; "own": readers, and the member whose object it is (anyone
#: else gets 404, as if it did not exist).
ACCESS: dict[str, str] = {
    "portal:dashboard": "everyone",
    "portal:history": "readers",
    "portal:switch": "everyone",
    "portal:public": "public",
    "portal:settings": "hr",
    "portal:roles": "hr",
    "portal:role_change": "hr",
    "portal:login_add": "hr",
    "portal:login_slip": "hr",
    "portal:login_code": "hr",
    "staff:list": "readers",
    "staff:create": "hr",
    "staff:detail": "readers",
    "staff:history": "readers",
    "staff:edit": "hr",
    "staff:leave": "hr",
    "staff:accounts": "hr",
    "staff:accounts_issue": "hr",
    "staff:accounts_issued": "hr",
    "staff:account_slips": "hr",
    "staff:account_slips_xlsx": "hr",
    "staff:account_issue": "hr",
    "staff:account_disable": "hr",
    "staff:account_enable": "hr",
    "staff:account_username": "hr",
    "staff:account_link": "hr",
    "staff:units": "hr",
    "staff:unit_edit": "hr",
    "staff:unit_delete": "hr",
    "staff:positions": "hr",
    "staff:position_create": "hr",
    "staff:position_edit": "hr",
    "staff:import": "hr",
    "staff:import_confirm": "hr",
    "staff:import_template": "hr",
    "staff:export": "hr",
    "staff:manpower_list": "readers",
    "staff:manpower_create": "hr",
    "staff:manpower_detail": "readers",
    "staff:manpower_edit": "hr",
    "staff:manpower_revise": "hr",
    "staff:manpower_approve": "hr",  # HR records the council's approval date
    "staff:manpower_export": "readers",
    "skills:targets": "hr",
    "skills:groups": "hr",
    "skills:group_override": "hr",
    "skills:rounds": "readers",
    "skills:round_detail": "readers",
    "skills:round_edit": "hr",
    "skills:round_remind": "hr",
    "skills:round_reminders": "readers",
    "skills:round_results": "readers",
    "skills:round_results_xlsx": "readers",
    "skills:round_summary_pdf": "readers",
    "skills:assessment_pdf": "own",
    "skills:me": "everyone",
    "skills:assess": "everyone",
    "skills:assess_submit": "everyone",
    "skills:assessment_detail": "own",
    "plans:list": "readers",
    "plans:create": "hr",
    "plans:detail": "readers",
    "plans:history": "readers",
    "plans:edit": "hr",
    "plans:changes": "readers",
    "plans:revise": "hr",
    "plans:submit": "hr",
    "plans:propose": "clerk",
    "plans:send_back": "chain",
    "plans:approve": "mayor",
    "plans:publish": "hr",
    "plans:project_create": "hr",
    "plans:project_row": "readers",
    "plans:project_edit": "hr",
    "plans:project_delete": "hr",
    "plans:projects_import": "hr",
    "plans:projects_import_confirm": "hr",
    "plans:projects_export": "readers",
    "plans:checks": "readers",
    "plans:suggestions": "hr",
    "plans:suggestion_accept": "hr",
    "plans:suggestion_dismiss": "hr",
    "plans:annual": "readers",
    "plans:progress": "readers",
    "plans:results": "readers",
    "plans:attendance": "hr",
    "plans:project_progress": "hr",
    "plans:plan_pdf": "readers",
    "plans:annual_pdf": "readers",
    "plans:progress_pdf": "readers",
    "plans:results_pdf": "readers",
    "plans:progress_issue": "hr",
    "plans:results_issue": "hr",
    "plans:progress_issued_pdf": "readers",
    "plans:results_issued_pdf": "readers",
    "plans:records": "readers",
    "plans:record_confirm": "hr",
    "plans:record_certificate": "own",
    "me:home": "everyone",
    "me:report": "everyone",
    "plans_public:plan_pdf": "public",
    "plans_public:annual_pdf": "public",
    "plans_public:progress_pdf": "public",
    "plans_public:results_pdf": "public",
    "plans_public:progress_issued_pdf": "public",
    "plans_public:results_issued_pdf": "public",
    "healthz": "public",
    "login": "public",
    "activate": "public",
    "password_reset": "public",
    "password_reset_done": "public",
    "password_reset_confirm": "public",
    "password_reset_complete": "public",
    "logout": "everyone",
    "password_change": "everyone",
    "password_change_done": "everyone",
    "set_language": "public",
}
ALLOWED = {
    "public": {"hr", "executive", "mayor", "staff"},
    "everyone": {"hr", "executive", "mayor", "staff"},
    "readers": {"hr", "executive", "mayor"},
    "hr": {"hr"},
    "clerk": {"executive"},
    "mayor": {"mayor"},
    "chain": {"executive", "mayor"},
    "own": {"hr", "executive", "mayor", "staff"},
}
#: The demo's นายก is elected, not staff: no staff record, so the steps that act on
#: one's own record answer 404 (as for any account without one).
NO_STAFF_RECORD = {"mayor"}
OWN_RECORD_STEPS = {"skills:assess_submit"}
#: Path parameters that name an org-A object (a slug names the public organisation).
OBJECT_PARAMS = {"pk", "project_id", "record_id", "membership_id"}


def _answer(world, route: Route, role: str):  # noqa: F811
    client = world.client(role)
    path = world.path(route)
    return path, client.get(path) if route.accepts_get else client.post(path)


def _problem(route: Route, role: str, path: str, response) -> str | None:
    """What is wrong with ``response`` for ``role`` on ``route``, or None."""
    status, location = response.status_code, response.headers.get("Location", "")
    access = ACCESS[route.name]
    if status >= 500:
        return f"{status}"
    if role == "anonymous":
        to_login = status == 302 and location == f"/accounts/login/?next={quote(path)}"
        if access == "public":
            return "sent to login on a public page" if to_login else None
        return None if to_login else f"{status} {location!r} instead of the login redirect"
    if role == "outsider":
        if OBJECT_PARAMS & set(route.params) and access != "public":
            # A step its own role may not take anyway may say 403: that tells nothing
            # about the object.
            hidden = {404} if "hr" in ALLOWED[access] else {403, 404}
            return None if status in hidden else f"{status} instead of 404 for an org-A object"
        role = "hr"  # HR of its own organisation, on pages that name no object
    if role in NO_STAFF_RECORD and route.name in OWN_RECORD_STEPS and status == 404:
        return None
    if role in ALLOWED[access]:
        return f"{status} for a role the page is for" if status in (403, 404) else None
    refused = 404 if access == "own" else 403
    return None if status == refused else f"{status} instead of {refused}"


def test_every_url_pattern_has_its_access_rule():
    names = {route.name for route in routes()}
    assert names - ACCESS.keys() == set(), "add the new routes to ACCESS"
    assert ACCESS.keys() - names == set(), "routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_every_url_pattern_answers_each_role_as_its_access_rule_says(world, role):  # noqa: F811
    wrong = {}
    for route in routes():
        path, response = _answer(world, route, role)
        problem = _problem(route, role, path, response)
        if problem:
            wrong[f"{role} {route.name} {path}"] = problem
    assert wrong == {}
