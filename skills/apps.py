from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = _("Digital skills")

    def ready(self) -> None:
        from portal.dashboard import register, register_steps
        from skills.dashboard import skill_steps, skill_tasks

        register(skill_tasks)
        register_steps(skill_steps)

        from skills.stamps import signals_connect

        signals_connect()

        from skills.history import register_kinds

        register_kinds()
