"""The session engine (``SESSION_ENGINE = "portal.accounts.sessions"``): Django's
database sessions, stored in ``UserSession`` with the logged-in user's id."""

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import models


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
