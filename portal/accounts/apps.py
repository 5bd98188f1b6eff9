from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from portal.accounts.sessions import session_mark_refreshed

        user_logged_in.connect(session_mark_refreshed, dispatch_uid="session_mark_refreshed")
