"""The slips of a batch of activation codes (staff/slips.py): the printable PDF (one
slip per person, its QR code opening the activation link with the code), the
spreadsheet of the same, and a clear page when there is nothing to print."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.accounts.activation import activation_link, code_activate
from staff import slips
from staff.models import Unit
from tests.pdf_utils import pdf_text, qr_texts
from tests.staff.conftest import make_staff

SLIPS = "/staff/accounts/slips.pdf"
SHEET = "/staff/accounts/slips.xlsx"
PASSWORD = "ต้นไม้-ริมน้ำ-2567"


@pytest.fixture
def people(org_a):
    office = Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1)
    finance = Unit.objects.create(organization=org_a, name="กองคลัง", order=2)
    names = ["แก้ว", "สมศรี", "กมล", "ประภา", "วิชัย", "อรุณ", "บุญมี", "ชูใจ", "ดวงใจ", "มานะ"]
    return [
        make_staff(org_a, office if i % 2 else finance, name, "ทดสอบ", prefix="นางสาว")
        for i, name in enumerate(names)
    ]


@pytest.fixture
def issued(hr_client, people):
    """Everyone's codes, issued through the page (ten people: two pages of slips)."""
    hr_client.post(reverse("staff:accounts_issue"), {"scope": "without_account"})
    return hr_client.session[slips.SESSION_KEY]["rows"]


class TestSlipsPdf:
    def test_has_one_slip_per_person_with_name_unit_username_and_code(
        self, hr_client, issued, people, tmp_path
    ):
        response = hr_client.get(SLIPS)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        text = pdf_text(response.content, tmp_path)
        assert text.count("รหัสเปิดใช้งาน") >= len(people)
        for row in issued:
            # Typed on a phone: the code and username keep Arabic digits in a
            # document whose other numbers are Thai.
            assert text.count(row["code"]) == 1
            assert row["username"] in text
        for person in people:
            assert text.count(person.full_name) == 1
        assert "กองคลัง" in text and "สำนักปลัด" in text
        assert activation_link() in text
        assert "ใช้ได้ครั้งเดียว" in text
        assert re.search("[๐-๙]", text)  # the rest (the expiry date) in Thai digits
        assert "\f" in text.rstrip("\f")  # ten slips: two pages

    def test_the_qr_codes_open_the_activation_link_with_username_and_code(
        self, hr_client, issued, tmp_path
    ):
        found = qr_texts(hr_client.get(SLIPS).content, tmp_path)
        links = {activation_link(code=row["code"], username=row["username"]) for row in issued}
        assert len(found) == 8  # eight slips on a page
        assert set(found) <= links

    def test_a_decoded_qr_code_activates_the_account(self, hr_client, issued, tmp_path):
        from urllib.parse import parse_qs, urlsplit

        link = qr_texts(hr_client.get(SLIPS).content, tmp_path)[0]
        query = parse_qs(urlsplit(link).query)
        user = code_activate(username=query["u"][0], code=query["code"][0], password=PASSWORD)
        assert user.has_usable_password()

    def test_codes_are_not_left_in_the_pdf_cache(self, hr_client, issued):
        from django.core.cache import caches

        from portal.pdf import CACHE_ALIAS

        response = hr_client.get(SLIPS)
        assert caches[CACHE_ALIAS].get(f"pdf:{response['ETag'].strip(chr(34))}") is None

    def test_a_code_reissued_since_is_left_out(self, hr_client, issued, people, tmp_path):
        from staff.accounts import account_issue

        account_issue(person=people[0], by=None)
        text = pdf_text(hr_client.get(SLIPS).content, tmp_path)
        assert people[0].full_name not in text
        assert people[1].full_name in text


class TestSpreadsheet:
    def test_has_a_row_per_person_with_username_code_and_link(self, hr_client, issued):
        response = hr_client.get(SHEET)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert ".xlsx" in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert len(rows) == len(issued)
        by_username = {row[2]: row for row in rows}
        for item in issued:
            _name, _unit, _username, code, until, link = by_username[item["username"]]
            assert code == item["code"]
            assert link == activation_link(code=item["code"], username=item["username"])
            assert until  # a Buddhist-Era date


class TestNoBatch:
    @pytest.mark.parametrize("path", [SLIPS, SHEET, "/staff/accounts/issued/"])
    def test_without_a_batch_a_clear_page_says_what_to_do(self, hr_client, people, path):
        response = hr_client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert "ไม่มีรหัสให้พิมพ์" in response.content.decode()

    def test_the_batch_belongs_to_the_officer_who_issued_it(self, issued, org_a, people):
        from django.test import Client

        from portal.models import Membership, Role
        from tests.conftest import make_user

        other = make_user("hr_a2", org_a, Role.HR)
        assert Membership.objects.filter(user=other).exists()
        client = Client()
        client.force_login(other)
        assert client.get(SLIPS)["Content-Type"].startswith("text/html")

    def test_the_batch_is_not_printed_in_another_organisation_of_the_officer(
        self, hr_client, hr_user, issued, org_a, org_b
    ):
        from portal.models import Membership, Role

        Membership.objects.create(user=hr_user, organization=org_b, role=Role.HR)
        hr_client.post(reverse("portal:switch"), {"organization": org_b.pk})
        assert hr_client.get(SLIPS)["Content-Type"].startswith("text/html")
        hr_client.post(reverse("portal:switch"), {"organization": org_a.pk})
        assert hr_client.get(SLIPS)["Content-Type"] == "application/pdf"

    def test_logging_out_ends_the_batch(self, hr_client, issued):
        hr_client.post("/accounts/logout/")
        assert slips.SESSION_KEY not in hr_client.session

    def test_the_batch_is_in_the_database_session_never_in_the_cookie(self, hr_client, issued):
        cookie = hr_client.cookies["sessionid"].value
        assert issued[0]["code"] not in cookie
        assert len(cookie) < 64


class TestAccess:
    @pytest.mark.parametrize("path", [SLIPS, SHEET, "/staff/accounts/issued/"])
    def test_executive_and_staff_get_403(self, executive_client, staff_client, path):
        assert executive_client.get(path).status_code == 403
        assert staff_client.get(path).status_code == 403
