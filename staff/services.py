"""Work on the 3-year manpower plan that spans several rows or models: creating a plan,
making a revision, approving it, saving its rows, and listing plans by period. The
position table and its XLSX export are in ``staff.manpower``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError
from django.forms import BaseModelFormSet
from django.utils.translation import gettext as _

from portal.history import history_bulk_record
from portal.models import Organization
from portal.revisions import RevisionError, approval_moment, replacing_revision
from portal.thai import current_fiscal_year, date_short, thai_sort_key
from portal.versioned import StaleEdit, version_claim
from staff.models import ManpowerPlan, ManpowerPlanRow, Position, StaffMember, Unit

# --- Revisions and their state --------------------------------------------------


def manpower_plan_revisions(*, plan: ManpowerPlan) -> list[ManpowerPlan]:
    """Every revision of the plan's period, oldest first."""
    return list(plan.period_revisions())


def manpower_plan_lock_reason(*, plan: ManpowerPlan) -> str | None:
    """Why the rows of ``plan`` may not change, or None when they may.

    Only the newest revision of a period, still in draft, is editable: an approved plan
    is the document that was signed, and an older revision is history.
    """
    newer = plan.newer_revision()
    if newer:
        return _(
            "Revision %(n)s has replaced this one, so it can no longer change. "
            "Only the newest revision of a plan can be edited."
        ) % {"n": newer.revision}
    if plan.is_locked:
        return _(
            "This revision was approved on %(date)s and is locked. "
            "To change the plan, make a new revision of it."
        ) % {"date": date_short(plan.approved_date)}
    return None


def _locked_for_update(plan: ManpowerPlan) -> ManpowerPlan:
    # Lock the row so two officers clicking at once cannot both pass the checks.
    return ManpowerPlan.objects.select_for_update().get(pk=plan.pk)


def manpower_plan_create(
    *, organization: Organization, first_fy: int, title: str = "", note: str = ""
) -> ManpowerPlan:
    """A new plan for a period, as revision 0 in draft, with no rows yet."""
    try:
        with transaction.atomic():
            return ManpowerPlan.objects.create(
                organization=organization,
                first_fy=first_fy,
                revision=0,
                title=title.strip(),
                note=note,
            )
    except IntegrityError as error:
        raise RevisionError(
            _("A plan for FY %(first)s–%(last)s already exists.")
            % {"first": first_fy, "last": first_fy + ManpowerPlan.YEARS - 1}
        ) from error


@transaction.atomic
def manpower_plan_revise(*, plan: ManpowerPlan) -> ManpowerPlan:
    """Revision n+1 of the newest, approved revision: a draft copy of it and all its
    rows (see RevisedDocument.check_revisable)."""
    plan = _locked_for_update(plan)
    plan.check_revisable()
    try:
        with transaction.atomic():
            revision = ManpowerPlan.objects.create(
                organization_id=plan.organization_id,
                first_fy=plan.first_fy,
                revision=plan.revision + 1,
                previous=plan,
                title=plan.title,
                status=ManpowerPlan.Status.DRAFT,
            )
    except IntegrityError as error:  # someone else revised it a moment ago
        raise RevisionError(_("Someone else has just made a new revision of this plan.")) from error
    rows = ManpowerPlanRow.objects.bulk_create(
        ManpowerPlanRow(
            plan=revision,
            unit_id=row.unit_id,
            position_title=row.position_title,
            personnel_type=row.personnel_type,
            position_type=row.position_type,
            level=row.level,
            current_count=row.current_count,
            year1_count=row.year1_count,
            year2_count=row.year2_count,
            year3_count=row.year3_count,
            note=row.note,
            order=row.order,
        )
        for row in plan.rows.order_by("pk")
    )
    history_bulk_record(rows, update=False, organization_id=plan.organization_id)
    return revision


@transaction.atomic
def manpower_plan_approve(
    *, plan: ManpowerPlan, approved_on: dt.date, user: AbstractBaseUser
) -> ManpowerPlan:
    """Record the approval of the newest draft revision, signed on paper on
    ``approved_on`` and recorded by ``user``; its rows are then locked."""
    plan = _locked_for_update(plan)
    reason = manpower_plan_lock_reason(plan=plan)
    if reason:
        raise RevisionError(reason)
    if not plan.rows.exists():
        raise RevisionError(_("Add at least one position row before approving the plan."))
    plan.status = ManpowerPlan.Status.APPROVED
    plan.approved_at = approval_moment(approved_on)
    plan.approved_by = user
    plan.save(update_fields=["status", "approved_at", "approved_by"])
    return plan


