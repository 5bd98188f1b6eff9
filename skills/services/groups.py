"""Which group a person belongs to (rules, overrides, the fallback) and the target
level each group should reach in each domain."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.history import history_bulk_record
from portal.models import Organization
from portal.versioned import StaleEdit, version_claim
from skills.models import (
    Assessment,
    DefaultTarget,
    Framework,
    GroupOverride,
    GroupRule,
    PersonnelGroup,
    TargetLevel,
    TargetSheet,
)
from skills.stamps import questionnaire_changed
from staff.choices import PersonnelType, PositionType
from staff.models import StaffMember

# --- Which group a person belongs to --------------------------------------------

# The default rules of reference §3 (inferred, editable per organisation). A rule is
# (priority, personnel type, position type, title contains, group code); empty = any.
DEFAULT_RULES: dict[str, list[tuple[int, str, str, str, str]]] = {
    "ocsc-2561": [
        (10, "", "", "คอมพิวเตอร์", "TECH"),
        (20, "", PositionType.EXECUTIVE, "", "EXEC"),
        (30, "", PositionType.DIRECTOR, "", "MGMT"),
        (40, "", PositionType.ACADEMIC, "", "ACAD"),
        (41, PersonnelType.TEACHER, "", "", "ACAD"),
        (42, PersonnelType.EDUCATION_PERSONNEL, "", "", "ACAD"),
        (43, PersonnelType.EXPERT_EMPLOYEE, "", "", "ACAD"),
        (50, "", PositionType.GENERAL, "", "SERV"),
        (51, PersonnelType.MISSION_EMPLOYEE, "", "", "SERV"),
        (60, PersonnelType.PERMANENT_EMPLOYEE, "", "", "OTHER"),
        (61, PersonnelType.GENERAL_EMPLOYEE, "", "", "OTHER"),
    ],
    "ocsc-2566": [
        (10, "", PositionType.EXECUTIVE, "คอมพิวเตอร์", "IT_EXEC"),
        (11, "", PositionType.DIRECTOR, "คอมพิวเตอร์", "IT_SUP"),
        (12, "", "", "คอมพิวเตอร์", "IT_OP"),
        (20, "", PositionType.EXECUTIVE, "", "NONIT_EXEC"),
        (30, "", PositionType.DIRECTOR, "", "NONIT_SUP"),
    ],
}
#: Who matches no rule falls in this group.
FALLBACK_GROUP = {"ocsc-2561": "OTHER", "ocsc-2566": "NONIT_OP"}


def _default_rules(*, organization: Organization, framework: Framework) -> list[GroupRule]:
    """The default rules as unsaved objects."""
    groups = {g.code: g for g in PersonnelGroup.objects.filter(framework=framework)}
    return [
        GroupRule(
            organization=organization,
            framework=framework,
            priority=priority,
            personnel_type=personnel_type,
            position_type=position_type,
            title_contains=title,
            group=groups[code],
        )
        for priority, personnel_type, position_type, title, code in DEFAULT_RULES.get(
            framework.code, []
        )
    ]


def _saved_rules(*, organization: Organization, framework: Framework) -> list[GroupRule]:
    return list(
        GroupRule.objects.filter(organization=organization, framework=framework).select_related(
            "group"
        )
    )


def group_rules_for(*, organization: Organization, framework: Framework) -> list[GroupRule]:
    """The rules in force: the organisation's own, or the defaults (unsaved) while it
    has none. Reading never writes."""
    return _saved_rules(organization=organization, framework=framework) or _default_rules(
        organization=organization, framework=framework
    )


def group_rules_ensure(*, organization: Organization, framework: Framework) -> list[GroupRule]:
    """The organisation's rules, saved from the defaults the first time HR edits them."""
    rules = _saved_rules(organization=organization, framework=framework)
    if rules:
        return rules
    with transaction.atomic():
        rules = GroupRule.objects.bulk_create(
            _default_rules(organization=organization, framework=framework)
        )
        history_bulk_record(rules, update=False, organization_id=organization.pk)
    questionnaire_changed(organization_id=organization.pk)  # bulk_create sends no signal
    return _saved_rules(organization=organization, framework=framework)


