"""A deleted conversation stays deleted: in this process, in the others, and mid-turn.

The stores here stand for Rasa processes sharing one database (two stores on one file are
two processes). The race through the real gateway and Rasa processes is in
tests/integration/test_supervised.py.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.shared.core.events import UserUttered

from bot.rasa_plugins.channel import forget_conversation
from bot.storage import deletions
from bot.storage.conversations import ConversationStore
from tests.helpers.scripted_conversation import (
    SENDER,
    fresh_reference,
    play,
    redacting_store,
    turn,
)
from tests.helpers.services import port_open, unavailable


def make_store(db: Path | str, **settings: Any) -> TrackerStore:
    """Our tracker store on an SQLite file (a Path) or a PostgreSQL database (a name)."""
    if isinstance(db, Path):
        where: dict[str, Any] = {"dialect": "sqlite", "db": str(db)}
    else:
        where = {"dialect": "postgresql", "url": "127.0.0.1", "port": 5432, "db": db,
                 "username": "postgres"}
    return redacting_store(**where, **settings)


async def stored_conversation(db: Path, turns: int) -> tuple[TrackerStore, Any]:
    """A store on ``db`` holding a conversation of ``turns`` turns, and its tracker as read."""
    store = make_store(db)
    await play(store, fresh_reference(), turns)
    return store, await store.retrieve(SENDER)


def rows(db: Path, table: str, sender: str = SENDER) -> int:
    with sqlite3.connect(db) as conn:
        query = f"SELECT count(*) FROM {table} WHERE sender_id = ?"
        return int(conn.execute(query, (sender,)).fetchone()[0])


async def test_another_process_never_serves_a_deleted_conversation_from_memory(
    tmp_path: Path,
) -> None:
    """SQLite gives a deleted row's id out again, so the newest event id alone cannot tell."""
    db = tmp_path / "t.db"
    here, kept = await stored_conversation(db, 2)
    await here.save(kept)
    assert kept.get_slot("requester_role")
    newest = max(r[0] for r in sqlite3.connect(db).execute("SELECT id FROM events"))

    ConversationStore(f"sqlite:///{db}").delete(SENDER)  # deleted by another process ...
    with sqlite3.connect(db) as conn:  # ... and a new one of the same id is as long
        conn.executemany(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
            [(SENDER, "action", 1.0, json.dumps({"event": "action", "name": "action_listen"}))]
            * newest,
        )
    again = await here.retrieve(SENDER)

    assert again is not kept
    assert again.get_slot("requester_role") is None


async def test_a_turn_whose_conversation_was_deleted_meanwhile_stores_nothing(
    tmp_path: Path,
) -> None:
    """The turn read the tracker, the conversation was deleted, then the turn saved."""
    db = tmp_path / "t.db"
    store, in_flight = await stored_conversation(db, 3)

    ConversationStore(f"sqlite:///{db}").delete(SENDER)  # another process, no lock between
    for event in turn(3):
        in_flight.update(event)
    await store.save(in_flight)

    assert rows(db, "events") == 0 and rows(db, "tracker_checkpoints") == 0
    assert getattr(in_flight, deletions.DISCARDED, False)
    assert await store.retrieve(SENDER) is None  # the next turn starts a fresh conversation


async def test_a_first_turn_of_a_deleted_conversation_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = make_store(db)
    tracker = await store.get_or_create_tracker(SENDER)  # read: nothing; new tracker saved
    tracker.update(UserUttered("hello"))

    ConversationStore(f"sqlite:///{db}").delete(SENDER)
    await store.save(tracker)

    assert rows(db, "events") == 0


async def test_a_turn_after_the_deletion_starts_afresh_and_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = make_store(db)
    await play(store, fresh_reference(), 2)
    assert store.forget(SENDER) > 0

    await play(store, fresh_reference(), 1)

    tracker = await store.retrieve(SENDER)
    assert rows(db, "events") > 0 and tracker.get_slot("requester_role") is None


class Agent:
    """What the channel's forget route needs of Rasa's agent."""

    def __init__(self, store: TrackerStore) -> None:
        self.tracker_store = FailSafeTrackerStore(store)
        self.lock_store = InMemoryLockStore()


async def test_deletion_waits_for_the_turn_in_progress_then_removes_it_too(
    tmp_path: Path,
) -> None:
    db = tmp_path / "t.db"
    store = make_store(db)
    await play(store, fresh_reference(), 2)
    agent = Agent(store)
    started = asyncio.Event()

    async def a_turn() -> Any:
        async with agent.lock_store.lock(SENDER):
            tracker = await store.retrieve(SENDER)
            started.set()
            for event in turn(2):
                tracker.update(event)
            await asyncio.sleep(0.3)  # the deletion arrives now
            await store.save(tracker)
            return tracker

    task = asyncio.create_task(a_turn())
    await started.wait()
    stored_before = rows(db, "events")
    reply = await forget_conversation(agent, SENDER)
    tracker = await task

    assert reply.status == 200
    body = json.loads(reply.body)
    assert body["events"] == stored_before + len(turn(2))  # the turn was stored, then deleted
    assert not getattr(tracker, deletions.DISCARDED, False)
    assert rows(db, "events") == 0


async def test_the_forget_route_refuses_what_is_not_a_conversation_id(tmp_path: Path) -> None:
    agent = Agent(make_store(tmp_path / "t.db"))
    for sender in (None, "", 5, "x" * 256):
        assert (await forget_conversation(agent, sender)).status == 400


@pytest.fixture
def postgres_db() -> Iterator[str]:
    """A fresh PostgreSQL database (its name), dropped afterwards."""
    if not port_open("127.0.0.1", 5432):
        unavailable("PostgreSQL is not listening on 127.0.0.1:5432")
    import psycopg2

    name = f"eysend_unit_{secrets.token_hex(4)}"
    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


async def test_on_postgresql_a_deletion_during_a_turn_is_final(postgres_db: str) -> None:
    store = make_store(postgres_db)
    await play(store, fresh_reference(), 3)
    in_flight = await store.retrieve(SENDER)

    ConversationStore(f"postgresql://postgres@127.0.0.1:5432/{postgres_db}").delete(SENDER)
    for event in turn(3):
        in_flight.update(event)
    await store.save(in_flight)

    assert getattr(in_flight, deletions.DISCARDED, False)
    assert await store.retrieve(SENDER) is None
    store.engine.dispose()
