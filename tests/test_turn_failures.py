"""Faults inside a turn are recorded from the exception itself, once per turn."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot import internals
from bot.rasa_plugins import turn_failures


def test_turn_failures_are_collected_per_turn() -> None:
    turn_failures.record(turn_failures.STORE)  # outside a turn: ignored
    with turn_failures.collecting() as found:
        turn_failures.record(turn_failures.STORE)
    assert found == [turn_failures.STORE]
    with turn_failures.collecting() as found:
        pass
    assert found == []


def failing_run(err: Exception) -> Any:
    async def run(self: Any, *args: Any) -> list:
        raise err

    return turn_failures.recording_faults(run)


async def test_an_action_that_raises_is_recorded_and_raised_on() -> None:
    run = failing_run(RasaException("the action server is down"))
    with turn_failures.collecting() as found, pytest.raises(RasaException):
        await run(object(), None, None, None, None)
    assert found == [turn_failures.ACTION]


async def test_a_rejection_is_part_of_a_normal_turn() -> None:
    run = failing_run(ActionExecutionRejection("validate_referral_form"))
    with turn_failures.collecting() as found, pytest.raises(ActionExecutionRejection):
        await run(object(), None, None, None, None)
    assert found == []


async def test_installed_remote_actions_record_an_unreachable_action_server() -> None:
    internals.install()
    action = RemoteAction("action_x", EndpointConfig("http://127.0.0.1:9/webhook"))
    tracker = DialogueStateTracker("someone", [])
    with turn_failures.collecting() as found, pytest.raises(RasaException):
        await action.run(None, None, tracker, Domain.empty())
    assert found == [turn_failures.ACTION]


class FailingStore:
    async def retrieve(self, sender_id: str) -> Any:
        raise OSError("database down")

    async def retrieve_full_tracker(self, sender_id: str) -> Any:
        return "whole"

    async def save(self, tracker: Any) -> None:
        raise OSError("database down")


class GuardedStore(turn_failures.StoreFaultMixin, FailingStore):
    pass


async def test_store_faults_are_recorded_and_raised_on() -> None:
    store = GuardedStore()
    with turn_failures.collecting() as found:
        with pytest.raises(OSError):
            await store.retrieve("someone")
        with pytest.raises(OSError):
            await store.save(object())
        assert await store.retrieve_full_tracker("someone") == "whole"
    assert found == [turn_failures.STORE, turn_failures.STORE]
