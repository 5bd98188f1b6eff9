from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.history import OrganizationHistory
from portal.validators import validate_emblem
from portal.versioned import VersionedModel


class Organization(VersionedModel):
    """A local administration (อปท.). Every row of the portal's data belongs to one."""

    class Kind(models.TextChoices):
        SAO = "sao", _("Subdistrict Administrative Organization")
        SUBDISTRICT_MUNICIPALITY = "tambon_municipality", _("Subdistrict municipality")
        TOWN_MUNICIPALITY = "town_municipality", _("Town municipality")
        CITY_MUNICIPALITY = "city_municipality", _("City municipality")
        PAO = "pao", _("Provincial Administrative Organization")

    slug = models.SlugField(_("slug"), unique=True, help_text=_("Used in the public page address."))
    name_th = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.SAO)
    district = models.CharField(_("district"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    emblem = models.ImageField(
        _("emblem"), upload_to="emblems/", blank=True, validators=[validate_emblem]
    )
    announcement_header = models.ImageField(
        _("announcement header"),
        upload_to="emblems/",
        blank=True,
        validators=[validate_emblem],
        help_text=_(
            "The image at the top of announcements, such as the Garuda emblem. "
            "When empty, the organization's emblem is used."
        ),
    )
    mayor_name = models.CharField(_("chief executive's name"), max_length=200, blank=True)
    mayor_title = models.CharField(_("chief executive's title"), max_length=200, blank=True)
    clerk_name = models.CharField(_("permanent secretary's name"), max_length=200, blank=True)
    clerk_title = models.CharField(_("permanent secretary's title"), max_length=200, blank=True)
    # The indicator the staff dashboard measures each person's year against. Our
    # default is inferred (a common indicator: at least 20 hours a year, domain.md §1),
    # not a rule of the DLA, so the form says so and each organisation sets its own.
    development_hours_target = models.PositiveSmallIntegerField(
        _("development hours per person per year"),
        default=20,
        help_text=_(
            "The hours of development each person should have in a fiscal year, shown on "
            "their home page. The default of 20 is our inference from a common indicator, "
            "not a rule: set your organization's own."
        ),
    )
    public_page_enabled = models.BooleanField(
        _("public transparency page is on"),
        default=True,
        help_text=_(
            "When off, the public page and every published document under it answer “not found”."
        ),
    )

    # The data version moves on with every write: bookkeeping, not a change to keep.
    history = OrganizationHistory(organization="id", excluded_fields=["data_version"])
    #: Moved on by every write to the organisation's data (portal/data_version.py): a
    #: stored document is keyed by it, so knowing whether it is current costs no render.
    data_version = models.PositiveBigIntegerField(_("data version"), default=0, editable=False)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name_th"]

    def __str__(self) -> str:
        return self.name_th


class Role(models.TextChoices):
    HR = "hr", _("HR officer")
    EXECUTIVE = "executive", _("Executive")
    STAFF = "staff", _("Staff member")


class ChainPosition(models.TextChoices):
    """An executive's place in the approval chain of the development plan: the ปลัด
    reviews and proposes it, the นายก approves and signs it."""

    NONE = "", _("No position in the approval chain")
    CLERK = "clerk", _("Permanent secretary (reviews and proposes)")
    MAYOR = "mayor", _("Chief executive (approves)")


class Membership(models.Model):
    """A user's place in one organisation, with the role that decides what they see
    and, for an executive, their position in the approval chain."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    chain_position = models.CharField(
        _("position in the approval chain"),
        max_length=10,
        choices=ChainPosition.choices,
        blank=True,
        default=ChainPosition.NONE,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = OrganizationHistory(organization="organization_id")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__name_th", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_one_per_user_and_org"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_is_known"
            ),
            models.CheckConstraint(
                condition=models.Q(chain_position__in=ChainPosition.values),
                name="membership_chain_position_is_known",
            ),
            # Only an executive reviews or approves the plan.
            models.CheckConstraint(
                condition=models.Q(chain_position="") | models.Q(role=Role.EXECUTIVE),
                name="membership_chain_position_is_executive",
            ),
            # One ปลัด and one นายก an organisation: the plan book names them.
            models.UniqueConstraint(
                fields=["organization", "chain_position"],
                condition=~models.Q(chain_position=""),
                name="membership_one_holder_per_chain_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"

    @property
    def is_hr(self) -> bool:
        return self.role == Role.HR

    @property
    def is_executive(self) -> bool:
        return self.role == Role.EXECUTIVE

    @property
    def is_clerk(self) -> bool:
        return self.is_executive and self.chain_position == ChainPosition.CLERK

    @property
    def is_mayor(self) -> bool:
        return self.is_executive and self.chain_position == ChainPosition.MAYOR


def _document_path(document: RenderedDocument, filename: str) -> str:
    return f"documents/{document.organization_id}/{document.key[:2]}/{document.key}.pdf"


class RenderedDocument(models.Model):
    """A document rendered once and kept in storage (portal/documents_store.py).

    ``key`` names what the file is: for a live document, a digest of its kind, object,
    parameters, digits, its organisation's data version and the code that renders it;
    a frozen document (an approved plan's) may use a name of its own. The file, its
    size and SHA-256 are set together when the document is ready."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("key"), max_length=128, unique=True)
    kind = models.CharField(_("kind"), max_length=60)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="rendered_documents",
        verbose_name=_("organization"),
    )
    #: What the renderer needs to build the document again: its object's ids and options.
    params = models.JSONField(_("parameters"), default=dict)
    digits = models.CharField(_("digits"), max_length=10, default="thai")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("file"), upload_to=_document_path, blank=True, max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "kind"], name="document_org_kind")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "ready", "failed"]),
                name="document_status_is_known",
            ),
            # A ready document has its file, size and checksum; no other has a file.
            models.CheckConstraint(
                condition=(
                    models.Q(status="ready", size__isnull=False)
                    & ~models.Q(sha256="")
                    & ~models.Q(file="")
                )
                | (~models.Q(status="ready") & models.Q(file="")),
                name="document_ready_has_its_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.organization_id} · {self.get_status_display()}"
