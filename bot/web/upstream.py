"""Talking to Rasa and the action server: sticky routing, fail-over, timeouts and health."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp

from bot.guidance import message_ids

log = logging.getLogger(__name__)

# Idle connections are dropped before the 5 s after which Rasa's and the action server's
# Sanic close them, so a request never goes out on a connection the server is closing.
KEEPALIVE_SECONDS = 2.0


class UpstreamUnavailable(Exception):
    """Rasa or the action server could not answer (down, slow or broken)."""


class NoInstanceReachable(UpstreamUnavailable):
    """No Rasa instance accepted a connection: none is running."""


def route_order(sender: str, urls: tuple[str, ...]) -> list[str]:
    """The Rasa URLs to try for a sender: its own instance first, then the next ones."""
    if not urls:
        return []
    start = int(hashlib.sha256(sender.encode()).hexdigest()[:8], 16) % len(urls)
    return [urls[(start + i) % len(urls)] for i in range(len(urls))]


class RecentMessages:
    """The messages (sender, key) forwarded in the last ``ttl`` seconds, at most ``size``.

    A client that sends the same message id again is retrying (it got no answer, or an
    error): Rasa is then asked to look the message up, and answers it from the stored
    turn if the first attempt was handled after all.
    """

    def __init__(self, size: int = 20_000, ttl: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.size, self.ttl, self._clock = size, ttl, clock
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()

    def seen_before(self, sender: str, key: str) -> bool:
        """True if this message was forwarded recently; remembers it either way."""
        now = self._clock()
        while self._seen and (
            len(self._seen) >= self.size or next(iter(self._seen.values())) < now - self.ttl
        ):
            self._seen.popitem(last=False)
        seen = (sender, key) in self._seen
        self._seen[(sender, key)] = now
        self._seen.move_to_end((sender, key))
        return seen


def new_session(timeout: float, pool_size: int = 100) -> aiohttp.ClientSession:
    """A pooled HTTP client session with keep-alive and a total timeout per request."""
    connector = aiohttp.TCPConnector(
        limit=pool_size, keepalive_timeout=KEEPALIVE_SECONDS, ttl_dns_cache=300
    )
    return aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=timeout),
        raise_for_status=False,
    )


class TurnGate:
    """At most ``limit`` turns in progress on one Rasa instance; the rest wait in order.

    A Rasa process works on all the turns it is given at once, and a turn that calls the
    action server three times goes to the back of the queue three times: under load the
    longest turns took many times longer than the rest. Waiting here, in arrival order,
    keeps every turn's wait about the same. ``limit`` 0 lets every turn through.
    """

    def __init__(self, limit: int, wait_timeout: float) -> None:
        self.limit = limit
        self.wait_timeout = wait_timeout
        self._slots: dict[str, asyncio.Semaphore] = {}

    @contextlib.asynccontextmanager
    async def turn(self, url: str) -> AsyncIterator[None]:
        """Hold one of the instance's places while a turn is in progress there."""
        if self.limit <= 0:
            yield
            return
        slots = self._slots.get(url)
        if slots is None:  # one per instance, made on its first turn
            slots = self._slots[url] = asyncio.Semaphore(self.limit)
        try:
            await asyncio.wait_for(slots.acquire(), self.wait_timeout)
        except asyncio.TimeoutError as err:
            raise UpstreamUnavailable("Rasa is too busy") from err
        try:
            yield
        finally:
            slots.release()


