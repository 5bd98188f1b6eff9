"""Each organisation's data version: a number moved on by every write to its data, so
that a stored document (portal/documents_store.py) is known to be current by reading
one integer — without gathering the document's data or rendering its HTML.

Why a counter and not ``max(updated_at)`` over the tables a document reads: not every
table has ``updated_at`` (units, positions, project years, group rules…), a deletion
leaves no timestamp behind, and a document reads a dozen tables — a dozen queries per
download instead of none (the organisation is loaded anyway).

Why it watches SQL rather than model signals: imports and many services write with
``bulk_create``, ``QuerySet.update`` and ``delete``, which send no signals. An
execute wrapper sees every statement, whatever wrote it:

- in a request (the middleware), a statement that writes one of the portal's tables
  marks the request; when it ends, the organisation of the current membership moves
  on (every organisation when there is none: a superuser in the Django admin);
- outside a request (management commands, the shell, tests calling services), such a
  statement marks the process, and every organisation moves on at the next document
  lookup in that process, or when the process ends.

Moving on too often costs only a new render; missing a write would serve an old
document, so every doubt counts as a write.
"""

from __future__ import annotations

import atexit
import contextvars
import logging
import re
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import F
from django.http import HttpRequest, HttpResponse

from portal.models import Organization

logger = logging.getLogger(__name__)

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)
#: The tables of the portal's data: a write to any of them may change a document.
_DATA_PREFIXES = ("portal_", "staff_", "skills_", "plans_")
#: …except the stored documents themselves (and the version, written by us), and the
#: answers of a self-assessment: a step saved by every staff member of a round would
#: otherwise cost one more UPDATE each and make every document of the organisation
#: render anew. Only the round's own documents read open answers; they key on the
#: round's newest answer instead (skills/views_pdf.py); the plan's documents read
#: closed rounds, whose answers no longer change.
#: Tables of derived figures (a closed round's stored scores, the projects' stored
#: target groups, the questionnaire's tokens) are written when their sources change
#: or on a first read: their sources count, they do not.
#: Reminders to answer a round are in no document: sending them (by HR, or by the
#: worker for every organisation at once) must not make every document render anew.
_NOT_DATA = frozenset(
    {
        "portal_rendereddocument",
        "skills_answer",
        "skills_reminder",
        "skills_roundscores",
        "skills_questionnairestamp",
        "plans_projectaudience",
    }
)


class _Marks:
    """What a request (or the process, outside requests) wrote since it was cleared."""

    def __init__(self) -> None:
        self.wrote = False


_process = _Marks()
_request: contextvars.ContextVar[_Marks | None] = contextvars.ContextVar(
    "data_version_request", default=None
)
_bumping: contextvars.ContextVar[bool] = contextvars.ContextVar("data_version_bump", default=False)


def writes_data(sql: str) -> bool:
    match = _WRITE.match(sql)
    if match is None:
        return False
    table = match.group(1).lower()
    return table.startswith(_DATA_PREFIXES) and table not in _NOT_DATA


def _watch(execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
    if not _bumping.get() and writes_data(sql):
        (_request.get() or _process).wrote = True
    return execute(sql, params, many, context)


def watch(connection: Any, **kwargs: Any) -> None:
    """Install the watcher on a database connection (once; connection_created)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def organizations_bump(*, organization_ids: list[int] | None = None) -> None:
    """Move the data version of these organisations (all of them for ``None``) on."""
    token = _bumping.set(True)
    try:
        rows = Organization.objects.all()
        if organization_ids is not None:
            rows = rows.filter(pk__in=organization_ids)
        rows.update(data_version=F("data_version") + 1)
    finally:
        _bumping.reset(token)


def flush_process_writes() -> None:
    """Writes made outside a request in this process: move every organisation on."""
    if _process.wrote:
        _process.wrote = False
        organizations_bump()


def _flush_at_exit() -> None:
    try:
        flush_process_writes()
    except Exception:  # the database may be gone at exit (a test run's)
        logger.debug("Could not move the data versions on at exit", exc_info=True)


connection_created.connect(watch, dispatch_uid="portal.data_version.watch")
atexit.register(_flush_at_exit)


class DataVersionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        watch(connection)
        marks = _Marks()
        token = _request.set(marks)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if marks.wrote:
            membership = getattr(request, "membership", None)
            organization_id = membership.organization_id if membership else None
            organizations_bump(organization_ids=[organization_id] if organization_id else None)
        return response
