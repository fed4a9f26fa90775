"""Integration tests start the real processes on free loopback ports, once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.real_processes import MODEL
from tests.helpers.services import unavailable


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The trained model (make train); integration tests need it."""
    if not MODEL.is_file():
        unavailable(f"no trained model at {MODEL}; run make train")
    return MODEL
