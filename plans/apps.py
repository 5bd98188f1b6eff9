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

        # Its PDFs are stored documents, rendered by the worker from their parameters.
        from plans.views_documents import BUILDERS
        from portal.documents_store import register as register_document

        for kind, builder in BUILDERS.items():
            register_document(kind, builder)
