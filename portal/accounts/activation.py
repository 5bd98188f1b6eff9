"""One-time activation codes: how a person gets into an account HR made for them.

HR issues a code (printed on a slip, or sent through the office's own channels); the
person enters their username, the code and a new password at ``/accounts/activate/``.
A code works once, for ``ACTIVATION_CODE_DAYS`` days, and only while it is the newest
one of its user: issuing another revokes it at once.

Only a keyed hash of the code is stored — HMAC-SHA256 with the site's secret key and a
salt of its own row — so the table alone gives nothing away, and hashing thousands of
codes in one run (``create_organization --from-csv``) takes milliseconds, where a
password hasher would take minutes. An 8-character code of a 32-letter alphabet has
2^40 values; what keeps guessing out is the throttling of the activation page.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import ActivationCode
from portal.history import history_bulk_record, queryset_update_with_history
from portal.models import Membership, Organization
from portal.thai import date_short

# No 0/O and no 1/I: a code is read off paper and typed on a phone.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
GROUP = 4
_KEY_SALT = "portal.accounts.activation"


class ActivationError(ValidationError):
    """A code that does not open the account; ``code`` says why (``wrong``, ``used``,
    ``expired``, ``replaced``)."""


@dataclass(frozen=True)
class IssuedCode:
    user: AbstractBaseUser
    organization: Organization
    code: str  # plaintext, grouped (K7QM-4TXP); exists only in memory at issue time
    expires_at: dt.datetime


def code_normalize(code: str) -> str:
    """What was typed, as stored: upper case, without dashes and spaces."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_display(code: str) -> str:
    """``K7QM4TXP`` → ``K7QM-4TXP``."""
    code = code_normalize(code)
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def _code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def _digest(code: str, salt: str) -> str:
    return salted_hmac(_KEY_SALT + salt, code_normalize(code), algorithm="sha256").hexdigest()


def code_hash(code: str) -> str:
    salt = secrets.token_hex(8)
    return f"{salt}${_digest(code, salt)}"


def code_matches(code: str, stored: str) -> bool:
    salt, _sep, digest = stored.partition("$")
    return hmac.compare_digest(_digest(code, salt), digest)


def _expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.ACTIVATION_CODE_DAYS)


def codes_issue(
    *, pairs: Iterable[tuple[AbstractBaseUser, Organization]], by: AbstractBaseUser | None
) -> list[IssuedCode]:
    """A new code for each (user, organisation), in three queries whatever the number:
    every earlier live code of those users is revoked, the new ones bulk-created."""
    pairs = list(pairs)
    now = timezone.now()
    expires_at = _expiry(now)
    issued = [IssuedCode(user, org, code_display(_code_new()), expires_at) for user, org in pairs]
    with transaction.atomic():
        queryset_update_with_history(
            ActivationCode.objects.live().filter(user__in=[user for user, _org in pairs]),
            revoked_at=now,
        )
        codes = ActivationCode.objects.bulk_create(
            ActivationCode(
                user=item.user,
                organization=item.organization,
                code_hash=code_hash(item.code),
                created_at=now,
                created_by=by,
                expires_at=expires_at,
            )
            for item in issued
        )
        history_bulk_record(codes, update=False)
    return issued


def code_issue(
    *, user: AbstractBaseUser, organization: Organization, by: AbstractBaseUser | None
) -> IssuedCode:
    """A new code for ``user`` in ``organization``; every earlier code of theirs dies."""
    with transaction.atomic():
        # Two HR officers reissuing at once queue here instead of tripping the
        # one-live-code constraint.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        return codes_issue(pairs=[(user, organization)], by=by)[0]


def codes_revoke(*, user: AbstractBaseUser) -> int:
    """Every live code of ``user`` stops working (a disabled account, a person who left)."""
    return queryset_update_with_history(
        ActivationCode.objects.live().filter(user=user), revoked_at=timezone.now()
    )


def _wrong() -> ActivationError:
    # One message whether the username exists or not: the page must not tell a
    # stranger which usernames are real.
    return ActivationError(
        _(
            "The username or the activation code is not right. Check both against your "
            "slip and try again."
        ),
        code="wrong",
    )


def _refusal(found: ActivationCode, now: dt.datetime) -> ActivationError | None:
    """Why the right code of the user no longer works, or None when it does."""
    if found.used_at is not None:
        return ActivationError(
            _(
                "This activation code has already been used. Log in with your password, "
                "or ask the HR officer for a new code if you have forgotten it."
            ),
            code="used",
        )
    if found.revoked_at is not None:
        return ActivationError(
            _(
                "This activation code was replaced by a newer one or cancelled. Use the "
                "newest slip you were given, or ask the HR officer for a new code."
            ),
            code="replaced",
        )
    if found.expires_at <= now:
        return ActivationError(
            _("This activation code expired on %(date)s. Ask the HR officer for a new code.")
            % {"date": date_short(timezone.localdate(found.expires_at))},
            code="expired",
        )
    return None


def _user_named(username: str) -> AbstractBaseUser | None:
    users = get_user_model().objects.select_for_update()
    username = username.strip()
    return (
        users.filter(username=username).first() or users.filter(username=username.lower()).first()
    )


def code_activate(*, username: str, code: str, password: str) -> AbstractBaseUser:
    """Set ``password`` on the account whose live code ``code`` is, and use the code up.

    Raises ``ActivationError`` for a code that does not open the account, and Django's
    ``ValidationError`` (no code used up) for a password the validators refuse."""
    now = timezone.now()
    with transaction.atomic():
        user = _user_named(username)
        if user is None or len(code_normalize(code)) != CODE_LENGTH:
            raise _wrong()
        # The newest codes only: enough to say "replaced" of a slip a person kept.
        recent = ActivationCode.objects.filter(user=user).select_for_update()[:20]
        found = next((row for row in recent if code_matches(code, row.code_hash)), None)
        # The code belongs to the user *in its organisation*: one whose membership there
        # was removed gets nothing from it.
        if (
            found is None
            or not Membership.objects.filter(
                user=user, organization_id=found.organization_id
            ).exists()
        ):
            raise _wrong()
        if refusal := _refusal(found, now):
            raise refusal
        validate_password(password, user)
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        found.used_at = now
        found.save(update_fields=["used_at"])
    return user


def activation_link(*, code: str | None = None, username: str | None = None) -> str:
    """The absolute address of the activation page, filled in with ``username`` and
    ``code`` when given (what the QR code on a slip opens)."""
    params = {}
    if username:
        params["u"] = username
    if code:
        params["code"] = code_display(code)
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("activate")
    return f"{url}?{urlencode(params)}" if params else url
