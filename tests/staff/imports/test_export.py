"""Staff export: masked citizen IDs, filters and Thai order, formula neutralising, and an
export that imports back unchanged."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staff.choices import Level, PersonnelType
from staff.models import Position, StaffMember, Unit
from staff.resources import HEADERS
from tests.staff.conftest import make_staff
from tests.staff.imports.helpers import (
    EXPORT_URL,
    FIELDS,
    TEMPLATE_URL,
    person,
    run,
    table,
    xlsx_file,
)

# --- The export ----------------------------------------------------------------------------


def exported_rows(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return [dict(zip(FIELDS, row, strict=True)) for row in rows[1:]]


def test_the_export_masks_citizen_ids_unless_asked(hr_client, people):
    masked = exported_rows(hr_client.get(EXPORT_URL))
    full = exported_rows(hr_client.get(EXPORT_URL, {"include_citizen_ids": "1"}))

    assert {row["citizen_id"] for row in masked} == {p.masked_citizen_id for p in people.values()}
    assert {row["citizen_id"] for row in full} == {p.citizen_id for p in people.values()}


def test_the_export_follows_the_list_filters_and_thai_order(hr_client, structure, people):
    people["kasem"].mark_left(on=dt.date(2024, 1, 31))

    working = exported_rows(hr_client.get(EXPORT_URL))
    everyone = exported_rows(hr_client.get(EXPORT_URL, {"active": "all"}))
    finance = exported_rows(hr_client.get(EXPORT_URL, {"unit": structure["finance"].pk}))
    officials = exported_rows(
        hr_client.get(EXPORT_URL, {"active": "all", "personnel_type": "mission"})
    )
    found = exported_rows(hr_client.get(EXPORT_URL, {"q": "ศรีสุข"}))

    assert [row["first_name"] for row in working] == ["กมล", "แก้ว"]
    assert [row["first_name"] for row in everyone] == ["กมล", "เกษม", "แก้ว"]
    assert everyone[1]["left_on"] == "31/01/2567"
    assert [row["first_name"] for row in finance] == ["แก้ว"]
    assert [row["first_name"] for row in officials] == ["เกษม"]
    assert [row["first_name"] for row in found] == ["กมล"]


def test_the_export_is_not_cached(hr_client):
    response = hr_client.get(EXPORT_URL)

    assert "no-store" in response["Cache-Control"]


def test_export_then_import_changes_nothing(hr_client, org_a, structure, people):
    make_staff(
        org_a,
        structure["personnel"],
        "ศิริพร",
        "วงศ์ไทย",
        position=structure["hr_position"],
        position_title="นักทรัพยากรบุคคล",
        level=Level.PROFESSIONAL,
        birth_date=dt.date(1990, 2, 28),
        first_name_en="Siriporn",
        phone="02-123-4567",
        email="siriporn@example.go.th",
        education="ปริญญาโท",
    )
    people["kasem"].mark_left(on=dt.date(2024, 1, 31))
    before = table(org_a)

    exported = hr_client.get(EXPORT_URL, {"active": "all", "include_citizen_ids": "1"})
    report = run(org_a, exported.content)

    assert report.ok, report.rows
    assert [row.status for row in report.rows] == ["unchanged"] * 4
    assert table(org_a) == before


def test_an_edited_export_imports_the_edits(hr_client, org_a, structure, people):
    exported = hr_client.get(EXPORT_URL, {"include_citizen_ids": "1"})
    workbook = openpyxl.load_workbook(io.BytesIO(exported.content))
    sheet = workbook.worksheets[0]
    level_column = HEADERS.index("ระดับ") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=HEADERS.index("ชื่อ") + 1).value == "แก้ว":
            sheet.cell(row=row, column=level_column, value="ชำนาญการ")
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(org_a, buffer.getvalue())

    assert sorted(row.status for row in report.rows) == ["unchanged", "unchanged", "update"]
    people["kaew"].refresh_from_db()
    assert people["kaew"].level == Level.PROFESSIONAL


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_the_export_neutralises_cells_that_a_spreadsheet_could_run(
    hr_client, org_a, structure, trigger
):
    payload = f'{trigger}HYPERLINK("http://evil.example","x")'
    make_staff(org_a, structure["finance"], "สมชาย", payload, education=f"{trigger}1+1")
    before = table(org_a)

    response = hr_client.get(EXPORT_URL, {"include_citizen_ids": "1"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    last_name = sheet.cell(row=2, column=HEADERS.index("นามสกุล") + 1)
    education = sheet.cell(row=2, column=HEADERS.index("วุฒิการศึกษา") + 1)
    # (XML reads a carriage return back as a line feed.)
    assert last_name.data_type == "s"
    assert last_name.value == ("'" + payload).replace("\r", "\n")
    assert education.data_type == "s"
    assert education.value == f"'{trigger}1+1".replace("\r", "\n")
    # …and the apostrophe does not end up in the data when the file comes back.
    report = run(org_a, response.content)
    if trigger in "\t\r":
        # Stray spaces are trimmed on import, so these two come back as an update.
        assert report.ok
    else:
        assert [row.status for row in report.rows] == ["unchanged"]
        assert table(org_a) == before


def test_unit_and_position_names_in_the_guide_sheet_are_neutralised(hr_client, org_a, structure):
    Unit.objects.create(organization=org_a, name="=cmd|' /C calc'!A0")

    response = hr_client.get(TEMPLATE_URL)

    guide = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[1]
    values = [cell for row in guide.iter_rows() for cell in row if cell.value]
    assert not [cell for cell in values if cell.data_type == "f"]
    assert "'=cmd|' /C calc'!A0" in [cell.value for cell in values]


def _export_queries(hr_client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = hr_client.get(EXPORT_URL, {"include_citizen_ids": "1", "active": "all"})
    assert response.status_code == 200
    return len(queries)


def test_the_export_costs_the_same_queries_for_5_and_50_people(hr_client, org_a, structure):
    positions = [structure["hr_position"], structure["finance_position"], None]
    units = [structure["personnel"], structure["finance"], structure["office"]]

    def add(count: int) -> None:
        for n in range(count):
            make_staff(org_a, units[n % 3], f"คน{n:03d}", position=positions[n % 3])

    add(5)
    few = _export_queries(hr_client)
    add(45)
    many = _export_queries(hr_client)

    assert StaffMember.objects.count() == 50
    assert many == few


def test_positions_added_after_the_fixture_do_not_change_matching_by_number(org_a, structure):
    Position.objects.create(
        organization=org_a,
        number="๑๒-๓-๐๔-๓๒๐๑-๐๐๒",  # stored with Thai digits by someone
        title="นักวิชาการเงินและบัญชี",
        personnel_type=PersonnelType.LOCAL_OFFICIAL,
        unit=structure["finance"],
    )

    report = run(org_a, xlsx_file([person(position="12-3-04-3201-002")]))

    assert report.ok
    assert StaffMember.objects.get().position.number == "๑๒-๓-๐๔-๓๒๐๑-๐๐๒"
