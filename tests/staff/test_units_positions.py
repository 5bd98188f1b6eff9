from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.models import Position, StaffMember, Unit
from staff.validators import citizen_id_with_check_digit


class TestUnits:
    def test_units_are_listed_as_a_tree(self, hr_client, structure):
        response = hr_client.get(reverse("staff:units"))
        assert [unit.name for unit in response.context["units"]] == [
            "สำนักปลัด",
            "งานการเจ้าหน้าที่",
            "กองคลัง",
        ]

    def test_hr_adds_a_section_inside_a_division(self, hr_client, structure):
        response = hr_client.post(
            reverse("staff:units"),
            {"name": "งานพัสดุ", "parent": structure["finance"].pk, "order": 2},
        )
        assert response.status_code == 302
        unit = Unit.objects.get(name="งานพัสดุ")
        assert unit.parent == structure["finance"]
        assert unit.organization == structure["finance"].organization

    def test_query_count_does_not_grow_with_units_and_people(self, hr_client, org_a, structure):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert hr_client.get(reverse("staff:units")).status_code == 200
            return len(queries)

        few = count()
        for n in range(15):
            division = Unit.objects.create(organization=org_a, name=f"กอง {n}", order=10 + n)
            section = Unit.objects.create(
                organization=org_a, name=f"งาน {n}", parent=division, order=1
            )
            StaffMember.objects.create(
                organization=org_a,
                citizen_id=citizen_id_with_check_digit(f"1{n + 1:011d}"),
                first_name=f"คน{n}",
                last_name="ทดสอบ",
                personnel_type="mission",
                position_title="ผู้ช่วยเจ้าพนักงานธุรการ",
                unit=section,
            )
        assert count() == few

    def test_a_duplicate_name_in_the_same_division_is_refused(self, hr_client, structure):
        response = hr_client.post(
            reverse("staff:units"),
            {"name": "งานการเจ้าหน้าที่", "parent": structure["office"].pk, "order": 5},
        )
        assert response.status_code == 200
        assert "name" in response.context["form"].errors
        assert Unit.objects.filter(name="งานการเจ้าหน้าที่").count() == 1

    def test_a_section_cannot_contain_sections(self, hr_client, structure):
        response = hr_client.post(
            reverse("staff:units"),
            {"name": "ฝ่ายย่อย", "parent": structure["personnel"].pk, "order": 1},
        )
        assert "parent" in response.context["form"].errors
        assert not Unit.objects.filter(name="ฝ่ายย่อย").exists()

    def test_hr_renames_a_unit(self, hr_client, structure):
        unit = structure["finance"]
        response = hr_client.post(
            reverse("staff:unit_edit", args=[unit.pk]),
            {"name": "กองคลังใหม่", "order": 3, "version": unit.version},
        )
        assert response.status_code == 302
        unit.refresh_from_db()
        assert (unit.name, unit.order) == ("กองคลังใหม่", 3)

    def test_an_unused_unit_can_be_removed(self, hr_client, org_a):
        unit = Unit.objects.create(organization=org_a, name="กองชั่วคราว")
        assert hr_client.post(reverse("staff:unit_delete", args=[unit.pk])).status_code == 302
        assert not Unit.objects.filter(pk=unit.pk).exists()

    def test_a_unit_in_use_is_kept_with_a_message(self, hr_client, people, structure):
        unit = structure["finance"]
        response = hr_client.post(reverse("staff:unit_delete", args=[unit.pk]), follow=True)
        assert Unit.objects.filter(pk=unit.pk).exists()
        assert [m.level_tag for m in response.context["messages"]] == ["error"]

    def test_remove_refuses_get(self, hr_client, structure):
        url = reverse("staff:unit_delete", args=[structure["finance"].pk])
        assert hr_client.get(url).status_code == 405

    def test_outsider_gets_404(self, outsider_client, structure):
        unit = structure["finance"]
        url = reverse("staff:unit_edit", args=[unit.pk])
        assert outsider_client.post(url, {"name": "x", "order": 1}).status_code == 404
        assert outsider_client.post(reverse("staff:unit_delete", args=[unit.pk])).status_code == 404
        unit.refresh_from_db()
        assert unit.name == "กองคลัง"

    def test_executive_and_staff_get_403(self, executive_client, staff_client, structure):
        assert executive_client.get(reverse("staff:units")).status_code == 403
        assert staff_client.post(reverse("staff:units"), {"name": "x"}).status_code == 403
        assert not Unit.objects.filter(name="x").exists()


class TestPositions:
    def _data(self, structure, **overrides):
        data = {
            "number": "12-3-05-3103-001",
            "title": "นักวิเคราะห์นโยบายและแผน",
            "line": "นักวิเคราะห์นโยบายและแผน",
            "personnel_type": "official",
            "position_type": "academic",
            "level": "professional",
            "unit": structure["office"].pk,
        }
        return {**data, **overrides}

    def test_positions_show_filled_and_vacant(self, hr_client, people, structure):
        response = hr_client.get(reverse("staff:positions"))
        holders = {p.number: p.holders for p in response.context["positions"]}
        assert holders == {"12-3-01-3102-001": 1, "12-3-04-3201-001": 0}

    def test_hr_adds_a_position(self, hr_client, structure):
        response = hr_client.post(reverse("staff:position_create"), self._data(structure))
        assert response.status_code == 302
        assert Position.objects.get(number="12-3-05-3103-001").level == "professional"

    def test_a_level_of_another_position_type_is_refused(self, hr_client, structure):
        data = self._data(structure, level="operator")
        response = hr_client.post(reverse("staff:position_create"), data)
        assert "level" in response.context["form"].errors
        assert not Position.objects.filter(number=data["number"]).exists()

    def test_a_number_already_used_is_refused(self, hr_client, structure):
        data = self._data(structure, number="12-3-01-3102-001")
        response = hr_client.post(reverse("staff:position_create"), data)
        assert "number" in response.context["form"].errors

    def test_hr_edits_a_position(self, hr_client, structure):
        position = structure["finance_position"]
        data = self._data(structure, number=position.number, title="นักวิชาการเงินและบัญชี ชก.")
        data["version"] = position.version  # the version the form was opened at
        response = hr_client.post(reverse("staff:position_edit", args=[position.pk]), data)
        assert response.status_code == 302
        position.refresh_from_db()
        assert position.title == "นักวิชาการเงินและบัญชี ชก."

    def test_outsider_gets_404(self, outsider_client, structure):
        position = structure["finance_position"]
        url = reverse("staff:position_edit", args=[position.pk])
        assert outsider_client.get(url).status_code == 404

    def test_executive_gets_403(self, executive_client, structure):
        assert executive_client.get(reverse("staff:positions")).status_code == 403

    def test_query_count_does_not_grow_with_positions(self, hr_client, org_a, structure):
        def add(n, start):
            for i in range(start, start + n):
                Position.objects.create(
                    organization=org_a,
                    number=f"99-{i:03d}",
                    title="เจ้าพนักงานธุรการ",
                    personnel_type="official",
                    position_type="general",
                    level="operator",
                    unit=structure["personnel"],
                )

        add(3, 0)
        with CaptureQueriesContext(connection) as few:
            hr_client.get(reverse("staff:positions"))
        add(45, 100)
        with CaptureQueriesContext(connection) as many:
            hr_client.get(reverse("staff:positions"))
        assert len(many) == len(few)
