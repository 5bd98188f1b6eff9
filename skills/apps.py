from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = _("Digital skills")

    def ready(self) -> None:
        from portal.dashboard import register
        from skills.dashboard import skill_tasks

        register(skill_tasks)

        from skills.history import register_kinds

        register_kinds()
