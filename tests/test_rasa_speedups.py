"""The speed-ups bot.internals.install() puts in place behave as Rasa's own methods."""

from __future__ import annotations

import pytest
from rasa.shared.core import events
from rasa.shared.utils.common import all_subclasses

from bot import internals


def test_same_answers_as_rasa() -> None:
    names = {cls.type_name for cls in all_subclasses(events.Event)}
    rasas_own = internals.original("rasa.shared.core.events:Event.resolve_by_type")
    expected = {name: rasas_own(name) for name in names}
    internals.install()
    internals.install()  # idempotent
    assert {name: events.Event.resolve_by_type(name) for name in names} == expected
    assert events.Event.resolve_by_type("nonsense", default=events.UserUttered) is (
        events.UserUttered
    )
    with pytest.raises(ValueError):
        events.Event.resolve_by_type("nonsense")


def test_events_round_trip() -> None:
    internals.install()
    original = [events.UserUttered("hi"), events.SlotSet("a", 1), events.ActionExecuted("x")]
    restored = events.deserialise_events([e.as_dict() for e in original])
    assert [type(e) for e in restored] == [type(e) for e in original]


def test_action_replies_are_still_checked() -> None:
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    internals.install()
    action = RemoteAction("action_x", None)
    assert action._validate_action_result({"events": [], "responses": [{"text": "hi"}]})
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": "not a list"})


async def test_calls_to_an_endpoint_reuse_one_kept_alive_connection() -> None:
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    internals.install()
    client_ports = []

    async def webhook(request: web.Request) -> web.Response:
        client_ports.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        replies = [await endpoint.request(json={"n": n}) for n in range(3)]
        async with endpoint.session() as first, endpoint.session() as second:
            assert first is second and not first.closed
    finally:
        await runner.cleanup()

    assert replies == [{"events": [], "responses": []}] * 3
    assert len(set(client_ports)) == 1
