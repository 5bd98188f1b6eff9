"""The session engine (``SESSION_ENGINE = "portal.accounts.sessions"``): Django's
database sessions, stored in ``UserSession`` with the logged-in user's id; and their
sliding idle expiry."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse

# When the session row was last rewritten to move its expiry forward. Django's
# SESSION_SAVE_EVERY_REQUEST would rewrite it on every request (a query each, and
# concurrent requests writing back each other's stale copies).
REFRESHED_KEY = "_refreshed"


class SessionStore(DatabaseSessionStore):
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

    deleted, _ = UserSession.objects.filter(user=user).delete()
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
