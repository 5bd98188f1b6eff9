from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.history import OrganizationHistory
from portal.validators import validate_image


class Organization(models.Model):
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
        _("emblem"), upload_to="emblems/", blank=True, validators=[validate_image]
    )
    mayor_name = models.CharField(_("chief executive's name"), max_length=200, blank=True)
    mayor_title = models.CharField(_("chief executive's title"), max_length=200, blank=True)
    clerk_name = models.CharField(_("permanent secretary's name"), max_length=200, blank=True)
    clerk_title = models.CharField(_("permanent secretary's title"), max_length=200, blank=True)

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


class Membership(models.Model):
    """A user's place in one organisation, with the role that decides what they see."""

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
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"

    @property
    def is_hr(self) -> bool:
        return self.role == Role.HR

    @property
    def is_executive(self) -> bool:
        return self.role == Role.EXECUTIVE
