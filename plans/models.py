"""The 3-year staff development plan, its projects and their yearly budgets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plans.choices import Area, Provider
from portal.history import OrganizationHistory
from portal.revisions import RevisedDocument, organization_field
from skills.models import Domain, PersonnelGroup
from staff.models import ManpowerPlan, StaffMember, Unit


@dataclass(frozen=True)
class CommitteeMember:
    """One line of the drafting committee: ``name | position | role``; the name may be
    left empty (printed as a dotted line to fill in by hand)."""

    name: str
    position: str
    role: str

    @classmethod
    def parse(cls, line: str) -> CommitteeMember | None:
        """None for a line not made of three parts."""
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3 or not (parts[1] or parts[2]):
            return None
        return cls(*parts)


def committee_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


class DevelopmentPlan(RevisedDocument):
    """แผนพัฒนาบุคลากร ๓ ปี in one revision, through the approval chain: HR drafts and
    submits it, the ปลัด proposes it, the นายก approves it, HR publishes it (each step
    also kept as a :class:`PlanStep`); its saves check ``version`` (see
    RevisedDocument)."""

    organization = organization_field(related_name="development_plans")
    title = models.CharField(_("title"), max_length=300)
    manpower_plan = models.ForeignKey(
        ManpowerPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development_plans",
        verbose_name=_("manpower plan"),
    )
    principles = models.TextField(_("principles and reasons"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    targets = models.TextField(_("targets"), blank=True)
    guidelines = models.TextField(_("development guidelines"), blank=True)
    monitoring = models.TextField(_("monitoring and evaluation"), blank=True)
    # What published plan books carry besides the parts the law asks for: the
    # organisation's vision and mission, a SWOT of its staff, and the committee that
    # drafted the plan (one member a line: name | position | role in the committee).
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    strengths = models.TextField(_("strengths of the staff"), blank=True)
    weaknesses = models.TextField(_("weaknesses of the staff"), blank=True)
    opportunities = models.TextField(_("opportunities"), blank=True)
    threats = models.TextField(_("threats"), blank=True)
    committee = models.TextField(_("drafting committee"), blank=True)
    # The announcement's one sentence on what the plan is made under: the organisation
    # checks it against the standard of its provincial committee (plans/texts.py).
    legal_basis = models.TextField(_("legal basis"), blank=True)
    # Who holds the plan now, step by step; cleared when it is sent back, so that the
    # plan book names only who signed off this version.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = OrganizationHistory(organization="organization_id")

    class Meta(RevisedDocument.Meta):
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        constraints = [
            *RevisedDocument.Meta.constraints,
            # The executive approves in the portal, so who approved is always known.
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "published"]) | Q(approved_by__isnull=False),
                name="approved_plan_records_who",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_plan_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_by__isnull=False),
                name="submitted_plan_records_who",
            ),
        ]

    def __str__(self) -> str:
        if self.revision:
            return str(_("%(title)s (revision %(n)s)") % {"title": self.title, "n": self.revision})
        return self.title

    @property
    def is_editable(self) -> bool:
        """Only a draft changes: what the ปลัด reviewed is what the นายก approves."""
        return self.status == self.Status.DRAFT

    @property
    def edit_refusal(self) -> str:
        """Why the plan cannot be changed now, as the user reads it; "" for a draft."""
        if self.is_locked:
            return str(_("This plan is approved and locked. Create a new revision to change it."))
        if not self.is_editable:
            return str(
                _(
                    "This plan is in the approval chain and cannot be changed now. To change "
                    "it, it must first be sent back to the HR officer as a draft."
                )
            )
        return ""

    @property
    def committee_members(self) -> list[CommitteeMember]:
        members = (CommitteeMember.parse(line) for line in committee_lines(self.committee))
        return [member for member in members if member is not None]

    @property
    def period_matches_manpower_plan(self) -> bool | None:
        """None when no manpower plan is linked."""
        if self.manpower_plan is None:
            return None
        return self.manpower_plan.first_fy == self.first_fy


class PlanStep(models.Model):
    """One step of a plan through the approval chain, kept for good: who took it,
    when, and the reason given when the plan was sent back."""

    class Kind(models.TextChoices):
        SUBMIT = "submit", _("Submitted for review")
        PROPOSE = "propose", _("Proposed for approval")
        SEND_BACK = "send_back", _("Sent back for changes")
        APPROVE = "approve", _("Approved")
        PUBLISH = "publish", _("Published")

    plan = models.ForeignKey(
        DevelopmentPlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("plan")
    )
    step = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(step__in=["submit", "propose", "send_back", "approve", "publish"]),
                name="plan_step_is_known",
            ),
            # Whoever sends a plan back tells HR what to change.
            models.CheckConstraint(
                condition=~Q(step="send_back") | ~Q(note=""), name="plan_step_send_back_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_step_display()} · {self.by}"


class ProjectQuerySet(models.QuerySet):
    def for_listing(self) -> ProjectQuerySet:
        return self.select_related("responsible_unit").prefetch_related(
            "years", "domains", "target_units", "target_groups", "target_people"
        )


class Project(models.Model):
    """A project or course (โครงการ/หลักสูตร) of a plan, with its target group.

    The target group is the union of the people named and the people who meet every
    rule that is set (personnel types, units, position types, levels, skill groups);
    a project with no rule and nobody named targets nobody.
    """

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="projects")
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("project or course"), max_length=300)
    area = models.CharField(_("development area"), max_length=20, choices=Area.choices)
    is_digital = models.BooleanField(_("digital skills"), default=False)
    methods = models.JSONField(_("methods"), default=list)
    objectives = models.TextField(_("objectives"), blank=True)
    indicators = models.TextField(_("indicators"), blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible unit"),
    )
    provider = models.CharField(
        _("provider"), max_length=20, choices=Provider.choices, default=Provider.IN_HOUSE
    )
    provider_name = models.CharField(_("provider name"), max_length=200, blank=True)
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="+", verbose_name=_("skill domains")
    )
    target_personnel_types = models.JSONField(_("personnel types"), default=list, blank=True)
    target_position_types = models.JSONField(_("position types"), default=list, blank=True)
    target_levels = models.JSONField(_("levels"), default=list, blank=True)
    target_units = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("units")
    )
    target_groups = models.ManyToManyField(
        PersonnelGroup, blank=True, related_name="+", verbose_name=_("skill groups")
    )
    target_people = models.ManyToManyField(
        StaffMember, blank=True, related_name="+", verbose_name=_("named people")
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The same project in the previous revision, to show what changed."),
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()
    history = OrganizationHistory(organization="plan__organization_id")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class ProjectAudience(models.Model):
    """One person of a project's target group, stored (plans/audience.py) so that the
    checks and the suggestions count and compare target groups in SQL instead of
    testing every person against every project's rules on each request. Only people
    working here (active) have rows; the rows follow the project's rules, the staff
    records, the units and the skill-group rules as they change."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="audience")
    staff_member = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("target group member")
        verbose_name_plural = _("target group members")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "staff_member"], name="one_audience_row_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.staff_member_id}"


