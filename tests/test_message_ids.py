"""The message-id retry protocol (bot/guidance/message_ids.py): format, keys, metadata."""

from __future__ import annotations

import string

from bot.guidance import message_ids


def test_well_formed_ids() -> None:
    for good in ("abcdefgh", "A1_-" * 2, "x" * 64, "m-2026-12-01_0001"):
        assert message_ids.well_formed(good), good
    for bad in (None, 12345678, "short", "x" * 65, "a b" * 10, "abc/defgh", "", "é" * 10):
        assert not message_ids.well_formed(bad), bad


def test_new_keys_are_lower_case_letters_and_differ() -> None:
    keys = {message_ids.new_key() for _ in range(20)}
    assert len(keys) == 20
    for key in keys:
        assert len(key) == message_ids.KEY_LETTERS
        assert set(key) <= set(string.ascii_lowercase)
        assert message_ids.well_formed(key)


def test_a_named_message_keeps_its_key_for_every_retry() -> None:
    key = message_ids.key_for("sender-1", "client-msg-1")
    assert key == message_ids.key_for("sender-1", "client-msg-1")
    assert key != message_ids.key_for("sender-2", "client-msg-1")
    assert key != message_ids.key_for("sender-1", "client-msg-2")
    assert len(key) == message_ids.KEY_LETTERS and set(key) <= set(string.ascii_lowercase)


def test_build_then_parse_round_trip() -> None:
    key = message_ids.new_key()
    first = message_ids.build(key)
    assert first == {"message_id": key}
    assert message_ids.parse(first) == key and not message_ids.is_retry(first)
    again = message_ids.build(key, retry=True)
    assert again == {"message_id": key, "retry": True}
    assert message_ids.parse(again) == key and message_ids.is_retry(again)


def test_parse_and_is_retry_refuse_anything_else() -> None:
    for bad in (None, "x", [], {"message_id": "short"}, {"message_id": 12345678901}):
        assert message_ids.parse(bad) is None
    for not_retry in (None, {}, {"retry": "true"}, {"retry": 1}, ["retry"]):
        assert not message_ids.is_retry(not_retry)
