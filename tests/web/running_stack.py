"""The real assistant as `make run` starts it, once for the test session: the action server,
Rasa with the trained model and ``--debug`` logs, and the gateway, each on a free port."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent


STACK_CLIENT = "127.0.0.31"
MODEL = Path(os.environ.get("MODEL_PATH", HERE.parents[1] / "models" / "assistant.tar.gz"))


@dataclass
class Stack:
    """Where the running stack is and what it writes."""

    port: int
    tracker_db: Path
    logs: list[Path]

    def chat(self, sender: str, message: str) -> tuple[int, Any]:
        from test_hostile import request

        return request(
            self.port, STACK_CLIENT, "POST", "/api/chat", {"sender": sender, "message": message}
        )

    def new_sender(self) -> str:
        from test_hostile import request

        status, body = request(self.port, STACK_CLIENT, "POST", "/api/session", {})
        assert status == 201, body
        return body["sender"]

    def stored(self) -> str:
        """Everything in the tracker store, as text."""
        with sqlite3.connect(self.tracker_db) as db:
            rows = db.execute("SELECT sender_id, intent_name, action_name, data FROM events")
            return "\n".join(" ".join(str(c) for c in row) for row in rows)

    def senders(self) -> set[str]:
        with sqlite3.connect(self.tracker_db) as db:
            return {r[0] for r in db.execute("SELECT DISTINCT sender_id FROM events")}

    def logged(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        if os.environ.get("CI"):
            pytest.fail(f"no trained model at {MODEL}: run `make train` first")
        pytest.skip(f"no trained model at {MODEL}")
    work = tmp_path_factory.mktemp("stack")
    from fake_upstream import free_port
    from processes import python_module, running

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
    gateway_env = {
        **common,
        "GATEWAY_PORT": str(gateway),
        "RASA_URLS": f"http://127.0.0.1:{rasa}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions}",
        "RASA_TIMEOUT_SECONDS": "30",
        "TRACKER_DB_URL": f"sqlite:///{tracker_db}",
        "REFERRAL_STORE": str(work / "referrals.db"),
        "FEEDBACK_STORE": str(work / "insight.db"),
        "RATE_SENDER_BURST": "100",
        # The answer tests send hundreds of messages from one address, faster than people.
        "RATE_IP_BURST": "100000",
        "RATE_IP_PER_MIN": "100000",
        "RATE_SESSION_BURST": "100000",
        "RATE_SESSION_PER_MIN": "100000",
    }
    logs = [work / "actions.log", work / "rasa.log", work / "gateway.log"]
    with (
        running(
            python_module("bot.operations.action_server"),
            {**common, "ACTION_SERVER_PORT": str(actions)},
            f"http://127.0.0.1:{actions}/health",
            logs[0],
        ),
        running(rasa_cmd, common, f"http://127.0.0.1:{rasa}/", logs[1], timeout=240),
        running(
            python_module("bot.web"), gateway_env, f"http://127.0.0.1:{gateway}/health", logs[2]
        ),
    ):
        yield Stack(gateway, tracker_db, logs)


