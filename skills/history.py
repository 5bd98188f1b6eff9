"""The kinds of skill settings whose history the history pages show."""

from __future__ import annotations

from django.urls import reverse

from portal.access import HR
from portal.history_log import HistoryKind, register
from skills.models import AssessmentRound, GroupOverride, GroupRule, TargetLevel


def _name(obj: object) -> str:
    return str(obj) if obj is not None else "–"


def register_kinds() -> None:
    register(
        HistoryKind(
            key="round",
            model=AssessmentRound,
            title=lambda row: str(row.instance),
            url=lambda row: (
                None if row.history_type == "-" else reverse("skills:round_detail", args=[row.id])
            ),
        )
    )
    register(
        HistoryKind(
            key="target",
            model=TargetLevel,
            title=lambda row: f"{_name(row.group)} · {_name(row.domain)}",
            url=lambda row: reverse("skills:targets"),
            select_related=("group", "domain"),
        )
    )
    register(
        HistoryKind(
            key="group_rule",
            model=GroupRule,
            title=lambda row: f"{row.priority}: {_name(row.group)}",
            url=lambda row: reverse("skills:groups"),
            url_roles=HR,
            select_related=("group",),
        )
    )
    register(
        HistoryKind(
            key="group_override",
            model=GroupOverride,
            title=lambda row: f"{_name(row.staff_member)} → {_name(row.group)}",
            url=lambda row: reverse("staff:detail", args=[row.staff_member_id]),
            select_related=("staff_member", "group"),
        )
    )
