"""Hypothesis profiles of the fuzz suite, chosen by ``HYPOTHESIS_PROFILE``: "ci" (the
default) is small and derandomised so a CI run is quick and reproducible; "nightly"
tries many more, random examples."""

from __future__ import annotations

import os

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
