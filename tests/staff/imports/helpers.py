"""Shared helpers of the staff import and export tests: building real files (openpyxl,
real encodings), running the import, the upload page."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from django.urls import reverse

from staff.importing import staff_import
from staff.models import StaffMember
from staff.resources import COLUMNS, HEADERS
from tests.staff.conftest import new_citizen_id

FIELDS = [column.field for column in COLUMNS]
HEADER = {column.field: column.header for column in COLUMNS}
IMPORT_URL = reverse("staff:import")
CONFIRM_URL = reverse("staff:import_confirm")
TEMPLATE_URL = reverse("staff:import_template")
EXPORT_URL = reverse("staff:export")


def pending_files(var_dir: Path) -> list[Path]:
    return list((var_dir / "imports").glob("*")) if (var_dir / "imports").exists() else []


# --- Building files ------------------------------------------------------------------


def person(**values) -> dict:
    """A complete, valid row; override any cell by field name."""
    row = {
        "citizen_id": new_citizen_id(),
        "prefix": "นาง",
        "first_name": "สมศรี",
        "last_name": "ใจงาม",
        "personnel_type": "พนักงานส่วนตำบล",
        "unit": "กองคลัง",
        "position_title": "นักวิชาการเงินและบัญชี",
        "position_type": "วิชาการ",
        "level": "ปฏิบัติการ",
        "appointed_on": "01/10/2563",
        "birth_date": "15 มี.ค. 2530",
        "education": "ปริญญาตรี บัญชี",
        "phone": "081-234-5678",
        "email": "somsri@example.go.th",
    }
    row.update(values)
    return row


def cells(row: dict, headers: list[str] = HEADERS) -> list:
    by_header = {HEADER[name]: value for name, value in row.items()}
    return [by_header.get(header, "") for header in headers]


def xlsx_file(rows: list[dict], headers: list[str] = HEADERS, above: list[list] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in above:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append(cells(row, headers))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(rows: list[dict], encoding: str, delimiter: str = ",") -> bytes:
    def line(values) -> str:
        return delimiter.join(
            '"' + str(value).replace('"', '""') + '"' if value != "" else "" for value in values
        )

    text = "\r\n".join([line(HEADERS), *(line(cells(row)) for row in rows)]) + "\r\n"
    return text.encode(encoding)


def run(organization, data: bytes, *, dry_run: bool = False):
    return staff_import(
        organization=organization, data=data, filename="staff.xlsx", dry_run=dry_run
    )


def table(organization) -> list[tuple]:
    """Everything about the organisation's people, to compare before and after."""
    return list(
        StaffMember.objects.filter(organization=organization)
        .order_by("citizen_id")
        .values_list(*[f.attname for f in StaffMember._meta.concrete_fields])
    )


def upload(client, data: bytes, name: str = "staff.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})
