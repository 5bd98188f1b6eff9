"""Hypothesis profiles of the fuzz suite, chosen by ``HYPOTHESIS_PROFILE``: "ci" (the
default) is small and derandomised so a CI run is quick and reproducible; "nightly"
tries many more, random examples."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.fuzz.world import world  # noqa: F401 (the module-scoped fixture)

# The database is seeded once per module and each example runs in the test's
# transaction: function-scoped fixtures are on purpose, and a request may be slow.
_QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci",
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_QUIET,
)
settings.register_profile("nightly", max_examples=200, deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(config, items):
    """The fuzz suite runs once per CI run, on PostgreSQL as in production (NUL bytes and
    integer ranges differ there); on SQLite it is skipped, saying so, to keep CI short.
    ``FUZZ_ON_SQLITE=1`` runs it there too."""
    from django.conf import settings as django_settings

    engine = django_settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine or os.environ.get("FUZZ_ON_SQLITE"):
        return
    skip = pytest.mark.skip(reason="the fuzz suite runs on PostgreSQL (FUZZ_ON_SQLITE=1 here)")
    for item in items:
        if "tests/fuzz/" in str(item.fspath):
            item.add_marker(skip)
