"""A fake Rasa (REST channel) and action server on a loopback port, for the web tests.

It runs an aiohttp server in its own thread so it serves both the async Sanic test client
and a real browser. It can be stopped and started again on the same port, made slow, or
made to fail, and it scripts a short, realistic conversation that ends in a handoff.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.operations.processes import free_port

SERVICE_PAGE = (
    "https://hertfordshire.gov.uk/microsites/local-offer/early-years-0-5/"
    "early-years-send-specialists.aspx"
)

HANDOFF = {
    "council": "hertfordshire",
    "council_name": "Hertfordshire County Council",
    "service_name": "Early Years SEND specialists",
    "requester_role": "parent",
    "requester_role_label": "Parent or carer",
    "child_age_months": 30,
    "child_age_text": "2 years 6 months",
    "attends_setting": True,
    "concern_areas": ["communication"],
    "concern_area_labels": ["Speech, language and communication"],
    "setting_support_tried": "yes",
    "parental_consent": "yes",
    "dspl_area": "DSPL 3",
    "outcome": "refer_now",
    "outcome_title": "A service request looks like the right next step",
    "next_steps": [
        "Ask your child's setting to help you fill in the service request form.",
        "Send the form with this summary to the team.",
    ],
    "form_name": "service request form",
    "form_page_url": SERVICE_PAGE,
    "contacts": [{"name": "Early Years SEND specialists (service page)", "url": SERVICE_PAGE}],
    "created": "2026-11-25",
}


def _btn(title: str, payload: str) -> dict[str, str]:
    return {"title": title, "payload": payload}


def scripted_reply(step: int, sender: str) -> list[dict[str, Any]]:
    """The fake assistant's answer at each step of the referral check."""
    steps: list[list[dict[str, Any]]] = [
        [
            {
                "text": "Hello, I'm the Early Years SEND assistant. I can help you check whether "
                "to ask the Early Years SEND specialists for support."
            },
            {
                "text": "Who are you?",
                "buttons": [
                    _btn("I'm a parent or carer", '/inform{"choice":"parent"}'),
                    _btn("I work in an early years setting", '/inform{"choice":"setting"}'),
                    _btn("I'm a childminder", '/inform{"choice":"childminder"}'),
                ],
            },
        ],
        [{"text": "How old is your child? You can type it, for example '2 and a half'."}],
        [
            {
                "text": "Does your child go to a nursery, pre-school or childminder?",
                "buttons": [
                    _btn("Yes", '/inform{"choice":"yes"}'),
                    _btn("No", '/inform{"choice":"no"}'),
                ],
            }
        ],
        [
            {
                "text": "What are you most worried about?",
                "buttons": [
                    _btn("Talking and understanding", '/inform{"choice":"communication"}'),
                    _btn("Playing and getting on with others", '/inform{"choice":"social"}'),
                    _btn("Moving about", '/inform{"choice":"physical"}'),
                ],
            }
        ],
        [
            {
                "text": "Are you happy for the setting and the team to share information about "
                "your child?",
                "buttons": [
                    _btn("Yes", '/inform{"choice":"yes"}'),
                    _btn("No", '/inform{"choice":"no"}'),
                    _btn("Not sure", '/inform{"choice":"unsure"}'),
                ],
            }
        ],
        [
            {
                "text": "Thank you. From what you have told me, a service request looks like the "
                f"right next step. You can read about the service at {SERVICE_PAGE}."
            },
            {"custom": {"handoff": HANDOFF}},
        ],
    ]
    reply = steps[min(step, len(steps) - 1)]
    return [{"recipient_id": sender, **m} for m in reply]


class FakeUpstream:
    """A fake Rasa + action server. Attributes can be changed while it runs."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.delay = 0.0
        self.status = 200
        self.action_ok = True
        self.replies: list[dict[str, Any]] | None = None  # fixed reply instead of the script
        self.received: list[dict[str, Any]] = []
        self.steps: dict[str, int] = {}
        self.forgotten: list[str] = []  # senders Rasa was asked to delete
        self.forget: Callable[[str], int] = lambda sender: 0  # deletes; returns events deleted
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Base URL of the fake."""
        return f"http://127.0.0.1:{self.port}"

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self._hello)
        app.router.add_get("/health", self._health)
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        app.router.add_post("/webhooks/rest/forget", self._forget)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True).start()

    async def _stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def start(self) -> FakeUpstream:
        """Listen (again) on the port."""
        self._call(self._start())
        return self

    def stop(self) -> None:
        """Stop listening: the port now refuses connections."""
        self._call(self._stop())

    def close(self) -> None:
        """Stop and end the thread."""
        self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _hello(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def _health(self, request: web.Request) -> web.Response:
        if not self.action_ok:
            return web.json_response({"status": "error"}, status=500)
        return web.json_response({"status": "ok"})

    async def _forget(self, request: web.Request) -> web.Response:
        sender = (await request.json())["sender"]
        self.forgotten.append(sender)
        if self.status != 200:
            return web.json_response({"error": "boom"}, status=self.status)
        return web.json_response({"deleted": True, "events": self.forget(sender)})

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.json_response({"error": "boom"}, status=self.status)
        sender, message = body["sender"], body["message"]
        if self.replies is not None:
            return web.Response(text=json.dumps(self.replies), content_type="application/json")
        if message in ("/greet", "/restart"):
            self.steps[sender] = 0
        step = self.steps.get(sender, 0)
        self.steps[sender] = step + 1
        return web.json_response(scripted_reply(step, sender))
