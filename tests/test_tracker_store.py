"""The redacting tracker store: Rasa loads it from endpoints config and it stores no details."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import internals
from bot.rasa_plugins.tracker_store import RedactingSQLTrackerStore, redact_event

DETAILS = ["Sarah Jones", "07700 900123", "sarah@example.com", "12 Bury Lane", "SG8 9BX"]
TEXT = (
    "my name is Sarah Jones, call 07700 900123 or sarah@example.com, "
    "we live at 12 Bury Lane SG8 9BX, born 03/05/2022"
)


def make_store(tmp_path: Path) -> TrackerStore:
    config = EndpointConfig(
        type="bot.rasa_plugins.tracker_store.RedactingSQLTrackerStore",
        dialect="sqlite",
        db=str(tmp_path / "tracker.db"),
    )
    internals.install()  # as each Rasa process does at start-up
    return TrackerStore.create(config, Domain.empty())


def tracker_with_details() -> DialogueStateTracker:
    tracker = DialogueStateTracker("sender-1", [])
    parse = {
        "text": TEXT,
        "intent": {"name": "inform", "confidence": 0.9},
        "entities": [{"entity": "email", "value": "sarah@example.com"}],
    }
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered(TEXT, parse_data=parse))
    tracker.update(SlotSet("dspl_place", "12 Bury Lane"))
    tracker.update(BotUttered("Thanks. I have 07700 900123."))
    return tracker


def stored_rows(tmp_path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        return db.execute("SELECT type_name, data FROM events ORDER BY id").fetchall()


def test_rasa_builds_the_redacting_store_from_endpoints_config(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    assert isinstance(store, RedactingSQLTrackerStore)


async def test_saved_events_hold_no_personal_details(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    tracker = tracker_with_details()
    await store.save(tracker)
    rows = stored_rows(tmp_path)
    dump = json.dumps(rows)
    assert [r[0] for r in rows] == ["action", "user", "slot", "bot"]
    for detail in DETAILS:
        assert detail not in dump, detail
    user = json.loads(rows[1][1])
    assert user["parse_data"]["intent"]["name"] == "inform"  # what Rasa needs is kept
    assert "SG8" in user["text"] and "[phone]" in user["text"] and "[date]" in user["text"]


async def test_saving_again_adds_only_new_events_and_reads_back(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    tracker = tracker_with_details()
    await store.save(tracker)
    tracker.update(UserUttered("he is 2 and a half", parse_data={"text": "he is 2 and a half"}))
    await store.save(tracker)
    rows = stored_rows(tmp_path)
    assert len(rows) == 5
    back = await store.retrieve("sender-1")
    assert back is not None and len(back.events) == 5
    assert back.latest_message.text == "he is 2 and a half"  # ages are not personal data


def test_redact_event_keeps_structure_and_names_of_things() -> None:
    event = {
        "event": "user",
        "text": "email me at a.b@example.org",
        "parse_data": {"text": "email me at a.b@example.org", "intent": {"name": "x"}},
        "metadata": {"note": "phone 01234 567890"},
    }
    out = redact_event(event)
    assert out["text"] == "email me at [email]"
    assert out["parse_data"]["intent"] == {"name": "x"}
    assert out["metadata"] == {"note": "phone [phone]"}
    assert event["text"].endswith("example.org")  # the input is not changed
