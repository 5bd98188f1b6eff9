from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register

from portal.history import OrganizationHistory
from portal.models import Membership


class UserSession(AbstractBaseSession):
    """Django's database session plus the user it belongs to, indexed: "log out on all
    my devices" is then one DELETE by user instead of decoding every session row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from portal.accounts.sessions import SessionStore

        return SessionStore


class ActivationCodeQuerySet(models.QuerySet):
    def live(self) -> "ActivationCodeQuerySet":
        """Neither used nor revoked (an expired one is still live: it is the code the
        person holds, and is refused with its own message)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True)


class ActivationCode(models.Model):
    """A one-time code with which a person sets the password of an account HR made
    (portal/accounts/activation.py). Only a keyed hash of the code is kept: the code
    itself exists on the printed slip and, while it is issued, in memory."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activation_codes",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        "portal.Organization",
        on_delete=models.CASCADE,
        related_name="activation_codes",
        verbose_name=_("organization"),
    )
    # "<salt>$<hex HMAC-SHA256>": the salt makes two equal codes store differently.
    code_hash = models.CharField(_("code hash"), max_length=128)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ActivationCodeQuerySet.as_manager()
    # Never the hash: the history is read by more people than the code's holder.
    history = OrganizationHistory(organization="organization_id", excluded_fields=["code_hash"])

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Reissuing revokes the earlier code in the same transaction: a person never
            # holds two codes that both work.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="activation_code_one_live_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="activation_code_used_or_revoked_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


def user_organization(user: User) -> int | None:
    """A login's organisation: the one of its (first) membership."""
    return (
        Membership.objects.filter(user_id=user.pk)
        .order_by("pk")
        .values_list("organization_id", flat=True)
        .first()
    )


# The accounts (username, name, active or not) — never the password hash, nor the
# time of the last login (it would add a row per login).
register(
    User,
    app="portal.accounts",
    records_class=OrganizationHistory,
    organization=user_organization,
    excluded_fields=["password", "last_login"],
)
