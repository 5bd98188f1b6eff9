"""Activation codes issued in a batch and the slips that hand them out.

A code exists in plain text only when it is issued (only its hash is stored), so the
batch HR just issued — person, username, code, expiry — is kept in the HR officer's
server-side session (the database session engine: the cookie holds only the session's
key). It lives until that officer issues another batch or logs out, and nowhere else:
lost slips mean issuing the codes again. From it come the printed slips (PDF) and a
spreadsheet of the same rows for the office's own channels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from portal.accounts.activation import IssuedCode, activation_link, code_matches
from portal.accounts.models import ActivationCode
from portal.accounts.printing import qr_data_uri, typed_exactly
from portal.models import Organization
from portal.thai import date_short
from portal.workbooks import HEAD_FILL, headings_write, rows_write, workbook_bytes
from staff.accounts import AccountError, account_issue
from staff.models import StaffMember

SESSION_KEY = "staff_account_slips"


@dataclass(frozen=True)
class Slip:
    person: StaffMember
    username: str
    code: str
    expires_on: dt.date
    link: str


@dataclass(frozen=True)
class IssueResult:
    issued: list[tuple[StaffMember, IssuedCode]]
    refused: list[tuple[StaffMember, str]]


def accounts_issue(*, people: Iterable[StaffMember], by: AbstractBaseUser | None) -> IssueResult:
    """A code (and on first issue an account) for each person, all in one transaction;
    a person who cannot have one (recorded as having left) is refused, not the batch."""
    issued: list[tuple[StaffMember, IssuedCode]] = []
    refused: list[tuple[StaffMember, str]] = []
    with transaction.atomic():
        for person in people:
            try:
                with transaction.atomic():
                    issued.append((person, account_issue(person=person, by=by)))
            except AccountError as error:
                refused.append((person, error.messages[0]))
    return IssueResult(issued, refused)


def batch_keep(
    *,
    session: SessionBase,
    organization: Organization,
    issued: list[tuple[StaffMember, IssuedCode]],
) -> None:
    """The batch replaces any earlier one: only the newest codes can be printed."""
    session[SESSION_KEY] = {
        "organization": organization.pk,
        "rows": [
            {
                "person": person.pk,
                "username": item.user.get_username(),
                "user": item.user.pk,
                "code": item.code,
                "expires_at": item.expires_at.isoformat(),
            }
            for person, item in issued
        ],
    }


def batch_size(*, session: SessionBase, organization: Organization) -> int:
    batch = session.get(SESSION_KEY) or {}
    return len(batch.get("rows", [])) if batch.get("organization") == organization.pk else 0


def batch_slips(*, session: SessionBase, organization: Organization) -> list[Slip]:
    """The slips of the batch kept in ``session`` for ``organization``, in Thai name
    order: only codes that still work (a code another officer reissued since, or one
    already used, would be a slip that opens nothing). Three queries."""
    batch = session.get(SESSION_KEY) or {}
    if batch.get("organization") != organization.pk:
        return []
    rows = {row["person"]: row for row in batch.get("rows", [])}
    live: dict[int, list[str]] = {}
    for user_id, stored in (
        ActivationCode.objects.live()
        .filter(user_id__in=[row["user"] for row in rows.values()], organization=organization)
        .values_list("user_id", "code_hash")
    ):
        live.setdefault(user_id, []).append(stored)
    people = (
        StaffMember.objects.filter(organization=organization, pk__in=rows, is_active=True)
        .select_related("unit", "unit__parent")
        .in_thai_order()
    )
    slips = []
    for person in people:
        row = rows[person.pk]
        if not any(code_matches(row["code"], stored) for stored in live.get(row["user"], [])):
            continue
        slips.append(
            Slip(
                person=person,
                username=row["username"],
                code=row["code"],
                expires_on=timezone.localdate(dt.datetime.fromisoformat(row["expires_at"])),
                link=activation_link(code=row["code"], username=row["username"]),
            )
        )
    return slips


def slips_context(*, organization: Organization, slips: list[Slip]) -> dict[str, object]:
    return {
        "organization": organization,
        "address": typed_exactly(activation_link()),
        "slips": [
            {
                "person": slip.person,
                "username": typed_exactly(slip.username),
                "code": typed_exactly(slip.code),
                "expires_on": slip.expires_on,
                "qr": qr_data_uri(slip.link),
            }
            for slip in slips
        ],
    }


SHEET_HEADINGS = (
    "ชื่อ – สกุล",
    "หน่วยงาน",
    "ชื่อผู้ใช้",
    "รหัสเปิดใช้งาน",
    "ใช้ได้ถึง",
    "ลิงก์เปิดใช้งาน",
)


def slips_workbook(*, slips: list[Slip]) -> bytes:
    """The batch as one sheet: a row per person, for mail merge or a message each."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "รหัสเปิดใช้งาน"
    headings_write(
        sheet,
        SHEET_HEADINGS,
        fills=[HEAD_FILL] * len(SHEET_HEADINGS),
        widths=(30, 30, 18, 14, 14, 60),
    )
    rows_write(
        sheet,
        (
            [
                slip.person.full_name,
                slip.person.unit.full_name,
                slip.username,
                slip.code,
                date_short(slip.expires_on),
                slip.link,
            ]
            for slip in slips
        ),
    )
    return workbook_bytes(workbook)
