"""The portal's background tasks (Django's tasks API, the django-tasks backport): the
rendering of a stored document (portal/documents_store.py). Run by `manage.py
document_worker` with the database backend, or inside the request with the immediate
one (README "Documents and the worker")."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator

from django.conf import settings
from django_tasks import task

from portal import documents_store

logger = logging.getLogger(__name__)


class DocumentTimeout(Exception):
    """A document took longer than DOCUMENT_TIME_LIMIT to render."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` in the rendering after ``seconds``. WeasyPrint
    lays pages out in Python, so the alarm lands between two steps of it. Only the main
    thread receives signals: a render inside a threaded dev server runs unlimited (the
    worker and gunicorn's sync workers are main threads)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@task(queue_name="documents")
def render_document(key: str) -> str:
    """Render and store the document of ``key``; a failure is stored on its row (the
    waiting page shows it) and raised again so the task's own record says so too."""
    try:
        with time_limit(settings.DOCUMENT_TIME_LIMIT):
            document = documents_store.document_render(key=key)
    except DocumentTimeout:
        documents_store.document_fail(
            key=key, error=f"took longer than {settings.DOCUMENT_TIME_LIMIT} s"
        )
        raise
    except Exception as error:
        logger.exception("Rendering document %s failed", key)
        documents_store.document_fail(key=key, error=f"{type(error).__name__}: {error}")
        raise
    return document.sha256
