"""Staff logins issued by HR (staff/accounts.py): the account, its username, its
state in SQL, disabling, and the login of a person who left ending at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from portal.accounts.activation import ActivationError, code_activate
from portal.accounts.models import ActivationCode, UserSession
from portal.models import Membership, Role
from staff.accounts import (
    AccountError,
    AccountState,
    account_disable,
    account_enable,
    account_issue,
    username_change,
    username_suggest,
    with_account_state,
)
from staff.models import StaffMember
from tests.staff.conftest import make_staff

PASSWORD = "ต้นไม้-ริมน้ำ-2567"


def states(people) -> dict[str, str]:
    rows = with_account_state(StaffMember.objects.filter(pk__in=[p.pk for p in people]))
    return {row.first_name: row.account_state for row in rows}


class TestIssue:
    def test_issuing_makes_an_account_a_staff_membership_and_a_code(self, people, org_a, hr_user):
        kaew = people["kaew"]
        issued = account_issue(person=kaew, by=hr_user)
        kaew.refresh_from_db()
        assert kaew.user == issued.user
        assert not issued.user.has_usable_password()
        membership = Membership.objects.get(user=issued.user)
        assert (membership.organization, membership.role) == (org_a, Role.STAFF)
        assert issued.organization == org_a
        row = ActivationCode.objects.get(user=issued.user)
        assert row.created_by == hr_user

    def test_the_username_is_romanised_short_and_never_the_citizen_id(self, people, hr_user):
        issued = account_issue(person=people["kaew"], by=hr_user)
        username = issued.user.username
        assert username.isascii() and username == username.lower()
        assert username.startswith("kaeo") or username.startswith("kaew")
        assert people["kaew"].citizen_id not in username
        assert not any(ch.isdigit() for ch in username)

    def test_the_english_name_is_used_when_recorded(self, org_a, structure):
        person = make_staff(
            org_a, structure["office"], "สมศรี", "ใจงาม", first_name_en="Somsri", last_name_en="Jai"
        )
        assert username_suggest(person) == "somsri.j"

    def test_namesakes_get_a_number_unique_across_the_site(
        self, org_a, org_b, structure, foreign_person, hr_user, outsider_user
    ):
        one = make_staff(org_a, structure["office"], "วิไล", "ต่างถิ่น")
        first = account_issue(person=foreign_person, by=outsider_user).user.username
        second = account_issue(person=one, by=hr_user).user.username
        assert second == f"{first}2"

    def test_a_username_hr_chose_is_validated(self, people, hr_user):
        with pytest.raises(AccountError):
            account_issue(person=people["kaew"], by=hr_user, username=people["kaew"].citizen_id)
        issued = account_issue(person=people["kaew"], by=hr_user, username="Kaew.M")
        assert issued.user.username == "kaew.m"

    def test_issuing_again_keeps_the_account_and_kills_the_old_code(self, people, hr_user):
        first = account_issue(person=people["kaew"], by=hr_user)
        second = account_issue(person=people["kaew"], by=hr_user)
        assert first.user == second.user
        assert get_user_model().objects.filter(staff_member=people["kaew"]).count() == 1
        with pytest.raises(ActivationError):
            code_activate(username=first.user.username, code=first.code, password=PASSWORD)
        assert code_activate(username=second.user.username, code=second.code, password=PASSWORD)

    def test_a_person_who_left_gets_no_account(self, people, hr_user):
        people["kaew"].mark_left(on=dt.date(2025, 1, 31))
        with pytest.raises(AccountError):
            account_issue(person=people["kaew"], by=hr_user)
        assert not get_user_model().objects.filter(username__startswith="ka").exists()


class TestState:
    def test_every_state_in_one_query(self, people, hr_user, django_assert_num_queries):
        account_issue(person=people["kamon"], by=hr_user)
        active = account_issue(person=people["kasem"], by=hr_user)
        code_activate(username=active.user.username, code=active.code, password=PASSWORD)
        with django_assert_num_queries(1):
            found = states(people.values())
        assert found == {
            "แก้ว": AccountState.NONE,
            "กมล": AccountState.CODE_ISSUED,
            "เกษม": AccountState.ACTIVE,
        }
        account_disable(person=people["kasem"], by=hr_user)
        assert states([people["kasem"]]) == {"เกษม": AccountState.DISABLED}

    def test_the_live_codes_expiry_is_annotated(self, people, hr_user):
        issued = account_issue(person=people["kamon"], by=hr_user)
        row = with_account_state(StaffMember.objects.filter(pk=people["kamon"].pk)).get()
        assert row.code_expires_at == issued.expires_at


class TestDisable:
    def test_disabling_ends_every_session_and_revokes_the_code(self, people, hr_user):
        issued = account_issue(person=people["kaew"], by=hr_user)
        code_activate(username=issued.user.username, code=issued.code, password=PASSWORD)
        Client().force_login(issued.user)
        Client().force_login(issued.user)
        account_issue(person=people["kaew"], by=hr_user)  # a live code too
        assert UserSession.objects.filter(user=issued.user).count() == 2

        account_disable(person=people["kaew"], by=hr_user)

        issued.user.refresh_from_db()
        assert not issued.user.is_active
        assert not UserSession.objects.filter(user=issued.user).exists()
        assert not ActivationCode.objects.live().filter(user=issued.user).exists()

    def test_enabling_gives_the_login_back_with_its_password(self, people, hr_user):
        issued = account_issue(person=people["kaew"], by=hr_user)
        code_activate(username=issued.user.username, code=issued.code, password=PASSWORD)
        account_disable(person=people["kaew"], by=hr_user)
        account_enable(person=people["kaew"], by=hr_user)
        assert Client().login(username=issued.user.username, password=PASSWORD)


class TestUsernameChange:
    def test_hr_can_rename_an_account(self, people, hr_user):
        account_issue(person=people["kaew"], by=hr_user)
        assert username_change(person=people["kaew"], username="kaew.finance").username == (
            "kaew.finance"
        )

    @pytest.mark.parametrize("bad", ["ก้อย", "a b", "ab", "x" * 41, "user1234567", "a@b"])
    def test_bad_usernames_are_refused(self, people, hr_user, bad):
        account_issue(person=people["kaew"], by=hr_user)
        with pytest.raises(AccountError):
            username_change(person=people["kaew"], username=bad)

    def test_a_taken_username_is_refused_whatever_its_case(self, people, hr_user):
        account_issue(person=people["kaew"], by=hr_user)
        with pytest.raises(AccountError):
            username_change(person=people["kaew"], username="HR_A")


class TestLeaving:
    @pytest.fixture
    def active_kaew(self, people, hr_user):
        issued = account_issue(person=people["kaew"], by=hr_user)
        code_activate(username=issued.user.username, code=issued.code, password=PASSWORD)
        client = Client()
        client.force_login(issued.user)
        return issued.user, client

    def test_recording_a_leave_ends_the_login_and_every_session(
        self, people, hr_client, active_kaew
    ):
        user, client = active_kaew
        response = hr_client.post(
            f"/staff/{people['kaew'].pk}/leave/", {"left_on": "31/01/2568", "reason": "โอนย้าย"}
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert not user.is_active
        assert client.get("/").status_code == 302  # sent to the login page
        assert not Client().login(username=user.username, password=PASSWORD)

    def test_a_person_who_left_cannot_activate_a_code_issued_before(
        self, people, hr_client, hr_user
    ):
        issued = account_issue(person=people["kaew"], by=hr_user)
        hr_client.post(f"/staff/{people['kaew'].pk}/leave/", {"left_on": "31/01/2568"})
        with pytest.raises(ActivationError):
            code_activate(username=issued.user.username, code=issued.code, password=PASSWORD)

    def test_a_person_who_left_cannot_be_enabled(self, people, hr_user, active_kaew):
        from staff.accounts import person_leave

        person_leave(person=people["kaew"], on=timezone.localdate())
        with pytest.raises(AccountError):
            account_enable(person=people["kaew"], by=hr_user)

    def test_an_import_recording_a_leave_ends_the_login_but_a_preview_does_not(
        self, org_a, people, hr_user, active_kaew, tmp_path, settings
    ):
        from tests.staff.imports.helpers import person, run, xlsx_file

        settings.MEDIA_ROOT = tmp_path
        user, _client = active_kaew
        kaew = people["kaew"]
        row = person(
            citizen_id=kaew.citizen_id,
            prefix="นางสาว",
            first_name="แก้ว",
            last_name="มณี",
            left_on="31/01/2568",
        )
        assert run(org_a, xlsx_file([row]), dry_run=True).ok
        user.refresh_from_db()
        assert user.is_active

        assert run(org_a, xlsx_file([row])).ok

        user.refresh_from_db()
        assert not user.is_active
        assert not UserSession.objects.filter(user=user).exists()
