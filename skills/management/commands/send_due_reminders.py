"""``manage.py send_due_reminders``: queue today's automatic reminders of every open
round (``AssessmentRound.reminder_days``) for the worker. Run by a timer
(deploy/portal-reminders.timer); running it again the same day reminds nobody twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from skills.services import rounds_due_for_reminders
from skills.tasks import send_round_reminders


class Command(BaseCommand):
    help = "Queue today's automatic reminders of the open assessment rounds."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        due = rounds_due_for_reminders(today=today)
        for the_round in due:
            send_round_reminders.enqueue(the_round.pk, today.isoformat())
        self.stdout.write(f"{len(due)} round(s) with reminders due on {today.isoformat()}.")
