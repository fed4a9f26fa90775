"""Many families behind one address (a mobile network, a library, a children's centre): the
per-conversation limit is the main control, the per-address limit only a high backstop."""

from __future__ import annotations

from dataclasses import fields, replace

from sanic import Sanic

from bot.web.app import create_app
from bot.web.config import GatewayConfig
from tests.helpers.web_app import CONCERNS, CONTACTS, Clock, chat, started

PEOPLE = 30
SECONDS_BETWEEN_MESSAGES = 4.0  # a person typing on a phone
MINUTES = 0.5  # 30 people x 7 messages in 30 s: past the old per-address limit (burst 40, 120/min)


def shipped_limits_app(base: GatewayConfig, clock: Clock, name: str) -> Sanic:
    """A gateway with the shipped rate limits, the tests' upstream and files, and ``clock``."""
    shipped = GatewayConfig()
    limits = {f.name: getattr(shipped, f.name) for f in fields(GatewayConfig)
              if f.name.startswith("rate_")}
    return create_app(replace(base, **limits), fallback_contacts=CONTACTS,
                      concern_defaults=CONCERNS, clock=clock, name=name)


async def test_a_room_of_parents_on_one_address_are_all_answered(base_config):
    clock = Clock()
    app = shipped_limits_app(base_config, clock, "shared_room")
    async with started(app):
        senders = []
        for _ in range(PEOPLE):  # everyone opens the chat within a few seconds
            _, resp = await app.asgi_client.post("/api/session")
            assert resp.status == 201
            senders.append(resp.json["sender"])
            clock.now += 0.1
        refused = 0
        steps = int(MINUTES * 60 / SECONDS_BETWEEN_MESSAGES)
        for _ in range(steps):
            for i, sender in enumerate(senders):  # each person once per interval, spread out
                clock.now += SECONDS_BETWEEN_MESSAGES / PEOPLE
                resp = await chat(app, sender, f"my child is {i % 5 + 1}")
                refused += resp.status == 429
        assert refused == 0

        # one person in the room sends as fast as a script can: only they are slowed down
        limited = 0
        for _ in range(30):
            limited += (await chat(app, senders[0], "spam")).status == 429
        assert limited >= 15
        assert (await chat(app, senders[1], "hello")).status == 200


async def test_one_address_cannot_mint_conversations_without_end(base_config):
    app = shipped_limits_app(base_config, Clock(), "shared_mint")
    async with started(app):
        statuses = []
        for _ in range(200):
            _, resp = await app.asgi_client.post("/api/session")
            statuses.append(resp.status)
        assert statuses[:PEOPLE] == [201] * PEOPLE
        assert statuses.count(429) >= 100
