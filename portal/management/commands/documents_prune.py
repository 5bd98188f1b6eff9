"""``manage.py documents_prune``: delete the stored live documents made more than
``--days`` days ago (default 2) and their files; approved and issued documents stay
(portal/documents_cleanup.py). Run daily by deploy/portal-prune.timer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.documents_cleanup import documents_prune


class Command(BaseCommand):
    help = "Delete stored live documents older than --days days (official records stay)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=2)
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args: Any, days: int, dry_run: bool, **options: Any) -> None:
        # A live document made today may still be served; one from yesterday could be
        # on a waiting page left open over midnight.
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        result = documents_prune(made_before=timezone.now() - timedelta(days=days), dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {result.documents} documents ({result.files} files, "
            f"{result.bytes / 1024 / 1024:.1f} MiB) made more than {days} days ago."
        )
