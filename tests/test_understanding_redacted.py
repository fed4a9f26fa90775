"""Redaction never changes what the assistant understands: the trained model reads each
held-out message (tests/nlu/heldout/, frozen, written blind) as typed and as redacted, and the
intent and the entities it finds (ages, districts, concerns) are the same.

Needs the model that `make test` trains first (models/assistant.tar.gz); without it the test
fails rather than skips.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.guidance.privacy import redact
from tests.helpers import ROOT
from tests.helpers.heldout import ordinary_messages

MODEL = Path(os.environ.get("MODEL_PATH", ROOT / "models" / "assistant.tar.gz"))


@pytest.fixture(scope="module")
def understand() -> Iterator[Callable[[str], tuple[str, list[tuple[str, Any]]]]]:
    """(intent, entities) from the trained model's NLU (one load for the module)."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))
    loop = asyncio.new_event_loop()

    def _understand(text: str) -> tuple[str, list[tuple[str, Any]]]:
        result = loop.run_until_complete(agent.parse_message(text))
        entities = sorted((e["entity"], str(e.get("value"))) for e in result.get("entities", []))
        return result["intent"]["name"], entities

    yield _understand
    loop.close()


def test_redaction_never_changes_the_understood_intent(understand) -> None:
    messages = [text for text, _ in ordinary_messages()]
    assert len(messages) >= 300
    differ = []
    for text in messages:
        redacted = redact(text)
        before = understand(text)
        after = before if redacted == text else understand(redacted)  # the model is pure
        if before != after:
            differ.append((text, redacted, before, after))
    assert not differ, differ
