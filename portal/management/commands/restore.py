from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a folder written by `backup` into an EMPTY PostgreSQL database and media "
        "folder, then compare every table, sequence and file with the backup's checksums."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", type=Path, help="the backup folder")
        parser.add_argument(
            "--database-url",
            help="the empty database to restore into (default: DATABASE_URL)",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            help="the empty folder for the uploaded files (default: MEDIA_ROOT)",
        )

    def handle(self, *args, source: Path, database_url, media_root, **options) -> None:
        database = (
            environ.Env.db_url_config(database_url)
            if database_url
            else settings.DATABASES["default"]
        )
        if database["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("Restores need PostgreSQL (DATABASE_URL=postgres://…).")
        media_root = media_root or Path(settings.MEDIA_ROOT)
        try:
            backup_restore(source=source, database=database, media_root=media_root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {source} into database {database['NAME']} and {media_root}; "
                "every table, sequence and media file matches the backup."
            )
        )
