"""Every staff import and export test reads messages in Thai and keeps its uploads in a
folder of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def thai():
    """Messages are checked in Thai, as the HR officer reads them."""
    with translation.override("th"):
        yield


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path) -> Path:
    """Uploads waiting for confirmation go to a folder of the test's own."""
    settings.VAR_DIR = tmp_path
    return tmp_path
