"""Sessions read through Redis (``REDIS_URL`` set, README "Scaling"): written to the
database and the cache, read from the cache, ended in both — "log out everywhere"
included. Against the real Redis at REDIS_URL (127.0.0.1:6379 by default); skipped when
none answers."""

import os
import secrets

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.models import UserSession

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not redis_answers(), reason=f"no Redis answers at {REDIS_URL}")


@pytest.fixture(autouse=True)
def on_redis(settings):
    """The settings REDIS_URL gives, under a key prefix of this test's own."""
    prefix = f"test-{secrets.token_hex(6)}"
    settings.CACHES = settings.CACHES | {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.SESSION_CACHE_READ_THROUGH = True
    yield
    cache = caches["default"]
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def cached(client: Client) -> object:
    return caches["default"].get(KEY_PREFIX + client.session.session_key)


def session_queries(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return [q["sql"] for q in queries if "accounts_usersession" in q["sql"]]


def test_a_login_writes_the_session_to_the_database_and_to_redis(hr_user):
    client = Client()
    client.force_login(hr_user)

    row = UserSession.objects.get(user=hr_user)
    assert cached(client) == row.get_decoded()


def test_a_request_reads_the_session_from_redis_not_the_database(hr_user):
    client = Client()
    client.force_login(hr_user)

    assert session_queries(client) == []


def test_a_session_missing_from_redis_is_read_from_the_database_and_cached_again(hr_user):
    client = Client()
    client.force_login(hr_user)
    caches["default"].delete(KEY_PREFIX + client.session.session_key)

    assert len(session_queries(client)) == 1
    assert cached(client) is not None
    assert session_queries(client) == []


def test_a_logout_clears_the_session_from_both(hr_user):
    client = Client()
    client.force_login(hr_user)
    key = client.session.session_key

    client.post(reverse("logout"))

    assert caches["default"].get(KEY_PREFIX + key) is None
    assert not UserSession.objects.filter(session_key=key).exists()


def test_logging_out_everywhere_ends_every_cached_session_of_the_user_only(hr_user, staff_user):
    phone, computer, colleague = Client(), Client(), Client()
    phone.force_login(hr_user)
    computer.force_login(hr_user)
    colleague.force_login(staff_user)
    computer_key = computer.session.session_key

    phone.post(reverse("logout"), {"everywhere": "on"})

    assert caches["default"].get(KEY_PREFIX + computer_key) is None
    assert computer.get("/").status_code == 302
    assert not UserSession.objects.filter(user=hr_user).exists()
    assert colleague.get("/").status_code == 200
    assert cached(colleague) is not None


def test_the_cached_copy_ends_when_the_session_would(hr_user, settings):
    """Redis forgets the copy at the session's own expiry, so an idle session cannot
    outlive its limit in the cache (the database row ends at the same time)."""
    client = Client()
    client.force_login(hr_user)
    cache = caches["default"]
    key = cache.make_and_validate_key(KEY_PREFIX + client.session.session_key)

    seconds = cache._cache.get_client(key).ttl(key)

    assert settings.SESSION_COOKIE_AGE - 5 <= seconds <= settings.SESSION_COOKIE_AGE
