"""Faults on the default profile (SQLite on disk): the real processes are stopped and started.

Each fault must give the person a clear message with the phone/e-mail route, and the
conversation must carry on from where it was once the part is back.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.operations.processes import free_port
from tests.helpers import real_processes as real
from tests.helpers.chat_api import Chat, post_json, texts
from tests.helpers.real_conversation import (
    AGE_QUESTION,
    CREDENTIALS,
    SETTING_QUESTION,
    WORRIES_QUESTION,
    assert_human_route,
    sqlite_endpoints,
)


class Stack(real.ProcessGroup):
    """Action server, one Rasa and the gateway, on free ports."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        action_port, rasa_port, self.gateway_port = free_port(), free_port(), free_port()
        self.action_port = action_port
        endpoints = sqlite_endpoints(tmp, action_port)
        self.actions = real.action_server(tmp, action_port)
        self.rasa = real.rasa_server(tmp, rasa_port, endpoints, CREDENTIALS)
        self.gateway = real.gateway(
            tmp, self.gateway_port, [f"http://127.0.0.1:{rasa_port}"],
            f"http://127.0.0.1:{action_port}",
        )
        self.all = [self.actions, self.rasa, self.gateway]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"



@pytest.fixture(scope="module")
def stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with real.kept_running(Stack(tmp_path_factory.mktemp("faults"))) as found:
        yield found


def start_referral(stack: Stack) -> Chat:
    """A conversation that has reached the age question of the referral check."""
    chat = Chat(stack.url)
    status, reply = chat.say("hello")
    assert status == 200, reply
    status, reply = chat.say("can I refer my son to the early years send team?")
    assert status == 200 and AGE_QUESTION in texts(reply), reply
    return chat


AGE_ANSWER = "he is 2 and a half"


def fault_at_the_age_question(
    stack: Stack, break_it: Callable[[], None], mend_it: Callable[[], None], refused: int = 1
) -> None:
    """A referral check meets a fault: the human route (``refused`` times), then it carries
    on from the same question once the part is back."""
    chat = start_referral(stack)
    break_it()
    for _ in range(refused):
        assert_human_route(*chat.say(AGE_ANSWER))
    mend_it()
    status, reply = chat.say(AGE_ANSWER)
    assert status == 200 and SETTING_QUESTION in texts(reply), reply


def test_action_server_down_then_back(stack: Stack) -> None:
    # Twice: first via the gateway's remembered health, then via a fresh check.
    fault_at_the_age_question(stack, stack.actions.stop, stack.actions.start, refused=2)


def test_action_server_dies_within_the_health_cache(stack: Stack) -> None:
    """Rasa itself meets the dead action server: its guarded channel answers 503."""
    fault_at_the_age_question(stack, stack.actions.kill, stack.actions.start)


def test_rasa_down_then_back(stack: Stack) -> None:
    fault_at_the_age_question(stack, stack.rasa.stop, stack.rasa.start)


def test_restart_of_everything_keeps_the_conversation_and_answers(stack: Stack) -> None:
    chat = start_referral(stack)
    status, reply = chat.say(AGE_ANSWER)
    assert status == 200 and SETTING_QUESTION in texts(reply), reply
    stack.stop()
    stack.start()
    status, reply = chat.say("yes")
    assert status == 200 and WORRIES_QUESTION in texts(reply), reply
    with sqlite3.connect(stack.tmp / "tracker.db") as db:
        slots = db.execute(
            "SELECT action_name FROM events WHERE sender_id = ? AND type_name = 'slot'",
            (chat.sender,),
        ).fetchall()
    assert {"child_age_months", "attends_setting"} <= {name for (name,) in slots}


class PostcodeApi:
    """A postcodes.io-style API on loopback that can be slow, down, or fine."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.delay = 0.0
        self.calls: list[str] = []
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                api.calls.append(self.path)
                time.sleep(api.delay)
                body = (b'{"status":200,"result":{"admin_district":"Stevenage",'
                        b'"admin_county":"Hertfordshire"}}')
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def test_postcode_api_slow_down_and_back(stack: Stack) -> None:
    """With the live lookup on, a slow or dead API falls back to the offline tables in time.

    Sent straight to Rasa's REST channel: the gateway keeps only the postcode district
    (privacy), so a full postcode, the only thing the live lookup is asked about, reaches
    the action server only from a channel without the gateway.
    """
    api = PostcodeApi(free_port())
    api.start()
    original = stack.actions
    original.stop()
    stack.actions = real.action_server(
        stack.tmp, stack.action_port, POSTCODE_LOOKUP="live",
        POSTCODE_LOOKUP_URL=f"http://127.0.0.1:{api.port}/postcodes/",
    )
    try:
        stack.actions.start()
        results = {}
        for mode in ("slow", "down", "back"):
            if mode == "slow":
                api.delay = 6.0
            elif mode == "down":
                api.stop()
            else:
                api = PostcodeApi(api.port)
                api.start()
            rest = f"{stack.rasa.health}webhooks/rest/webhook"
            sender = f"postcode-{mode}"
            assert post_json(rest, {"sender": sender, "message": "hello"})[0] == 200
            began = time.monotonic()
            status, reply = post_json(
                rest, {"sender": sender, "message": "which DSPL area is SG1 2AB in?"}
            )
            took = time.monotonic() - began
            results[mode] = (status, took, len(api.calls), texts(reply))
            assert status == 200 and texts(reply).strip(), (mode, reply)
            assert took < 8, (mode, took)
        print("postcode API:", {m: (r[0], round(r[1], 2), r[3][:60]) for m, r in results.items()})
        assert results["slow"][2] >= 1, "the live lookup was never asked"
        assert results["slow"][1] < 5, "the slow API held the conversation up"
        assert results["down"][3] == results["slow"][3], "no offline fallback when down"
        assert results["back"][3] != results["down"][3], "the live answer did not come back"
    finally:
        api.stop()
        stack.actions.stop()
        stack.actions = original
        stack.actions.start()
