import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.models import StaffMember
from tests.staff.conftest import make_staff, new_citizen_id


def _names(response) -> list[str]:
    return [person.first_name for person in response.context["page"].object_list]


def _form_data(structure, **overrides) -> dict:
    data = {
        "prefix": "นางสาว",
        "first_name": "ขวัญใจ",
        "last_name": "รักงาน",
        "citizen_id": new_citizen_id(),
        "personnel_type": "official",
        "unit": structure["personnel"].pk,
        "position": "",
        "position_title": "นักจัดการงานทั่วไป",
        "position_type": "academic",
        "level": "practitioner",
        "appointed_on": "01/10/2567",
        "birth_date": "5 พ.ค. 2535",
    }
    return {**data, **overrides}


class TestList:
    def test_lists_active_staff_in_thai_name_order(self, hr_client, people):
        response = hr_client.get(reverse("staff:list"))
        assert response.status_code == 200
        assert _names(response) == ["กมล", "เกษม", "แก้ว"]

    def test_people_who_left_are_hidden_unless_asked_for(self, hr_client, people):
        people["kaew"].mark_left(on=dt.date(2024, 1, 1))
        assert _names(hr_client.get(reverse("staff:list"))) == ["กมล", "เกษม"]
        left = hr_client.get(reverse("staff:list"), {"active": "left"})
        assert _names(left) == ["แก้ว"]
        assert len(_names(hr_client.get(reverse("staff:list"), {"active": "all"}))) == 3

    def test_search_by_thai_name_and_position(self, hr_client, people):
        assert _names(hr_client.get(reverse("staff:list"), {"q": "ศรีสุข"})) == ["กมล"]
        found = hr_client.get(reverse("staff:list"), {"q": "ธุรการ"})
        assert _names(found) == ["เกษม"]

    def test_hr_searches_by_citizen_id_digits_also_in_thai_digits(self, hr_client, people):
        digits = people["kaew"].citizen_id[-6:]
        thai_digits = digits.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
        assert _names(hr_client.get(reverse("staff:list"), {"q": thai_digits})) == ["แก้ว"]

    def test_executive_cannot_probe_citizen_ids_by_search(self, executive_client, people):
        digits = people["kaew"].citizen_id
        assert _names(executive_client.get(reverse("staff:list"), {"q": digits})) == []

    def test_filters_by_unit_including_its_sections(self, hr_client, people, structure):
        response = hr_client.get(reverse("staff:list"), {"unit": structure["office"].pk})
        assert _names(response) == ["กมล", "เกษม"]

    def test_filters_by_personnel_type_and_level(self, hr_client, people):
        response = hr_client.get(reverse("staff:list"), {"personnel_type": "mission"})
        assert _names(response) == ["เกษม"]
        response = hr_client.get(reverse("staff:list"), {"level": "professional"})
        assert _names(response) == ["กมล"]

    def test_hr_sees_full_citizen_ids_others_see_them_masked(
        self, hr_client, executive_client, people
    ):
        person = people["kamon"]
        assert person.formatted_citizen_id in hr_client.get(reverse("staff:list")).content.decode()
        body = executive_client.get(reverse("staff:list")).content.decode()
        assert person.formatted_citizen_id not in body
        assert person.masked_citizen_id in body

    def test_the_list_is_paginated(self, hr_client, org_a, structure):
        for i in range(30):
            make_staff(org_a, structure["finance"], f"คน{i:02d}")
        first = hr_client.get(reverse("staff:list"))
        assert len(_names(first)) == 25
        second = hr_client.get(reverse("staff:list"), {"page": 2})
        assert len(_names(second)) == 5

    def test_outsider_sees_only_their_own_organisation(
        self, outsider_client, people, foreign_person
    ):
        assert _names(outsider_client.get(reverse("staff:list"))) == ["วิไล"]

    def test_staff_member_gets_403(self, staff_client, people):
        assert staff_client.get(reverse("staff:list")).status_code == 403

    def test_query_count_does_not_grow_with_the_staff(self, hr_client, org_a, structure):
        for i in range(5):
            make_staff(org_a, structure["finance"], f"ก{i}")
        with CaptureQueriesContext(connection) as few:
            hr_client.get(reverse("staff:list"))
        for i in range(45):
            make_staff(org_a, structure["personnel"], f"ข{i}")
        with CaptureQueriesContext(connection) as many:
            hr_client.get(reverse("staff:list"))
        assert len(many) == len(few)


class TestDetail:
    def test_hr_sees_the_record(self, hr_client, people):
        response = hr_client.get(reverse("staff:detail", args=[people["kamon"].pk]))
        assert response.status_code == 200
        assert people["kamon"].formatted_citizen_id in response.content.decode()

    def test_executive_sees_the_record_with_a_masked_id(self, executive_client, people):
        response = executive_client.get(reverse("staff:detail", args=[people["kamon"].pk]))
        assert response.status_code == 200
        assert people["kamon"].formatted_citizen_id not in response.content.decode()

    def test_outsider_gets_404(self, outsider_client, people):
        assert (
            outsider_client.get(reverse("staff:detail", args=[people["kamon"].pk])).status_code
            == 404
        )

    def test_staff_member_gets_403(self, staff_client, people):
        assert (
            staff_client.get(reverse("staff:detail", args=[people["kamon"].pk])).status_code == 403
        )


