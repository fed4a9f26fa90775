"""The production lock store: a turn waiting behind a crashed instance's lock goes ahead."""

from __future__ import annotations

import asyncio
import secrets
import time

import pytest
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_plugins.lock_store import RedisTicketLockStore
from tests.helpers.services import port_open, unavailable


@pytest.fixture
def endpoint() -> EndpointConfig:
    if not port_open("127.0.0.1", 6379):
        unavailable("Redis is not listening on 127.0.0.1:6379")
    return EndpointConfig(type="bot.rasa_plugins.lock_store.RedisTicketLockStore", url="127.0.0.1",
                          port=6379, db=1, key_prefix=f"eysendlocktest{secrets.token_hex(4)}")


async def wait_behind_a_dead_ticket(store: RedisLockStore, lifetime: float) -> float | None:
    """Seconds until the lock is ours, behind a ticket whose holder died; None if never."""
    conversation = secrets.token_hex(8)
    store.issue_ticket(conversation, lifetime)  # taken by an instance that was then killed
    began = time.monotonic()

    async def take() -> float:
        async with store.lock(conversation, lock_lifetime=lifetime, wait_time_in_seconds=0.1):
            return time.monotonic() - began

    try:
        return await asyncio.wait_for(take(), timeout=lifetime * 4)
    except asyncio.TimeoutError:
        return None
    finally:
        store.delete_lock(conversation)


async def test_a_turn_behind_a_killed_instances_lock_goes_ahead(endpoint: EndpointConfig) -> None:
    store = RedisTicketLockStore(endpoint_config=endpoint)
    waited = await wait_behind_a_dead_ticket(store, lifetime=1.0)
    assert waited is not None and 0.9 <= waited < 2.5, waited


async def test_rasas_own_store_waits_for_ever_there(endpoint: EndpointConfig) -> None:
    """Why the store exists (if Rasa fixes this, the store can go)."""
    store = RedisLockStore(host="127.0.0.1", **endpoint.kwargs)
    assert await wait_behind_a_dead_ticket(store, lifetime=1.0) is None


def test_the_production_profile_uses_it() -> None:
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[1]
    endpoints = yaml.safe_load((root / "deploy" / "endpoints.production.yml").read_text())
    assert endpoints["lock_store"]["type"] == "bot.rasa_plugins.lock_store.RedisTicketLockStore"
