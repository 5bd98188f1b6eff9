"""No lost update in the staff app: when two officers edit the same record, the
second save is refused with what changed, and the first officer's values are kept."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from staff.models import ManpowerPlanRow, Position, StaffMember, Unit
from tests.conftest import make_user
from tests.plans.conftest import form_data
from tests.staff import test_manpower
from tests.staff.conftest import make_staff

# The manpower plans of test_manpower: org A's with three rows, org B's with one.
plan = test_manpower.plan
foreign_plan = test_manpower.foreign_plan


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


# --- The manpower table, row by row ---------------------------------------------


def _row_key(data: dict[str, list[str]], row: ManpowerPlanRow) -> str:
    """The form prefix under which ``row`` is shown in the posted table."""
    return next(
        k.removesuffix("-id") for k, v in data.items() if k.endswith("-id") and v == [str(row.pk)]
    )


class TestTheManpowerTable:
    def test_a_row_both_changed_is_refused_and_the_other_rows_save(
        self, hr_client, second_hr_client, plan
    ):
        url = reverse("staff:manpower_edit", args=[plan.pk])
        first, second, third = plan.rows.order_by("pk")
        theirs, mine = opened(hr_client, url), opened(second_hr_client, url)
        a, b = _row_key(theirs, first), _row_key(mine, first)
        assert (
            hr_client.post(url, with_changes(theirs, **{f"{a}-note": "ของสมชาย"})).status_code
            == 302
        )

        c = _row_key(mine, third)
        response = second_hr_client.post(
            url, with_changes(mine, **{f"{b}-note": "ของสมศรี", f"{c}-year3_count": "5"})
        )

        assert response.status_code == 200
        first.refresh_from_db()
        third.refresh_from_db()
        assert first.note == "ของสมชาย"  # the first officer's value is kept
        assert third.year3_count == 5  # the other row was saved
        assert response.context["conflicted"] == 1
        shown = {f.instance.pk: f for f in response.context["formset"].initial_forms}
        assert [c.field.name for c in shown[first.pk].conflicts] == ["note"]
        assert shown[first.pk].conflicts[0].theirs == "ของสมชาย"
        assert "ของสมชาย" in response.text and "ของสมศรี" in response.text
        assert shown[second.pk].conflicts == [] and shown[third.pk].conflicts == []

    def test_the_second_officer_can_then_keep_their_row_knowingly(
        self, hr_client, second_hr_client, plan
    ):
        url = reverse("staff:manpower_edit", args=[plan.pk])
        first, _second, third = plan.rows.order_by("pk")
        theirs, mine = opened(hr_client, url), opened(second_hr_client, url)
        hr_client.post(url, with_changes(theirs, **{f"{_row_key(theirs, first)}-note": "ของสมชาย"}))
        c = _row_key(mine, third)
        refused = second_hr_client.post(
            url,
            with_changes(
                mine, **{f"{_row_key(mine, first)}-note": "ของสมศรี", f"{c}-year3_count": "5"}
            ),
        )

        again = form_data(refused.content, "")
        response = second_hr_client.post(url, again)

        assert response.status_code == 302
        first.refresh_from_db()
        third.refresh_from_db()
        assert (first.note, third.year3_count) == ("ของสมศรี", 5)
        assert plan.rows.count() == 3  # nothing saved twice

    def test_a_row_removed_by_one_and_changed_by_the_other_is_kept(
        self, hr_client, second_hr_client, plan
    ):
        url = reverse("staff:manpower_edit", args=[plan.pk])
        first = plan.rows.order_by("pk").first()
        theirs, mine = opened(hr_client, url), opened(second_hr_client, url)
        hr_client.post(url, with_changes(theirs, **{f"{_row_key(theirs, first)}-note": "ยังใช้อยู่"}))

        response = second_hr_client.post(
            url, with_changes(mine, **{f"{_row_key(mine, first)}-DELETE": "on"})
        )

        assert response.status_code == 200
        assert ManpowerPlanRow.objects.get(pk=first.pk).note == "ยังใช้อยู่"


class TestATamperedTable:
    def test_a_row_of_another_organisation_is_an_error_not_a_silent_skip(
        self, outsider_client, foreign_plan, plan
    ):
        url = reverse("staff:manpower_edit", args=[foreign_plan.pk])
        data = opened(outsider_client, url)
        own = foreign_plan.rows.get()
        key = _row_key(data, own)
        org_a_row = plan.rows.order_by("pk").first()
        before = list(ManpowerPlanRow.objects.order_by("pk").values())

        response = outsider_client.post(
            url, with_changes(data, **{f"{key}-id": str(org_a_row.pk), f"{key}-note": "แก้"})
        )

        assert response.status_code == 200
        errors = response.context["formset"].non_form_errors().as_data()
        assert [e.code for e in errors] == ["foreign_row"]
        assert not any(
            str(m) == "The position table was saved." for m in response.context["messages"]
        )
        assert list(ManpowerPlanRow.objects.order_by("pk").values()) == before

    def test_removing_a_row_of_another_organisation_removes_nothing(
        self, outsider_client, foreign_plan, plan
    ):
        url = reverse("staff:manpower_edit", args=[foreign_plan.pk])
        data = opened(outsider_client, url)
        key = _row_key(data, foreign_plan.rows.get())
        org_a_row = plan.rows.order_by("pk").first()

        response = outsider_client.post(
            url, with_changes(data, **{f"{key}-id": str(org_a_row.pk), f"{key}-DELETE": "on"})
        )

        assert response.status_code == 200
        assert ManpowerPlanRow.objects.filter(pk=org_a_row.pk).exists()

    @pytest.mark.parametrize(
        ("initial", "total"),
        [
            ("-1", None),
            ("0", "-1"),
            ("99999999", None),
            (None, "99999999"),
            ("3", "1"),
            ("x", None),
        ],
    )
    def test_broken_form_counts_are_a_clear_error_not_a_500(self, hr_client, plan, initial, total):
        url = reverse("staff:manpower_edit", args=[plan.pk])
        data = opened(hr_client, url)
        before = list(ManpowerPlanRow.objects.order_by("pk").values())
        if initial is not None:
            data["rows-INITIAL_FORMS"] = [initial]
        if total is not None:
            data["rows-TOTAL_FORMS"] = [total]

        response = hr_client.post(url, data)

        assert response.status_code == 200
        assert response.context["formset"].non_form_errors()
        assert list(ManpowerPlanRow.objects.order_by("pk").values()) == before
