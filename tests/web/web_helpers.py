"""Helpers shared by the web tests (kept out of conftest.py so imports are unambiguous)."""

from __future__ import annotations

from typing import Any

from fake_upstream import SERVICE_PAGE
from sanic import Sanic

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
