"""The real assistant as `make run` starts it: the action server, Rasa with the trained model
and ``--debug`` logs, and the gateway, each on a free port (the web tests' ``stack`` fixture)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.operations.processes import free_port, running
from tests.helpers import ROOT
from tests.helpers.live_gateway import gateway_settings, python_module
from tests.helpers.raw_http import request

STACK_CLIENT = "127.0.0.31"
MODEL = Path(os.environ.get("MODEL_PATH", ROOT / "models" / "assistant.tar.gz"))


@dataclass
class Stack:
    """Where the running stack is and what it writes."""

    port: int
    tracker_db: Path
    logs: list[Path]

    def chat(self, sender: str, message: str) -> tuple[int, Any]:
        """One message from ``sender``; (status, reply)."""
        return request(
            self.port, STACK_CLIENT, "POST", "/api/chat", {"sender": sender, "message": message}
        )

    def new_sender(self) -> str:
        """A new sender id from the gateway."""
        status, body = request(self.port, STACK_CLIENT, "POST", "/api/session", {})
        assert status == 201, body
        return body["sender"]

    def stored(self) -> str:
        """Everything in the tracker store, as text."""
        with sqlite3.connect(self.tracker_db) as db:
            rows = db.execute("SELECT sender_id, intent_name, action_name, data FROM events")
            return "\n".join(" ".join(str(c) for c in row) for row in rows)

    def senders(self) -> set[str]:
        """Every sender the tracker store has events for."""
        with sqlite3.connect(self.tracker_db) as db:
            return {r[0] for r in db.execute("SELECT DISTINCT sender_id FROM events")}

    def logged(self) -> str:
        """Everything the three processes logged."""
        return "\n".join(p.read_text(errors="replace") for p in self.logs)


@contextlib.contextmanager
def real_stack(work: Path) -> Iterator[Stack]:
    """The action server, Rasa (``--debug``) and the gateway, files under ``work``, until the
    block ends."""
    actions, rasa, gateway = free_port(), free_port(), free_port()
    tracker_db = work / "tracker.db"
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions}/webhook"\n'
        "tracker_store:\n  type: bot.rasa_plugins.tracker_store.RedactingSQLTrackerStore\n"
        f'  dialect: "sqlite"\n  db: "{tracker_db}"\n'
    )
    rasa_cmd = [
        sys.executable, "-m", "bot.rasa_plugins.run", "run", "--interface", "127.0.0.1",
        "--port", str(rasa), "--model", str(MODEL), "--endpoints", str(endpoints),
        "--credentials", "credentials.yml", "--debug",
    ]  # fmt: skip
    common = {"RASA_TELEMETRY_ENABLED": "false", "LOG_LEVEL": "DEBUG"}
    gateway_env = gateway_settings(
        work, gateway, f"http://127.0.0.1:{rasa}", f"http://127.0.0.1:{actions}",
        **common,
        RASA_TIMEOUT_SECONDS="30",
        TRACKER_DB_URL=f"sqlite:///{tracker_db}",
        RATE_SENDER_BURST="100",
        # The answer tests send hundreds of messages from one address, faster than people.
        RATE_IP_BURST="100000",
        RATE_IP_PER_MIN="100000",
        RATE_SESSION_BURST="100000",
        RATE_SESSION_PER_MIN="100000",
    )
    logs = [work / "actions.log", work / "rasa.log", work / "gateway.log"]
    with (
        running(
            python_module("bot.operations.action_server"),
            {**common, "ACTION_SERVER_PORT": str(actions)},
            f"http://127.0.0.1:{actions}/health",
            logs[0],
            name="actions",
        ),
        running(rasa_cmd, common, f"http://127.0.0.1:{rasa}/", logs[1], timeout=240,
                name="rasa"),
        running(
            python_module("bot.web"), gateway_env, f"http://127.0.0.1:{gateway}/health",
            logs[2], name="gateway",
        ),
    ):
        yield Stack(gateway, tracker_db, logs)
