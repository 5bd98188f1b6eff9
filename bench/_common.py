"""What every benchmark script shares: the project on the path, settings from the
environment, and a throwaway database so a benchmark never touches real data.

Benchmarks are scripts, not tests: timings on a shared machine are noisy, so each script
reports medians of several runs and the query counts beside them.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
# bench/plans.py is named like the Django app: keep this folder off the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")


def throwaway_database(prefix: str) -> tuple[str, Callable[[], None]]:
    """Point DATABASE_URL at a new empty database next to the configured one (or a
    temporary SQLite file); return its URL and the function that drops it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        folder = tempfile.mkdtemp(prefix=f"{prefix}-")
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return os.environ["DATABASE_URL"], lambda: shutil.rmtree(folder, ignore_errors=True)
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))

    def drop() -> None:
        from django.db import connections

        try:  # older checkouts have no data version
            from portal.data_version import flush_process_writes
        except ImportError:
            pass
        else:
            # Now, not at exit: at exit it would reconnect to the dropped database.
            flush_process_writes()

        # Close first, then the pools: closing a connection hands it back to its pool,
        # and reading ``connection.pool`` makes a new pool when there is none (which
        # would then try to connect to the dropped database).
        connections.close_all()
        for connection in connections.all():
            if connection.settings_dict.get("OPTIONS", {}).get("pool"):
                connection.close_pool()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return os.environ["DATABASE_URL"], drop


def django_for_bench() -> None:
    """Set Django up on the throwaway database, migrate it and turn DEBUG off:
    production runs without it, and with it Django keeps every SQL statement in memory,
    which is not what we want to measure."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
