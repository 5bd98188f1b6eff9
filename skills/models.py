"""Digital skills: the OCSC-based frameworks as versioned reference data, the
organisation's targets and group rules, assessment rounds and self-assessments.

The frameworks are loaded by a data migration. The questionnaire (the items) is the
portal's own, written on the OCSC framework; it is not the official OCSC tool, and the
default targets are our inference, which each organisation may change.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.history import OrganizationHistory
from portal.models import Organization
from portal.versioned import VersionedModel
from staff.choices import PersonnelType, PositionType
from staff.models import StaffMember

MIN_LEVEL = 0
MAX_LEVEL = 4


def in_scale(field: str, *, name: str) -> models.CheckConstraint:
    """The database's own check that a level is on the 0–4 scale."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": MIN_LEVEL}) & Q(**{f"{field}__lte": MAX_LEVEL}), name=name
    )


class Framework(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    first_year = models.PositiveIntegerField(_("in use from (BE)"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("skill framework")
        verbose_name_plural = _("skill frameworks")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class FrameworkPart(models.Model):
    """What a framework's domains and groups share: a short code (unique within the
    framework, declared by each as a constraint), a name and a place in the order."""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["framework", "order"]

    def __str__(self) -> str:
        return self.name


class Domain(FrameworkPart):
    """A skill domain (ด้าน) of a framework, e.g. Digital Literacy."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="domains", verbose_name=_("framework")
    )
    name_en = models.CharField(_("English name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_core = models.BooleanField(_("core for everyone"), default=True)
    recommended_methods = models.TextField(
        _("recommended ways to develop"),
        blank=True,
        help_text=_("Shown to a person with a gap in this domain while no plan addresses it."),
    )

    class Meta(FrameworkPart.Meta):
        verbose_name = _("skill domain")
        verbose_name_plural = _("skill domains")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="domain_code_unique")
        ]

    @property
    def display_name(self) -> str:
        """The name in the interface's language: the framework's English name in
        English, the Thai name otherwise (a page shows one language)."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Level(models.Model):
    """A step of the 0–4 scale, with what it means, shown while people answer."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="levels", verbose_name=_("framework")
    )
    value = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("skill level")
        verbose_name_plural = _("skill levels")
        ordering = ["framework", "value"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "value"], name="level_value_unique"),
            in_scale("value", name="level_value_in_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.name}"


class PersonnelGroup(FrameworkPart):
    """A group of people with the same expected digital skills (e.g. executives)."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="groups", verbose_name=_("framework")
    )

    class Meta(FrameworkPart.Meta):
        verbose_name = _("personnel group")
        verbose_name_plural = _("personnel groups")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="group_code_unique")
        ]


