""" "Stay signed in on this device" at login: ticked, a session of 30 days without a
request that slides with use; unticked, the working-day idle expiry with a cookie the
browser forgets when it closes."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from portal.accounts.models import UserSession
from tests.conftest import PASSWORD


def log_in(remember: bool) -> Client:
    client = Client()
    data = {"username": "staff_a", "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post("/accounts/login/", data)
    assert response.status_code == 302
    return client


def logged_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_the_login_page_offers_the_choice_unticked(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'name="remember"' in html and "checked" not in html
    assert "จดจำการเข้าสู่ระบบในอุปกรณ์นี้" in html


def test_ticked_the_cookie_and_the_session_last_thirty_days(staff_user):
    client = log_in(remember=True)

    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 30 * 24 * 3600
    left = UserSession.objects.get(user=staff_user).expire_date - timezone.now()
    assert timedelta(days=29, hours=23) < left <= timedelta(days=30)


def test_unticked_the_cookie_ends_with_the_browser_and_the_session_after_a_working_day(
    staff_user,
):
    client = log_in(remember=False)

    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]
    left = UserSession.objects.get(user=staff_user).expire_date - timezone.now()
    assert timedelta(hours=7, minutes=59) < left <= timedelta(hours=8)


@pytest.mark.parametrize(
    ("remember", "idle", "still_in"),
    [
        (False, timedelta(hours=8, seconds=1), False),
        (True, timedelta(hours=8, seconds=1), True),
        (True, timedelta(days=29, hours=23), True),
        (True, timedelta(days=30, seconds=1), False),
    ],
)
def test_how_long_a_session_left_idle_lasts(staff_user, remember, idle, still_in):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = log_in(remember)
        clock.shift(idle)
        assert logged_in(client) is still_in


def test_a_kept_session_slides_with_use_and_renews_its_cookie(staff_user):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = log_in(remember=True)
        for _ in range(3):
            clock.shift(timedelta(days=20))
            response = client.get("/")
            assert response.status_code == 200
        assert int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == 30 * 24 * 3600
