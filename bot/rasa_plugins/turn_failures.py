"""What went wrong inside Rasa during the current turn (one list per request, via a contextvar).

Rasa hides two kinds of fault from the REST channel: its fail-safe tracker store swaps in
a blank in-memory conversation when the database fails, and its processor logs and skips
a custom action that could not run. Both are recorded here from the exception itself, as
it passes on its way to Rasa's handler:

- :class:`StoreFaultMixin` (outermost in the production tracker store,
  :mod:`bot.rasa_plugins.tracker_store`) records a failed read or write;
- :func:`recording_faults` wraps ``RemoteAction.run`` (put in place by
  :func:`bot.internals.install`) and records a custom action that raised.

Our REST channel (:mod:`bot.rasa_plugins.channel`) turns what was recorded into HTTP 503 for
the gateway.
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

STORE = "tracker_store"
ACTION = "action_server"

log = logging.getLogger(__name__)
T = TypeVar("T")

_failures: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "eysend_turn_failures", default=None
)


def record(kind: str) -> None:
    """Note a fault for the turn being handled (ignored outside a turn)."""
    current = _failures.get()
    if current is not None:
        current.append(kind)


@contextmanager
def collecting() -> Iterator[list[str]]:
    """Collect the faults recorded while the block runs (in this task and its context)."""
    found: list[str] = []
    token = _failures.set(found)
    try:
        yield found
    finally:
        _failures.reset(token)


def recording_faults(run: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    """``RemoteAction.run`` that records :data:`ACTION` when the custom action cannot run.

    A rejection (``ActionExecutionRejection``: a form's validation declining the message)
    is part of a normal turn and is not recorded. Any other exception is what Rasa's
    processor logs and skips ("Encountered an exception while running action"), so the
    turn is recorded as failed and the exception goes on to Rasa unchanged.
    """
    from rasa.core.actions.action import ActionExecutionRejection

    @functools.wraps(run)
    async def run_recording_faults(self: Any, *args: Any, **kwargs: Any) -> T:
        try:
            return await run(self, *args, **kwargs)
        except ActionExecutionRejection:
            raise
        except Exception:
            record(ACTION)
            raise

    return run_recording_faults


class StoreFaultMixin:
    """Records every failure to read or write a conversation, then raises it on.

    Outermost in the production store's class chain (:mod:`bot.rasa_plugins.tracker_store`),
    so a fault in any layer of the store is seen.
    """

    async def retrieve(self, sender_id: str) -> Any:
        """Read a conversation; a database error is recorded, then raised."""
        return await self._recording("read", super().retrieve(sender_id))  # type: ignore[misc]

    async def retrieve_full_tracker(self, sender_id: str) -> Any:
        """Read a whole conversation; a database error is recorded, then raised."""
        return await self._recording(
            "read", super().retrieve_full_tracker(sender_id)  # type: ignore[misc]
        )

    async def save(self, tracker: Any) -> None:
        """Write a conversation's new events; a database error is recorded, then raised."""
        await self._recording("write", super().save(tracker))  # type: ignore[misc]

    @staticmethod
    async def _recording(what: str, call: Awaitable[T]) -> T:
        try:
            return await call
        except Exception as err:
            log.error("tracker store %s failed: %s", what, type(err).__name__)
            record(STORE)
            raise
