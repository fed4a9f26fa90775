"""A long conversation gets the same replies whether Rasa reads all of it or a bounded window.

Two real Rasa servers share one action server; one keeps 2 turns of history per
checkpoint (the smallest allowed), the other is in effect unbounded. One sender plays
every scripted conversation of the benchmark back to back (forms started, answered,
interrupted, stopped; DSPL lookups; "show more"; questions mid-form; two misses in a
row), and every reply must match.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.scripts import load_conversations
from bot.operations.processes import free_port
from tests.helpers import ROOT
from tests.helpers.chat_api import post_json
from tests.helpers.real_processes import Proc, action_server, rasa_server

EXTRA = [  # unhappy paths the benchmark's scripts do not take
    "can I refer my child",
    "I'm his mum",
    "qwertyuiop",
    "zxcvbnm asdf",
    "he's 3",
    "my partner hits me and I'm scared for the baby",
    "yes he goes to a childminder",
    "actually he's 4",
    "stop",
]


def script() -> list[str]:
    turns = [t for c in load_conversations() for t in c.turns]
    return turns[:40] + EXTRA + turns[40:]


def endpoints(tmp: Path, name: str, action_port: int, history_turns: int) -> Path:
    data = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    data["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
    data["tracker_store"]["db"] = str(tmp / f"{name}.db")
    data["tracker_store"]["history_turns"] = history_turns
    path = tmp / f"{name}-endpoints.yml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, trained_model: Path) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("long")
    action_port = free_port()
    procs: list[Proc] = [action_server(tmp, action_port).start()]
    urls = {}
    try:
        for name, turns in (("window", 2), ("whole", 100_000)):
            port = free_port()
            path = endpoints(tmp, name, action_port, turns)
            procs.append(rasa_server(tmp, port, path, "credentials.yml").start())
            urls[name] = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        yield {"urls": urls, "tmp": tmp}
    finally:
        for proc in reversed(procs):
            proc.stop()


def visible(reply: Any) -> list[tuple[str, tuple[str, ...]]]:
    """What the person sees of a reply: texts and the buttons offered."""
    assert isinstance(reply, list), reply
    return [
        (m.get("text") or "", tuple(b.get("payload", "") for b in m.get("buttons") or []))
        for m in reply
    ]


def test_replies_do_not_depend_on_how_much_history_is_read(servers: dict) -> None:
    sender = "long-conversation-1"
    differences = []
    for number, message in enumerate(script(), start=1):
        replies = {}
        for name, url in servers["urls"].items():
            status, reply = post_json(url, {"sender": sender, "message": message})
            assert status == 200, (name, number, message, reply)
            replies[name] = visible(reply)
        if replies["window"] != replies["whole"]:
            differences.append((number, message, replies))
        assert replies["whole"], (number, message)

    assert not differences, differences[:3]
    with sqlite3.connect(servers["tmp"] / "window.db") as db:
        checkpoints = db.execute("SELECT count(*) FROM tracker_checkpoints").fetchone()[0]
        events = db.execute("SELECT count(*) FROM events").fetchone()[0]
    with sqlite3.connect(servers["tmp"] / "whole.db") as db:
        assert db.execute("SELECT count(*) FROM tracker_checkpoints").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM events").fetchone()[0] == events
    assert checkpoints == 1  # one per conversation: each new one replaces the last
