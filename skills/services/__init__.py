"""Work on digital skills that spans models, one module per feature:

- ``groups``: which group a person belongs to (rules, overrides) and the targets;
- ``assessment``: filling in and submitting a self-assessment, a person's result;
- ``results``: a round's progress and results, the gaps the plans app drafts from;
- ``reminders``: reminding those who have not submitted a round (by HR, or on schedule);
- ``compare``: a round against the previous round of the same framework.

The names are re-exported here so callers write ``from skills.services import …``
whichever module the code lives in.
"""

from skills.services.assessment import (
    DomainResult,
    assessment_result,
    assessment_save_answers,
    assessment_start,
    assessment_submit,
    framework_domains,
    frameworks_ensure,
    missing_domains,
    scoring_level_ok,
)
from skills.services.compare import (
    ORGANIZATION,
    CompareScope,
    CompareSections,
    DomainChange,
    RoundComparison,
    round_compare,
    round_compare_sections,
    round_previous,
)
from skills.services.groups import (
    DEFAULT_RULES,
    FALLBACK_GROUP,
    GroupMembership,
    GroupResolver,
    group_override_set,
    group_rules_ensure,
    group_rules_for,
    group_rules_reset,
    group_rules_save,
    open_round_groups_refresh,
    targets_default,
    targets_for,
    targets_save,
    targets_version,
)
from skills.services.reminders import (
    ReminderBatch,
    ReminderCandidate,
    ReminderError,
    reminder_candidates,
    reminder_list_text,
    reminders_send,
    reminders_send_due,
    rounds_due_for_reminders,
)
from skills.services.results import (
    GapCell,
    HeatCell,
    PersonScore,
    RoundProgress,
    RoundResults,
    UnitProgress,
    latest_closed_round,
    round_domain_gaps,
    round_gaps,
    round_progress,
    round_results,
)

__all__ = [
    "DEFAULT_RULES",
    "FALLBACK_GROUP",
    "ORGANIZATION",
    "CompareScope",
    "CompareSections",
    "DomainChange",
    "DomainResult",
    "GapCell",
    "GroupMembership",
    "GroupResolver",
    "HeatCell",
    "PersonScore",
    "ReminderBatch",
    "ReminderCandidate",
    "ReminderError",
    "RoundComparison",
    "RoundProgress",
    "RoundResults",
    "UnitProgress",
    "assessment_result",
    "assessment_save_answers",
    "assessment_start",
    "assessment_submit",
    "framework_domains",
    "frameworks_ensure",
    "group_override_set",
    "group_rules_ensure",
    "group_rules_for",
    "group_rules_reset",
    "group_rules_save",
    "latest_closed_round",
    "missing_domains",
    "open_round_groups_refresh",
    "reminder_candidates",
    "reminder_list_text",
    "reminders_send",
    "reminders_send_due",
    "round_compare",
    "round_compare_sections",
    "round_domain_gaps",
    "round_gaps",
    "round_previous",
    "round_progress",
    "round_results",
    "rounds_due_for_reminders",
    "scoring_level_ok",
    "targets_default",
    "targets_for",
    "targets_save",
    "targets_version",
]