class ProjectYear(models.Model):
    """A project in one fiscal year of the plan: planned or not, budget, quarters."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="years")
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    planned = models.BooleanField(_("planned"), default=False)
    budget = models.DecimalField(
        _("budget (baht)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    quarters = models.JSONField(_("quarters"), default=list, blank=True)

    history = OrganizationHistory(organization="project__plan__organization_id")

    class Meta:
        verbose_name = _("project year")
        verbose_name_plural = _("project years")
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "fiscal_year"], name="one_row_per_fy"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="budget_not_negative"),
            models.CheckConstraint(
                condition=Q(planned=True) | Q(budget=0), name="unplanned_year_has_no_budget"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.fiscal_year}"


class ProjectProgress(models.Model):
    """How a project went in one fiscal year (ITA o24 / o26)."""

    class Status(models.TextChoices):
        # A project's state, not a form's: "Done" is ดำเนินการแล้ว here, where a
        # self-assessment "Submitted" is ส่งแล้ว.
        NOT_STARTED = "not_started", pgettext_lazy("project status", "Not started")
        IN_PROGRESS = "in_progress", pgettext_lazy("project status", "In progress")
        DONE = "done", pgettext_lazy("project status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("project status", "Cancelled")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress")
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    actual_spend = models.DecimalField(
        _("actual spend (baht)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    result = models.TextField(_("result against the indicators"), blank=True)
    issues = models.TextField(_("problems and obstacles"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = OrganizationHistory(organization="project__plan__organization_id")

    class Meta:
        verbose_name = _("project progress")
        verbose_name_plural = _("project progress")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "fiscal_year"], name="one_progress_per_project_and_fy"
            ),
            models.CheckConstraint(condition=Q(actual_spend__gte=0), name="spend_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.fiscal_year}: {self.get_status_display()}"


def certificate_path(instance: DevelopmentRecord, filename: str) -> str:
    # Never the uploader's file name in the path: a random name under the organisation.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"certificates/{instance.staff_member.organization_id}/{uuid.uuid4().hex}{suffix}"


class DevelopmentRecord(models.Model):
    """One person's development: attendance of a project of the plan, or an external
    course they report themselves (confirmed by HR)."""

    class Result(models.TextChoices):
        PASSED = "passed", _("Completed / passed")
        ATTENDED = "attended", _("Attended")
        NOT_PASSED = "not_passed", _("Did not pass")
        ABSENT = "absent", _("Did not attend")

    class Source(models.TextChoices):
        PROJECT = "project", _("Project of the plan")
        EXTERNAL = "external", _("External course")

    staff_member = models.ForeignKey(
        StaffMember,
        on_delete=models.CASCADE,
        related_name="development_records",
        verbose_name=_("staff member"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("project"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    course_name = models.CharField(_("course name"), max_length=300, blank=True)
    provider_name = models.CharField(_("provider"), max_length=200, blank=True)
    area = models.CharField(_("development area"), max_length=20, choices=Area.choices, blank=True)
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="+", verbose_name=_("skill domains")
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0"))],
    )
    result = models.CharField(
        _("result"), max_length=20, choices=Result.choices, default=Result.ATTENDED
    )
    certificate = models.FileField(
        _("certificate"), upload_to=certificate_path, blank=True, max_length=200
    )
    report = models.TextField(_("what I learned and will apply"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = OrganizationHistory(organization="staff_member__organization_id")

    class Meta:
        verbose_name = _("development record")
        verbose_name_plural = _("development records")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__gte=models.F("started_on")), name="record_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="record_hours_not_negative"),
            models.CheckConstraint(
                condition=(Q(source="project") & Q(project__isnull=False))
                | (Q(source="external") & Q(project__isnull=True) & ~Q(course_name="")),
                name="record_is_a_project_or_a_named_course",
            ),
            models.UniqueConstraint(
                fields=["staff_member", "project", "fiscal_year"],
                condition=Q(source="project"),
                name="one_attendance_per_project_and_fy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_member} · {self.title}"

    @property
    def title(self) -> str:
        return self.project.name if self.project_id else self.course_name

    @property
    def is_confirmed(self) -> bool:
        """Attendance HR records is confirmed by nature; a reported course once HR checks it."""
        return self.source == self.Source.PROJECT or self.confirmed_at is not None


class SuggestionDismissal(models.Model):
    """HR said no to a drafted suggestion; it is not proposed again for this plan."""

    plan = models.ForeignKey(
        DevelopmentPlan, on_delete=models.CASCADE, related_name="dismissed_suggestions"
    )
    key = models.CharField(max_length=100)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="dismissal_unique_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.key}"


# Last: they refer to the plan by name and only need to be in this module's namespace.
from plans.models_approved import ApprovedDocument  # noqa: E402, F401
from plans.models_issued import IssuedReport  # noqa: E402, F401
