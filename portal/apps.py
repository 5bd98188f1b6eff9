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

        # Every write to the portal's tables moves its organisation's data version on.
        from portal import data_version  # noqa: F401  (connects its watcher)

        # The stamp of the code that draws documents is read now, from the files this
        # process loaded, not later from files a deployment may have replaced since.
        from portal.documents_store import code_stamp

        code_stamp()
