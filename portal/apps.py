from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from portal import thai
        from portal.dashboard import profile_steps, register_steps

        thai.register_sqlite_collation()
        register_steps(profile_steps)

        # The organisation-wide history log reads the kinds each app registers.
        from portal.history_log import register_portal_kinds

        register_portal_kinds()
