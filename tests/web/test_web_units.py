"""Small pieces: configuration, rate limiter, cleaning, routing, contacts."""

from __future__ import annotations

from pathlib import Path

from bot.web import contacts as contacts_mod
from bot.web.config import GatewayConfig
from bot.web.contacts import format_contact, unavailable_text
from bot.web.ratelimit import RateLimiter, retry_after_header
from bot.web.referral.handoff import age_text
from bot.web.sanitize import clean_field, clean_message
from bot.web.upstream import route_order
from tests.helpers.web_app import CONTACTS, Clock


def test_config_defaults_and_environment():
    default = GatewayConfig.from_env({})
    assert (default.host, default.port) == ("127.0.0.1", 8000)
    assert default.rasa_urls == ("http://127.0.0.1:5005",)
    assert default.action_server_url == "http://127.0.0.1:5055"
    assert default.token_ttl_hours == 24 and default.max_message_chars == 1000
    assert default.max_body_bytes == 8192
    assert default.referral_store.name == "referrals.db"
    assert default.outbox_dir.parts[-2:] == ("var", "outbox")
    assert not default.smtp.enabled
    assert len(default.secret) == 32
    config = GatewayConfig.from_env(
        {
            "RASA_URLS": "http://127.0.0.1:5005/, http://127.0.0.1:5006",
            "ALLOWED_ORIGINS": "https://www.hertfordshire.gov.uk",
            "FRAME_ANCESTORS": "'none'",
            "GATEWAY_PORT": "9000",
            "GATEWAY_SECRET": "s3cret",
            "TOKEN_TTL_HOURS": "2",
            "RATE_SENDER_BURST": "3",
            "REFERRAL_STORE": "/tmp/x.db",
            "SMTP_HOST": "smtp.example",
            "SMTP_FROM": "a@example.org",
            "SMTP_TO": "b@example.org",
        }
    )
    assert config.rasa_urls == ("http://127.0.0.1:5005", "http://127.0.0.1:5006")
    assert config.allowed_origins == ("https://www.hertfordshire.gov.uk",)
    assert config.frame_ancestors == "'none'" and config.port == 9000
    assert config.secret == b"s3cret" and config.token_ttl_hours == 2
    assert config.rate_sender_burst == 3 and config.referral_store == Path("/tmp/x.db")
    assert config.smtp.enabled and config.smtp.port == 587
    assert "s3cret" not in repr(config)


def test_token_bucket_refills():
    clock = Clock(0.0)
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    assert limiter.hit("a") == 0 and limiter.hit("a") == 0
    wait = limiter.hit("a")
    assert 0.9 < wait <= 1.0 and retry_after_header(wait) == "1"
    assert limiter.hit("b") == 0  # keys are independent
    clock.now += 1.0
    assert limiter.hit("a") == 0


def test_rate_limiter_memory_is_bounded():
    clock = Clock(0.0)
    limiter = RateLimiter(per_minute=60, burst=1, clock=clock, max_keys=10)
    for i in range(100):
        limiter.hit(str(i))
    assert len(limiter._buckets) <= 10


def test_cleaning():
    assert clean_message("  a\x00\x1f b \u2066c\u2069\r\n\n\n\nd  ") == "a b c\n\nd"
    assert clean_message("family 👨\u200d👩\u200d👧") == "family 👨\u200d👩\u200d👧"
    assert clean_field("x\ny\x00", 10) == "x y"
    assert clean_field("x\ny", 10, multiline=True) == "x\ny"
    assert clean_field("abcdef", 3) == "abc"


def test_route_order_is_stable_and_complete():
    urls = ("http://a", "http://b", "http://c")
    order = route_order("sender-1", urls)
    assert sorted(order) == sorted(urls) and order == route_order("sender-1", urls)
    firsts = {route_order(f"s{i}", urls)[0] for i in range(50)}
    assert firsts == set(urls)
    assert order[1:] == [urls[(urls.index(order[0]) + i) % 3] for i in (1, 2)]


def test_age_text():
    assert age_text({"child_age_text": "2 years 6 months"}) == "2 years 6 months"
    assert age_text({"child_age_months": 30}) == "2 years 6 months"
    assert age_text({"child_age_months": 12}) == "1 year"
    assert age_text({"child_age_months": 7}) == "7 months"
    assert age_text({}) == ""


