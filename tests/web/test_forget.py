"""'Delete my conversation': the gateway deletes the tracker and the drafts at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sanic import Sanic

from bot.storage.conversations import EVENTS, ConversationStore
from bot.storage.deletions import sender_key
from tests.helpers.fake_upstream import FakeUpstream
from tests.helpers.web_app import chat, new_sender

PATH = "/api/conversation/delete"


def seed_tracker(path: Path, senders: list[str]) -> str:
    """A tracker database in Rasa's layout with two events per sender."""
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as db:
        for sender in senders:
            for t in (1.0, 2.0):
                db.execute(EVENTS.insert().values(sender_id=sender, type_name="user", timestamp=t))
    engine.dispose()
    return url


def stored_senders(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT DISTINCT sender_id FROM events")}


@pytest.fixture
def forget_app(make_app: Callable[..., Sanic], tmp_path: Path) -> Sanic:
    return make_app(tracker_db_url=f"sqlite:///{tmp_path / 'tracker.db'}")


async def chat_to_handoff(app: Sanic, sender: str) -> None:
    for message in ["/greet", '/inform{"choice":"parent"}', "2 and a half"]:
        assert (await chat(app, sender, message)).status == 200
    for _ in range(4):
        resp = await chat(app, sender, "yes")
        if any("handoff" in (m.get("custom") or {}) for m in resp.json):
            return
    raise AssertionError("no handoff")


async def test_delete_removes_tracker_and_drafts_of_that_sender_only(
    forget_app: Sanic, tmp_path: Path, upstream: FakeUpstream
) -> None:
    me, other = await new_sender(forget_app), await new_sender(forget_app)
    url = seed_tracker(tmp_path / "tracker.db", [me, other])
    upstream.forget = ConversationStore(url).delete  # what Rasa's channel does, under the lock
    await chat_to_handoff(forget_app, me)
    await chat_to_handoff(forget_app, other)
    assert forget_app.ctx.referrals.count() == 2

    _, resp = await forget_app.asgi_client.post(PATH, json={"sender": me})

    assert resp.status == 200
    assert resp.json["deleted"] is True and resp.json["events"] == 2
    assert resp.json["referrals"] == 1
    assert "deleted" in resp.json["message"]
    assert stored_senders(tmp_path / "tracker.db") == {other}
    assert forget_app.ctx.referrals.count() == 1
    assert resp.headers["cache-control"] == "no-store"
    assert upstream.forgotten == [me]  # Rasa was asked, so the turn lock was taken


async def test_the_conversation_is_deleted_by_rasa_not_behind_its_back(
    forget_app: Sanic, tmp_path: Path, upstream: FakeUpstream
) -> None:
    """While Rasa runs, only Rasa deletes (under the turn lock); a refusal is a 503."""
    me = await new_sender(forget_app)
    seed_tracker(tmp_path / "tracker.db", [me])
    upstream.status = 503

    _, resp = await forget_app.asgi_client.post(PATH, json={"sender": me})

    assert resp.status == 503 and "could not be deleted" in resp.json["error"]
    assert upstream.forgotten == [me]
    assert stored_senders(tmp_path / "tracker.db") == {me}  # not deleted around Rasa


async def test_with_no_rasa_running_the_gateway_deletes_and_leaves_a_marker(
    forget_app: Sanic, tmp_path: Path, upstream: FakeUpstream
) -> None:
    me = await new_sender(forget_app)
    seed_tracker(tmp_path / "tracker.db", [me])
    upstream.stop()

    _, resp = await forget_app.asgi_client.post(PATH, json={"sender": me})

    assert resp.status == 200 and resp.json["events"] == 2
    assert stored_senders(tmp_path / "tracker.db") == set()
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        markers = [r[0] for r in db.execute("SELECT sender_key FROM conversation_deletions")]
    assert markers == [sender_key(me)]


async def test_delete_refuses_forged_and_malformed_senders(
    forget_app: Sanic, tmp_path: Path
) -> None:
    me = await new_sender(forget_app)
    seed_tracker(tmp_path / "tracker.db", [me])
    forged = me[:-4] + ("AAAA" if not me.endswith("AAAA") else "BBBB")
    for body, status in [({"sender": forged}, 403), ({"sender": "x" * 100_000}, 413)]:
        _, resp = await forget_app.asgi_client.post(PATH, json=body)
        assert resp.status == status
    for raw in [b"not json", b"[]", b'{"sender": 5}', b"{}"]:
        _, resp = await forget_app.asgi_client.post(
            PATH, content=raw, headers={"content-type": "application/json"}
        )
        assert resp.status == 400
    assert stored_senders(tmp_path / "tracker.db") == {me}


async def test_delete_without_a_stored_conversation_is_fine(forget_app: Sanic) -> None:
    me = await new_sender(forget_app)
    _, resp = await forget_app.asgi_client.post(PATH, json={"sender": me})
    assert resp.status == 200 and resp.json["events"] == 0


async def test_delete_when_the_store_is_unreachable_says_so(
    make_app: Callable[..., Sanic], upstream: FakeUpstream
) -> None:
    app = make_app(tracker_db_url="postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
    upstream.stop()  # no Rasa: the gateway would delete itself, and cannot reach the store
    me = await new_sender(app)
    _, resp = await app.asgi_client.post(PATH, json={"sender": me})
    assert resp.status == 503
    assert "could not be deleted" in resp.json["error"]


async def test_widget_has_the_delete_control(app: Sanic) -> None:
    _, transport = await app.asgi_client.get("/widget/transport.js")
    _, main = await app.asgi_client.get("/widget/main.js")
    assert "/api/conversation/delete" in transport.text and "T.delete_conversation" in main.text
    _, cfg = await app.asgi_client.get("/api/widget-config")
    texts = cfg.json["texts"]
    assert texts["delete_conversation"] == "Delete my conversation"
    assert "Delete my conversation" in " ".join(texts["privacy_notice"])