class RasaForwarder:
    """Sends messages to Rasa's REST channel on the sender's instance, failing over if down."""

    def __init__(
        self,
        urls: tuple[str, ...],
        session_getter: Callable[[], aiohttp.ClientSession],
        gate: TurnGate | None = None,
    ):
        self.urls = urls
        self._session = session_getter
        self._gate = gate or TurnGate(0, 0.0)
        self._recent = RecentMessages()

    async def send(
        self, sender: str, message: str, client_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Forward one message; return Rasa's list of bot messages or raise UpstreamUnavailable.

        ``client_id`` is the client's own id for the message, the same when it retries.
        """
        # One key for every instance tried (and every retry the client makes): if a turn was
        # stored but its answer was lost, Rasa answers from the stored turn instead of
        # handling the message twice. Only a retry makes Rasa look (it costs a read).
        key = message_ids.key_for(sender, client_id) if client_id else message_ids.new_key()
        retried = bool(client_id) and self._recent.seen_before(sender, key)
        payload: dict[str, Any] = {"sender": sender, "message": message,
                   "metadata": message_ids.build(key, retry=retried)}
        for attempt, base in enumerate(route_order(sender, self.urls)):
            if attempt:
                payload["metadata"] = message_ids.build(key, retry=True)
            url = f"{base}/webhooks/rest/webhook"
            # A fail-over turn skips the queue: it may wait for the lock the instance that
            # stopped still holds, and must not hold up that instance's own conversations.
            gate = self._gate.turn(base) if not attempt else contextlib.nullcontext()
            try:
                async with gate, self._session().post(url, json=payload) as resp:
                    if resp.status != 200:
                        raise UpstreamUnavailable(f"Rasa answered HTTP {resp.status}")
                    data = await resp.json(content_type=None)
            except (aiohttp.ClientConnectionError, OSError) as err:
                if isinstance(err, aiohttp.ServerTimeoutError):
                    raise UpstreamUnavailable("Rasa timed out") from err
                log.warning("Rasa instance %s unreachable (%s); trying the next", base, type(err))
                continue
            except asyncio.TimeoutError as err:
                raise UpstreamUnavailable("Rasa timed out") from err
            except ValueError as err:
                raise UpstreamUnavailable("Rasa sent a reply that is not JSON") from err
            if not isinstance(data, list):
                raise UpstreamUnavailable("Rasa sent a reply that is not a list")
            return [m for m in data if isinstance(m, dict)]
        raise UpstreamUnavailable("no Rasa instance reachable")

    async def forget(self, sender: str) -> int:
        """Delete a conversation in Rasa, under its turn lock; return how many events went.

        Asked of the sender's own instance first (where its turns run, and, on the default
        profile, where its lock lives). Raises :class:`NoInstanceReachable` if no instance
        accepts a connection, :class:`UpstreamUnavailable` if one answers with an error.
        """
        for base in route_order(sender, self.urls):
            try:
                async with self._session().post(
                    f"{base}/webhooks/rest/forget", json={"sender": sender}
                ) as resp:
                    data = await resp.json(content_type=None) if resp.status == 200 else None
            except (aiohttp.ClientConnectorError, ConnectionRefusedError) as err:
                log.warning("Rasa instance %s unreachable (%s); trying the next", base, type(err))
                continue
            except (aiohttp.ClientError, OSError, asyncio.TimeoutError, ValueError) as err:
                raise UpstreamUnavailable("Rasa could not delete the conversation") from err
            if not isinstance(data, dict) or not isinstance(data.get("events"), int):
                raise UpstreamUnavailable(f"Rasa could not delete (HTTP {resp.status})")
            return data["events"]
        raise NoInstanceReachable("no Rasa instance reachable")


async def probe(session: aiohttp.ClientSession, url: str, timeout: float) -> bool:
    """True if GET url answers 200 within the timeout.

    A connection dropped under the request is tried once more on a new one: one stale
    connection must not make the gateway turn everyone away until the next check.
    """
    for attempt in (1, 2):
        try:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
                await resp.read()
                return resp.status == 200
        except aiohttp.ServerDisconnectedError:
            if attempt == 2:
                return False
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError):
            return False
    return False


class ActionServerMonitor:
    """Remembers for a few seconds whether the action server is up, and re-checks when asked."""

    def __init__(
        self,
        url: str,
        session_getter: Callable[[], aiohttp.ClientSession],
        ttl: float,
        timeout: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url.rstrip("/")
        self._session = session_getter
        self.ttl = ttl
        self.timeout = timeout
        self._clock = clock
        self._state: bool | None = None
        self._checked = 0.0

    @property
    def enabled(self) -> bool:
        """False when no action server is configured."""
        return bool(self.url)

    async def check(self) -> bool:
        """Probe the action server now."""
        if not self.enabled:
            return True
        self._state = await probe(self._session(), f"{self.url}/health", self.timeout)
        self._checked = self._clock()
        return self._state

    async def is_up(self) -> bool:
        """The remembered state, re-checked when older than the TTL."""
        if self._state is None or self._clock() - self._checked >= self.ttl:
            return await self.check()
        return self._state
