"""The assistant as `make run` starts it (``python -m bot.operations.launcher``, two Rasa
processes), on
the default profile (SQLite, in-memory locks) and the production one (PostgreSQL + Redis).

Each profile is started once, from nothing (an empty data folder; a database that was just
dropped), and then: 50 "delete my conversation" races, a deletion leaving no trace on
disk, Rasa's HTTP API and listening addresses, and a Rasa process killed mid-conversation.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.operations.deploy_profile import resolve
from bot.operations.processes import http_status, process_tree
from bot.storage.conversations import CHECKPOINTS, EVENTS, tracker_db_url
from bot.web.upstream import route_order
from tests.helpers import ROOT
from tests.helpers.chat_api import Chat, post_json, texts
from tests.helpers.real_conversation import (
    AGE_QUESTION,
    SETTING_QUESTION,
    WORRIES_QUESTION,
    sqlite_endpoints,
)
from tests.helpers.real_processes import Launcher
from tests.helpers.services import port_open, unavailable

PROFILES = ["sqlite", "production"]
PRODUCTION_ENDPOINTS = ROOT / "deploy" / "endpoints.production.yml"


def drop_database(name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def production_settings(tag: str) -> dict[str, str]:
    if not port_open("127.0.0.1", 5432) or not port_open("127.0.0.1", 6379):
        unavailable("PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) is not listening")
    return {
        "ENDPOINTS_FILE": str(PRODUCTION_ENDPOINTS),
        "TRACKER_DB_NAME": f"eysend_launch_{tag}",
        "REDIS_KEY_PREFIX": f"eysendlaunch{tag}",
    }


@dataclass
class Started:
    """One profile started by the launcher, and how the start went."""

    profile: str
    launcher: Launcher
    ready: bool
    settings: dict[str, str] = field(default_factory=dict)

    def engine(self) -> sa.engine.Engine:
        env = self.launcher.env  # with the defaults the launcher fills in
        return sa.create_engine(tracker_db_url({**env, **resolve(env, ROOT).env}))


@pytest.fixture(scope="module", params=PROFILES)
def started(
    request: pytest.FixtureRequest, trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Started]:
    tmp = tmp_path_factory.mktemp(request.param)
    tag = secrets.token_hex(4)
    if request.param == "production":
        settings = production_settings(tag)
        drop_database(settings["TRACKER_DB_NAME"])
    else:  # endpoints.yml as shipped, with this run's action server port and data folder
        settings = {}
    launcher = Launcher(tmp, **settings)
    if request.param == "sqlite":  # the tracker store in the data folder, var/tracker.db
        launcher.env["ENDPOINTS_FILE"] = str(sqlite_endpoints(launcher.var, launcher.action_port))
    try:
        yield Started(request.param, launcher, launcher.start(), settings)
    finally:
        launcher.stop()
        if request.param == "production":
            drop_database(settings["TRACKER_DB_NAME"])


@pytest.fixture
def running(started: Started) -> Started:
    """The started profile, which must be up (the first test says why if it is not)."""
    assert started.ready and started.launcher.alive(), started.launcher.tail()
    return started


def test_the_first_start_works_from_nothing(started: Started) -> None:
    """An empty data folder, or a PostgreSQL without the database: both instances come up."""
    assert started.ready, f"the launcher did not start:\n{started.launcher.tail()}"
    chat = Chat(started.launcher.url)
    status, reply = chat.say("can I refer my son to the early years send team?")
    assert status == 200 and AGE_QUESTION in texts(reply), reply
    with started.engine().connect() as db:
        tables = set(sa.inspect(db).get_table_names())
    assert {"events", "tracker_checkpoints", "conversation_deletions"} <= tables


# --- "Delete my conversation" against a turn in flight --------------------------------------

AGE_ANSWER = "he is 2 and a half"
# Six turns before the race, so that the racing turn is the seventh and would write a
# checkpoint (history_turns 3: more than 6 turns) holding the role and the age.
SETUP = [
    "hello",
    "who is the team for?",
    "do you do home visits?",
    "what evidence do you need?",
    "can I refer my son to the early years send team?",
    AGE_ANSWER,
]
AFTER = ["he hardly talks and does not understand", "yes", "yes"]  # the rest of the check
RACES = 50
DELAYS = [0.0, 0.01, 0.02, 0.02, 0.03, 0.05, 0.08]  # between "yes" and the delete
KEPT_SLOTS = ("child_age_months", "attends_setting", "requester_role")


@dataclass
class Race:
    sender: str
    delay: float
    overlapped: bool = False  # the delete was sent before the turn's answer came back
    deleted: bool = False
    problems: list[str] = field(default_factory=list)


def stored(started: Started, sender: str) -> tuple[list[str], set[str], int]:
    """User texts, slots set (to a value), and checkpoint rows stored for a conversation."""
    engine = started.engine()
    with engine.connect() as db:
        rows = db.execute(
            sa.select(EVENTS.c.type_name, EVENTS.c.data).where(EVENTS.c.sender_id == sender)
        ).all()
        checkpoints = db.execute(
            sa.select(sa.func.count()).where(CHECKPOINTS.c.sender_id == sender)
        ).scalar()
    engine.dispose()
    events = [json.loads(data) for _, data in rows]
    user = [e.get("text") or "" for e in events if e.get("event") == "user"]
    slots = {e["name"] for e in events if e.get("event") == "slot" and e.get("value") is not None}
    return user, slots, int(checkpoints or 0)


def race(started: Started, number: int) -> Race:
    """A check up to the setting question; "yes" and, a moment later, the delete."""
    url = started.launcher.url
    chat = Chat(url)
    result = Race(chat.sender, DELAYS[number % len(DELAYS)])
    for message in SETUP:
        status, reply = chat.say(message)
        if status != 200:
            result.problems.append(f"setup {message!r}: {status}")
            return result
    before, _, _ = stored(started, chat.sender)
    answered = threading.Event()
    turn: dict[str, object] = {}

    def say_yes() -> None:
        turn["reply"] = chat.say("yes")
        answered.set()

    thread = threading.Thread(target=say_yes)
    thread.start()
    time.sleep(result.delay)
    result.overlapped = not answered.is_set()
    status, body = post_json(f"{url}/api/conversation/delete", {"sender": chat.sender})
    thread.join(60)
    result.deleted = status == 200 and bool(body and body.get("deleted"))
    if not result.deleted:
        result.problems.append(f"delete answered {status} {body}")
    user, slots, checkpoints = stored(started, chat.sender)
    if back := [t for t in user if t in before] or (set(KEPT_SLOTS) & slots) or checkpoints:
        result.problems.append(f"after the delete: {back}, {slots}, {checkpoints} checkpoints")
    for message in AFTER:  # a turn after the deletion starts a fresh conversation
        status, reply = chat.say(message)
        if "2 years 6 months" in texts(reply) or WORRIES_QUESTION in texts(reply):
            result.problems.append(f"{message!r} carried on the deleted check: {texts(reply)}")
    user, slots, checkpoints = stored(started, chat.sender)
    if back := [t for t in user if t in before] or ({"child_age_months"} & slots) or checkpoints:
        result.problems.append(f"later: {back}, slots {slots}, {checkpoints} checkpoints")
    return result


def test_a_deleted_conversation_never_comes_back(running: Started) -> None:
    """50 races of a turn in flight and "delete my conversation", 8 at a time."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: race(running, n), range(RACES)))
    broken = [r for r in results if r.problems]
    overlapped = sum(r.overlapped for r in results)
    print(f"{running.profile}: {len(broken)} of {RACES} races brought deleted data back; "
          f"the delete was sent before the turn was answered in {overlapped}")
    for r in broken[:3]:
        print(f"  delay {r.delay * 1000:.0f} ms:", *r.problems, sep="\n    ")
    assert not broken, [(r.delay, r.problems) for r in broken[:5]]
    assert overlapped >= RACES // 2, "too few deletes met a turn in flight to mean anything"


