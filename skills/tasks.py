"""The digital skills' background tasks (Django's tasks API, the django-tasks backport):
the automatic reminders of a round, queued by ``manage.py send_due_reminders`` and run
by the worker (README "Reminders")."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from skills.models import AssessmentRound
from skills.services import reminders_send_due


@task(queue_name="reminders")
def send_round_reminders(round_id: int, due_on: str) -> int:
    """Mail the automatic reminder of a round queued for ``due_on`` (ISO date), and
    return how many were sent. A task run after its day is over sends nothing: the
    next reminder day will."""
    if timezone.localdate() != dt.date.fromisoformat(due_on):
        return 0
    the_round = AssessmentRound.objects.select_related("organization").filter(pk=round_id).first()
    if the_round is None:  # removed since
        return 0
    return len(reminders_send_due(round=the_round).emailed)
