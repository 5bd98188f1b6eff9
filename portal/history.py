"""Recording the history of every change (django-simple-history).

Each tracked model declares ``history = OrganizationHistory(organization=...)`` in its
app's models.py: a historical table beside it gets one row per create, change and
removal, with who (the request's user through HistoryRequestMiddleware), when, why
and every field's value. Each historical row also carries the id of the
organisation it belongs to, so that the organisation-wide log filters in SQL and a
row stays in its organisation's log after its parents are removed.

What signals do not see — ``QuerySet.update()``, ``bulk_create()`` and
``bulk_update()`` — is recorded explicitly with :func:`history_bulk_record`, in the
transaction of the write, so that a write rolled back leaves no history either.
Imports and management commands name themselves with :func:`history_context`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

#: The organisation of an instance: a path of attributes ("plan__organization_id") or
#: a function of the instance.
OrganizationOf = str | Callable[[models.Model], int | None]


@dataclass(frozen=True)
class HistoryContext:
    reason: str = ""
    user: Any = None


_context: ContextVar[HistoryContext | None] = ContextVar("history_context", default=None)


@contextmanager
def history_context(*, reason: str, user: Any = None) -> Iterator[None]:
    """Name the writes made inside (an import, a command) in their historical rows:
    the reason, and the user when no request says who."""
    token = _context.set(HistoryContext(reason=reason[:100], user=user))
    try:
        yield
    finally:
        _context.reset(token)


#: How an import names itself in the history; shown in words by the history pages.
IMPORT_REASON = "import:"


def import_reason(filename: str) -> str:
    return f"{IMPORT_REASON}{filename}"


#: How a management command names itself (no user: it is run on the server).
COMMAND_REASON = "command:"


def command_reason(name: str) -> str:
    return f"{COMMAND_REASON}{name}"


class OrganizationHistoryBase(models.Model):
    """What every historical row of the portal has besides the copied fields."""

    history_organization_id = models.IntegerField(null=True, db_index=True, editable=False)

    class Meta:
        abstract = True


def _path_resolver(path: str) -> Callable[[models.Model], int | None]:
    names = path.split("__")

    def resolve(instance: models.Model) -> int | None:
        value: Any = instance
        for name in names:
            value = getattr(value, name, None)
            if value is None:
                return None
        return value

    return resolve


class OrganizationHistory(HistoricalRecords):
    """``HistoricalRecords`` whose rows know their organisation."""

    def __init__(self, *, organization: OrganizationOf, **kwargs: Any) -> None:
        self.organization_of = (
            _path_resolver(organization) if isinstance(organization, str) else organization
        )
        kwargs.setdefault("bases", [OrganizationHistoryBase])
        super().__init__(**kwargs)

    def post_save(self, instance, created, using=None, **kwargs) -> None:
        # A save of excluded fields only (a login's last_login) changes nothing we keep.
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def create_history_model(self, model: type[models.Model], inherited: bool) -> type:
        history_model = super().create_history_model(model, inherited)
        history_model.organization_of = staticmethod(self.organization_of)
        return history_model


@receiver(pre_create_historical_record, dispatch_uid="portal_history_organization")
def _fill_history_row(sender, instance, history_instance, **kwargs) -> None:
    resolve = getattr(sender, "organization_of", None)
    if resolve is not None:
        history_instance.history_organization_id = resolve(instance) or _request_organization()
    context = _context.get()
    if context is not None:
        if not history_instance.history_change_reason:
            history_instance.history_change_reason = context.reason
        if history_instance.history_user_id is None and context.user is not None:
            history_instance.history_user = context.user


def _request_organization() -> int | None:
    """The organisation the request works in: the one of a row that cannot name its own
    (a login made before its membership)."""
    request = getattr(HistoricalRecords.context, "request", None)
    membership = getattr(request, "membership", None)
    return getattr(membership, "organization_id", None)


def history_bulk_record(
    objs: Iterable[models.Model],
    *,
    update: bool,
    organization_id: int | None = None,
    organization_of: Callable[[models.Model], int | None] | None = None,
    batch_size: int = 500,
) -> None:
    """Historical rows for objects written without signals (bulk or ``update()``),
    "changed" with ``update`` else "created", in one INSERT per batch. Call it inside
    the write's transaction. The organisation is ``organization_id``, else
    ``organization_of(obj)``, else the model's own way to find it."""
    objs = [obj for obj in objs if obj.pk is not None]
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history_model = type(objs[0]).history.model
    context = _context.get() or HistoryContext()
    user = context.user or history_model.get_default_history_user(objs[0])
    resolve = organization_of or history_model.organization_of
    fallback = organization_id or _request_organization()
    common = {
        "history_date": timezone.now(),
        "history_user_id": getattr(user, "pk", None),
        "history_change_reason": context.reason,
        "history_type": "~" if update else "+",
    }
    tracked = [field.attname for field in history_model.tracked_fields]
    _insert(
        history_model,
        [
            {
                **common,
                "history_organization_id": organization_id or resolve(obj) or fallback,
                **{name: getattr(obj, name) for name in tracked},
            }
            for obj in objs
        ],
        batch_size=batch_size,
    )


_PLAIN = (str, int, bool, type(None))


def _insert(history_model: type[models.Model], rows: list[dict[str, Any]], batch_size: int) -> None:
    """Write historical rows without a model instance each: COPY on PostgreSQL, one
    prepared INSERT executed many times elsewhere. Building instances and Django's
    per-value preparation made the history cost the 5,000-row staff import a sixth of
    its speed (bench/import_staff.py); plain values go as they are, others through
    their field."""
    connection = connections[router.db_for_write(history_model)]
    fields = [f for f in history_model._meta.concrete_fields if f.attname != "history_id"]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(history_model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}

    def prepared(field: models.Field, value: Any) -> Any:
        if type(value) in _PLAIN and field.attname not in json_fields:
            return value
        return field.get_db_prep_save(value, connection)

    values = ([prepared(f, row[f.attname]) for f in fields] for row in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: the fastest way in, in the same transaction as the write.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        values = list(values)
        for start in range(0, len(values), batch_size):
            cursor.executemany(sql, values[start : start + batch_size])


def history_record(instance: models.Model) -> None:
    """The "changed" row of one object written with ``QuerySet.update()`` (reload it first)."""
    history_bulk_record([instance], update=True)


def queryset_update_with_history(queryset: models.QuerySet, **changes: Any) -> int:
    """``queryset.update(**changes)`` and a "changed" row for every object it changed,
    all in one transaction; the rows are locked first so the two agree."""
    model = queryset.model
    with transaction.atomic():
        pks = list(queryset.select_for_update().values_list("pk", flat=True))
        if not pks:
            return 0
        count = queryset.filter(pk__in=pks).update(**changes)
        history_bulk_record(model._default_manager.filter(pk__in=pks), update=True)
    return count
