"""Removing live documents nobody will ask for again (README "Documents and the worker").

A live document's key holds the day it was made (portal/documents_store.py), so one
made before today is never served again: the next request makes a new one. Such rows
and their files would otherwise pile up in storage for ever. A document another record
keeps — an approved plan's, an issued report's: any relation to it declared with
``on_delete=PROTECT`` — is the official record and is never removed, however old.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import Q

from portal.models import RenderedDocument

#: Rows deleted per statement, files removed per batch.
BATCH = 500


@dataclass(frozen=True)
class PruneResult:
    documents: int
    files: int
    bytes: int


def kept_by_a_record() -> Q:
    """Documents some record protects. Read from the model's relations, so a new kind of
    official document (declared PROTECT) is kept without a change here."""
    kept = Q(pk__in=[])
    for relation in RenderedDocument._meta.related_objects:
        if relation.on_delete is models.PROTECT:
            kept |= Q(**{f"{relation.name}__isnull": False})
    return kept


def documents_prune(*, made_before: datetime, dry_run: bool = False) -> PruneResult:
    """Delete the live documents made before ``made_before`` and their files (or, with
    ``dry_run``, only count them)."""
    stale = RenderedDocument.objects.filter(created_at__lt=made_before).exclude(kept_by_a_record())
    if dry_run:
        return PruneResult(
            documents=stale.count(),
            files=stale.exclude(file="").count(),
            bytes=stale.aggregate(total=models.Sum("size"))["total"] or 0,
        )
    storage = RenderedDocument._meta.get_field("file").storage
    documents = files = size = 0
    while batch := list(stale.order_by("pk").values_list("pk", "file", "size")[:BATCH]):
        names = [name for _pk, name, _size in batch if name]
        with transaction.atomic():
            RenderedDocument.objects.filter(pk__in=[pk for pk, *_rest in batch]).delete()
            # The files go once the rows are gone for good: a rollback keeps both.
            transaction.on_commit(partial(_delete_files, storage, names))
        documents += len(batch)
        files += len(names)
        size += sum(each or 0 for *_rest, each in batch)
    return PruneResult(documents=documents, files=files, bytes=size)


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