def test_a_deletion_leaves_nothing_on_disk(running: Started) -> None:
    """No file in the data folder holds the conversation's words or its id afterwards."""
    word = "zebrafinchquokka"  # a word no one else types
    chat = Chat(running.launcher.url)
    for message in ["hello", f"what evidence do you need {word}", "can I refer my son?"]:
        assert chat.say(message)[0] == 200
    needles = [word.encode(), chat.sender.encode()]

    def holding() -> list[str]:
        found = []
        for path in running.launcher.var.rglob("*"):
            if path.is_file() and any(n in path.read_bytes() for n in needles):
                found.append(path.name)
        return found

    if running.profile == "sqlite":
        assert holding(), "the conversation was not on disk to begin with"
    status, body = post_json(f"{running.launcher.url}/api/conversation/delete",
                             {"sender": chat.sender})
    assert status == 200 and body["deleted"], body

    assert holding() == []


# --- What Rasa exposes ----------------------------------------------------------------------

RASA_API = [
    ("GET", "/status"),
    ("GET", "/version"),
    ("GET", "/domain"),
    ("GET", "/conversations/someone/tracker"),
    ("POST", "/conversations/someone/messages"),
    ("POST", "/conversations/someone/trigger_intent"),
    ("POST", "/model/parse"),
    ("PUT", "/model"),
    ("DELETE", "/model"),
    ("POST", "/model/train"),
]


def request_status(method: str, url: str) -> int:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, method=method, data=b"{}" if method != "GET" else None,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:  # noqa: S310 (loopback)
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def test_rasas_http_api_is_off(running: Started) -> None:
    """No --enable-api: the model and conversation endpoints do not exist (CVE-2024-49375)."""
    for base in running.launcher.rasa_urls:
        answers = {path: request_status(method, f"{base}{path}") for method, path in RASA_API}
        assert all(status == 404 for status in answers.values()), answers
        assert http_status(f"{base}/") == 200  # the process itself is up


