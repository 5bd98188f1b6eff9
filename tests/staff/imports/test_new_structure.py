"""A first staff file names units and positions nobody has typed in yet: the preview
lists them with a choice, ticked, to create them; they are created only when the import
is confirmed, in the same all-or-nothing transaction as the rows; unticked, the rows
naming them are errors and nothing at all is imported."""

from __future__ import annotations

from django.urls import reverse

from staff.choices import Level, PersonnelType, PositionType
from staff.importing import staff_import
from staff.models import Position, StaffMember, Unit
from staff.views_io import PENDING_KEY
from tests.staff.imports.helpers import CONFIRM_URL, person, upload, xlsx_file

#: One row each: a new division; a new section of an existing division; a new section
#: of a new division, with a new position number; an existing section named alone.
ROWS = [
    person(first_name="ช่างหนึ่ง", unit="กองช่าง"),
    person(first_name="ปลัดสอง", unit="สำนักปลัด · งานธุรการ"),
    person(first_name="ศึกษาสาม", unit="กองการศึกษา · งานการศึกษาปฐมวัย",
           position="12-3-08-3803-001", position_title="นักวิชาการศึกษา",
           position_type="วิชาการ", level="ชำนาญการ"),
    person(first_name="บุคคลสี่", unit="งานการเจ้าหน้าที่", position="12-3-01-3102-002",
           position_title="นักทรัพยากรบุคคล", position_type="วิชาการ", level="ปฏิบัติการ"),
]  # fmt: skip


def structure_of(org) -> tuple[list[str], list[str]]:
    units = sorted(
        u.full_name for u in Unit.objects.filter(organization=org).select_related("parent")
    )
    return units, sorted(Position.objects.filter(organization=org).values_list("number", flat=True))


def preview(hr_client):
    response = upload(hr_client, xlsx_file(ROWS))
    assert response.status_code == 200
    return response, hr_client.session[PENDING_KEY]["token"]


def test_the_preview_lists_what_will_be_created_and_creates_nothing(hr_client, org_a, structure):
    before = structure_of(org_a)

    response, _token = preview(hr_client)

    report = response.context["report"]
    assert report.ok and report.new == 4
    assert [(entry.label, entry.names) for entry in report.new_entries] == [
        ("ส่วนราชการ", ["กองช่าง", "สำนักปลัด · งานธุรการ",
                        "กองการศึกษา · งานการศึกษาปฐมวัย"]),
        ("ตำแหน่ง", ["12-3-08-3803-001 นักวิชาการศึกษา (กองการศึกษา · งานการศึกษาปฐมวัย)",
                     "12-3-01-3102-002 นักทรัพยากรบุคคล (งานการเจ้าหน้าที่)"]),
    ]  # fmt: skip
    page = response.content.decode()
    assert "กองการศึกษา · งานการศึกษาปฐมวัย" in page
    assert 'name="create_new" id="id_create_new" checked' in page
    assert structure_of(org_a) == before
    assert not StaffMember.objects.filter(organization=org_a).exists()