def group_rules_reset(*, organization: Organization, framework: Framework) -> None:
    """Back to the default rules; the open rounds follow."""
    with transaction.atomic():
        GroupRule.objects.filter(organization=organization, framework=framework).delete()
        group_rules_ensure(organization=organization, framework=framework)
        open_round_groups_refresh(organization=organization, framework=framework)


def group_rules_save(
    *,
    organization: Organization,
    framework: Framework,
    changed: Iterable[GroupRule],
    deleted: Iterable[GroupRule],
    expected_versions: Mapping[int, int | None] | None = None,
) -> None:
    """Store the rules HR edited (new or changed, unsaved) and delete the removed ones,
    all or nothing; the open rounds follow.

    With ``expected_versions`` (rule id → the version the officer opened), nothing is
    saved when someone saved any of those rules since: :class:`StaleEdit` carries
    their rules by id. The rules decide together (first match wins), so one stale
    rule stops the whole save."""
    changed, deleted = list(changed), list(deleted)
    with transaction.atomic():
        if expected_versions is not None:
            _rules_claim([*changed, *deleted], expected_versions)
        for rule in changed:
            rule.organization, rule.framework = organization, framework
            rule.save()
        for rule in deleted:
            rule.delete()
        open_round_groups_refresh(organization=organization, framework=framework)


def _rules_claim(rules: list[GroupRule], expected_versions: Mapping[int, int | None]) -> None:
    stale = {}
    for rule in rules:
        if rule.pk is None:
            continue
        try:
            version_claim(instance=rule, expected_version=expected_versions.get(rule.pk))
        except StaleEdit as error:
            stale[rule.pk] = error.current
    if stale:
        raise StaleEdit(stale)  # the caller's transaction takes the claims back


def group_override_set(
    *, person: StaffMember, framework: Framework, group: PersonnelGroup | None
) -> None:
    """Put the person in a group whatever the rules say, or (group None) let the rules
    decide again; the open rounds follow."""
    with transaction.atomic():
        if group is None:
            GroupOverride.objects.filter(staff_member=person, framework=framework).delete()
        else:
            GroupOverride.objects.update_or_create(
                staff_member=person, framework=framework, defaults={"group": group}
            )
        open_round_groups_refresh(organization=person.organization, framework=framework)


@dataclass(frozen=True)
class GroupMembership:
    """A person's group as the rules give it, HR's override if any, and the result."""

    person: StaffMember
    by_rule: PersonnelGroup
    override: PersonnelGroup | None

    @property
    def group(self) -> PersonnelGroup:
        return self.override or self.by_rule


@dataclass
class GroupResolver:
    """Decides people's groups in memory, after loading rules and overrides once."""

    framework: Framework
    rules: list[GroupRule]
    overrides: dict[int, PersonnelGroup]
    fallback: PersonnelGroup

    @classmethod
    def load(cls, *, organization: Organization, framework: Framework) -> GroupResolver:
        rules = group_rules_for(organization=organization, framework=framework)
        overrides = {
            o.staff_member_id: o.group
            for o in GroupOverride.objects.filter(
                framework=framework, staff_member__organization=organization
            ).select_related("group")
        }
        fallback = PersonnelGroup.objects.get(
            framework=framework, code=FALLBACK_GROUP.get(framework.code, "OTHER")
        )
        return cls(
            framework, sorted(rules, key=lambda r: (r.priority, r.pk or 0)), overrides, fallback
        )

    def group_of(self, person: StaffMember) -> PersonnelGroup:
        """``person``'s group; anything with the ``pk``, ``personnel_type``,
        ``position_type`` and ``position_title`` of a staff record will do (the groups
        page counts everyone from rows of those four)."""
        return self.overrides.get(person.pk) or self.by_rule(person)

    def by_rule(self, person: StaffMember) -> PersonnelGroup:
        for rule in self.rules:
            if rule.matches(person):
                return rule.group
        return self.fallback

    def membership(self, person: StaffMember) -> GroupMembership:
        return GroupMembership(person, self.by_rule(person), self.overrides.get(person.pk))


