"""Integration tests start the real processes on free loopback ports, once per module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]

from procs import MODEL, unavailable  # noqa: E402


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The trained model (make train); integration tests need it."""
    if not MODEL.is_file():
        unavailable(f"no trained model at {MODEL}; run make train")
    return MODEL
