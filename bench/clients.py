"""How each bot is spoken to over HTTP: the project's gateway, or stock Rasa's REST channel."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass

import aiohttp


@dataclass(frozen=True)
class Reply:
    """One turn's outcome: ok or the kind of error, and how long it took (seconds)."""

    ok: bool
    seconds: float
    error: str = ""


class Target:
    """A bot reachable over HTTP. Subclasses say how to get a sender and send a message."""

    label = "bot"

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    async def new_sender(self, http: aiohttp.ClientSession) -> str:
        """A fresh conversation id."""
        raise NotImplementedError

    def chat_url(self) -> str:
        """Where messages are posted."""
        raise NotImplementedError

    async def send(self, http: aiohttp.ClientSession, sender: str, text: str) -> Reply:
        """Post one message and time it until the whole reply has been read."""
        began = time.perf_counter()
        try:
            async with http.post(self.chat_url(), json={"sender": sender, "message": text}) as r:
                if r.status != 200:
                    await r.read()
                    return Reply(False, time.perf_counter() - began, f"http_{r.status}")
                body = await r.json(content_type=None)
                seconds = time.perf_counter() - began
                if not isinstance(body, list):
                    return Reply(False, seconds, "not_a_list")
                return Reply(True, seconds)
        except asyncio.TimeoutError:
            return Reply(False, time.perf_counter() - began, "timeout")
        except (aiohttp.ClientError, OSError, ValueError) as err:
            return Reply(False, time.perf_counter() - began, type(err).__name__)


class GatewayTarget(Target):
    """The project through its public entry: POST /api/session, then POST /api/chat."""

    label = "project"

    async def new_sender(self, http: aiohttp.ClientSession) -> str:
        async with http.post(f"{self.base_url}/api/session") as resp:
            if resp.status != 201 and resp.status != 200:
                raise aiohttp.ClientResponseError(
                    resp.request_info, (), status=resp.status, message="no session"
                )
            return str((await resp.json(content_type=None))["sender"])

    def chat_url(self) -> str:
        return f"{self.base_url}/api/chat"


class RestTarget(Target):
    """A Rasa server through its REST channel, with a random sender per conversation."""

    label = "stock"

    async def new_sender(self, http: aiohttp.ClientSession) -> str:
        return f"bench-{uuid.uuid4().hex}"

    def chat_url(self) -> str:
        return f"{self.base_url}/webhooks/rest/webhook"


def client(users: int, timeout: float) -> aiohttp.ClientSession:
    """An HTTP client with enough connections for every simulated user."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=users + 5),
        timeout=aiohttp.ClientTimeout(total=timeout),
    )