def test_confirming_creates_them_with_the_people_in_place(hr_client, org_a, structure):
    _response, token = preview(hr_client)

    response = hr_client.post(CONFIRM_URL, {"token": token, "create_new": "on"})

    assert response.status_code == 302 and response.url == reverse("staff:list")
    units, numbers = structure_of(org_a)
    assert units == sorted([
        "สำนักปลัด", "สำนักปลัด · งานการเจ้าหน้าที่", "กองคลัง", "กองช่าง",
        "สำนักปลัด · งานธุรการ", "กองการศึกษา", "กองการศึกษา · งานการศึกษาปฐมวัย",
    ])  # fmt: skip
    assert numbers == ["12-3-01-3102-001", "12-3-01-3102-002", "12-3-04-3201-001",
                       "12-3-08-3803-001"]  # fmt: skip
    # The new units come after the existing ones.
    assert Unit.objects.get(organization=org_a, name="กองช่าง").order > structure["finance"].order
    teacher = Position.objects.get(organization=org_a, number="12-3-08-3803-001")
    assert (teacher.title, teacher.unit.full_name) == (
        "นักวิชาการศึกษา",
        "กองการศึกษา · งานการศึกษาปฐมวัย",
    )
    assert (teacher.personnel_type, teacher.position_type, teacher.level) == (
        PersonnelType.LOCAL_OFFICIAL,
        PositionType.ACADEMIC,
        Level.PROFESSIONAL,
    )
    hr = Position.objects.get(organization=org_a, number="12-3-01-3102-002")
    assert hr.unit == structure["personnel"]  # the existing section, not a new division
    people = {p.first_name: p for p in StaffMember.objects.filter(organization=org_a)}
    assert people["ศึกษาสาม"].position == teacher
    assert people["ช่างหนึ่ง"].unit.name == "กองช่าง"
    assert people["ปลัดสอง"].unit.parent == structure["office"]


def test_unticked_the_rows_naming_them_are_errors_and_nothing_is_imported(
    hr_client, org_a, structure
):
    before = structure_of(org_a)
    _response, token = preview(hr_client)

    response = hr_client.post(CONFIRM_URL, {"token": token})

    assert response.status_code == 200
    report = response.context["report"]
    assert not report.written
    assert {row.number for row in report.error_rows} == {2, 3, 4, 5}
    assert "กองช่าง" in response.content.decode()
    assert structure_of(org_a) == before
    assert not StaffMember.objects.filter(organization=org_a).exists()


def test_a_row_with_an_error_leaves_nothing_created(org_a, structure):
    before = structure_of(org_a)
    rows = [*ROWS, person(first_name="ผิด", level="ชำนาญการเศษ")]

    report = staff_import(
        organization=org_a,
        data=xlsx_file(rows),
        filename="staff.xlsx",
        dry_run=False,
        create_new=True,
    )

    assert not report.written and len(report.error_rows) == 1
    assert structure_of(org_a) == before
    assert not StaffMember.objects.filter(organization=org_a).exists()


def test_what_cannot_be_made_without_guessing_stays_an_error(org_a, structure):
    rows = [
        # A title alone names no position: which number would it have?
        person(position="นักวิชาการคอมพิวเตอร์"),
        # A new position needs its unit.
        person(unit="", position="12-3-09-0000-001"),
        # Three levels of unit are not a unit of this portal.
        person(unit="กองช่าง · งานโยธา · ฝ่ายถนน"),
    ]

    report = staff_import(
        organization=org_a,
        data=xlsx_file(rows),
        filename="staff.xlsx",
        dry_run=True,
        create_new=True,
    )

    assert report.new_entries == []
    assert len(report.error_rows) == 3


def test_another_organization_gets_nothing(org_a, org_b, structure):
    before = structure_of(org_b)
    report = staff_import(
        organization=org_a,
        data=xlsx_file(ROWS),
        filename="staff.xlsx",
        dry_run=False,
        create_new=True,
    )
    assert report.written
    assert structure_of(org_b) == before


def test_a_new_section_is_never_put_under_a_section(org_a, structure):
    # งานการเจ้าหน้าที่ is a section of สำนักปลัด: "งานการเจ้าหน้าที่ · งานย่อย" is read
    # as a new division of that name with its section, keeping the two levels.
    report = staff_import(
        organization=org_a,
        data=xlsx_file([person(unit="งานการเจ้าหน้าที่ · งานสรรหา")]),
        filename="staff.xlsx",
        dry_run=False,
        create_new=True,
    )
    assert report.written
    new = Unit.objects.get(organization=org_a, name="งานสรรหา")
    assert new.parent.parent is None and new.parent != structure["personnel"]
    assert not Unit.objects.filter(organization=org_a, parent__parent__isnull=False).exists()