def open_round_groups_refresh(*, organization: Organization, framework: Framework) -> int:
    """After HR changes the group rules or an override, put the assessments of the open
    rounds in the groups the rules now give; closed rounds keep the group people had when
    they answered. Returns how many assessments moved."""
    today = timezone.localdate()
    assessments = list(
        Assessment.objects.filter(
            round__organization=organization,
            round__framework=framework,
            round__opens_on__lte=today,
            round__closes_on__gte=today,
        ).select_related("staff_member")
    )
    resolver = GroupResolver.load(organization=organization, framework=framework)
    moved = []
    for assessment in assessments:
        group = resolver.group_of(assessment.staff_member)
        if group.pk != assessment.group_id:
            assessment.group = group
            moved.append(assessment)
    Assessment.objects.bulk_update(moved, ["group"])
    return len(moved)


# --- Targets --------------------------------------------------------------------


def targets_default(*, framework: Framework) -> dict[tuple[int, int], int]:
    """(group id, domain id) → the portal's default target level."""
    return {
        (t.group_id, t.domain_id): t.level
        for t in DefaultTarget.objects.filter(group__framework=framework)
    }


def targets_for(*, organization: Organization, framework: Framework) -> dict[tuple[int, int], int]:
    """(group id, domain id) → target level: the organisation's own where it set one,
    the portal's default otherwise."""
    targets = targets_default(framework=framework)
    targets.update(
        {
            (t.group_id, t.domain_id): t.level
            for t in TargetLevel.objects.filter(
                organization=organization, group__framework=framework
            )
        }
    )
    return targets


def targets_version(*, organization: Organization, framework: Framework) -> int:
    """The version of the organisation's target matrix that an editor opens."""
    sheet = TargetSheet.objects.filter(organization=organization, framework=framework).first()
    return sheet.version if sheet else TargetSheet._meta.get_field("version").default


def targets_save(
    *,
    organization: Organization,
    framework: Framework,
    levels: Mapping[tuple[int, int], int],
    expected_version: int | None = None,
) -> int:
    """Store the organisation's targets; returns how many differ from the defaults.

    With ``expected_version`` (an officer's edit), refused with :class:`StaleEdit`
    (the current :class:`TargetSheet`) when someone saved the targets since; without it
    (going back to the defaults) the save always wins, and still counts as a save."""
    defaults = targets_default(framework=framework)
    with transaction.atomic():
        sheet, _created = TargetSheet.objects.get_or_create(
            organization=organization, framework=framework
        )
        if expected_version is None:
            TargetSheet.objects.filter(pk=sheet.pk).update(version=F("version") + 1)
        else:
            version_claim(instance=sheet, expected_version=expected_version)
        _target_levels_write(
            organization=organization,
            framework=framework,
            wanted={key: level for key, level in levels.items() if defaults.get(key) != level},
        )
        # bulk_create and the version's UPDATE send no signal.
        questionnaire_changed(organization_id=organization.pk)
    return TargetLevel.objects.filter(organization=organization, group__framework=framework).count()


def _target_levels_write(
    *, organization: Organization, framework: Framework, wanted: Mapping[tuple[int, int], int]
) -> None:
    """Only the cells that changed are written, so the history shows each target's
    level before and after (and a cell back at its default as removed)."""
    saved = {
        (t.group_id, t.domain_id): t
        for t in TargetLevel.objects.filter(organization=organization, group__framework=framework)
    }
    TargetLevel.objects.filter(pk__in=[t.pk for k, t in saved.items() if k not in wanted]).delete()
    changed = [t for k, t in saved.items() if k in wanted and t.level != wanted[k]]
    now = timezone.now()
    for target in changed:
        target.level, target.updated_at = wanted[(target.group_id, target.domain_id)], now
    TargetLevel.objects.bulk_update(changed, ["level", "updated_at"])
    history_bulk_record(changed, update=True, organization_id=organization.pk)
    created = TargetLevel.objects.bulk_create(
        TargetLevel(organization=organization, group_id=g, domain_id=d, level=level)
        for (g, d), level in wanted.items()
        if (g, d) not in saved
    )
    history_bulk_record(created, update=False, organization_id=organization.pk)
