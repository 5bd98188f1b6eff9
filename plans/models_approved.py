"""The approved documents of a plan revision (issue 14, README "Documents and the
worker"): kept in plans/models.py's namespace, in a module of their own for size."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import RenderedDocument


class ApprovedDocument(models.Model):
    """One document of a plan as the นายก approved it: the plan book, or the annual
    plan of one of its fiscal years. Its file is a :class:`RenderedDocument` under a
    key of its own (``approved:<plan>:<kind>:<fy>``), rendered once and never again:
    no change of data, code or date makes a new one."""

    class Kind(models.TextChoices):
        PLAN_BOOK = "plans.plan_book", _("Plan book")
        ANNUAL_PLAN = "plans.annual_plan", _("Annual plan")

    plan = models.ForeignKey(
        "plans.DevelopmentPlan",
        on_delete=models.CASCADE,
        related_name="approved_documents",
        verbose_name=_("plan"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    #: The annual plan's fiscal year; none for the plan book, which covers three.
    fiscal_year = models.PositiveIntegerField(_("fiscal year"), null=True, blank=True)
    # PROTECT: the signed record's file must not go with a clean-up of rendered files.
    document = models.OneToOneField(
        RenderedDocument,
        on_delete=models.PROTECT,
        related_name="approved_as",
        verbose_name=_("stored document"),
    )
    approved_at = models.DateTimeField(_("approved"))

    class Meta:
        verbose_name = _("approved document")
        verbose_name_plural = _("approved documents")
        ordering = ["plan", "kind", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=Q(fiscal_year__isnull=True),
                name="approved_document_one_book",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind", "fiscal_year"], name="approved_document_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(kind="plans.plan_book", fiscal_year__isnull=True)
                | Q(kind="plans.annual_plan", fiscal_year__isnull=False),
                name="approved_document_year_of_annual_plan_only",
            ),
        ]

    def __str__(self) -> str:
        year = f" {self.fiscal_year}" if self.fiscal_year else ""
        return f"{self.plan_id}: {self.get_kind_display()}{year}"
