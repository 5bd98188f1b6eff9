"""The shared cast of every test (design §8): two organisations; in org A an HR
officer, an executive (the นายก, who approves plans) and a staff member, and for the
approval chain the ปลัด (``clerk_user``); in org B an HR officer — the outsider."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client

from portal.models import ChainPosition, Membership, Organization, Role

PASSWORD = "a-long-test-password-1"


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup, django_db_blocker):
    """On PostgreSQL the psycopg pool keeps connections open, also those a live
    server's thread took; end them all so the test database can be dropped."""
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
            if getattr(connection, "pool", None) is not None:
                connection.close_pool()
            connection.close()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The shared cast hashes four passwords per test; the real hasher is slow on
    purpose, which these tests do not need."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_questionnaire_cache():
    """Each test starts with no questionnaire in memory: a rolled-back test leaves no
    token behind, and SQLite reuses primary keys, so a copy kept from an earlier test
    could match a later one's empty tokens."""
    from skills.services.questionnaire import questionnaire_cache_clear

    questionnaire_cache_clear()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test leaves its entries
    behind, and SQLite reuses primary keys and data versions (the HR dashboard keeps
    the count of a plan's findings under them)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _documents_render_inline(settings):
    """Documents are rendered inside the request that asks (the immediate task
    backend), so a test reads the PDF from the response, on SQLite and PostgreSQL
    alike. Tests of the waiting page and of the worker switch to the database backend."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "documents", "reminders"],
        }
    }


@pytest.fixture(autouse=True)
def _private_pdf_cache(settings, tmp_path):
    """A PDF cache of the test's own: no rendered document leaks from one test (or one
    parallel worker) into another."""
    settings.CACHES = {
        **settings.CACHES,
        "pdf": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pdf-cache"),
        },
    }


def make_user(
    username: str,
    organization: Organization | None,
    role: str | None,
    *,
    position: str = ChainPosition.NONE,
    **names,
):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **names)
    if organization is not None:
        Membership.objects.create(
            user=user, organization=organization, role=role, chain_position=position
        )
    return user


@pytest.fixture
def org_a(db) -> Organization:
    return Organization.objects.create(
        slug="org-a",
        name_th="องค์การบริหารส่วนตำบลทดสอบเอ",
        short_name="อบต.ทดสอบเอ",
        district="อัมพวา",
        province="สมุทรสงคราม",
        mayor_name="นายนายก ทดสอบ",
        mayor_title="นายกองค์การบริหารส่วนตำบลทดสอบเอ",
        clerk_name="นางปลัด ทดสอบ",
        clerk_title="ปลัดองค์การบริหารส่วนตำบลทดสอบเอ",
    )


@pytest.fixture
def org_b(db) -> Organization:
    return Organization.objects.create(
        slug="org-b",
        name_th="องค์การบริหารส่วนตำบลทดสอบบี",
        short_name="อบต.ทดสอบบี",
        district="เมือง",
        province="สมุทรสาคร",
    )


@pytest.fixture
def hr_user(org_a):
    return make_user("hr_a", org_a, Role.HR, first_name="สุดา", last_name="ใจดี")


@pytest.fixture
def executive_user(org_a):
    return make_user(
        "exec_a",
        org_a,
        Role.EXECUTIVE,
        position=ChainPosition.MAYOR,
        first_name="ประเสริฐ",
        last_name="มั่นคง",
    )


@pytest.fixture
def clerk_user(org_a):
    return make_user(
        "clerk_a",
        org_a,
        Role.EXECUTIVE,
        position=ChainPosition.CLERK,
        first_name="วันชัย",
        last_name="รอบคอบ",
    )


@pytest.fixture
def staff_user(org_a):
    return make_user("staff_a", org_a, Role.STAFF, first_name="กมล", last_name="แก้วใส")


@pytest.fixture
def outsider_user(org_b):
    return make_user("hr_b", org_b, Role.HR, first_name="วิไล", last_name="นอกองค์กร")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hr_client(hr_user) -> Client:
    return _client_for(hr_user)


@pytest.fixture
def executive_client(executive_user) -> Client:
    return _client_for(executive_user)


@pytest.fixture
def clerk_client(clerk_user) -> Client:
    return _client_for(clerk_user)


@pytest.fixture
def staff_client(staff_user) -> Client:
    return _client_for(staff_user)


@pytest.fixture
def outsider_client(outsider_user) -> Client:
    return _client_for(outsider_user)
