"""The tokens of :class:`QuestionnaireStamp`: written anew by every edit of the
questionnaire's fixed data, read by each request to know whether the copy a process
keeps in memory (skills/services/questionnaire.py) is still current.

``global`` covers the frameworks (domains, statements, levels, groups, default
targets), ``org-<pk>`` an organisation's group rules, overrides and targets. The HR
services call :func:`questionnaire_changed` in their transaction; the signals cover
every other save or delete (the admin, the shell).
"""

from __future__ import annotations

import secrets

from django.db.models import Model, Subquery
from django.db.models.signals import post_delete, post_save

from skills.models import (
    DefaultTarget,
    Domain,
    Framework,
    GroupOverride,
    GroupRule,
    Item,
    Level,
    PersonnelGroup,
    QuestionnaireStamp,
    TargetLevel,
    TargetSheet,
)

GLOBAL = "global"

#: (global token, organisation token); None where nothing was ever edited.
Stamp = tuple[str | None, str | None]


def org_scope(organization_id: int) -> str:
    return f"org-{organization_id}"


def stamp_annotations(*, organization_id: int) -> dict[str, Subquery]:
    """Annotations that read the current tokens inside another query."""
    return {
        "questionnaire_global": Subquery(
            QuestionnaireStamp.objects.filter(scope=GLOBAL).values("token")[:1]
        ),
        "questionnaire_org": Subquery(
            QuestionnaireStamp.objects.filter(scope=org_scope(organization_id)).values("token")[:1]
        ),
    }


def stamp_of(annotated: Model) -> Stamp:
    """The tokens a query annotated with :func:`stamp_annotations` read."""
    return (annotated.questionnaire_global, annotated.questionnaire_org)  # type: ignore[attr-defined]


def questionnaire_stamp(*, organization_id: int) -> Stamp:
    """The current tokens, in one query."""
    tokens = dict(
        QuestionnaireStamp.objects.filter(
            scope__in=[GLOBAL, org_scope(organization_id)]
        ).values_list("scope", "token")
    )
    return (tokens.get(GLOBAL), tokens.get(org_scope(organization_id)))


def questionnaire_changed(*, organization_id: int | None = None) -> None:
    """Record that the data changed — the frameworks (``organization_id`` None) or an
    organisation's rules, overrides or targets — in one statement. Call it inside the
    edit's transaction, so the new token and the new data are seen together."""
    scope = GLOBAL if organization_id is None else org_scope(organization_id)
    QuestionnaireStamp.objects.bulk_create(
        [QuestionnaireStamp(scope=scope, token=secrets.token_hex(16))],
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["token", "changed_at"],
    )


# --- Signals: any save or delete of the data, wherever it comes from (the admin) -------

_FRAMEWORK_MODELS = (Framework, Domain, Item, Level, PersonnelGroup, DefaultTarget)
_ORGANIZATION_MODELS = (GroupRule, TargetLevel, TargetSheet, GroupOverride)


def _organization_id(instance: Model) -> int | None:
    if isinstance(instance, GroupOverride):
        return instance.staff_member.organization_id
    return instance.organization_id  # type: ignore[attr-defined]


def _on_change(sender: type[Model], instance: Model, **kwargs: object) -> None:
    organization_id = (
        None if isinstance(instance, _FRAMEWORK_MODELS) else _organization_id(instance)
    )
    origin = kwargs.get("origin")
    if origin is not None and origin is not instance:
        # A queryset's delete (or a cascade) sends one signal per row: one new token
        # per scope for the whole deletion is enough.
        done = origin.__dict__.setdefault("_questionnaire_changed", set())
        if organization_id in done:
            return
        done.add(organization_id)
    questionnaire_changed(organization_id=organization_id)


def signals_connect() -> None:
    """Connected once, from SkillsConfig.ready()."""
    for model in (*_FRAMEWORK_MODELS, *_ORGANIZATION_MODELS):
        uid = f"questionnaire-{model._meta.label_lower}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
