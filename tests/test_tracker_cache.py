"""The tracker kept in memory between turns is used only while the database agrees."""

from __future__ import annotations

from pathlib import Path

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered

from bot.storage.conversations import ConversationStore
from tests.helpers.scripted_conversation import (
    SENDER,
    fresh_reference,
    play,
    redacting_store,
    turn,
)


def make_store(db: Path, **settings: int) -> TrackerStore:
    return redacting_store(dialect="sqlite", db=str(db), **settings)


async def test_the_next_turn_gets_the_tracker_the_last_turn_saved(tmp_path: Path) -> None:
    store = make_store(tmp_path / "t.db")
    await play(store, fresh_reference(), 2)
    tracker = await store.retrieve(SENDER)
    tracker.update(UserUttered("hello"))
    await store.save(tracker)

    assert await store.retrieve(SENDER) is tracker


async def test_a_turn_answered_by_another_process_is_read_from_the_database(tmp_path: Path) -> None:
    here, there = make_store(tmp_path / "t.db"), make_store(tmp_path / "t.db")
    await play(here, fresh_reference(), 2)
    kept = await here.retrieve(SENDER)
    await here.save(kept)

    elsewhere = await there.retrieve(SENDER)
    elsewhere.update(UserUttered("answered by the other process"))
    await there.save(elsewhere)
    again = await here.retrieve(SENDER)

    assert again is not kept
    assert again.latest_message.text == "answered by the other process"


async def test_a_turn_that_failed_before_saving_leaves_nothing_behind(tmp_path: Path) -> None:
    store = make_store(tmp_path / "t.db")
    await play(store, fresh_reference(), 2)
    failed = await store.retrieve(SENDER)
    failed.update(UserUttered("never saved"))

    again = await store.retrieve(SENDER)

    assert again is not failed
    assert "never saved" not in [getattr(e, "text", None) for e in again.events]


async def test_a_deleted_conversation_is_not_served_from_memory(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = make_store(db)
    await play(store, fresh_reference(), 2)
    tracker = await store.retrieve(SENDER)
    await store.save(tracker)

    ConversationStore(f"sqlite:///{db}").delete(SENDER)

    assert await store.retrieve(SENDER) is None


async def test_only_the_most_recent_conversations_are_kept(tmp_path: Path) -> None:
    store = make_store(tmp_path / "t.db", cached_conversations=2)
    trackers = {}
    for sender in ("a", "b", "c"):
        tracker = await store.get_or_create_tracker(sender)
        for event in turn(3):
            tracker.update(event)
        await store.save(tracker)
        trackers[sender] = tracker

    assert await store.retrieve("a") is not trackers["a"]
    assert await store.retrieve("b") is trackers["b"]
    assert await store.retrieve("c") is trackers["c"]


async def test_a_tracker_whose_turns_were_checkpointed_is_read_again(tmp_path: Path) -> None:
    store = make_store(tmp_path / "t.db", history_turns=2)
    await play(store, fresh_reference(), 4)
    tracker = await store.retrieve(SENDER)
    for event in [*turn(4), ActionExecuted("action_listen")][:-1]:
        tracker.update(event)
    await store.save(tracker)  # the fifth turn: more than 2 x 2, so a checkpoint

    again = await store.retrieve(SENDER)

    assert again is not tracker and len(again.events) < len(tracker.events)
