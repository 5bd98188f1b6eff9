"""Filling in a self-assessment (started on first visit, saved as the person goes,
then submitted) and the person's result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
from skills.services.groups import GroupResolver, targets_for
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
    resolver = GroupResolver.load(organization=round.organization, framework=round.framework)
    assessment, _created = Assessment.objects.get_or_create(
        round=round, staff_member=person, defaults={"group": resolver.group_of(person)}
    )
    return assessment


def _check_editable(assessment: Assessment) -> None:
    if not assessment.round.is_open():
        raise ValidationError(_("This round is closed: answers can no longer be changed."))


@transaction.atomic
def assessment_save_answers(*, assessment: Assessment, answers: Mapping[int, int]) -> None:
    """Save some answers (item id → level) as the person goes; the rest stay as they were.

    Items must belong to the round's framework; levels must be on the scale.
    """
    _check_editable(assessment)
    allowed = set(
        Item.objects.filter(domain__framework_id=assessment.round.framework_id).values_list(
            "pk", flat=True
        )
    )
    for item_id, level in answers.items():
        if item_id not in allowed:
            raise ValidationError(_("A statement does not belong to this questionnaire."))
        if not scoring_level_ok(level):
            raise ValidationError(_("Choose a level from 0 to 4."))
    for item_id, level in answers.items():
        Answer.objects.update_or_create(
            assessment=assessment, item_id=item_id, defaults={"level": level}
        )
    resolver = GroupResolver.load(
        organization=assessment.round.organization, framework=assessment.round.framework
    )
    assessment.group = resolver.group_of(assessment.staff_member)
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
    domains = framework_domains(assessment.round.framework)
    targets = targets_for(
        organization=assessment.round.organization, framework=assessment.round.framework
    )
    levels_by_item = dict(assessment.answers.values_list("item_id", "level"))
    results = []
    for domain in domains:
        levels = [levels_by_item[i.pk] for i in domain.items.all() if i.pk in levels_by_item]
        score = scoring.domain_score(levels)
        target = targets.get((assessment.group_id, domain.pk))
        results.append(DomainResult(domain, score, target, scoring.gap(target, score)))
    return results
