"""The guarded REST channel's idempotency rules (pure functions, no server)."""

from __future__ import annotations

from bot.rasa_plugins.channel import message_id_of, replies_after

KEY = "abcdefghijklmnopqrstuvwx"


def test_message_id_must_be_well_formed() -> None:
    assert message_id_of({"message_id": KEY}) == KEY
    for bad in (None, "x", {"message_id": "short"}, {"message_id": "a b" * 10},
                {"message_id": 12345678901}, {"message_id": "x" * 65}):
        assert message_id_of(bad) is None


def test_replies_after_a_stored_message() -> None:
    events = [
        {"event": "user", "text": "hi", "metadata": {"message_id": "z" * 24}},
        {"event": "bot", "text": "Hello"},
        {"event": "user", "text": "refer", "metadata": {"message_id": KEY}},
        {"event": "action", "name": "referral_form"},
        {"event": "bot", "text": "How old?", "data": {"buttons": [{"title": "1"}]}},
        {"event": "user", "text": "later"},
        {"event": "bot", "text": "not this"},
    ]
    assert replies_after(events, KEY, "s1") == [
        {"recipient_id": "s1", "text": "How old?", "buttons": [{"title": "1"}]}
    ]
    assert replies_after(events, "y" * 24, "s1") is None
    assert replies_after(events[:3], KEY, "s1") == []
