"""Reading the history: entries with who, when, what and which fields from what to what.

The portal cannot import the apps built on it, so each app registers the kinds of
object whose history it keeps (:func:`register`) in its ``AppConfig.ready()``, with how
an entry of that kind is titled and linked. A page of entries costs a fixed number of
queries whatever its length: one union of every kind's historical rows for the page's
keys, then per kind present one query for its rows (each with the key of the row
before it) and one for those earlier rows, and one per related model named in a diff.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import CharField, OuterRef, Subquery, Value
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.access import current_membership
from portal.history import COMMAND_REASON, IMPORT_REASON
from portal.thai import date_short

PER_PAGE = 25

#: Fields no person needs in a diff: keys, counters and stamps the row already has.
SKIPPED_FIELDS = {"id", "version", "created_at", "updated_at", "organization"}

#: Words for the fields their models leave unnamed (Django would make English of them).
FIELD_LABELS: dict[str, Promise] = {
    "proposed_by": _("proposed by"),
    "proposed_at": _("proposed at"),
    "published_at": _("published at"),
    "confirmed_by": _("confirmed by"),
    "copied_from": _("copied from"),
    "plan": _("plan"),
    "project": _("project"),
    "staff_member": _("staff member"),
    "framework": _("framework"),
    "group": _("group"),
    "domain": _("skill domain"),
}

COMMANDS: dict[str, Promise] = {
    "create_organization": _("Organisation set up on the server"),
    "seed_demo": _("Demonstration data"),
}

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Removed")}


@dataclass(frozen=True)
class HistoryKind:
    """A kind of object whose history is kept, and how its entries read."""

    key: str
    model: type[models.Model]
    title: Callable[[Any], str]
    url: Callable[[Any], str | None] = lambda row: None
    #: The roles that may open the page ``url`` leads to; None: everyone who reads the
    #: history (the others see the entry without a link, never a link that answers 403).
    url_roles: tuple[str, ...] | None = None
    select_related: tuple[str, ...] = ()
    #: Field → how it reads for someone who may not see it (a citizen ID masked).
    private: dict[str, Callable[[Any], str]] = field(default_factory=dict)
    can_see_private: Callable[[HttpRequest], bool] = lambda request: False
    #: Field → how its value reads (codes in a list, which choices cannot label).
    formats: dict[str, Callable[[Any], str]] = field(default_factory=dict)

    @functools.cached_property
    def history_model(self) -> type[models.Model]:
        # Kept: simple-history's ``Model.history`` builds a new manager class on every
        # access (``from_queryset``), which cost the log page a fifth of its time.
        return self.model.history.model  # type: ignore[attr-defined]

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    def rows(self, organization_id: int) -> models.QuerySet:
        """Every historical row of this kind in the organisation."""
        return self.history_model.objects.filter(history_organization_id=organization_id)


_kinds: dict[str, HistoryKind] = {}


def register(kind: HistoryKind) -> HistoryKind:
    _kinds[kind.key] = kind
    return kind


def kinds() -> list[HistoryKind]:
    return list(_kinds.values())


def kind(key: str) -> HistoryKind:
    return _kinds[key]


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    kind: HistoryKind
    when: dt.datetime
    who: str
    action_code: str  # + created, ~ changed, - removed (simple-history's history_type)
    title: str
    url: str | None
    reason: str
    changes: list[FieldChange]

    @property
    def action(self) -> str:
        return str(ACTIONS.get(self.action_code, self.action_code))

    @property
    def when_text(self) -> str:
        return datetime_text(self.when)


def history_page(
    sources: Iterable[tuple[HistoryKind, models.QuerySet]],
    *,
    request: HttpRequest,
    page_number: Any = 1,
) -> Page:
    """One page of entries from ``sources`` (a kind and its filtered historical rows),
    newest first; ``page.object_list`` holds :class:`Entry` objects."""
    sources = list(sources)
    parts = [
        rows.order_by()
        .annotate(history_kind=Value(history_kind.key, output_field=CharField()))
        .values_list("history_id", "history_date", "history_kind")
        for history_kind, rows in sources
    ]
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    page = Paginator(union.order_by("-history_date", "-history_id"), PER_PAGE).get_page(page_number)
    page.object_list = _entries(list(page.object_list), request=request)
    return page


def _entries(keys: list[tuple[int, dt.datetime, str]], *, request: HttpRequest) -> list[Entry]:
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for history_id, _date, key in keys:
        ids_by_kind[key].append(history_id)
    pairs: dict[tuple[str, int], tuple[Any, Any]] = {}
    for key, ids in ids_by_kind.items():
        pairs.update(_rows_with_previous(_kinds[key], ids))
    labels = _related_labels(
        (_kinds[key], row, before) for (key, _id), (row, before) in pairs.items()
    )
    entries = []
    for history_id, _date, key in keys:
        row, before = pairs[(key, history_id)]
        entries.append(_entry(_kinds[key], row, before, labels, request))
    return entries


def _rows_with_previous(history_kind: HistoryKind, ids: list[int]) -> dict:
    model = history_kind.history_model
    previous = (
        model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    rows = list(
        model.objects.filter(history_id__in=ids)
        .select_related("history_user", *history_kind.select_related)
        .annotate(history_previous_id=Subquery(previous))
    )
    earlier = model.objects.in_bulk(
        [row.history_previous_id for row in rows if row.history_previous_id]
    )
    return {
        (history_kind.key, row.history_id): (row, earlier.get(row.history_previous_id))
        for row in rows
    }


def _shown_fields(history_kind: HistoryKind) -> list[models.Field]:
    return [
        f
        for f in history_kind.history_model.tracked_fields
        if f.name not in SKIPPED_FIELDS and not f.many_to_many
    ]


def _changed(history_kind: HistoryKind, row: Any, before: Any) -> list[models.Field]:
    fields = _shown_fields(history_kind)
    if row.history_type == "-":
        return []
    if row.history_type == "~" and before is not None:
        return [f for f in fields if getattr(row, f.attname) != getattr(before, f.attname)]
    return [f for f in fields if getattr(row, f.attname) not in (None, "", [], {})]


def _related_labels(items: Iterable[tuple[HistoryKind, Any, Any]]) -> dict:
    """(related model, pk) → its name, for every relation a diff on the page shows: one
    query per related model."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for history_kind, row, before in items:
        for f in _changed(history_kind, row, before):
            if f.is_relation:
                for version in (row, before):
                    value = getattr(version, f.attname, None) if version else None
                    if value is not None:
                        wanted[f.related_model].add(value)
    return {
        (model, pk): str(obj)
        for model, pks in wanted.items()
        for pk, obj in model._default_manager.in_bulk(pks).items()
    }


