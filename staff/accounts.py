"""Logins of staff members, issued by HR: a user account for a person, a one-time
activation code to set its password (portal/accounts/activation.py), disabling and
enabling it, and its username.

A person's account state is computed in SQL (``with_account_state``) so the HR list of
hundreds of people costs no query per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts import usernames
from portal.accounts.activation import IssuedCode, code_issue, codes_revoke
from portal.accounts.models import ActivationCode
from portal.accounts.sessions import sessions_end_all
from portal.models import Membership, Role
from portal.thai import thai_collate
from staff.models import StaffMember


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


def username_suggest(person: StaffMember) -> str:
    """A short readable base from the person's name (``somsri.c``): the English names
    when recorded, else a romanisation of the Thai ones."""
    return usernames.username_base(
        first=(person.first_name_en, person.first_name),
        last=(person.last_name_en, person.last_name),
    )


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


def unlinked_logins(*, organization_id: int) -> QuerySet:
    """Active logins of the organisation that no staff record is linked to: the first
    HR officer's (made by create_organization), an executive's from outside the staff
    list — in Thai name order."""
    return (
        get_user_model()
        .objects.filter(
            memberships__organization_id=organization_id,
            staff_member__isnull=True,
            is_active=True,
        )
        .order_by(thai_collate("first_name"), thai_collate("last_name"), "pk")
    )


@dataclass(frozen=True)
class LoginMatch:
    """A person without an account and the unlinked logins with exactly their name."""

    person: StaffMember
    logins: list[AbstractBaseUser]


def login_matches(*, organization_id: int) -> list[LoginMatch]:
    """Working people without an account whose first and last names are exactly those
    of an unlinked login of the organisation: most likely their own login already
    (the HR officer who imported the staff file that names them). Two queries, or one
    when every login is linked."""
    by_name: dict[tuple[str, str], list[AbstractBaseUser]] = {}
    for user in unlinked_logins(organization_id=organization_id):
        by_name.setdefault((user.first_name.strip(), user.last_name.strip()), []).append(user)
    if not by_name:
        return []
    same_name = Q()
    for first, last in by_name:
        same_name |= Q(first_name=first, last_name=last)
    people = (
        StaffMember.objects.active()
        .filter(same_name, organization_id=organization_id, user__isnull=True)
        .select_related("unit", "unit__parent")
        .in_thai_order()
    )
    return [
        LoginMatch(person, by_name[(person.first_name.strip(), person.last_name.strip())])
        for person in people
    ]


def account_link(
    *, person: StaffMember, user: AbstractBaseUser, by: AbstractBaseUser | None
) -> None:
    """Link ``person`` to an existing login of their organisation that belongs to no
    staff record yet, instead of making them a second one."""
    with transaction.atomic():
        person = _locked(person)
        _must_be_working(person)
        # Lock the login: two officers linking it to two people at once queue here.
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if person.user_id is not None:
            raise AccountError(
                _("%(name)s already has a login.") % {"name": person.full_name}, code="has_login"
            )
        if not Membership.objects.filter(
            user=user, organization_id=person.organization_id
        ).exists():
            raise AccountError(
                _("This login does not belong to this organisation."), code="other_organization"
            )
        if StaffMember.objects.filter(user=user).exists():
            raise AccountError(
                _("The login %(username)s is already linked to another person.")
                % {"username": user.get_username()},
                code="linked",
            )
        person.user = user
        person.save(update_fields=["user", "updated_at"])


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
