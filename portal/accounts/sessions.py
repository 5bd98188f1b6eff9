"""The session engine (``SESSION_ENGINE = "portal.accounts.sessions"``): Django's
database sessions, stored in ``UserSession`` with the logged-in user's id; and their
sliding idle expiry."""

import time
from collections.abc import Callable

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse

# A session's expiry moves forward at most this often. Django's SESSION_SAVE_EVERY_REQUEST
# would rewrite the session row on every request (a query each, and concurrent requests
# writing back each other's stale copies); a minute's lag is nothing next to a day.
REFRESH_SECONDS = 60
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


class SlidingExpiryMiddleware:
    """Idle expiry: a request on a session not refreshed for ``REFRESH_SECONDS`` marks it
    modified, so Django saves it with a new expiry of ``SESSION_COOKIE_AGE`` from now
    (``SESSION_IDLE_SECONDS``). Goes after SessionMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if not session.is_empty():
            now = int(time.time())
            if now - session.get(REFRESHED_KEY, 0) >= REFRESH_SECONDS:
                session[REFRESHED_KEY] = now
        return self.get_response(request)
