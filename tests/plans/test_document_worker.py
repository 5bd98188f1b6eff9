"""The document worker for real: `manage.py document_worker` in its own process, on
the PostgreSQL test database, renders a document a request queued and stores it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse

from portal.models import RenderedDocument

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}{port}/{db['NAME']}"


def test_the_worker_process_renders_and_stores_a_queued_document(
    hr_client, plan, projects, settings, tmp_path
):
    # A draft: its documents are rendered live, through the queue (an approved plan's
    # are frozen when it is approved).
    if connection.vendor != "postgresql":
        pytest.skip("The production queue runs on PostgreSQL; SQLite renders inline.")
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "documents"],
        }
    }
    url = reverse("plans:annual_pdf", args=[plan.pk, 2567])
    waiting = hr_client.get(url)
    assert "กำลังจัดทำเอกสาร" in waiting.content.decode()

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(tmp_path),
        "TASKS_BACKEND": "database",
        "DEBUG": "1",
    }
    finished = subprocess.run(
        [sys.executable, "manage.py", "document_worker", "--batch", "--no-startup-delay"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr

    document = RenderedDocument.objects.get()
    assert document.status == RenderedDocument.Status.READY, document.error
    stored = Path(tmp_path, document.file.name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == document.sha256
    assert document.size == len(stored)
    download = hr_client.get(url)
    assert download["X-PDF-Cache"] == "hit"
    assert download.content == stored
