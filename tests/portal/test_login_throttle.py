"""Login throttling (django-axes): one username from one address is locked after too
many wrong passwords, with a Thai page saying when to try again; nobody else is."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.accounts.throttle import (
    client_ip,
    secret_failed,
    secret_succeeded,
    throttle_secret,
)
from portal.urls import urlpatterns as portal_urlpatterns
from tests.conftest import PASSWORD, make_user

LOGIN_URL = "/accounts/login/"
OFFICE = "203.0.113.10"
HOME = "198.51.100.7"


def attempt(client: Client, username: str, password: str):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def fail_until_locked(client: Client, username: str, limit: int):
    return [attempt(client, username, "wrong") for _ in range(limit)]


@pytest.fixture
def limit(settings) -> int:
    return settings.AXES_FAILURE_LIMIT


def test_the_right_password_after_too_many_wrong_ones_is_refused_with_429_in_thai(
    hr_user, limit, settings
):
    cool_off = settings.AXES_COOLOFF_TIME
    client = Client(REMOTE_ADDR=OFFICE)
    with time_machine.travel(timezone.now(), tick=False):
        responses = fail_until_locked(client, "hr_a", limit)
        assert [r.status_code for r in responses[:-1]] == [200] * (limit - 1)
        assert responses[-1].status_code == 429

        response = attempt(client, "hr_a", PASSWORD)
        until = timezone.localtime(timezone.now() + cool_off)

    assert response.status_code == 429
    text = response.content.decode()
    assert "ลองใหม่" in text
    assert f"หลังเวลา {until:%H:%M} น." in text
    assert response["Retry-After"] == str(int(cool_off.total_seconds()))
    assert "_auth_user_id" not in client.session


def test_another_username_from_the_same_office_address_still_logs_in(hr_user, staff_user, limit):
    fail_until_locked(Client(REMOTE_ADDR=OFFICE), "hr_a", limit)

    response = attempt(Client(REMOTE_ADDR=OFFICE), "staff_a", PASSWORD)

    assert response.status_code == 302


def test_the_same_username_from_another_address_still_logs_in(hr_user, limit):
    fail_until_locked(Client(REMOTE_ADDR=OFFICE), "hr_a", limit)

    response = attempt(Client(REMOTE_ADDR=HOME), "hr_a", PASSWORD)

    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off(hr_user, limit, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=10)
    client = Client(REMOTE_ADDR=OFFICE)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail_until_locked(client, "hr_a", limit)
        clock.shift(timedelta(minutes=9))
        assert attempt(client, "hr_a", PASSWORD).status_code == 429
        # That refused try counts too: the cool-off runs again from it.
        clock.shift(timedelta(minutes=10, seconds=1))
        assert attempt(client, "hr_a", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(hr_user, limit):
    client = Client(REMOTE_ADDR=OFFICE)
    fail_until_locked(client, "hr_a", limit - 1)
    assert attempt(client, "hr_a", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    fail_until_locked(client, "hr_a", limit - 1)

    assert attempt(client, "hr_a", PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(hr_user, limit):
    client = Client(REMOTE_ADDR=OFFICE)
    fail_until_locked(client, "hr_a", limit)

    response = client.post("/admin/login/", {"username": "hr_a", "password": PASSWORD})

    assert response.status_code == 429


def test_client_login_in_tests_is_not_throttled(hr_user):
    assert Client().login(username="hr_a", password=PASSWORD)


# --- The client's address ----------------------------------------------------------------


def request_from(remote: str, forwarded: str | None = None) -> HttpRequest:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


def test_behind_one_proxy_the_address_it_saw_is_used_not_the_clients_words(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("127.0.0.1", "6.6.6.6, 203.0.113.10")) == "203.0.113.10"


def test_behind_two_proxies_the_outer_ones_address_is_used(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from("127.0.0.1", "6.6.6.6, 203.0.113.10, 10.0.0.2")
    assert client_ip(request) == "203.0.113.10"


def test_a_short_or_garbled_header_falls_back_to_the_remote_address(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("127.0.0.1", "203.0.113.10")) == "127.0.0.1"
    assert client_ip(request_from("127.0.0.1", "not-an-ip, 10.0.0.2")) == "127.0.0.1"


def test_behind_a_proxy_two_offices_are_counted_apart(hr_user, limit, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    office = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE)
    fail_until_locked(office, "hr_a", limit)

    home = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=HOME)

    assert attempt(home, "hr_a", PASSWORD).status_code == 302
    assert attempt(office, "hr_a", PASSWORD).status_code == 429


# --- The same protection for another secret (a dummy activation-code view) ---------------

RIGHT_CODE = "314159"


@login_not_required
@require_POST
@throttle_secret(username_field="username")
def activate(request: HttpRequest) -> HttpResponse:
    username = request.POST["username"]
    if request.POST.get("code") != RIGHT_CODE:
        secret_failed(request, username=username)
        return HttpResponse("wrong code")
    secret_succeeded(request, username=username)
    return HttpResponse("activated")


urlpatterns = [*portal_urlpatterns, path("test/activate/", activate)]


def send_code(client: Client, username: str, code: str):
    return client.post("/test/activate/", {"username": username, "code": code})


@pytest.mark.urls(__name__)
def test_too_many_wrong_codes_lock_that_pair_with_the_same_page(hr_user, limit):
    client = Client(REMOTE_ADDR=OFFICE)
    responses = [send_code(client, "hr_a", "000000") for _ in range(limit)]
    assert [r.status_code for r in responses[:-1]] == [200] * (limit - 1)
    assert responses[-1].status_code == 429

    refused = send_code(client, "hr_a", RIGHT_CODE)

    assert refused.status_code == 429
    assert "ลองใหม่" in refused.content.decode()
    # The same lock: the password of that account from that address is refused too.
    assert attempt(client, "hr_a", PASSWORD).status_code == 429
    # and nobody else is locked.
    assert send_code(Client(REMOTE_ADDR=HOME), "hr_a", RIGHT_CODE).status_code == 200
    assert send_code(client, "staff_a", RIGHT_CODE).status_code == 200


@pytest.mark.urls(__name__)
def test_a_right_code_resets_the_count(hr_user, limit):
    client = Client(REMOTE_ADDR=OFFICE)
    for _ in range(limit - 1):
        send_code(client, "hr_a", "000000")
    assert send_code(client, "hr_a", RIGHT_CODE).content == b"activated"

    for _ in range(limit - 1):
        send_code(client, "hr_a", "000000")

    assert send_code(client, "hr_a", RIGHT_CODE).content == b"activated"


def test_make_user_is_still_the_shared_cast(org_a):
    assert make_user("x", org_a, "hr").check_password(PASSWORD)
