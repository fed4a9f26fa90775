"""The cached event-type lookup gives the same classes as Rasa's own."""

from __future__ import annotations

import pytest
from rasa.shared.core import events
from rasa.shared.utils.common import all_subclasses

from bot import rasa_speedups


def test_same_answers_as_rasa() -> None:
    names = {cls.type_name for cls in all_subclasses(events.Event)}
    expected = {name: events.Event.resolve_by_type(name) for name in names}
    rasa_speedups.install()
    rasa_speedups.install()  # idempotent
    assert {name: events.Event.resolve_by_type(name) for name in names} == expected
    assert events.Event.resolve_by_type("nonsense", default=events.UserUttered) is (
        events.UserUttered
    )
    with pytest.raises(ValueError):
        events.Event.resolve_by_type("nonsense")


def test_events_round_trip() -> None:
    rasa_speedups.install()
    original = [events.UserUttered("hi"), events.SlotSet("a", 1), events.ActionExecuted("x")]
    restored = events.deserialise_events([e.as_dict() for e in original])
    assert [type(e) for e in restored] == [type(e) for e in original]


def test_action_replies_are_still_checked() -> None:
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    rasa_speedups.install()
    action = RemoteAction("action_x", None)
    assert action._validate_action_result({"events": [], "responses": [{"text": "hi"}]})
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": "not a list"})
