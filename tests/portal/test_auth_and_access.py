import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from portal import access
from portal.models import Membership, Role
from tests.conftest import PASSWORD, make_user


def test_anonymous_home_redirects_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_login_page_is_in_thai(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'lang="th"' in response.content.decode()
    assert "เข้าสู่ระบบ" in response.content.decode()


def test_login_lands_on_the_dashboard(client, hr_user):
    response = client.post(
        "/accounts/login/", {"username": "hr_a", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "องค์การบริหารส่วนตำบลทดสอบเอ" in response.content.decode()


def test_wrong_password_gets_a_thai_message(client, hr_user):
    response = client.post("/accounts/login/", {"username": "hr_a", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(hr_client):
    assert hr_client.get("/accounts/logout/").status_code == 405
    response = hr_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert hr_client.get("/").status_code == 302


def test_password_change_page_opens(hr_client):
    response = hr_client.get(reverse("password_change"))
    assert response.status_code == 200
    assert "เปลี่ยนรหัสผ่าน" in response.content.decode()


@pytest.mark.parametrize(
    ("client_fixture", "role_label"),
    [
        ("hr_client", "เจ้าหน้าที่ทรัพยากรบุคคล"),
        ("executive_client", "ผู้บริหาร"),
        ("staff_client", "บุคลากร"),
    ],
)
def test_dashboard_shows_who_you_are_and_your_role(request, client_fixture, role_label):
    response = request.getfixturevalue(client_fixture).get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert role_label in body
    assert "อบต.ทดสอบเอ" in body or "องค์การบริหารส่วนตำบลทดสอบเอ" in body


def test_user_without_organisation_sees_an_explanation(client, db):
    user = make_user("lonely", None, None)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert "ยังไม่เป็นสมาชิก" in response.content.decode()


class TestHealthz:
    def test_answers_ok_without_login(self, client, db):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.content == b"ok"

    def test_answers_503_when_the_database_is_down(self, client, db, monkeypatch):
        def broken_cursor(*args, **kwargs):
            raise DatabaseError("connection refused")

        with monkeypatch.context() as patched:
            patched.setattr("portal.views.connection.cursor", broken_cursor)
            response = client.get("/healthz")
        assert response.status_code == 503


def test_public_page_needs_no_login(client, org_a):
    response = client.get(reverse("portal:public", args=[org_a.slug]))
    assert response.status_code == 200
    assert org_a.name_th in response.content.decode()


def test_public_page_of_unknown_organisation_is_404(client, db):
    assert client.get("/t/nowhere/").status_code == 404


def test_static_files_need_no_login(client, db):
    assert client.get("/static/css/site.css").status_code == 200


class TestAccessHelpers:
    def _request(self, user):
        request = RequestFactory().get("/")
        request.user = user
        request.session = {}
        access.CurrentMembershipMiddleware(lambda r: None)(request)
        return request

    def test_outsider_gets_404_for_another_organisations_object(self, hr_user, outsider_user):
        membership_a = Membership.objects.get(user=hr_user)
        request = self._request(outsider_user)
        with pytest.raises(Http404):
            access.get_in_org_or_404(Membership.objects.all(), request, pk=membership_a.pk)

    def test_member_gets_their_own_organisations_object(self, hr_user, staff_user):
        membership = Membership.objects.get(user=staff_user)
        request = self._request(hr_user)
        found = access.get_in_org_or_404(Membership.objects.all(), request, pk=membership.pk)
        assert found == membership

    def test_wrong_role_gets_403(self, staff_user):
        request = self._request(staff_user)
        with pytest.raises(PermissionDenied):
            access.require_role(request, Role.HR)

    def test_user_without_membership_gets_403(self, db):
        request = self._request(make_user("nobody", None, None))
        with pytest.raises(PermissionDenied):
            access.current_membership(request)

    def test_scoped_queryset_holds_only_the_current_organisation(self, hr_user, outsider_user):
        request = self._request(outsider_user)
        scoped = access.in_org(Membership.objects.all(), request)
        assert {m.user.username for m in scoped} == {"hr_b"}


class TestOrganisationSwitcher:
    @pytest.fixture
    def member_of_both(self, org_a, org_b):
        user = make_user("both", org_a, Role.STAFF)
        Membership.objects.create(user=user, organization=org_b, role=Role.HR)
        return user

    def test_user_of_two_organisations_can_switch(self, client, member_of_both, org_b):
        client.force_login(member_of_both)
        assert "อบต.ทดสอบเอ" in client.get("/").content.decode()
        response = client.post(reverse("portal:switch"), {"organization": org_b.pk})
        assert response.status_code == 302
        body = client.get("/").content.decode()
        assert "องค์การบริหารส่วนตำบลทดสอบบี" in body

    def test_cannot_switch_into_a_foreign_organisation(self, hr_client, org_b):
        response = hr_client.post(reverse("portal:switch"), {"organization": org_b.pk}, follow=True)
        assert "ไม่ได้เป็นสมาชิก" in response.content.decode()
        assert "องค์การบริหารส่วนตำบลทดสอบเอ" in response.content.decode()

    def test_switch_refuses_get(self, hr_client):
        assert hr_client.get(reverse("portal:switch")).status_code == 405


def test_language_can_be_switched_to_english(hr_client):
    hr_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Welcome" in hr_client.get("/").content.decode()
