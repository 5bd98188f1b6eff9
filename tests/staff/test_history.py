"""The history of staff records: every change keeps who, when and the values before
and after — through the pages, the import of a real workbook (bulk writes) and the
manpower plan's bulk copy; HR and executives read it, staff and outsiders cannot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from portal.history import IMPORT_REASON
from staff.models import ManpowerPlan, ManpowerPlanRow, Position, StaffMember, Unit
from staff.services import manpower_plan_revise
from tests.staff.conftest import make_staff
from tests.staff.imports.helpers import person, run, upload, xlsx_file
from tests.staff.test_staff_views import _form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


def test_an_edit_in_the_browser_records_its_author_and_the_values_before_and_after(
    hr_client, hr_user, people, structure
):
    person_ = people["kaew"]
    data = _form_data(structure, citizen_id=person_.citizen_id, first_name="แก้วตา")
    data["version"] = person_.version
    assert hr_client.post(reverse("staff:edit", args=[person_.pk]), data).status_code == 302

    latest, before = person_.history.all()[:2]
    assert latest.history_type == "~"
    assert latest.history_user == hr_user
    assert (before.first_name, latest.first_name) == (person_.first_name, "แก้วตา")
    assert latest.history_organization_id == person_.organization_id


def test_the_history_page_shows_the_change_in_thai_with_its_author(hr_client, people, structure):
    person_ = people["kaew"]
    data = _form_data(
        structure, citizen_id=person_.citizen_id, first_name="แก้วตา", appointed_on="01/10/2566"
    )
    data["version"] = person_.version
    hr_client.post(reverse("staff:edit", args=[person_.pk]), data)

    page = hr_client.get(reverse("staff:history", args=[person_.pk])).content.decode()
    assert "ชื่อ" in page and "แก้วตา" in page  # field label in Thai, the new value
    assert "สุดา ใจดี" in page  # who
    assert "1 ต.ค. 2566" in page  # a date in the Buddhist Era
    assert "ข้าราชการ" in page or "พนักงาน" in page  # a choice's label, not its code
    assert "local_official" not in page and "official</" not in page


def test_the_citizen_id_shows_in_full_to_hr_and_masked_to_executives(
    hr_client, executive_client, people
):
    person_ = people["kaew"]
    url = reverse("staff:history", args=[person_.pk])
    assert person_.citizen_id in hr_client.get(url).content.decode()
    page = executive_client.get(url).content.decode()
    assert person_.citizen_id not in page
    assert person_.masked_citizen_id in page


def test_staff_cannot_read_a_history_and_an_outsider_does_not_find_it(
    staff_client, outsider_client, people
):
    url = reverse("staff:history", args=[people["kaew"].pk])
    assert staff_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404


def test_the_person_page_links_to_the_history(hr_client, people):
    person_ = people["kaew"]
    page = hr_client.get(reverse("staff:detail", args=[person_.pk])).content.decode()
    assert reverse("staff:history", args=[person_.pk]) in page


def test_an_import_of_50_rows_records_50_creations_by_the_importer_naming_the_file(
    hr_client, hr_user, org_a, structure
):
    rows = [person(first_name=f"คนที่{n}") for n in range(50)]
    response = upload(hr_client, xlsx_file(rows))
    assert response.status_code == 200
    assert not StaffMember.history.exists()  # the preview wrote nothing, history included
    confirm = hr_client.post(reverse("staff:import_confirm"), {"token": response.context["token"]})
    assert confirm.status_code == 302

    created = StaffMember.history.filter(history_type="+")
    assert created.count() == 50
    assert set(created.values_list("history_user", flat=True)) == {hr_user.pk}
    assert set(created.values_list("history_change_reason", flat=True)) == {
        f"{IMPORT_REASON}staff.xlsx"
    }
    assert set(created.values_list("history_organization_id", flat=True)) == {org_a.pk}


def test_a_reimport_records_only_the_rows_it_changed_with_before_and_after(org_a, structure):
    rows = [person(first_name=f"คนที่{n}") for n in range(5)]
    run(org_a, xlsx_file(rows))
    rows[2]["phone"] = "089-999-9999"
    run(org_a, xlsx_file(rows))

    changed = StaffMember.history.filter(history_type="~")
    assert changed.count() == 1
    row = changed.get()
    before = StaffMember.history.filter(id=row.id, history_type="+").get()
    assert (before.phone, row.phone) == ("081-234-5678", "089-999-9999")
    assert row.history_user is None  # no request: nobody to name


def test_a_refused_import_leaves_no_history_either(org_a, structure):
    rows = [person(), person(first_name="")]  # the second row is refused
    report = run(org_a, xlsx_file(rows))
    assert not report.written
    assert not StaffMember.history.exists()


def test_units_and_positions_record_creation_change_and_removal(org_a, structure):
    unit = Unit.objects.create(organization=org_a, name="กองช่าง", order=3)
    unit.name = "กองช่างโยธา"
    unit.save()
    pk = unit.pk
    unit.delete()
    assert list(Unit.history.filter(id=pk).values_list("history_type", "name")) == [
        ("-", "กองช่างโยธา"),
        ("~", "กองช่างโยธา"),
        ("+", "กองช่าง"),
    ]
    position = structure["hr_position"]
    position.title = "นักทรัพยากรบุคคลชำนาญการ"
    position.save()
    assert Position.history.filter(id=position.pk).first().title == "นักทรัพยากรบุคคลชำนาญการ"


def test_a_manpower_revision_records_every_copied_row(org_a, structure, hr_user):
    plan = ManpowerPlan.objects.create(
        organization=org_a,
        first_fy=2567,
        status=ManpowerPlan.Status.APPROVED,
        approved_by=hr_user,
        approved_at=dt.datetime(2023, 9, 1, tzinfo=dt.UTC),
    )
    for title in ("นักทรัพยากรบุคคล", "นักวิชาการเงินและบัญชี"):
        ManpowerPlanRow.objects.create(
            plan=plan, unit=structure["finance"], position_title=title, personnel_type="official"
        )
    revision = manpower_plan_revise(plan=plan)

    copied = ManpowerPlanRow.history.filter(plan_id=revision.pk)
    assert copied.count() == 2
    assert set(copied.values_list("history_type", flat=True)) == {"+"}
    assert set(copied.values_list("history_organization_id", flat=True)) == {org_a.pk}


def test_the_history_of_a_person_includes_what_was_recorded_before(org_a, structure):
    someone = make_staff(org_a, structure["finance"], "มานี")
    someone.mark_left(on=dt.date(2024, 9, 30), reason="โอนย้าย")
    kinds = list(someone.history.values_list("history_type", "is_active"))
    assert kinds == [("~", False), ("+", True)]


def test_a_manpower_row_edited_in_the_table_records_its_author_and_counts_before_and_after(
    hr_client, hr_user, org_a, structure
):
    from tests.staff.test_manpower import NEW_ROW, _edit_data, make_row

    plan = ManpowerPlan.objects.create(organization=org_a, first_fy=2567)
    kept = make_row(plan, structure["finance"], "นักวิชาการเงินและบัญชี", (1, 1, 1, 1))
    removed = make_row(plan, structure["office"], "เจ้าพนักงานธุรการ", (1, 1, 1, 0))
    data = _edit_data(
        hr_client,
        plan,
        edits={kept.pk: {"year3_count": "2"}, removed.pk: {"DELETE": "on"}},
        new_rows=[{**NEW_ROW, "unit": str(structure["personnel"].pk)}],
    )

    assert hr_client.post(reverse("staff:manpower_edit", args=[plan.pk]), data).status_code == 302

    change = ManpowerPlanRow.history.filter(id=kept.pk, history_type="~").get()
    assert change.history_user == hr_user
    delta = change.diff_against(change.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("year3_count", 1, 2)]
    assert ManpowerPlanRow.history.filter(id=removed.pk, history_type="-").get().history_user == (
        hr_user
    )
    added = ManpowerPlanRow.history.filter(plan_id=plan.pk, history_type="+", history_user=hr_user)
    assert list(added.values_list("position_title", flat=True)) == [NEW_ROW["position_title"]]
