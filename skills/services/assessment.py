"""Filling in a self-assessment (started on first visit, saved as the person goes,
then submitted) and the person's result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from skills import scoring
from skills.models import Answer, Assessment, AssessmentRound, Domain, Framework, Item
from skills.reference import load_frameworks
from skills.services.questionnaire import Questionnaire, questionnaire_for
from staff.models import StaffMember


def frameworks_ensure() -> int:
    """Load any framework missing from the database (after a flush, for instance)."""
    return load_frameworks(lambda name: apps.get_model("skills", name))


def framework_domains(framework: Framework) -> list[Domain]:
    """The domains of a framework with their items, in order (two queries)."""
    return list(
        Domain.objects.filter(framework=framework)
        .order_by("order")
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("order")))
    )


def assessment_start(*, round: AssessmentRound, person: StaffMember) -> Assessment:
    """The person's assessment in this round, created (as a draft) on first visit."""
    existing = Assessment.objects.filter(round=round, staff_member=person).first()
    if existing:
        return existing
    if not round.is_open():
        raise ValidationError(_("This round is not open, so it cannot be filled in."))
    questionnaire = questionnaire_for(organization=round.organization, framework=round.framework)
    assessment, _created = Assessment.objects.get_or_create(
        round=round,
        staff_member=person,
        defaults={"group": questionnaire.resolver.group_of(person)},
    )
    return assessment


def _check_editable(assessment: Assessment) -> None:
    if not assessment.round.is_open():
        raise ValidationError(_("This round is closed: answers can no longer be changed."))


def assessment_save_answers(
    *,
    assessment: Assessment,
    answers: Mapping[int, int],
    questionnaire: Questionnaire | None = None,
) -> None:
    """Save some answers (item id → level) as the person goes; the rest stay as they were.

    Items must belong to the round's framework; levels must be on the scale. Every answer
    is checked first, then all are written in one statement (an upsert), so a bad one
    saves nothing. The person's group follows the rules in force (their record may have
    changed since); it is written only when it changed. ``questionnaire`` is the one the
    caller already holds (the step view), loaded otherwise.
    """
    _check_editable(assessment)
    round = assessment.round
    questionnaire = questionnaire or questionnaire_for(
        organization=round.organization, framework=round.framework
    )
    for item_id, level in answers.items():
        if item_id not in questionnaire.data.item_ids:
            raise ValidationError(_("A statement does not belong to this questionnaire."))
        if not scoring_level_ok(level):
            raise ValidationError(_("Choose a level from 0 to 4."))
    group = questionnaire.resolver.group_of(assessment.staff_member)
    moved = group.pk != assessment.group_id
    now = timezone.now()
    with transaction.atomic() if moved else nullcontext():
        Answer.objects.bulk_create(
            [
                Answer(assessment=assessment, item_id=item_id, level=level, updated_at=now)
                for item_id, level in answers.items()
            ],
            update_conflicts=True,
            unique_fields=["assessment", "item"],
            update_fields=["level", "updated_at"],
        )
        if moved:
            assessment.group = group
            assessment.save(update_fields=["group", "updated_at"])


def scoring_level_ok(level: object) -> bool:
    return isinstance(level, int) and 0 <= level <= 4


def missing_domains(assessment: Assessment, domains: Iterable[Domain]) -> list[Domain]:
    answered = set(assessment.answers.values_list("item_id", flat=True))
    return [d for d in domains if any(item.pk not in answered for item in d.items.all())]


@transaction.atomic
def assessment_submit(*, assessment: Assessment) -> None:
    """Submit once every statement has an answer. It stays editable while the round
    is open (a later save keeps it submitted)."""
    _check_editable(assessment)
    missing = missing_domains(assessment, framework_domains(assessment.round.framework))
    if missing:
        raise ValidationError(
            _("Answer every statement first. Still to do: %(domains)s.")
            % {"domains": ", ".join(d.name for d in missing)}
        )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])


# --- A person's result --------------------------------------------------------------


@dataclass(frozen=True)
class DomainResult:
    domain: Domain
    score: int | None
    target: int | None
    gap: int | None


def assessment_result(assessment: Assessment) -> list[DomainResult]:
    round = assessment.round
    questionnaire = questionnaire_for(organization=round.organization, framework=round.framework)
    levels_by_item = dict(assessment.answers.values_list("item_id", "level"))
    results = []
    for domain in questionnaire.domains:
        levels = [levels_by_item[i.pk] for i in domain.items.all() if i.pk in levels_by_item]
        score = scoring.domain_score(levels)
        target = questionnaire.targets.get((assessment.group_id, domain.pk))
        results.append(DomainResult(domain, score, target, scoring.gap(target, score)))
    return results
