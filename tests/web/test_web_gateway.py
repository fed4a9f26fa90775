"""The gateway's input rules, sender ids, rate limits and upstream failure handling."""

from __future__ import annotations

import asyncio
import json
import logging

from bot.operations.processes import free_port
from bot.web.sessions import SenderIds, sender_hash
from tests.helpers.fake_upstream import FakeUpstream
from tests.helpers.web_app import chat, new_sender


async def test_session_issues_signed_unguessable_sender(app):
    first, second = await new_sender(app), await new_sender(app)
    assert first != second
    ids = SenderIds(app.ctx.config.secret)
    assert ids.valid(first) and ids.valid(second)
    assert len(first.split(".")[0]) >= 24  # 144 random bits


async def test_chat_round_trip_keeps_rasa_rest_shape(app, upstream):
    sender = await new_sender(app)
    resp = await chat(app, sender, "/greet")
    assert resp.status == 200
    messages = resp.json
    assert isinstance(messages, list) and len(messages) == 2
    assert all(m["recipient_id"] == sender for m in messages)
    assert messages[1]["buttons"][0] == {
        "title": "I'm a parent or carer",
        "payload": '/inform{"choice":"parent"}',
    }
    assert [(r["sender"], r["message"]) for r in upstream.received] == [(sender, "/greet")]
    assert len(upstream.received[0]["metadata"]["message_id"]) == 24


async def test_chat_without_sender_gets_one_issued(app, upstream):
    resp = await chat(app, None, "hello")
    assert resp.status == 200
    issued = resp.headers["X-Chat-Sender"]
    assert SenderIds(app.ctx.config.secret).valid(issued)
    assert resp.json[0]["recipient_id"] == issued
    assert upstream.received[0]["sender"] == issued


async def test_forged_sender_is_refused(app, upstream):
    other = SenderIds(b"some-other-secret").issue()
    resp = await chat(app, other, "hello")
    assert resp.status == 403
    assert "start again" in resp.json["error"].lower()
    assert upstream.received == []


async def test_malformed_sender_is_refused(app, upstream):
    for bad in ("alice", 42, "x" * 47, ["a"]):
        resp = await chat(app, bad, "hello")
        assert resp.status == 400, bad
    assert upstream.received == []


async def test_body_over_8kb_is_refused_before_rasa(app, upstream):
    sender = await new_sender(app)
    body = json.dumps({"sender": sender, "message": "hi", "pad": "x" * 8200})
    _, resp = await app.asgi_client.post(
        "/api/chat", content=body, headers={"content-type": "application/json"}
    )
    assert resp.status == 413
    assert "error" in resp.json
    _, resp = await app.asgi_client.post(
        "/api/chat", content="x" * 40_000, headers={"content-type": "application/json"}
    )
    assert resp.status == 413
    assert upstream.received == []


async def test_long_message_gets_a_polite_reply_not_an_error(app, upstream):
    sender = await new_sender(app)
    resp = await chat(app, sender, "a" * 1001)
    assert resp.status == 200
    [reply] = resp.json
    assert reply["recipient_id"] == sender
    assert "shorten" in reply["text"] and "1,000" in reply["text"]
    assert reply["custom"]["error"] == "message_too_long"
    assert upstream.received == []
    resp = await chat(app, sender, "b" * 1000)
    assert resp.status == 200
    assert upstream.received[-1]["message"] == "b" * 1000


async def test_control_characters_are_stripped(app, upstream):
    sender = await new_sender(app)
    resp = await chat(app, sender, "\x00hello\x07 \u202ethere\x1b\r\nsecond\tline\x7f")
    assert resp.status == 200
    assert upstream.received[-1]["message"] == "hello there\nsecond line"


async def test_json_only(app, upstream):
    sender = await new_sender(app)
    _, resp = await app.asgi_client.post("/api/chat", data={"sender": sender, "message": "hi"})
    assert resp.status == 415
    _, resp = await app.asgi_client.post(
        "/api/chat", content='{"sender": ', headers={"content-type": "application/json"}
    )
    assert resp.status == 400
    _, resp = await app.asgi_client.post(
        "/api/chat", content="[1, 2]", headers={"content-type": "application/json"}
    )
    assert resp.status == 400
    assert (await chat(app, sender, 12)).status == 400
    assert (await chat(app, sender, " \x00 ")).status == 400
    assert upstream.received == []


async def test_rate_limit_per_sender_with_retry_after(make_app, upstream):
    app = make_app(rate_sender_burst=2, rate_sender_per_min=6)
    sender = await new_sender(app)
    assert (await chat(app, sender, "one")).status == 200
    assert (await chat(app, sender, "two")).status == 200
    resp = await chat(app, sender, "three")
    assert resp.status == 429
    assert 1 <= int(resp.headers["Retry-After"]) <= 10
    assert "wait" in resp.json["error"]
    other = await new_sender(app)  # another sender on the same IP is not held up
    assert (await chat(app, other, "hello")).status == 200
    assert len(upstream.received) == 3


async def test_rate_limit_per_ip_with_retry_after(make_app):
    app = make_app(rate_ip_burst=3, rate_ip_per_min=1)
    for _ in range(3):
        await new_sender(app)
    _, resp = await app.asgi_client.post("/api/session")
    assert resp.status == 429
    assert int(resp.headers["Retry-After"]) >= 30
    resp = await chat(app, None, "hello")
    assert resp.status == 429


async def test_rate_limit_counts_each_client_ip_behind_a_proxy(make_app):
    app = make_app(rate_ip_burst=1, rate_ip_per_min=1, proxies_count=1)
    for ip in ("203.0.113.1", "203.0.113.2"):
        _, resp = await app.asgi_client.post("/api/session", headers={"x-forwarded-for": ip})
        assert resp.status == 201
    _, resp = await app.asgi_client.post("/api/session", headers={"x-forwarded-for": "203.0.113.1"})
    assert resp.status == 429