@transaction.atomic
def manpower_plan_rows_save(
    *, plan: ManpowerPlan, formset: BaseModelFormSet
) -> dict[int, ManpowerPlanRow]:
    """Save a valid formset of rows, checking again under a lock that the plan is still
    editable (it may have been approved since the page was opened).

    Each row is guarded by its own version: a row someone else saved since the page was
    opened is left as they saved it and returned (by id, their version) for the officer
    to decide; the other rows are saved."""
    stale: dict[int, ManpowerPlanRow] = {}
    with transaction.atomic():
        reason = manpower_plan_lock_reason(plan=_locked_for_update(plan))
        if reason:
            raise RevisionError(reason)
        for form in formset.initial_forms:
            deleting = formset._should_delete_form(form)
            if not (deleting or form.has_changed()):
                continue
            try:
                version_claim(
                    instance=form.instance, expected_version=form.cleaned_data.get("version")
                )
            except StaleEdit as error:
                stale[form.instance.pk] = error.current
                continue
            if deleting:
                formset.delete_existing(form.instance)
            else:
                formset.save_existing(form, form.instance)
        for form in formset.extra_forms:
            if form.has_changed() and not formset._should_delete_form(form):
                formset.save_new(form)
    return stale


# --- The list of plans ------------------------------------------------------------


@dataclass
class PlanPeriod:
    """One 3-year period and its revisions, newest first."""

    first_fy: int
    last_fy: int
    revisions: list[ManpowerPlan]

    @property
    def newest(self) -> ManpowerPlan:
        return self.revisions[0]


def manpower_plans_by_period(*, organization: Organization) -> list[PlanPeriod]:
    plans = (
        ManpowerPlan.objects.filter(organization=organization)
        .annotate(row_count=Count("rows"))
        .order_by("-first_fy", "-revision")
    )
    periods = [
        PlanPeriod(first_fy, first_fy + ManpowerPlan.YEARS - 1, list(revisions))
        for first_fy, revisions in groupby(plans, key=lambda plan: plan.first_fy)
    ]
    for period in periods:
        for plan in period.revisions:
            # Only an approved revision replaces a plan; a draft one is being prepared.
            plan.replaced = replacing_revision(plan, period.revisions) is not None
    return periods


def manpower_plan_suggested_first_fy(
    *, organization: Organization, today: dt.date | None = None
) -> int:
    """The period a new plan most likely covers: the one after the latest plan, or the
    standard cycle (2558–2560, 2561–2563, …) that contains the current fiscal year."""
    latest = (
        ManpowerPlan.objects.filter(organization=organization)
        .order_by("-first_fy")
        .values_list("first_fy", flat=True)
        .first()
    )
    if latest:
        return latest + ManpowerPlan.YEARS
    fy = current_fiscal_year(today)
    return 2558 + (fy - 2558) // ManpowerPlan.YEARS * ManpowerPlan.YEARS


def manpower_title_suggestions(*, organization: Organization) -> list[str]:
    """Position titles already in use, offered while typing a row: a row's title must
    match the staff's titles exactly for the comparison to find them."""
    titles = set(
        StaffMember.objects.filter(organization=organization).values_list(
            "position_title", flat=True
        )
    ) | set(Position.objects.filter(organization=organization).values_list("title", flat=True))
    return sorted((title for title in titles if title), key=thai_sort_key)


# --- Removing a unit ---------------------------------------------------------------


class UnitInUse(Exception):
    """The unit is still referred to and cannot be removed."""


def unit_delete(*, unit: Unit) -> None:
    """Remove a unit nothing refers to.

    Foreign keys to a unit are PROTECT, so ``delete()`` refuses those by itself; but
    Django drops many-to-many links silently — a project of a locked plan targeting the
    unit would lose part of its target group. Those are looked for here, through the
    model's relations, since this app cannot import the apps that link to it.
    """
    for relation in Unit._meta.related_objects:
        if (
            relation.many_to_many
            and relation.related_model._default_manager.filter(
                **{relation.field.name: unit}
            ).exists()
        ):
            raise UnitInUse(unit)
    try:
        unit.delete()
    except ProtectedError as error:
        raise UnitInUse(unit) from error
