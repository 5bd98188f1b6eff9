"""The issued period reports of a plan (issue 14): once the first half of a fiscal year
(to 31 มี.ค.) or the whole year (to 30 ก.ย.) is over, HR issues the 6-month progress
report (ITA o24) or the annual results report (o26) of an approved or published plan as
the official record of that period. The report is rendered once, in Thai digits, with
the figures recorded by the period's end, and kept as a numbered issue
(:class:`~plans.models.IssuedReport`); issuing it again (with the reason) makes the next
number, and every issue keeps downloading byte for byte.

The latest issue is what ``progress.pdf`` / ``results.pdf`` send, under /plans/ and on
the transparency page; before the first issue HR and executives see the live report,
the public sees none.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.documents import period_end, period_has_ended
from plans.models import DevelopmentPlan, IssuedReport
from portal import documents_store
from portal.models import RenderedDocument
from portal.thai import date_long

Period = IssuedReport.Period
#: The official form: the issued record is printed with Thai digits only.
DIGITS = "thai"
#: The stored document's kind: the same builder as the live report.
KIND = "plans.year_report"


class IssueError(ValidationError):
    """Why a report cannot be issued (shown to HR as it is)."""


def period_of(first_half: bool) -> str:
    return Period.PROGRESS if first_half else Period.RESULTS


def issued_key(*, plan: DevelopmentPlan, fiscal_year: int, period: str, number: int) -> str:
    """A key of its own, outside the live keys' digests: nothing but this issue ever
    names the file."""
    return f"issued:{plan.pk}:{fiscal_year}:{period}:{number}"


def issue_refusal(*, plan: DevelopmentPlan, fiscal_year: int, first_half: bool) -> str | None:
    """Why the report cannot be issued today, or None when it can."""
    if not plan.is_locked:
        return _("A report can only be issued for an approved or published plan.")
    if fiscal_year not in plan.fiscal_years:
        return _("The plan does not cover this fiscal year.")
    if not period_has_ended(fiscal_year=fiscal_year, first_half=first_half):
        end = period_end(fiscal_year=fiscal_year, first_half=first_half)
        return _("The report's period ends on %(end)s: it can be issued from the day after.") % {
            "end": date_long(end, thai_digits=False)
        }
    return None


@transaction.atomic
def year_report_issue(
    *,
    plan: DevelopmentPlan,
    fiscal_year: int,
    first_half: bool,
    user: AbstractBaseUser,
    reason: str = "",
    at: dt.datetime | None = None,
) -> IssuedReport:
    """Issue the 6-month progress (``first_half``) or annual results report of
    ``plan`` for ``fiscal_year``: the next numbered issue, its document queued for
    rendering (as of the period's end, in Thai digits) once the transaction commits.
    Refused (:class:`IssueError`) before the period has ended, for a plan not approved
    or published, and for a second or later issue without a reason. ``at`` is the
    moment of issue, now unless given (the demo's reports were issued in 2565)."""
    refusal = issue_refusal(plan=plan, fiscal_year=fiscal_year, first_half=first_half)
    if refusal:
        raise IssueError(refusal)
    # One issuer at a time per plan: the next number is read under the plan's lock.
    DevelopmentPlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").get()
    period = period_of(first_half)
    issues = IssuedReport.objects.filter(plan=plan, fiscal_year=fiscal_year, period=period)
    number = (issues.aggregate(last=Max("number"))["last"] or 0) + 1
    reason = reason.strip()
    if number > 1 and not reason:
        raise IssueError(_("Say why the report is issued again."))
    now = at or timezone.now()
    document = RenderedDocument.objects.create(
        key=issued_key(plan=plan, fiscal_year=fiscal_year, period=period, number=number),
        kind=KIND,
        organization_id=plan.organization_id,
        params={
            "plan": plan.pk,
            "fy": fiscal_year,
            "first_half": first_half,
            "number": number,
            "issued_on": timezone.localdate(now).isoformat(),
        },
        digits=DIGITS,
    )
    issued = IssuedReport.objects.create(
        plan=plan,
        fiscal_year=fiscal_year,
        period=period,
        number=number,
        document=document,
        issued_by=user,
        issued_at=now,
        reason=reason,
    )
    documents_store.document_enqueue_on_commit(document)
    return issued


def issued_reports(
    *, plan: DevelopmentPlan, fiscal_year: int, first_half: bool
) -> list[IssuedReport]:
    """The issues of one report, the latest first, with their files and issuers."""
    return list(
        IssuedReport.objects.filter(
            plan=plan, fiscal_year=fiscal_year, period=period_of(first_half)
        )
        .select_related("document", "issued_by")
        .order_by("-number")
    )


def issued_reports_of(
    plans: list[DevelopmentPlan],
) -> dict[tuple[int, int, str], list[IssuedReport]]:
    """The issues of every report of ``plans`` by (plan, fiscal year, period), the
    latest first: one query."""
    found: dict[tuple[int, int, str], list[IssuedReport]] = {}
    rows = (
        IssuedReport.objects.filter(plan__in=plans)
        .select_related("document")
        .order_by("plan", "fiscal_year", "period", "-number")
    )
    for row in rows:
        found.setdefault((row.plan_id, row.fiscal_year, row.period), []).append(row)
    return found


def issued_document(issued: IssuedReport) -> RenderedDocument:
    """The stored file of ``issued`` (rendered now if its inline task never ran)."""
    return documents_store.document_render_if_stranded(issued.document)
