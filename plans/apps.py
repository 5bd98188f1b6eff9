from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Development plans")

    def ready(self) -> None:
        # A person's skill result names the projects of the plan in force that close
        # their gaps; skills cannot import plans, so plans registers itself.
        from plans.development import projects_for
        from skills.development import register_provider

        register_provider(projects_for)

        from plans.dashboard import plan_tasks
        from portal.dashboard import register

        register(plan_tasks)

        # The public transparency page lists the published plans and their reports.
        from plans.transparency import published_documents
        from portal.public import register as register_public

        register_public(published_documents)

        from plans.history import register_kinds

        register_kinds()
