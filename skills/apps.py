from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = _("Digital skills")

    def ready(self) -> None:
        from portal.dashboard import register, register_figures, register_steps
        from skills.dashboard import skill_figures, skill_steps, skill_tasks

        register(skill_tasks)
        register_steps(skill_steps)
        register_figures(skill_figures)

        from skills.stamps import signals_connect

        signals_connect()

        from skills.history import register_kinds

        register_kinds()

        # Its PDFs are stored documents, rendered by the worker from their parameters.
        from portal.documents_store import register as register_document
        from skills.views_pdf import BUILDERS

        for kind, builder in BUILDERS.items():
            register_document(kind, builder)
