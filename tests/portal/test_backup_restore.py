"""The restore drill: back up the demo (database and uploaded files), restore it into a
fresh database and folder, and find every table, sequence and file unchanged."""

from __future__ import annotations

import shutil

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from portal import backups
from portal.demo import demo_seed

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the restore drill runs pg_dump/pg_restore: set DATABASE_URL=postgres://…",
    ),
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="pg_dump/pg_restore not on PATH (apt-get install postgresql-client)",
    ),
    # pg_dump is another process: it sees only committed rows.
    pytest.mark.django_db(transaction=True),
]


def _server_sql(statement: str) -> None:
    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    ) as server:
        server.execute(statement)


@pytest.fixture
def fresh_database():
    """An empty database next to the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    _server_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _server_sql(f'CREATE DATABASE "{name}"')
    yield {**connection.settings_dict, "NAME": name}
    _server_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def demo_with_uploads(settings, tmp_path):
    """The demo, with an uploaded emblem and a certificate-like file in a subfolder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    organization = demo_seed()
    organization.emblem.save("emblem.png", ContentFile(b"\x89PNG\r\n\x1a\n emblem"))
    (settings.MEDIA_ROOT / "certificates" / "2566").mkdir(parents=True)
    (settings.MEDIA_ROOT / "certificates" / "2566" / "ใบรับรอง.pdf").write_bytes(b"%PDF-1.7")
    return settings.MEDIA_ROOT


def test_the_demo_restores_into_a_fresh_database_unchanged_and_a_loss_is_noticed(
    demo_with_uploads, fresh_database, tmp_path
):
    call_command("backup", output=tmp_path / "backup")
    manifest = (tmp_path / "backup" / backups.MANIFEST).read_text(encoding="utf-8")
    assert '"table public.plans_project"' in manifest
    assert "certificates/2566/ใบรับรอง.pdf" in manifest

    restored_media = tmp_path / "restored-media"
    call_command(
        "restore",
        tmp_path / "backup",
        database_url=_url(fresh_database),
        media_root=restored_media,
    )

    original = backups.database_checksums(database=connection.settings_dict)
    assert int(original["table public.staff_staffmember"].split()[0]) > 0
    assert backups.database_checksums(database=fresh_database) == original
    assert backups.media_checksums(root=restored_media) == backups.media_checksums(
        root=demo_with_uploads
    )

    # The same check on a restore that lost a row and had a file changed.
    with backups._connect(fresh_database) as restored:
        restored.execute(
            "DELETE FROM portal_membership WHERE id = (SELECT min(id) FROM portal_membership)"
        )
    (restored_media / "certificates" / "2566" / "ใบรับรอง.pdf").write_bytes(b"%PDF-changed")
    with pytest.raises(backups.BackupError) as failure:
        backups.backup_verify(
            source=tmp_path / "backup", database=fresh_database, media_root=restored_media
        )
    assert "table public.portal_membership" in str(failure.value)
    assert "certificates/2566/ใบรับรอง.pdf" in str(failure.value)


def test_restore_refuses_a_database_that_is_not_empty(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", output=tmp_path / "backup")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", tmp_path / "backup", media_root=tmp_path / "elsewhere")


def _url(database: dict) -> str:
    host = database["HOST"] or "localhost"
    port = f":{database['PORT']}" if database["PORT"] else ""
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{host}{port}/{database['NAME']}"