def test_unavailable_message_uses_only_given_contacts():
    text = unavailable_text(CONTACTS)
    assert "phone 0300 123 4043" in text and "phone 999" in text
    assert (
        text.index("service page")
        < text.index("worried about a child's safety")
        < text.index("999")
    )
    assert "website https://hertfordshire.gov.uk/" in text
    assert "on the council's Local Offer pages" in unavailable_text([])
    assert format_contact({"name": "Team", "email": "a@b.org", "note": "Weekdays"}) == (
        "Team: email a@b.org. Weekdays"
    )


def test_human_route_contacts_from_yaml(tmp_path, monkeypatch):
    (tmp_path / "testshire.yml").write_text(
        "human_route: [team, danger]\n"
        "safeguarding: {contacts: [danger, police]}\n"
        "contacts:\n"
        "  police: {name: Police, phone: '101'}\n"
        "  team: {name: Team, url: 'https://example.org/team', source: x, checked: 2026-01-01}\n"
        "  danger: {name: Emergency, phone: '999'}\n"
        "  other: {name: Other}\n"
    )
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path))
    got = contacts_mod.human_route_contacts("testshire")
    assert got == [
        {"name": "Team", "url": "https://example.org/team"},
        {"name": "Emergency", "phone": "999"},
        {"name": "Police", "phone": "101", "group": "safety"},
    ]
    assert contacts_mod.human_route_contacts("nowhere") == []


def test_human_route_fallback_reads_the_councils_own_file(monkeypatch):
    """When the content does not validate, the raw file in the content package is still read."""
    import bot.guidance.content as content_pkg

    def broken(council=None):
        raise ValueError("does not validate")

    monkeypatch.delenv("CONTENT_DIR", raising=False)
    monkeypatch.setattr(content_pkg, "load_content", broken)
    got = contacts_mod.human_route_contacts()
    assert got and all(contact.get("name") for contact in got)


async def test_only_a_retry_on_another_instance_is_marked_as_a_retry(upstream):
    from bot.operations.processes import free_port
    from bot.web.upstream import RasaForwarder, new_session

    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    urls = (dead, upstream.url)
    first_dead = next(f"s{i}" for i in range(100) if route_order(f"s{i}", urls)[0] == dead)
    first_alive = next(f"s{i}" for i in range(100) if route_order(f"s{i}", urls)[0] != dead)
    session = new_session(timeout=2)
    try:
        forwarder = RasaForwarder(urls, lambda: session)
        await forwarder.send(first_alive, "hello")
        await forwarder.send(first_dead, "hello")
    finally:
        await session.close()

    direct, retried = upstream.received
    assert "retry" not in direct["metadata"]
    assert retried["metadata"]["retry"] is True and len(retried["metadata"]["message_id"]) == 24


async def test_turn_gate_lets_a_few_turns_in_at_a_time_in_arrival_order():
    import asyncio

    from bot.web.upstream import TurnGate

    gate, inside, most, order = TurnGate(2, 5.0), 0, 0, []

    async def turn(number: int) -> None:
        nonlocal inside, most
        async with gate.turn("http://rasa-1"):
            inside += 1
            most = max(most, inside)
            order.append(number)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(turn(n) for n in range(6)))

    assert most == 2 and order == list(range(6))


async def test_turn_gate_gives_up_on_a_busy_instance():
    import asyncio

    import pytest

    from bot.web.upstream import TurnGate, UpstreamUnavailable

    gate = TurnGate(1, 0.05)
    async with gate.turn("http://rasa-1"):
        with pytest.raises(UpstreamUnavailable):
            async with gate.turn("http://rasa-1"):
                pass
        async with gate.turn("http://rasa-2"):  # another instance has its own places
            pass
    async with gate.turn("http://rasa-1"):  # the place was given back
        await asyncio.sleep(0)


async def test_health_probe_tries_again_when_a_connection_is_dropped():
    import asyncio

    from bot.web.upstream import new_session, probe

    connections = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        if connections > 1:  # the first connection is dropped, as a closing server does
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    session = new_session(timeout=2)
    try:
        assert await probe(session, f"http://127.0.0.1:{port}/health", 2.0)
    finally:
        await session.close()
        server.close()
    assert connections == 2
