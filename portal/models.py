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
    public_page_enabled = models.BooleanField(
        _("public transparency page is on"),
        default=True,
        help_text=_(
            "When off, the public page and every published document under it answer “not found”."
        ),
    )

    history = OrganizationHistory(organization="id")

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
