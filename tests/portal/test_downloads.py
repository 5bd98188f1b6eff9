"""Download names: whatever a stored name holds, the header is one safe line, the name
has no path in it and stays short, and a Thai name reaches the browser intact."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.http import HttpResponse
from django.urls import reverse

from portal.downloads import MAX_NAME_LENGTH, content_disposition, safe_filename
from staff.models import ManpowerPlan


def _utf8_name(header: str) -> str:
    return unquote(header.split("filename*=UTF-8''", 1)[1])


def _ascii_name(header: str) -> str:
    return header.split('filename="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    "name",
    [
        "ผลการประเมิน-สมชาย\r\nSet-Cookie: a=1.pdf",
        'report"; filename="evil.exe.pdf',
        "../../etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "\u202efdp.exe.pdf",
        "a\x00b\x1bc\x7fd\x85.pdf",
    ],
)
def test_a_hostile_name_becomes_one_safe_header(name):
    header = content_disposition(name)
    HttpResponse()["Content-Disposition"] = header  # Django refuses a header with CR/LF
    assert header.count('"') == 2
    for part in (_utf8_name(header), _ascii_name(header)):
        assert not any(c in part for c in '\r\n"/\\\x00\u202e')
        assert not part.startswith(".")
        assert ".." not in part
        assert part.endswith(".pdf")


def test_cr_lf_and_path_parts_are_replaced():
    assert safe_filename("สมชาย\r\nใจดี.pdf") == "สมชาย ใจดี.pdf"
    assert safe_filename("../../etc/passwd") == "etc-passwd"
    assert safe_filename("report") == "report"
    assert safe_filename('a"b\\c/d.xlsx') == "a-b-c-d.xlsx"


def test_a_very_long_name_is_cut_and_keeps_its_suffix():
    name = safe_filename("ผลการประเมินทักษะดิจิทัล" * 20 + ".pdf")
    assert len(name) == MAX_NAME_LENGTH
    assert name.startswith("ผลการประเมินทักษะดิจิทัลผลการ")
    assert name.endswith(".pdf")
    header = content_disposition("x" * 1000 + ".xlsx")
    assert len(_ascii_name(header)) == MAX_NAME_LENGTH
    assert _ascii_name(header).endswith(".xlsx")


def test_an_empty_or_dots_only_name_gets_a_default():
    assert safe_filename("") == "download"
    assert safe_filename("../..") == "download"
    assert safe_filename("\r\n.pdf") == "download.pdf"


def test_a_thai_name_reaches_the_browser_intact():
    header = content_disposition("แผนพัฒนาบุคลากร 2564.pdf", inline=True)
    assert header.startswith('inline; filename="document-2564.pdf"; ')
    assert _utf8_name(header) == "แผนพัฒนาบุคลากร 2564.pdf"


def test_a_latin_name_is_kept_and_is_an_attachment_by_default():
    header = content_disposition("staff-org-a-20261128.xlsx")
    assert header == (
        'attachment; filename="staff-org-a-20261128.xlsx"; '
        "filename*=UTF-8''staff-org-a-20261128.xlsx"
    )


def test_the_manpower_export_goes_through_the_helper(hr_client, org_a):
    plan = ManpowerPlan.objects.create(organization=org_a, first_fy=2567)
    response = hr_client.get(reverse("staff:manpower_export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="manpower-plan-2567-2569-r0.xlsx"; filename*=UTF-8'
    )
