from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Development plans")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(audience_fill_after_migrate, sender=self)

        # A person's skill result names the projects of the plan in force that close
        # their gaps; skills cannot import plans, so plans registers itself.
        from plans.development import projects_for
        from skills.development import register_provider

        register_provider(projects_for)

        from plans.dashboard import plan_steps, plan_tasks
        from portal.dashboard import register, register_steps

        register(plan_tasks)
        register_steps(plan_steps)

        from plans.dashboard import plan_figures
        from portal.dashboard import register_figures

        register_figures(plan_figures)

        # The public transparency page lists the published plans and their reports.
        from plans.transparency import published_documents
        from portal.public import register as register_public

        register_public(published_documents)

        # Each project's target group is stored; these keep it current when what it
        # depends on changes below plans (see plans/audience.py).
        from django.db.models.signals import post_delete, post_save

        from plans import audience
        from skills.models import GroupOverride, GroupRule
        from staff.models import StaffMember, Unit
        from staff.signals import staff_imported

        post_save.connect(audience.staff_member_saved, sender=StaffMember)
        staff_imported.connect(audience.staff_imported, sender=StaffMember)
        post_save.connect(audience.unit_saved, sender=Unit)
        for model, receiver in (
            (GroupRule, audience.group_rule_changed),
            (GroupOverride, audience.group_override_changed),
        ):
            post_save.connect(receiver, sender=model)
            post_delete.connect(receiver, sender=model)
        from plans.history import register_kinds

        register_kinds()
        # Its PDFs are stored documents, rendered by the worker from their parameters.
        from plans.views_documents import BUILDERS
        from portal.documents_store import register as register_document

        for kind, builder in BUILDERS.items():
            register_document(kind, builder)


def audience_fill_after_migrate(*, using: str = "default", **kwargs) -> None:
    """Store the target groups of the projects that have none stored yet: a database
    upgraded from before the table existed has projects and an empty table. Two small
    queries on every ``migrate``; after that, projects are kept current as they change
    (plans/audience.py)."""
    from plans.audience import organization_audience_refresh
    from plans.models import Project, ProjectAudience

    if ProjectAudience.objects.using(using).exists():
        return
    projects = Project.objects.using(using)
    for organization_id in sorted(set(projects.values_list("plan__organization_id", flat=True))):
        organization_audience_refresh(organization_id=organization_id)
