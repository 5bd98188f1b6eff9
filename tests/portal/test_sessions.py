"""Sessions end after a working day without activity, and on request on every device."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import UserSession
from portal.accounts.sessions import refresh_interval
from tests.conftest import PASSWORD


def logged_in(client: Client) -> bool:
    return client.get("/").status_code == 200


@pytest.fixture
def idle(settings) -> timedelta:
    return timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_the_idle_limit_is_a_working_day_unless_configured(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def expiry(user) -> object:
    return UserSession.objects.get(user=user).expire_date


def test_activity_moves_the_expiry_at_most_every_tenth_of_the_limit(hr_user, idle):
    step = timedelta(seconds=refresh_interval())
    assert step == timedelta(minutes=15)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        client.force_login(hr_user)
        first = expiry(hr_user)
        clock.shift(step - timedelta(seconds=1))
        with CaptureQueriesContext(connection) as queries:
            assert logged_in(client)

        assert expiry(hr_user) == first
        writes = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
        assert not [sql for sql in writes if "accounts_usersession" in sql]

        clock.shift(timedelta(seconds=1))
        assert logged_in(client)
        assert expiry(hr_user) == timezone.now() + idle


def test_a_session_left_idle_past_the_limit_ends(hr_user, idle):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        client.force_login(hr_user)
        clock.shift(idle + timedelta(seconds=1))

        response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_activity_keeps_the_session_alive_past_the_limit(hr_user, idle):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        client.force_login(hr_user)
        for _ in range(3):
            clock.shift(idle - timedelta(minutes=1))
            assert logged_in(client)


def test_a_shorter_idle_limit_is_honoured(hr_user, settings):
    settings.SESSION_COOKIE_AGE = 600
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        client.force_login(hr_user)
        clock.shift(timedelta(minutes=9))
        assert logged_in(client)
        clock.shift(timedelta(minutes=10, seconds=1))
        assert not logged_in(client)


def test_a_login_stores_the_session_with_its_user(hr_user):
    client = Client()
    client.post("/accounts/login/", {"username": "hr_a", "password": PASSWORD})

    assert UserSession.objects.filter(user=hr_user).count() == 1


def devices(user, count: int = 2) -> list[Client]:
    clients = [Client() for _ in range(count)]
    for client in clients:
        client.force_login(user)
    return clients


def test_logging_out_on_all_devices_ends_every_session_of_the_user_only(hr_user, staff_user):
    phone, computer = devices(hr_user)
    (colleague,) = devices(staff_user, 1)

    response = phone.post(reverse("logout"), {"everywhere": "on"}, follow=True)

    assert "ออกจากระบบในทุกอุปกรณ์ของคุณแล้ว" in response.content.decode()
    assert not logged_in(phone)
    assert not logged_in(computer)
    assert not UserSession.objects.filter(user=hr_user).exists()
    assert logged_in(colleague)


def test_a_plain_logout_ends_this_device_only(hr_user):
    phone, computer = devices(hr_user)

    phone.post(reverse("logout"))

    assert not logged_in(phone)
    assert logged_in(computer)


def test_the_password_page_offers_logging_out_everywhere(hr_client):
    text = hr_client.get(reverse("password_change")).content.decode()

    assert "ออกจากระบบในทุกอุปกรณ์" in text
    assert 'name="everywhere"' in text


def test_a_new_password_logs_out_the_other_devices(hr_user):
    phone, computer = devices(hr_user)

    response = phone.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-password-2",
            "new_password2": "another-long-password-2",
        },
    )

    assert response.status_code == 302
    assert logged_in(phone)
    assert not logged_in(computer)


def test_logout_everywhere_needs_post(hr_client):
    assert hr_client.get(reverse("logout"), {"everywhere": "on"}).status_code == 405
    assert logged_in(hr_client)


def test_a_visitor_with_a_stale_session_cookie_gets_no_new_session(client, org_a, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "stale-key-of-an-ended-session"

    assert client.get(f"/t/{org_a.slug}/").status_code == 200

    assert not UserSession.objects.exists()