async def test_rasa_down_gives_503_with_contacts_and_recovers(make_app, upstream):
    port = free_port()
    app = make_app(rasa_urls=(f"http://127.0.0.1:{port}",))
    sender = await new_sender(app)
    resp = await chat(app, sender, "hello")
    assert resp.status == 503
    assert resp.headers["Retry-After"]
    [reply] = resp.json
    assert reply["recipient_id"] == sender
    assert "not available" in reply["text"]
    assert "0300 123 4043" in reply["text"] and "999" in reply["text"]
    assert "early-years-send-specialists.aspx" in reply["text"]
    assert reply["custom"]["unavailable"]["contacts"][2]["phone"] == "0300 123 4043"
    _, page = await app.asgi_client.get("/")
    assert page.status == 200  # the gateway itself stays up

    rasa = FakeUpstream(port).start()  # Rasa comes back
    try:
        resp = await chat(app, sender, "/greet")
        assert resp.status == 200
        assert rasa.received[-1]["message"] == "/greet"
    finally:
        rasa.close()


async def test_slow_rasa_times_out_with_503(make_app, upstream):
    app = make_app(upstream_timeout=0.3)
    upstream.delay = 1.0
    sender = await new_sender(app)
    started = asyncio.get_running_loop().time()
    resp = await chat(app, sender, "hello")
    assert resp.status == 503
    assert asyncio.get_running_loop().time() - started < 1.0
    assert "not available" in resp.json[0]["text"]


async def test_rasa_error_gives_503(app, upstream):
    upstream.status = 500
    resp = await chat(app, await new_sender(app), "hello")
    assert resp.status == 503


async def test_action_server_down_gives_503_and_recovers(app, upstream):
    sender = await new_sender(app)
    upstream.action_ok = False
    resp = await chat(app, sender, "hello")
    assert resp.status == 503
    assert "Children's Services" in resp.json[0]["text"]
    assert upstream.received == []
    upstream.action_ok = True
    assert (await chat(app, sender, "hello")).status == 200


async def test_sender_sticks_to_its_rasa_and_fails_over(make_app, upstream):
    second = FakeUpstream().start()
    try:
        app = make_app(rasa_urls=(upstream.url, second.url), action_server_url=second.url)
        senders = [await new_sender(app) for _ in range(8)]
        for sender in senders:
            for _ in range(2):
                assert (await chat(app, sender, "hello")).status == 200
        by_first = {r["sender"] for r in upstream.received}
        by_second = {r["sender"] for r in second.received}
        assert by_first and by_second and not by_first & by_second  # sticky and spread
        upstream.stop()
        for sender in senders:
            assert (await chat(app, sender, "hello")).status == 200
        assert {r["sender"] for r in second.received} == set(senders)
    finally:
        second.close()


async def test_only_offered_payloads_reach_rasa_as_commands(app, upstream):
    sender = await new_sender(app)
    await chat(app, sender, '/inform{"choice":"parent"}')
    assert upstream.received[-1]["message"] == 'inform{"choice":"parent"}'
    await chat(app, sender, "/greet")  # always allowed; offers the role buttons
    await chat(app, sender, '/inform{"choice":"parent"}')
    assert upstream.received[-1]["message"] == '/inform{"choice":"parent"}'
    await chat(app, sender, '/inform{"parental_consent":"yes"}')
    assert upstream.received[-1]["message"] == 'inform{"parental_consent":"yes"}'


async def test_one_log_line_per_request_without_message_text(app, caplog):
    caplog.set_level(logging.INFO, logger="bot.web.access")
    sender = await new_sender(app)
    caplog.clear()
    await chat(app, sender, "my secret worry about Jamie")
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.web.access"]
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith("POST /api/chat 200 ")
    assert "ms sender=" + sender_hash(sender) in line
    assert "Jamie" not in caplog.text and "worry" not in caplog.text
    assert sender not in caplog.text


async def test_widget_config_holds_the_privacy_notice(app):
    _, resp = await app.asgi_client.get("/api/widget-config")
    assert resp.status == 200
    notice = " ".join(resp.json["texts"]["privacy_notice"])
    assert "30 days" in notice and "removed before" in notice and "start again" in notice
    assert resp.json["max_message_chars"] == 1000


async def test_a_message_sent_again_with_its_id_is_marked_as_a_retry(app, upstream):
    _, first = await app.asgi_client.post("/api/session")
    sender = first.json["sender"]
    for _ in range(2):
        await app.asgi_client.post(
            "/api/chat", json={"sender": sender, "message": "hello", "message_id": "abc12345xyz"}
        )
    await app.asgi_client.post(
        "/api/chat", json={"sender": sender, "message": "hello", "message_id": "another-one"}
    )

    once, again, other = (r["metadata"] for r in upstream.received)
    assert "retry" not in once and again["retry"] is True and "retry" not in other
    assert once["message_id"] == again["message_id"] != other["message_id"]
    assert once["message_id"].isalpha() and once["message_id"].islower()


async def test_a_malformed_message_id_is_refused(app, upstream):
    _, first = await app.asgi_client.post("/api/session")
    for bad in ("short", "has spaces in it", 12345678, "x" * 65):
        _, resp = await app.asgi_client.post(
            "/api/chat", json={"sender": first.json["sender"], "message": "hi", "message_id": bad}
        )
        assert resp.status == 400 and "message_id" in resp.json["error"]
    assert upstream.received == []