class TestCreate:
    def test_hr_adds_a_person_with_be_dates(self, hr_client, structure):
        data = _form_data(structure)
        response = hr_client.post(reverse("staff:create"), data)
        assert response.status_code == 302
        person = StaffMember.objects.get(first_name="ขวัญใจ")
        assert person.appointed_on == dt.date(2024, 10, 1)
        assert person.birth_date == dt.date(1992, 5, 5)
        assert person.organization == structure["office"].organization
        assert person.citizen_id == data["citizen_id"]

    def test_position_title_comes_from_the_chosen_position(self, hr_client, structure):
        data = _form_data(structure, position=structure["hr_position"].pk, position_title="")
        assert hr_client.post(reverse("staff:create"), data).status_code == 302
        assert StaffMember.objects.get(first_name="ขวัญใจ").position_title == "นักทรัพยากรบุคคล"

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("citizen_id", "1234567890123"),
            ("citizen_id", "12345"),
            ("appointed_on", "31/02/2567"),
            ("level", "junior"),
            ("first_name", ""),
        ],
    )
    def test_invalid_input_shows_errors_and_saves_nothing(self, hr_client, structure, field, value):
        response = hr_client.post(reverse("staff:create"), _form_data(structure, **{field: value}))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not StaffMember.objects.exists()

    def test_a_citizen_id_already_in_the_organisation_is_refused(
        self, hr_client, structure, people
    ):
        data = _form_data(structure, citizen_id=people["kaew"].citizen_id)
        response = hr_client.post(reverse("staff:create"), data)
        assert "citizen_id" in response.context["form"].errors
        assert StaffMember.objects.count() == 3

    def test_a_unit_of_another_organisation_cannot_be_chosen(
        self, hr_client, structure, foreign_person
    ):
        data = _form_data(structure, unit=foreign_person.unit_id)
        response = hr_client.post(reverse("staff:create"), data)
        assert "unit" in response.context["form"].errors
        assert not StaffMember.objects.filter(first_name="ขวัญใจ").exists()

    def test_executive_gets_403(self, executive_client, structure):
        response = executive_client.post(reverse("staff:create"), _form_data(structure))
        assert response.status_code == 403
        assert not StaffMember.objects.exists()


class TestEdit:
    def test_hr_edits_a_record(self, hr_client, people, structure):
        person = people["kaew"]
        data = _form_data(structure, citizen_id=person.citizen_id, first_name="แก้วตา")
        data["version"] = person.version  # the version the form was opened at
        response = hr_client.post(reverse("staff:edit", args=[person.pk]), data)
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.first_name == "แก้วตา"

    def test_outsider_gets_404_and_nothing_changes(self, outsider_client, people, structure):
        person = people["kaew"]
        data = _form_data(structure, citizen_id=person.citizen_id, first_name="แฮก")
        assert (
            outsider_client.post(reverse("staff:edit", args=[person.pk]), data).status_code == 404
        )
        person.refresh_from_db()
        assert person.first_name == "แก้ว"

    def test_executive_gets_403(self, executive_client, people):
        assert (
            executive_client.get(reverse("staff:edit", args=[people["kaew"].pk])).status_code == 403
        )


class TestLeave:
    def test_hr_records_that_a_person_left(self, hr_client, people):
        person = people["kaew"]
        response = hr_client.post(
            reverse("staff:leave", args=[person.pk]), {"left_on": "30/09/2567", "reason": "โอนย้าย"}
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert (person.is_active, person.left_on, person.left_reason) == (
            False,
            dt.date(2024, 9, 30),
            "โอนย้าย",
        )

    def test_leaving_needs_a_date(self, hr_client, people):
        person = people["kaew"]
        response = hr_client.post(reverse("staff:leave", args=[person.pk]), {"left_on": ""})
        assert response.status_code == 400
        person.refresh_from_db()
        assert person.is_active

    def test_leave_refuses_get(self, hr_client, people):
        assert hr_client.get(reverse("staff:leave", args=[people["kaew"].pk])).status_code == 405

    def test_outsider_gets_404(self, outsider_client, people):
        url = reverse("staff:leave", args=[people["kaew"].pk])
        assert outsider_client.post(url, {"left_on": "30/09/2567"}).status_code == 404
        people["kaew"].refresh_from_db()
        assert people["kaew"].is_active

    def test_executive_gets_403(self, executive_client, people):
        url = reverse("staff:leave", args=[people["kaew"].pk])
        assert executive_client.post(url, {"left_on": "30/09/2567"}).status_code == 403


class TestNewcomer:
    def test_appointed_within_twelve_months_is_a_newcomer(self, people):
        person = people["kaew"]
        person.appointed_on = dt.date(2024, 1, 1)
        assert person.is_newcomer(today=dt.date(2024, 12, 31))
        assert not person.is_newcomer(today=dt.date(2025, 1, 1))

    def test_without_appointment_date_nobody_is_a_newcomer(self, people):
        people["kaew"].appointed_on = None
        assert not people["kaew"].is_newcomer()
