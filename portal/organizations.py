"""Creating organisations with their first HR account (``manage.py create_organization``):
one, or thousands from a CSV file — all or nothing, idempotent (an existing slug is left
as it is), in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portal.accounts import usernames
from portal.accounts.activation import IssuedCode, codes_issue
from portal.history import history_bulk_record
from portal.models import Membership, Organization, Role

CSV_COLUMNS = ("slug", "name_th", "short_name", "kind", "district", "province")
BATCH = 1000
HR_NAME_MAX = 150  # the user model's first_name and last_name


@dataclass(frozen=True)
class OrganizationRow:
    """One organisation to create; ``line`` is where it came from (1 for the command
    line, the file's line number for a CSV row)."""

    line: int
    slug: str
    name_th: str
    short_name: str
    kind: str
    district: str
    province: str
    hr_username: str = ""
    # The HR officer's name: what the home page greets and the plan book prints on the
    # line of whoever prepared the plan, which would otherwise be the bare username.
    hr_first_name: str = ""
    hr_last_name: str = ""


@dataclass
class OrganizationsResult:
    created: list[IssuedCode] = field(default_factory=list)
    existing: list[OrganizationRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


class OrganizationsInvalid(Exception):
    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _kinds() -> dict[str, str]:
    """Each kind by its value (``sao``) and by its Thai and English labels."""
    kinds = {value: value for value in Organization.Kind.values}
    for language in ("en", "th"):
        with translation.override(language):
            kinds.update({str(label): value for value, label in Organization.Kind.choices})
    return kinds


def organization_rows_from_csv(data: bytes) -> list[OrganizationRow]:
    """The rows of a UTF-8 CSV (a BOM is fine) with the columns ``CSV_COLUMNS``; raises
    OrganizationsInvalid for a file that cannot be read as such."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise OrganizationsInvalid([(0, _("The file is not UTF-8 text."))]) from error
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in CSV_COLUMNS if name not in header]
    if missing:
        raise OrganizationsInvalid(
            [(1, _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)})]
        )
    reader.fieldnames = header
    return [
        OrganizationRow(
            line=reader.line_num,
            **{name: (row.get(name) or "").strip() for name in CSV_COLUMNS},
            **{
                name: (row.get(name) or "").strip()
                for name in ("hr_username", "hr_first_name", "hr_last_name")
            },
        )
        for row in reader
    ]


def _row_errors(organization: Organization) -> list[str]:
    try:
        organization.full_clean(exclude=["emblem"], validate_unique=False)
    except ValidationError as error:
        return [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _name_errors(row: OrganizationRow) -> list[str]:
    return [
        _("%(column)s: at most %(max)d characters.") % {"column": column, "max": HR_NAME_MAX}
        for column in ("hr_first_name", "hr_last_name")
        if len(getattr(row, column)) > HR_NAME_MAX
    ]


def _hr_username(row: OrganizationRow, taken: set[str]) -> str:
    """The given username (checked), else ``hr.<slug>`` made unique."""
    if row.hr_username:
        name = usernames.username_check(row.hr_username)
        if name in taken:
            raise usernames.username_taken_error(name)
        return name
    base = usernames.username_check(f"hr.{row.slug}"[: usernames.USERNAME_MAX])
    return usernames.username_first_free(base, taken)


def organizations_create(*, rows: Iterable[OrganizationRow]) -> OrganizationsResult:
    """Create every organisation of ``rows`` whose slug does not exist yet, each with
    an HR account (no password) and an activation code for it. Any invalid row:
    nothing is created and OrganizationsInvalid lists every problem by line."""
    rows = list(rows)
    result = OrganizationsResult()
    existing = set(
        Organization.objects.filter(slug__in=[row.slug for row in rows]).values_list(
            "slug", flat=True
        )
    )
    taken = usernames.usernames_starting("hr.") | {
        name.lower()
        for name in get_user_model()
        .objects.filter(username__in=[row.hr_username.lower() for row in rows if row.hr_username])
        .values_list("username", flat=True)
    }
    kinds = _kinds()
    seen: dict[str, int] = {}
    todo: list[tuple[Organization, OrganizationRow, str]] = []
    for row in rows:
        if row.slug in existing:
            result.existing.append(row)
            continue
        if row.slug in seen:
            result.errors.append(
                (
                    row.line,
                    _("The slug %(slug)s is also on line %(line)d.")
                    % {"slug": row.slug, "line": seen[row.slug]},
                )
            )
            continue
        seen[row.slug] = row.line
        organization = Organization(
            slug=row.slug,
            name_th=row.name_th,
            short_name=row.short_name,
            # An unknown kind is kept as typed: full_clean refuses it, listing the choices.
            kind=kinds.get(row.kind, row.kind) if row.kind else Organization.Kind.SAO,
            district=row.district,
            province=row.province,
        )
        problems = _row_errors(organization) + _name_errors(row)
        try:
            username = _hr_username(row, taken)
            taken.add(username)
        except ValidationError as error:
            problems.extend(error.messages)
            username = ""
        result.errors.extend((row.line, problem) for problem in problems)
        todo.append((organization, row, username))
    if result.errors:
        raise OrganizationsInvalid(result.errors)
    with transaction.atomic():
        organizations = Organization.objects.bulk_create(
            [organization for organization, _row, _name in todo], batch_size=BATCH
        )
        users = get_user_model().objects.bulk_create(
            [
                get_user_model()(
                    username=name,
                    first_name=row.hr_first_name,
                    last_name=row.hr_last_name,
                    password=make_password(None),
                )
                for _org, row, name in todo
            ],
            batch_size=BATCH,
        )
        memberships = Membership.objects.bulk_create(
            [
                Membership(user=user, organization=organization, role=Role.HR)
                for user, organization in zip(users, organizations, strict=True)
            ],
            batch_size=BATCH,
        )
        # Bulk writes send no signals: their history is written here, in the same
        # transaction (a user's organisation is the one created with them).
        history_bulk_record(organizations, update=False)
        organization_of_user = {
            user.pk: organization.pk
            for user, organization in zip(users, organizations, strict=True)
        }
        history_bulk_record(
            users, update=False, organization_of=lambda user: organization_of_user[user.pk]
        )
        history_bulk_record(memberships, update=False)
        result.created = codes_issue(pairs=zip(users, organizations, strict=True), by=None)
    return result
