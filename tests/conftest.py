"""Shared fixtures: the real content files, the real domain, and a dispatcher (trackers to go
with it: tests/helpers/sdk_trackers.py)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance.content import load_content
from bot.guidance.content.schema import Content
from tests.helpers import ROOT


@pytest.fixture(scope="session")
def herts() -> Content:
    """Hertfordshire's content, as the assistant loads it."""
    return load_content("hertfordshire")


@pytest.fixture(scope="session")
def hereford() -> Content:
    """Herefordshire's content (the second council)."""
    return load_content("herefordshire")


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The real domain, as the action server receives it."""
    return yaml.safe_load((ROOT / "domain.yml").read_text())


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """Collects what an action sends."""
    return CollectingDispatcher()
