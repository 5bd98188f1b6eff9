from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        from portal.dashboard import register_figures, register_steps
        from staff.dashboard import staff_figures, staff_steps

        register_steps(staff_steps)
        register_figures(staff_figures)
        from staff.history import register_kinds

        register_kinds()
