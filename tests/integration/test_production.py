"""The production profile: two Rasa instances on PostgreSQL (tracker store) and Redis (locks).

Runs against the real PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379. Without
them these tests skip with the reason; with REQUIRE_SERVICES=1 (CI) they fail instead.
The tracker database and the lock store reach PostgreSQL and Redis through loopback TCP
proxies that the fault tests cut, so the machine's shared servers are never stopped.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.operations.deploy_profile import PRODUCTION_DEFAULTS
from bot.operations.processes import free_port
from bot.operations.report.tracker import read_events
from bot.operations.schema import prepare
from bot.storage.conversations import ConversationStore, tracker_db_url, tracker_source
from tests.helpers import ROOT
from tests.helpers.chat_api import Chat, post_json, texts
from tests.helpers.real_conversation import (
    AGE_QUESTION,
    CREDENTIALS,
    SETTING_QUESTION,
    WORRIES_QUESTION,
    assert_human_route,
)
from tests.helpers.real_processes import (
    ProcessGroup,
    action_server,
    gateway,
    kept_running,
    rasa_server,
)
from tests.helpers.services import port_open, unavailable
from tests.helpers.tcpproxy import TcpProxy

PG = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
ENDPOINTS = ROOT / "deploy" / "endpoints.production.yml"


def pg_connect(db: str = "postgres"):  # noqa: ANN201 (psycopg2 connection)
    import psycopg2

    return psycopg2.connect(host=PG[0], port=PG[1], user="postgres", dbname=db,
                            connect_timeout=3)


@pytest.fixture(scope="module")
def services() -> None:
    """PostgreSQL and Redis must answer, or the module skips (fails under REQUIRE_SERVICES=1)."""
    if not port_open(*PG):
        unavailable("PostgreSQL is not listening on 127.0.0.1:5432")
    if not port_open(*REDIS):
        unavailable("Redis is not listening on 127.0.0.1:6379")
    try:
        pg_connect().close()
        import redis

        redis.Redis(host=REDIS[0], port=REDIS[1], socket_timeout=3).ping()
    except Exception as err:
        unavailable(f"PostgreSQL or Redis refused us: {err}")


class Cluster(ProcessGroup):
    """Action server, two Rasa instances and the gateway, with a fresh database."""

    def __init__(self, tmp: Path) -> None:
        tag = secrets.token_hex(4)
        self.db = f"eysend_test_{tag}"
        self.proxy = TcpProxy(PG, free_port())
        self.redis_proxy = TcpProxy(REDIS, free_port())
        action_port = free_port()
        self.rasa_ports = [free_port(), free_port()]
        self.gateway_port = free_port()
        env = {
            **PRODUCTION_DEFAULTS,
            "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}",
            "TRACKER_DB_PORT": str(self.proxy.port),
            "REDIS_PORT": str(self.redis_proxy.port),
            "TRACKER_DB_NAME": self.db,
            "REDIS_KEY_PREFIX": f"eysendtest{tag}",
            "TICKET_LOCK_LIFETIME": "10",
        }
        self.actions = action_server(tmp, action_port)
        self.rasa = [rasa_server(tmp, p, ENDPOINTS, CREDENTIALS, **env) for p in self.rasa_ports]
        self.gateway = gateway(
            tmp, self.gateway_port, self.rasa_urls, env["ACTION_SERVER_URL"],
            RASA_TIMEOUT_SECONDS="15",
        )
        self.env = {**env, "ENDPOINTS_FILE": str(ENDPOINTS)}
        self.all = [self.actions, *self.rasa, self.gateway]

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.rasa_ports]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def start(self) -> None:
        self.proxy.start()
        self.redis_proxy.start()
        prepare(self.env)  # the database and tables, once, as the launcher does first
        super().start()

    def stop(self) -> None:
        super().stop()
        self.proxy.close()
        self.redis_proxy.close()
        conn = pg_connect()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        conn.close()

    def user_texts(self, sender: str) -> list[str]:
        """The user messages stored for a conversation, in order."""
        conn = pg_connect(self.db)
        with conn.cursor() as cur:
            cur.execute(
                "SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' ORDER BY id",
                (sender,),
            )
            rows = [json.loads(data).get("text", "") for (data,) in cur.fetchall()]
        conn.close()
        return rows


@pytest.fixture(scope="module")
def cluster(
    services: None, trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    with kept_running(Cluster(tmp_path_factory.mktemp("production"))) as found:
        yield found


REFERRAL_TURNS = [
    ("hello", ""),
    ("can I refer my son to the early years send team?", AGE_QUESTION),
    ("he is 2 and a half", SETTING_QUESTION),
    ("yes", WORRIES_QUESTION),
]


def test_the_report_reads_the_production_database(cluster: Cluster) -> None:
    """make report and the admin page find the tracker store by the same settings as Rasa."""
    sender = f"report-{secrets.token_hex(4)}"
    url = f"{cluster.rasa_urls[0]}/webhooks/rest/webhook"
    assert post_json(url, {"sender": sender, "message": "hello"})[0] == 200

    events = read_events(tracker_source(cluster.env))

    assert any(e.sender == sender and e.type == "user" and e.text == "hello" for e in events)


def test_a_conversation_is_deleted_from_the_production_database(cluster: Cluster) -> None:
    """What "Delete my conversation" does, on PostgreSQL (the widget's route calls this)."""
    sender = f"forget-{secrets.token_hex(4)}"
    url = f"{cluster.rasa_urls[0]}/webhooks/rest/webhook"
    assert post_json(url, {"sender": sender, "message": "hello"})[0] == 200
    store = ConversationStore(tracker_db_url(cluster.env))

    try:
        deleted = store.delete(sender)
    finally:
        store.close()

    assert deleted > 0 and cluster.user_texts(sender) == []


def test_turns_alternate_between_instances(cluster: Cluster) -> None:
    """Each turn goes to the other instance; the shared store keeps every turn, in order."""
    sender = f"alternate-{secrets.token_hex(4)}"
    for i, (message, expected) in enumerate(REFERRAL_TURNS):
        url = f"{cluster.rasa_urls[i % 2]}/webhooks/rest/webhook"
        status, reply = post_json(url, {"sender": sender, "message": message})
        assert status == 200 and expected in texts(reply), (i, reply)
    stored = cluster.user_texts(sender)
    assert len(stored) == len(REFERRAL_TURNS), stored
    assert stored[0] == "hello" and stored[-1] == "yes", stored


def test_database_down_then_back(cluster: Cluster) -> None:
    chat = Chat(cluster.url)
    for message, expected in REFERRAL_TURNS[:2]:
        status, reply = chat.say(message)
        assert status == 200 and expected in texts(reply), reply
    cluster.proxy.cut()
    try:
        assert_human_route(*chat.say("he is 2 and a half"))
    finally:
        cluster.proxy.start()
    status, reply = chat.say("he is 2 and a half")
    assert status == 200 and SETTING_QUESTION in texts(reply), reply


def test_lock_store_down_then_back(cluster: Cluster) -> None:
    """Redis (the turn locks) cut: the person gets the human route, then carries on."""
    chat = Chat(cluster.url)
    status, reply = chat.say(REFERRAL_TURNS[0][0])
    assert status == 200, reply
    message, expected = REFERRAL_TURNS[1]
    cluster.redis_proxy.cut()
    try:
        assert_human_route(*chat.say(message))
    finally:
        cluster.redis_proxy.start()
    status, reply = chat.say(message)
    assert status == 200 and expected in texts(reply), reply


WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
CONVERSATIONS = 6
MAX_TRIES = 3


def test_kill_one_instance_mid_load(cluster: Cluster) -> None:
    """SIGKILL one instance during a load through the gateway.

    "Loses nothing" means: every message that got a 200 is stored exactly once, in the
    order it was sent; a message that got no 200 is retried (at most 3 tries) by the client,
    with the same message id, as the widget does after a dropped connection.
    """
    chats = [Chat(cluster.url) for _ in range(CONVERSATIONS)]
    outcomes: dict[str, list[tuple[str, int, int]]] = {c.sender: [] for c in chats}
    halfway = threading.Barrier(CONVERSATIONS + 1, timeout=120)

    def talk(chat: Chat) -> None:
        for n, word in enumerate(WORDS):
            if n == len(WORDS) // 2:
                halfway.wait()
            message = f"what evidence do you need {word}"
            attempt, status, message_id = 0, 0, secrets.token_hex(12)
            while status != 200 and attempt < MAX_TRIES:
                attempt += 1
                status, _ = chat.say(message, timeout=40, message_id=message_id)
                if status != 200:
                    time.sleep(1)
            outcomes[chat.sender].append((message, status, attempt))

    threads = [threading.Thread(target=talk, args=(c,), daemon=True) for c in chats]
    for t in threads:
        t.start()
    halfway.wait()
    time.sleep(0.3)  # messages of the second half are in flight
    cluster.rasa[1].kill()
    for t in threads:
        t.join(timeout=240)
    assert not any(t.is_alive() for t in threads), "a conversation did not finish in time"

    retried = 0
    for sender, results in outcomes.items():
        assert [s for _, s, _ in results] == [200] * len(WORDS), results
        retried += sum(1 for *_, a in results if a > 1)
        stored = cluster.user_texts(sender)
        sent = [m for m, _, _ in results]
        assert [t for t in stored if t in sent] == sent, (results, stored)
    print(f"kill test: {CONVERSATIONS * len(WORDS)} messages, all 200, "
          f"{retried} needed a client retry")
