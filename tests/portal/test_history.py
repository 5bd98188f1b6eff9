"""The organisation-wide history log and the history of the portal's own records
(organisations, roles, accounts, activation codes): who changed what, when, from what
to what; HR and executives read it, staff may not, other organisations see none of it;
no address lets anyone edit or remove history; a page costs the same queries whatever
the number of changes."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone, translation

from portal.accounts.activation import code_issue, codes_revoke
from portal.accounts.models import ActivationCode
from portal.history import COMMAND_REASON, history_context
from portal.models import Membership, Organization, Role
from staff.models import Unit

pytestmark = pytest.mark.django_db

LOG = reverse("portal:history")


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def test_an_organisation_change_records_its_author_and_the_name_before_and_after(org_a, hr_user):
    with history_context(reason="", user=hr_user):
        org_a.name_th = "องค์การบริหารส่วนตำบลทดสอบเอใหม่"
        org_a.save()
    latest, before = org_a.history.all()[:2]
    assert latest.history_user == hr_user
    assert (before.name_th, latest.name_th) == ("องค์การบริหารส่วนตำบลทดสอบเอ", org_a.name_th)
    assert latest.history_organization_id == org_a.pk


def test_a_role_change_is_recorded_and_shown_with_the_roles_in_thai(hr_client, staff_user):
    membership = Membership.objects.get(user=staff_user)
    membership.role = Role.EXECUTIVE
    membership.save()
    latest, before = membership.history.all()[:2]
    assert (before.role, latest.role) == (Role.STAFF, Role.EXECUTIVE)

    page = hr_client.get(LOG, {"kind": "membership"}).content.decode()
    assert "บทบาท" in page and "ผู้บริหาร" in page  # field and choice labels in Thai


def test_an_account_keeps_its_name_and_state_but_never_its_password_or_logins(staff_user):
    history_model = type(staff_user).history.model
    names = {f.name for f in history_model._meta.fields}
    assert "password" not in names and "last_login" not in names
    rows = staff_user.history.count()
    staff_user.last_login = timezone.now()
    staff_user.save(update_fields=["last_login"])  # what a login does
    assert staff_user.history.count() == rows
    staff_user.is_active = False
    staff_user.save()
    assert staff_user.history.first().is_active is False


def test_activation_codes_are_recorded_without_their_hash(org_a, staff_user, hr_user):
    code_issue(user=staff_user, organization=org_a, by=hr_user)
    codes_revoke(user=staff_user)  # QuerySet.update() underneath: recorded explicitly
    code = ActivationCode.objects.get(user=staff_user)
    history = list(code.history.values_list("history_type", "revoked_at"))
    assert [kind for kind, _revoked in history] == ["~", "+"]
    assert history[0][1] is not None
    assert "code_hash" not in {f.name for f in ActivationCode.history.model._meta.fields}
    assert {row.history_organization_id for row in code.history.all()} == {org_a.pk}


def test_an_organisation_made_by_the_command_is_recorded_with_its_account_and_role(db):
    call_command(
        "create_organization",
        "--slug=nong-bua",
        "--name=องค์การบริหารส่วนตำบลหนองบัว",
        "--short-name=อบต.หนองบัว",
        "--district=เมือง",
        "--province=อุดรธานี",
        stdout=io.StringIO(),
    )
    organization = Organization.objects.get(slug="nong-bua")
    user = Membership.objects.get(organization=organization).user
    for history in (organization.history, user.history, Membership.history):
        row = history.get()
        assert row.history_type == "+"
        assert row.history_user is None
        assert row.history_change_reason == f"{COMMAND_REASON}create_organization"
        assert row.history_organization_id == organization.pk


def test_hr_and_executives_read_the_log_staff_may_not(hr_client, executive_client, staff_client):
    assert hr_client.get(LOG).status_code == 200
    assert executive_client.get(LOG).status_code == 200
    assert staff_client.get(LOG).status_code == 403


def test_another_organisation_sees_none_of_the_changes(org_a, hr_client, outsider_client):
    Unit.objects.create(organization=org_a, name="กองสาธารณสุขลับเฉพาะ")
    assert "กองสาธารณสุขลับเฉพาะ" in hr_client.get(LOG).content.decode()
    assert "กองสาธารณสุขลับเฉพาะ" not in outsider_client.get(LOG).content.decode()


def test_the_log_filters_by_kind_author_and_date(org_a, hr_client, hr_user, executive_user):
    with history_context(reason="", user=hr_user):
        Unit.objects.create(organization=org_a, name="กองคลังโดยเจ้าหน้าที่")
    with history_context(reason="", user=executive_user):
        Unit.objects.create(organization=org_a, name="กองช่างโดยผู้บริหาร")

    by_hr = hr_client.get(LOG, {"kind": "unit", "user": hr_user.pk}).content.decode()
    assert "กองคลังโดยเจ้าหน้าที่" in by_hr and "กองช่างโดยผู้บริหาร" not in by_hr
    others = hr_client.get(LOG, {"kind": "position"}).content.decode()
    assert "กองคลังโดยเจ้าหน้าที่" not in others
    today = timezone.localdate()
    this_year = f"{today.day:02d}/{today.month:02d}/{today.year + 543}"
    assert "กองช่างโดยผู้บริหาร" in hr_client.get(LOG, {"date_from": this_year}).content.decode()
    assert "กองช่างโดยผู้บริหาร" not in hr_client.get(LOG, {"date_to": "01/01/2560"}).content.decode()


def test_an_entry_reads_when_in_the_buddhist_era_who_what_and_from_what_to_what(
    org_a, hr_client, hr_user
):
    with history_context(reason="", user=hr_user):
        unit = Unit.objects.create(organization=org_a, name="กองเดิม", order=1)
        unit.name = "กองใหม่"
        unit.save()
    page = hr_client.get(LOG, {"kind": "unit"}).content.decode()
    assert f"{timezone.localdate().year + 543}" in page  # the year in BE
    assert "สุดา ใจดี" in page
    assert "กองเดิม" in page and "กองใหม่" in page
    assert "ชื่อ" in page  # the field's Thai name
    assert 'href="/staff/units/"' in page  # the object, linked


def _log_queries(client, **filters) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LOG, filters).status_code == 200
    return len(queries)


def test_a_page_of_the_log_costs_the_same_queries_for_10_or_100_changes(org_a, hr_client):
    parent = Unit.objects.create(organization=org_a, name="สำนักปลัด")

    def changes(n: int, start: int) -> None:
        for i in range(start, start + n):
            Unit.objects.create(organization=org_a, name=f"งานที่ {i}", parent=parent)

    changes(9, 0)
    few, few_units = _log_queries(hr_client), _log_queries(hr_client, kind="unit")
    changes(90, 100)
    # With 10 changes the page also holds the accounts and roles the cast was given
    # (more kinds, a few more queries); with 100 the page is all units.
    assert _log_queries(hr_client) <= few
    assert _log_queries(hr_client, kind="unit") == few_units


HISTORY_URLS = ["/history/", "/staff/{person}/history/", "/plans/{plan}/history/"]


def test_no_address_lets_anyone_edit_or_remove_history(hr_client, org_a):
    from staff.models import StaffMember

    unit = Unit.objects.create(organization=org_a, name="กองคลัง")
    person = StaffMember.objects.create(
        organization=org_a,
        unit=unit,
        first_name="ก",
        last_name="ข",
        citizen_id="1101700207030",
        personnel_type="official",
        position_title="นักวิชาการ",
    )
    from plans.models import DevelopmentPlan

    plan = DevelopmentPlan.objects.create(organization=org_a, first_fy=2567, title="แผน")
    for template in HISTORY_URLS:
        url = template.format(person=person.pk, plan=plan.pk)
        assert hr_client.get(url).status_code == 200
        for method in ("post", "put", "patch", "delete"):
            assert getattr(hr_client, method)(url).status_code == 405, (method, url)
    # The only pages with "history" in their address are these, and admin's read-only ones.
    routes = [str(p.pattern) for p in get_resolver().url_patterns]
    assert not any("history" in route and "admin" not in route for route in routes)


def test_admin_shows_history_but_cannot_change_or_remove_it(client, org_a):
    root = get_user_model().objects.create_superuser("root", "root@example.go.th", "x" * 20)
    client.force_login(root)
    row = org_a.history.get()
    model = type(row)
    change = reverse(f"admin:portal_{model._meta.model_name}_change", args=[row.pk])
    delete = reverse(f"admin:portal_{model._meta.model_name}_delete", args=[row.pk])
    assert client.post(change, {"name_th": "แก้"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert org_a.history.get().name_th == org_a.name_th
    history_page = reverse("admin:portal_organization_history", args=[org_a.pk])
    assert client.get(history_page).status_code == 200


def test_the_changed_by_filter_lists_the_organisations_logins_and_keeps_the_choice(
    org_a, hr_client, hr_user, staff_user, outsider_user
):
    page = hr_client.get(reverse("portal:history"), {"user": staff_user.pk}).content.decode()
    start = page.index('<select name="user"')
    select = page[start : page.index("</select>", start)]
    assert f'<option value="{staff_user.pk}" selected>' in select
    assert f'<option value="{hr_user.pk}">' in select
    assert f'value="{outsider_user.pk}"' not in select
    assert select.count(" selected") == 1
