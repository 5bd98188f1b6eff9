"""The roles page ``/settings/roles/``: HR gives accounts of their organisation the
role hr / executive / staff and an executive a position in the approval chain; the
organisation never loses its last HR officer; the database keeps one ปลัด and one
นายก an organisation, and positions for executives only."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import ChainPosition, Membership, Role
from tests.conftest import make_user

ROLES_URL = reverse("portal:roles")


def change_url(membership: Membership) -> str:
    return reverse("portal:role_change", args=[membership.pk])


def membership_of(user) -> Membership:
    return Membership.objects.get(user=user)


def errors_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


class TestThePage:
    def test_hr_sees_every_account_with_its_role_and_position(
        self, hr_client, hr_user, executive_user, clerk_user, staff_user, outsider_user
    ):
        page = hr_client.get(ROLES_URL).content.decode()
        for user in (hr_user, executive_user, clerk_user, staff_user):
            assert f'id="membership-{membership_of(user).pk}"' in page
        assert f'id="membership-{membership_of(outsider_user).pk}"' not in page
        mayor_row = page[page.index(f'id="membership-{membership_of(executive_user).pk}"') :]
        assert '<option value="mayor" selected>' in mayor_row.split("</tr>")[0]

    @pytest.mark.parametrize("role", ["executive", "clerk", "staff"])
    def test_only_hr_opens_it(self, request, role):
        client = request.getfixturevalue(f"{role}_client")
        assert client.get(ROLES_URL).status_code == 403

    def test_the_page_costs_the_same_queries_for_5_or_50_accounts(self, hr_client, org_a, hr_user):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert hr_client.get(ROLES_URL).status_code == 200
            return len(queries)

        for n in range(4):
            make_user(f"few{n}", org_a, Role.STAFF)
        few = count()
        for n in range(45):
            make_user(f"many{n}", org_a, Role.STAFF, first_name=f"คน{n}")
        assert Membership.objects.filter(organization=org_a).count() == 50
        assert count() == few


class TestChangingARole:
    def test_hr_makes_a_staff_member_the_clerk(self, hr_client, staff_user):
        membership = membership_of(staff_user)
        response = hr_client.post(
            change_url(membership), {"role": "executive", "chain_position": "clerk"}
        )
        assert response["Location"] == ROLES_URL
        membership.refresh_from_db()
        assert (membership.role, membership.chain_position) == ("executive", "clerk")

    def test_hr_grants_and_removes_the_hr_role(self, hr_client, staff_user):
        membership = membership_of(staff_user)
        hr_client.post(change_url(membership), {"role": "hr"})
        membership.refresh_from_db()
        assert membership.role == Role.HR
        hr_client.post(change_url(membership), {"role": "staff"})
        membership.refresh_from_db()
        assert membership.role == Role.STAFF

    def test_the_last_hr_cannot_drop_their_own_role(self, hr_client, hr_user):
        membership = membership_of(hr_user)
        response = hr_client.post(change_url(membership), {"role": "staff"}, follow=True)
        membership.refresh_from_db()
        assert membership.role == Role.HR
        assert any("คนสุดท้าย" in m for m in errors_of(response))

    def test_of_two_hr_officers_one_may_go_but_not_the_other_too(self, hr_client, hr_user, org_a):
        other = membership_of(make_user("hr2", org_a, Role.HR))
        hr_client.post(change_url(other), {"role": "staff"})
        other.refresh_from_db()
        assert other.role == Role.STAFF
        hr_client.post(change_url(membership_of(hr_user)), {"role": "staff"})
        assert membership_of(hr_user).role == Role.HR

    def test_an_hr_officer_who_gives_up_the_role_goes_home(self, hr_client, hr_user, org_a):
        make_user("hr2", org_a, Role.HR)
        response = hr_client.post(change_url(membership_of(hr_user)), {"role": "executive"})
        assert response["Location"] == reverse("portal:dashboard")
        assert membership_of(hr_user).role == Role.EXECUTIVE
        assert hr_client.get(ROLES_URL).status_code == 403

    def test_a_position_is_for_executives_only(self, hr_client, staff_user):
        membership = membership_of(staff_user)
        response = hr_client.post(
            change_url(membership), {"role": "staff", "chain_position": "mayor"}, follow=True
        )
        membership.refresh_from_db()
        assert membership.chain_position == ""
        assert errors_of(response)

    def test_a_position_someone_holds_is_refused_with_their_name(
        self, hr_client, executive_user, staff_user
    ):
        membership = membership_of(staff_user)
        response = hr_client.post(
            change_url(membership), {"role": "executive", "chain_position": "mayor"}, follow=True
        )
        membership.refresh_from_db()
        assert (membership.role, membership.chain_position) == (Role.STAFF, "")
        assert any("ประเสริฐ มั่นคง" in m for m in errors_of(response))

    def test_an_unknown_role_is_refused(self, hr_client, staff_user):
        membership = membership_of(staff_user)
        hr_client.post(change_url(membership), {"role": "superuser"})
        membership.refresh_from_db()
        assert membership.role == Role.STAFF

    def test_another_organisations_membership_is_not_found(self, hr_client, outsider_user):
        membership = membership_of(outsider_user)
        response = hr_client.post(change_url(membership), {"role": "staff"})
        assert response.status_code == 404
        membership.refresh_from_db()
        assert membership.role == Role.HR

    def test_the_outsider_cannot_change_org_a(self, outsider_client, staff_user):
        membership = membership_of(staff_user)
        assert outsider_client.post(change_url(membership), {"role": "hr"}).status_code == 404
        membership.refresh_from_db()
        assert membership.role == Role.STAFF

    @pytest.mark.parametrize("role", ["executive", "clerk", "staff"])
    def test_other_roles_are_refused(self, request, role, staff_user):
        client = request.getfixturevalue(f"{role}_client")
        membership = membership_of(staff_user)
        assert client.post(change_url(membership), {"role": "hr"}).status_code == 403
        membership.refresh_from_db()
        assert membership.role == Role.STAFF

    def test_a_change_needs_a_post(self, hr_client, staff_user):
        assert hr_client.get(change_url(membership_of(staff_user))).status_code == 405


class TestTheDatabaseKeepsTheChain:
    def test_only_an_executive_holds_a_position(self, staff_user):
        membership = membership_of(staff_user)
        membership.chain_position = ChainPosition.CLERK
        with pytest.raises(IntegrityError), transaction.atomic():
            membership.save()

    def test_one_clerk_an_organisation(self, org_a, org_b, clerk_user):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_user("clerk2", org_a, Role.EXECUTIVE, position=ChainPosition.CLERK)
        make_user("clerk_b", org_b, Role.EXECUTIVE, position=ChainPosition.CLERK)
        make_user("deputy", org_a, Role.EXECUTIVE)  # any number without a position
        make_user("deputy2", org_a, Role.EXECUTIVE)
