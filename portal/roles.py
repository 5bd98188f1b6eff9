"""Roles inside an organisation: HR gives an account the role hr, executive or staff,
and an executive their position in the approval chain (the ปลัด, the นายก).

An organisation always keeps an HR officer: the last one cannot lose the role, not even
by their own hand, or nobody could manage the organisation's accounts any more. The
organisation's memberships are locked while a change is checked, so two HR officers
taking the role from each other at the same moment cannot both succeed.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from portal.accounts import usernames
from portal.accounts.activation import IssuedCode, code_issue
from portal.models import ChainPosition, Membership, Organization, Role
from portal.thai import thai_collate

#: The order of the roles page: HR, then executives, then staff.
ROLE_RANK = Case(
    When(role=Role.HR, then=Value(0)),
    When(role=Role.EXECUTIVE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class RoleError(ValidationError):
    """A role change the organisation's rules refuse; the message is for the user."""


def memberships_for_listing(
    *, organization: Organization, search: str = ""
) -> QuerySet[Membership]:
    """The accounts of the organisation by role, each role in Thai name order, with
    the staff record the account is linked to; with ``search``, those whose name,
    username or position title holds every word of it."""
    found = Q()
    for word in search.split():
        found &= (
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__username__icontains=word)
            | Q(user__staff_member__first_name__icontains=word)
            | Q(user__staff_member__last_name__icontains=word)
            | Q(user__staff_member__position_title__icontains=word)
        )
    return (
        Membership.objects.filter(found, organization=organization)
        .select_related("user", "user__staff_member")
        # What the roles page shows: a whole staff record a row (thirty columns) was a
        # quarter of its time at 500 accounts (bench/pages.py).
        .only(
            "organization",
            "role",
            "chain_position",
            "user__username",
            "user__first_name",
            "user__last_name",
            "user__staff_member__position_title",
        )
        .order_by(
            ROLE_RANK, thai_collate("user__first_name"), thai_collate("user__last_name"), "pk"
        )
    )


def role_counts(*, organization: Organization) -> list[tuple[str, int]]:
    """(role label, how many accounts) for every role, over the whole organisation
    whatever page of the roles page is shown."""
    found = dict(
        Membership.objects.filter(organization=organization)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    return [(label, found.get(role, 0)) for role, label in Role.choices]


def chain_holders(*, organization: Organization) -> list[tuple[str, Membership | None]]:
    """(position label, who holds it or None) for each position of the approval chain."""
    holders = {
        m.chain_position: m
        for m in Membership.objects.filter(organization=organization)
        .exclude(chain_position="")
        .select_related("user")
        .only("chain_position", "user__username", "user__first_name", "user__last_name")
    }
    return [
        (label, holders.get(position))
        for position, label in ChainPosition.choices
        if position != ChainPosition.NONE
    ]


@transaction.atomic
def membership_role_set(
    *, organization: Organization, membership_id: int, role: str, chain_position: str
) -> Membership:
    """Give the membership ``role`` and ``chain_position``; refused with
    :class:`RoleError` for the organisation's last HR officer losing the role, a
    position for someone who is not an executive, or a position someone else holds."""
    # Lock the whole organisation's memberships: the count of HR officers and the
    # holders of the positions are read and changed as one.
    locked = list(Membership.objects.select_for_update().filter(organization=organization))
    membership = next((m for m in locked if m.pk == membership_id), None)
    if membership is None:
        raise Membership.DoesNotExist("No such membership in this organisation.")
    hr_left = [m for m in locked if m.role == Role.HR and m.pk != membership.pk]
    if membership.role == Role.HR and role != Role.HR and not hr_left:
        raise RoleError(
            _(
                "%(name)s is the organisation's last HR officer: give another account the "
                "HR role first, so that someone can still manage the accounts."
            )
            % {"name": display_name(membership)}
        )
    if chain_position and role != Role.EXECUTIVE:
        raise RoleError(_("Only an executive can hold a position in the approval chain."))
    _position_must_be_free(locked, chain_position, membership_id=membership.pk)
    membership.role = role
    membership.chain_position = chain_position
    membership.save(update_fields=["role", "chain_position"])
    return membership


def _position_must_be_free(
    locked: list[Membership], chain_position: str, *, membership_id: int | None
) -> None:
    holder = next(
        (m for m in locked if chain_position and m.chain_position == chain_position), None
    )
    if holder is not None and holder.pk != membership_id:
        raise RoleError(
            _("%(name)s already holds the position %(position)s: remove it from them first.")
            % {"name": display_name(holder), "position": ChainPosition(chain_position).label}
        )


def login_add(
    *,
    organization: Organization,
    prefix: str,
    first_name: str,
    last_name: str,
    role: str,
    chain_position: str,
    by: AbstractBaseUser | None,
) -> IssuedCode:
    """A login for someone who is not on the staff list (the elected นายก, another
    executive): an account named after them, with ``role`` and ``chain_position`` in
    ``organization``, and its activation code. The name is kept on the account — the
    prefix written before the first name as a staff record prints it — and the plan
    book's sign-off takes it from there."""
    if role not in (Role.EXECUTIVE, Role.HR):
        raise RoleError(_("A login outside the staff list is for an executive or HR officer."))
    if chain_position and role != Role.EXECUTIVE:
        raise RoleError(_("Only an executive can hold a position in the approval chain."))
    with transaction.atomic():
        locked = list(Membership.objects.select_for_update().filter(organization=organization))
        _position_must_be_free(locked, chain_position, membership_id=None)
        user = get_user_model()(
            username=usernames.username_unique(
                usernames.username_base(first=(first_name,), last=(last_name,))
            ),
            first_name=f"{prefix.strip()}{first_name.strip()}"[:150],
            last_name=last_name.strip()[:150],
        )
        user.set_unusable_password()
        user.save()
        Membership.objects.create(
            user=user, organization=organization, role=role, chain_position=chain_position
        )
        return code_issue(user=user, organization=organization, by=by)


def login_code_issue(*, membership: Membership, by: AbstractBaseUser | None) -> IssuedCode:
    """A new activation code for a login that no staff record is linked to (the
    staff's own are reissued on the staff accounts page); the earlier one dies."""
    if get_user_model().objects.filter(pk=membership.user_id, staff_member__isnull=False).exists():
        raise RoleError(
            _("This login belongs to a staff member: issue their code on the staff accounts page.")
        )
    return code_issue(user=membership.user, organization=membership.organization, by=by)


def display_name(membership: Membership) -> str:
    return membership.user.get_full_name() or membership.user.get_username()
