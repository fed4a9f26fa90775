"""The bounded history: a long conversation reads back as its state plus its last turns."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from bot.rasa_plugins.tracker_window import HistoryWindowMixin, window_of
from bot.storage.conversations import ConversationStore
from tests.helpers.scripted_conversation import (
    DOMAIN,
    SENDER,
    fresh_reference,
    play,
    redacting_store,
    turn,
)

HISTORY_TURNS = 2


def make_store(db: Path, history_turns: int = HISTORY_TURNS) -> TrackerStore:
    return redacting_store(
        dialect="sqlite",
        db=str(db),
        history_turns=history_turns,
        cached_conversations=0,  # these tests are about what is read from the database
    )


def stored_events(db: Path, table: str = "events") -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()


@pytest.mark.parametrize("turns", [3, 4, 5, 6, 7, 9, 13, 22])
async def test_a_long_conversation_reads_back_in_the_same_state(tmp_path: Path, turns: int) -> None:
    store = make_store(tmp_path / "t.db")
    reference = fresh_reference()
    await play(store, reference, turns)

    tracker = await store.retrieve(SENDER)

    assert tracker is not None
    assert tracker.current_slot_values() == reference.current_slot_values()
    assert tracker.active_loop_name == reference.active_loop_name
    assert tracker.latest_message.text == reference.latest_message.text
    # The state the next prediction starts from, and the last user messages. (Rasa folds a
    # form's answered questions back to where the form started; that start may be before
    # the window, so earlier states can differ: tests/integration/test_long_conversation.py
    # shows the replies do not.)
    assert tracker.past_states(DOMAIN)[-1] == reference.past_states(DOMAIN)[-1]
    texts = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    every_text = [e.text for e in reference.events if isinstance(e, UserUttered)]
    assert texts == every_text[-len(texts) :] and len(texts) >= min(turns, HISTORY_TURNS)


async def test_the_history_read_per_turn_stays_bounded(tmp_path: Path) -> None:
    store = make_store(tmp_path / "t.db")
    reference = fresh_reference()
    sizes = []
    for _ in range(30):
        await play(store, reference, 1)
        sizes.append(len((await store.retrieve(SENDER)).events))

    assert max(sizes[10:]) <= max(sizes[:10]) + 2  # turns 10-30 read no more than turns 1-10
    assert window_of(await store.retrieve(SENDER)) is not None


async def test_every_event_is_still_stored_once(tmp_path: Path) -> None:
    store = make_store(tmp_path / "t.db")
    reference = fresh_reference()
    await play(store, reference, 17)

    rows = stored_events(tmp_path / "t.db")
    assert [json.loads(r[-1])["event"] for r in rows] == [e.type_name for e in reference.events]
    assert len(stored_events(tmp_path / "t.db", "tracker_checkpoints")) == 1


async def test_a_tracker_copied_after_reading_saves_only_its_new_events(tmp_path: Path) -> None:
    store = make_store(tmp_path / "t.db")
    reference = fresh_reference()
    await play(store, reference, 9)
    tracker = (await store.retrieve(SENDER)).copy()  # a copy has lost the in-memory count

    for event in turn(9):
        tracker.update(event)
        reference.update(event)
    await store.save(tracker)

    assert len(stored_events(tmp_path / "t.db")) == len(reference.events)


async def test_a_new_session_is_read_from_its_start(tmp_path: Path) -> None:
    store = make_store(tmp_path / "t.db")
    await play(store, fresh_reference(), 9)
    tracker = await store.retrieve(SENDER)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)

    again = await store.retrieve(SENDER)

    assert window_of(again) is None
    assert [e.type_name for e in again.events] == ["session_started", "action"]


async def test_checkpoints_hold_no_personal_details(tmp_path: Path) -> None:
    store = make_store(tmp_path / "t.db")
    reference = fresh_reference()
    await play(store, reference, 2)
    tracker = await store.retrieve(SENDER)
    tracker.update(SlotSet("dspl_place", "12 Bury Lane, call 07700 900123"))
    await store.save(tracker)
    await play(store, reference, 8)

    (checkpoint,) = stored_events(tmp_path / "t.db", "tracker_checkpoints")
    assert "07700" not in checkpoint[-1] and "Bury Lane" not in checkpoint[-1]
    assert "dspl_place" in checkpoint[-1]


async def test_deleting_a_conversation_deletes_its_checkpoint(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    await play(make_store(db), fresh_reference(), 9)
    assert stored_events(db, "tracker_checkpoints")

    ConversationStore(f"sqlite:///{db}").delete(SENDER)

    assert stored_events(db, "tracker_checkpoints") == []
    assert stored_events(db) == []


async def test_purging_old_conversations_deletes_their_checkpoints(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    await play(make_store(db), fresh_reference(), 9)

    ConversationStore(f"sqlite:///{db}").purge_older_than(cutoff=float("inf"))

    assert stored_events(db, "tracker_checkpoints") == []


def test_the_history_cannot_be_set_below_what_the_rules_need(tmp_path: Path) -> None:
    store = make_store(tmp_path / "t.db", history_turns=0)
    assert isinstance(store, HistoryWindowMixin)
    assert store.history_turns == 2
