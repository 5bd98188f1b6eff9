"""``manage.py document_worker``: django-tasks-db's ``db_worker`` with the portal's
limits (README "Documents and the worker").

- the queues ``documents`` and ``reminders`` (skills/tasks.py) by default, so
  every way of starting it (``make worker``, the systemd unit) runs both;
- it exits after ``DOCUMENT_WORKER_MAX_TASKS`` documents, or after a document that
  left its peak memory over ``DOCUMENT_WORKER_MAX_MEMORY_MB`` — its service manager
  (deploy/portal-worker.service) starts a fresh process, so a leak or one huge
  document never stays in memory;
- each document is failed after ``DOCUMENT_TIME_LIMIT`` seconds (portal/tasks.py).

Every option of ``db_worker`` is accepted (``--batch`` renders what is queued, then
exits).
"""

from __future__ import annotations

import logging
import resource
from typing import Any

from django.conf import settings
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger(__name__)


def peak_memory_mb() -> float:
    """This process's peak resident memory (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class LimitedWorker(db_worker.Worker):
    def __init__(self, *, max_memory_mb: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_memory_mb = max_memory_mb

    def run_task(self, db_task_result: Any) -> None:
        super().run_task(db_task_result)
        if self.max_memory_mb and peak_memory_mb() > self.max_memory_mb:
            logger.warning(
                "Peak memory %.0f MiB is over %d MiB: exiting for a fresh worker.",
                peak_memory_mb(),
                self.max_memory_mb,
            )
            self.running = False


class Command(db_worker.Command):
    help = "Render queued documents (django-tasks-db's db_worker with the portal's limits)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(
            queue_name="documents,reminders",
            max_tasks=settings.DOCUMENT_WORKER_MAX_TASKS or None,
            reload=False,
        )
        parser.add_argument(
            "--max-memory-mb",
            type=int,
            default=settings.DOCUMENT_WORKER_MAX_MEMORY_MB,
            help="Exit after a document that left the peak memory over this (0: never).",
        )

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        exclude_queues: str,
        max_memory_mb: int,
        reload: bool,
        **options: Any,
    ) -> None:
        # db_worker's own handle() builds its Worker by name; ours adds the memory
        # limit. No autoreload: a reload stops a document half-rendered.
        self.configure_logging(verbosity)
        worker = LimitedWorker(
            max_memory_mb=max_memory_mb,
            queue_names=queue_name.split(","),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