def _entry(history_kind: HistoryKind, row: Any, before: Any, labels: dict, request) -> Entry:
    show_private = history_kind.can_see_private(request)
    changes = []
    for f in _changed(history_kind, row, before):
        old = getattr(before, f.attname) if before is not None and row.history_type == "~" else None
        new = getattr(row, f.attname)
        shown = show_private or f.name not in history_kind.private

        def display(value: Any, f: models.Field = f, shown: bool = shown) -> str:
            if not shown and value not in (None, ""):
                return history_kind.private[f.name](value)
            return _display(history_kind, f, value, labels)

        changes.append(FieldChange(_field_label(f), display(old), display(new)))
    user = row.history_user
    return Entry(
        kind=history_kind,
        when=row.history_date,
        who=(user.get_full_name() or user.username) if user else "",
        action_code=row.history_type,
        title=history_kind.title(row),
        url=history_kind.url(row) if _may_open(history_kind, request) else None,
        reason=reason_display(row.history_change_reason),
        changes=changes,
    )


def _may_open(history_kind: HistoryKind, request: HttpRequest) -> bool:
    roles = history_kind.url_roles
    return roles is None or current_membership(request).role in roles


def _field_label(f: models.Field) -> str:
    if isinstance(f.verbose_name, Promise):
        return str(f.verbose_name)
    return str(FIELD_LABELS.get(f.name, f.verbose_name))


def _display(history_kind: HistoryKind, f: models.Field, value: Any, labels: dict) -> str:
    if value in (None, "", [], {}):
        return "–"
    if f.name in history_kind.formats:
        return history_kind.formats[f.name](value)
    if f.is_relation:
        return labels.get((f.related_model, value), "–")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.DateTimeField):
        return datetime_text(value)
    if isinstance(f, models.DateField):
        return date_short(value)
    if isinstance(f, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def datetime_text(value: dt.datetime) -> str:
    """A moment as the history shows it: its BE date and the time, in Thailand."""
    local = timezone.localtime(value)
    return f"{date_short(local.date())} {local:%H:%M}"


def reason_display(reason: str | None) -> str:
    if not reason:
        return ""
    if reason.startswith(IMPORT_REASON):
        return str(_("Import of %(file)s") % {"file": reason.removeprefix(IMPORT_REASON)})
    if reason.startswith(COMMAND_REASON):
        command = reason.removeprefix(COMMAND_REASON)
        return str(COMMANDS.get(command, _("A command run on the server")))
    return reason


def choices_format(choices: Iterable[tuple[Any, Any]]) -> Callable[[Any], str]:
    """How a list of codes reads: their labels, joined."""
    labels = {str(key): label for key, label in choices}

    def format_codes(values: Any) -> str:
        return ", ".join(str(labels.get(str(v), v)) for v in values)

    return format_codes


def register_portal_kinds() -> None:
    """The portal's own: organisations, memberships (roles) and accounts."""
    from django.contrib.auth.models import User

    from portal.accounts.models import ActivationCode
    from portal.models import Membership, Organization

    def username(user: Any) -> str:
        return user.username if user is not None else "–"

    register(HistoryKind(key="organization", model=Organization, title=lambda row: row.name_th))
    register(
        HistoryKind(
            key="membership",
            model=Membership,
            title=lambda row: f"{username(row.user)} · {row.get_role_display()}",
            select_related=("user",),
        )
    )
    register(HistoryKind(key="account", model=User, title=lambda row: row.username))
    register(
        HistoryKind(
            key="activation_code",
            model=ActivationCode,
            title=lambda row: username(row.user),
            select_related=("user",),
        )
    )
