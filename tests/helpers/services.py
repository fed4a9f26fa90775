"""Services a test needs from the machine (PostgreSQL, Redis, a trained model): skip without
them on a developer machine, fail under REQUIRE_SERVICES=1 (CI)."""

from __future__ import annotations

import os
import socket

import pytest


def required() -> bool:
    """REQUIRE_SERVICES=1 (CI): a missing service or model fails instead of skipping."""
    return os.environ.get("REQUIRE_SERVICES", "").strip() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    """Skip with the reason, or fail when services are required."""
    if required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    """True if something accepts TCP connections there."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
