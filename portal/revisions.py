"""What the documents that are approved and then revised have in common.

The manpower plan (staff) and the development plan (plans) are both 3-year documents
of an organisation, kept as a line of revisions: revision 0 is the document as first
approved, each later one starts as a copy of the one before, and an approved revision
is locked — it is the document that was signed. One abstract model, one status
vocabulary and one error class, so that both apps speak of them the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Organization


class RevisionError(ValidationError):
    """An action the document's state does not allow; the message is for the user."""

    def __str__(self) -> str:
        # The message itself, as the user reads it (ValidationError gives a list's repr).
        return " ".join(self.messages)


class RevisionStatus(models.TextChoices):
    """Every state a revised document can be in; a document may use only some of them
    (a manpower plan is never submitted, proposed or published in the portal)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class RevisedDocument(models.Model):
    """A 3-year document of one organisation, in one revision.

    ``version`` grows on every save of a document whose services check it in the
    UPDATE, so of two people editing the same revision the second save is refused
    instead of overwriting the first.
    """

    Status = RevisionStatus
    YEARS = 3
    #: States in which a revision is the signed document and may no longer change.
    LOCKED = (RevisionStatus.APPROVED, RevisionStatus.PUBLISHED)

    # Each document names its own way back from the organisation (see organization_field).
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    first_fy = models.PositiveIntegerField(
        _("first fiscal year"), help_text=_("Buddhist Era, e.g. 2564 for FY 2564–2566.")
    )
    revision = models.PositiveIntegerField(_("revision"), default=0)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_revision",
        verbose_name=_("previous revision"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-first_fy", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "first_fy", "revision"],
                name="%(app_label)s_%(class)s_revision_unique",
            ),
            models.CheckConstraint(
                condition=Q(first_fy__gte=2500) & Q(first_fy__lte=2700),
                name="%(app_label)s_%(class)s_first_fy_is_buddhist_era",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "published"]) | Q(approved_at__isnull=False),
                name="%(app_label)s_%(class)s_approved_has_date",
            ),
        ]

    @property
    def fiscal_years(self) -> list[int]:
        return [self.first_fy + i for i in range(self.YEARS)]

    @property
    def last_fy(self) -> int:
        return self.first_fy + self.YEARS - 1

    @property
    def period_label(self) -> str:
        return _("FY %(first)s–%(last)s") % {"first": self.first_fy, "last": self.last_fy}

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED

    @property
    def approved_date(self) -> dt.date | None:
        """The day of the approval where the organisation is (the signed date)."""
        return timezone.localdate(self.approved_at) if self.approved_at else None

    def period_revisions(self) -> models.QuerySet[Self]:
        """Every revision of this document's period, oldest first."""
        return (
            type(self)
            ._default_manager.filter(organization_id=self.organization_id, first_fy=self.first_fy)
            .order_by("revision")
        )

    def newer_revision(self) -> Self | None:
        """The newest revision of the same period when it is not this one."""
        return self.period_revisions().filter(revision__gt=self.revision).last()

    def check_revisable(self) -> None:
        """Refuse a new revision of anything but the newest revision, once approved: the
        history stays a single line, and a draft is edited rather than revised."""
        newer = self.newer_revision()
        if newer:
            raise RevisionError(
                _(
                    "Only the newest revision can be revised: revision %(n)s already "
                    "replaces this one."
                )
                % {"n": newer.revision}
            )
        if not self.is_locked:
            raise RevisionError(
                _("This revision is still a draft: edit it directly instead of making a new one.")
            )


def organization_field(*, related_name: str) -> models.ForeignKey:
    """The ``organization`` of a concrete document, with the reverse name it has always
    had (``organization.manpower_plans``); an abstract field can only derive it from the
    class name."""
    return models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=_("organization"),
    )


def approval_moment(day: dt.date) -> dt.datetime:
    """The start of ``day`` where the organisation is: an approval recorded by its
    date (signed on paper) as the moment ``approved_at`` stores."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


D = TypeVar("D", bound=RevisedDocument)


def replacing_revision(document: D, revisions: list[D]) -> D | None:
    """The newest approved revision of ``revisions`` (the document's period) that is
    newer than ``document``: only an approval replaces a document; a draft revision
    leaves the one in force as it is until it is approved."""
    newer = [r for r in revisions if r.revision > document.revision and r.is_locked]
    return max(newer, key=lambda r: r.revision, default=None)
