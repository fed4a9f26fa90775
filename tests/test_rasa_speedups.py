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


def _trained_rules() -> dict[str, str]:
    """The rule policy's lookup of the trained model (rule key -> action)."""
    import json
    import tarfile

    from tests.helpers import ROOT

    with tarfile.open(ROOT / "models" / "assistant.tar.gz") as model:
        member = next(m for m in model.getmembers() if m.name.endswith("rule_policy.json"))
        lookup = json.load(model.extractfile(member))["lookup"]  # type: ignore[arg-type]
    return lookup["rules"] | lookup["rules_for_loop_unhappy_path"]


def test_indexed_rules_find_the_same_rules_as_rasa() -> None:
    """Every rule's own states, and each with the last intent or previous action swapped
    for another rule's or dropped, give the same possible rules as Rasa's own search."""
    import json

    from rasa.core.policies.rule_policy import RulePolicy

    rules = _trained_rules()
    rasas_own = internals.original("rasa.core.policies.rule_policy:RulePolicy._get_possible_keys")
    internals.install()
    policy = RulePolicy.__new__(RulePolicy)  # the search uses no state of the policy
    states = [json.loads(key) for key in rules]
    intents = sorted({s[-1].get("user", {}).get("intent", "") for s in states} - {""})
    actions = sorted({s[-1].get("prev_action", {}).get("action_name", "") for s in states} - {""})
    cases = []
    for number, rule_states in enumerate(states):
        last = rule_states[-1]
        cases.append(rule_states)
        swapped_intent = {**last, "user": {"intent": intents[number % len(intents)]}}
        swapped_action = {**last, "prev_action": {"action_name": actions[number % len(actions)]}}
        no_user = {key: value for key, value in last.items() if key != "user"}
        cases += [[*rule_states[:-1], changed] for changed in (swapped_intent, swapped_action,
                                                              no_user)]
    found = 0
    for case in cases:
        expected = rasas_own(policy, rules, case)
        assert policy._get_possible_keys(rules, case) == expected, case
        found += bool(expected)
    assert found > len(states)  # the cases are not all empty
