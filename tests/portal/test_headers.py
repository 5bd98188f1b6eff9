"""Security headers and cookie flags as production sends them (DEBUG off).

Tests run with DEBUG on, and the security settings follow DEBUG when the settings
module is read. So the settings module is read again in a subprocess without DEBUG
(and without the SECURE_* overrides of the environment), every setting whose value
differs from the debug one is applied here, and the responses are compared with a
snapshot. A new header is one more line in EXPECTED_HEADERS.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.conftest import PASSWORD

EXPECTED_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": (
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
        "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
    ),
}
#: The Content-Security-Policy, directive by directive (django-csp does not promise an order).
EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def csp_directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


EXPECTED_COOKIES = {
    "sessionid": {"secure": True, "httponly": True, "samesite": "Lax"},
    "csrftoken": {"secure": True, "httponly": False, "samesite": "Lax"},
}

#: Settings that differ in production but belong to the deployment, not to the
#: responses: the test keeps its own database, hosts and static file handling.
NOT_APPLIED = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASES",
    "CACHES",
    "STORAGES",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "LOGGING",
    "WHITENOISE_USE_FINDERS",
    "WHITENOISE_AUTOREFRESH",
}

_READ_SETTINGS = """
import pickle, sys
import portal.settings as module
values = {}
for name in dir(module):
    if name.isupper():
        try:
            values[name] = pickle.dumps(getattr(module, name))
        except Exception:
            pass
sys.stdout.buffer.write(pickle.dumps(values))
"""


def _settings_module(**env: str) -> dict[str, object]:
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"} and not key.startswith("SECURE_")
    }
    result = subprocess.run(
        [sys.executable, "-c", _READ_SETTINGS],
        env={**base, **env},
        capture_output=True,
        cwd=django_settings.BASE_DIR,
        check=True,
    )
    return {name: pickle.loads(value) for name, value in pickle.loads(result.stdout).items()}


@pytest.fixture(scope="module")
def production_values() -> dict[str, object]:
    debug = _settings_module(DEBUG="1")
    production = _settings_module(SECRET_KEY="x" * 60, ALLOWED_HOSTS="portal.example.go.th")
    return {
        name: value
        for name, value in production.items()
        if name not in NOT_APPLIED and debug.get(name, object()) != value
    }


@pytest.fixture
def production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, value)
    return settings


def _https(client, method: str, path: str, **kwargs):
    # As the README's proxy forwards it: TLS ended there, X-Forwarded-Proto set.
    return getattr(client, method)(path, secure=True, HTTP_X_FORWARDED_PROTO="https", **kwargs)


def test_the_debug_off_settings_are_the_ones_that_switch_security_on(production_values):
    assert production_values["SESSION_COOKIE_SECURE"] is True
    assert production_values["CSRF_COOKIE_SECURE"] is True
    assert production_values["SECURE_SSL_REDIRECT"] is True
    assert production_values["SECURE_HSTS_SECONDS"] == 31536000


def test_plain_http_is_sent_to_https(production, client):
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


@pytest.mark.parametrize("page", ["login", "healthz"])
def test_anonymous_pages_send_the_security_headers(production, client, db, page):
    response = _https(client, "get", reverse(page))
    assert response.status_code == 200
    assert {name: response.get(name) for name in EXPECTED_HEADERS} == EXPECTED_HEADERS
    assert csp_directives(response["Content-Security-Policy"]) == EXPECTED_CSP


def test_signed_in_pages_send_the_security_headers_and_secure_cookies(production, client, hr_user):
    login_page = _https(client, "get", reverse("login"))
    signed_in = _https(
        client,
        "post",
        reverse("login"),
        data={
            "username": hr_user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": login_page.context["csrf_token"],
        },
        HTTP_REFERER="https://testserver/accounts/login/",
    )
    assert signed_in.status_code == 302
    cookies = {**login_page.cookies, **signed_in.cookies}
    flags = {
        name: {
            "secure": bool(cookies[name]["secure"]),
            "httponly": bool(cookies[name]["httponly"]),
            "samesite": cookies[name]["samesite"],
        }
        for name in EXPECTED_COOKIES
        if name in cookies
    }
    assert flags == EXPECTED_COOKIES
    home = _https(client, "get", reverse("portal:dashboard"))
    assert home.status_code == 200
    assert {name: home.get(name) for name in EXPECTED_HEADERS} == EXPECTED_HEADERS
    assert csp_directives(home["Content-Security-Policy"]) == EXPECTED_CSP
