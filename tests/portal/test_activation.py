"""One-time activation codes (portal/accounts/activation.py) and the page that uses
them, /accounts/activate/: single use, expiry, reissue, hashed storage, throttling."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.activation import (
    ALPHABET,
    ActivationError,
    activation_link,
    code_activate,
    code_display,
    code_issue,
)
from portal.accounts.models import ActivationCode
from portal.models import Role
from tests.conftest import make_user

NEW_PASSWORD = "ต้นไม้-ริมน้ำ-2567"
URL = "/accounts/activate/"


@pytest.fixture
def newcomer(org_a):
    user = make_user("somsri.c", org_a, Role.STAFF, first_name="สมศรี", last_name="ใจงาม")
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def issued(newcomer, org_a, hr_user):
    return code_issue(user=newcomer, organization=org_a, by=hr_user)


def error_code(excinfo) -> str:
    return excinfo.value.code


class TestCodes:
    def test_a_code_has_eight_unambiguous_characters_shown_in_two_groups(self, issued):
        first, second = issued.code.split("-")
        assert len(first) == len(second) == 4
        assert set(first + second) <= set(ALPHABET)
        assert not set("0O1I") & set(ALPHABET)

    def test_the_code_expires_after_the_configured_days(self, issued, settings):
        expected = timezone.now() + dt.timedelta(days=settings.ACTIVATION_CODE_DAYS)
        assert abs(issued.expires_at - expected) < dt.timedelta(minutes=1)

    def test_only_a_salted_hash_is_stored_never_the_code(self, issued):
        row = ActivationCode.objects.get(user=issued.user)
        plain = issued.code.replace("-", "")
        for value in (row.code_hash, *(str(v) for v in row.__dict__.values())):
            assert plain not in value.upper().replace("-", "")
            assert issued.code not in value
        salt, _, digest = row.code_hash.partition("$")
        assert salt and len(digest) == 64

    def test_two_users_with_the_same_code_store_different_hashes(self, newcomer, staff_user, org_a):
        from portal.accounts.activation import code_hash

        assert code_hash("K7QM4TXP") != code_hash("K7QM4TXP")

    def test_reissuing_revokes_the_earlier_code_at_once(self, issued, newcomer, org_a, hr_user):
        newer = code_issue(user=newcomer, organization=org_a, by=hr_user)
        assert ActivationCode.objects.live().filter(user=newcomer).count() == 1
        with pytest.raises(ActivationError) as excinfo:
            code_activate(username="somsri.c", code=issued.code, password=NEW_PASSWORD)
        assert error_code(excinfo) == "replaced"
        assert "ใหม่" in str(excinfo.value.messages[0])
        assert code_activate(username="somsri.c", code=newer.code, password=NEW_PASSWORD)

    def test_the_database_refuses_two_live_codes_for_one_user(self, issued, org_a):
        with pytest.raises(IntegrityError), transaction.atomic():
            ActivationCode.objects.create(
                user=issued.user,
                organization=org_a,
                code_hash="x$y",
                expires_at=issued.expires_at,
            )


class TestActivate:
    def test_the_right_code_sets_the_password_activates_and_uses_the_code(self, issued):
        issued.user.is_active = False
        issued.user.save()
        user = code_activate(
            username="somsri.c", code=issued.code.lower().replace("-", ""), password=NEW_PASSWORD
        )
        user.refresh_from_db()
        assert user.is_active and user.check_password(NEW_PASSWORD)
        assert ActivationCode.objects.get(user=user).used_at is not None

    def test_a_code_works_only_once(self, issued):
        code_activate(username="somsri.c", code=issued.code, password=NEW_PASSWORD)
        with pytest.raises(ActivationError) as excinfo:
            code_activate(username="somsri.c", code=issued.code, password="another-pass-999")
        assert error_code(excinfo) == "used"

    def test_an_expired_code_is_refused_with_its_date(self, issued, settings):
        later = timezone.now() + dt.timedelta(days=settings.ACTIVATION_CODE_DAYS, minutes=1)
        with time_machine.travel(later), pytest.raises(ActivationError) as excinfo:
            code_activate(username="somsri.c", code=issued.code, password=NEW_PASSWORD)
        assert error_code(excinfo) == "expired"
        assert "หมดอายุ" in str(excinfo.value.messages[0])

    def test_a_code_on_its_last_day_still_works(self, issued, settings):
        later = timezone.now() + dt.timedelta(days=settings.ACTIVATION_CODE_DAYS, minutes=-1)
        with time_machine.travel(later):
            assert code_activate(username="somsri.c", code=issued.code, password=NEW_PASSWORD)

    def test_a_wrong_code_and_an_unknown_username_get_the_same_message(self, issued):
        with pytest.raises(ActivationError) as wrong_code:
            code_activate(username="somsri.c", code="AAAA-AAAA", password=NEW_PASSWORD)
        with pytest.raises(ActivationError) as nobody:
            code_activate(username="nobody.x", code=issued.code, password=NEW_PASSWORD)
        assert error_code(wrong_code) == error_code(nobody) == "wrong"
        assert wrong_code.value.messages == nobody.value.messages

    def test_a_code_of_an_org_a_user_is_useless_for_an_org_b_user(self, issued, org_b):
        make_user("hr.b", org_b, Role.HR)
        with pytest.raises(ActivationError) as excinfo:
            code_activate(username="hr.b", code=issued.code, password=NEW_PASSWORD)
        assert error_code(excinfo) == "wrong"

    def test_a_code_is_useless_once_its_user_left_the_organisation(self, issued, org_a):
        issued.user.memberships.filter(organization=org_a).delete()
        with pytest.raises(ActivationError):
            code_activate(username="somsri.c", code=issued.code, password=NEW_PASSWORD)

    def test_a_password_too_like_the_name_is_refused_and_the_code_kept(self, issued):
        with pytest.raises(Exception) as excinfo:
            code_activate(username="somsri.c", code=issued.code, password="somsri.c")
        assert not isinstance(excinfo.value, ActivationError)
        assert ActivationCode.objects.live().filter(user=issued.user).exists()


def test_the_link_carries_the_username_and_the_code_on_the_configured_address(settings):
    settings.PORTAL_BASE_URL = "https://hr.example.go.th/"
    link = activation_link(code="k7qm4txp", username="somsri.c")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://hr.example.go.th" + URL
    assert parse_qs(parts.query) == {"u": ["somsri.c"], "code": ["K7QM-4TXP"]}
    assert activation_link() == "https://hr.example.go.th" + URL
    assert code_display("k7qm 4txp") == "K7QM-4TXP"


def post(client: Client, username: str, code: str, password: str = NEW_PASSWORD):
    return client.post(
        URL,
        {"username": username, "code": code, "new_password1": password, "new_password2": password},
    )


class TestPage:
    def test_the_page_opens_filled_from_the_link_without_login(self, client, issued):
        response = client.get(activation_link(code=issued.code, username="somsri.c"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'value="somsri.c"' in html and f'value="{issued.code}"' in html
        assert "เปิดใช้งานบัญชี" in html

    def test_the_login_page_links_to_activation_and_password_reset(self, client, db):
        html = client.get(reverse("login")).content.decode()
        assert reverse("activate") in html and reverse("password_reset") in html

    def test_activating_logs_in_and_lands_on_the_home_page_welcomed(self, client, issued):
        response = post(client, "somsri.c", issued.code)
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:dashboard")
        assert client.session["_auth_user_id"] == str(issued.user.pk)
        page = client.get(response["Location"])
        assert "ยินดีต้อนรับ" in page.content.decode()

    def test_two_different_passwords_are_refused_before_the_code_is_tried(self, client, issued):
        response = client.post(
            URL,
            {
                "username": "somsri.c",
                "code": issued.code,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD + "x",
            },
        )
        assert response.status_code == 200
        assert ActivationCode.objects.live().filter(user=issued.user).exists()

    def test_a_short_password_gets_a_thai_rule(self, client, issued):
        response = post(client, "somsri.c", issued.code, password="abc")
        assert response.status_code == 200
        assert "สั้นเกินไป" in response.content.decode()

    def test_a_wrong_code_shows_the_generic_thai_message(self, client, issued):
        response = post(client, "somsri.c", "AAAA-AAAA")
        assert response.status_code == 200
        assert "ไม่ถูกต้อง" in response.content.decode()
        assert "_auth_user_id" not in client.session


class TestThrottle:
    def test_too_many_wrong_codes_for_one_username_lock_it_with_429(self, issued, settings):
        client = Client(REMOTE_ADDR="203.0.113.10")
        limit = settings.AXES_FAILURE_LIMIT
        statuses = [post(client, "somsri.c", "AAAA-AAAA").status_code for _ in range(limit)]
        assert statuses[-1] == 429
        # Even the right code waits now.
        assert post(client, "somsri.c", issued.code).status_code == 429
        issued.user.refresh_from_db()
        assert not issued.user.has_usable_password()

    def test_changing_the_case_of_the_username_does_not_start_the_count_afresh(
        self, issued, settings
    ):
        client = Client(REMOTE_ADDR="203.0.113.11")
        for n in range(settings.AXES_FAILURE_LIMIT):
            post(client, "somsri.c" if n % 2 else "SOMSRI.C", "AAAA-AAAA")
        assert post(client, "Somsri.C", issued.code).status_code == 429

    def test_one_address_cannot_try_codes_for_many_usernames(self, issued, settings):
        settings.ACTIVATION_IP_FAILURE_LIMIT = 4
        client = Client(REMOTE_ADDR="203.0.113.20")
        statuses = [post(client, f"guess{n}", "AAAA-AAAA").status_code for n in range(4)]
        assert statuses == [200] * 4
        response = post(client, "somsri.c", issued.code)
        assert response.status_code == 429
        assert "Retry-After" in response
        # Another address is not affected.
        assert post(Client(REMOTE_ADDR="198.51.100.7"), "somsri.c", issued.code).status_code == 302

    def test_many_addresses_cannot_try_codes_for_one_username(self, issued, settings):
        settings.ACTIVATION_USERNAME_FAILURE_LIMIT = 3
        for n in range(3):
            post(Client(REMOTE_ADDR=f"203.0.113.{30 + n}"), "somsri.c", "AAAA-AAAA")
        response = post(Client(REMOTE_ADDR="203.0.113.99"), "somsri.c", issued.code)
        assert response.status_code == 429

    def test_the_code_and_passwords_are_never_kept_in_the_failure_records(self, issued):
        from axes.models import AccessAttempt

        post(Client(REMOTE_ADDR="203.0.113.40"), "somsri.c", "ZZZZ-ZZZZ")
        stored = AccessAttempt.objects.get().post_data
        assert "ZZZZ" not in stored and NEW_PASSWORD not in stored


def test_a_disabled_user_is_not_logged_in_by_a_revoked_code(issued):
    ActivationCode.objects.filter(user=issued.user).update(revoked_at=timezone.now())
    get_user_model().objects.filter(pk=issued.user.pk).update(is_active=False)
    with pytest.raises(ActivationError):
        code_activate(username="somsri.c", code=issued.code, password=NEW_PASSWORD)
    issued.user.refresh_from_db()
    assert not issued.user.is_active


def test_the_admin_lists_codes_read_only_without_their_hash(client, issued):
    root = get_user_model().objects.create_superuser("root", "root@example.go.th", "x" * 20)
    client.force_login(root)
    row = ActivationCode.objects.get(user=issued.user)
    listing = client.get("/admin/accounts/activationcode/")
    page = client.get(f"/admin/accounts/activationcode/{row.pk}/change/")
    assert listing.status_code == page.status_code == 200
    for response in (listing, page):
        assert row.code_hash.partition("$")[2] not in response.content.decode()
    assert client.get("/admin/accounts/activationcode/add/").status_code == 403
