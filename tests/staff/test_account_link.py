"""Linking a person to a login the organisation already has (staff/accounts.py
account_link): the first HR officer's, made by create_organization before the staff
file that names them was imported — and the bulk issue that never makes such a
person a second login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from portal.accounts.models import ActivationCode
from staff.accounts import AccountError, account_issue, account_link, login_matches
from staff.models import StaffMember
from tests.conftest import make_user
from tests.staff.conftest import make_staff

ISSUE_URL = reverse("staff:accounts_issue")
ACCOUNTS_URL = reverse("staff:accounts")


def link_url(person: StaffMember) -> str:
    return reverse("staff:account_link", args=[person.pk])


@pytest.fixture
def hr_record(org_a, structure, hr_user):
    """The HR officer's own staff record, imported with everyone else's: same name as
    their login (สุดา ใจดี), not linked to it."""
    return make_staff(org_a, structure["personnel"], "สุดา", "ใจดี", prefix="นาง")


class TestTheService:
    def test_links_the_person_to_the_login_without_a_second_account(self, hr_record, hr_user):
        account_link(person=hr_record, user=hr_user, by=hr_user)
        hr_record.refresh_from_db()
        assert hr_record.user == hr_user
        assert StaffMember.objects.filter(user=hr_user).count() == 1

    def test_a_login_of_another_organisation_is_refused(self, hr_record, outsider_user):
        with pytest.raises(AccountError) as error:
            account_link(person=hr_record, user=outsider_user, by=outsider_user)
        assert error.value.code == "other_organization"
        hr_record.refresh_from_db()
        assert hr_record.user is None

    def test_a_login_linked_to_another_person_is_refused(self, hr_record, people, hr_user):
        account_link(person=people["kaew"], user=hr_user, by=hr_user)
        with pytest.raises(AccountError) as error:
            account_link(person=hr_record, user=hr_user, by=hr_user)
        assert error.value.code == "linked"

    def test_a_person_with_a_login_is_refused(self, hr_record, hr_user, staff_user):
        account_issue(person=hr_record, by=hr_user)
        with pytest.raises(AccountError) as error:
            account_link(person=hr_record, user=staff_user, by=hr_user)
        assert error.value.code == "has_login"

    def test_a_person_who_left_is_refused(self, hr_record, hr_user):
        hr_record.mark_left(on=dt.date(2025, 1, 31))
        with pytest.raises(AccountError) as error:
            account_link(person=hr_record, user=hr_user, by=hr_user)
        assert error.value.code == "left"


class TestNameMatches:
    def test_a_person_named_exactly_as_an_unlinked_login_is_a_match(
        self, org_a, hr_record, hr_user
    ):
        [match] = login_matches(organization_id=org_a.pk)
        assert (match.person, match.logins) == (hr_record, [hr_user])

    def test_a_linked_login_or_another_name_is_no_match(self, org_a, hr_record, hr_user, people):
        account_link(person=hr_record, user=hr_user, by=hr_user)
        assert login_matches(organization_id=org_a.pk) == []

    def test_a_login_of_another_organisation_never_matches(self, org_a, org_b, structure):
        make_user("twin_b", org_b, "hr", first_name="สมพร", last_name="ทองดี")
        make_staff(org_a, structure["office"], "สมพร", "ทองดี")
        assert login_matches(organization_id=org_a.pk) == []


class TestBulkIssue:
    def test_everyone_without_an_account_skips_the_match_and_lists_it(
        self, hr_client, hr_record, hr_user, people
    ):
        response = hr_client.post(ISSUE_URL, {"scope": "without_account"}, follow=True)
        hr_record.refresh_from_db()
        assert hr_record.user is None
        assert (
            not ActivationCode.objects.filter(user__first_name="สุดา").exclude(user=hr_user).exists()
        )
        assert all(StaffMember.objects.get(pk=p.pk).user_id for p in people.values())
        page = response.content.decode()
        assert 'id="login-matches"' in page and hr_record.full_name in page
        warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
        assert len(warnings) == 1 and "1" in warnings[0]

    def test_the_list_links_the_login_in_one_click(self, hr_client, hr_record, hr_user):
        hr_client.post(ISSUE_URL, {"scope": "without_account"})
        response = hr_client.post(link_url(hr_record), {"user": hr_user.pk, "next": ACCOUNTS_URL})
        assert response.status_code == 302 and response.url == ACCOUNTS_URL
        hr_record.refresh_from_db()
        assert hr_record.user == hr_user
        assert 'id="login-matches"' not in hr_client.get(ACCOUNTS_URL).content.decode()


class TestTheLinkViews:
    def test_the_person_page_offers_the_unlinked_logins(self, hr_client, hr_record, hr_user):
        page = hr_client.get(reverse("staff:detail", args=[hr_record.pk])).content.decode()
        assert link_url(hr_record) in page
        assert f'<option value="{hr_user.pk}">' in page

    def test_the_accounts_page_offers_them_on_rows_without_an_account(
        self, hr_client, hr_record, hr_user
    ):
        page = hr_client.get(ACCOUNTS_URL).content.decode()
        assert f'id="link-{hr_record.pk}"' in page

    def test_an_org_b_login_cannot_be_linked_to_an_org_a_person(
        self, hr_client, hr_record, outsider_user
    ):
        response = hr_client.post(link_url(hr_record), {"user": outsider_user.pk}, follow=True)
        hr_record.refresh_from_db()
        assert hr_record.user is None
        assert [m.level_tag for m in response.context["messages"]] == ["error"]

    def test_an_outsider_gets_404(self, outsider_client, hr_record, outsider_user):
        response = outsider_client.post(link_url(hr_record), {"user": outsider_user.pk})
        assert response.status_code == 404

    @pytest.mark.parametrize("client_name", ["staff_client", "executive_client"])
    def test_staff_and_executives_get_403(self, request, client_name, hr_record, hr_user):
        client = request.getfixturevalue(client_name)
        assert client.post(link_url(hr_record), {"user": hr_user.pk}).status_code == 403
        hr_record.refresh_from_db()
        assert hr_record.user is None

    def test_get_is_405(self, hr_client, hr_record):
        assert hr_client.get(link_url(hr_record)).status_code == 405
