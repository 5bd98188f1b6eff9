"""The rules for usernames the portal makes or HR types (staff accounts, the first HR
account of a new organisation): short, ASCII, unique across the whole site whatever
the case, and never a citizen ID or another long number that identifies a person."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pythainlp.transliterate import romanize

USERNAME_MAX = 40
USERNAME_RE = re.compile(r"^[a-z0-9._-]+$")
LONG_DIGITS_RE = re.compile(r"\d{6,}")


def username_check(username: str) -> str:
    """The username as it will be stored (lower case), or ValidationError: the rules
    that need no database."""
    username = username.strip().lower()
    if not 3 <= len(username) <= USERNAME_MAX or not USERNAME_RE.match(username):
        raise ValidationError(
            _(
                "A username has 3 to %(max)d characters: Latin letters, digits, and the "
                "signs . - _ only."
            )
            % {"max": USERNAME_MAX},
            code="invalid",
        )
    if LONG_DIGITS_RE.search(username):
        raise ValidationError(
            _("A username must not contain a citizen ID, a phone number or other long numbers."),
            code="digits",
        )
    return username


def username_taken_error(username: str) -> ValidationError:
    return ValidationError(
        _("The username %(username)s is already taken. Choose another one.")
        % {"username": username},
        code="taken",
    )


def username_validate(username: str, *, exclude_user_id: int | None = None) -> str:
    """``username_check`` and not taken by another account (case aside)."""
    username = username_check(username)
    users = get_user_model().objects.filter(username__iexact=username)
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    if users.exists():
        raise username_taken_error(username)
    return username


def username_first_free(base: str, taken: set[str]) -> str:
    """``base``, else ``base2``, ``base3``… — the first not in ``taken`` (lower case)."""
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def usernames_starting(prefix: str) -> set[str]:
    """Every username of the site that starts with ``prefix``, in lower case (one query)."""
    return {
        name.lower()
        for name in get_user_model()
        .objects.filter(username__istartswith=prefix)
        .values_list("username", flat=True)
    }


def username_unique(base: str) -> str:
    """``base`` if no account on the whole site has it, else the first free numbered one."""
    return username_first_free(base, usernames_starting(base))


# The base of a suggested username: short enough to type from a slip on a phone.
SUGGESTED_MAX = 24


def _ascii_word(text: str) -> str:
    text = text.strip()
    if text and not text.isascii():
        text = romanize(text)
    return re.sub(r"[^a-z]", "", text.lower())


def username_base(*, first: tuple[str, ...], last: tuple[str, ...]) -> str:
    """A short readable base from a name: the first name in Latin letters, a dot and
    the first letter of the last name (``somsri.c``). Each of ``first`` and ``last``
    lists the spellings to try in order (the English name, then the Thai one,
    romanised). Letters only, so never a citizen ID."""
    first_word = next((w for w in map(_ascii_word, first) if w), "staff")
    last_word = next((w for w in map(_ascii_word, last) if w), "")
    base = first_word[:SUGGESTED_MAX]
    base = f"{base}.{last_word[0]}" if last_word else base
    return base if len(base) >= 3 else f"staff.{base}"  # the shortest username is 3
