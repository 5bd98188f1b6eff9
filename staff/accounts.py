"""Logins of staff members, issued by HR: a user account for a person, a one-time
activation code to set its password (portal/accounts/activation.py), disabling and
enabling it, and its username.

A person's account state is computed in SQL (``with_account_state``) so the HR list of
hundreds of people costs no query per row.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pythainlp.transliterate import romanize

from portal.accounts import usernames
from portal.accounts.activation import IssuedCode, code_issue, codes_revoke
from portal.accounts.models import ActivationCode
from portal.accounts.sessions import sessions_end_all
from portal.models import Membership, Role
from staff.models import StaffMember

# The base of a suggested username: short enough to type from a slip on a phone.
SUGGESTED_MAX = 24


class AccountState(models.TextChoices):
    NONE = "none", gettext_lazy("No account yet")
    CODE_ISSUED = "code_issued", gettext_lazy("Activation code issued")
    ACTIVE = "active", gettext_lazy("In use")
    DISABLED = "disabled", gettext_lazy("Disabled")


class AccountError(ValidationError):
    """An account action that cannot be done for this person."""


def with_account_state(queryset: QuerySet[StaffMember]) -> QuerySet[StaffMember]:
    """``account_state`` (an ``AccountState``) and ``code_expires_at`` (of the code not
    yet used or revoked, even if it has expired; else None) on every row, in SQL.

    A live code wins over a disabled user: issuing a code to a disabled login is how HR
    gives it back (activating enables it)."""
    live = ActivationCode.objects.live().filter(user=OuterRef("user"))
    return queryset.annotate(
        code_expires_at=Subquery(live.order_by("-created_at").values("expires_at")[:1]),
        account_state=models.Case(
            models.When(user__isnull=True, then=Value(AccountState.NONE)),
            models.When(Exists(live), then=Value(AccountState.CODE_ISSUED)),
            models.When(user__is_active=False, then=Value(AccountState.DISABLED)),
            default=Value(AccountState.ACTIVE),
            output_field=models.CharField(),
        ),
    )


# --- Usernames ------------------------------------------------------------------------


def _ascii_word(text: str) -> str:
    text = text.strip()
    if text and not text.isascii():
        text = romanize(text)
    return re.sub(r"[^a-z]", "", text.lower())


def username_suggest(person: StaffMember) -> str:
    """A short readable base: the first name in Latin letters, a dot and the first
    letter of the last name (``somsri.c``); the English names when recorded, else a
    romanisation of the Thai ones. Letters only, so never the citizen ID."""
    first = _ascii_word(person.first_name_en) or _ascii_word(person.first_name) or "staff"
    last = _ascii_word(person.last_name_en) or _ascii_word(person.last_name)
    base = first[:SUGGESTED_MAX]
    base = f"{base}.{last[0]}" if last else base
    return base if len(base) >= 3 else f"staff.{base}"  # the shortest username is 3


def username_validate(username: str, *, person: StaffMember | None = None) -> str:
    """The username as it will be stored (lower case), or AccountError."""
    try:
        return usernames.username_validate(
            username, exclude_user_id=person.user_id if person is not None else None
        )
    except ValidationError as error:
        raise AccountError(error.messages[0], code=error.code) from error


# --- Actions --------------------------------------------------------------------------


def _locked(person: StaffMember) -> StaffMember:
    # Only the person's row: the organisation's stays free for other officers' work.
    return (
        StaffMember.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=person.pk)
    )


def _must_be_working(person: StaffMember) -> None:
    if not person.is_active:
        raise AccountError(
            _("%(name)s is recorded as having left and cannot have a login.")
            % {"name": person.full_name},
            code="left",
        )


def account_issue(
    *, person: StaffMember, by: AbstractBaseUser | None, username: str | None = None
) -> IssuedCode:
    """An activation code for ``person``: on the first call also their account (no
    password until they activate) and a staff membership in their organisation; later
    calls reissue the code, which kills the earlier one."""
    with transaction.atomic():
        person = _locked(person)
        _must_be_working(person)
        organization = person.organization
        user = person.user
        if user is None:
            name = (
                username_validate(username)
                if username
                else usernames.username_unique(username_suggest(person))
            )
            user = get_user_model()(
                username=name,
                first_name=person.first_name[:150],
                last_name=person.last_name[:150],
                email=person.email,
            )
            user.set_unusable_password()
            user.save()
            person.user = user
            person.save(update_fields=["user", "updated_at"])
        Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"role": Role.STAFF}
        )
        return code_issue(user=user, organization=organization, by=by)


def _login_end(user: AbstractBaseUser) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])
    codes_revoke(user=user)
    sessions_end_all(user=user)


def account_disable(*, person: StaffMember, by: AbstractBaseUser | None) -> None:
    """The person can no longer log in: the account is switched off, its codes revoked
    and every session of it ended on every device."""
    with transaction.atomic():
        person = _locked(person)
        if person.user is None:
            raise AccountError(
                _("%(name)s has no account.") % {"name": person.full_name}, code="none"
            )
        _login_end(person.user)


def account_enable(*, person: StaffMember, by: AbstractBaseUser | None) -> None:
    """Give a disabled login back (its password unchanged)."""
    with transaction.atomic():
        person = _locked(person)
        _must_be_working(person)
        if person.user is None:
            raise AccountError(
                _("%(name)s has no account.") % {"name": person.full_name}, code="none"
            )
        person.user.is_active = True
        person.user.save(update_fields=["is_active"])


def username_change(*, person: StaffMember, username: str) -> AbstractBaseUser:
    with transaction.atomic():
        person = _locked(person)
        if person.user is None:
            raise AccountError(
                _("%(name)s has no account.") % {"name": person.full_name}, code="none"
            )
        person.user.username = username_validate(username, person=person)
        person.user.save(update_fields=["username"])
        return person.user


def person_leave(*, person: StaffMember, on: dt.date, reason: str = "") -> None:
    """Record that ``person`` left, and end their login at once (disabled, codes
    revoked, every session ended) — in one transaction."""
    with transaction.atomic():
        person.mark_left(on=on, reason=reason)
        if person.user_id is not None:
            _login_end(person.user)


def accounts_end_for_left(*, organization_id: int) -> int:
    """After an import recorded people as having left: end the logins of everyone of
    the organisation who left but still has an active one. The number ended."""
    users = list(
        get_user_model().objects.filter(
            Q(is_active=True) | Exists(ActivationCode.objects.live().filter(user=OuterRef("pk"))),
            staff_member__organization_id=organization_id,
            staff_member__is_active=False,
        )
    )
    for user in users:
        _login_end(user)
    return len(users)