class Item(models.Model):
    """A can-do statement of a domain, answered on the level scale."""

    domain = models.ForeignKey(
        Domain, on_delete=models.CASCADE, related_name="items", verbose_name=_("domain")
    )
    text = models.TextField(_("statement"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["domain__order", "order"]

    def __str__(self) -> str:
        return self.text


class DefaultTarget(models.Model):
    """The portal's default target level for a group in a domain (inferred, not official)."""

    group = models.ForeignKey(PersonnelGroup, on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("target level"))

    class Meta:
        verbose_name = _("default target")
        verbose_name_plural = _("default targets")
        constraints = [
            models.UniqueConstraint(fields=["group", "domain"], name="default_target_unique"),
            in_scale("level", name="default_target_in_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.domain}: {self.level}"


class TargetLevel(models.Model):
    """The organisation's own target for a group in a domain, replacing the default."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="skill_targets"
    )
    group = models.ForeignKey(PersonnelGroup, on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("target level"))
    updated_at = models.DateTimeField(auto_now=True)

    history = OrganizationHistory(organization="organization_id")

    class Meta:
        verbose_name = _("target level")
        verbose_name_plural = _("target levels")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "group", "domain"], name="target_unique_in_org"
            ),
            in_scale("level", name="target_in_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.domain}: {self.level}"


class TargetSheet(VersionedModel):
    """The version of an organisation's target matrix for a framework.

    The matrix is edited and saved as a whole, and a cell left at the portal's default
    has no :class:`TargetLevel` row at all, so a version per row could not notice
    someone else setting such a cell: the guard is one version per organisation and
    framework, and the conflict shows the cells they changed (hidden initials)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="skill_target_sheets"
    )
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "framework"], name="target_sheet_unique_in_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.framework} v{self.version}"


class GroupRule(VersionedModel):
    """ "People of this kind belong to that group": the first matching rule (lowest
    priority number) decides. Every condition left empty matches everyone."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="skill_group_rules"
    )
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    priority = models.PositiveIntegerField(_("priority"), default=100)
    personnel_type = models.CharField(
        _("personnel type"), max_length=20, choices=PersonnelType.choices, blank=True
    )
    position_type = models.CharField(
        _("position type"), max_length=20, choices=PositionType.choices, blank=True
    )
    title_contains = models.CharField(
        _("position title contains"),
        max_length=100,
        blank=True,
        help_text=_("e.g. คอมพิวเตอร์ for นักวิชาการคอมพิวเตอร์ and เจ้าพนักงานคอมพิวเตอร์"),
    )
    group = models.ForeignKey(
        PersonnelGroup, on_delete=models.CASCADE, related_name="+", verbose_name=_("group")
    )

    history = OrganizationHistory(organization="organization_id")

    class Meta:
        verbose_name = _("group rule")
        verbose_name_plural = _("group rules")
        ordering = ["priority", "pk"]

    def __str__(self) -> str:
        return f"{self.priority}: {self.group}"

    def matches(self, person: StaffMember) -> bool:
        return (
            (not self.personnel_type or person.personnel_type == self.personnel_type)
            and (not self.position_type or person.position_type == self.position_type)
            and (not self.title_contains or self.title_contains in person.position_title)
        )


class GroupOverride(models.Model):
    """HR's decision that one person belongs to a group whatever the rules say."""

    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="skill_group_overrides"
    )
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(PersonnelGroup, on_delete=models.CASCADE, related_name="+")

    history = OrganizationHistory(organization="staff_member__organization_id")

    class Meta:
        verbose_name = _("group override")
        verbose_name_plural = _("group overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["staff_member", "framework"], name="one_override_per_framework"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_member} → {self.group}"


DEFAULT_REMINDER_DAYS = "7, 2"
#: Reminders are only useful while the round is running: at most this many days ahead.
MAX_REMINDER_DAYS = 365


def parse_reminder_days(text: str) -> list[int]:
    """``"7, 2"`` → ``[7, 2]`` (distinct, largest first); ValueError for anything else."""
    parts = [part.strip() for part in text.replace(" ", ",").split(",") if part.strip()]
    days = {int(part) for part in parts}  # ValueError on a non-number
    if any(not 0 <= day <= MAX_REMINDER_DAYS for day in days):
        raise ValueError(text)
    return sorted(days, reverse=True)


def validate_reminder_days(text: str) -> None:
    try:
        parse_reminder_days(text)
    except ValueError:
        raise ValidationError(
            _("Write whole numbers of days from 0 to %(max)s, separated by commas, e.g. 7, 2.")
            % {"max": MAX_REMINDER_DAYS},
            code="reminder_days",
        ) from None


class AssessmentRoundQuerySet(models.QuerySet):
    def for_listing(self) -> AssessmentRoundQuerySet:
        """With the framework and how many assessments are submitted or in draft."""
        return self.select_related("framework").annotate(
            submitted=models.Count(
                "assessments", filter=Q(assessments__status=Assessment.Status.SUBMITTED)
            ),
            drafts=models.Count(
                "assessments", filter=Q(assessments__status=Assessment.Status.DRAFT)
            ),
        )


class AssessmentRound(VersionedModel):
    """A period in which the organisation's staff assess themselves."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="assessment_rounds"
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="+", verbose_name=_("framework")
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    reminder_days = models.CharField(
        _("automatic reminders, days before closing"),
        max_length=50,
        blank=True,
        default=DEFAULT_REMINDER_DAYS,
        validators=[validate_reminder_days],
        help_text=_(
            "E-mail everyone who has not submitted this many days before the round "
            "closes, e.g. 7, 2. Leave empty for no automatic reminders."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentRoundQuerySet.as_manager()
    history = OrganizationHistory(organization="organization_id")

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2500) & Q(fiscal_year__lte=2700),
                name="round_fiscal_year_is_buddhist_era",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(
            _("Digital skill self-assessment, FY %(fy)s") % {"fy": self.fiscal_year}
        )

    def is_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def is_closed(self, today: dt.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.closes_on

    def is_upcoming(self, today: dt.date | None = None) -> bool:
        return (today or timezone.localdate()) < self.opens_on

    @property
    def reminder_day_list(self) -> list[int]:
        """The days before closing of the automatic reminders, largest first."""
        return parse_reminder_days(self.reminder_days)

    def reminder_dates(self) -> list[dt.date]:
        """The days the automatic reminders go out, earliest first (within the round)."""
        return sorted(
            day
            for day in {self.closes_on - dt.timedelta(days=n) for n in self.reminder_day_list}
            if day >= self.opens_on
        )

    def reminder_day_passed(self, today: dt.date | None = None) -> dt.date | None:
        """The latest automatic reminder day on or before ``today`` while the round is
        open, or None. The schedule reminds whoever has not been reminded since that
        day, so a day the job did not run (a machine off) is made up at its next run."""
        today = today or timezone.localdate()
        if not self.is_open(today):
            return None
        passed = [day for day in self.reminder_dates() if day <= today]
        return passed[-1] if passed else None

    def reminder_due(self, today: dt.date | None = None) -> bool:
        """Whether the automatic reminder has a day to serve today (see
        :meth:`reminder_day_passed`)."""
        return self.reminder_day_passed(today) is not None


class AssessmentQuerySet(models.QuerySet):
    def submitted(self) -> AssessmentQuerySet:
        return self.filter(status=Assessment.Status.SUBMITTED)


class Assessment(models.Model):
    """One person's self-assessment in one round."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In draft")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="assessments")
    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="assessments"
    )
    group = models.ForeignKey(
        PersonnelGroup,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The person's group when they last saved, so results stay stable."),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "staff_member"], name="one_assessment_per_round"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_assessment_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_member} · {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    #: Set by every save of the answer: the documents of a round key on the newest one
    #: (skills/views_pdf.py), since answers do not move the organisation's data version.
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item"),
            in_scale("level", name="answer_level_in_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.level}"


class RoundScores(models.Model):
    """The scores of a closed round's submitted self-assessments, worked out once from
    their answers (skills/services/results.py) so that its results, the plan checks
    and the suggestions do not read and score every answer again on each request.

    ``people`` is ``[[staff member id, group id, {domain id: score}], …]``. The gaps are
    not stored: they follow the targets, which HR may change after the round. The
    scores stand while ``key`` (closing date, assessments submitted, the latest of
    them) does; a round reopened and closed again is scored again."""

    round = models.OneToOneField(
        AssessmentRound, on_delete=models.CASCADE, related_name="scores", primary_key=True
    )
    key = models.CharField(max_length=100)
    people = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scores of a closed round")
        verbose_name_plural = _("scores of closed rounds")

    def __str__(self) -> str:
        return f"{self.round_id}: {len(self.people)}"


class QuestionnaireStamp(models.Model):
    """A token that changes whenever the questionnaire's fixed data changes: ``global``
    for the frameworks (domains, statements, levels, groups, default targets) and
    ``org-<pk>`` for an organisation's group rules, overrides and targets.

    Each worker process keeps the questionnaire in memory under the tokens it read
    (skills/questionnaire.py); an edit writes a new random token in the same
    transaction, so the next request of every worker, on every machine, sees it and
    loads the data again. A random token rather than a counter: a database restored
    from a backup brings back the token of the data it holds."""

    scope = models.CharField(_("scope"), max_length=40, primary_key=True)
    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("questionnaire stamp")
        verbose_name_plural = _("questionnaire stamps")

    def __str__(self) -> str:
        return f"{self.scope}: {self.token}"


class ReminderQuerySet(models.QuerySet):
    def for_listing(self) -> ReminderQuerySet:
        return self.select_related(
            "staff_member",
            "staff_member__unit",
            "staff_member__unit__parent",
            "staff_member__user",
            "sent_by",
        ).order_by("-sent_at", "pk")


class Reminder(models.Model):
    """A reminder to answer a round, given to one person: by e-mail (sent by the portal)
    or on the list HR prints and pastes into a chat. Rows are only ever added, each the
    record of one reminder, so they are their own history.

    A person is reminded at most once a day in a round (``sent_on``, the local date)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        LIST = "list", _("printed list / chat")

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="reminders")
    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="skill_reminders"
    )
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    email = models.EmailField(_("e-mail address"), blank=True)
    #: Who sent it; empty for the automatic schedule.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_on = models.DateField(_("sent on"))

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "staff_member", "sent_on"], name="one_reminder_a_day"
            ),
            models.CheckConstraint(
                condition=Q(channel="list") | ~Q(email=""), name="emailed_reminder_has_address"
            ),
        ]
        indexes = [models.Index(fields=["round", "-sent_at"], name="reminder_round_sent")]

    def __str__(self) -> str:
        return f"{self.staff_member} · {self.round} · {self.sent_on}"

    @property
    def is_automatic(self) -> bool:
        return self.sent_by_id is None
