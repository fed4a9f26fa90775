"""Bounded time for slow clients.

Sanic restarts its request and response timers on every byte received, so a client that
sends one byte a second ("slowloris") keeps a connection open for as long as it likes.
This protocol counts from the request's first byte instead: the headers must arrive within
``REQUEST_TIMEOUT`` (else 408) and the whole exchange, body included, within
``RESPONSE_TIMEOUT`` (else 503). Idle keep-alive connections close after
``KEEP_ALIVE_TIMEOUT`` as before. Used by ``python -m bot.web`` (``app.run(protocol=...)``).
"""

from __future__ import annotations

from sanic.http import Stage
from sanic.server.protocols.http_protocol import HttpProtocol


class BoundedHttpProtocol(HttpProtocol):
    """Sanic's HTTP protocol whose timers are not reset by a trickle of bytes."""

    def data_received(self, data: bytes) -> None:
        """Receive as usual, but keep the timer of a request already under way."""
        http = getattr(self, "_http", None)
        under_way = http is not None and http.stage in (Stage.REQUEST, Stage.HANDLER)
        started = self._time
        super().data_received(data)
        if under_way:
            self._time = started
