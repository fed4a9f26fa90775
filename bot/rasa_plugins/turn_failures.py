"""What went wrong inside Rasa during the current turn (one list per request, via a contextvar).

Rasa hides two kinds of fault from the REST channel: its fail-safe tracker store
swaps in a blank in-memory conversation when the database fails, and its
processor logs and skips a custom action that could not run. Our tracker store
(:mod:`bot.rasa_plugins.production_store`) and a log handler record those faults here, and our REST
channel (:mod:`bot.rasa_plugins.channel`) turns them into HTTP 503 for the gateway.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager

STORE = "tracker_store"
ACTION = "action_server"

_failures: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "eysend_turn_failures", default=None
)
ACTION_FAILURE_PREFIX = "Encountered an exception while running action"


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


class ActionFailureHandler(logging.Handler):
    """Records a fault when Rasa's processor logs that a custom action could not run."""

    def emit(self, record_: logging.LogRecord) -> None:
        """Called by logging for each record of the processor's logger."""
        try:
            message = record_.getMessage()
        except Exception:  # a broken log record must never break a turn
            return
        if message.startswith(ACTION_FAILURE_PREFIX):
            record(ACTION)


def watch_action_failures(logger_name: str = "rasa.core.processor") -> None:
    """Attach the handler once to Rasa's processor logger."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(h, ActionFailureHandler) for h in logger.handlers):
        logger.addHandler(ActionFailureHandler(level=logging.ERROR))
