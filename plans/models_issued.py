"""The issued period reports of a plan (issue 14, README "Documents and the worker"):
kept in plans/models.py's namespace, in a module of their own for size."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import RenderedDocument


class IssuedReport(models.Model):
    """One issue of a plan's 6-month progress report (ITA o24) or annual results report
    (o26): HR makes it the official record of its period once the period has ended
    (plans/issued.py). Its file is a :class:`RenderedDocument` under a key of its own
    (``issued:<plan>:<fy>:<period>:<number>``), rendered once, as of the period's
    end, and never again. A report issued again gets the next number, with the
    reason; every earlier issue stays, and downloads, as it was.

    No separate history: a row is never changed or deleted, and says itself who
    issued it, when and why."""

    class Period(models.TextChoices):
        PROGRESS = "progress", _("6-month progress")
        RESULTS = "results", _("Annual results")

    plan = models.ForeignKey(
        "plans.DevelopmentPlan",
        on_delete=models.CASCADE,
        related_name="issued_reports",
        verbose_name=_("plan"),
    )
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    number = models.PositiveIntegerField(_("issue number"))
    # PROTECT: the official record's file must not go with a clean-up of rendered files.
    document = models.OneToOneField(
        RenderedDocument,
        on_delete=models.PROTECT,
        related_name="issued_as",
        verbose_name=_("stored document"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuer"),
    )
    issued_at = models.DateTimeField(_("issued at"))
    reason = models.TextField(_("reason for issuing again"), blank=True)

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["plan", "fiscal_year", "period", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "fiscal_year", "period", "number"],
                name="issued_report_one_per_number",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="issued_report_number_from_1"),
            # The first issue needs no reason; any later one says why it was made.
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="issued_report_reissue_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.get_period_display()} {self.fiscal_year} #{self.number}"

    @property
    def first_half(self) -> bool:
        return self.period == self.Period.PROGRESS
