"""The roles page ``/settings/roles/``: HR gives accounts of their organisation the
role hr / executive / staff and an executive a position in the approval chain; the
organisation never loses its last HR officer; the database keeps one ปลัด and one
นายก an organisation, and positions for executives only."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import ChainPosition, Membership, Role
from staff.models import Unit
from tests.conftest import make_user
from tests.staff.conftest import make_staff

ROLES_URL = reverse("portal:roles")


def change_url(membership: Membership) -> str:
    return reverse("portal:role_change", args=[membership.pk])


def membership_of(user) -> Membership:
    return Membership.objects.get(user=user)


def errors_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


def accounts_make(organization, count: int, *, start: int = 0) -> list:
    """``count`` staff accounts named คน000, คน001…: they sort after the HR officer,
    the executives and กมล (the staff user)."""
    return [
        make_user(f"many{n:03d}", organization, Role.STAFF, first_name=f"คน{n:03d}")
        for n in range(start, start + count)
    ]


def rows_of(response) -> list[int]:
    return [membership.pk for membership, _role, _chain in response.context["rows"]]


def listed(path: str, **query) -> str:
    return f"{path}?{urlencode(query)}"


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

    def test_the_page_costs_the_same_queries_for_10_or_200_accounts(
        self, hr_client, org_a, hr_user, executive_user
    ):
        def count(url: str = ROLES_URL) -> int:
            with CaptureQueriesContext(connection) as queries:
                assert hr_client.get(url).status_code == 200
            return len(queries)

        accounts_make(org_a, 8)
        few = count()
        accounts_make(org_a, 190, start=8)
        assert Membership.objects.filter(organization=org_a).count() == 200
        assert count() == few
        assert count(listed(ROLES_URL, page=4)) == few
        assert count(listed(ROLES_URL, q="คน1")) == few


class TestPagesAndSearch:
    def test_the_accounts_come_fifty_a_page(self, hr_client, org_a, hr_user, staff_user):
        accounts_make(org_a, 60)
        first, second = hr_client.get(ROLES_URL), hr_client.get(listed(ROLES_URL, page=2))
        assert (len(rows_of(first)), len(rows_of(second))) == (50, 12)
        assert not set(rows_of(first)) & set(rows_of(second))
        assert rows_of(first)[:2] == [membership_of(hr_user).pk, membership_of(staff_user).pk]
        assert 'href="?page=2"' in first.content.decode()
        assert "หน้า 2 จาก 2" in second.content.decode()

    def test_a_page_past_the_end_shows_the_last(self, hr_client, org_a, hr_user):
        accounts_make(org_a, 55)
        assert hr_client.get(listed(ROLES_URL, page=9)).context["page"].number == 2
        assert hr_client.get(listed(ROLES_URL, page="x")).context["page"].number == 1

    def test_the_counts_and_the_chain_are_of_everyone_on_every_page(
        self, hr_client, org_a, hr_user, executive_user, clerk_user
    ):
        accounts_make(org_a, 60)
        second = hr_client.get(listed(ROLES_URL, page=2))
        assert membership_of(executive_user).pk not in rows_of(second)
        assert dict(second.context["role_counts"]) == {
            Role.HR.label: 1,
            Role.EXECUTIVE.label: 2,
            Role.STAFF.label: 60,
        }
        holders = {label: m.user for label, m in second.context["chain_holders"]}
        assert holders == {
            ChainPosition.CLERK.label: clerk_user,
            ChainPosition.MAYOR.label: executive_user,
        }
        counts = second.content.decode().split('id="role-counts"')[1].split("</ul>")[0]
        assert "ประเสริฐ มั่นคง" in counts and "วันชัย รอบคอบ" in counts

    def test_a_position_nobody_holds_says_so(self, hr_client, hr_user):
        page = hr_client.get(ROLES_URL)
        assert [holder for _label, holder in page.context["chain_holders"]] == [None, None]
        assert "ยังไม่มีผู้ใด" in page.content.decode()

    def test_the_search_finds_a_name_a_username_or_a_position(
        self, hr_client, org_a, hr_user, executive_user, staff_user
    ):
        accounts_make(org_a, 3)
        unit = Unit.objects.create(organization=org_a, name="กองคลัง")
        make_staff(org_a, unit, "กมล", "แก้วใส", position_title="นักวิชาการเงินและบัญชี",
                   user=staff_user)  # fmt: skip

        def found(q: str) -> list[int]:
            return rows_of(hr_client.get(listed(ROLES_URL, q=q)))

        assert found("กมล") == [membership_of(staff_user).pk]
        assert found("exec_a") == [membership_of(executive_user).pk]
        assert found("การเงิน") == [membership_of(staff_user).pk]
        assert found("กมล ใจดี") == []
        assert len(found("คน")) == 3

    def test_a_search_that_finds_nobody_says_so(self, hr_client, hr_user):
        response = hr_client.get(listed(ROLES_URL, q="ไม่มีใครชื่อนี้"))
        assert response.context["rows"] == []
        assert "ไม่พบบุคลากรตามเงื่อนไขที่เลือก" in response.content.decode()

    def test_a_search_with_a_control_character_is_ignored(self, hr_client, hr_user, staff_user):
        response = hr_client.get(listed(ROLES_URL, q="กมล\x00"))
        assert response.status_code == 200
        assert len(rows_of(response)) == 2

    def test_each_row_posts_with_its_search_and_page(self, hr_client, org_a, hr_user):
        accounts_make(org_a, 60)
        response = hr_client.get(listed(ROLES_URL, q="คน", page=2))
        member = response.context["rows"][0][0]
        here = urlencode({"q": "คน", "page": 2}).replace("&", "&amp;")
        assert f'action="{change_url(member)}?{here}"' in response.content.decode()
        first = hr_client.get(listed(ROLES_URL, q="คน")).content.decode()
        assert f'action="{change_url(member)}"' not in first
        assert 'href="?q=%E0%B8%84%E0%B8%99&amp;page=2"' in first


class TestChangingARole:
    def test_hr_makes_a_staff_member_the_clerk(self, hr_client, staff_user):
        membership = membership_of(staff_user)
        response = hr_client.post(
            change_url(membership), {"role": "executive", "chain_position": "clerk"}
        )
        assert response["Location"] == f"{ROLES_URL}#membership-{membership.pk}"
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

    def test_a_row_saved_on_a_page_comes_back_to_that_page_and_search(
        self, hr_client, org_a, hr_user
    ):
        accounts = accounts_make(org_a, 60)
        target = membership_of(accounts[-1])
        url = listed(change_url(target), q="คน", page=2)
        response = hr_client.post(url, {"role": "executive"})
        assert response["Location"] == f"{listed(ROLES_URL, q='คน', page=2)}#membership-{target.pk}"
        assert list(Membership.objects.filter(role=Role.EXECUTIVE)) == [target]
        assert Membership.objects.filter(organization=org_a, role=Role.STAFF).count() == 59
        shown = hr_client.get(response["Location"])
        assert (shown.context["page"].number, shown.context["filters"]["q"].value()) == (2, "คน")
        # Now an executive, the account is listed with them, at the top of page 1.
        assert target.pk in rows_of(hr_client.get(listed(ROLES_URL, q="คน")))

    def test_a_refusal_comes_back_to_the_page_with_its_message(self, hr_client, org_a, hr_user):
        accounts_make(org_a, 60)
        mine = membership_of(hr_user)
        response = hr_client.post(listed(change_url(mine), page=2), {"role": "staff"}, follow=True)
        assert response.redirect_chain[0][0] == f"{listed(ROLES_URL, page=2)}#membership-{mine.pk}"
        assert response.context["page"].number == 2
        assert any("คนสุดท้าย" in m for m in errors_of(response))
        mine.refresh_from_db()
        assert mine.role == Role.HR

    def test_the_query_string_only_keeps_the_search_and_page(self, hr_client, staff_user):
        membership = membership_of(staff_user)
        url = f"{change_url(membership)}?next=https://evil.example/&page=//evil.example&x=1"
        response = hr_client.post(url, {"role": "staff"})
        assert response["Location"] == (
            f"{ROLES_URL}?page=%2F%2Fevil.example#membership-{membership.pk}"
        )
        assert hr_client.get(response["Location"]).context["page"].number == 1

    def test_another_organisations_membership_is_not_found_from_any_page(
        self, hr_client, hr_user, outsider_user
    ):
        membership = membership_of(outsider_user)
        response = hr_client.post(listed(change_url(membership), page=2), {"role": "staff"})
        assert response.status_code == 404
        membership.refresh_from_db()
        assert membership.role == Role.HR

    def test_a_refused_new_code_comes_back_to_the_page_and_search(
        self, hr_client, org_a, staff_user
    ):
        unit = Unit.objects.create(organization=org_a, name="กองคลัง")
        make_staff(org_a, unit, "กมล", "แก้วใส", user=staff_user)
        membership = membership_of(staff_user)
        url = listed(reverse("portal:login_code", args=[membership.pk]), q="กมล", page=1)
        response = hr_client.post(url, follow=True)
        assert response.redirect_chain[0][0] == (
            f"{listed(ROLES_URL, q='กมล', page=1)}#membership-{membership.pk}"
        )
        assert errors_of(response)

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
