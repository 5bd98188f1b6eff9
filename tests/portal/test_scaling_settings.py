"""What the environment switches on for more than one machine (README "Scaling"): Redis
for the cache and sessions, an S3-compatible bucket for stored files, PgBouncer. Without them
nothing changes. The settings module is run afresh with the variables set; nothing here
talks to a network."""

import runpy
from pathlib import Path

import pytest
from django.utils.module_loading import import_string

SETTINGS = Path(__file__).resolve().parents[2] / "portal" / "settings.py"
BUCKET = {
    "AWS_STORAGE_BUCKET_NAME": "portal-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.go.th",
    "AWS_S3_REGION_NAME": "th-central-1",
    "AWS_ACCESS_KEY_ID": "bench-key-id",
    "AWS_SECRET_ACCESS_KEY": "bench-secret",
}
SCALING = ["REDIS_URL", *BUCKET, "CACHE_KEY_PREFIX", "AWS_LOCATION", "DATABASE_PGBOUNCER"]


@pytest.fixture
def settings_with(monkeypatch):
    def load(**variables: str) -> dict:
        for name in SCALING:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("SECRET_KEY", "x" * 50)
        monkeypatch.setenv("DEBUG", "0")  # the production shape
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS))

    return load


def test_without_redis_the_cache_is_the_process_memory_and_sessions_read_the_database(
    settings_with,
):
    settings = settings_with()

    assert settings["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert settings["SESSION_CACHE_READ_THROUGH"] is False


def test_redis_url_puts_the_cache_on_redis_and_sessions_read_through_it(settings_with):
    settings = settings_with(REDIS_URL="redis://cache.internal:6379/2")

    assert settings["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
        "KEY_PREFIX": "portal",
    }
    assert settings["SESSION_CACHE_READ_THROUGH"] is True
    assert settings["SESSION_ENGINE"] == "portal.accounts.sessions"


def test_without_a_bucket_files_stay_on_the_file_system_and_static_on_whitenoise(
    settings_with,
):
    storages = settings_with()["STORAGES"]

    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_a_bucket_puts_stored_files_on_s3_private_and_signed(settings_with):
    storages = settings_with(**BUCKET)["STORAGES"]

    media = storages["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    storage = import_string(media["BACKEND"])(**media["OPTIONS"])
    url = storage.url("certificates/2570/a.pdf")
    assert url.startswith("https://s3.example.go.th/portal-media/media/certificates/2570/a.pdf?")
    assert "Signature=" in url or "X-Amz-Signature=" in url
    assert media["OPTIONS"]["default_acl"] == "private"
    assert media["OPTIONS"]["file_overwrite"] is False
    # Static files stay with the code: the PDF renderer reads them from STATIC_ROOT.
    assert storages["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_behind_pgbouncer_django_pools_nothing_and_keeps_no_cursor_or_statement(
    settings_with,
):
    database = settings_with(
        DATABASE_URL="postgres://portal@pgbouncer:6432/portal", DATABASE_PGBOUNCER="1"
    )["DATABASES"]["default"]

    assert "pool" not in database["OPTIONS"]
    assert database["OPTIONS"]["prepare_threshold"] is None
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database["CONN_MAX_AGE"] == 60


def test_without_pgbouncer_postgresql_uses_djangos_own_pool(settings_with):
    database = settings_with(DATABASE_URL="postgres://portal@db:5432/portal")["DATABASES"][
        "default"
    ]

    assert database["OPTIONS"]["pool"]["max_size"] == 10
    assert database["CONN_MAX_AGE"] == 0
