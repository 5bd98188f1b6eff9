"""What a request wrote to the project's tables, read from the SQL it ran: cheaper
than hashing every row before and after, and stricter (an UPDATE that happens to
leave the same values counts too). Sessions and login throttling are Django's and
django-axes' tables, not the project's, and are left out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

PROJECT_APPS = ("portal", "staff", "skills", "plans")
_TABLES = "|".join(PROJECT_APPS)
_WRITE = re.compile(rf'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?({_TABLES})_\w+', re.IGNORECASE)


@contextmanager
def project_writes() -> Iterator[list[str]]:
    """Yields a list that, when the block ends, holds the project-table writes run in it."""
    writes: list[str] = []
    with CaptureQueriesContext(connection) as captured:
        yield writes
    writes.extend(q["sql"][:200] for q in captured.captured_queries if _WRITE.match(q["sql"]))
