"""Rasa's Redis lock store, without a wait that never ends after a crash.

Every turn takes its conversation's ticket lock (Rasa 3.6, ``rasa/core/lock_store.py``).
A ticket lives ``TICKET_LOCK_LIFETIME`` seconds, so the ticket of an instance that was
killed mid-turn expires and the next turn goes ahead. But the ticket of the turn waiting
behind it was issued a moment later with the same lifetime, so it expires a moment later
too, and Rasa's wait then never ends: it compares its own (expired, removed) ticket
number with "now serving" 0 forever. Measured before this store: the turn the gateway
sent to the other instance after ``kill -9`` waited out the gateway's 15 s every time and
the person got the "not available" message. Here a turn whose ticket expired while it
waited queues again (and is served at once if no one else is waiting).

Configured in ``deploy/endpoints.production.yml`` as
``type: bot.rasa_plugins.lock_store.RedisTicketLockStore``, with the settings of ``type: redis``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class RequeueMixin:
    """``lock()`` that takes a new ticket when its own expired while it waited."""

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        """Hold the conversation's lock for the block (same contract as Rasa's)."""
        store: Any = self
        ticket = store.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                lock = store.get_lock(conversation_id)
                if not lock:
                    raise LockError(f"Could not acquire lock for '{conversation_id}'.")
                if not lock.is_locked(ticket):
                    break
                if lock._ticket_for_ticket_number(ticket) is None:  # expired while waiting
                    ticket = store.issue_ticket(conversation_id, lock_lifetime)
                    continue
                await asyncio.sleep(wait_time_in_seconds)
                store.update_lock(conversation_id)
            yield lock
        finally:
            store.cleanup(conversation_id, ticket)


class RedisTicketLockStore(RequeueMixin, RedisLockStore):
    """Rasa's Redis lock store with :class:`RequeueMixin`."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # how Rasa makes a lock store named by module path
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
