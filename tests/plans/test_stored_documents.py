"""Documents rendered by a task and kept in storage (portal/documents_store.py): a
repeat download is a lookup and a file read, any write to the organisation's data
makes a new document, and with a queue (the database backend) the request answers at
once with a waiting page that turns into the download."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from plans import workflow
from plans.models import Project
from portal import data_version, documents_store, pdf
from portal.management.commands.document_worker import LimitedWorker
from portal.models import Organization, RenderedDocument
from tests.plans.conftest import approve, make_project

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "documents"]}
}
WAITING = "กำลังจัดทำเอกสาร"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def queued(settings, monkeypatch):
    """Documents go to the database queue, as in production. The worker's loop runs
    in this process, inside the test's transaction: its "close connections that have
    grown old" would close the test's own."""
    settings.TASKS = DATABASE_QUEUE
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker() -> None:
    """The worker's own run loop, in this process: everything queued, then it stops."""
    LimitedWorker(
        max_memory_mb=0,
        queue_names=["documents"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    ).run()


@pytest.fixture
def live_plan(plan, projects):
    """A plan not approved yet: its documents are rendered live (an approved plan's
    are its approved ones, tests/plans/test_frozen_documents.py)."""
    return plan


def book_url(plan) -> str:
    return reverse("plans:plan_pdf", args=[plan.pk])


def annual_url(plan) -> str:
    return reverse("plans:annual_pdf", args=[plan.pk, 2567])


def test_a_repeat_download_is_read_from_storage_without_rendering(
    hr_client, live_plan, monkeypatch
):
    first = hr_client.get(annual_url(live_plan))
    assert first["X-PDF-Cache"] == "miss"
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: pytest.fail("rendered again"))
    with CaptureQueriesContext(connection) as queries:
        second = hr_client.get(annual_url(live_plan))
    assert second["X-PDF-Cache"] == "hit"
    assert second.content == first.content
    document = RenderedDocument.objects.get()
    assert second["ETag"] == f'"{document.sha256}"'
    assert document.size == len(first.content)
    assert "private" in second["Cache-Control"]
    # Session, user, membership, the plan, the version and the document: no render.
    assert len(queries) <= 8


def test_a_change_to_the_data_makes_a_new_document(hr_client, live_plan, projects):
    hr_client.get(annual_url(live_plan))
    Project.objects.filter(pk=projects["ethics"].pk).update(name="โครงการที่เปลี่ยนชื่อแล้ว")
    response = hr_client.get(annual_url(live_plan))
    assert response["X-PDF-Cache"] == "miss"
    assert RenderedDocument.objects.count() == 2


def test_a_write_in_a_request_moves_only_its_organisations_version(
    hr_client, plan, projects, org_a, org_b
):
    before = dict(Organization.objects.values_list("pk", "data_version"))
    hr_client.get(reverse("plans:detail", args=[plan.pk]))
    assert dict(Organization.objects.values_list("pk", "data_version")) == before
    response = hr_client.post(reverse("plans:submit", args=[plan.pk]))
    assert response.status_code == 302
    after = dict(Organization.objects.values_list("pk", "data_version"))
    assert after == {**before, org_a.pk: before[org_a.pk] + 1}


def test_bulk_writes_count_as_writes_and_stored_documents_do_not():
    assert data_version.writes_data('UPDATE "plans_project" SET "name" = %s')
    assert data_version.writes_data('INSERT INTO "staff_staffmember" ("name") VALUES (%s)')
    assert data_version.writes_data('DELETE FROM "skills_assessment" WHERE "id" IN (%s)')
    # Answers and derived figures: the round's documents key on their answers instead.
    assert not data_version.writes_data('INSERT INTO "skills_answer" ("level") VALUES (%s)')
    assert not data_version.writes_data('INSERT INTO "skills_roundscores" ("key") VALUES (%s)')
    assert not data_version.writes_data('UPDATE "portal_rendereddocument" SET "status" = %s')
    assert not data_version.writes_data('UPDATE "django_session" SET "expire_date" = %s')
    assert not data_version.writes_data('SELECT * FROM "plans_project"')


