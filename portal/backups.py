"""Backups of the PostgreSQL database and the uploaded files, and their restore.

A backup is a folder with three files:

* ``database.dump`` — ``pg_dump --format=custom`` of the whole database;
* ``media.tar.gz`` — every file under MEDIA_ROOT (emblems, certificates);
* ``manifest.json`` — a checksum of every table (its rows in a fixed order) and
  sequence, and the SHA-256 of every media file, taken from the database and the files
  the dump was made from.

A restore goes into an empty database and an empty media folder, then takes the same
checksums there and compares them with the manifest: a restore that does not give back
exactly what was saved fails loudly instead of being found out on the day it is needed.
The PostgreSQL client tools (``pg_dump``, ``pg_restore``) of the server's major version
or newer must be on PATH (Debian: ``postgresql-client``).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tarfile
from pathlib import Path

import psycopg
from psycopg import sql

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot be trusted; the message says why."""


def _libpq_env(database: dict) -> dict[str, str]:
    """The client tools' connection settings, from a DATABASES entry (no password on
    the command line, where ``ps`` would show it)."""
    values = {
        "PGDATABASE": database.get("NAME"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": str(database.get("PORT") or ""),
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def _connect(database: dict) -> psycopg.Connection:
    return psycopg.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        autocommit=True,
    )


def _run(command: list[str], database: dict) -> None:
    result = subprocess.run(command, env=_libpq_env(database), capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def database_checksums(*, database: dict) -> dict[str, str]:
    """``{"table schema.name": "<rows> <md5>", "sequence schema.name": "<last value>"}``
    for every table and sequence outside the system schemas. Rows are hashed in the
    order of their text form, in UTC and ISO dates, so two databases holding the same
    data give the same checksums whatever their physical order."""
    checksums: dict[str, str] = {}
    with _connect(database) as connection:
        connection.execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'")
        relations = connection.execute(
            "SELECT n.nspname, c.relname, c.relkind FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'S') AND n.nspname NOT IN ('pg_catalog', "
            "'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2"
        ).fetchall()
        for schema, name, kind in relations:
            relation = sql.Identifier(schema, name)
            if kind == "S":
                query = sql.SQL("SELECT last_value::text || ' ' || is_called::text FROM {}")
                (value,) = connection.execute(query.format(relation)).fetchone()
                checksums[f"sequence {schema}.{name}"] = value
                continue
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' "
                "ORDER BY t::text COLLATE \"C\")), '') FROM {} AS t"
            )
            rows, digest = connection.execute(query.format(relation)).fetchone()
            checksums[f"table {schema}.{name}"] = f"{rows} {digest}"
    return checksums


def media_checksums(*, root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root``, by its path relative to it."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def backup_create(*, destination: Path, database: dict, media_root: Path) -> dict:
    """Write a backup folder (it must not exist yet); return its manifest."""
    destination = Path(destination)
    destination.mkdir(parents=True)
    # The checksums come before the dump: a write in between would make the restore
    # check fail, which is what a backup taken while someone edits deserves.
    manifest = {
        "database": database_checksums(database=database),
        "media": media_checksums(root=media_root),
    }
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={destination / DUMP}"], database)
    with tarfile.open(destination / MEDIA, "w:gz") as archive:
        for name in manifest["media"]:
            archive.add(Path(media_root) / name, arcname=name)
    (destination / MANIFEST).write_text(
        json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False)
    )
    return manifest


def _differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    return [
        f"{name}: saved {expected.get(name, 'nothing')}, restored {actual.get(name, 'nothing')}"
        for name in sorted(expected.keys() | actual.keys())
        if expected.get(name) != actual.get(name)
    ]


def backup_verify(*, source: Path, database: dict, media_root: Path) -> None:
    """Compare a database and media folder with a backup's manifest; raise
    :class:`BackupError` listing every table, sequence or file that differs."""
    manifest = json.loads((Path(source) / MANIFEST).read_text(encoding="utf-8"))
    differences = _differences(manifest["database"], database_checksums(database=database))
    differences += _differences(manifest["media"], media_checksums(root=media_root))
    if differences:
        raise BackupError("the restore differs from the backup:\n" + "\n".join(differences))


def backup_restore(*, source: Path, database: dict, media_root: Path) -> None:
    """Restore a backup into an empty database and media folder, then verify it."""
    source, media_root = Path(source), Path(media_root)
    with _connect(database) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    if tables:
        raise BackupError(f"database {database['NAME']} is not empty: restore into a new one")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty: restore into a new folder")
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(source / DUMP),
        ],
        database,
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA, "r:gz") as archive:
        archive.extractall(media_root, filter="data")  # no absolute paths, no "..", no links
    backup_verify(source=source, database=database, media_root=media_root)
