"""Settings come from the environment; production refuses to start without a key."""

import os
import subprocess
import sys

from django.conf import settings


def _run_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**base, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_without_a_secret_key_stops_with_a_clear_error():
    result = _run_with({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_a_secret_key_starts():
    result = _run_with({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.go.th"})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_thai_is_the_default_language_and_bangkok_the_time_zone():
    assert settings.LANGUAGE_CODE == "th"
    assert settings.TIME_ZONE == "Asia/Bangkok"
