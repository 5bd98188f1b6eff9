from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump) and MEDIA_ROOT into a new folder, "
        "with a manifest of checksums that `restore` verifies."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the folder to create (default: var/backups/<date-time>)",
        )

    def handle(self, *args, output: Path | None, **options) -> None:
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("Backups need PostgreSQL (DATABASE_URL=postgres://…).")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        output = output or Path(settings.BASE_DIR) / "var" / "backups" / stamp
        try:
            manifest = backup_create(
                destination=output, database=database, media_root=Path(settings.MEDIA_ROOT)
            )
        except (BackupError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup in {output}: {len(manifest['database'])} tables and sequences, "
                f"{len(manifest['media'])} media files."
            )
        )
