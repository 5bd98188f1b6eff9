"""No lost update in the staff app: when two officers edit the same record, the
second save is refused with what changed, and the first officer's values are kept."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from staff.models import Position, StaffMember, Unit
from tests.conftest import make_user
from tests.plans.conftest import form_data
from tests.staff.conftest import make_staff


@pytest.fixture
def second_hr_client(org_a) -> Client:
    client = Client()
    client.force_login(make_user("hr2", org_a, "hr", first_name="สมศรี", last_name="มีสุข"))
    return client


@pytest.fixture
def person(org_a, structure) -> StaffMember:
    return make_staff(org_a, structure["office"], "สมชาย", phone="021234567")


def opened(client: Client, url: str) -> dict[str, list[str]]:
    """The form as a browser would post it right after the officer opened it."""
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content, "")


def with_changes(data: dict[str, list[str]], **changes: str) -> dict[str, list[str]]:
    return {**data, **{name: [value] for name, value in changes.items()}}


EDITS = [
    # (object, url name, the first officer's change, the second's change, field read back)
    ("person", "staff:edit", {"phone": "0811111111"}, {"phone": "0822222222"}, "phone"),
    ("unit", "staff:unit_edit", {"name": "สำนักปลัดเทศบาล"}, {"name": "สำนักงานปลัด"}, "name"),
    ("position", "staff:position_edit", {"title": "นักบริหารงานบุคคล"}, {"title": "นักพัฒนา"}, "title"),
]


def _record(request, kind: str, structure) -> StaffMember | Unit | Position:
    if kind == "person":
        return request.getfixturevalue("person")
    return structure["office"] if kind == "unit" else structure["hr_position"]


@pytest.mark.parametrize(("kind", "url_name", "first", "second", "field"), EDITS)
class TestTwoOfficersEditTheSameRecord:
    def test_the_second_save_is_refused_and_the_first_kept(
        self, request, hr_client, second_hr_client, structure, kind, url_name, first, second, field
    ):
        record = _record(request, kind, structure)
        url = reverse(url_name, args=[record.pk])
        theirs, mine = opened(hr_client, url), opened(second_hr_client, url)
        assert hr_client.post(url, with_changes(theirs, **first)).status_code == 302

        response = second_hr_client.post(url, with_changes(mine, **second))

        assert response.status_code == 200
        form = response.context["form"]
        assert [c.field.name for c in form.conflicts] == [field]
        assert form.conflicts[0].theirs == first[field]
        assert "has-conflict" in response.text and first[field] in response.text
        record.refresh_from_db()
        assert getattr(record, field) == first[field]

    def test_the_second_officer_can_then_keep_their_input_knowingly(
        self, request, hr_client, second_hr_client, structure, kind, url_name, first, second, field
    ):
        record = _record(request, kind, structure)
        url = reverse(url_name, args=[record.pk])
        theirs, mine = opened(hr_client, url), opened(second_hr_client, url)
        hr_client.post(url, with_changes(theirs, **first))
        refused = second_hr_client.post(url, with_changes(mine, **second))

        again = form_data(refused.content, "")
        assert again[field] == [second[field]]  # what they typed is still there
        assert second_hr_client.post(url, again).status_code == 302
        record.refresh_from_db()
        assert getattr(record, field) == second[field]
        assert record.version == 3

    def test_only_the_fields_the_first_officer_changed_are_shown(
        self, request, hr_client, second_hr_client, structure, kind, url_name, first, second, field
    ):
        record = _record(request, kind, structure)
        url = reverse(url_name, args=[record.pk])
        theirs, mine = opened(hr_client, url), opened(second_hr_client, url)
        hr_client.post(url, with_changes(theirs, **first))
        other = {"person": "email", "unit": "order", "position": "line"}[kind]
        typed = {"email": "somsri@example.org", "order": "7", "line": "งานบุคคล"}[other]

        response = second_hr_client.post(url, with_changes(mine, **{other: typed}))

        assert response.status_code == 200
        form = response.context["form"]
        # Their change is shown (saving the old value again would undo it); the
        # field only this officer typed in is not a conflict.
        assert [c.field.name for c in form.conflicts] == [field]
        assert form_data(response.content, "")[other] == [typed]
        record.refresh_from_db()
        assert getattr(record, field) == first[field]


def test_a_stale_version_alone_never_overwrites(hr_client, person):
    url = reverse("staff:edit", args=[person.pk])
    data = with_changes(opened(hr_client, url), phone="0899999999")
    StaffMember.objects.filter(pk=person.pk).update(version=5)  # saved elsewhere meanwhile
    assert hr_client.post(url, data).status_code == 200
    person.refresh_from_db()
    assert person.phone == "021234567"