def test_a_new_document_answers_at_once_with_a_waiting_page_then_the_file(
    hr_client, live_plan, queued
):
    waiting = hr_client.get(book_url(live_plan))
    assert waiting.status_code == 200
    assert waiting["Content-Type"].startswith("text/html")
    assert WAITING in waiting.content.decode()
    assert "no-store" in waiting["Cache-Control"]

    poll = hr_client.get(book_url(live_plan), headers={"HX-Request": "true"})
    fragment = poll.content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "<html" not in fragment
    assert "HX-Redirect" not in poll

    run_worker()
    ready = hr_client.get(book_url(live_plan), headers={"HX-Request": "true"})
    assert ready["HX-Redirect"] == book_url(live_plan)
    assert "hx-trigger" not in ready.content.decode()
    download = hr_client.get(book_url(live_plan))
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert RenderedDocument.objects.get().status == RenderedDocument.Status.READY


def test_two_requests_for_a_new_document_queue_it_once(hr_client, live_plan, queued):
    from django_tasks_db.models import DBTaskResult

    hr_client.get(book_url(live_plan))
    hr_client.get(book_url(live_plan))
    assert DBTaskResult.objects.count() == 1


def test_the_public_pdf_waits_the_same_way_for_anyone(
    client,
    plan,
    projects,
    queued,
    hr_user,
    clerk_user,
    executive_user,
    django_capture_on_commit_callbacks,
):
    # A published plan's documents are its approved ones (plans/frozen.py), queued
    # when the approval commits.
    with django_capture_on_commit_callbacks(execute=True):
        approve(plan, hr_user, clerk_user, executive_user)
    workflow.plan_publish(plan=plan, user=hr_user)
    url = reverse("plans_public:plan_pdf", args=[plan.organization.slug, plan.pk])
    waiting = client.get(url)
    assert waiting.status_code == 200 and WAITING in waiting.content.decode()
    run_worker()
    assert client.get(url).content.startswith(b"%PDF")


def test_a_failed_document_says_so_in_thai_and_can_be_tried_again(
    hr_client, live_plan, monkeypatch
):
    real = documents_store.builder_for("plans.annual_plan")

    def broken(params):
        raise RuntimeError("the data could not be read")

    monkeypatch.setitem(documents_store._BUILDERS, "plans.annual_plan", broken)
    failed = hr_client.get(annual_url(live_plan))
    assert failed.status_code == 200
    page = failed.content.decode()
    assert "จัดทำเอกสารไม่สำเร็จ" in page and "ลองอีกครั้ง" in page
    document = RenderedDocument.objects.get()
    assert document.status == RenderedDocument.Status.FAILED
    assert "could not be read" in document.error
    # Asking again shows the failure; only the button queues it again.
    monkeypatch.setitem(documents_store._BUILDERS, "plans.annual_plan", real)
    assert b"%PDF" not in hr_client.get(annual_url(live_plan)).content[:4]
    retried = hr_client.get(annual_url(live_plan) + "?retry=1")
    assert retried.content.startswith(b"%PDF")


def test_a_render_over_the_time_limit_is_failed_not_left_hanging(
    hr_client, live_plan, monkeypatch, settings
):
    settings.DOCUMENT_TIME_LIMIT = 1

    def slow(params):
        time.sleep(5)

    monkeypatch.setitem(documents_store._BUILDERS, "plans.annual_plan", slow)
    started = time.monotonic()
    response = hr_client.get(annual_url(live_plan))
    assert time.monotonic() - started < 4
    assert "ลองอีกครั้ง" in response.content.decode()
    assert "longer than 1 s" in RenderedDocument.objects.get().error


def test_a_document_whose_worker_died_is_shown_as_failed(hr_client, live_plan, queued):
    hr_client.get(book_url(live_plan))
    RenderedDocument.objects.update(started_at=timezone.now() - timedelta(hours=2))
    assert "ลองอีกครั้ง" in hr_client.get(book_url(live_plan)).content.decode()


def test_a_plan_of_many_projects_renders_in_the_worker(hr_client, plan, projects, queued):
    """The 2,000-project plan of bench/documents.py, at a size CI can afford."""
    for number in range(30):
        make_project(plan, f"โครงการพัฒนาที่ {number}", years={2567: (1000, [1])})
    assert hr_client.get(annual_url(plan)).status_code == 200
    run_worker()
    document = RenderedDocument.objects.get()
    assert document.status == RenderedDocument.Status.READY, document.error
    assert hr_client.get(annual_url(plan)).content.startswith(b"%PDF")
