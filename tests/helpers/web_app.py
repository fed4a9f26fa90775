"""The gateway app in-process: the contacts and concerns it is built with, a settable clock,
the chat API through the ASGI client, and a started app for tests that send hundreds of requests."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from sanic import Sanic
from sanic_testing.testing import SanicASGITestClient, TestingResponse

from tests.helpers.fake_upstream import SERVICE_PAGE

CONTACTS = [
    {"name": "Early Years SEND specialists (service page)", "url": SERVICE_PAGE},
    {"name": "Emergency services", "phone": "999", "group": "safety"},
    {"name": "Hertfordshire Children's Services", "phone": "0300 123 4043", "group": "safety"},
]
CONCERNS = [
    ("communication", "Speech, language and communication"),
    ("social_emotional", "Social and emotional development"),
    ("physical_sensory", "Sensory and physical needs"),
]


class Clock:
    """A settable clock for expiry and rate-limit tests."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def new_sender(app: Sanic) -> str:
    """Ask the gateway for a sender id."""
    _, resp = await app.asgi_client.post("/api/session")
    assert resp.status == 201, resp.text
    return resp.json["sender"]


async def chat(app: Sanic, sender: str | None, message: Any, **kw: Any) -> Any:
    """POST /api/chat with JSON and return the response."""
    body: dict[str, Any] = {"message": message}
    if sender is not None:
        body["sender"] = sender
    _, resp = await app.asgi_client.post("/api/chat", json=body, **kw)
    return resp


class StartedClient(SanicASGITestClient):
    """The ASGI test client without sanic-testing's start and stop of the whole app around
    every request (about 0.1 s each: the routers are compiled again), for tests that send
    hundreds of requests. Use it through :func:`started`."""

    async def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("gather_request", None)
        response = await httpx.AsyncClient.request(self, method, url, *args, **kwargs)
        response.__class__ = TestingResponse
        return None, response


@contextlib.asynccontextmanager
async def started(app: Sanic) -> AsyncIterator[Sanic]:
    """``app`` started once, as a server would be, with ``app.asgi_client`` sending every
    request to it directly (same headers, same ``(request, response)`` pairs); stopped after."""
    plain = app.asgi_client
    fast = StartedClient(app)
    fast.headers = plain.headers
    app.router.reset()
    app.signal_router.reset()
    await app._startup()
    await app._server_event("init", "before")
    await app._server_event("init", "after")
    app._asgi_client = fast
    try:
        yield app
    finally:
        app._asgi_client = plain
        await app._server_event("shutdown", "before")
        await app._server_event("shutdown", "after")
        await fast.aclose()
