"""The session engine (``SESSION_ENGINE = "portal.accounts.sessions"``): Django's
database sessions, stored in ``UserSession`` with the logged-in user's id; and their
sliding idle expiry.

With ``SESSION_CACHE_READ_THROUGH`` on (settings: whenever ``REDIS_URL`` is set) the store
works like Django's ``cached_db``: writes go to the database and to the default cache,
reads come from the cache and fall back to the database, a delete clears both. The
database stays the record (the user column, "log out everywhere", ``clearsessions``); the
cache only saves the session query of every request. It is off without a shared cache:
a per-process cache would keep a session alive in the workers that did not end it.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseStore
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse

# When the session row was last rewritten to move its expiry forward. Django's
# SESSION_SAVE_EVERY_REQUEST would rewrite it on every request (a query each, and
# concurrent requests writing back each other's stale copies).
REFRESHED_KEY = "_refreshed"


def _read_through() -> bool:
    return settings.SESSION_CACHE_READ_THROUGH


class SessionStore(CachedDatabaseStore):
    """``cached_db`` when the read-through cache is on, plain ``db`` otherwise."""

    def load(self) -> dict:
        return super().load() if _read_through() else DatabaseSessionStore.load(self)

    def exists(self, session_key: str | None) -> bool:
        if _read_through():
            return super().exists(session_key)
        return DatabaseSessionStore.exists(self, session_key)

    def save(self, must_create: bool = False) -> None:
        if _read_through():
            super().save(must_create)
        else:
            DatabaseSessionStore.save(self, must_create)

    def delete(self, session_key: str | None = None) -> None:
        if _read_through():
            super().delete(session_key)
        else:
            DatabaseSessionStore.delete(self, session_key)

    async def aload(self) -> dict:
        return await (super().aload() if _read_through() else DatabaseSessionStore.aload(self))

    async def aexists(self, session_key: str | None) -> bool:
        if _read_through():
            return await super().aexists(session_key)
        return await DatabaseSessionStore.aexists(self, session_key)

    async def asave(self, must_create: bool = False) -> None:
        if _read_through():
            await super().asave(must_create)
        else:
            await DatabaseSessionStore.asave(self, must_create)

    async def adelete(self, session_key: str | None = None) -> None:
        if _read_through():
            await super().adelete(session_key)
        else:
            await DatabaseSessionStore.adelete(self, session_key)

    @classmethod
    def get_model_class(cls) -> type[models.Model]:
        from portal.accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data: dict) -> models.Model:
        session = super().create_model_instance(data)
        session.user_id = _user_pk(data.get(SESSION_KEY))
        return session


def _user_pk(value: object) -> object:
    """The user's primary key as the session stores it (a string), or None."""
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


def sessions_end_all(*, user: models.Model) -> int:
    """End every session of ``user`` on every device; the number ended."""
    from portal.accounts.models import UserSession

    sessions = UserSession.objects.filter(user=user)
    keys = list(sessions.values_list("session_key", flat=True))
    deleted, _ = sessions.delete()
    # After the rows: a request between the two reads a cached copy at most once more,
    # and cannot write it back (saving a session whose row is gone fails).
    if _read_through() and keys:
        caches[settings.SESSION_CACHE_ALIAS].delete_many([KEY_PREFIX + key for key in keys])
    return deleted


def refresh_interval() -> int:
    """How long a session's expiry may stay unmoved: a tenth of the idle limit, at most
    15 minutes. A session then ends between 7 h 45 and 8 h after its last request (a
    session kept on the device: between 29 days 23 h 45 and 30 days)."""
    return min(15 * 60, settings.SESSION_COOKIE_AGE // 10)


def stay_signed_in_seconds() -> int:
    """How long a session chosen to "stay signed in on this device" lasts without a
    request (``STAY_SIGNED_IN_DAYS``, 30 by default); it slides like the idle expiry."""
    return settings.STAY_SIGNED_IN_DAYS * 24 * 3600


def session_keep(*, request: HttpRequest, remember: bool) -> None:
    """Right after a login: a persistent session of ``stay_signed_in_seconds()`` on this
    device, or (the default) the idle expiry with a cookie the browser forgets when it
    closes. Staff answer on their own phone, where logging in every day is the burden;
    on a shared computer the person leaves the box unticked."""
    request.session.set_expiry(stay_signed_in_seconds() if remember else 0)


def session_mark_refreshed(*, request: HttpRequest, **kwargs: object) -> None:
    """On login (``user_logged_in``): the new session's expiry is fresh."""
    request.session[REFRESHED_KEY] = int(time.time())


class SlidingExpiryMiddleware:
    """Idle expiry: a request on a session whose expiry has not moved for
    ``refresh_interval()`` marks it modified, so Django saves it with a new expiry of
    ``SESSION_COOKIE_AGE`` (``SESSION_IDLE_SECONDS``) from now — or of the session's own
    age when it was kept on the device (:func:`session_keep`), whose cookie Django then
    renews too. After SessionMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        # Only a logged-in session slides; a stale cookie must not start a new session.
        if not session.is_empty() and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(REFRESHED_KEY, 0) >= refresh_interval():
                session[REFRESHED_KEY] = now
        return self.get_response(request)