def listening(pid: int) -> set[str]:
    """The TCP addresses ("ip:port") a process listens on, from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table, width in (("tcp", 8), ("tcp6", 32)):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            parts = line.split()
            if parts[3] == "0A" and parts[9] in inodes:  # 0A: LISTEN
                found.add(decode_address(parts[1], width))
    return found


def decode_address(field_: str, width: int) -> str:
    host, port = field_.split(":")
    raw = bytes.fromhex(host)
    if width == 8:
        ip = ".".join(str(b) for b in raw[::-1])
    else:
        words = [raw[i : i + 4][::-1] for i in range(0, 16, 4)]
        ip = ":".join(b.hex() for b in words)
    return f"{ip}:{int(port, 16)}"


def test_rasa_and_the_action_server_listen_only_on_loopback(running: Started) -> None:
    launcher = running.launcher
    ports = {*launcher.rasa_ports, launcher.action_port}
    checked = {}
    for port in ports:
        pid = launcher.pid_of(port)
        if pid is None:  # the action server is started without --port: find it by its port
            pid = next(p for p in process_tree(launcher.process.pid)
                       if any(a.endswith(f":{port}") for a in listening(p)))
        checked[port] = listening(pid)
    assert all(addresses for addresses in checked.values()), checked
    assert all(a.startswith("127.") for addresses in checked.values() for a in addresses), checked


# CVE-2022-35920's shape (Sanic's static files reached through an encoded "../") and its
# relatives: encoded dots and slashes, double encoding, backslashes, absolute paths.
TRAVERSALS = [
    "/static/..%2f..%2fpyproject.toml",
    "/static/..%2F..%2Fpyproject.toml",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/%252e%252e%252f%252e%252e%252fpyproject.toml",
    "/static/..%252f..%252fpyproject.toml",
    "/static/..%5c..%5cpyproject.toml",
    "/static/..\\..\\pyproject.toml",
    "/static/....//....//pyproject.toml",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/%2fetc%2fpasswd",
    "/static//etc/passwd",
    "/static/..%c0%af..%c0%afpyproject.toml",
    "/static/site.css%2f..%2f..%2f..%2fpyproject.toml",
    "/widget.js/..%2f..%2fpyproject.toml",
    "/%2e%2e/%2e%2e/pyproject.toml",
    "/guide/..%2f..%2fpyproject.toml",
]
SECRETS = (b"[project]", b"root:x:0:0", b"import ")


def raw_get(base: str, path: str) -> tuple[int, bytes]:
    """GET exactly this path (no client-side normalising); (status, body)."""
    import http.client

    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def test_static_routes_are_not_open_to_encoded_traversal(running: Started) -> None:
    base = running.launcher.url
    assert raw_get(base, "/static/site.css")[0] == 200  # the route itself works
    answers = {path: raw_get(base, path) for path in TRAVERSALS}
    leaked = [p for p, (_, body) in answers.items() if any(s in body for s in SECRETS)]
    assert leaked == []
    assert all(400 <= status < 500 for status, _ in answers.values()), {
        p: s for p, (s, _) in answers.items()}


# --- A crash ---------------------------------------------------------------------------------


def test_a_killed_rasa_process_comes_back_and_the_conversation_carries_on(
    running: Started,
) -> None:
    """kill -9 of the conversation's own Rasa process while its turn is in flight."""
    launcher = running.launcher
    chat = Chat(launcher.url)
    status, reply = chat.say("can I refer my son to the early years send team?")
    assert status == 200 and AGE_QUESTION in texts(reply), reply
    own = route_order(chat.sender, launcher.rasa_urls)[0]
    port = int(own.rsplit(":", 1)[1])
    victim = launcher.pid_of(port)
    assert victim is not None
    answer: dict[str, object] = {}
    thread = threading.Thread(target=lambda: answer.update(turn=chat.say(AGE_ANSWER)))
    thread.start()
    time.sleep(0.03)
    os.kill(victim, signal.SIGKILL)
    thread.join(60)

    status, reply = answer["turn"]  # type: ignore[misc]
    assert status == 200 and SETTING_QUESTION in texts(reply), reply
    status, reply = chat.say("yes")
    assert status == 200 and WORRIES_QUESTION in texts(reply), reply
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not (
        http_status(f"{own}/") == 200 and launcher.pid_of(port) not in (None, victim)
    ):
        assert launcher.alive(), f"the launcher stopped:\n{launcher.tail()}"
        time.sleep(1)
    assert http_status(f"{own}/") == 200, f"the instance did not come back:\n{launcher.tail()}"
    assert launcher.alive()
    status, reply = chat.say("he hardly talks and does not understand")
    assert status == 200 and texts(reply), reply
