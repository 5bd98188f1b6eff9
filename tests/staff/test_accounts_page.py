"""HR's accounts page (staff/views_accounts.py): every working person with the state of
their login, filters and counts, and the actions for one person, a selection and
everyone without an account."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.accounts.activation import ActivationError, code_activate
from portal.accounts.models import ActivationCode
from portal.models import Membership, Role
from staff import slips
from staff.accounts import account_disable, account_issue, username_suggest, with_account_state
from staff.models import StaffMember, Unit
from tests.staff.conftest import make_staff

PASSWORD = "ต้นไม้-ริมน้ำ-2567"
ACCOUNTS = "/staff/accounts/"


@pytest.fixture
def units(org_a):
    return {
        "office": Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1),
        "finance": Unit.objects.create(organization=org_a, name="กองคลัง", order=2),
    }


@pytest.fixture
def people(org_a, units):
    return {
        "kaew": make_staff(org_a, units["office"], "แก้ว", "ใจงาม", first_name_en="Kaew"),
        "somsri": make_staff(org_a, units["office"], "สมศรี", "ชื่นใจ", first_name_en="Somsri"),
        "kamol": make_staff(org_a, units["finance"], "กมล", "รักดี", first_name_en="Kamol"),
    }


def batch(client) -> list[dict]:
    return client.session[slips.SESSION_KEY]["rows"]


def state_of(person: StaffMember) -> str:
    return with_account_state(StaffMember.objects.filter(pk=person.pk)).get().account_state


class TestThePage:
    def test_lists_every_working_person_in_thai_order_with_their_state(
        self, hr_client, people, hr_user
    ):
        account_issue(person=people["somsri"], by=hr_user)
        response = hr_client.get(ACCOUNTS)
        assert response.status_code == 200
        names = [p.first_name for p in response.context["page"].object_list]
        assert names == ["กมล", "แก้ว", "สมศรี"]  # leading vowel แ skipped
        text = response.content.decode()
        assert "ออกรหัสเปิดใช้งานแล้ว" in text
        assert "somsri.c" in text

    def test_counts_every_state_and_filters_by_state_and_unit(
        self, hr_client, people, hr_user, units
    ):
        account_issue(person=people["somsri"], by=hr_user)
        account_issue(person=people["kamol"], by=hr_user)
        account_disable(person=people["kamol"], by=hr_user)
        counts = {s: n for s, _label, n in hr_client.get(ACCOUNTS).context["counts"]}
        assert counts == {"none": 1, "code_issued": 1, "active": 0, "disabled": 1}
        page = hr_client.get(ACCOUNTS, {"state": "none"}).context["page"]
        assert [p.first_name for p in page.object_list] == ["แก้ว"]
        page = hr_client.get(ACCOUNTS, {"unit": units["finance"].pk}).context["page"]
        assert [p.first_name for p in page.object_list] == ["กมล"]

    def test_people_who_left_are_not_listed(self, hr_client, people):
        people["kaew"].mark_left(on=people["kaew"].appointed_on, reason="โอนย้าย")
        page = hr_client.get(ACCOUNTS).context["page"]
        assert "แก้ว" not in [p.first_name for p in page.object_list]

    def test_the_page_says_a_forgotten_password_means_a_new_code(self, hr_client, people):
        text = hr_client.get(ACCOUNTS).content.decode()
        assert "ลืมรหัสผ่าน" in text

    @pytest.mark.parametrize("rows", [10, 100])
    def test_query_count_does_not_grow_with_the_people(
        self, hr_client, org_a, units, hr_user, rows, django_assert_max_num_queries
    ):
        for index in range(rows):
            person = make_staff(org_a, units["office"], f"คน{index}", "ทดสอบ")
            if index % 3 == 0:
                account_issue(person=person, by=hr_user)
        with django_assert_max_num_queries(12):
            assert hr_client.get(ACCOUNTS).status_code == 200


class TestAccess:
    def test_executive_and_staff_get_403(self, executive_client, staff_client, people):
        for client in (executive_client, staff_client):
            assert client.get(ACCOUNTS).status_code == 403
            assert (
                client.post("/staff/accounts/issue/", {"scope": "without_account"}).status_code
                == 403
            )
            assert client.post(f"/staff/{people['kaew'].pk}/account/issue/").status_code == 403
        assert StaffMember.objects.filter(user__isnull=False).count() == 0

    def test_outsider_gets_404_for_a_person_of_another_organisation(self, outsider_client, people):
        pk = people["kaew"].pk
        for action in ("issue", "disable", "enable", "username"):
            assert outsider_client.post(f"/staff/{pk}/account/{action}/").status_code == 404
        people["kaew"].refresh_from_db()
        assert people["kaew"].user_id is None

    def test_outsider_cannot_tick_people_of_another_organisation(self, outsider_client, people):
        response = outsider_client.post(
            "/staff/accounts/issue/", {"scope": "selected", "people": [people["kaew"].pk]}
        )
        assert response.status_code == 302
        assert not StaffMember.objects.filter(user__isnull=False).exists()

    @pytest.mark.parametrize(
        "path",
        [
            "/staff/accounts/issue/",
            "/staff/{pk}/account/issue/",
            "/staff/{pk}/account/disable/",
            "/staff/{pk}/account/enable/",
            "/staff/{pk}/account/username/",
        ],
    )
    def test_get_on_an_action_is_405(self, hr_client, people, path):
        assert hr_client.get(path.format(pk=people["kaew"].pk)).status_code == 405


class TestIssuing:
    def test_hr_issues_a_code_for_one_person_with_the_username_they_chose(
        self, hr_client, people, org_a
    ):
        kaew = people["kaew"]
        response = hr_client.post(f"/staff/{kaew.pk}/account/issue/", {"username": "kaew.office"})
        assert response.status_code == 302
        assert response.url == reverse("staff:accounts_issued")
        kaew.refresh_from_db()
        assert kaew.user.username == "kaew.office"
        assert Membership.objects.get(user=kaew.user, organization=org_a).role == Role.STAFF
        [row] = batch(hr_client)
        assert row["person"] == kaew.pk and row["username"] == "kaew.office"
        # The code in the session is the one that opens the account.
        code_activate(username="kaew.office", code=row["code"], password=PASSWORD)

    def test_a_bad_username_is_refused_and_nothing_is_made(self, hr_client, people):
        kaew = people["kaew"]
        response = hr_client.post(f"/staff/{kaew.pk}/account/issue/", {"username": "3100601234567"})
        assert response.status_code == 400
        assert "เลขประจำตัวประชาชน" in response.content.decode()
        kaew.refresh_from_db()
        assert kaew.user_id is None and not ActivationCode.objects.exists()

    def test_hr_issues_codes_for_the_people_ticked(self, hr_client, people):
        ticked = [people["kaew"].pk, people["kamol"].pk]
        response = hr_client.post("/staff/accounts/issue/", {"scope": "selected", "people": ticked})
        assert response.url == reverse("staff:accounts_issued")
        assert sorted(row["person"] for row in batch(hr_client)) == sorted(ticked)
        assert state_of(people["somsri"]) == "none"
        assert state_of(people["kaew"]) == "code_issued"

    def test_ticking_nobody_says_so(self, hr_client, people):
        response = hr_client.post("/staff/accounts/issue/", {"scope": "selected"}, follow=True)
        assert "เลือก" in response.content.decode()
        assert not ActivationCode.objects.exists()

    def test_hr_issues_codes_for_everyone_without_an_account(self, hr_client, people, hr_user):
        account_issue(person=people["somsri"], by=hr_user)
        before = ActivationCode.objects.get()
        hr_client.post("/staff/accounts/issue/", {"scope": "without_account"})
        assert {row["person"] for row in batch(hr_client)} == {
            people["kaew"].pk,
            people["kamol"].pk,
        }
        before.refresh_from_db()
        assert before.revoked_at is None  # those who had one keep their code

    def test_the_issued_page_names_the_batch_and_offers_both_downloads(self, hr_client, people):
        hr_client.post("/staff/accounts/issue/", {"scope": "without_account"})
        response = hr_client.get(reverse("staff:accounts_issued"))
        text = response.content.decode()
        assert "3 คน" in text
        assert reverse("staff:account_slips") in text
        assert reverse("staff:account_slips_xlsx") in text
        assert "ออกรหัสใหม่" in text  # lost slips mean new codes

    def test_reissuing_kills_the_old_code(self, hr_client, people):
        kaew = people["kaew"]
        hr_client.post(f"/staff/{kaew.pk}/account/issue/")
        [first] = batch(hr_client)
        hr_client.post(f"/staff/{kaew.pk}/account/issue/")
        [second] = batch(hr_client)
        with pytest.raises(ActivationError) as refused:
            code_activate(username=first["username"], code=first["code"], password=PASSWORD)
        assert refused.value.code == "replaced"
        code_activate(username=second["username"], code=second["code"], password=PASSWORD)

    def test_a_person_who_left_gets_no_code(self, hr_client, people):
        kaew = people["kaew"]
        kaew.mark_left(on=kaew.appointed_on, reason="เกษียณ")
        response = hr_client.post(f"/staff/{kaew.pk}/account/issue/", follow=True)
        assert "จึงไม่สามารถมีบัญชีเข้าใช้ระบบได้" in response.content.decode()
        assert not ActivationCode.objects.exists()


class TestDisableEnableUsername:
    def test_hr_disables_and_enables_a_login(self, hr_client, people, hr_user):
        kaew = people["kaew"]
        issued = account_issue(person=kaew, by=hr_user)
        code_activate(username=issued.user.username, code=issued.code, password=PASSWORD)
        assert hr_client.post(f"/staff/{kaew.pk}/account/disable/").status_code == 302
        assert state_of(kaew) == "disabled"
        assert not get_user_model().objects.get(pk=issued.user.pk).is_active
        hr_client.post(f"/staff/{kaew.pk}/account/enable/")
        assert state_of(kaew) == "active"

    def test_hr_cannot_disable_their_own_login(self, hr_client, org_a, units, hr_user):
        me = make_staff(org_a, units["office"], "สุดา", "ใจดี", user=hr_user)
        response = hr_client.post(f"/staff/{me.pk}/account/disable/", follow=True)
        assert "บัญชีของท่านเอง" in response.content.decode()
        hr_user.refresh_from_db()
        assert hr_user.is_active

    def test_disabling_returns_to_the_filtered_list(self, hr_client, people, hr_user):
        kaew = people["kaew"]
        account_issue(person=kaew, by=hr_user)
        response = hr_client.post(
            f"/staff/{kaew.pk}/account/disable/", {"next": "/staff/accounts/?state=active"}
        )
        assert response.url == "/staff/accounts/?state=active"
        response = hr_client.post(
            f"/staff/{kaew.pk}/account/enable/", {"next": "https://evil.example/"}
        )
        assert response.url == f"/staff/{kaew.pk}/"

    def test_disabling_someone_without_an_account_says_so(self, hr_client, people):
        response = hr_client.post(f"/staff/{people['kaew'].pk}/account/disable/", follow=True)
        assert "ยังไม่มีบัญชี" in response.content.decode()

    def test_hr_changes_a_username(self, hr_client, people, hr_user):
        kaew = people["kaew"]
        account_issue(person=kaew, by=hr_user)
        response = hr_client.post(f"/staff/{kaew.pk}/account/username/", {"username": "Kaew.J"})
        assert response.status_code == 302
        kaew.refresh_from_db()
        assert kaew.user.username == "kaew.j"

    @pytest.mark.parametrize("username", ["ab", "แก้ว", "kaew0812345678", "hr_a", ""])
    def test_a_bad_or_taken_username_is_refused_with_a_message(
        self, hr_client, people, hr_user, username
    ):
        kaew = people["kaew"]
        account_issue(person=kaew, by=hr_user)
        kaew.refresh_from_db()
        before = get_user_model().objects.get(pk=kaew.user_id).username
        response = hr_client.post(f"/staff/{kaew.pk}/account/username/", {"username": username})
        assert response.status_code == 400
        assert 'class="errorlist' in response.content.decode()
        assert get_user_model().objects.get(pk=kaew.user_id).username == before


class TestPersonPage:
    def test_shows_the_state_and_the_actions_to_hr(self, hr_client, people, hr_user):
        kaew = people["kaew"]
        text = hr_client.get(f"/staff/{kaew.pk}/").content.decode()
        assert reverse("staff:account_issue", args=[kaew.pk]) in text
        # The suggested username, which HR may change.
        assert f'value="{username_suggest(kaew)}"' in text
        account_issue(person=kaew, by=hr_user)
        text = hr_client.get(f"/staff/{kaew.pk}/").content.decode()
        assert reverse("staff:account_username", args=[kaew.pk]) in text

    def test_executives_see_the_state_but_no_actions(self, executive_client, people):
        text = executive_client.get(f"/staff/{people['kaew'].pk}/").content.decode()
        assert "ยังไม่มีบัญชี" in text
        assert "/account/issue/" not in text

    def test_the_staff_list_and_the_navigation_link_the_accounts_page(self, hr_client, people):
        text = hr_client.get("/staff/").content.decode()
        assert text.count(f'href="{ACCOUNTS}"') >= 2
