"""Pruning stored documents (portal/documents_cleanup.py, ``manage.py
documents_prune``): live documents of earlier days go with their files; an approved
plan's documents — the official record — stay, however old."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from portal.models import RenderedDocument


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def downloaded(client, url: str) -> RenderedDocument:
    assert client.get(url).status_code == 200
    return RenderedDocument.objects.order_by("-pk").first()


def age(document: RenderedDocument, days: int) -> None:
    RenderedDocument.objects.filter(pk=document.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def on_disk(document: RenderedDocument) -> bool:
    return (Path(settings.MEDIA_ROOT) / document.file.name).is_file()


def prune(*args: str) -> str:
    out = StringIO()
    call_command("documents_prune", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_live_document_of_three_days_ago_goes_with_its_file_and_todays_stays(
    plan, hr_user, client
):
    client.force_login(hr_user)
    old = downloaded(client, reverse("plans:plan_pdf", args=[plan.pk]))
    age(old, 3)
    new = downloaded(client, reverse("plans:annual_pdf", args=[plan.pk, plan.first_fy]))
    assert on_disk(old) and on_disk(new)

    assert "Deleted 1 documents (1 files" in prune()

    assert list(RenderedDocument.objects.values_list("pk", flat=True)) == [new.pk]
    assert not on_disk(old)
    assert on_disk(new)


@pytest.mark.django_db(transaction=True)
def test_an_approved_plans_documents_are_never_pruned(approved_plan, hr_user, client):
    client.force_login(hr_user)
    before = client.get(reverse("plans:plan_pdf", args=[approved_plan.pk])).content
    official = RenderedDocument.objects.filter(approved_as__plan=approved_plan)
    assert official.count() == 4
    official.update(created_at=timezone.now() - timedelta(days=3000))

    assert "Deleted 0 documents" in prune("--days", "1")

    assert official.count() == 4
    assert all(on_disk(document) for document in official)
    assert client.get(reverse("plans:plan_pdf", args=[approved_plan.pk])).content == before


def test_a_dry_run_counts_and_deletes_nothing(plan, hr_user, client):
    client.force_login(hr_user)
    old = downloaded(client, reverse("plans:plan_pdf", args=[plan.pk]))
    age(old, 5)

    assert "Would delete 1 documents (1 files" in prune("--dry-run")

    assert RenderedDocument.objects.filter(pk=old.pk).exists()
    assert on_disk(old)


def test_fewer_than_one_day_is_refused(db):
    with pytest.raises(CommandError):
        prune("--days", "0")
